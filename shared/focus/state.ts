/**
 * The focus timer's state and what it reports: the phases, the events the person may be told
 * about, the session records of the stats log, and the transition every engine function returns.
 * Types only, plus the two limits the engine keeps; the engine itself is ./engine.
 */
/** An event due more than this long ago is stale: it is collapsed, never notified late. */
export const STALE_EVENT_GRACE_MS = 60_000;
/** Upper bound on the events one call to {@link advance} (or an action) can return. */
export const MAX_EVENTS_PER_ADVANCE = 6;

export type BreakKind = 'shortBreak' | 'longBreak';
export type RunningPhase = 'focus' | BreakKind;
export type FocusPhase = 'idle' | RunningPhase | 'paused' | 'outsideWorkingHours';
export type PauseReason = 'manual' | 'idle' | 'until-tomorrow';

/** What every state carries through the cycle. */
export interface Counters {
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
