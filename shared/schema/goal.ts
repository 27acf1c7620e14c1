/** Validation schema of goal (objective) records. */
import { z } from 'zod';
import { BaseRecord, Id, IsoDate } from './common';

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
