// Over 500 lines: one generator of hostile values per schema path, kept beside the property that uses them.
/**
 * Property test: one update from any key holder must never stop a workspace from opening. Each
 * seeded case builds an update that puts a structurally hostile value at one path of the schema
 * (meta, members, notes and their bodies, goals with key results, check-ins, milestones and links,
 * decisions with options, people, votes and history): nesting 10,000+ levels deep as nested Y
 * types or as JSON content, thousands of keys, huge strings and arrays, wrong types, missing
 * fields. It is loaded after a workspace of intact records the way stored rows are loaded
 * (`applyStoredRows`), the workspace is opened as a session opens it, and then: nothing throws,
 * every intact record reads back exactly as before, and the hostile record is reported (damaged,
 * a damaged part, a problem, a body problem, or an update set aside whole). A case that never
 * finishes fails on the test timeout. The seed is printed on failure; replay with OUTPOST_SEED.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as prng from 'lib0/prng';
import {
  ROOT,
  addKeyResult,
  castVote,
  checkIn,
  decisions,
  goals,
  listMembers,
  migrateWorkspace,
  noteBody,
  notes,
  renameWorkspace,
  schemaVersionOf,
  setGoalLink,
  upsertMember,
  workspaceName,
} from '../../../shared/model';
import { writeBodyTree } from '../../../shared/model/notesBody';
import { createNotesLive } from '../../../shared/model/notesLive';
import { NoteSearchIndex } from '../../../shared/model/notesSearch';
import { applyStoredRows } from '../../../shared/storage/recovery';

const ctx = { actor: 'member-ana1', now: () => 1_760_000_000_000 };
const everything = { includeArchived: true, includeDeleted: true } as const;
const CASES = 1_000;
const ANA = {
  memberId: 'member-ana1',
  displayName: 'Ana',
  color: '#2563eb',
  timeZone: 'Europe/Lisbon',
};
const GROUPS = 20;

// ---------------------------------------------------------------------------------------------
// The workspace of intact records every case starts from

function intactWorkspace(): Uint8Array {
  const doc = new Y.Doc();
  doc.clientID = 1; // below every hostile writer, so a hostile meta field wins its Y.Map conflict
  renameWorkspace(doc, 'Lisbon crew');
  migrateWorkspace(doc);
  upsertMember(doc, ANA, 1);
  upsertMember(
    doc,
    {
      memberId: 'member-bo22',
      displayName: 'Bo',
      color: '#16a34a',
      timeZone: 'Asia/Tokyo',
    },
    1,
  );
  const first = notes.create(doc, ctx, { title: 'Plans', tags: ['q3'] });
  const second = notes.create(doc, ctx, { title: 'Retro' });
  if (!first.ok || !second.ok) throw new Error('setup');
  doc.transact(() => {
    writeBodyTree(noteBody(doc, first.value.id)!, [
      { type: 'paragraph', content: [{ type: 'text', text: 'Ship the beta' }] },
      {
        type: 'bulletList',
        content: [
          {
            type: 'listItem',
            content: [
              {
                type: 'paragraph',
                content: [{ type: 'noteLink', attrs: { noteId: second.value.id, label: 'Retro' } }],
              },
            ],
          },
        ],
      },
    ]);
  });
  const goal = goals.create(doc, ctx, { title: 'Launch', periodStart: '2026-01-01' });
  if (!goal.ok) throw new Error('setup');
  const kr = addKeyResult(doc, ctx, goal.value.id, {
    title: 'Users',
    kind: 'number',
    start: 0,
    target: 100,
  });
  const ms = addKeyResult(doc, ctx, goal.value.id, {
    title: 'Steps',
    kind: 'milestones',
    milestones: ['Alpha', 'Beta'],
  });
  if (!kr.ok || !ms.ok) throw new Error('setup');
  checkIn(doc, ctx, goal.value.id, kr.value.id, { value: 12, confidence: 7, comment: 'ok' });
  setGoalLink(doc, ctx, goal.value.id, null, { kind: 'note', id: first.value.id }, true);
  const decision = decisions.create(doc, ctx, { title: 'Use Yjs' });
  if (!decision.ok) throw new Error('setup');
  decisions.update(doc, ctx, decision.value.id, {
    addOption: { title: 'Yjs', pros: 'CRDT' },
    people: { 'member-bo22': 'decider' },
    addTags: ['arch'],
    addLinks: [`note:${first.value.id}`],
  });
  decisions.update(doc, ctx, decision.value.id, { status: 'proposed' });
  castVote(doc, ctx, decision.value.id, { choice: 'agree', reason: '' });
  return Y.encodeStateAsUpdate(doc);
}

// ---------------------------------------------------------------------------------------------
// Opening a workspace the way a session does, and what it shows

interface Opened {
  readonly name: string | null;
  readonly schemaVersion: number;
  readonly members: ReturnType<typeof listMembers>;
  readonly notes: ReturnType<ReturnType<typeof createNotesLive>['list']>;
  readonly bodies: ReadonlyMap<string, { snippet: string; problems: readonly string[] }>;
  readonly goals: ReturnType<typeof goals.list>;
  readonly decisions: ReturnType<typeof decisions.list>;
}

function open(doc: Y.Doc): Opened {
  // As the session opens a workspace: migrate, then write this person's member entry.
  if (migrateWorkspace(doc).ok) upsertMember(doc, ANA);
  const live = createNotesLive(doc, {
    onChange: () => {},
    searchIndex: new NoteSearchIndex(),
    // Slices are not left to timers: `flush` below reads every body now.
    schedule: () => 0,
    cancel: () => {},
  });
  live.flush();
  const list = live.list();
  const reader = live.reader();
  const bodies = new Map<string, { snippet: string; problems: readonly string[] }>();
  for (const id of doc.getMap(ROOT.notes).keys()) {
    bodies.set(id, { snippet: reader.snippet(id), problems: reader.bodyProblems(id) });
  }
  reader.search('beta');
  live.destroy();
  return {
    name: workspaceName(doc),
    schemaVersion: schemaVersionOf(doc),
    members: listMembers(doc),
    notes: list,
    bodies,
    goals: goals.list(doc, everything),
    decisions: decisions.list(doc, everything),
  };
}

// ---------------------------------------------------------------------------------------------
// Hostile values

const MISSING = Symbol('missing');
/** What a path may hold when intact, so that a "wrong type" is really wrong there. */
type Expects = 'string' | 'number' | 'boolean' | 'map' | 'array' | 'true' | 'object' | 'fragment';
type ValueKind =
  | 'deep Y.Map'
  | 'deep Y.Array'
  | 'deep JSON'
  | 'deep JSON beyond the decoder'
  | 'wide Y.Map'
  | 'huge string'
  | 'huge Y.Array'
  | 'huge JSON array'
  | 'wrong type'
  | 'missing';
