/**
 * One generic collection of records (notes, goals, decisions): each record is a Y.Map stored under
 * a random id in a root Y.Map, so concurrent edits merge field by field. Every write is a single
 * transaction tagged with MODEL_ORIGIN; every read is validated and a record that fails is returned
 * as damaged instead of being thrown or dropped.
 */
import * as Y from 'yjs';
import type { z } from 'zod';
import { newId } from '../core/ids';
import { describeIssues, describeThrown, previewValue } from './damage';
import { readBounded } from './bounded';
import { MODEL_ORIGIN } from './roots';
import { fail, ok, type Result } from '../result';
import type { SigningContext } from './signatures';
import type { DamagedRecord, RecordKind, RecordRead } from '../schema/records';
import { oneLine } from '../core/text';

/** Who is acting and what time it is; the clock is injectable for tests. */
/** Who writes (the member), their clock, and what signs their entries (docs/PROTOCOL.md §8). */
export interface ModelContext extends SigningContext {
  readonly actor: string;
  readonly now?: () => number;
  /**
   * Where note bodies live: inside their records (schema 1, the default) or as documents of their
   * own (schema 2, docs/PROTOCOL.md §1.4.2), which the model cannot write itself: its writes then
   * leave records without a `body` and hand the bodies back for the caller to store.
   */
  readonly bodies?: 'embedded' | 'separate';
}

/** A ModelContext with its clock settled, as record kinds' checks and writes receive it. */
export type WriteContext = ModelContext & { readonly now: () => number };

export interface ListOptions {
  readonly includeArchived?: boolean;
  readonly includeDeleted?: boolean;
}

export interface RecordList<T> {
  readonly items: readonly T[];
  readonly damaged: readonly DamagedRecord[];
}

interface CollectionSpec<T extends { id: string }, C, P, CIn, PIn> {
  readonly kind: RecordKind;
  readonly root: string;
  readonly schema: z.ZodType<T>;
  readonly createInput: z.ZodType<C, CIn>;
  readonly patchInput: z.ZodType<P, PIn>;
  /** Writes the record-specific fields of a new record. */
  init(record: Y.Map<unknown>, input: C, ctx: ModelContext): void;
  /** Writes the fields named in a patch (inside the update's transaction; `ctx` says who and when). */
  apply(record: Y.Map<unknown>, patch: P, ctx: WriteContext, id: string): void;
  /** Reads the record-specific fields into a plain object for validation. */
  read(record: Y.Map<unknown>): Record<string, unknown>;
  /** Checks a patch against the rest of the document (e.g. alignment cycles). */
  check?(doc: Y.Doc, id: string, patch: P, ctx: WriteContext): string | null;
}

/**
 * The operations on one kind of record. Inputs are typed for callers but validated again at run
 * time, because they come from forms, imports and tests.
 */
export interface Collection<T extends { id: string }, CIn, PIn> {
  readonly kind: RecordKind;
  readonly root: string;
  create(doc: Y.Doc, ctx: ModelContext, input: CIn): Result<T>;
  update(doc: Y.Doc, ctx: ModelContext, id: string, patch: PIn): Result<T>;
  archive(doc: Y.Doc, ctx: ModelContext, id: string, archived?: boolean): Result<T | null>;
  remove(doc: Y.Doc, ctx: ModelContext, id: string): Result<T | null>;
  restore(doc: Y.Doc, ctx: ModelContext, id: string): Result<T | null>;
  purge(doc: Y.Doc, ctx: ModelContext, id: string): Result<null>;
  get(doc: Y.Doc, id: string): RecordRead<T> | undefined;
  /** Validates `value`, the entry stored under `id` in this collection's root (as `get` does). */
  read(id: string, value: unknown): RecordRead<T>;
  list(doc: Y.Doc, options?: ListOptions): RecordList<T>;
  /** The rich-text or nested Y types of a record, for bindings such as the editor. */
  map(doc: Y.Doc, id: string): Y.Map<unknown> | undefined;
}

