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
 * Working hours (see ./workingHours) govern what the timer does by itself, never what the person
 * asks for: a cycle running at the end of working hours stops and waits in `outsideWorkingHours`
 * (auto-start then begins a fresh cycle when they start again), but a person who starts, resumes,
 * postpones or skips outside working hours gets exactly that — someone who changes time zones
 * every few weeks must never be told they may not focus now. The page says once that the block
 * started outside working hours.
 *
 * This module holds the actions a person or the system takes (start, pause, skip, idle…). The
 * states and events are declared in ./state, the cycle's building blocks are in ./phases, and
 * time passing (due steps, stale-step collapse, `settle`) is in ./steps.
 */
import { fail, ok, type Result } from '../result';
import type { FocusConfig } from './config';
import {
  backFromAway,
  breakAfter,
  breakFrom,
  countersOf,
  countRest,
  durations,
  focusFrom,
  idleFrom,
  land,
  microAfter,
  noticeFor,
  pauseEnded,
  record,
  restore,
  upcomingBreak,
  type Outcome,
} from './phases';
import type {
  FocusState,
  FocusStatus,
  FocusTransition,
  PausedSnapshot,
  PausedState,
  PauseDuration,
  PauseReason,
  SessionRecord,
} from './state';
import { act, settle, transition } from './steps';
import {
  isWithinWorkingHours,
  nextWorkingHoursChange,
  startOfNextWorkingDay,
} from './workingHours';

const STRICT_MESSAGE =
  'Strict breaks are on: breaks cannot be postponed or skipped. Turn strict breaks off in the timer settings.';

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
 * Starts a focus block (or, with auto-start off, the phase the timer waits for), at any hour: a
 * person can always start focus. A paused timer resumes.
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
        return ok(
          waitingFor === 'focus'
            ? focusFrom(config, counters, now)
            : breakFrom(config, counters, waitingFor, now),
        );
      }
      case 'paused':
        return ok(resumeFrom(config, s, now).state);
      case 'outsideWorkingHours': {
        // Time spent outside working hours is rest: a long enough stretch starts a fresh cycle.
        const due = breakAfter(config, s.completedFocusBlocks);
        return ok(focusFrom(config, countRest(config, s, due, now - s.since).counters, now));
      }
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
  // The person resumes: the phase goes on whatever the hour.
  return { state: restore(config, countersOf(s, now), s.resumes, now), events: [], records: [] };
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
    if (config.strictBreaks) return fail('strict-breaks', STRICT_MESSAGE);
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
    return ok(focusFrom(config, counters, now, { remainingMs: d.postpone, extension: true }));
  });
}

/**
 * Skips a break: during a break (or while one waits to be started) focus begins now; during focus
 * the coming break is skipped and the next block follows straight on. A skipped long break stays
 * due, so the next break is long again.
 */
export function skip(config: FocusConfig, state: FocusState, now: number): Result<FocusTransition> {
  return act(config, state, now, (s, records) => {
    const breakAhead =
      s.phase === 'focus' ||
      s.phase === 'shortBreak' ||
      s.phase === 'longBreak' ||
      (s.phase === 'idle' && s.waitingFor !== null && s.waitingFor !== 'focus');
    if (breakAhead && config.strictBreaks) return fail('strict-breaks', STRICT_MESSAGE);
    if (s.phase === 'focus') return ok({ ...s, skipNextBreak: true, noticeAt: null });
    const skipped =
      s.phase === 'shortBreak' || s.phase === 'longBreak'
        ? { kind: s.phase, startedAt: s.startedAt }
        : s.phase === 'idle' && s.waitingFor !== null && s.waitingFor !== 'focus'
          ? { kind: s.waitingFor, startedAt: now }
          : null;
    if (skipped === null) return fail('nothing-to-skip', 'There is no break to skip.');
    record(records, skipped.kind, skipped.startedAt, now, 'skipped');
    return ok(focusFrom(config, countersOf(s, now, { postponesUsed: 0 }), now));
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