const VALUE_KINDS: readonly ValueKind[] = [
  'deep Y.Map',
  'deep Y.Array',
  'deep JSON',
  'deep JSON beyond the decoder',
  'wide Y.Map',
  'huge string',
  'huge Y.Array',
  'huge JSON array',
  'wrong type',
  'missing',
];

/** A JSON value that lib0 can encode and decode (its reader and writer recurse per level). */
function deepJson(depth: number, gen: prng.PRNG): unknown {
  let value: unknown = 'bottom';
  for (let level = 0; level < depth; level++)
    value = prng.bool(gen) ? { a: value } : [value, level];
  return value;
}

/**
 * The lib0 `writeAny` encoding of `{ a: { a: … 1 } }` nested `depth` levels, written without
 * recursion (lib0's own writer overflows the stack on it): object tag 118, one key, the key as a
 * var string, then the value; innermost the integer tag 125 with 1.
 */
function deepAnyBytes(depth: number): Uint8Array {
  const level = [118, 1, 1, 97];
  const bytes = new Uint8Array(depth * level.length + 2);
  for (let at = 0; at < depth; at++) bytes.set(level, at * level.length);
  bytes.set([125, 1], depth * level.length);
  return bytes;
}

/** `update` with the `writeAny` encoding of the string `marker` replaced by `replacement`. */
function splice(update: Uint8Array, marker: string, replacement: Uint8Array): Uint8Array {
  const text = new TextEncoder().encode(marker);
  const needle = new Uint8Array([119, text.length, ...text]);
  for (let at = 0; at + needle.length <= update.length; at++) {
    if (needle.every((byte, index) => update[at + index] === byte)) {
      const out = new Uint8Array(update.length - needle.length + replacement.length);
      out.set(update.subarray(0, at));
      out.set(replacement, at);
      out.set(update.subarray(at + needle.length), at + replacement.length);
      return out;
    }
  }
  throw new Error('marker not found in the update');
}

