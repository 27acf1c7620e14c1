/**
 * Validation schemas for everything read out of a workspace document. A peer may be buggy or
 * hostile, so every record is checked on the way out; see docs/PROTOCOL.md for the layout.
 */
import { z } from 'zod';
import { ID_PATTERN } from '../model/ids';

export const Id = z.string().regex(ID_PATTERN, 'must be an id of 8–64 URL-safe characters');
const Timestamp = z.number().int().nonnegative().finite();
const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date like 2026-01-31');

export const Title = z
  .string()
  .transform((value) => value.replace(/\s+/g, ' ').trim())
  .pipe(
    z.string().min(1, 'Title cannot be empty.').max(200, 'Title is longer than 200 characters.'),
  );

/** Fields every record carries. */
export const BaseRecord = z.object({
  id: Id,
  createdAt: Timestamp,
  createdBy: z.string().min(1).max(64),
  updatedAt: Timestamp,
  updatedBy: z.string().min(1).max(64),
  archived: z.boolean(),
  /** Set when the record is in the trash; null while it is live. */
  deletedAt: Timestamp.nullable(),
});

export const Tag = z
  .string()
  .transform((value) => value.trim().toLowerCase())
  .pipe(
    z
      .string()
      .min(1)
      .max(40)
      .regex(/^[^\s,#]+$/, 'Tags cannot contain spaces, commas or #.'),
  );

export const Note = BaseRecord.extend({
  kind: z.literal('note'),
  title: z.string().max(200),
  pinned: z.boolean(),
  tags: z.array(z.string().max(40)).max(100),
});
export type Note = z.infer<typeof Note>;

export const GoalStatus = z.enum(['active', 'achieved', 'abandoned']);

export const Goal = BaseRecord.extend({
  kind: z.literal('goal'),
  title: z.string().max(200),
  description: z.string().max(10_000),
  ownerId: z.string().max(64).nullable(),
  periodStart: IsoDate.nullable(),
  periodEnd: IsoDate.nullable(),
  parentId: Id.nullable(),
  status: GoalStatus,
});
export type Goal = z.infer<typeof Goal>;

export const DecisionStatus = z.enum(['draft', 'proposed', 'accepted', 'rejected', 'superseded']);

export const Decision = BaseRecord.extend({
  kind: z.literal('decision'),
  title: z.string().max(200),
  status: DecisionStatus,
});
export type Decision = z.infer<typeof Decision>;

export const Member = z.object({
  id: z.string().min(1).max(64),
  name: z.string().min(1).max(60),
  color: z.string().regex(/^#[0-9a-fA-F]{6}$/),
  timeZone: z.string().min(1).max(64),
  updatedAt: Timestamp,
});
export type Member = z.infer<typeof Member>;

export type RecordKind = 'note' | 'goal' | 'decision';

/** A record that failed validation: kept, reported, shown as damaged, never dropped. */
export interface DamagedRecord {
  readonly kind: RecordKind | 'member';
  readonly id: string;
  readonly problems: readonly string[];
  /** A short JSON preview of what is stored, for the person and for bug reports. */
  readonly preview: string;
}

export type RecordRead<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly damaged: DamagedRecord };
