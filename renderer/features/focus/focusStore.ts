/**
 * The focus timer in the renderer: the pure engine from shared/focus, its state and stats log kept
 * in localStorage, one timeout set for the engine's next event, and a desktop notification for
 * each event while Outpost is open. (A damaged stored timer is set aside and the timer restarts.)
 */
import { create } from 'zustand';
import {
  advance,
  defaultFocusConfig,
  initialFocusState,
  parseFocusConfig,
  pause,
  pauseFor,
  postpone,
  reset,
  resume,
  skip,
  start,
  type FocusConfig,
  type FocusEvent,
  type FocusState,
  type FocusTransition,
  type PauseDuration,
  type SessionRecord,
} from '../../../shared/focus';
import type { Result } from '../../../shared/result';

const STORAGE_KEY = 'outpost.focus';
const PHASES = new Set([
  'idle',
  'focus',
  'shortBreak',
  'longBreak',
  'paused',
  'outsideWorkingHours',
]);
/** Keep the stats log bounded: about a year of busy days. */
const MAX_LOG = 20_000;

interface Stored {
  readonly config: unknown;
  readonly state: unknown;
  readonly log: unknown;
}

export interface FocusStoreState {
  config: FocusConfig;
  state: FocusState;
  log: readonly SessionRecord[];
  /** A readable problem from loading, shown once. */
  loadProblem: string | null;
  /** Called with each event so the UI can show it in the page too. */
  lastEvent: FocusEvent | null;
  load(timeZone: string): void;
  act(action: FocusAction): Result<unknown>;
  updateConfig(
    input: Record<string, unknown>,
  ): { ok: true } | { ok: false; fieldErrors: Readonly<Record<string, string>> };
}

export type FocusAction =
  | { type: 'start' }
  | { type: 'pause' }
  | { type: 'pauseFor'; duration: PauseDuration }
  | { type: 'resume' }
  | { type: 'postpone' }
  | { type: 'skip' }
  | { type: 'reset' };

function isFocusState(value: unknown): value is FocusState {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return (
    typeof record.phase === 'string' &&
    PHASES.has(record.phase) &&
    typeof record.updatedAt === 'number'
  );
}

function isLog(value: unknown): value is SessionRecord[] {
  return (
    Array.isArray(value) &&
    value.every(
      (entry: unknown) =>
        typeof entry === 'object' &&
        entry !== null &&
        typeof (entry as SessionRecord).start === 'number' &&
        typeof (entry as SessionRecord).end === 'number',
    )
  );
}

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const at = (time: number | null | undefined) => (time ? timeFormat.format(time) : '');

/** The words a person sees for an event. */
export function describeEvent(event: FocusEvent): { title: string; body: string } {
  switch (event.type) {
    case 'breakNotice':
      return {
        title: event.breakKind === 'longBreak' ? 'Long break coming up' : 'Break coming up',
        body: `Your break starts at ${at(event.breakAt)}. Wrap up what you are doing.`,
      };
    case 'breakStart':
      return {
        title: event.breakKind === 'longBreak' ? 'Time for a long break' : 'Time for a short break',
        body: event.started
          ? `Step away from the screen until ${at(event.endsAt)}.`
          : 'Your break is due. Start it from Outpost when you are ready.',
      };
    case 'breakEnd':
      return {
        title: event.away ? 'Welcome back' : 'Break is over',
        body: event.started
          ? `Focus until ${at(event.focusEndsAt)}.`
          : 'Start your next focus block when you are ready.',
      };
    case 'microBreak':
      return {
        title: 'Micro-break',
        body: `Look away from the screen for ${Math.round(event.durationMs / 1000)} seconds.`,
      };
    case 'pauseEnded':
      return {
        title: 'Pause is over',
        body: event.resumed ? 'The timer is running again.' : 'Start the timer when you are ready.',
      };
    case 'workingHoursStarted':
      return {
        title: 'Working hours started',
        body: event.focusEndsAt ? `Focus until ${at(event.focusEndsAt)}.` : 'Good morning.',
      };
    case 'workingHoursEnded':
      return {
        title: 'Working hours are over',
        body: 'No more reminders until your next working day.',
      };
  }
}

