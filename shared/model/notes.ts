/**
 * Note records. Metadata fields merge field by field; tags are a Y.Map used as a set so concurrent
 * additions both survive; the body is a Y.XmlFragment under the key `body` for rich-text bindings.
 */
import * as Y from 'yjs';
import { z } from 'zod';
import { defineCollection, stampEdited, type ModelContext } from './collection';
import { MODEL_ORIGIN, ROOT } from './roots';
import { copyBody, writeBodyTree, type BodyNode } from './notesBody';
import { mapNoteLinks } from './notesLinks';
import { fail, ok, type Result } from '../result';
import { Note, Tag } from '../schema/records';
import { oneLine } from '../core/text';

export const NOTE_BODY_KEY = 'body';
const NOTE_TAGS_KEY = 'tags';

const NoteTitle = z
  .string()
  .transform(oneLine)
  .pipe(z.string().max(200, 'Title is longer than 200 characters.'));

export const NoteCreateInput = z
  .object({ title: NoteTitle.default(''), tags: z.array(Tag).max(100).default([]) })
  .strict();
export const NotePatchInput = z
  .object({
    title: NoteTitle,
    pinned: z.boolean(),
    addTags: z.array(Tag).max(100),
    removeTags: z.array(Tag).max(100),
  })
  .partial()
  .strict();

/**
 * The tags of a note's tag set, sorted (forEach: a workspace's 10,000 notes are read at open). A
 * set's values are `true`; a set holding anything else is returned as it is, for validation to
 * report, rather than having a peer's value under a tag go unseen.
 */
function tagList(tags: Y.Map<unknown>): string[] | Y.Map<unknown> {
  const list: string[] = [];
  let valid = true;
  tags.forEach((value, tag) => {
    if (value !== true) valid = false;
    list.push(tag);
  });
  if (!valid) return tags;
  return list.length > 1 ? list.sort() : list;
}

function tagsOf(record: Y.Map<unknown>): Y.Map<unknown> | undefined {
  const tags = record.get(NOTE_TAGS_KEY);
  return tags instanceof Y.Map ? tags : undefined;
}

export const notes = defineCollection({
  kind: 'note',
  root: ROOT.notes,
  schema: Note,
  createInput: NoteCreateInput,
  patchInput: NotePatchInput,
  init(record, input, ctx) {
    record.set('title', input.title);
    record.set('pinned', false);
    const tags = new Y.Map<unknown>();
    record.set(NOTE_TAGS_KEY, tags);
    for (const tag of input.tags) tags.set(tag, true);
    // A schema-2 record has no body: its body is a document of its own (bodyDocuments.ts).
    if (!separateBodies(ctx)) record.set(NOTE_BODY_KEY, new Y.XmlFragment());
  },
  apply(record, patch) {
    if (patch.title !== undefined) record.set('title', patch.title);
    if (patch.pinned !== undefined) record.set('pinned', patch.pinned);
    if (patch.addTags?.length || patch.removeTags?.length) {
      let tags = tagsOf(record);
      if (!tags) {
        tags = new Y.Map<unknown>();
        record.set(NOTE_TAGS_KEY, tags);
      }
      for (const tag of patch.addTags ?? []) tags.set(tag, true);
      for (const tag of patch.removeTags ?? []) tags.delete(tag);
    }
  },
  read(record) {
    const tags = tagsOf(record);
    return {
      title: record.get('title'),
      pinned: record.get('pinned'),
      tags: tags ? tagList(tags) : record.get(NOTE_TAGS_KEY),
    };
  },
});

/** Whether writes as `ctx` keep note bodies as documents of their own (schema 2). */
export function separateBodies(ctx: ModelContext): boolean {
  return ctx.bodies === 'separate';
}

/** The rich-text body of a note, or undefined for a missing or damaged note. */
export function noteBody(doc: Y.Doc, id: string): Y.XmlFragment | undefined {
  const body = notes.map(doc, id)?.get(NOTE_BODY_KEY);
  return body instanceof Y.XmlFragment ? body : undefined;
}

/** Marks a note as edited now by the actor (the editor calls this after body edits settle). */
export function touchNote(doc: Y.Doc, ctx: ModelContext, id: string): Result<null> {
  const record = notes.map(doc, id);
  if (!record)
    return fail('not-found', 'Note not found. It may have been deleted on another device.');
  const read = notes.get(doc, id);
  if (!read?.ok) return fail('damaged', 'Note is damaged and read-only.');
  doc.transact(() => {
    stampEdited(record, ctx.actor, (ctx.now ?? Date.now)());
  }, MODEL_ORIGIN);
  return ok(null);
}

/** What a new note starts with when it is made from a template, an import or a copy. */
export interface NoteSeed {
  readonly title: string;
  readonly tags?: readonly string[];
  readonly pinned?: boolean;
  readonly createdAt?: number | null;
  readonly updatedAt?: number | null;
  readonly body: readonly BodyNode[];
}

/** A new note's body that a write leaves for its caller to store as its own document (schema 2). */
export interface SeparateBody {
  readonly id: string;
  readonly body: readonly BodyNode[];
}

