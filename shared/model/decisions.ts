/**
 * Decision records: context (rich text), options with pros and cons, the proposal, drivers,
 * people (decider / consulted / informed), tags, links to goals, key results and notes, and a
 * status lifecycle whose every change is appended to a history that merges (see
 * docs/PROTOCOL.md, "Decisions"). Votes live in decisionsVotes.ts; MADR in decisionsMadr.ts.
 */
import * as Y from 'yjs';
import { z } from 'zod';
import { signEntry, withSignature } from './signatures';
import { statusFields } from './signedFields';
import { defineCollection, type WriteContext } from './collection';
import { newId } from '../core/ids';
import { MODEL_ORIGIN, ROOT } from './roots';
import { readBounded, RECORD_LIMITS } from './bounded';
import { BODY_MAX_DEPTH, bodyTooDeep } from './notesBody';
import {
  Ballot,
  Decision,
  DecisionRole,
  DecisionOption,
  type DecisionStatus,
  StatusChange,
  VoteCast,
} from '../schema/records';
import { DecisionCreateInput, DecisionPatchInput } from './decisionsInput';
import { checkDecisionPatch, DECISION_KEYS } from './decisionsLifecycle';

export { DecisionCreateInput, DecisionPatchInput, type DecisionPatch } from './decisionsInput';
export { STATUS_TRANSITIONS, supersedeMakesCycle } from './decisionsLifecycle';

export const DECISION_CONTEXT_KEY = DECISION_KEYS.context;
export const DECISION_VOTES_KEY = DECISION_KEYS.votes;
export const DECISION_BALLOTS_KEY = DECISION_KEYS.ballots;
const OPTIONS = DECISION_KEYS.options;
const PEOPLE = DECISION_KEYS.people;
const TAGS = DECISION_KEYS.tags;
const LINKS = DECISION_KEYS.links;
const HISTORY = DECISION_KEYS.history;

type Patch = z.output<typeof DecisionPatchInput>;

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
  const ballots = nested(
    record,
    DECISION_BALLOTS_KEY,
    (array) =>
      readEntries((array as Y.Array<unknown>).toArray(), Ballot, 'Ballot', problems).sort(
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
    pollType: field('pollType', 'consent'),
    votes,
    ballots,
    history,
    problems,
  };
}

function applyPatch(record: Y.Map<unknown>, patch: Patch, ctx: WriteContext, id: string): void {
  const now = ctx.now();
  for (const key of [
    'title',
    'proposal',
    'proposedOptionId',
    'drivers',
    'outcome',
    'closesAt',
    'reviewOn',
    'pollType',
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
    const unsigned: StatusChange = {
      id: newId(),
      from,
      to,
      by: ctx.actor,
      at: now,
      supersededBy: to === 'superseded' ? (patch.supersededBy ?? null) : null,
    };
    const change = withSignature(
      unsigned,
      signEntry(ctx, 'status', ctx.actor, statusFields(id, unsigned)),
    );
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
    record.set('pollType', 'consent');
    record.set(DECISION_VOTES_KEY, new Y.Array<unknown>());
    record.set(DECISION_BALLOTS_KEY, new Y.Array<unknown>());
    record.set(HISTORY, new Y.Array<unknown>());
  },
  apply: applyPatch,
  read: readDecisionFields,
  check: checkDecisionPatch,
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
