/**
 * What a caller may ask of a decision: the input schemas for creating and patching one. Each field
 * is checked here for shape; decisionsLifecycle.ts checks it against the record.
 */
import { z } from 'zod';
import {
  DecisionLink,
  DecisionRole,
  DecisionStatus,
  Id,
  IsoDate,
  PollType,
  Tag,
  Timestamp,
  Title,
} from '../schema/records';
import { oneLine } from '../core/text';

const Text = (max: number, what: string) =>
  z.string().max(max, `${what} is longer than ${max.toLocaleString('en')} characters.`);
const OptionTitle = z
  .string()
  .transform(oneLine)
  .pipe(z.string().min(1, 'An option needs a name.').max(200, 'Option name is too long.'));

export const DecisionCreateInput = z.object({ title: Title }).strict();
export const DecisionPatchInput = z
  .object({
    title: Title,
    status: DecisionStatus,
    /** With `status: 'superseded'`: the decision that replaces this one. */
    supersededBy: Id,
    proposal: Text(20_000, 'The proposal'),
    proposedOptionId: Id.nullable(),
    drivers: Text(10_000, 'The drivers'),
    outcome: Text(20_000, 'The outcome'),
    closesAt: Timestamp.nullable(),
    reviewOn: IsoDate.nullable(),
    /** Only while a draft that nobody has voted on (see decisionsLifecycle.ts). */
    pollType: PollType,
    addOption: z
      .object({
        id: Id.optional(),
        title: OptionTitle,
        pros: Text(10_000, 'Pros').optional(),
        cons: Text(10_000, 'Cons').optional(),
      })
      .strict(),
    updateOption: z
      .object({
        id: Id,
        title: OptionTitle.optional(),
        pros: Text(10_000, 'Pros').optional(),
        cons: Text(10_000, 'Cons').optional(),
      })
      .strict(),
    removeOption: Id,
    /** Member id → role, or null to take the person off the decision. */
    people: z.record(z.string().min(1).max(64), DecisionRole.nullable()),
    addTags: z.array(Tag).max(100),
    removeTags: z.array(Tag).max(100),
    addLinks: z.array(DecisionLink).max(100),
    removeLinks: z.array(DecisionLink).max(100),
  })
  .partial()
  .strict();
export type DecisionPatch = z.input<typeof DecisionPatchInput>;
