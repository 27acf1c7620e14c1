/**
 * Decision records: context (rich text), options with pros and cons, the proposal, drivers,
 * people (decider / consulted / informed), tags, links to goals, key results and notes, and a
 * status lifecycle whose every change is appended to a history that merges (see
 * docs/PROTOCOL.md, "Decisions"). Votes live in decisionsVotes.ts; MADR in decisionsMadr.ts.
 */
import * as Y from 'yjs';
import { z } from 'zod';
import { defineCollection, type ModelContext } from './collection';
import { newId } from '../core/ids';
import { MODEL_ORIGIN, ROOT } from './roots';
import { readBounded, RECORD_LIMITS } from './bounded';
import { BODY_MAX_DEPTH, bodyTooDeep } from './notesBody';
import {
  Decision,
  DecisionLink,
  DecisionOption,
  DecisionRole,
  DecisionStatus,
  Id,
  IsoDate,
  StatusChange,
  Tag,
  Timestamp,
  Title,
  VoteCast,
} from '../schema/records';
import { oneLine } from '../core/text';

export const DECISION_CONTEXT_KEY = 'context';
const OPTIONS = 'options';
const PEOPLE = 'people';
const TAGS = 'tags';
const LINKS = 'links';
export const DECISION_VOTES_KEY = 'votes';
const HISTORY = 'history';

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

/** Which statuses a decision may move to from each status. */
export const STATUS_TRANSITIONS: Readonly<Record<DecisionStatus, readonly DecisionStatus[]>> = {
  draft: ['proposed'],
  proposed: ['draft', 'accepted', 'rejected'],
  accepted: ['proposed', 'superseded'],
  rejected: ['proposed', 'superseded'],
  superseded: ['accepted'],
};

const STATUS_WORDS: Record<DecisionStatus, string> = {
  draft: 'a draft',
  proposed: 'proposed',
  accepted: 'accepted',
  rejected: 'rejected',
  superseded: 'superseded',
};

/** The nested map under `key`, created when missing (records from older builds). */
function mapOf(record: Y.Map<unknown>, key: string): Y.Map<unknown> {
  const existing = record.get(key);
  if (existing instanceof Y.Map) return existing;
  const created = new Y.Map<unknown>();
  record.set(key, created);
  return created;
}

/** The nested array under `key`, created when missing (records from older builds). */
export function arrayOf(record: Y.Map<unknown>, key: string): Y.Array<unknown> {
  const existing = record.get(key);
  if (existing instanceof Y.Array) return existing;
  const created = new Y.Array<unknown>();
  record.set(key, created);
  return created;
}

const isMap = (value: unknown): boolean => value instanceof Y.Map;
const isArray = (value: unknown): boolean => value instanceof Y.Array;

function rootMap(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap<unknown>(ROOT.decisions);
}

/** Reads an entry list, keeping valid entries and describing the rest. */
function readEntries<T>(
  values: readonly unknown[],
  schema: z.ZodType<T>,
  label: string,
  problems: string[],
): T[] {
  const items: T[] = [];
  values.forEach((value, index) => {
    // Bounded: an entry is a peer's value and may be nested too deep for any recursive reader.
    const plain = readBounded(value);
    const parsed = plain.ok ? schema.safeParse(plain.value) : null;
    if (parsed?.success) items.push(parsed.data);
    else
      problems.push(
        `${label} ${index + 1} is unreadable (${plain.ok ? (parsed?.error.issues[0]?.message ?? 'invalid') : plain.problem}) and is not counted`,
      );
  });
  return items;
}

/**
 * A map entry's fields with its key as `id`, read through the bounded reader; a map that is beyond
 * its limits is left as it is, for `readEntries` to report.
 */
function withId(id: string, map: Y.Map<unknown>): unknown {
  const plain = readBounded(map);
  return plain.ok ? { ...(plain.value as object), id } : map;
}

function countOf(value: unknown): number {
  if (value instanceof Y.Array) return value.length;
  let count = 0;
  if (value instanceof Y.Map) value.forEach(() => count++);
  return count;
}

/** A nested value: missing means the default (records written before the field existed). */
function nested(
  record: Y.Map<unknown>,
  key: string,
  read: (value: Y.AbstractType<unknown>) => unknown,
  expected: (value: unknown) => boolean,
  empty: unknown,
): unknown {
  const value = record.get(key);
  if (value === undefined) return empty;
  // A collection beyond the count limit goes to validation as it is, where the bounded reader
  // refuses it before copying anything, instead of being read entry by entry.
  if (expected(value) && countOf(value) <= RECORD_LIMITS.nodes)
    return read(value as Y.AbstractType<unknown>);
  return value;
}

