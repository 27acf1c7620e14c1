/**
 * The focus timer engine: a pure state machine with no timers and no clock of its own.
 *
 * Every function takes the config, the current state and `now` (epoch ms) and returns the next
 * state, the events that became due (each with the exact time it was due), the session records to
 * append to the stats log, and `nextEventAt`, the moment the caller should call {@link advance}
 * again. The main process schedules a native notification at `nextEventAt`; the renderer only
 * displays the state.
 *
 * Clock jumps. The caller is expected to call `advance` at `nextEventAt`, so an event found more
 * than {@link STALE_EVENT_GRACE_MS} in the past means the machine slept, the process froze or the
 * clock jumped. Such stale events are not replayed: the time since the first missed event is
 * treated as one away period and collapsed into a single coherent state with at most one event
 * (away long enough → the break counts as taken and a fresh block starts; away briefly → the
 * block simply goes on). A clock that runs backwards shifts the running phase so its remaining
 * time is kept. Remaining time is never negative and `nextEventAt` is always after `now`.
 *
 * Working hours (see ./workingHours) gate everything: a running timer stops at the end of working
 * hours, waits in `outsideWorkingHours`, and starts a fresh cycle when they begin again.
 */
import { fail, ok, type Result } from '../result';
import type { FocusConfig } from './config';
import {
  isWithinWorkingHours,
  nextWorkingHoursChange,
  startOfNextWorkingDay,
} from './workingHours';

/** An event due more than this long ago is stale: it is collapsed, never notified late. */
export const STALE_EVENT_GRACE_MS = 60_000;
/** Upper bound on the events one call to {@link advance} (or an action) can return. */
export const MAX_EVENTS_PER_ADVANCE = 6;

export type BreakKind = 'shortBreak' | 'longBreak';
export type RunningPhase = 'focus' | BreakKind;
export type FocusPhase = 'idle' | RunningPhase | 'paused' | 'outsideWorkingHours';
export type PauseReason = 'manual' | 'idle' | 'until-tomorrow';

interface Counters {
  /** Focus blocks completed since the last long break; decides whether the next break is long. */
  readonly completedFocusBlocks: number;
  /** Postpones already used on the break that is due next. */
  readonly postponesUsed: number;
  /** The last `now` the engine saw; clock jumps are measured from it. */
  readonly updatedAt: number;
}

/** Not running: never started, reset, or (with auto-start off) waiting for the person to start `waitingFor`. */
export interface IdleState extends Counters {
  readonly phase: 'idle';
  readonly waitingFor: RunningPhase | null;
  readonly since: number;
}

export interface FocusRunState extends Counters {
  readonly phase: 'focus';
  /** Start of this uninterrupted stretch of the block (a resumed block starts a new stretch). */
  readonly startedAt: number;
  readonly endsAt: number;
  /** When the break notice is due, or null when there is none left to give. */
  readonly noticeAt: number | null;
  readonly microBreakAt: number | null;
  /** A postponed break's extra focus time: it does not count as another focus block. */
  readonly extension: boolean;
  /** The person skipped the break that follows this block. */
  readonly skipNextBreak: boolean;
}

export interface BreakRunState extends Counters {
  readonly phase: BreakKind;
  readonly startedAt: number;
  readonly endsAt: number;
}

/** What a pause will give back on resume. */
export interface PausedSnapshot {
  readonly phase: RunningPhase;
  readonly remainingMs: number;
  readonly extension: boolean;
  readonly skipNextBreak: boolean;
}

export interface PausedState extends Counters {
  readonly phase: 'paused';
  readonly pausedAt: number;
  /** When the pause ends by itself, or null for an open-ended pause. */
  readonly until: number | null;
  readonly reason: PauseReason;
  readonly resumes: PausedSnapshot;
}

/** The timer is on but working hours are not; it starts again when they begin. */
export interface OutsideHoursState extends Counters {
  readonly phase: 'outsideWorkingHours';
  readonly since: number;
  /** The person pressed start outside working hours: focus begins with them even without auto-start. */
  readonly armed: boolean;
}

export type FocusState =
  IdleState | FocusRunState | BreakRunState | PausedState | OutsideHoursState;

/** Something the person may be told about, at the exact time it was due. */
export type FocusEvent =
  | {
      readonly type: 'breakNotice';
      readonly at: number;
      readonly breakKind: BreakKind;
      readonly breakAt: number;
    }
  | {
      readonly type: 'breakStart';
      readonly at: number;
      readonly breakKind: BreakKind;
      /** False when auto-start is off: the break is due and waits for the person. */
      readonly started: boolean;
      readonly endsAt: number | null;
    }
  | {
      readonly type: 'breakEnd';
      readonly at: number;
      readonly started: boolean;
      readonly focusEndsAt: number | null;
      /** The break was time away (sleep, idle) that counted as a break. */
      readonly away: boolean;
    }
  | { readonly type: 'microBreak'; readonly at: number; readonly durationMs: number }
  | {
      readonly type: 'pauseEnded';
      readonly at: number;
      readonly resumed: RunningPhase | null;
      readonly endsAt: number | null;
    }
  | {
      readonly type: 'workingHoursStarted';
      readonly at: number;
      readonly focusEndsAt: number | null;
    }
  | {
      readonly type: 'workingHoursEnded';
      readonly at: number;
      readonly nextStartAt: number | null;
    };

