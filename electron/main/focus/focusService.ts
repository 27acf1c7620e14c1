/**
 * The focus service: the one owner of the focus timer on this computer. Plain Node with no
 * Electron import, so the desktop main process and the web-mode companion run the same code.
 *
 * It keeps the settings, the engine's state and the stats log (saved in one file, see
 * ./focusFile), runs the pure engine of shared/focus, and keeps exactly one timer, set for the
 * engine's `nextEventAt`. A hidden or throttled window therefore never delays a reminder: the
 * renderer only displays what this service pushes. The clock and the timer are passed in, so
 * tests drive the service with a fake clock while everything else runs for real.
 */
import { randomUUID } from 'node:crypto';
import {
  advance,
  focusStatus,
  parseFocusConfig,
  pause,
  pauseFor,
  postpone,
  reportActive,
  reportIdle,
  reset,
  resume,
  skip,
  start,
  type FocusConfig,
  type FocusState,
  type FocusTransition,
} from '../../../shared/focus';
import type {
  FocusAction,
  FocusChanged,
  FocusConfigUpdate,
  FocusConfigUpdateResult,
  FocusSnapshot,
  FocusStats,
} from '../../../shared/ipc/focusContract';
import { MAX_STATS_RECORDS } from '../../../shared/ipc/focusContract';
import { fail, ok, type Result } from '../../../shared/result';
import { errorMessage } from '../jsonFile';
import { loadFocusFile, saveFocusFile, saveFocusFileSync, type FocusData } from './focusFile';

