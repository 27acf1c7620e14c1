/** Decision records. The full lifecycle, votes and outcomes build on these fields. */
import { z } from 'zod';
import { defineCollection } from './collection';
import { ROOT } from './roots';
import { Decision, DecisionStatus, Title } from '../schema/records';

export const DecisionCreateInput = z.object({ title: Title }).strict();
export const DecisionPatchInput = z
  .object({ title: Title, status: DecisionStatus })
  .partial()
  .strict();

export const decisions = defineCollection({
  kind: 'decision',
  root: ROOT.decisions,
  schema: Decision,
  createInput: DecisionCreateInput,
  patchInput: DecisionPatchInput,
  init(record, input) {
    record.set('title', input.title);
    record.set('status', 'draft');
  },
  apply(record, patch) {
    if (patch.title !== undefined) record.set('title', patch.title);
    if (patch.status !== undefined) record.set('status', patch.status);
  },
  read(record) {
    return { title: record.get('title'), status: record.get('status') };
  },
});