export type SessionOutcome = 'completed' | 'skipped' | 'postponed' | 'interrupted';

/** One entry of the append-only stats log. Skips and postpones are zero-length markers unless they cut a break short. */
export interface SessionRecord {
  readonly phase: RunningPhase;
  readonly start: number;
  readonly end: number;
  readonly outcome: SessionOutcome;
  /** Time away (sleep, idle) counted as a break. */
  readonly away?: boolean;
}

/** What every engine function returns. */
export interface FocusTransition {
  readonly state: FocusState;
  readonly events: readonly FocusEvent[];
  /** Append these to the stats log. */
  readonly records: readonly SessionRecord[];
  /** When to call {@link advance} next; always after `now`, or null when nothing is scheduled. */
  readonly nextEventAt: number | null;
}

/** A summary teammates can show: "in focus until 14:30". */
export interface FocusStatus {
  readonly kind: 'focus' | 'break' | 'paused' | 'idle' | 'outside-hours';
  readonly until?: number;
}

/** How long {@link pauseFor} pauses: milliseconds, or until the next working day starts. */
export type PauseDuration = number | 'until-tomorrow';

interface Outcome {
  readonly state: FocusState;
  readonly events: FocusEvent[];
  readonly records: SessionRecord[];
}

type StepKind = 'hoursEnd' | 'phaseEnd' | 'notice' | 'micro' | 'pauseEnd' | 'hoursStart';
interface Step {
  readonly at: number;
  readonly kind: StepKind;
}

const MINUTE_MS = 60_000;

function durations(config: FocusConfig) {
  return {
    focus: Math.round(config.focusMinutes * MINUTE_MS),
    shortBreak: Math.round(config.shortBreakMinutes * MINUTE_MS),
    longBreak: Math.round(config.longBreakMinutes * MINUTE_MS),
    notice: Math.round(config.breakNoticeSeconds * 1000),
    postpone: Math.round(config.postponeMinutes * MINUTE_MS),
    idle: Math.round(config.idleMinutes * MINUTE_MS),
    microEvery: config.microBreaks ? Math.round(config.microBreaks.everyMinutes * MINUTE_MS) : null,
    microDuration: config.microBreaks ? Math.round(config.microBreaks.durationSeconds * 1000) : 0,
  };
}

function breakLength(config: FocusConfig, kind: BreakKind): number {
  return durations(config)[kind];
}

/** The break that follows once `completedBlocks` focus blocks are done. */
function breakAfter(config: FocusConfig, completedBlocks: number): BreakKind {
  return completedBlocks >= config.longBreakEvery ? 'longBreak' : 'shortBreak';
}

function upcomingBreak(config: FocusConfig, state: FocusRunState): BreakKind {
  return breakAfter(config, state.completedFocusBlocks + (state.extension ? 0 : 1));
}

function countersOf(state: Counters, updatedAt: number, patch: Partial<Counters> = {}): Counters {
  return {
    completedFocusBlocks: state.completedFocusBlocks,
    postponesUsed: state.postponesUsed,
    updatedAt,
    ...patch,
  };
}

function record(
  records: SessionRecord[],
  phase: RunningPhase,
  start: number,
  end: number,
  outcome: SessionOutcome,
  away = false,
): void {
  const marker = outcome === 'skipped' || outcome === 'postponed';
  if (end < start || (end === start && !marker)) return;
  records.push(away ? { phase, start, end, outcome, away } : { phase, start, end, outcome });
}

/** The first micro-break after `from`, if it comes before the break notice window. */
function microAfter(config: FocusConfig, from: number, endsAt: number): number | null {
  const d = durations(config);
  if (d.microEvery === null) return null;
  const at = from + d.microEvery;
  return at < endsAt - d.notice ? at : null;
}

function noticeFor(config: FocusConfig, from: number, endsAt: number): number | null {
  const notice = durations(config).notice;
  return notice > 0 && endsAt - notice > from ? endsAt - notice : null;
}

function focusFrom(
  config: FocusConfig,
  counters: Counters,
  at: number,
  options: { remainingMs?: number; extension?: boolean; skipNextBreak?: boolean } = {},
): FocusRunState {
  const endsAt = at + Math.max(0, options.remainingMs ?? durations(config).focus);
  const skipNextBreak = options.skipNextBreak ?? false;
  return {
    ...countersOf(counters, at),
    phase: 'focus',
    startedAt: at,
    endsAt,
    noticeAt: skipNextBreak ? null : noticeFor(config, at, endsAt),
    microBreakAt: microAfter(config, at, endsAt),
    extension: options.extension ?? false,
    skipNextBreak,
  };
}

