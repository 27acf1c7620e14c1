/**
 * The notes list's first screen as plain data: the rows the list shows first in its default view
 * (active notes, no tag filter, pinned first, then newest edit first) with what a row shows, and
 * how many notes that view holds. A device stores it so that the next open can paint the list
 * before the workspace's document has been read (renderer/sync/storage/firstScreenStore.ts); it is
 * a picture of the list, never a source of records.
 */
import type { Note } from '../schema/records';
import type { NotesIndexReader, NotesList } from './notesLive';

/** Rows kept: more than the tallest window shows at the list's 72 px rows. */
export const FIRST_SCREEN_ROWS = 60;
/** Tags a row shows (the list shows the first four of a note's tags). */
export const FIRST_SCREEN_TAGS = 4;
/** Tags the list's tag bar offers: the most used ones of the view. */
export const TAG_BAR_TAGS = 30;

/** One row of the list as it is shown. */
export interface FirstScreenRow {
  readonly id: string;
  readonly title: string;
  readonly pinned: boolean;
  readonly updatedAt: number;
  readonly tags: readonly string[];
  /** The start of the body ('' for an empty one). */
  readonly snippet: string;
}

/** A tag of the tag bar and how many notes of the view carry it. */
export type TagCount = readonly [tag: string, notes: number];

export interface FirstScreen {
  /** Notes in the list's default view: the list's length once it is whole. */
  readonly total: number;
  readonly rows: readonly FirstScreenRow[];
  /**
   * The tag bar above the rows ({@link tagBar} of the default view), so that the preview's rows
   * sit where the list's will: without it they jump down when the list is read.
   */
  readonly tags: readonly TagCount[];
}

/** The tag bar of `notes`: their most used tags, most used first, then by name. */
export function tagBar(notes: readonly Pick<Note, 'tags'>[], limit = TAG_BAR_TAGS): TagCount[] {
  const counts = new Map<string, number>();
  for (const note of notes)
    for (const tag of note.tags) counts.set(tag, (counts.get(tag) ?? 0) + 1);
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, limit);
}

/** Pinned notes first, each part keeping the order it was given in (the list's order). */
export function pinnedFirst<T extends Pick<Note, 'pinned'>>(notes: readonly T[]): T[] {
  const pinned: T[] = [];
  const rest: T[] = [];
  for (const note of notes) (note.pinned ? pinned : rest).push(note);
  return pinned.length === 0 ? rest : [...pinned, ...rest];
}

/** Notes the list's default view shows: neither archived nor in the trash. */
export function isActiveNote(note: Pick<Note, 'archived' | 'deletedAt'>): boolean {
  return !note.archived && note.deletedAt === null;
}

/**
 * The first screen of `list`, snippets from `reader`; null while the list is not whole yet (its
 * `unread` notes not validated), since its length and order would not be the list's.
 */
export function firstScreenOf(
  list: NotesList,
  reader: NotesIndexReader,
  rows = FIRST_SCREEN_ROWS,
): FirstScreen | null {
  if (list.unread > 0) return null;
  const active = pinnedFirst(list.items.filter(isActiveNote));
  return {
    total: active.length,
    rows: active.slice(0, rows).map((note) => ({
      id: note.id,
      title: note.title,
      pinned: note.pinned,
      updatedAt: note.updatedAt,
      tags: note.tags.slice(0, FIRST_SCREEN_TAGS),
      snippet: reader.snippet(note.id),
    })),
    tags: tagBar(active),
  };
}
