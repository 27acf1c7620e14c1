/** Validation schema of decision records. */
import { z } from 'zod';
import { BaseRecord } from './common';

export const DecisionStatus = z.enum(['draft', 'proposed', 'accepted', 'rejected', 'superseded']);

export const Decision = BaseRecord.extend({
  kind: z.literal('decision'),
  title: z.string().max(200),
  status: DecisionStatus,
});
export type Decision = z.infer<typeof Decision>;
