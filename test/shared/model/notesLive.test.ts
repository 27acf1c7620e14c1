import { describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { notes, noteBody, ROOT } from '../../../shared/model';
import { duplicateNote, emptyNotesTrash, touchNote } from '../../../shared/model/notes';
import { createNotesLive, type NotesLive } from '../../../shared/model/notesLive';
import { readBodyTree, writeBodyTree, type BodyNode } from '../../../shared/model/notesBody';
import { resolveNoteLink, safeLinkUrl, suggestNotes } from '../../../shared/model/notesLinks';
import { NoteSearchIndex } from '../../../shared/model/notesSearch';

const ctx = { actor: 'member-1', now: () => 1_760_000_000_000 };

/** A deterministic scheduler: tasks run only when the test says so. */
function manualClock() {
  const tasks = new Map<number, () => void>();
  let next = 1;
  return {
    schedule: (run: () => void) => {
      tasks.set(next, run);
      return next++;
    },
    cancel: (handle: unknown) => tasks.delete(handle as number),
    pending: () => tasks.size,
    runAll() {
      while (tasks.size > 0) {
        const [id, run] = tasks.entries().next().value!;
        tasks.delete(id);
        run();
      }
    },
  };
}

function setup() {
  const doc = new Y.Doc();
  const clock = manualClock();
  let changes = 0;
  const live = createNotesLive(doc, {
    onChange: () => changes++,
    schedule: clock.schedule,
    cancel: clock.cancel,
    searchIndex: new NoteSearchIndex(),
  });
  doc.getMap(ROOT.notes).observeDeep((events) => live.onEvents(events));
  return { doc, clock, live, changes: () => changes };
}

function note(doc: Y.Doc, title: string, body: BodyNode[]): string {
  const created = notes.create(doc, ctx, { title });
  if (!created.ok) throw new Error(created.error.message);
  doc.transact(() => writeBodyTree(noteBody(doc, created.value.id)!, body));
  return created.value.id;
}

const para = (...content: BodyNode[]): BodyNode => ({ type: 'paragraph', content });
const text = (value: string): BodyNode => ({ type: 'text', text: value });
const link = (noteId: string, label: string): BodyNode => ({
  type: 'noteLink',
  attrs: { noteId, label },
});

function ids(live: NotesLive, query: string): string[] {
  return live
    .reader()
    .search(query)
    .map((hit) => hit.id);
}

describe('the live notes view', () => {
  it('tracks links and backlinks as bodies change, and keeps links to deleted notes', () => {
    const { doc, clock, live } = setup();
    const target = note(doc, 'Target', [para(text('the target'))]);
    const source = note(doc, 'Source', [para(text('see '), link(target, 'Target'))]);
    clock.runAll();
    expect(live.reader().backlinks(target)).toEqual([source]);
    expect(live.reader().links(source)).toEqual([target]);

    // The link is removed from the body: the backlink disappears after the deferred re-read.
    doc.transact(() => noteBody(doc, source)!.delete(0, 1));
    expect(live.reader().backlinks(target)).toEqual([source]);
    clock.runAll();
    expect(live.reader().backlinks(target)).toEqual([]);

    // A link to a note that is trashed, then deleted forever, is kept and resolves as broken.
    doc.transact(() => writeBodyTree(noteBody(doc, source)!, [para(link(target, 'Target'))]));
    notes.remove(doc, ctx, target);
    const byId = new Map(live.list().items.map((n) => [n.id, n]));
    expect(resolveNoteLink(target, byId).state).toBe('trashed');
    expect(emptyNotesTrash(doc, ctx)).toEqual({ ok: true, value: 1 });
    clock.runAll();
    const after = new Map(live.list().items.map((n) => [n.id, n]));
    expect(resolveNoteLink(target, after)).toEqual({ state: 'missing' });
    expect(JSON.stringify(readBodyTree(noteBody(doc, source)!))).toContain(target);
  });

  it('updates the search index incrementally: only changed notes are read again', () => {
    const { doc, clock, live } = setup();
    const first = note(doc, 'Lisbon trip', [para(text('We fly on Friday morning'))]);
    const second = note(doc, 'Beta launch', [para(text('Ship the installer'))]);
    clock.runAll();
    expect(ids(live, 'friday')).toEqual([first]);
    expect(ids(live, 'lisb')).toEqual([first]); // prefix
    expect(ids(live, 'instaler')).toEqual([second]); // fuzzy

    // Typing into one body is picked up after the pause, without touching the other note.
    const digestsBefore = live.reader().snippet(second);
    doc.transact(
      () =>
        (noteBody(doc, second)!.get(0) as Y.XmlElement).get(0) instanceof Y.XmlText &&
        ((noteBody(doc, second)!.get(0) as Y.XmlElement).get(0) as Y.XmlText).insert(0, 'Friday: '),
    );
    expect(ids(live, 'friday')).toEqual([first]);
    clock.runAll();
    expect(ids(live, 'friday').sort()).toEqual([first, second].sort());
    expect(live.reader().snippet(second)).not.toBe(digestsBefore);

    // Renaming re-indexes the title at once; trashing hides the note from results.
    notes.update(doc, ctx, first, { title: 'Porto trip' });
    expect(ids(live, 'porto')).toEqual([first]);
    notes.remove(doc, ctx, first);
    expect(ids(live, 'porto')).toEqual([]);
    notes.purge(doc, ctx, second);
    expect(ids(live, 'installer')).toEqual([]);
  });

  it('highlights matches in titles and excerpts', () => {
    const { doc, clock, live } = setup();
    note(doc, 'Weekly update', [
      para(
        text(
          'A long introduction that goes on for a while before the important words appear: the café closes at noon.',
        ),
      ),
    ]);
    clock.runAll();
    const [hit] = live.reader().search('cafe closes');
    expect(hit?.excerpt.filter((part) => part.match).map((part) => part.text)).toEqual([
      'café',
      'closes',
    ]);
    expect(hit?.excerpt[0]).toEqual({ text: '…', match: false });
  });

  it('keeps the list object while only a body changes, and re-validates only touched records', () => {
    const { doc, clock, live } = setup();
    const id = note(doc, 'One', [para(text('x'))]);
    clock.runAll();
    const list = live.list();
    doc.transact(() =>
      ((noteBody(doc, id)!.get(0) as Y.XmlElement).get(0) as Y.XmlText).insert(1, 'y'),
    );
    expect(live.list()).toBe(list);
    touchNote(doc, { ...ctx, now: () => 1_770_000_000_000 }, id);
    expect(live.list()).not.toBe(list);
    expect(live.list().items[0]?.updatedAt).toBe(1_770_000_000_000);
  });

  it('reports damaged records and bodies with unknown content instead of dropping them', () => {
    const { doc, clock, live } = setup();
    const ok = note(doc, 'Fine', [para(text('fine'))]);
    doc.transact(() => doc.getMap(ROOT.notes).set('bad-note-0001', 'not a map'));
    const strange = note(doc, 'Strange', []);
    doc.transact(() => noteBody(doc, strange)!.insert(0, [new Y.XmlElement('hologram')]));
    clock.runAll();
    expect(live.list().damaged.map((d) => d.id)).toEqual(['bad-note-0001']);
    expect(live.reader().bodyProblems(strange)).toEqual(['unknown block “hologram”']);
    expect(live.reader().bodyProblems(ok)).toEqual([]);
  });

  it('indexes a large workspace in slices after the first list, not before', () => {
    const doc = new Y.Doc();
    for (let i = 0; i < 50; i++) note(doc, `Note ${i}`, [para(text(`body number ${i}`))]);
    const clock = manualClock();
    const live = createNotesLive(doc, {
      onChange: () => {},
      schedule: clock.schedule,
      cancel: clock.cancel,
      searchIndex: new NoteSearchIndex(),
    });
    expect(live.list().items).toHaveLength(50);
    expect(live.reader().indexed).toBe(0);
    expect(live.reader().snippet(live.list().items[0]!.id)).toMatch(/^body number/);
    clock.runAll();
    expect(live.reader().indexed).toBe(50);
    expect(live.reader().search('number').length).toBe(50);
  });

  it('reports the bodies read in slices now and then and at the end, not after every slice', () => {
    const doc = new Y.Doc();
    for (let i = 0; i < 50; i++) note(doc, `Note ${i}`, [para(text(`body number ${i}`))]);
    const reports = (reportEveryMs: number) => {
      const clock = manualClock();
      let changes = 0;
      const live = createNotesLive(doc, {
        onChange: () => changes++,
        schedule: clock.schedule,
        cancel: clock.cancel,
        searchIndex: new NoteSearchIndex(),
        // One body per slice.
        sliceMs: 0,
        reportEveryMs,
      });
      clock.runAll();
      expect(live.reader().indexed).toBe(50);
      return changes;
    };
    // Every slice: 50 reports. Rarely: the first slice and the end.
    expect(reports(0)).toBe(50);
    expect(reports(60 * 60_000)).toBe(2);
  });

  it('loads the search index on its own and indexes every body (typed ones too) once it arrives', async () => {
    const doc = new Y.Doc();
    const first = note(doc, 'Loaded later', [para(text('kept before the index'))]);
    const clock = manualClock();
    let changes = 0;
    const live = createNotesLive(doc, {
      onChange: () => changes++,
      schedule: clock.schedule,
      cancel: clock.cancel,
    });
    doc.getMap(ROOT.notes).observeDeep((events) => live.onEvents(events));
    // Before the index module has arrived: the list and snippets are there, search finds nothing.
    expect(live.list().items.map((n) => n.title)).toEqual(['Loaded later']);
    expect(live.reader().search('kept')).toEqual([]);
    const second = note(doc, 'Typed meanwhile', [para(text('zebra crossing'))]);
    clock.runAll();
    expect(live.reader().snippet(second)).toBe('zebra crossing');
    expect(live.reader().indexed).toBe(0);
    // The default index is a dynamic import of notesSearch: wait for it, then slices run.
    await vi.waitFor(() => expect(clock.pending()).toBeGreaterThan(0));
    clock.runAll();
    expect(changes).toBeGreaterThan(0);
    expect(live.reader().indexed).toBe(2);
    expect(
      live
        .reader()
        .search('kept')
        .map((hit) => hit.id),
    ).toEqual([first]);
    expect(
      live
        .reader()
        .search('zebra')
        .map((hit) => hit.id),
    ).toEqual([second]);
    live.destroy();
  });

  it('duplicates a note with its tags and body', () => {
    const doc = new Y.Doc();
    const id = note(doc, 'Original', [
      para(text('body '), { type: 'text', text: 'bold', marks: { bold: {} } }),
    ]);
    notes.update(doc, ctx, id, { addTags: ['x'] });
    const copy = duplicateNote(doc, ctx, id);
    expect(copy.ok && copy.value).toMatchObject({ title: 'Original (copy)', tags: ['x'] });
    if (copy.ok)
      expect(readBodyTree(noteBody(doc, copy.value.id)!)).toEqual(readBodyTree(noteBody(doc, id)!));
  });

  it('validates web links and suggests notes by title', () => {
    expect(safeLinkUrl('example.org/a')).toBe('https://example.org/a');
    expect(safeLinkUrl('mailto:ana@example.org')).toBe('mailto:ana@example.org');
    expect(safeLinkUrl('javascript:alert(1)')).toBeNull();
    expect(safeLinkUrl('file:///etc/passwd')).toBeNull();
    expect(safeLinkUrl('not a url')).toBeNull();
    const doc = new Y.Doc();
    note(doc, 'Launch plan', []);
    note(doc, 'Plan B', []);
    note(doc, 'Retro', []);
    const found = suggestNotes('plan', notes.list(doc).items, null).map((n) => n.title);
    expect(found).toEqual(['Plan B', 'Launch plan']);
  });
});

describe('the first screen of a large workspace', () => {
  /** 40 notes edited one minute apart, two old pinned ones and one whose edit time is text. */
  function workspace(): { doc: Y.Doc; ids: string[] } {
    const doc = new Y.Doc();
    const ids: string[] = [];
    for (let i = 0; i < 40; i++) {
      const created = notes.create(
        doc,
        { actor: 'member-1', now: () => 1_760_000_000_000 + i * 60_000 },
        { title: `Note ${i}` },
      );
      if (!created.ok) throw new Error(created.error.message);
      ids.push(created.value.id);
      // Pinned without a new edit time, as if pinned long ago.
      if (i === 1 || i === 2) notes.map(doc, created.value.id)!.set('pinned', true);
    }
    notes.map(doc, ids[5]!)!.set('updatedAt', 'yesterday');
    return { doc, ids };
  }
  const titles = (items: ReadonlyArray<{ title: string }>) => items.map((item) => item.title);

  it('validates the newest notes, pinned and unreadable ones first, then all the others', () => {
    const { doc } = workspace();
    const whole = createNotesLive(doc, { onChange: () => {} }).list();
    let later: (() => void) | null = null;
    let changes = 0;
    const live = createNotesLive(doc, {
      onChange: () => changes++,
      firstScreen: 10,
      afterFirstList: (run) => (later = run),
    });
    const first = live.list();
    // Exactly the start of the whole list: the 10 newest, and the pinned ones where they sort.
    const newest = whole.items.filter((note) => !note.pinned).slice(0, 10);
    expect(titles(first.items)).toEqual(
      titles(whole.items.filter((note) => note.pinned || newest.includes(note))),
    );
    expect(first.damaged.map((record) => record.title)).toEqual(['Note 5']);
    expect(first.unread).toBe(40 - 12 - 1);
    expect(live.reader().total).toBe(40);

    expect(changes).toBe(0);
    later!();
    expect(changes).toBe(1);
    const all = live.list();
    expect(all.unread).toBe(0);
    expect(titles(all.items)).toEqual(titles(whole.items));
    expect(all.damaged).toEqual(whole.damaged);
  });

  it('reads a note edited before the rest are read, and indexes every note', () => {
    const { doc, ids } = workspace();
    const clock = manualClock();
    let later: (() => void) | null = null;
    const live = createNotesLive(doc, {
      onChange: () => {},
      schedule: clock.schedule,
      cancel: clock.cancel,
      searchIndex: new NoteSearchIndex(),
      firstScreen: 5,
      afterFirstList: (run) => (later = run),
    });
    doc.getMap(ROOT.notes).observeDeep((events) => live.onEvents(events));
    expect(live.list().items.some((note) => note.id === ids[0])).toBe(false);
    // An old note renamed (here, or by a peer) is read at once, newest now.
    const renamed = notes.update(
      doc,
      { actor: 'member-2', now: () => 1_770_000_000_000 },
      ids[0]!,
      {
        title: 'Renamed',
      },
    );
    expect(renamed.ok).toBe(true);
    expect(live.list().items[0]?.title).toBe('Renamed');
    expect(live.list().unread).toBe(40 - 5 - 2 - 1 - 1);
    // Indexing the bodies reads the other notes first, so nothing is left out of search.
    clock.runAll();
    expect(live.list().unread).toBe(0);
    expect(
      live
        .reader()
        .search('note 3', 50)
        .map((hit) => hit.id),
    ).toContain(ids[3]);
    later!();
    expect(live.list().items).toHaveLength(39);
  });
});