function breakFrom(
  config: FocusConfig,
  counters: Counters,
  kind: BreakKind,
  at: number,
  remainingMs?: number,
) {
  const state: BreakRunState = {
    ...countersOf(counters, at),
    phase: kind,
    startedAt: at,
    endsAt: at + Math.max(0, remainingMs ?? breakLength(config, kind)),
  };
  return state;
}

function idleFrom(counters: Counters, at: number, waitingFor: RunningPhase | null): IdleState {
  return { ...countersOf(counters, at), phase: 'idle', waitingFor, since: at };
}

function outsideFrom(
  counters: Counters,
  at: number,
  since: number,
  armed: boolean,
): OutsideHoursState {
  return { ...countersOf(counters, at), phase: 'outsideWorkingHours', since, armed };
}

/** A running state at `at`, or the wait for working hours when `at` is outside them. */
function land(config: FocusConfig, state: FocusState, at: number): FocusState {
  if (state.phase === 'idle' || isWithinWorkingHours(config, at)) return state;
  return outsideFrom(state, at, at, true);
}

function restore(
  config: FocusConfig,
  counters: Counters,
  snapshot: PausedSnapshot,
  at: number,
): FocusState {
  if (snapshot.phase === 'focus') {
    return focusFrom(config, counters, at, {
      remainingMs: snapshot.remainingMs,
      extension: snapshot.extension,
      skipNextBreak: snapshot.skipNextBreak,
    });
  }
  return breakFrom(config, counters, snapshot.phase, at, snapshot.remainingMs);
}

/**
 * Time away counts as a break when it lasted at least the due break's length; away for a long
 * break's length always starts a fresh cycle.
 */
function countRest(
  config: FocusConfig,
  counters: Counters,
  due: BreakKind,
  restMs: number,
): { counters: Counters; takenAs: BreakKind | null } {
  const d = durations(config);
  if (restMs >= d.longBreak) {
    return {
      counters: { ...counters, completedFocusBlocks: 0, postponesUsed: 0 },
      takenAs: 'longBreak',
    };
  }
  if (restMs >= d[due]) return { counters: { ...counters, postponesUsed: 0 }, takenAs: due };
  return { counters, takenAs: null };
}

function hoursEndFor(config: FocusConfig, state: FocusState): number | null {
  if (!config.workingHours) return null;
  if (!isWithinWorkingHours(config, state.updatedAt)) return state.updatedAt;
  return nextWorkingHoursChange(config, state.updatedAt)?.at ?? null;
}

/** The earliest thing due in `state`; ties resolve in the listed order (working hours first). */
function pendingStep(config: FocusConfig, state: FocusState): Step | null {
  const candidates: [number | null, StepKind][] = [];
  switch (state.phase) {
    case 'idle':
      return null;
    case 'focus':
      candidates.push(
        [hoursEndFor(config, state), 'hoursEnd'],
        [state.endsAt, 'phaseEnd'],
        [state.noticeAt, 'notice'],
        [state.microBreakAt, 'micro'],
      );
      break;
    case 'shortBreak':
    case 'longBreak':
      candidates.push([hoursEndFor(config, state), 'hoursEnd'], [state.endsAt, 'phaseEnd']);
      break;
    case 'paused':
      candidates.push([state.until, 'pauseEnd']);
      break;
    case 'outsideWorkingHours': {
      const change = nextWorkingHoursChange(config, state.updatedAt);
      candidates.push([change?.kind === 'start' ? change.at : state.updatedAt, 'hoursStart']);
      break;
    }
  }
  let best: Step | null = null;
  for (const [at, kind] of candidates) {
    if (at !== null && (best === null || at < best.at)) best = { at, kind };
  }
  return best;
}