/**
 * Nested Y types are built top-down once their top is part of the document: Yjs integrates a
 * preliminary type's content recursively, so a 10,000-level chain built bottom-up would overflow
 * the stack in the test itself. `place` puts the (empty) top in; `growDeep` then fills it.
 */
const growers: Array<() => void> = [];

function deepY(kind: 'map' | 'array', depth: number): Y.Map<unknown> | Y.Array<unknown> {
  const make = (): Y.Map<unknown> | Y.Array<unknown> =>
    kind === 'map' ? new Y.Map<unknown>() : new Y.Array<unknown>();
  const top = make();
  growers.push(() => {
    let at = top;
    for (let level = 1; level < depth; level++) {
      const next = make();
      if (at instanceof Y.Map) at.set('a', next);
      else at.push([next]);
      at = next;
    }
  });
  return top;
}

/** A Y.Array of `length` numbers, filled once in the document (its preliminary form spreads). */
function hugeYArray(length: number): Y.Array<unknown> {
  const array = new Y.Array<unknown>();
  growers.push(() => {
    for (let at = 0; at < length; at += 10_000)
      array.push(new Array<number>(Math.min(10_000, length - at)).fill(1));
  });
  return array;
}

function growDeep(): void {
  for (const grow of growers.splice(0)) grow();
}

interface Hostile {
  /** The value to store, or MISSING to leave the field out. */
  readonly value: unknown;
  /** Bytes to put in place of a marker string once the update is encoded. */
  readonly spliceIn?: { readonly marker: string; readonly bytes: Uint8Array };
}

function wrongTypeFor(expects: Expects, gen: prng.PRNG, insideJson: boolean): unknown {
  const candidates: Array<[Expects | 'text' | 'bytes', () => unknown]> = [
    ['string', () => 'not this'],
    ['number', () => 7],
    ['boolean', () => false],
    ['array', () => Y.Array.from([1, 2])],
    ['map', () => new Y.Map()],
    ['fragment', () => new Y.XmlFragment()],
    ['text', () => new Y.Text('text')],
    ['object', () => ({ unexpected: 1 })],
    ['bytes', () => new Uint8Array([1, 2, 3])],
  ];
  const yTypes = new Set(['array', 'map', 'fragment', 'text']);
  const wrong = candidates.filter(
    ([type]) => type !== expects && !(insideJson && yTypes.has(type)),
  );
  return prng.oneOf(gen, wrong)[1]();
}

function hostileValue(kind: ValueKind, spec: PathSpec, gen: prng.PRNG): Hostile {
  const depth = prng.int32(gen, 10_000, 12_000);
  switch (kind) {
    case 'deep Y.Map':
      return { value: deepY('map', depth) };
    case 'deep Y.Array':
      return { value: deepY('array', depth) };
    case 'deep JSON':
      // As deep as lib0's recursive decoder takes, far beyond what a reader should accept.
      return { value: deepJson(prng.int32(gen, 100, 800), gen) };
    case 'deep JSON beyond the decoder': {
      const marker = `HOSTILE-${prng.word(gen, 16, 16)}`;
      return { value: marker, spliceIn: { marker, bytes: deepAnyBytes(depth) } };
    }
    case 'wide Y.Map': {
      const map = new Y.Map<unknown>();
      const keys = prng.int32(gen, 5_000, 8_000);
      for (let key = 0; key < keys; key++) map.set(`k${key}`, key);
      return { value: map };
    }
    case 'huge string':
      return { value: 'x'.repeat(prng.int32(gen, 2_000_000, 11_000_000)) };
    case 'huge Y.Array':
      return { value: hugeYArray(prng.int32(gen, 210_000, 300_000)) };
    case 'huge JSON array':
      return { value: new Array<number>(prng.int32(gen, 210_000, 300_000)).fill(1) };
    case 'wrong type':
      return { value: wrongTypeFor(spec.expects, gen, spec.insideJson === true) };
    case 'missing':
      return { value: MISSING };
  }
}

// ---------------------------------------------------------------------------------------------
// Paths of the schema, and valid records to put a hostile value into

type Section = 'meta' | 'member' | 'note' | 'goal' | 'decision';

interface PathSpec {
  readonly section: Section;
  readonly path: string;
  readonly expects: Expects;
  /** True where a missing value is valid (a default applies), so nothing is reported. */
  readonly missingIsFine?: boolean;
  /** The value is a field of a plain JSON entry, where Yjs types cannot be. */
  readonly insideJson?: boolean;
  /** The whole record or entry is the hostile value (it cannot be "missing"). */
  readonly whole?: boolean;
  /** Stores a valid record with `hostile` at this path; returns the record id. */
  place(doc: Y.Doc, hostile: unknown, gen: prng.PRNG): string;
}

