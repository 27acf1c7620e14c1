import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { deflateSync } from 'fflate';
import { decisionContext, decisions, noteBody, notes } from '../../../shared/model';
import { readBodyTree, writeBodyTree, type BodyNode } from '../../../shared/model/notesBody';
import {
  currentVersion,
  decodeVersion,
  encodeVersion,
  restoreVersion,
  sameVersion,
  versionText,
} from '../../../shared/model/versions';
import { cutBodies, cutRoot } from '../../../shared/model/bodyDocs';
import { bodyFragment } from '../../../shared/model/bodyDocuments';
import { MODEL_ORIGIN } from '../../../shared/model/roots';

const ctx = (actor = 'member-aaaa', at = 1_000) => ({ actor, now: () => at });
const paragraph = (text: string): BodyNode => ({
  type: 'paragraph',
  content: [{ type: 'text', text }],
});

function noteWith(doc: Y.Doc, title: string, body: BodyNode[]): string {
  const created = notes.create(doc, ctx(), { title });
  if (!created.ok) throw new Error(created.error.message);
  doc.transact(() => writeBodyTree(noteBody(doc, created.value.id)!, body));
  return created.value.id;
}

describe('versions of notes and decisions', () => {
  it('encode a note’s title and rich text and read them back the same', () => {
    const doc = new Y.Doc();
    const body: BodyNode[] = [
      { type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: 'Plan' }] },
      {
        type: 'paragraph',
        content: [
          { type: 'text', text: 'Go ' },
          { type: 'text', text: 'north', marks: { bold: {} } },
          { type: 'noteLink', attrs: { noteId: 'note-target-01', label: 'Map' } },
        ],
      },
    ];
    const id = noteWith(doc, 'Trip', body);
    const version = currentVersion(doc, 'note', id)!;
    expect(version).toEqual({ title: 'Trip', body: readBodyTree(noteBody(doc, id)!), fields: {} });
    const decoded = decodeVersion(encodeVersion(version));
    expect(decoded).toEqual(version);
    expect(sameVersion(decoded!, version)).toBe(true);
    expect(versionText(version, () => 'Map of the north')).toBe(
      '# Trip\n\n## Plan\n\nGo **north**[[Map of the north]]\n',
    );
  });

  it('refuse bytes that are not a version instead of throwing', () => {
    expect(decodeVersion(new Uint8Array([1, 2, 3, 4, 5]))).toBeNull();
    expect(decodeVersion(Y.encodeStateAsUpdateV2(new Y.Doc()))).toBeNull();
    expect(decodeVersion(deflateSync(Y.encodeStateAsUpdateV2(new Y.Doc())))).toBeNull();
  });

  it('restore a note’s title and body as an edit by the actor, in one transaction', () => {
    const doc = new Y.Doc();
    const id = noteWith(doc, 'Draft', [paragraph('first words')]);
    const old = currentVersion(doc, 'note', id)!;
    notes.update(doc, ctx(), id, { title: 'Final' });
    doc.transact(() => {
      const body = noteBody(doc, id)!;
      body.delete(0, body.length);
      writeBodyTree(body, [paragraph('everything rewritten'), paragraph('and more')]);
    });
    let transactions = 0;
    doc.on('afterTransaction', () => transactions++);
    const restored = restoreVersion(doc, ctx('member-bbbb', 5_000), 'note', id, old);
    expect(restored.ok).toBe(true);
    expect(transactions).toBe(1);
    expect(currentVersion(doc, 'note', id)).toEqual(old);
    expect(notes.get(doc, id)).toMatchObject({
      ok: true,
      value: { title: 'Draft', updatedBy: 'member-bbbb', updatedAt: 5_000 },
    });
  });

  it('restore merges with a peer’s concurrent edit like any other edit', () => {
    const a = new Y.Doc();
    const id = noteWith(a, 'Shared', [paragraph('v1')]);
    const v1 = currentVersion(a, 'note', id)!;
    const b = new Y.Doc();
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    restoreVersion(a, ctx(), 'note', id, { ...v1, body: [paragraph('v0')] });
    b.transact(() => writeBodyTree(noteBody(b, id)!, [paragraph('from the peer')]));
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    expect(currentVersion(a, 'note', id)).toEqual(currentVersion(b, 'note', id));
    const text = versionText(currentVersion(a, 'note', id)!);
    expect(text).toContain('v0');
    expect(text).toContain('from the peer');
    expect(text).not.toContain('v1');
  });

  it('restore a decision’s title, context and text fields, leaving status and options', () => {
    const doc = new Y.Doc();
    const created = decisions.create(doc, ctx(), { title: 'Pick a tool' });
    if (!created.ok) throw new Error(created.error.message);
    const id = created.value.id;
    decisions.update(doc, ctx(), id, { proposal: 'Use A', drivers: 'Cost' });
    doc.transact(() => writeBodyTree(decisionContext(doc, id)!, [paragraph('We need one')]));
    const old = currentVersion(doc, 'decision', id)!;
    expect(old.fields).toEqual({ drivers: 'Cost', proposal: 'Use A', outcome: '' });
    decisions.update(doc, ctx(), id, {
      title: 'Pick a better tool',
      proposal: 'Use B',
      addOption: { title: 'B' },
    });
    expect(restoreVersion(doc, ctx(), 'decision', id, old).ok).toBe(true);
    expect(currentVersion(doc, 'decision', id)).toEqual(old);
    expect(decisions.get(doc, id)).toMatchObject({
      ok: true,
      value: { options: [{ title: 'B' }] },
    });
  });

  it('refuse to restore into a note in the trash or one that is gone, changing nothing', () => {
    const doc = new Y.Doc();
    const id = noteWith(doc, 'Old', [paragraph('x')]);
    const version = currentVersion(doc, 'note', id)!;
    notes.remove(doc, ctx(), id);
    const before = Y.encodeStateVector(doc);
    expect(restoreVersion(doc, ctx(), 'note', id, version)).toMatchObject({
      ok: false,
      error: { code: 'in-trash' },
    });
    expect(Y.encodeStateVector(doc)).toEqual(before);
    expect(restoreVersion(doc, ctx(), 'note', 'no-such-note-01', version)).toMatchObject({
      ok: false,
      error: { code: 'not-found' },
    });
  });
});

