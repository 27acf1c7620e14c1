/**
 * The focus part of the IPC contract: schemas for the timer state, its events and stats records as
 * they cross from the main process (or the web companion) to the renderer, and for the renderer's
 * requests. The same schemas check the focus file the main process keeps on disk.
 */
import { z } from 'zod';
import {
  FocusConfigSchema,
  type FocusEvent,
  type FocusState,
  type FocusStatus,
  type SessionRecord,
} from '../focus';

const Time = z.number().finite();
const Count = z.number().int().gte(0);
const RunningPhase = z.enum(['focus', 'shortBreak', 'longBreak']);
const BreakKind = z.enum(['shortBreak', 'longBreak']);

const counters = { completedFocusBlocks: Count, postponesUsed: Count, updatedAt: Time };

/** The engine's state (shared/focus/engine.ts FocusState), checked field by field. */
export const FocusStateSchema = z.discriminatedUnion('phase', [
  z
    .object({
      ...counters,
      phase: z.literal('idle'),
      waitingFor: RunningPhase.nullable(),
      since: Time,
    })
    .strict(),
  z
    .object({
      ...counters,
      phase: z.literal('focus'),
      startedAt: Time,
      endsAt: Time,
      noticeAt: Time.nullable(),
      microBreakAt: Time.nullable(),
      extension: z.boolean(),
      skipNextBreak: z.boolean(),
    })
    .strict(),
  z.object({ ...counters, phase: BreakKind, startedAt: Time, endsAt: Time }).strict(),
  z
    .object({
      ...counters,
      phase: z.literal('paused'),
      pausedAt: Time,
      until: Time.nullable(),
      reason: z.enum(['manual', 'idle', 'until-tomorrow']),
      resumes: z
        .object({
          phase: RunningPhase,
          remainingMs: z.number().finite().gte(0),
          extension: z.boolean(),
          skipNextBreak: z.boolean(),
        })
        .strict(),
    })
    .strict(),
  z
    .object({
      ...counters,
      phase: z.literal('outsideWorkingHours'),
      since: Time,
      armed: z.boolean(),
    })
    .strict(),
]) satisfies z.ZodType<FocusState>;

/** One entry of the stats log (shared/focus/engine.ts SessionRecord). */
export const SessionRecordSchema = z
  .object({
    phase: RunningPhase,
    start: Time,
    end: Time,
    outcome: z.enum(['completed', 'skipped', 'postponed', 'interrupted']),
    away: z.boolean().optional(),
  })
  .strict() satisfies z.ZodType<SessionRecord>;

/** A timer event (shared/focus/engine.ts FocusEvent). */
export const FocusEventSchema = z.discriminatedUnion('type', [
  z
    .object({ type: z.literal('breakNotice'), at: Time, breakKind: BreakKind, breakAt: Time })
    .strict(),
  z
    .object({
      type: z.literal('breakStart'),
      at: Time,
      breakKind: BreakKind,
      started: z.boolean(),
      endsAt: Time.nullable(),
    })
    .strict(),
  z
    .object({
      type: z.literal('breakEnd'),
      at: Time,
      started: z.boolean(),
      focusEndsAt: Time.nullable(),
      away: z.boolean(),
    })
    .strict(),
  z.object({ type: z.literal('microBreak'), at: Time, durationMs: Time }).strict(),
  z
    .object({
      type: z.literal('pauseEnded'),
      at: Time,
      resumed: RunningPhase.nullable(),
      endsAt: Time.nullable(),
    })
    .strict(),
  z
    .object({ type: z.literal('workingHoursStarted'), at: Time, focusEndsAt: Time.nullable() })
    .strict(),
  z
    .object({ type: z.literal('workingHoursEnded'), at: Time, nextStartAt: Time.nullable() })
    .strict(),
]) satisfies z.ZodType<FocusEvent>;

export const FocusStatusSchema = z
  .object({
    kind: z.enum(['focus', 'break', 'paused', 'idle', 'outside-hours']),
    until: Time.optional(),
  })
  .strict() satisfies z.ZodType<FocusStatus>;

/** How reminders reach the person; not part of the engine's config. */
export const FocusPreferencesSchema = z
  .object({
    /** Play the system's notification sound with each reminder. */
    sound: z.boolean({ error: 'Sound must be on or off.' }),
    /** Cover the app window (and on the desktop every display) during a break. */
    breakScreen: z.boolean({ error: 'The break screen must be on or off.' }).default(true),
  })
  .strict();
