/**
 * Time passing in the focus engine: the next step due in a state, applying one step at its own
 * time, collapsing stale steps into one coherent state after a clock jump or sleep, and `settle`,
 * which brings a state up to `now`. See ./engine for the rules the whole follows.
 */
import { ok, type Result } from '../result';
import type { FocusConfig } from './config';
import {
  afterBreak,
  backFromAway,
  breakAfter,
  breakEnd,
  breakFrom,
  countersOf,
  countRest,
  durations,
  focusFrom,
  hoursEndFor,
  idleFrom,
  land,
  microAfter,
  outsideFrom,
  pauseEnded,
  record,
  restore,
  upcomingBlocks,
  upcomingBreak,
  type Outcome,
  type Step,
  type StepKind,
} from './phases';
import {
  MAX_EVENTS_PER_ADVANCE,
  STALE_EVENT_GRACE_MS,
  type BreakRunState,
  type FocusEvent,
  type FocusRunState,
  type FocusState,
  type FocusTransition,
  type SessionRecord,
} from './state';
import { isWithinWorkingHours, nextWorkingHoursChange } from './workingHours';

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
  // A phase the person started outside working hours is not stopped by them (see ./engine).
  const stopsForHours = !inHours && hoursEnd !== null;
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
      if (stopsForHours || rest.takenAs) {
        record(records, 'focus', state.startedAt, t, completed ? 'completed' : 'interrupted');
        if (stopsForHours) {
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
      if (stopsForHours) {
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
  // A running phase moves whole, so its length and remaining time stay as they were.
  const moved = <S extends FocusRunState | BreakRunState>(run: S): S => ({
    ...run,
    updatedAt: now,
    startedAt: run.startedAt + delta,
    endsAt: run.endsAt + delta,
  });
  switch (state.phase) {
    case 'focus':
      return {
        ...moved(state),
        noticeAt: shift(state.noticeAt),
        microBreakAt: shift(state.microBreakAt),
      };
    case 'shortBreak':
    case 'longBreak':
      return moved(state);
    case 'paused':
      return { ...state, updatedAt: now, pausedAt: Math.min(state.pausedAt, now) };
    case 'idle':
    case 'outsideWorkingHours':
      return { ...state, updatedAt: now, since: Math.min(state.since, now) };
  }
}

export function settle(config: FocusConfig, start: FocusState, now: number): Outcome {
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

export function transition(config: FocusConfig, outcome: Outcome): FocusTransition {
  return {
    state: outcome.state,
    events: outcome.events,
    records: outcome.records,
    nextEventAt: pendingStep(config, outcome.state)?.at ?? null,
  };
}

/** Runs an action between two settles, so due events are processed before and after it. */
export function act(
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