function id(gen: prng.PRNG): string {
  return prng.word(gen, 22, 22).replace(/[^A-Za-z0-9_-]/g, 'x');
}

function setOrOmit(map: Y.Map<unknown>, key: string, value: unknown): void {
  if (value !== MISSING) map.set(key, value);
}

function mapOf(entries: Record<string, unknown>): Y.Map<unknown> {
  const map = new Y.Map<unknown>();
  for (const [key, value] of Object.entries(entries)) setOrOmit(map, key, value);
  return map;
}

function arrayOf(items: unknown[]): Y.Array<unknown> {
  const array = new Y.Array<unknown>();
  array.push(items);
  return array;
}

function baseFields(): Record<string, unknown> {
  return {
    createdAt: 1,
    createdBy: 'member-bo22',
    updatedAt: 2,
    updatedBy: 'member-bo22',
    archived: false,
    deletedAt: null,
  };
}

/** A field of the record itself, or the record as a whole. */
function recordField(
  section: 'member' | 'note' | 'goal' | 'decision',
  field: string,
  expects: Expects,
  extra: Partial<PathSpec> = {},
): PathSpec {
  return {
    section,
    path: field,
    expects,
    ...extra,
    place(doc, hostile, gen) {
      const recordId = id(gen);
      const root = doc.getMap<unknown>(
        ROOT[section === 'member' ? 'members' : (`${section}s` as const)],
      );
      if (field === '*') {
        root.set(recordId, hostile);
        return recordId;
      }
      const fields = validRecord(section, gen);
      fields[field] = hostile;
      root.set(recordId, mapOf(fields));
      return recordId;
    },
  };
}

function validRecord(section: 'member' | 'note' | 'goal' | 'decision', gen: prng.PRNG) {
  switch (section) {
    case 'member':
      return { name: 'Eve', color: '#aa0000', timeZone: 'UTC', updatedAt: 1 } as Record<
        string,
        unknown
      >;
    case 'note':
      return {
        ...baseFields(),
        title: 'Hostile note',
        pinned: false,
        tags: mapOf({ ok: true }),
        body: new Y.XmlFragment(),
      };
    case 'goal':
      return {
        ...baseFields(),
        title: 'Hostile goal',
        description: '',
        ownerId: null,
        periodStart: null,
        periodEnd: null,
        parentId: null,
        status: 'active',
      };
    case 'decision':
      return {
        ...baseFields(),
        title: 'Hostile decision',
        status: 'proposed',
        proposal: '',
        proposedOptionId: null,
        drivers: '',
        outcome: '',
        closesAt: null,
        reviewOn: null,
        supersededBy: null,
        context: new Y.XmlFragment(),
        options: mapOf({ [id(gen)]: mapOf({ title: 'A', pros: '', cons: '', createdAt: 1 }) }),
        people: mapOf({ 'member-bo22': 'decider' }),
        tags: mapOf({ arch: true }),
        links: mapOf({}),
        votes: arrayOf([validVote(gen)]),
        history: arrayOf([validChange(gen)]),
      };
  }
}

const validVote = (gen: prng.PRNG) => ({
  id: id(gen),
  member: 'member-bo22',
  choice: 'agree',
  reason: '',
  castAt: 5,
});
const validChange = (gen: prng.PRNG) => ({
  id: id(gen),
  from: 'draft',
  to: 'proposed',
  by: 'member-bo22',
  at: 4,
});
const validCheckIn = () => ({
  value: 3,
  confidence: 5,
  comment: '',
  authorId: 'member-bo22',
  at: 9,
});

