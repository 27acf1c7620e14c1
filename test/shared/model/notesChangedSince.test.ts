/**
 * Which notes changed since a stored snapshot: new notes, title and body edits, text deleted from
 * a body (which adds no clock, so a state vector alone would miss it), notes emptied from the
 * trash; changes outside notes name no note; more changes than the limit, or a snapshot from a
 * document this one does not continue, ask for everything to be read again.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { goals, notes, noteBody } from '../../../shared/model';
import { emptyNotesTrash } from '../../../shared/model/notes';
import { writeBodyTree } from '../../../shared/model/notesBody';
import { notesChangedSince, notesIndexSnapshot } from '../../../shared/model/notesChangedSince';

const ctx = { actor: 'member-1', now: () => 1_760_000_000_000 };

function note(doc: Y.Doc, title: string, body: string): string {
  const created = notes.create(doc, ctx, { title });
  if (!created.ok) throw new Error(created.error.message);
  doc.transact(() =>
    writeBodyTree(noteBody(doc, created.value.id)!, [
      { type: 'paragraph', content: [{ type: 'text', text: body }] },
    ]),
  );
  return created.value.id;
}

/** The body's first text node (paragraph → text). */
function bodyText(doc: Y.Doc, id: string): Y.XmlText {
  const paragraph = noteBody(doc, id)!.get(0) as Y.XmlElement;
  return paragraph.get(0) as Y.XmlText;
}

function workspace() {
  const doc = new Y.Doc();
  const a = note(doc, 'Alpha', 'first body');
  const b = note(doc, 'Beta', 'second body');
  const c = note(doc, 'Gamma', 'third body');
  return { doc, a, b, c, snapshot: notesIndexSnapshot(doc) };
}

const changed = (result: ReturnType<typeof notesChangedSince>) =>
  result.kind === 'changed' ? [...result.notes].sort() : result.kind;

describe('notesChangedSince', () => {
  it('finds nothing changed when nothing was', () => {
    const { doc, snapshot } = workspace();
    expect(notesChangedSince(doc, snapshot, 1000)).toEqual({ kind: 'same' });
  });

  it('names a new note, a renamed one and one whose body was typed into', () => {
    const { doc, a, b, snapshot } = workspace();
    const added = note(doc, 'Delta', 'fourth');
    notes.update(doc, ctx, a, { title: 'Alpha 2' });
    bodyText(doc, b).insert(0, 'more ');
    expect(changed(notesChangedSince(doc, snapshot, 1000))).toEqual([a, b, added].sort());
  });

  it('names a note whose body only lost text', () => {
    const { doc, c, snapshot } = workspace();
    const before = Y.encodeStateVector(doc);
    bodyText(doc, c).delete(0, 6);
    // Deleting writes no new item: the state vector alone says nothing changed.
    expect(Y.encodeStateVector(doc)).toEqual(before);
    expect(changed(notesChangedSince(doc, snapshot, 1000))).toEqual([c]);
  });

  it('names notes emptied from the trash', () => {
    const { doc, a, snapshot } = workspace();
    notes.remove(doc, ctx, a);
    const trashed = notesIndexSnapshot(doc);
    expect(changed(notesChangedSince(doc, snapshot, 1000))).toEqual([a]);
    emptyNotesTrash(doc, ctx);
    expect(notes.map(doc, a)).toBeUndefined();
    expect(changed(notesChangedSince(doc, trashed, 1000))).toEqual([a]);
  });

  it('names no note for changes elsewhere in the workspace', () => {
    const { doc, snapshot } = workspace();
    goals.create(doc, ctx, { title: 'Ship the beta' });
    expect(changed(notesChangedSince(doc, snapshot, 1000))).toEqual([]);
  });

  it('names the notes a peer changed, as applied from its update', () => {
    const { doc, a, snapshot } = workspace();
    const peer = new Y.Doc();
    Y.applyUpdate(peer, Y.encodeStateAsUpdate(doc));
    bodyText(peer, a).insert(0, 'from a peer ');
    const fresh = note(peer, 'Peer note', 'hello');
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(peer, Y.encodeStateVector(doc)));
    expect(changed(notesChangedSince(doc, snapshot, 1000))).toEqual([a, fresh].sort());
  });

  it('asks for everything past the limit, or for a snapshot this document does not continue', () => {
    const { doc, snapshot } = workspace();
    for (let i = 0; i < 5; i++) note(doc, `More ${i}`, 'text');
    expect(notesChangedSince(doc, snapshot, 3)).toEqual({ kind: 'too-many' });
    const other = workspace();
    expect(notesChangedSince(other.doc, snapshot, 1000)).toEqual({ kind: 'too-many' });
  });

  it('throws on bytes that are not a snapshot', () => {
    const { doc } = workspace();
    expect(() => notesChangedSince(doc, new Uint8Array([255, 255, 255]), 10)).toThrow();
  });
});