function readDecisionFields(record: Y.Map<unknown>): Record<string, unknown> {
  const problems: string[] = [];
  // The context is not part of the record's value, but what a peer stored there is shown with it.
  const context = record.get(DECISION_CONTEXT_KEY);
  // (Depth only: the context editor's schema is StarterKit's, wider than a note body's.)
  if (context instanceof Y.XmlFragment) {
    if (bodyTooDeep(context))
      problems.push(`Context: it is nested more than ${BODY_MAX_DEPTH} levels deep`);
  } else if (context !== undefined) problems.push('Context: it is not rich text');
  const field = (key: string, fallback: unknown) => {
    const value = record.get(key);
    return value === undefined ? fallback : value;
  };
  const options = nested(
    record,
    OPTIONS,
    (map) =>
      readEntries(
        [...(map as Y.Map<unknown>).entries()].map(([id, value]) =>
          value instanceof Y.Map ? withId(id, value) : value,
        ),
        DecisionOption,
        'Option',
        problems,
      ).sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id)),
    isMap,
    [],
  );
  const people = nested(
    record,
    PEOPLE,
    (map) =>
      readEntries(
        [...(map as Y.Map<unknown>).entries()].map(([member, role]) => ({ member, role })),
        z.object({ member: z.string().min(1).max(64), role: DecisionRole }),
        'Person',
        problems,
      ).sort((a, b) => a.member.localeCompare(b.member)),
    isMap,
    [],
  );
  // Sets (tags, links) hold `true`; one holding anything else goes to validation as it is.
  const keys = (map: Y.AbstractType<unknown>) => {
    const set = map as Y.Map<unknown>;
    for (const value of set.values()) if (value !== true) return set;
    return [...set.keys()].sort();
  };
  const votes = nested(
    record,
    DECISION_VOTES_KEY,
    (array) =>
      readEntries((array as Y.Array<unknown>).toArray(), VoteCast, 'Vote', problems).sort(
        (a, b) => a.castAt - b.castAt || a.id.localeCompare(b.id),
      ),
    isArray,
    [],
  );
  const history = nested(
    record,
    HISTORY,
    (array) =>
      readEntries(
        (array as Y.Array<unknown>).toArray(),
        StatusChange,
        'Status change',
        problems,
      ).sort((a, b) => a.at - b.at || a.id.localeCompare(b.id)),
    isArray,
    [],
  );
  return {
    title: record.get('title'),
    status: record.get('status'),
    proposal: field('proposal', ''),
    proposedOptionId: field('proposedOptionId', null),
    drivers: field('drivers', ''),
    outcome: field('outcome', ''),
    closesAt: field('closesAt', null),
    reviewOn: field('reviewOn', null),
    supersededBy: field('supersededBy', null),
    options,
    people,
    tags: nested(record, TAGS, keys, isMap, []),
    links: nested(record, LINKS, keys, isMap, []),
    votes,
    history,
    problems,
  };
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

