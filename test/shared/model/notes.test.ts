import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { MODEL_ORIGIN, ROOT, noteBody, notes } from '../../../shared/model';
import { touchNote } from '../../../shared/model/notes';

const ctx = (actor = 'member-aaaa', at = 1_000) => ({ actor, now: () => at });

describe('notes', () => {
  it('creates a note with normalized title, tags and an empty rich-text body', () => {
    const doc = new Y.Doc();
    const created = notes.create(doc, ctx(), { title: '  Trip   plan ', tags: ['Travel', 'q3'] });
    expect(created.ok).toBe(true);
    if (!created.ok) return;
    expect(created.value).toMatchObject({
      kind: 'note',
      title: 'Trip plan',
      tags: ['q3', 'travel'],
      pinned: false,
      archived: false,
      deletedAt: null,
      createdBy: 'member-aaaa',
      createdAt: 1_000,
    });
    expect(noteBody(doc, created.value.id)).toBeInstanceOf(Y.XmlFragment);
  });

  it('tags every write with the model origin, one transaction per call', () => {
    const doc = new Y.Doc();
    const origins: unknown[] = [];
    doc.on('afterTransaction', (tr: Y.Transaction) => origins.push(tr.origin));
    const created = notes.create(doc, ctx(), { title: 'A' });
    if (!created.ok) throw new Error(created.error.message);
    notes.update(doc, ctx(), created.value.id, { title: 'B', pinned: true, addTags: ['x'] });
    expect(origins).toEqual([MODEL_ORIGIN, MODEL_ORIGIN]);
  });

  it("keeps the root's size as one person's edits stamp a note again and again", () => {
    const doc = new Y.Doc();
    const created = notes.create(doc, ctx(), { title: 'Journal' });
    if (!created.ok) throw new Error(created.error.message);
    const structs = () => [...doc.store.clients.values()].reduce((n, all) => n + all.length, 0);
    const size = () => Y.encodeStateAsUpdate(doc).length;
    const before = { structs: structs(), size: size() };
    // A pause in typing stamps the note: a thousand pauses from one person.
    for (let pause = 1; pause <= 1_000; pause++)
      expect(touchNote(doc, ctx('member-aaaa', 1_000 + pause), created.value.id).ok).toBe(true);
    expect(structs()).toBeLessThanOrEqual(before.structs + 3);
    expect(size()).toBeLessThan(before.size + 40);
    // Someone else's edit still names them.
    touchNote(doc, ctx('member-bbbb', 5_000), created.value.id);
    const read = notes.get(doc, created.value.id);
    expect(read?.ok && read.value).toMatchObject({ updatedAt: 5_000, updatedBy: 'member-bbbb' });
  });

  it('renames, pins and edits tags, recording who and when', () => {
    const doc = new Y.Doc();
    const created = notes.create(doc, ctx(), { title: 'Draft', tags: ['a'] });
    if (!created.ok) throw new Error(created.error.message);
    const updated = notes.update(doc, ctx('member-bbbb', 2_000), created.value.id, {
      title: 'Final',
      pinned: true,
      addTags: ['b'],
      removeTags: ['a'],
    });
    expect(updated.ok && updated.value).toMatchObject({
      title: 'Final',
      pinned: true,
      tags: ['b'],
      updatedBy: 'member-bbbb',
      updatedAt: 2_000,
      createdBy: 'member-aaaa',
    });
  });

  it('rejects invalid input with a readable message and writes nothing', () => {
    const doc = new Y.Doc();
    const before = Y.encodeStateAsUpdate(doc);
    const result = notes.create(doc, ctx(), { title: 'x'.repeat(201) });
    expect(result).toEqual({
      ok: false,
      error: { code: 'invalid-input', message: 'title: Title is longer than 200 characters.' },
    });
    const badTag = notes.create(doc, ctx(), { tags: ['two words'] });
    expect(!badTag.ok && badTag.error.message).toMatch(/Tags cannot contain spaces/);
    expect(Y.encodeStateAsUpdate(doc)).toEqual(before);
  });

  it('archives, trashes, restores and purges; lists hide archived and trashed by default', () => {
    const doc = new Y.Doc();
    const a = notes.create(doc, ctx('m-aaaaaaaa', 1), { title: 'A' });
    const b = notes.create(doc, ctx('m-aaaaaaaa', 2), { title: 'B' });
    const c = notes.create(doc, ctx('m-aaaaaaaa', 3), { title: 'C' });
    if (!a.ok || !b.ok || !c.ok) throw new Error('create failed');
    notes.archive(doc, ctx(), a.value.id);
    notes.remove(doc, ctx('m', 5), b.value.id);
    expect(notes.list(doc).items.map((n) => n.title)).toEqual(['C']);
    expect(notes.list(doc, { includeArchived: true, includeDeleted: true }).items).toHaveLength(3);
    expect(notes.get(doc, b.value.id)).toMatchObject({ ok: true, value: { deletedAt: 5 } });
    notes.restore(doc, ctx(), b.value.id);
    expect(
      notes
        .list(doc)
        .items.map((n) => n.title)
        .sort(),
    ).toEqual(['B', 'C']);
    expect(notes.purge(doc, ctx(), c.value.id)).toEqual({ ok: true, value: null });
    expect(notes.get(doc, c.value.id)).toBeUndefined();
    expect(notes.update(doc, ctx(), c.value.id, { title: 'gone' })).toMatchObject({
      ok: false,
      error: { code: 'not-found' },
    });
  });

  it('reports a damaged record instead of throwing or dropping it, and keeps it read-only', () => {
    const doc = new Y.Doc();
    const good = notes.create(doc, ctx(), { title: 'Fine' });
    if (!good.ok) throw new Error('create failed');
    const root = doc.getMap<unknown>(ROOT.notes);
    const broken = new Y.Map<unknown>();
    root.set('damaged-note-1', broken);
    broken.set('title', 42);
    root.set('not-a-map-123', 'hello');

    const listed = notes.list(doc);
    expect(listed.items.map((n) => n.title)).toEqual(['Fine']);
    expect(listed.damaged.map((d) => d.id).sort()).toEqual(['damaged-note-1', 'not-a-map-123']);
    const damaged = listed.damaged.find((d) => d.id === 'damaged-note-1');
    expect(damaged?.problems.join(' ')).toMatch(/title/);
    expect(damaged?.preview).toContain('42');
    expect(notes.update(doc, ctx(), 'damaged-note-1', { title: 'fix' })).toMatchObject({
      ok: false,
      error: { code: 'damaged' },
    });
    expect(damaged?.title).toBeUndefined();
    // A record damaged elsewhere still says which note it is by its stored title.
    const tagged = notes.create(doc, ctx(), { title: 'Launch  plan' });
    if (!tagged.ok) throw new Error('create failed');
    notes.map(doc, tagged.value.id)!.set('pinned', 'yes');
    expect(notes.get(doc, tagged.value.id)).toMatchObject({
      ok: false,
      damaged: { title: 'Launch plan', problems: [expect.stringMatching(/^pinned:/)] },
    });
    expect(notes.get(doc, 'not-a-map-123')).toMatchObject({
      ok: false,
      damaged: { problems: ['record is not a map'] },
    });
  });
});
