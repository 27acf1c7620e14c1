/** Field schemas shared by every record kind. */
import { z } from 'zod';
import { ID_PATTERN } from '../core/ids';
import { oneLine } from '../core/text';

export const Id = z.string().regex(ID_PATTERN, 'must be an id of 8–64 URL-safe characters');
export const Timestamp = z.number().int().nonnegative().finite();
export const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date like 2026-01-31');

export const Title = z
  .string()
  .transform(oneLine)
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