function checkPatch(
  doc: Y.Doc,
  id: string,
  patch: Patch,
  ctx: Required<ModelContext>,
): string | null {
  const record = rootMap(doc).get(id);
  if (!(record instanceof Y.Map)) return null;
  const current = record.get('status') as DecisionStatus;
  const status = patch.status ?? current;
  if (patch.status !== undefined && patch.status !== current) {
    if (!STATUS_TRANSITIONS[current].includes(patch.status))
      return `A decision that is ${STATUS_WORDS[current]} cannot become ${STATUS_WORDS[patch.status]}.`;
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
  if (patch.closesAt !== undefined && patch.closesAt !== null) {
    if (status !== 'draft' && status !== 'proposed')
      return 'Voting is over for this decision; its closing date cannot change.';
    if (patch.closesAt <= ctx.now())
      return 'The closing date is in the past. Pick a time after now.';
  }
  const options = record.get(OPTIONS);
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

function applyPatch(record: Y.Map<unknown>, patch: Patch, ctx: Required<ModelContext>): void {
  const now = ctx.now();
  for (const key of [
    'title',
    'proposal',
    'proposedOptionId',
    'drivers',
    'outcome',
    'closesAt',
    'reviewOn',
  ] as const) {
    if (patch[key] !== undefined) record.set(key, patch[key]);
  }
  const from = record.get('status') as DecisionStatus;
  if (patch.status !== undefined && patch.status !== from) {
    const to = patch.status;
    record.set('status', to);
    if (to === 'superseded') record.set('supersededBy', patch.supersededBy ?? null);
    else record.set('supersededBy', null);
    // Closing early: voting ends now, so every replica counts the same votes.
    if (from === 'proposed' && (to === 'accepted' || to === 'rejected')) {
      const closesAt = record.get('closesAt');
      if (typeof closesAt !== 'number' || closesAt > now) record.set('closesAt', now);
    }
    // Reopening: a closing date already past would close the vote at once, so it is cleared.
    if (to === 'proposed') {
      const closesAt = record.get('closesAt');
      if (typeof closesAt === 'number' && closesAt <= now && patch.closesAt === undefined)
        record.set('closesAt', null);
    }
    const change: StatusChange = {
      id: newId(),
      from,
      to,
      by: ctx.actor,
      at: now,
      supersededBy: to === 'superseded' ? (patch.supersededBy ?? null) : null,
    };
    arrayOf(record, HISTORY).push([change]);
  } else if (patch.supersededBy !== undefined) {
    record.set('supersededBy', patch.supersededBy);
  }
  if (patch.addOption) {
    const option = new Y.Map<unknown>();
    mapOf(record, OPTIONS).set(patch.addOption.id ?? newId(), option);
    option.set('title', patch.addOption.title);
    option.set('pros', patch.addOption.pros ?? '');
    option.set('cons', patch.addOption.cons ?? '');
    option.set('createdAt', now);
  }
  if (patch.updateOption) {
    const option = mapOf(record, OPTIONS).get(patch.updateOption.id);
    if (option instanceof Y.Map) {
      const { title, pros, cons } = patch.updateOption;
      if (title !== undefined) option.set('title', title);
      if (pros !== undefined) option.set('pros', pros);
      if (cons !== undefined) option.set('cons', cons);
    }
  }
  if (patch.removeOption) {
    mapOf(record, OPTIONS).delete(patch.removeOption);
    if (record.get('proposedOptionId') === patch.removeOption) record.set('proposedOptionId', null);
  }
  if (patch.people) {
    const people = mapOf(record, PEOPLE);
    for (const [member, role] of Object.entries(patch.people)) {
      if (role === null) people.delete(member);
      else people.set(member, role);
    }
  }
  if (patch.addTags?.length || patch.removeTags?.length) {
    const tags = mapOf(record, TAGS);
    for (const tag of patch.addTags ?? []) tags.set(tag, true);
    for (const tag of patch.removeTags ?? []) tags.delete(tag);
  }
  if (patch.addLinks?.length || patch.removeLinks?.length) {
    const links = mapOf(record, LINKS);
    for (const link of patch.addLinks ?? []) links.set(link, true);
    for (const link of patch.removeLinks ?? []) links.delete(link);
  }
}

export const decisions = defineCollection({
  kind: 'decision',
  root: ROOT.decisions,
  schema: Decision,
  createInput: DecisionCreateInput,
  patchInput: DecisionPatchInput,
  init(record, input) {
    record.set('title', input.title);
    record.set('status', 'draft');
    record.set('proposal', '');
    record.set('proposedOptionId', null);
    record.set('drivers', '');
    record.set('outcome', '');
    record.set('closesAt', null);
    record.set('reviewOn', null);
    record.set('supersededBy', null);
    record.set(DECISION_CONTEXT_KEY, new Y.XmlFragment());
    record.set(OPTIONS, new Y.Map<unknown>());
    record.set(PEOPLE, new Y.Map<unknown>());
    record.set(TAGS, new Y.Map<unknown>());
    record.set(LINKS, new Y.Map<unknown>());
    record.set(DECISION_VOTES_KEY, new Y.Array<unknown>());
    record.set(HISTORY, new Y.Array<unknown>());
  },
  apply: applyPatch,
  read: readDecisionFields,
  check: checkPatch,
});

/** The rich-text context of a decision, created on first use for records from older builds. */
export function decisionContext(doc: Y.Doc, id: string): Y.XmlFragment | undefined {
  const record = decisions.map(doc, id);
  if (!record) return undefined;
  const value = record.get(DECISION_CONTEXT_KEY);
  if (value instanceof Y.XmlFragment) return value;
  if (value !== undefined) return undefined;
  let fragment: Y.XmlFragment | undefined;
  doc.transact(() => {
    fragment = new Y.XmlFragment();
    record.set(DECISION_CONTEXT_KEY, fragment);
  }, MODEL_ORIGIN);
  return fragment;
}

/** The decisions that link to a goal, key result or note (for backlinks on those records). */
export function decisionsLinkedTo(
  items: readonly Pick<Decision, 'id' | 'title' | 'status' | 'links' | 'deletedAt'>[],
  target: string,
): Pick<Decision, 'id' | 'title' | 'status'>[] {
  return items
    .filter((item) => item.deletedAt === null && item.links.includes(target))
    .map(({ id, title, status }) => ({ id, title, status }));
}