export type FocusPreferences = z.infer<typeof FocusPreferencesSchema>;
export const DEFAULT_FOCUS_PREFERENCES: FocusPreferences = { sound: true, breakScreen: true };

/** Everything the renderer shows about the timer, pushed on every change. */
export const FocusSnapshotSchema = z
  .object({
    config: FocusConfigSchema,
    preferences: FocusPreferencesSchema,
    state: FocusStateSchema,
    status: FocusStatusSchema,
    /** When the service will next wake up (a reminder or a phase change), or null. */
    nextEventAt: Time.nullable(),
    /** The service's clock when the snapshot was taken, so a view can correct for skew. */
    now: Time,
    /** The most recent event, for "last reminder" in the view. */
    lastEvent: FocusEventSchema.nullable(),
    /** A problem met while loading the stored timer, in a sentence, until the person saw it. */
    problem: z.string().nullable(),
    /**
     * Which run of the service took the snapshot (a new one after a restart) and how many changes
     * it had pushed by then. A view receives action answers and pushes on different channels (in
     * web mode, a fetch and server-sent events), so an answer can arrive after a newer push; with
     * these it keeps the newer of the two.
     */
    service: z.string().min(1).max(64),
    revision: Count,
  })
  .strict();
export type FocusSnapshot = z.infer<typeof FocusSnapshotSchema>;

/** focus:changed: the new snapshot and the events that just became due (to notify about). */
export const FocusChangedSchema = z
  .object({ snapshot: FocusSnapshotSchema, events: z.array(FocusEventSchema).max(32) })
  .strict();
export type FocusChanged = z.infer<typeof FocusChangedSchema>;

const MAX_PAUSE_MS = 14 * 24 * 60 * 60_000;

/** What the person can do with the timer. */
export const FocusActionSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('start') }).strict(),
  z.object({ type: z.literal('pause') }).strict(),
  z
    .object({
      type: z.literal('pauseFor'),
      duration: z.union([
        z.literal('until-tomorrow'),
        z
          .number()
          .gt(0, 'A pause must last more than 0 minutes.')
          .lte(MAX_PAUSE_MS, 'A pause can last at most 14 days.'),
      ]),
    })
    .strict(),
  z.object({ type: z.literal('resume') }).strict(),
  z.object({ type: z.literal('postpone') }).strict(),
  z.object({ type: z.literal('skip') }).strict(),
  z.object({ type: z.literal('reset') }).strict(),
  /** Marks the loading problem as seen. */
  z.object({ type: z.literal('dismissProblem') }).strict(),
]);
export type FocusAction = z.infer<typeof FocusActionSchema>;

/**
 * A settings change. `config` fields are merged over the current config and checked by
 * shared/focus parseFocusConfig, whose per-field messages come back in `fieldErrors`.
 */
export const FocusConfigUpdateSchema = z
  .object({
    config: z.record(z.string(), z.unknown()).optional(),
    preferences: FocusPreferencesSchema.partial().optional(),
  })
  .strict();
export type FocusConfigUpdate = z.infer<typeof FocusConfigUpdateSchema>;

export const FocusConfigUpdateResultSchema = z.discriminatedUnion('saved', [
  z.object({ saved: z.literal(true), snapshot: FocusSnapshotSchema }).strict(),
  z
    .object({
      saved: z.literal(false),
      message: z.string(),
      fieldErrors: z.record(z.string(), z.string()),
    })
    .strict(),
]);
export type FocusConfigUpdateResult = z.infer<typeof FocusConfigUpdateResultSchema>;

/** The most records one focus:stats answer carries (about two busy months). */
export const MAX_STATS_RECORDS = 5_000;

export const FocusStatsQuerySchema = z
  .object({
    /** Records that end at or after this time (epoch ms). */
    since: Time,
  })
  .strict();

export const FocusStatsSchema = z
  .object({
    records: z.array(SessionRecordSchema).max(MAX_STATS_RECORDS),
    /** True when older records in the range were left out to keep the answer small. */
    truncated: z.boolean(),
  })
  .strict();
export type FocusStats = z.infer<typeof FocusStatsSchema>;
