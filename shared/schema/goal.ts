/**
 * Validation schemas of goal (objective) records and what they hold: key results, their
 * check-ins and milestones, and links to notes and decisions. See docs/PROTOCOL.md §1.5.
 */
import { z } from 'zod';
import { BaseRecord, Id, IsoDate, Timestamp } from './common';

export const GoalStatus = z.enum(['active', 'achieved', 'abandoned']);

/** How a key result is measured. `boolean` is yes/no (start 0, target 1). */
export const KeyResultKind = z.enum(['number', 'percentage', 'currency', 'boolean', 'milestones']);
export type KeyResultKind = z.infer<typeof KeyResultKind>;

const MemberRef = z.string().min(1).max(64);
const Finite = z.number().finite();

/** How sure the author is that the key result will be reached, 1 (not at all) to 10 (certain). */
export const Confidence = z
  .number({ error: 'Confidence must be a whole number from 1 to 10.' })
  .int('Confidence must be a whole number from 1 to 10.')
  .min(1, 'Confidence must be a whole number from 1 to 10.')
  .max(10, 'Confidence must be a whole number from 1 to 10.');

/** One check-in: immutable once written, keyed by its own random id. */
export const CheckIn = z.object({
  id: Id,
  value: Finite,
  confidence: Confidence,
  comment: z.string().max(2_000),
  authorId: MemberRef,
  at: Timestamp,
  /** The author's device signature (docs/PROTOCOL.md §8); absent on check-ins of earlier versions. */
  sig: z.unknown().optional(),
});
export type CheckIn = z.infer<typeof CheckIn>;

export const Milestone = z.object({
  id: Id,
  title: z.string().min(1).max(200),
  done: z.boolean(),
  order: Finite,
});
export type Milestone = z.infer<typeof Milestone>;

export const LinkKind = z.enum(['note', 'decision']);
export type LinkKind = z.infer<typeof LinkKind>;

/** A link from an objective or key result to a note or decision. */
export const LinkRef = z.object({ kind: LinkKind, id: Id });
export type LinkRef = z.infer<typeof LinkRef>;

export const KeyResult = z.object({
  id: Id,
  title: z.string().min(1).max(200),
  kind: KeyResultKind,
  start: Finite,
  target: Finite,
  unit: z.string().max(16),
  /** Relative weight in the objective's progress; all 1 means equal weights. */
  weight: z.number().finite().positive().max(100),
  order: Finite,
  createdAt: Timestamp,
  createdBy: MemberRef,
  /** Set when the key result was deleted; it and its check-ins are kept and can be restored. */
  deletedAt: Timestamp.nullable(),
  /** Sorted by time, then id. */
  checkIns: z.array(CheckIn),
  /** Sorted by order, then id. Only used by the `milestones` kind. */
  milestones: z.array(Milestone),
  links: z.array(LinkRef),
});
export type KeyResult = z.infer<typeof KeyResult>;

/** A part of an otherwise readable goal that failed validation: kept, shown, read-only. */
export const DamagedPart = z.object({
  part: z.enum(['key result', 'check-in', 'milestone', 'link']),
  id: z.string(),
  /** The key result it belongs to, for check-ins and milestones. */
  keyResultId: z.string().nullable(),
  problems: z.array(z.string()),
  preview: z.string(),
});
export type DamagedPart = z.infer<typeof DamagedPart>;

export const Goal = BaseRecord.extend({
  kind: z.literal('goal'),
  title: z.string().max(200),
  description: z.string().max(10_000),
  ownerId: z.string().max(64).nullable(),
  periodStart: IsoDate.nullable(),
  periodEnd: IsoDate.nullable(),
  parentId: Id.nullable(),
  status: GoalStatus,
  /** Every key result, deleted ones included (see `deletedAt`), sorted by order then id. */
  keyResults: z.array(KeyResult),
  links: z.array(LinkRef),
  damagedParts: z.array(DamagedPart),
});
export type Goal = z.infer<typeof Goal>;