function notify(event: FocusEvent): void {
  if (typeof Notification === 'undefined' || Notification.permission !== 'granted') return;
  const { title, body } = describeEvent(event);
  try {
    new Notification(title, { body, tag: `outpost-focus-${event.type}`, silent: false });
  } catch (error) {
    console.warn('Could not show a notification', error);
  }
}

let timer: ReturnType<typeof setTimeout> | null = null;

export const useFocusStore = create<FocusStoreState>()((set, get) => {
  const persist = () => {
    const { config, state, log } = get();
    localStorage.setItem(STORAGE_KEY, JSON.stringify({ config, state, log }));
  };

  const schedule = (nextEventAt: number | null) => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (nextEventAt === null) return;
    // Timers cannot wait longer than about 24.8 days; wake up earlier and look again.
    const delay = Math.min(Math.max(0, nextEventAt - Date.now()), 2 ** 31 - 1);
    timer = setTimeout(() => apply(advance(get().config, get().state, Date.now())), delay);
  };

  const apply = (transition: FocusTransition) => {
    const log = [...get().log, ...transition.records].slice(-MAX_LOG);
    set({ state: transition.state, log, lastEvent: transition.events.at(-1) ?? get().lastEvent });
    for (const event of transition.events) notify(event);
    persist();
    schedule(transition.nextEventAt);
  };

  return {
    config: defaultFocusConfig('UTC'),
    state: initialFocusState(Date.now()),
    log: [],
    loadProblem: null,
    lastEvent: null,
    load(timeZone) {
      const now = Date.now();
      let stored: Stored | null = null;
      const raw = localStorage.getItem(STORAGE_KEY);
      let problem: string | null = null;
      if (raw !== null) {
        try {
          stored = JSON.parse(raw) as Stored;
        } catch {
          problem = 'The saved focus timer could not be read';
        }
      }
      const parsedConfig = stored ? parseFocusConfig(stored.config) : null;
      const config = parsedConfig?.ok ? parsedConfig.value : defaultFocusConfig(timeZone);
      if (parsedConfig && !parsedConfig.ok)
        problem = `The saved focus settings were invalid (${parsedConfig.error.message})`;
      const state = stored && isFocusState(stored.state) ? stored.state : initialFocusState(now);
      if (stored && !isFocusState(stored.state)) problem = 'The saved focus timer was damaged';
      const log = stored && isLog(stored.log) ? stored.log : [];
      if (problem && raw !== null) {
        const aside = `${STORAGE_KEY}.corrupt-${now}`;
        localStorage.setItem(aside, raw);
        problem = `${problem}. It was kept as ${aside} and the timer starts fresh.`;
      }
      set({ config, state, log, loadProblem: problem });
      apply(advance(config, state, now));
    },
    act(action) {
      const { config, state } = get();
      const now = Date.now();
      let result: Result<FocusTransition>;
      switch (action.type) {
        case 'start':
          result = start(config, state, now);
          break;
        case 'pause':
          result = pause(config, state, now);
          break;
        case 'pauseFor':
          result = pauseFor(config, state, action.duration, now);
          break;
        case 'resume':
          result = resume(config, state, now);
          break;
        case 'postpone':
          result = postpone(config, state, now);
          break;
        case 'skip':
          result = skip(config, state, now);
          break;
        case 'reset':
          result = { ok: true, value: reset(config, state, now) };
          break;
      }
      if (result.ok) apply(result.value);
      return result;
    },
    updateConfig(input) {
      const parsed = parseFocusConfig({ ...get().config, ...input });
      if (!parsed.ok) return { ok: false, fieldErrors: parsed.fieldErrors };
      set({ config: parsed.value });
      apply(advance(parsed.value, get().state, Date.now()));
      return { ok: true };
    },
  };
});