/** A goal whose one key result holds `hostile` at `place` (a key result field or a nested part). */
function keyResultPath(path: string, expects: Expects, extra: Partial<PathSpec> = {}): PathSpec {
  return {
    section: 'goal',
    path,
    expects,
    ...extra,
    place(doc, hostile, gen) {
      const goalId = id(gen);
      const krId = id(gen);
      const kr: Record<string, unknown> = {
        title: 'Hostile KR',
        kind: 'milestones',
        start: 0,
        target: 1,
        unit: '',
        weight: 1,
        order: 1,
        createdAt: 1,
        createdBy: 'member-bo22',
        deletedAt: null,
        checkIns: mapOf({ [id(gen)]: validCheckIn() }),
        milestones: mapOf({ [id(gen)]: mapOf({ title: 'M', done: false, order: 1 }) }),
        links: mapOf({}),
      };
      const goal: Record<string, unknown> = validRecord('goal', gen);
      const [head, tail] = path.split('.') as [string, string | undefined];
      if (path === 'kr:*') goal[`kr:${krId}`] = hostile;
      else if (path === 'link:note:*') goal[`link:note:${id(gen)}`] = hostile;
      else {
        if (path === 'kr.checkIns.*') kr.checkIns = mapOf({ [id(gen)]: hostile });
        else if (path === 'kr.milestones.*') kr.milestones = mapOf({ [id(gen)]: hostile });
        else if (path === 'kr.links.*') kr.links = mapOf({ [`link:note:${id(gen)}`]: hostile });
        else if (head === 'checkIn') {
          const entry: Record<string, unknown> = validCheckIn();
          if (hostile === MISSING) delete entry[tail!];
          else entry[tail!] = hostile;
          kr.checkIns = mapOf({ [id(gen)]: entry });
        } else if (head === 'milestone') {
          const entry: Record<string, unknown> = { title: 'M', done: false, order: 1 };
          entry[tail!] = hostile;
          kr.milestones = mapOf({ [id(gen)]: mapOf(entry) });
        } else kr[path.slice('kr.'.length)] = hostile;
        goal[`kr:${krId}`] = mapOf(kr);
      }
      doc.getMap<unknown>(ROOT.goals).set(goalId, mapOf(goal));
      return goalId;
    },
  };
}

/** A decision whose nested collection `key` holds `hostile` as an entry, or an entry's field. */
function decisionEntryPath(
  path: string,
  expects: Expects,
  extra: Partial<PathSpec> = {},
): PathSpec {
  return {
    section: 'decision',
    path,
    expects,
    ...extra,
    place(doc, hostile, gen) {
      const decisionId = id(gen);
      const fields = validRecord('decision', gen);
      switch (path) {
        case 'options.*':
          fields.options = mapOf({ [id(gen)]: hostile });
          break;
        case 'option.title':
          fields.options = mapOf({
            [id(gen)]: mapOf({ title: hostile, pros: '', cons: '', createdAt: 1 }),
          });
          break;
        case 'people.*':
          fields.people = mapOf({ 'member-eve1': hostile });
          break;
        case 'tags.*':
          fields.tags = mapOf({ arch: hostile });
          break;
        case 'votes.*':
          fields.votes = arrayOf([validVote(gen), hostile]);
          break;
        case 'vote.reason': {
          const vote: Record<string, unknown> = validVote(gen);
          if (hostile === MISSING) delete vote.reason;
          else vote.reason = hostile;
          fields.votes = arrayOf([vote]);
          break;
        }
        case 'history.*':
          fields.history = arrayOf([hostile]);
          break;
        case 'change.to': {
          const change: Record<string, unknown> = validChange(gen);
          if (hostile === MISSING) delete change.to;
          else change.to = hostile;
          fields.history = arrayOf([change]);
          break;
        }
      }
      doc.getMap<unknown>(ROOT.decisions).set(decisionId, mapOf(fields));
      return decisionId;
    },
  };
}

/** A note body or decision context nesting elements 10,000+ levels deep (no hostile value). */
function deepRichText(section: 'note' | 'decision', key: 'body' | 'context'): PathSpec {
  return {
    section,
    path: `${key} (nested elements)`,
    expects: 'fragment',
    whole: true,
    place(doc, _hostile, gen) {
      const recordId = id(gen);
      const fields = validRecord(section, gen);
      const text = fields[key] as Y.XmlFragment;
      doc.getMap<unknown>(ROOT[`${section}s`]).set(recordId, mapOf(fields));
      // Top-down, each element inserted into one already in the document (see `deepY`).
      let at: Y.XmlFragment | Y.XmlElement = text;
      for (let level = prng.int32(gen, 10_000, 12_000); level > 0; level--) {
        const next = new Y.XmlElement(prng.bool(gen) ? 'blockquote' : 'listItem');
        at.insert(0, [next]);
        at = next;
      }
      const bottom = new Y.XmlElement('paragraph');
      at.insert(0, [bottom]);
      bottom.insert(0, [new Y.XmlText('bottom')]);
      return recordId;
    },
  };
}
const DEEP_RICH_TEXT = [deepRichText('note', 'body'), deepRichText('decision', 'context')];