/** Reads the fields every record carries. */
function readBase(record: Y.Map<unknown>): Record<string, unknown> {
  return {
    createdAt: record.get('createdAt'),
    createdBy: record.get('createdBy'),
    updatedAt: record.get('updatedAt'),
    updatedBy: record.get('updatedBy'),
    archived: record.get('archived'),
    deletedAt: record.get('deletedAt'),
  };
}

/**
 * Stamps a record as edited by `actor` at `now`. "Edited by" is written only when it changes: a
 * person's edits in a row then overwrite one key, and Yjs merges the values one client overwrote
 * in a row into a single struct, where writing both keys every time interleaved them and left two
 * structs per edit, kept forever: the root grew with every pause in typing (a body's edit stamps
 * its note after each pause). Two people editing at once may then leave one's time with the
 * other's name, which both writes used to avoid only as far as their clocks agreed anyway.
 */
export function stampEdited(record: Y.Map<unknown>, actor: string, now: number): void {
  record.set('updatedAt', now);
  if (record.get('updatedBy') !== actor) record.set('updatedBy', actor);
}

/** Defines a collection from its spec. */
export function defineCollection<
  T extends { id: string; deletedAt: number | null; archived: boolean; updatedAt: number },
  C,
  P,
  CIn,
  PIn,
