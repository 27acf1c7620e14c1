/**
 * The focus cycle's building blocks: the lengths the settings give, the states a phase starts in,
 * when notices and micro-breaks fall, how time away counts as rest, and the events that announce
 * a phase. Pure helpers shared by the step machinery (./steps) and the actions (./engine).
 */
import type { FocusConfig } from './config';
import type {
  BreakKind,
  BreakRunState,
  Counters,
  FocusEvent,
  FocusRunState,
  FocusState,
  IdleState,
  OutsideHoursState,
  PausedSnapshot,
  RunningPhase,
  SessionOutcome,
  SessionRecord,
} from './state';
import { isWithinWorkingHours, nextWorkingHoursChange } from './workingHours';

export interface Outcome {
  readonly state: FocusState;
  readonly events: FocusEvent[];
  readonly records: SessionRecord[];
}

export type StepKind = 'hoursEnd' | 'phaseEnd' | 'notice' | 'micro' | 'pauseEnd' | 'hoursStart';
export interface Step {
  readonly at: number;
  readonly kind: StepKind;
}

const MINUTE_MS = 60_000;

export function durations(config: FocusConfig) {
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
export function breakAfter(config: FocusConfig, completedBlocks: number): BreakKind {
  return completedBlocks >= config.longBreakEvery ? 'longBreak' : 'shortBreak';
}

export function upcomingBreak(config: FocusConfig, state: FocusRunState): BreakKind {
  return breakAfter(config, state.completedFocusBlocks + (state.extension ? 0 : 1));
}

export function countersOf(
  state: Counters,
  updatedAt: number,
  patch: Partial<Counters> = {},
): Counters {
  return {
    completedFocusBlocks: state.completedFocusBlocks,
    postponesUsed: state.postponesUsed,
    updatedAt,
    ...patch,
  };
}

export function record(
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
export function microAfter(config: FocusConfig, from: number, endsAt: number): number | null {
  const d = durations(config);
  if (d.microEvery === null) return null;
  const at = from + d.microEvery;
  return at < endsAt - d.notice ? at : null;
}

export function noticeFor(config: FocusConfig, from: number, endsAt: number): number | null {
  const notice = durations(config).notice;
  return notice > 0 && endsAt - notice > from ? endsAt - notice : null;
}

export function focusFrom(
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

export function breakFrom(
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

export function idleFrom(
  counters: Counters,
  at: number,
  waitingFor: RunningPhase | null,
): IdleState {
  return { ...countersOf(counters, at), phase: 'idle', waitingFor, since: at };
}

export function outsideFrom(
  counters: Counters,
  at: number,
  since: number,
  armed: boolean,
): OutsideHoursState {
  return { ...countersOf(counters, at), phase: 'outsideWorkingHours', since, armed };
}

/** A running state at `at`, or the wait for working hours when `at` is outside them. */
export function land(config: FocusConfig, state: FocusState, at: number): FocusState {
  if (state.phase === 'idle' || isWithinWorkingHours(config, at)) return state;
  return outsideFrom(state, at, at, true);
}

export function restore(
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
export function countRest(
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

/**
 * When working hours end a running phase: the next end of working hours, or null when working
 * hours are off or it is outside them now (a phase the person started outside working hours runs;
 * the next end of working hours it meets, once they have begun, stops it as usual).
 */
export function hoursEndFor(config: FocusConfig, state: FocusState): number | null {
  if (!config.workingHours || !isWithinWorkingHours(config, state.updatedAt)) return null;
  const change = nextWorkingHoursChange(config, state.updatedAt);
  return change?.kind === 'end' ? change.at : null;
}

export function upcomingBlocks(state: FocusRunState): number {
  return state.completedFocusBlocks + (state.extension ? 0 : 1);
}

export function afterBreak(counters: Counters, kind: BreakKind): Counters {
  return {
    ...counters,
    postponesUsed: 0,
    completedFocusBlocks: kind === 'longBreak' ? 0 : counters.completedFocusBlocks,
  };
}

export function breakEnd(next: FocusState, at: number, away: boolean): FocusEvent {
  const started = next.phase === 'focus';
  return {
    type: 'breakEnd',
    at,
    started,
    focusEndsAt: next.phase === 'focus' ? next.endsAt : null,
    away,
  };
}

export function pauseEnded(next: FocusState, at: number): FocusEvent {
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
export function backFromAway(config: FocusConfig, counters: Counters, now: number): Outcome {
  const next = land(
    config,
    config.autoStartNextPhase ? focusFrom(config, counters, now) : idleFrom(counters, now, 'focus'),
    now,
  );
  const events = isWithinWorkingHours(config, now) ? [breakEnd(next, now, true)] : [];
  return { state: next, events, records: [] };
}
