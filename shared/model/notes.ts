/**
 * Note records. Metadata fields merge field by field; tags are a Y.Map used as a set so concurrent
 * additions both survive; the body is a Y.XmlFragment under the key `body` for rich-text bindings.
 */
import * as Y from 'yjs';
import { z } from 'zod';
import { defineCollection } from './collection';
import { ROOT } from './roots';
import { Note, Tag } from '../schema/records';

export const NOTE_BODY_KEY = 'body';
const NOTE_TAGS_KEY = 'tags';

const NoteTitle = z
  .string()
  .transform((value) => value.replace(/\s+/g, ' ').trim())
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
  init(record, input) {
    record.set('title', input.title);
    record.set('pinned', false);
    const tags = new Y.Map<unknown>();
    record.set(NOTE_TAGS_KEY, tags);
    for (const tag of input.tags) tags.set(tag, true);
    record.set(NOTE_BODY_KEY, new Y.XmlFragment());
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
      tags: tags ? [...tags.keys()].sort() : record.get(NOTE_TAGS_KEY),
    };
  },
});

/** The rich-text body of a note, or undefined for a missing or damaged note. */
export function noteBody(doc: Y.Doc, id: string): Y.XmlFragment | undefined {
  const body = notes.map(doc, id)?.get(NOTE_BODY_KEY);
  return body instanceof Y.XmlFragment ? body : undefined;
}