/** The timer functions the service uses (Node's, or a fake clock's). */
export interface FocusTimers {
  setTimeout(callback: () => void, delayMs: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface FocusServiceOptions {
  /** The JSON file in the user data folder. */
  readonly filePath: string;
  /** Wall-clock time in epoch ms. */
  readonly now: () => number;
  readonly timers: FocusTimers;
  /** The zone for a first-run config (the computer's zone). */
  readonly defaultTimeZone: string;
  /** Told about problems loading or saving, in sentences. */
  readonly onProblem?: (message: string) => void;
  /** Stats log bound; the oldest records go first (default: about a year of busy days). */
  readonly maxLog?: number;
}

export interface FocusService {
  snapshot(): FocusSnapshot;
  /** Runs an action; resolves once its result is saved. Refused actions are failures with a sentence. */
  act(action: FocusAction): Promise<Result<FocusSnapshot>>;
  /** Validates and saves a settings change; impossible settings come back with per-field messages. */
  updateConfig(update: FocusConfigUpdate): Promise<FocusConfigUpdateResult>;
  /** Stats records that end at or after `since`, newest kept when there are too many. */
  stats(since: number): FocusStats;
  /** The system says the person has been idle since `idleSinceMs`. */
  reportIdle(idleSinceMs: number): void;
  /** The system says the person is active again. */
  reportActive(): void;
  /** Looks at the clock again now (after sleep, a clock change, or a time-zone change). */
  refresh(): void;
  /** Called with every change: the new snapshot and the events that just became due. */
  subscribe(listener: (change: FocusChanged) => void): () => void;
  /** Resolves when everything is on disk. */
  flush(): Promise<void>;
  /** Writes the current data synchronously (for quitting). */
  flushSync(): void;
  /** Stops the timer; no more events. */
  close(): void;
}

/** Node timers cannot wait longer than about 24.8 days; the service wakes up and looks again. */
const MAX_DELAY_MS = 2 ** 31 - 1;
const DEFAULT_MAX_LOG = 20_000;

function sameState(a: FocusState, b: FocusState): boolean {
  return JSON.stringify({ ...a, updatedAt: 0 }) === JSON.stringify({ ...b, updatedAt: 0 });
}

/** Loads the stored timer (repairing a damaged file) and starts the service. */
export async function createFocusService(options: FocusServiceOptions): Promise<FocusService> {
  const { now, timers } = options;
  const maxLog = options.maxLog ?? DEFAULT_MAX_LOG;
  const loaded = await loadFocusFile(options.filePath, {
    timeZone: options.defaultTimeZone,
    now: now(),
  });
  let data: FocusData = loaded.data;
  let problem = loaded.problem;
  if (problem) options.onProblem?.(problem);
  let nextEventAt: number | null = null;
  let handle: unknown = null;
  let closed = false;
  const listeners = new Set<(change: FocusChanged) => void>();
  // Snapshots say which run of the service took them and after how many pushes (see the contract).
  const service = randomUUID();
  let revision = 0;

  // Saves run one after another; a save asked for while one runs writes the newest data after it.
  let saving: Promise<void> = Promise.resolve();
  let dirty = loaded.problem !== null;
  const save = (): Promise<void> => {
    dirty = true;
    const next = saving.then(async () => {
      if (!dirty) return;
      dirty = false;
      try {
        await saveFocusFile(options.filePath, data);
      } catch (error) {
        dirty = true;
        options.onProblem?.(`The focus timer could not be saved: ${errorMessage(error)}`);
      }
    });
    saving = next;
    return next;
  };

  const snapshot = (): FocusSnapshot => {
    const at = now();
    return {
      config: data.config,
      preferences: data.preferences,
      state: data.state,
      status: focusStatus(data.config, data.state, at),
      nextEventAt,
      now: at,
      lastEvent: data.lastEvent,
      problem,
      service,
      revision,
    };
  };

  const emit = (events: FocusChanged['events'] | FocusTransition['events']): void => {
    revision += 1;
    const change: FocusChanged = { snapshot: snapshot(), events: [...events] };
    for (const listener of [...listeners]) {
      try {
        listener(change);
      } catch (error) {
        console.error('A focus listener failed:', error);
      }
    }
  };

  const arm = (at: number | null): void => {
    if (handle !== null) timers.clearTimeout(handle);
    handle = null;
    nextEventAt = at;
    if (at === null || closed) return;
    const delay = Math.min(Math.max(0, at - now()), MAX_DELAY_MS);
    handle = timers.setTimeout(onTimer, delay);
  };

  function onTimer(): void {
    handle = null;
    if (closed) return;
    // A timer that fires early (a clock set back) finds nothing due and is simply set again.
    void apply(advance(data.config, data.state, now()));
  }

  /** Takes a transition in: state, stats, the timer, the file and the listeners. */
  function apply(
    transition: FocusTransition,
    extra: { force?: boolean; config?: FocusConfig } = {},
  ): Promise<void> {
    const quiet =
      !extra.force &&
      transition.events.length === 0 &&
      transition.records.length === 0 &&
      transition.nextEventAt === nextEventAt &&
      sameState(transition.state, data.state);
    const log =
      transition.records.length === 0
        ? data.log
        : [...data.log, ...transition.records].slice(-maxLog);
    data = {
      ...data,
      ...(extra.config ? { config: extra.config } : {}),
      state: transition.state,
      log,
      lastEvent: transition.events.at(-1) ?? data.lastEvent,
    };
    arm(transition.nextEventAt);
    // Nothing a person could see changed (an idle check, an early timer): no write, no push.
    if (quiet) return Promise.resolve();
    const saved = save();
    emit(transition.events);
    return saved;
  }

  const run = (action: FocusAction, at: number): Result<FocusTransition> | 'dismissed' => {
    const { config, state } = data;
    switch (action.type) {
      case 'start':
        return start(config, state, at);
      case 'pause':
        return pause(config, state, at);
      case 'pauseFor':
        return pauseFor(config, state, action.duration, at);
      case 'resume':
        return resume(config, state, at);
      case 'postpone':
        return postpone(config, state, at);
      case 'skip':
        return skip(config, state, at);
      case 'reset':
        return ok(reset(config, state, at));
      case 'dismissProblem':
        return 'dismissed';
    }
  };

  // Catch up with the time the app was not running, then set the timer.
  void apply(advance(data.config, data.state, now()), { force: dirty });

  return {
    snapshot,

    async act(action) {
      const result = run(action, now());
      if (result === 'dismissed') {
        problem = null;
        emit([]);
        return ok(snapshot());
      }
      if (!result.ok) return fail(result.error.code, result.error.message);
      await apply(result.value, { force: true });
      return ok(snapshot());
    },

    async updateConfig(update) {
      let config = data.config;
      if (update.config) {
        const parsed = parseFocusConfig({ ...data.config, ...update.config });
        if (!parsed.ok) {
          return {
            saved: false,
            message: parsed.error.message,
            fieldErrors: { ...parsed.fieldErrors },
          };
        }
        config = parsed.value;
      }
      if (update.preferences) {
        data = { ...data, preferences: { ...data.preferences, ...update.preferences } };
      }
      // The running phase keeps its times; the new durations apply from the next phase on.
      await apply(advance(config, data.state, now()), { force: true, config });
      return { saved: true, snapshot: snapshot() };
    },

    stats(since) {
      const matching = data.log.filter((entry) => entry.end >= since);
      const records = matching.slice(-MAX_STATS_RECORDS);
      return { records, truncated: records.length < matching.length };
    },

    reportIdle(idleSinceMs) {
      const at = now();
      void apply(reportIdle(data.config, data.state, Math.min(idleSinceMs, at), at));
    },

    reportActive() {
      void apply(reportActive(data.config, data.state, now()));
    },

    refresh() {
      void apply(advance(data.config, data.state, now()));
    },

    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },

    async flush() {
      await saving;
      if (dirty) await save();
    },

    flushSync() {
      try {
        saveFocusFileSync(options.filePath, data);
        dirty = false;
      } catch (error) {
        options.onProblem?.(`The focus timer could not be saved: ${errorMessage(error)}`);
      }
    },

    close() {
      closed = true;
      if (handle !== null) timers.clearTimeout(handle);
      handle = null;
      listeners.clear();
    },
  };
}