/** Processes one due step at its own time, as if the caller had been exactly on time. */
function applyStep(config: FocusConfig, state: FocusState, step: Step): Outcome {
  const at = step.at;
  const events: FocusEvent[] = [];
  const records: SessionRecord[] = [];
  const counters = countersOf(state, at);
  const auto = config.autoStartNextPhase;
  let next: FocusState = { ...state, updatedAt: at };

  switch (step.kind) {
    case 'notice': {
      if (state.phase !== 'focus') break;
      next = { ...state, updatedAt: at, noticeAt: null };
      const hoursEnd = hoursEndFor(config, state);
      // A break that working hours will pre-empt gets no notice.
      if (!state.skipNextBreak && (hoursEnd === null || hoursEnd > state.endsAt)) {
        events.push({
          type: 'breakNotice',
          at,
          breakKind: upcomingBreak(config, state),
          breakAt: state.endsAt,
        });
      }
      break;
    }
    case 'micro': {
      if (state.phase !== 'focus') break;
      next = { ...state, updatedAt: at, microBreakAt: microAfter(config, at, state.endsAt) };
      events.push({ type: 'microBreak', at, durationMs: durations(config).microDuration });
      break;
    }
    case 'phaseEnd': {
      if (state.phase === 'focus') {
        record(records, 'focus', state.startedAt, at, 'completed');
        const done = { ...counters, completedFocusBlocks: upcomingBlocks(state) };
        const kind = upcomingBreak(config, state);
        if (state.skipNextBreak) {
          record(records, kind, at, at, 'skipped');
          next = focusFrom(config, { ...done, postponesUsed: 0 }, at);
        } else if (auto) {
          next = breakFrom(config, done, kind, at);
          events.push({
            type: 'breakStart',
            at,
            breakKind: kind,
            started: true,
            endsAt: next.endsAt,
          });
        } else {
          next = idleFrom(done, at, kind);
          events.push({ type: 'breakStart', at, breakKind: kind, started: false, endsAt: null });
        }
      } else if (state.phase === 'shortBreak' || state.phase === 'longBreak') {
        record(records, state.phase, state.startedAt, at, 'completed');
        const rested = afterBreak(counters, state.phase);
        next = auto ? focusFrom(config, rested, at) : idleFrom(rested, at, 'focus');
        events.push(breakEnd(next, at, false));
      }
      break;
    }
    case 'hoursEnd': {
      if (state.phase === 'focus') {
        const completed = at >= state.endsAt;
        record(records, 'focus', state.startedAt, at, completed ? 'completed' : 'interrupted');
        const blocks = completed ? upcomingBlocks(state) : state.completedFocusBlocks;
        next = outsideFrom({ ...counters, completedFocusBlocks: blocks }, at, at, false);
      } else if (state.phase === 'shortBreak' || state.phase === 'longBreak') {
        record(records, state.phase, state.startedAt, at, 'completed');
        next = outsideFrom(afterBreak(counters, state.phase), at, at, false);
      } else {
        break;
      }
      events.push({
        type: 'workingHoursEnded',
        at,
        nextStartAt: nextWorkingHoursChange(config, at)?.at ?? null,
      });
      break;
    }
    case 'pauseEnd': {
      if (state.phase !== 'paused') break;
      if (state.reason === 'until-tomorrow') {
        const fresh = countersOf(counters, at, { completedFocusBlocks: 0, postponesUsed: 0 });
        if (!config.workingHours) {
          // Without working hours "tomorrow" is midnight: wait quietly for the person.
          next = idleFrom(fresh, at, null);
          break;
        }
        next = land(config, auto ? focusFrom(config, fresh, at) : idleFrom(fresh, at, null), at);
      } else {
        next = land(config, restore(config, counters, state.resumes, at), at);
      }
      if (isWithinWorkingHours(config, at)) events.push(pauseEnded(next, at));
      break;
    }
    case 'hoursStart': {
      if (state.phase !== 'outsideWorkingHours') break;
      const rested = countRest(
        config,
        counters,
        breakAfter(config, counters.completedFocusBlocks),
        at - state.since,
      );
      next =
        state.armed || auto
          ? focusFrom(config, rested.counters, at)
          : idleFrom(rested.counters, at, null);
      events.push({
        type: 'workingHoursStarted',
        at,
        focusEndsAt: next.phase === 'focus' ? next.endsAt : null,
      });
      break;
    }
  }
  return { state: next, events, records };
}

function upcomingBlocks(state: FocusRunState): number {
  return state.completedFocusBlocks + (state.extension ? 0 : 1);
}

function afterBreak(counters: Counters, kind: BreakKind): Counters {
  return {
    ...counters,
    postponesUsed: 0,
    completedFocusBlocks: kind === 'longBreak' ? 0 : counters.completedFocusBlocks,
  };
}

function breakEnd(next: FocusState, at: number, away: boolean): FocusEvent {
  const started = next.phase === 'focus';
  return {
    type: 'breakEnd',
    at,
    started,
    focusEndsAt: next.phase === 'focus' ? next.endsAt : null,
    away,
  };
}

function pauseEnded(next: FocusState, at: number): FocusEvent {
  const running =
    next.phase === 'focus' || next.phase === 'shortBreak' || next.phase === 'longBreak';
  return {
    type: 'pauseEnded',
    at,
    resumed: running ? next.phase : null,
    endsAt: running ? next.endsAt : null,
  };
}

/** After time away that counted as a break: a fresh block (or the wait for one), announced once. */
function backFromAway(config: FocusConfig, counters: Counters, now: number): Outcome {
  const next = land(
    config,
    config.autoStartNextPhase ? focusFrom(config, counters, now) : idleFrom(counters, now, 'focus'),
    now,
  );
  const events = isWithinWorkingHours(config, now) ? [breakEnd(next, now, true)] : [];
  return { state: next, events, records: [] };
}

/**
 * Replaces the replay of stale steps with one coherent state at `now`. `step` is the first step
 * that was missed; the person is taken to have been away since then. Returns at most one event.
 */