/** Notes made from seeds, and (schema 2) the bodies still to store, one per note, in order. */
export interface SeededNotes {
  readonly notes: Note[];
  /** Empty while bodies are embedded: they are written into the records already. */
  readonly bodies: readonly SeparateBody[];
}

/**
 * Creates notes with bodies in one transaction: all of them or, when one seed is invalid, none.
 * `linkTitles` resolves `[[Title]]` links of the seeds (noteLink nodes without an id) by title,
 * preferring the notes created here, then live notes of the workspace. With bodies kept as
 * documents of their own (`ctx.bodies`), the records get none and the bodies, links resolved, are
 * returned for the caller to store (renderer/features/notes/noteBodies.ts).
 */
export function seedNotes(
  doc: Y.Doc,
  ctx: ModelContext,
  seeds: readonly NoteSeed[],
): Result<SeededNotes> {
  for (const [index, seed] of seeds.entries()) {
    const input = NoteCreateInput.safeParse({ title: seed.title, tags: seed.tags ?? [] });
    if (!input.success)
      return fail(
        'invalid-input',
        `Note ${index + 1} (“${seed.title.slice(0, 40)}”): ${input.error.issues[0]?.message ?? 'invalid'}`,
      );
  }
  const ids: string[] = [];
  const bodies: SeparateBody[] = [];
  let failure: Result<SeededNotes> | null = null;
  doc.transact(() => {
    for (const seed of seeds) {
      const result = notes.create(doc, ctx, { title: seed.title, tags: [...(seed.tags ?? [])] });
      if (!result.ok) {
        failure = result;
        return;
      }
      ids.push(result.value.id);
    }
    const byTitle = new Map<string, string>();
    for (const item of notes.list(doc).items) byTitle.set(item.title.toLowerCase(), item.id);
    seeds.forEach((seed, index) => byTitle.set(seed.title.toLowerCase(), ids[index]!));
    seeds.forEach((seed, index) => {
      const id = ids[index]!;
      const record = notes.map(doc, id)!;
      if (seed.pinned) record.set('pinned', true);
      if (typeof seed.createdAt === 'number') record.set('createdAt', seed.createdAt);
      if (typeof seed.updatedAt === 'number') record.set('updatedAt', seed.updatedAt);
      const body = mapNoteLinks(seed.body, (attrs) => {
        if (typeof attrs.noteId === 'string' && attrs.noteId) return { ...attrs };
        const label = typeof attrs.label === 'string' ? attrs.label : '';
        return { ...attrs, noteId: byTitle.get(label.toLowerCase()) ?? '', label };
      });
      if (separateBodies(ctx)) bodies.push({ id, body });
      else writeBodyTree(noteBody(doc, id)!, body);
    });
  }, MODEL_ORIGIN);
  if (failure) return failure;
  const created: Note[] = [];
  for (const id of ids) {
    const read = notes.get(doc, id);
    if (read?.ok) created.push(read.value);
  }
  return ok({ notes: created, bodies });
}

/**
 * {@link seedNotes} where bodies are embedded. Refused where they are not, rather than creating
 * notes whose bodies nobody stores: such callers use `seedNotes` and store what it returns.
 */
export function createNotesFromSeeds(
  doc: Y.Doc,
  ctx: ModelContext,
  seeds: readonly NoteSeed[],
): Result<Note[]> {
  if (separateBodies(ctx))
    return fail('internal', 'Notes whose bodies are documents of their own come from seedNotes.');
  const result = seedNotes(doc, ctx, seeds);
  return result.ok ? ok(result.value.notes) : result;
}

/**
 * Copies a note (title, tags, body) as a new live note. With bodies kept as documents of their
 * own (`ctx.bodies`) only the record is copied: the caller copies the body document.
 */
export function duplicateNote(doc: Y.Doc, ctx: ModelContext, id: string): Result<Note> {
  const read = notes.get(doc, id);
  if (!read)
    return fail('not-found', 'Note not found. It may have been deleted on another device.');
  if (!read.ok) return fail('damaged', 'A damaged note cannot be duplicated.');
  const source = noteBody(doc, id);
  let result: Result<Note> = fail('internal', 'Could not duplicate the note.');
  doc.transact(() => {
    const title = read.value.title ? `${read.value.title} (copy)`.slice(0, 200) : '';
    result = notes.create(doc, ctx, { title, tags: read.value.tags });
    if (!result.ok) return;
    const target = noteBody(doc, result.value.id);
    if (source && target) copyBody(source, target);
  }, MODEL_ORIGIN);
  return result;
}

/** Deletes every note in the trash forever, in one transaction; returns how many. */
export function emptyNotesTrash(doc: Y.Doc, _ctx: ModelContext): Result<number> {
  const root = doc.getMap<unknown>(ROOT.notes);
  const trashed: string[] = [];
  root.forEach((value, id) => {
    if (value instanceof Y.Map && typeof value.get('deletedAt') === 'number') trashed.push(id);
  });
  if (trashed.length === 0) return ok(0);
  doc.transact(() => {
    for (const id of trashed) root.delete(id);
  }, MODEL_ORIGIN);
  return ok(trashed.length);
}