>(spec: CollectionSpec<T, C, P, CIn, PIn>): Collection<T, CIn, PIn> {
  const label = spec.kind.charAt(0).toUpperCase() + spec.kind.slice(1);
  const rootOf = (doc: Y.Doc) => doc.getMap<unknown>(spec.root);

  /** The record's stored title when it is still readable text, so the person can tell which. */
  const titleOf = (record: Y.Map<unknown>): string | undefined => {
    const stored = record.get('title');
    if (typeof stored !== 'string') return undefined;
    const title = oneLine(stored.slice(0, 1_000));
    return title.length > 200 ? `${title.slice(0, 200)}…` : title || undefined;
  };

  const damaged = (
    id: string,
    problems: string[],
    stored: unknown,
    record?: Y.Map<unknown>,
  ): RecordRead<T> => {
    const title = record && titleOf(record);
    return {
      ok: false,
      damaged: {
        kind: spec.kind,
        id,
        problems,
        preview: previewValue(stored),
        ...(title ? { title } : {}),
      },
    };
  };

  /**
   * Validates one stored record. The record-specific fields are turned into plain data by the
   * bounded reader before the schema sees them, so a field nested thousands of levels deep or
   * megabytes long makes this record damaged instead of throwing; and whatever else may throw
   * while reading one record is caught here, because one record must never stop a workspace
   * from opening (docs/PROTOCOL.md §3).
   */
  function readEntry(id: string, value: unknown): RecordRead<T> {
    if (!(value instanceof Y.Map)) return damaged(id, ['record is not a map'], value);
    let plain: unknown;
    try {
      const read = readBounded({ id, kind: spec.kind, ...readBase(value), ...spec.read(value) });
      if (!read.ok) return damaged(id, [read.problem], value, value);
      plain = read.value;
    } catch (error) {
      return damaged(id, [describeThrown(error)], value, value);
    }
    const parsed = spec.schema.safeParse(plain);
    if (parsed.success) return { ok: true, value: parsed.data };
    return damaged(id, describeIssues(parsed.error), plain, value);
  }

  function get(doc: Y.Doc, id: string): RecordRead<T> | undefined {
    const root = rootOf(doc);
    return root.has(id) ? readEntry(id, root.get(id)) : undefined;
  }

  function readAfterWrite(doc: Y.Doc, id: string): Result<T> {
    const read = get(doc, id);
    if (!read) return fail('not-found', `${label} not found.`);
    if (!read.ok)
      return fail('damaged', `${label} is damaged: ${read.damaged.problems.join('; ')}`);
    return ok(read.value);
  }

  /** Finds a live record map, or explains why it cannot be written. */
  function writable(doc: Y.Doc, id: string, requireValid: boolean): Result<Y.Map<unknown>> {
    const value = rootOf(doc).get(id);
    if (value === undefined)
      return fail('not-found', `${label} not found. It may have been deleted on another device.`);
    if (!(value instanceof Y.Map)) return fail('damaged', `${label} is damaged and read-only.`);
    if (requireValid) {
      const read = readEntry(id, value);
      if (!read.ok)
        return fail(
          'damaged',
          `${label} is damaged and read-only: ${read.damaged.problems.join('; ')}`,
        );
    }
    return ok(value);
  }

  function touch(record: Y.Map<unknown>, ctx: ModelContext): void {
    stampEdited(record, ctx.actor, (ctx.now ?? Date.now)());
  }

  function setFlag(
    doc: Y.Doc,
    ctx: ModelContext,
    id: string,
    write: (record: Y.Map<unknown>) => void,
  ): Result<T | null> {
    const target = writable(doc, id, false);
    if (!target.ok) return target;
    doc.transact(() => {
      write(target.value);
      touch(target.value, ctx);
    }, MODEL_ORIGIN);
    const read = get(doc, id);
    return ok(read?.ok ? read.value : null);
  }

  return {
    kind: spec.kind,
    root: spec.root,
    read: readEntry,
    create(doc, ctx, rawInput) {
      const input = spec.createInput.safeParse(rawInput);
      if (!input.success) return fail('invalid-input', describeIssues(input.error).join(' '));
      const id = newId();
      const now = (ctx.now ?? Date.now)();
      doc.transact(() => {
        const record = new Y.Map<unknown>();
        rootOf(doc).set(id, record);
        record.set('createdAt', now);
        record.set('createdBy', ctx.actor);
        record.set('updatedAt', now);
        record.set('updatedBy', ctx.actor);
        record.set('archived', false);
        record.set('deletedAt', null);
        spec.init(record, input.data, ctx);
      }, MODEL_ORIGIN);
      return readAfterWrite(doc, id);
    },
    update(doc, ctx, id, rawPatch) {
      const patch = spec.patchInput.safeParse(rawPatch);
      if (!patch.success) return fail('invalid-input', describeIssues(patch.error).join(' '));
      const target = writable(doc, id, true);
      if (!target.ok) return target;
      const full: WriteContext = { ...ctx, now: ctx.now ?? Date.now };
      const problem = spec.check?.(doc, id, patch.data, full);
      if (problem) return fail('invalid-input', problem);
      doc.transact(() => {
        spec.apply(target.value, patch.data, full, id);
        touch(target.value, ctx);
      }, MODEL_ORIGIN);
      return readAfterWrite(doc, id);
    },
    archive(doc, ctx, id, archived = true) {
      return setFlag(doc, ctx, id, (record) => record.set('archived', archived));
    },
    remove(doc, ctx, id) {
      return setFlag(doc, ctx, id, (record) => record.set('deletedAt', (ctx.now ?? Date.now)()));
    },
    restore(doc, ctx, id) {
      return setFlag(doc, ctx, id, (record) => record.set('deletedAt', null));
    },
    purge(doc, _ctx, id) {
      const root = rootOf(doc);
      if (!root.has(id)) return fail('not-found', `${label} not found.`);
      doc.transact(() => root.delete(id), MODEL_ORIGIN);
      return ok(null);
    },
    get,
    list(doc, options = {}) {
      const items: T[] = [];
      const damaged: DamagedRecord[] = [];
      rootOf(doc).forEach((value, id) => {
        const read = readEntry(id, value);
        if (!read.ok) {
          damaged.push(read.damaged);
          return;
        }
        if (read.value.deletedAt !== null && !options.includeDeleted) return;
        if (read.value.archived && !options.includeArchived) return;
        items.push(read.value);
      });
      items.sort((a, b) => b.updatedAt - a.updatedAt || a.id.localeCompare(b.id));
      return { items, damaged };
    },
    map(doc, id) {
      const value = rootOf(doc).get(id);
      return value instanceof Y.Map ? value : undefined;
    },
  };
}