function collapse(config: FocusConfig, state: FocusState, step: Step, now: number): Outcome {
  const t = step.at;
  const records: SessionRecord[] = [];
  const counters = countersOf(state, now);
  const inHours = isWithinWorkingHours(config, now);
  const withRecords = (outcome: Outcome): Outcome => ({
    ...outcome,
    records: [...records, ...outcome.records],
  });

  const running =
    state.phase === 'focus' || state.phase === 'shortBreak' || state.phase === 'longBreak';
  const hoursEnd = running ? hoursEndFor(config, state) : null;
  if (hoursEnd !== null && hoursEnd <= now) {
    // The working day ended while the person was away (e.g. the laptop slept overnight): close the
    // stretch when they left; the time since is time outside working hours, not a break.
    const closed = applyStep(config, state, { at: t, kind: 'hoursEnd' });
    if (closed.state.phase !== 'outsideWorkingHours')
      return { state: closed.state, events: [], records: closed.records };
    if (!inHours)
      return { state: { ...closed.state, updatedAt: now }, events: [], records: closed.records };
    const started = collapse(config, closed.state, { at: t, kind: 'hoursStart' }, now);
    return { ...started, records: [...closed.records, ...started.records] };
  }

  switch (state.phase) {
    case 'idle':
      return { state: { ...state, updatedAt: now }, events: [], records };
    case 'focus': {
      const completed = t >= state.endsAt;
      const blocks = completed ? upcomingBlocks(state) : state.completedFocusBlocks;
      const due = upcomingBreak(config, state);
      const rest = countRest(config, { ...counters, completedFocusBlocks: blocks }, due, now - t);
      if (!inHours || rest.takenAs) {
        record(records, 'focus', state.startedAt, t, completed ? 'completed' : 'interrupted');
        if (!inHours) {
          return {
            state: outsideFrom({ ...counters, completedFocusBlocks: blocks }, now, t, false),
            events: [],
            records,
          };
        }
        record(records, rest.takenAs ?? due, t, now, 'completed', true);
        return withRecords(backFromAway(config, rest.counters, now));
      }
      if (state.endsAt > now) {
        // A brief absence: the block goes on; the missed notice or micro-break has lost its moment.
        const next: FocusRunState = {
          ...state,
          updatedAt: now,
          noticeAt: state.noticeAt !== null && state.noticeAt > now ? state.noticeAt : null,
          microBreakAt: microAfter(config, now, state.endsAt),
        };
        return { state: next, events: [], records };
      }
      // The block ended during a brief absence: its break is under way, announced once.
      record(records, 'focus', state.startedAt, state.endsAt, 'completed');
      const done = { ...counters, completedFocusBlocks: upcomingBlocks(state) };
      if (state.skipNextBreak) {
        record(records, due, state.endsAt, state.endsAt, 'skipped');
        return {
          state: focusFrom(config, { ...done, postponesUsed: 0 }, now),
          events: [],
          records,
        };
      }
      if (!config.autoStartNextPhase) {
        const next = idleFrom(done, now, due);
        return {
          state: next,
          events: [{ type: 'breakStart', at: now, breakKind: due, started: false, endsAt: null }],
          records,
        };
      }
      const next = { ...breakFrom(config, done, due, state.endsAt), updatedAt: now };
      return {
        state: next,
        events: [
          { type: 'breakStart', at: now, breakKind: due, started: true, endsAt: next.endsAt },
        ],
        records,
      };
    }
    case 'shortBreak':
    case 'longBreak': {
      if (!inHours) {
        record(records, state.phase, state.startedAt, t, 'completed');
        return {
          state: outsideFrom(afterBreak(counters, state.phase), now, t, false),
          events: [],
          records,
        };
      }
      // The break stretched through the time away.
      record(records, state.phase, state.startedAt, now, 'completed', true);
      const long =
        state.phase === 'longBreak' || now - state.startedAt >= durations(config).longBreak;
      return withRecords(
        backFromAway(config, afterBreak(counters, long ? 'longBreak' : 'shortBreak'), now),
      );
    }
    case 'paused': {
      if (!inHours) {
        return {
          state: outsideFrom(counters, now, t, state.reason !== 'until-tomorrow'),
          events: [],
          records,
        };
      }
      if (state.reason === 'until-tomorrow') {
        const fresh = { ...counters, completedFocusBlocks: 0, postponesUsed: 0 };
        if (!config.workingHours) return { state: idleFrom(fresh, now, null), events: [], records };
        const next = config.autoStartNextPhase
          ? focusFrom(config, fresh, now)
          : idleFrom(fresh, now, null);
        return { state: next, events: [pauseEnded(next, now)], records };
      }
      const next = restore(config, counters, state.resumes, now);
      return { state: next, events: [pauseEnded(next, now)], records };
    }
    case 'outsideWorkingHours': {
      if (!inHours) return { state: { ...state, updatedAt: now }, events: [], records };
      const rested = countRest(
        config,
        counters,
        breakAfter(config, counters.completedFocusBlocks),
        now - state.since,
      );
      const next =
        state.armed || config.autoStartNextPhase
          ? focusFrom(config, rested.counters, now)
          : idleFrom(rested.counters, now, null);
      const focusEndsAt = next.phase === 'focus' ? next.endsAt : null;
      return {
        state: next,
        events: [{ type: 'workingHoursStarted', at: now, focusEndsAt }],
        records,
      };
    }
  }
}

