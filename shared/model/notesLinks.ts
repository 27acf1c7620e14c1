/**
 * Links inside notes: web links (a `link` mark with an `href`) and links to other notes (a
 * `noteLink` node with the target's id). See docs/PROTOCOL.md §1.4.1.
 */
import type { Note } from '../schema/records';
import type { BodyNode } from './notesBody';

// Web links are checked in linkUrl.ts, which the body reader uses too (notesBody.ts imports this
// module's types, so the check lives apart to keep the two out of a circle).
export { safeLinkUrl } from './linkUrl';

/** Where a note link points, as the reader sees it. */
export type LinkTarget =
  | { readonly state: 'ok'; readonly note: Note }
  | { readonly state: 'trashed'; readonly note: Note }
  | { readonly state: 'missing' };

/** Resolves a note link's target among the notes of the workspace. */
export function resolveNoteLink(noteId: string, byId: ReadonlyMap<string, Note>): LinkTarget {
  const note = noteId ? byId.get(noteId) : undefined;
  if (!note) return { state: 'missing' };
  return note.deletedAt === null ? { state: 'ok', note } : { state: 'trashed', note };
}

/** Notes whose title starts with, then contains, the query — for `[[` suggestions. */
export function suggestNotes(
  query: string,
  notes: readonly Note[],
  excludeId: string | null,
  limit = 8,
): Note[] {
  const needle = query.trim().toLowerCase();
  const starts: Note[] = [];
  const contains: Note[] = [];
  for (const note of notes) {
    if (note.deletedAt !== null || note.id === excludeId) continue;
    const title = note.title.toLowerCase();
    if (!needle || title.startsWith(needle)) starts.push(note);
    else if (title.includes(needle)) contains.push(note);
    if (starts.length >= limit) break;
  }
  return [...starts, ...contains].slice(0, limit);
}

/** Calls `visit` on every note link of a tree and returns a tree with what it returns. */
export function mapNoteLinks(
  nodes: readonly BodyNode[],
  visit: (attrs: Readonly<Record<string, unknown>>) => Record<string, unknown>,
): BodyNode[] {
  return nodes.map((node) => {
    if (node.type === 'text') return node;
    if (node.type === 'noteLink') return { ...node, attrs: visit(node.attrs ?? {}) };
    return node.content ? { ...node, content: mapNoteLinks(node.content, visit) } : node;
  });
}