const PATHS: readonly PathSpec[] = [
  {
    section: 'meta',
    path: 'name',
    expects: 'string',
    // An update that leaves a field out cannot remove what another replica wrote.
    missingIsFine: true,
    place(doc, hostile) {
      setOrOmit(doc.getMap(ROOT.meta), 'name', hostile);
      return 'name';
    },
  },
  {
    section: 'meta',
    path: 'schemaVersion',
    expects: 'number',
    missingIsFine: true,
    place(doc, hostile) {
      setOrOmit(doc.getMap(ROOT.meta), 'schemaVersion', hostile);
      return 'schemaVersion';
    },
  },
  recordField('member', '*', 'map', { whole: true }),
  ...['name', 'color', 'timeZone'].map((field) => recordField('member', field, 'string')),
  recordField('member', 'updatedAt', 'number'),
  recordField('note', '*', 'map', { whole: true }),
  recordField('note', 'title', 'string'),
  recordField('note', 'pinned', 'boolean'),
  recordField('note', 'archived', 'boolean'),
  recordField('note', 'createdAt', 'number'),
  recordField('note', 'createdBy', 'string'),
  recordField('note', 'deletedAt', 'number'),
  recordField('note', 'tags', 'map'),
  {
    section: 'note',
    path: 'tags.*',
    expects: 'true',
    whole: true,
    place(doc, hostile, gen) {
      const noteId = id(gen);
      doc
        .getMap<unknown>(ROOT.notes)
        .set(noteId, mapOf({ ...validRecord('note', gen), tags: mapOf({ bad: hostile }) }));
      return noteId;
    },
  },
  recordField('note', 'body', 'fragment', { missingIsFine: true }),
  ...DEEP_RICH_TEXT,
  recordField('goal', '*', 'map', { whole: true }),
  ...['title', 'description', 'status'].map((field) => recordField('goal', field, 'string')),
  ...['ownerId', 'periodStart', 'parentId'].map((field) =>
    recordField('goal', field, 'string', { missingIsFine: false }),
  ),
  recordField('goal', 'updatedAt', 'number'),
  keyResultPath('kr:*', 'map', { whole: true }),
  keyResultPath('kr.title', 'string'),
  keyResultPath('kr.kind', 'string'),
  keyResultPath('kr.target', 'number'),
  keyResultPath('kr.weight', 'number'),
  keyResultPath('kr.checkIns', 'map'),
  keyResultPath('kr.milestones', 'map'),
  keyResultPath('kr.links', 'map'),
  keyResultPath('kr.checkIns.*', 'object', { whole: true }),
  keyResultPath('checkIn.comment', 'string', { insideJson: true }),
  keyResultPath('checkIn.value', 'number', { insideJson: true }),
  keyResultPath('kr.milestones.*', 'map', { whole: true }),
  keyResultPath('milestone.title', 'string'),
  keyResultPath('kr.links.*', 'true', { whole: true }),
  keyResultPath('link:note:*', 'true', { whole: true }),
  recordField('decision', '*', 'map', { whole: true }),
  recordField('decision', 'title', 'string'),
  recordField('decision', 'status', 'string'),
  ...['proposal', 'drivers', 'outcome'].map((field) =>
    recordField('decision', field, 'string', { missingIsFine: true }),
  ),
  recordField('decision', 'closesAt', 'number', { missingIsFine: true }),
  ...['options', 'people', 'tags', 'links'].map((field) =>
    recordField('decision', field, 'map', { missingIsFine: true }),
  ),
  ...['votes', 'history'].map((field) =>
    recordField('decision', field, 'array', { missingIsFine: true }),
  ),
  recordField('decision', 'context', 'fragment', { missingIsFine: true }),
  decisionEntryPath('options.*', 'map', { whole: true }),
  decisionEntryPath('option.title', 'string'),
  decisionEntryPath('people.*', 'string', { whole: true }),
  decisionEntryPath('tags.*', 'true', { whole: true }),
  decisionEntryPath('votes.*', 'object', { whole: true }),
  decisionEntryPath('vote.reason', 'string', { insideJson: true }),
  decisionEntryPath('history.*', 'object', { whole: true }),
  decisionEntryPath('change.to', 'string', { insideJson: true }),
];

const JSON_EQUIVALENT: Partial<Record<ValueKind | 'deep rich text', ValueKind>> = {
  'deep Y.Map': 'deep JSON beyond the decoder',
  'deep Y.Array': 'deep JSON',
  'wide Y.Map': 'huge JSON array',
  'huge Y.Array': 'huge JSON array',
};