/** A clock that went backwards keeps the running phase's remaining time instead of stretching it. */
function rewind(state: FocusState, now: number): FocusState {
  const delta = now - state.updatedAt;
  if (delta >= 0) return state;
  const shift = (t: number | null) => (t === null ? null : t + delta);
  switch (state.phase) {
    case 'focus':
      return {
        ...state,
        updatedAt: now,
        startedAt: state.startedAt + delta,
        endsAt: state.endsAt + delta,
        noticeAt: shift(state.noticeAt),
        microBreakAt: shift(state.microBreakAt),
      };
    case 'shortBreak':
    case 'longBreak':
      return {
        ...state,
        updatedAt: now,
        startedAt: state.startedAt + delta,
        endsAt: state.endsAt + delta,
      };
    case 'paused':
      return { ...state, updatedAt: now, pausedAt: Math.min(state.pausedAt, now) };
    case 'idle':
    case 'outsideWorkingHours':
      return { ...state, updatedAt: now, since: Math.min(state.since, now) };
  }
}

function settle(config: FocusConfig, start: FocusState, now: number): Outcome {
  let state = rewind(start, now);
  const events: FocusEvent[] = [];
  const records: SessionRecord[] = [];
  for (let steps = 0; ; steps++) {
    const step = pendingStep(config, state);
    if (step === null || step.at > now) break;
    const outcome =
      now - step.at > STALE_EVENT_GRACE_MS || steps >= MAX_EVENTS_PER_ADVANCE - 1
        ? collapse(config, state, step, now)
        : applyStep(config, state, step);
    state = outcome.state;
    events.push(...outcome.events);
    records.push(...outcome.records);
  }
  return { state: { ...state, updatedAt: now }, events, records };
}

function transition(config: FocusConfig, outcome: Outcome): FocusTransition {
  return {
    state: outcome.state,
    events: outcome.events,
    records: outcome.records,
    nextEventAt: pendingStep(config, outcome.state)?.at ?? null,
  };
}

/** Runs an action between two settles, so due events are processed before and after it. */
function act(
  config: FocusConfig,
  state: FocusState,
  now: number,
  action: (settled: FocusState, records: SessionRecord[]) => Result<FocusState>,
): Result<FocusTransition> {
  const before = settle(config, state, now);
  const records = [...before.records];
  const acted = action(before.state, records);
  if (!acted.ok) return acted;
  const after = settle(config, { ...acted.value, updatedAt: now }, now);
  return ok(
    transition(config, {
      state: after.state,
      events: [...before.events, ...after.events],
      records: [...records, ...after.records],
    }),
  );
}

/** The state of a timer that has never been started. */
export function initialFocusState(now: number): FocusState {
  return idleFrom({ completedFocusBlocks: 0, postponesUsed: 0, updatedAt: now }, now, null);
}

/**
 * Processes everything due up to `now`: events within {@link STALE_EVENT_GRACE_MS} are returned
 * with their exact due times; older ones collapse into one coherent state (at most one event).
 */
export function advance(config: FocusConfig, state: FocusState, now: number): FocusTransition {
  return transition(config, settle(config, state, now));
}

/**
 * Starts a focus block (or, with auto-start off, the phase the timer waits for). Outside working
 * hours the timer waits for them to begin. A paused timer resumes.
 */
export function start(
  config: FocusConfig,
  state: FocusState,
  now: number,
): Result<FocusTransition> {
  return act(config, state, now, (s) => {
    switch (s.phase) {
      case 'idle': {
        const waitingFor = s.waitingFor ?? 'focus';
        const due = breakAfter(config, s.completedFocusBlocks);
        const counters =
          waitingFor === 'focus' ? countRest(config, s, due, now - s.since).counters : s;
        const next =
          waitingFor === 'focus'
            ? focusFrom(config, counters, now)
            : breakFrom(config, counters, waitingFor, now);
        return ok(land(config, next, now));
      }
      case 'paused':
        return ok(resumeFrom(config, s, now).state);
      case 'outsideWorkingHours':
        return ok({ ...s, armed: true });
      default:
        return fail('already-running', 'The timer is already running.');
    }
  });
}