describe('versions of notes whose bodies are documents of their own (schema 2)', () => {
  /** A lean root holding the note's record (no `body`) and the body document of its own. */
  function leanNote(title: string, body: BodyNode[]): { root: Y.Doc; bodyDoc: Y.Doc; id: string } {
    const legacy = new Y.Doc();
    const id = noteWith(legacy, title, body);
    const root = new Y.Doc();
    Y.applyUpdate(root, cutRoot(legacy));
    const bodyDoc = new Y.Doc({ guid: id });
    Y.applyUpdate(bodyDoc, cutBodies(legacy).get(id)!);
    return { root, bodyDoc, id };
  }

  it('read the title from the record and the text from the body document', () => {
    const { root, bodyDoc, id } = leanNote('Trip', [paragraph('north')]);
    expect(currentVersion(root, 'note', id, bodyDoc)).toEqual({
      title: 'Trip',
      body: [paragraph('north')],
      fields: {},
    });
  });

  it('restore the title into the record and the text into the body document, nothing into the record’s body', () => {
    const { root, bodyDoc, id } = leanNote('Draft', [paragraph('first words')]);
    const old = currentVersion(root, 'note', id, bodyDoc)!;
    notes.update(root, ctx(), id, { title: 'Final' });
    bodyDoc.transact(() => writeBodyTree(bodyFragment(bodyDoc), [paragraph('more')]));
    const origins: unknown[] = [];
    bodyDoc.on('update', (_update: Uint8Array, origin: unknown) => origins.push(origin));
    const restored = restoreVersion(root, ctx('member-bbbb', 5_000), 'note', id, old, bodyDoc);
    expect(restored.ok).toBe(true);
    expect(currentVersion(root, 'note', id, bodyDoc)).toEqual(old);
    expect(origins).toEqual([MODEL_ORIGIN]);
    expect(notes.map(root, id)!.has('body')).toBe(false);
    expect(notes.get(root, id)).toMatchObject({
      ok: true,
      value: { title: 'Draft', updatedBy: 'member-bbbb', updatedAt: 5_000 },
    });
  });

  it('refuse to restore into a note in the trash, changing neither document', () => {
    const { root, bodyDoc, id } = leanNote('Old', [paragraph('x')]);
    const version = { ...currentVersion(root, 'note', id, bodyDoc)!, body: [paragraph('y')] };
    notes.remove(root, ctx(), id);
    const rootBefore = Y.encodeStateVector(root);
    const bodyBefore = Y.encodeStateVector(bodyDoc);
    expect(restoreVersion(root, ctx(), 'note', id, version, bodyDoc)).toMatchObject({
      ok: false,
      error: { code: 'in-trash' },
    });
    expect(Y.encodeStateVector(root)).toEqual(rootBefore);
    expect(Y.encodeStateVector(bodyDoc)).toEqual(bodyBefore);
  });

  it('refuse to restore into a body document whose text is taken by another type, with a message', () => {
    const { root, id } = leanNote('Odd', [paragraph('x')]);
    const bodyDoc = new Y.Doc({ guid: id });
    bodyDoc.getMap('body');
    const version = { title: 'Odd', body: [paragraph('y')], fields: {} };
    const restored = restoreVersion(root, ctx(), 'note', id, version, bodyDoc);
    expect(restored).toMatchObject({ ok: false, error: { code: 'damaged' } });
    expect(notes.get(root, id)).toMatchObject({ ok: true, value: { title: 'Odd' } });
  });
});
