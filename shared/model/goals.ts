/**
 * Goal (objective) records, aligned in a tree by `parentId`. Key results, check-ins and links
 * live inside the record (see goalsLayout.ts) and are written by goalsKeyResults.ts.
 */
import * as Y from 'yjs';
import { z } from 'zod';
import { defineCollection } from './collection';
import { ROOT } from './roots';
import { readGoalParts } from './goalsLayout';
import { Goal, GoalStatus, Id, Title } from '../schema/records';

const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Dates look like 2026-01-31.');

const GoalFields = z.object({
  title: Title,
  description: z.string().max(10_000, 'Description is longer than 10,000 characters.'),
  ownerId: z.string().min(1).max(64).nullable(),
  periodStart: IsoDate.nullable(),
  periodEnd: IsoDate.nullable(),
  parentId: Id.nullable(),
  status: GoalStatus,
});

function periodProblem(
  start: string | null | undefined,
  end: string | null | undefined,
): string | null {
  if (start && end && end < start) return 'The period ends before it starts.';
  return null;
}

export const GoalCreateInput = GoalFields.partial()
  .required({ title: true })
  .strict()
  .superRefine((value, ctx) => {
    const problem = periodProblem(value.periodStart, value.periodEnd);
    if (problem) ctx.addIssue({ code: 'custom', message: problem, path: ['periodEnd'] });
  });
export const GoalPatchInput = GoalFields.partial().strict();

/** Walks up from `parentId`; true when the chain reaches `id` (the change would make a cycle). */
function createsCycle(doc: Y.Doc, id: string, parentId: string): boolean {
  const root = doc.getMap<unknown>(ROOT.goals);
  const seen = new Set<string>();
  let current: string | null = parentId;
  while (current !== null) {
    if (current === id) return true;
    if (seen.has(current)) return false;
    seen.add(current);
    const record = root.get(current);
    const next = record instanceof Y.Map ? record.get('parentId') : null;
    current = typeof next === 'string' ? next : null;
  }
  return false;
}

export const goals = defineCollection({
  kind: 'goal',
  root: ROOT.goals,
  schema: Goal,
  createInput: GoalCreateInput,
  patchInput: GoalPatchInput,
  init(record, input) {
    record.set('title', input.title);
    record.set('description', input.description ?? '');
    record.set('ownerId', input.ownerId ?? null);
    record.set('periodStart', input.periodStart ?? null);
    record.set('periodEnd', input.periodEnd ?? null);
    record.set('parentId', input.parentId ?? null);
    record.set('status', input.status ?? 'active');
  },
  apply(record, patch) {
    for (const [key, value] of Object.entries(patch)) {
      if (value !== undefined) record.set(key, value);
    }
  },
  read(record) {
    return {
      title: record.get('title'),
      description: record.get('description'),
      ownerId: record.get('ownerId'),
      periodStart: record.get('periodStart'),
      periodEnd: record.get('periodEnd'),
      parentId: record.get('parentId'),
      status: record.get('status'),
      ...readGoalParts(record),
    };
  },
  check(doc, id, patch) {
    if (patch.parentId) {
      if (!doc.getMap<unknown>(ROOT.goals).has(patch.parentId))
        return 'The parent goal does not exist.';
      if (createsCycle(doc, id, patch.parentId))
        return 'A goal cannot be aligned under itself or one of its own sub-goals.';
    }
    const current = doc.getMap<unknown>(ROOT.goals).get(id);
    if (current instanceof Y.Map) {
      const start =
        patch.periodStart !== undefined
          ? patch.periodStart
          : (current.get('periodStart') as string | null);
      const end =
        patch.periodEnd !== undefined
          ? patch.periodEnd
          : (current.get('periodEnd') as string | null);
      return periodProblem(start, end);
    }
    return null;
  },
});