function pauseRunning(
  s: FocusState,
  now: number,
  records: SessionRecord[],
  until: number | null,
  reason: PauseReason,
  pausedAt = now,
): Result<FocusState> {
  if (s.phase === 'paused' && reason !== 'idle')
    return ok({ ...s, until, reason: s.reason === 'idle' ? 'idle' : reason });
  if (s.phase !== 'focus' && s.phase !== 'shortBreak' && s.phase !== 'longBreak') {
    return fail('not-running', 'There is no running timer to pause.');
  }
  record(records, s.phase, s.startedAt, pausedAt, 'interrupted');
  const resumes: PausedSnapshot = {
    phase: s.phase,
    remainingMs: Math.max(0, s.endsAt - pausedAt),
    extension: s.phase === 'focus' && s.extension,
    skipNextBreak: s.phase === 'focus' && s.skipNextBreak,
  };
  return ok({ ...countersOf(s, now), phase: 'paused', pausedAt, until, reason, resumes });
}

/** Pauses a running focus block or break until {@link resume} is called. */
export function pause(
  config: FocusConfig,
  state: FocusState,
  now: number,
): Result<FocusTransition> {
  return act(config, state, now, (s, records) => pauseRunning(s, now, records, null, 'manual'));
}

/**
 * Pauses for a duration in ms (30 min, 1 h, 2 h…) or until the next working day begins. A timed
 * pause resumes the remaining time; "until tomorrow" starts a fresh cycle. Calling it while paused
 * changes when the pause ends.
 */
export function pauseFor(
  config: FocusConfig,
  state: FocusState,
  duration: PauseDuration,
  now: number,
): Result<FocusTransition> {
  if (duration !== 'until-tomorrow' && !(Number.isFinite(duration) && duration > 0)) {
    return fail('invalid-argument', 'A pause must last more than 0 minutes.');
  }
  const until = duration === 'until-tomorrow' ? startOfNextWorkingDay(config, now) : now + duration;
  const reason: PauseReason = duration === 'until-tomorrow' ? 'until-tomorrow' : 'manual';
  return act(config, state, now, (s, records) => pauseRunning(s, now, records, until, reason));
}

function resumeFrom(config: FocusConfig, s: PausedState, now: number): Outcome {
  if (s.reason === 'idle') return backFromIdle(config, s, now);
  const next = land(config, restore(config, countersOf(s, now), s.resumes, now), now);
  return { state: next, events: [], records: [] };
}

/** Ends a pause early, giving back the remaining time. */
export function resume(
  config: FocusConfig,
  state: FocusState,
  now: number,
): Result<FocusTransition> {
  return act(config, state, now, (s) =>
    s.phase === 'paused'
      ? ok(resumeFrom(config, s, now).state)
      : fail('not-paused', 'The timer is not paused.'),
  );
}

/**
 * Puts the coming break off by the configured postpone time, at most `maxPostpones` times per
 * break. Works during focus, while a break waits to be started, and during a break (which ends).
 */
export function postpone(
  config: FocusConfig,
  state: FocusState,
  now: number,
): Result<FocusTransition> {
  return act(config, state, now, (s, records) => {
    const d = durations(config);
    const breakDue =
      s.phase === 'focus'
        ? s.skipNextBreak
          ? null
          : upcomingBreak(config, s)
        : s.phase === 'shortBreak' || s.phase === 'longBreak'
          ? s.phase
          : s.phase === 'idle' && s.waitingFor !== null && s.waitingFor !== 'focus'
            ? s.waitingFor
            : null;
    if (breakDue === null) return fail('nothing-to-postpone', 'There is no break to postpone.');
    if (s.postponesUsed >= config.maxPostpones) {
      return fail(
        'postpone-limit',
        config.maxPostpones === 0
          ? 'Breaks cannot be postponed with your settings; take it or skip it.'
          : `This break has already been postponed ${config.maxPostpones === 1 ? 'once' : `${s.postponesUsed} times`}; take it or skip it.`,
      );
    }
    const counters = countersOf(s, now, { postponesUsed: s.postponesUsed + 1 });
    if (s.phase === 'focus') {
      record(records, breakDue, now, now, 'postponed');
      const endsAt = s.endsAt + d.postpone;
      return ok({
        ...s,
        ...counters,
        endsAt,
        noticeAt: noticeFor(config, now, endsAt),
        microBreakAt: s.microBreakAt ?? microAfter(config, now, endsAt),
      });
    }
    const startedAt = s.phase === 'shortBreak' || s.phase === 'longBreak' ? s.startedAt : now;
    record(records, breakDue, startedAt, now, 'postponed');
    return ok(
      land(
        config,
        focusFrom(config, counters, now, { remainingMs: d.postpone, extension: true }),
        now,
      ),
    );
  });
}

/**
 * Skips a break: during a break (or while one waits to be started) focus begins now; during focus
 * the coming break is skipped and the next block follows straight on. A skipped long break stays
 * due, so the next break is long again.
 */