// ---------------------------------------------------------------------------------------------
// One case

interface Case {
  readonly spec: PathSpec;
  readonly kind: ValueKind | 'deep rich text';
  readonly update: Uint8Array;
  readonly id: string;
}

function makeCase(gen: prng.PRNG, index: number): Case {
  const spec = PATHS[index % PATHS.length]!;
  let kind: ValueKind | 'deep rich text' = prng.oneOf(gen, [...VALUE_KINDS]);
  if (kind === 'missing' && spec.whole) kind = 'wrong type';
  if (DEEP_RICH_TEXT.includes(spec)) kind = 'deep rich text';
  // A field of a JSON entry (check-in, vote, status change) can only hold JSON.
  if (spec.insideJson) kind = JSON_EQUIVALENT[kind] ?? kind;
  const hostile = kind === 'deep rich text' ? { value: MISSING } : hostileValue(kind, spec, gen);
  const doc = new Y.Doc();
  doc.clientID = 1_000 + index;
  let recordId = '';
  doc.transact(() => {
    recordId = spec.place(doc, hostile.value, gen);
    growDeep();
  });
  let update = Y.encodeStateAsUpdate(doc);
  if (hostile.spliceIn) update = splice(update, hostile.spliceIn.marker, hostile.spliceIn.bytes);
  doc.destroy();
  return { spec, kind, update, id: recordId };
}

/** Where the hostile record of a case shows as damaged, or null when it does not. */
function reported(opened: Opened, setAside: number, c: Case): string | null {
  if (setAside > 0) return 'update set aside';
  switch (c.spec.section) {
    case 'meta':
      if (c.spec.path === 'name') return opened.name === null ? 'no workspace name' : null;
      // A version that is not a whole number reads as 0: the (idempotent) migrations run again
      // and write the current version over it, however deep it was nested.
      if (c.kind === 'missing') return null;
      return opened.schemaVersion === 1 ? 'schema version migrated again' : null;
    case 'member':
      return opened.members.damaged.some((d) => d.id === c.id) ? 'damaged member' : null;
    case 'note': {
      if (opened.notes.damaged.some((d) => d.id === c.id)) return 'damaged note';
      const problems = opened.bodies.get(c.id)?.problems ?? [];
      return problems.length > 0 ? `body problems: ${problems.join('; ')}` : null;
    }
    case 'goal': {
      if (opened.goals.damaged.some((d) => d.id === c.id)) return 'damaged goal';
      const goal = opened.goals.items.find((item) => item.id === c.id);
      return goal && goal.damagedParts.length > 0 ? 'damaged part' : null;
    }
    case 'decision': {
      if (opened.decisions.damaged.some((d) => d.id === c.id)) return 'damaged decision';
      const decision = opened.decisions.items.find((item) => item.id === c.id);
      return decision && decision.problems.length > 0 ? 'decision problems' : null;
    }
  }
}

/** Everything an intact workspace shows, for comparing record by record. */
function intactView(opened: Opened, ids: ReadonlySet<string>) {
  const only = <T extends { id: string }>(items: readonly T[]) =>
    items.filter((item) => ids.has(item.id)).sort((a, b) => a.id.localeCompare(b.id));
  return {
    members: only(opened.members.items),
    notes: only(opened.notes.items),
    bodies: [...ids].filter((id) => opened.bodies.has(id)).map((id) => opened.bodies.get(id)),
    goals: only(opened.goals.items),
    decisions: only(opened.decisions.items),
  };
}

