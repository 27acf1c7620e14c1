/**
 * Validation schemas for everything read out of a workspace document. A peer may be buggy or
 * hostile, so every record is checked on the way out; see docs/PROTOCOL.md for the layout.
 */
import { z } from 'zod';
import { BaseRecord, Timestamp } from './common';

export * from './common';

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

export const Member = z.object({
  id: z.string().min(1).max(64),
  name: z.string().min(1).max(60),
  color: z.string().regex(/^#[0-9a-fA-F]{6}$/),
  timeZone: z.string().min(1).max(64),
  updatedAt: Timestamp,
  /** The signature of a device of this member over the profile (docs/PROTOCOL.md §8). */
  sig: z.unknown().optional(),
});
export type Member = z.infer<typeof Member>;

export type RecordKind = 'note' | 'goal' | 'decision';

export * from './goal';
export * from './decision';

/** A record that failed validation: kept, reported, shown as damaged, never dropped. */
export interface DamagedRecord {
  readonly kind: RecordKind | 'member';
  readonly id: string;
  readonly problems: readonly string[];
  /** A short JSON preview of what is stored, for the person and for bug reports. */
  readonly preview: string;
  /** The stored title when it is still readable text, so the person can tell which record it is. */
  readonly title?: string;
}

export type RecordRead<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly damaged: DamagedRecord };