export function skip(config: FocusConfig, state: FocusState, now: number): Result<FocusTransition> {
  return act(config, state, now, (s, records) => {
    if (s.phase === 'focus') return ok({ ...s, skipNextBreak: true, noticeAt: null });
    const skipped =
      s.phase === 'shortBreak' || s.phase === 'longBreak'
        ? { kind: s.phase, startedAt: s.startedAt }
        : s.phase === 'idle' && s.waitingFor !== null && s.waitingFor !== 'focus'
          ? { kind: s.waitingFor, startedAt: now }
          : null;
    if (skipped === null) return fail('nothing-to-skip', 'There is no break to skip.');
    record(records, skipped.kind, skipped.startedAt, now, 'skipped');
    return ok(land(config, focusFrom(config, countersOf(s, now, { postponesUsed: 0 }), now), now));
  });
}

/** Stops the timer and forgets the cycle; a running stretch is logged as interrupted. */
export function reset(config: FocusConfig, state: FocusState, now: number): FocusTransition {
  const settled = settle(config, state, now);
  const records = [...settled.records];
  const s = settled.state;
  if (s.phase === 'focus' || s.phase === 'shortBreak' || s.phase === 'longBreak') {
    record(records, s.phase, s.startedAt, now, 'interrupted');
  }
  return transition(config, { state: initialFocusState(now), events: settled.events, records });
}

/**
 * Reports that the person has been idle since `idleSinceMs` (from the system idle time). Once the
 * idle threshold is reached during focus, the block pauses as of when they left. Breaks carry on.
 */
export function reportIdle(
  config: FocusConfig,
  state: FocusState,
  idleSinceMs: number,
  now: number,
): FocusTransition {
  const settled = settle(config, state, now);
  const s = settled.state;
  if (s.phase !== 'focus' || now - idleSinceMs < durations(config).idle)
    return transition(config, settled);
  const records = [...settled.records];
  const pausedAt = Math.min(now, Math.max(idleSinceMs, s.startedAt));
  const paused = pauseRunning(s, now, records, null, 'idle', pausedAt);
  return transition(config, {
    state: paused.ok ? paused.value : s,
    events: settled.events,
    records,
  });
}

function backFromIdle(config: FocusConfig, s: PausedState, now: number): Outcome {
  const counters = countersOf(s, now);
  const snapshot = s.resumes;
  if (snapshot.phase === 'focus') {
    const due = breakAfter(config, s.completedFocusBlocks + (snapshot.extension ? 0 : 1));
    const rest = countRest(config, counters, due, now - s.pausedAt);
    if (rest.takenAs) {
      const outcome = backFromAway(config, rest.counters, now);
      return {
        ...outcome,
        records: [
          { phase: rest.takenAs, start: s.pausedAt, end: now, outcome: 'completed', away: true },
        ],
      };
    }
  }
  const next = land(config, restore(config, counters, snapshot, now), now);
  return {
    state: next,
    events: next.phase === 'outsideWorkingHours' ? [] : [pauseEnded(next, now)],
    records: [],
  };
}

/**
 * Reports that the person is active again. After an idle pause at least a break long, the break
 * counts as taken and a fresh block begins; after a shorter one the block resumes where it was.
 */
export function reportActive(config: FocusConfig, state: FocusState, now: number): FocusTransition {
  const settled = settle(config, state, now);
  const s = settled.state;
  if (s.phase !== 'paused' || s.reason !== 'idle') return transition(config, settled);
  const back = backFromIdle(config, s, now);
  const after = settle(config, back.state, now);
  return transition(config, {
    state: after.state,
    events: [...settled.events, ...back.events, ...after.events],
    records: [...settled.records, ...back.records, ...after.records],
  });
}

/** Remaining time of the running or paused phase in ms (never negative), or null when none. */
export function remainingMs(state: FocusState, now: number): number | null {
  switch (state.phase) {
    case 'focus':
    case 'shortBreak':
    case 'longBreak':
      return Math.max(0, state.endsAt - now);
    case 'paused':
      return Math.max(0, state.resumes.remainingMs);
    default:
      return null;
  }
}

/**
 * What teammates see through awareness: "in focus until 14:30", "on a break", "outside working
 * hours". Pure: it advances a copy of the state to `now` and discards the events.
 */
export function focusStatus(config: FocusConfig, state: FocusState, now: number): FocusStatus {
  const s = settle(config, state, now).state;
  switch (s.phase) {
    case 'focus':
      return { kind: 'focus', until: s.endsAt };
    case 'shortBreak':
    case 'longBreak':
      return { kind: 'break', until: s.endsAt };
    default:
      break;
  }
  if (s.phase === 'outsideWorkingHours' || !isWithinWorkingHours(config, now)) {
    const change = nextWorkingHoursChange(config, now);
    return change?.kind === 'start'
      ? { kind: 'outside-hours', until: change.at }
      : { kind: 'outside-hours' };
  }
  if (s.phase === 'paused')
    return s.until === null ? { kind: 'paused' } : { kind: 'paused', until: s.until };
  return { kind: 'idle' };
}
