/**
 * The rules a decision patch must pass before it is written (docs/PROTOCOL.md, "Lifecycle"): which
 * status changes are allowed, what accepting and superseding need, which records are history and
 * read-only, and when the poll type may change. Kept apart from decisions.ts, which reads and writes.
 */
import * as Y from 'yjs';
import type { z } from 'zod';
import type { WriteContext } from './collection';
import { ROOT } from './roots';
import type { DecisionStatus } from '../schema/records';
import type { DecisionPatchInput } from './decisionsInput';

/** Keys of a decision record's nested types (see docs/PROTOCOL.md, section 1.6). */
export const DECISION_KEYS = {
  context: 'context',
  options: 'options',
  people: 'people',
  tags: 'tags',
  links: 'links',
  votes: 'votes',
  ballots: 'ballots',
  history: 'history',
} as const;

/** Which statuses a decision may move to from each status. */
export const STATUS_TRANSITIONS: Readonly<Record<DecisionStatus, readonly DecisionStatus[]>> = {
  draft: ['proposed'],
  proposed: ['draft', 'accepted', 'rejected'],
  accepted: ['proposed', 'superseded'],
  rejected: ['proposed', 'superseded'],
  superseded: ['accepted'],
};

/**
 * Statuses whose record is history: its content is kept as it was decided and cannot be edited
 * (a rejected one can be reopened first; a superseded one only moved back to accepted).
 */
export const READ_ONLY_STATUSES: readonly DecisionStatus[] = ['rejected', 'superseded'];

const STATUS_WORDS: Record<DecisionStatus, string> = {
  draft: 'a draft',
  proposed: 'proposed',
  accepted: 'accepted',
  rejected: 'rejected',
  superseded: 'superseded',
};

function rootMap(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap<unknown>(ROOT.decisions);
}

/**
 * True when making `id` superseded by `replacement` would close a loop (the replacement is, or is
 * replaced by, `id`). Walks with a visited set so a cycle merged in from two replicas cannot hang.
 */
export function supersedeMakesCycle(doc: Y.Doc, id: string, replacement: string): boolean {
  const root = rootMap(doc);
  const seen = new Set<string>();
  let current: string | null = replacement;
  while (current !== null && !seen.has(current)) {
    if (current === id) return true;
    seen.add(current);
    const record = root.get(current);
    const next = record instanceof Y.Map ? record.get('supersededBy') : null;
    current = typeof next === 'string' ? next : null;
  }
  return false;
}

type Patch = z.output<typeof DecisionPatchInput>;

/** Patch keys that only move a decision through its lifecycle (allowed on read-only records). */
const LIFECYCLE_KEYS = new Set<string>(['status', 'supersededBy']);

function lengthOf(value: unknown): number {
  return value instanceof Y.Array ? value.length : 0;
}

function readOnlyProblem(current: DecisionStatus, patch: Patch): string | null {
  if (!READ_ONLY_STATUSES.includes(current)) return null;
  // A change of status on its own is allowed; so is one carrying what the new status needs.
  const moving = patch.status !== undefined && patch.status !== current;
  const keys = Object.keys(patch).filter((key) => !LIFECYCLE_KEYS.has(key));
  if (keys.length === 0 || (moving && patch.status === 'proposed')) return null;
  return current === 'rejected'
    ? 'This decision was rejected and is kept as it was decided. Reopen it (Status → Proposed) to change it.'
    : 'This decision was superseded and is kept as history; it cannot be changed.';
}

/** Why `patch` cannot be applied to decision `id`, or null when it can. */
export function checkDecisionPatch(
  doc: Y.Doc,
  id: string,
  patch: Patch,
  ctx: WriteContext,
): string | null {
  const record = rootMap(doc).get(id);
  if (!(record instanceof Y.Map)) return null;
  const current = record.get('status') as DecisionStatus;
  const status = patch.status ?? current;
  const readOnly = readOnlyProblem(current, patch);
  if (readOnly) return readOnly;
  if (patch.status !== undefined && patch.status !== current) {
    if (!STATUS_TRANSITIONS[current].includes(patch.status))
      return `A decision that is ${STATUS_WORDS[current]} cannot become ${STATUS_WORDS[patch.status]}.`;
  }
  // Moving back from superseded restores what was accepted then, so it asks for nothing new.
  if (patch.status === 'accepted' && current !== 'accepted' && current !== 'superseded') {
    const outcome = patch.outcome ?? record.get('outcome');
    if (typeof outcome !== 'string' || outcome.trim() === '')
      return 'Write the outcome first: what was decided, and why.';
  }
  if (patch.supersededBy !== undefined && status !== 'superseded')
    return 'Only a superseded decision names the decision that replaces it.';
  if (patch.status === 'superseded' && current !== 'superseded') {
    if (!patch.supersededBy) return 'Pick the decision that replaces this one.';
  }
  if (patch.supersededBy !== undefined) {
    if (patch.supersededBy === id) return 'A decision cannot supersede itself.';
    const target = rootMap(doc).get(patch.supersededBy);
    if (!(target instanceof Y.Map)) return 'The replacing decision does not exist.';
    if (target.get('deletedAt') !== null && target.get('deletedAt') !== undefined)
      return 'The replacing decision is in the trash.';
    if (supersedeMakesCycle(doc, id, patch.supersededBy))
      return 'That would make a loop: the replacing decision is already superseded by this one, directly or through others.';
  }
  if (patch.pollType !== undefined && patch.pollType !== (record.get('pollType') ?? 'consent')) {
    if (status !== 'draft')
      return 'The poll type can change only while the decision is a draft (Status → Draft).';
    if (lengthOf(record.get(DECISION_KEYS.votes)) + lengthOf(record.get(DECISION_KEYS.ballots)) > 0)
      return 'People have already voted in this poll; its type can no longer change.';
  }
  if (patch.closesAt !== undefined && patch.closesAt !== null) {
    if (status !== 'draft' && status !== 'proposed')
      return 'Voting is over for this decision; its closing date cannot change.';
    if (patch.closesAt <= ctx.now())
      return 'The closing date is in the past. Pick a time after now.';
  }
  const options = record.get(DECISION_KEYS.options);
  const hasOption = (optionId: string) =>
    (options instanceof Y.Map && options.has(optionId)) || patch.addOption?.id === optionId;
  if (patch.proposedOptionId && !hasOption(patch.proposedOptionId))
    return 'The proposed option does not exist (it may have been removed on another device).';
  if (patch.updateOption && !hasOption(patch.updateOption.id))
    return 'That option no longer exists. It may have been removed on another device.';
  for (const link of patch.addLinks ?? []) {
    const [kind, target] = link.split(':') as [string, string];
    const rootName = kind === 'note' ? ROOT.notes : ROOT.goals;
    const targetId = kind === 'keyResult' ? target.split('/')[0]! : target;
    if (!doc.getMap<unknown>(rootName).has(targetId))
      return `The linked ${kind === 'note' ? 'note' : 'goal'} does not exist.`;
  }
  return null;
}