describe('a hostile update never stops a workspace from opening', () => {
  const intact = intactWorkspace();
  const baseline = new Y.Doc();
  Y.applyUpdate(baseline, intact);
  const before = open(baseline);
  const intactIds = new Set([
    ...before.members.items.map((item) => item.id),
    ...before.notes.items.map((item) => item.id),
    ...before.goals.items.map((item) => item.id),
    ...before.decisions.items.map((item) => item.id),
  ]);
  const expected = intactView(before, intactIds);

  it('starts from intact records that all read back', () => {
    expect(before.name).toBe('Lisbon crew');
    expect(intactIds.size).toBe(2 + 2 + 1 + 1);
    expect(before.notes.damaged).toEqual([]);
    expect(before.goals.items[0]!.damagedParts).toEqual([]);
    expect(before.decisions.items[0]!.problems).toEqual([]);
  });

  it('splices JSON content into an update faithfully (checked at a depth lib0 can decode)', () => {
    const doc = new Y.Doc();
    doc.getMap(ROOT.meta).set('name', 'MARK-abcdef');
    const update = splice(Y.encodeStateAsUpdate(doc), 'MARK-abcdef', deepAnyBytes(3));
    const target = new Y.Doc();
    Y.applyUpdate(target, update);
    expect(target.getMap(ROOT.meta).get('name')).toEqual({ a: { a: { a: 1 } } });
  });

  it('loads a record nested 12,000 deep and a later update deleting it, and purges such a record', () => {
    // The deletion is written by a replica that never held the nested part (a hostile pair of
    // updates needs no more), so building it does not depend on the code under test.
    const writer = new Y.Doc();
    writer.clientID = 7;
    const noteId = 'deepnote1234';
    writer.getMap<unknown>(ROOT.notes).set(noteId, new Y.Map<unknown>());
    const created = Y.encodeStateAsUpdate(writer);
    const nester = new Y.Doc();
    nester.clientID = 8;
    Y.applyUpdate(nester, created);
    nester.transact(() => {
      let at = nester.getMap<unknown>(ROOT.notes).get(noteId) as Y.Map<unknown>;
      for (let level = 0; level < 12_000; level++) {
        const next = new Y.Map<unknown>();
        at.set('a', next);
        at = next;
      }
    });
    const nested = Y.encodeStateAsUpdate(nester, Y.encodeStateVector(writer));
    const before = Y.encodeStateVector(writer);
    writer.getMap<unknown>(ROOT.notes).delete(noteId);
    const deletion = Y.encodeStateAsUpdate(writer, before);

    // Stored rows, as loading applies them.
    const stored = new Y.Doc();
    const rows = [intact, created, nested, deletion].map((value, key) => ({ key, value }));
    expect(applyStoredRows(stored, rows, 'load').setAside).toEqual([]);
    expect(intactView(open(stored), intactIds)).toEqual(expected);
    expect(stored.getMap(ROOT.notes).has(noteId)).toBe(false);

    // From a peer, into an open workspace, as sync applies updates.
    const live = new Y.Doc();
    for (const update of [intact, created, nested]) Y.applyUpdate(live, update);
    expect(open(live).notes.damaged.map((d) => d.id)).toEqual([noteId]);
    Y.applyUpdate(live, deletion);
    expect(intactView(open(live), intactIds)).toEqual(expected);

    // Deleting such a record forever from this device.
    const own = new Y.Doc();
    for (const update of [intact, created, nested]) Y.applyUpdate(own, update);
    expect(notes.purge(own, ctx, noteId)).toEqual({ ok: true, value: null });
    expect(intactView(open(own), intactIds)).toEqual(expected);
  });

  const seed = Number(process.env.OUTPOST_SEED ?? Date.now() % 1_000_000);
  const perGroup = CASES / GROUPS;
  for (let group = 0; group < GROUPS; group++) {
    const first = group * perGroup;
    it(`cases ${first}–${first + perGroup - 1} (seed ${seed}; replay with OUTPOST_SEED=${seed})`, () => {
      for (let index = first; index < first + perGroup; index++) {
        const gen = prng.create(seed * 10_000 + index);
        let label = `case ${index} (seed ${seed}, replay with OUTPOST_SEED=${seed})`;
        try {
          const c = makeCase(gen, index);
          label += `: ${c.kind} at ${c.spec.section}.${c.spec.path}`;
          const doc = new Y.Doc();
          const load = applyStoredRows(
            doc,
            [
              { key: 1, value: intact },
              { key: 2, value: c.update },
            ],
            'test',
          );
          expect(load.applied, label).toBeGreaterThanOrEqual(1);
          const opened = open(doc);
          expect(intactView(opened, intactIds), label).toEqual(expected);
          const where = reported(opened, load.setAside.length, c);
          if (c.kind === 'missing' && c.spec.missingIsFine) expect(where, label).toBeNull();
          else expect(where, label).not.toBeNull();
          if (c.spec.section !== 'meta') expect(opened.name, label).toBe('Lisbon crew');
          for (const list of [opened.members, opened.notes, opened.goals, opened.decisions]) {
            for (const damaged of list.damaged) expect(damaged.preview.length).toBeLessThan(302);
          }
          doc.destroy();
        } catch (error) {
          console.error(`Failed: ${label}`);
          throw error;
        }
      }
    }, 120_000);
  }
});
