/**
 * A stored notes index brought up to date equals one built from scratch: for random edits before
 * and after the index is saved (new notes, renames, tags, typing, deleting text, links, trash and
 * emptying it), the index restored from the saved one (through JSON, as it is stored) and caught
 * up holds the same entries, term counts, links and body problems as a fresh build, and finds the
 * same notes; and it reads only the bodies changed since it was saved.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as Y from 'yjs';
import { notes, noteBody, ROOT } from '../../../shared/model';
import { emptyNotesTrash } from '../../../shared/model/notes';
import { writeBodyTree, type BodyNode } from '../../../shared/model/notesBody';
import {
  createNotesLive,
  type NotesLive,
  type RestoredNotesIndex,
  type SavedNotesIndex,
} from '../../../shared/model/notesLive';
import { NoteSearchIndex } from '../../../shared/model/notesSearch';
import { notesIndexSnapshot } from '../../../shared/model/notesChangedSince';

const ctx = { actor: 'member-1', now: () => 1_760_000_000_000 };
const WORDS = ['lisbon', 'roadmap', 'budget', 'retro', 'kyoto', 'beta', 'owner', 'sprint'];
const QUERIES = ['lisbon', 'road', 'budget retro', 'kyo', 'beta ', 'own', 'sprint lisbon'];

type Op =
  | { kind: 'create'; words: number[]; link: number | null }
  | { kind: 'rename'; note: number; words: number[] }
  | { kind: 'tag'; note: number; word: number }
  | { kind: 'type'; note: number; word: number }
  | { kind: 'cut'; note: number }
  | { kind: 'trash'; note: number }
  | { kind: 'empty' };

const words = fc.array(fc.nat(WORDS.length - 1), { minLength: 1, maxLength: 4 });
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant('create' as const),
    words,
    link: fc.option(fc.nat(20), { nil: null }),
  }),
  fc.record({ kind: fc.constant('rename' as const), note: fc.nat(20), words }),
  fc.record({ kind: fc.constant('tag' as const), note: fc.nat(20), word: fc.nat(7) }),
  fc.record({ kind: fc.constant('type' as const), note: fc.nat(20), word: fc.nat(7) }),
  fc.record({ kind: fc.constant('cut' as const), note: fc.nat(20) }),
  fc.record({ kind: fc.constant('trash' as const), note: fc.nat(20) }),
  fc.record({ kind: fc.constant('empty' as const) }),
);

const text = (indexes: number[]) => indexes.map((i) => WORDS[i]!).join(' ');

function apply(doc: Y.Doc, step: Op): void {
  const ids = [...doc.getMap(ROOT.notes).keys()].sort();
  const pick = (n: number) => ids[n % Math.max(1, ids.length)];
  if (step.kind === 'create') {
    const created = notes.create(doc, ctx, { title: text(step.words.slice(0, 2)) });
    if (!created.ok) throw new Error(created.error.message);
    const target = step.link === null ? undefined : pick(step.link);
    const body: BodyNode[] = [
      {
        type: 'paragraph',
        content: [
          { type: 'text', text: `${text(step.words)} ` },
          ...(target ? [{ type: 'noteLink' as const, attrs: { noteId: target, label: 'x' } }] : []),
        ],
      },
    ];
    doc.transact(() => writeBodyTree(noteBody(doc, created.value.id)!, body));
    return;
  }
  if (step.kind === 'empty') {
    emptyNotesTrash(doc, ctx);
    return;
  }
  const id = pick(step.note);
  if (!id) return;
  const paragraph = noteBody(doc, id)?.get(0);
  const first = paragraph instanceof Y.XmlElement ? paragraph.get(0) : undefined;
  switch (step.kind) {
    case 'rename':
      notes.update(doc, ctx, id, { title: text(step.words) });
      return;
    case 'tag':
      notes.update(doc, ctx, id, { addTags: [WORDS[step.word]!] });
      return;
    case 'type':
      if (first instanceof Y.XmlText) first.insert(0, `${WORDS[step.word]} `);
      return;
    case 'cut':
      if (first instanceof Y.XmlText && first.length > 3) first.delete(0, 3);
      return;
    case 'trash':
      notes.remove(doc, ctx, id);
  }
}

function follow(doc: Y.Doc, restored?: Promise<RestoredNotesIndex | null>): NotesLive {
  return createNotesLive(doc, {
    onChange: () => {},
    schedule: () => 0,
    cancel: () => {},
    ...(restored ? { restored } : { searchIndex: new NoteSearchIndex() }),
  });
}

/** What a saved index holds, in an order that does not depend on how it was built. */
function holdings(saved: SavedNotesIndex) {
  const sorted = <T extends readonly [string, ...unknown[]]>(rows: readonly T[]) =>
    [...rows].sort((a, b) => a[0].localeCompare(b[0]));
  return {
    entries: sorted(saved.index.entries),
    vocabulary: sorted(saved.index.vocabulary),
    links: sorted(saved.links),
    problems: sorted(saved.problems),
  };
}

const found = (live: NotesLive) =>
  QUERIES.map((query) =>
    live
      .reader()
      .search(query, 1000)
      .map((hit) => hit.id)
      .sort(),
  );

/** Saves the index after `before`, applies `after`, and restores it (through JSON, as stored). */
async function restoreAfter(before: Op[], after: Op[]) {
  const doc = new Y.Doc();
  for (const step of before) apply(doc, step);
  const first = follow(doc);
  first.flush();
  const saved = JSON.parse(JSON.stringify(first.saved())) as SavedNotesIndex;
  const snapshot = notesIndexSnapshot(doc);
  first.destroy();
  for (const step of after) apply(doc, step);
  const index = await NoteSearchIndex.load(saved.index);
  const restored = follow(
    doc,
    Promise.resolve({ index, links: saved.links, problems: saved.problems, snapshot }),
  );
  // The restored index is taken over once its promise settles.
  await new Promise((resolve) => setTimeout(resolve, 0));
  return { doc, restored };
}

describe('a restored notes index', () => {
  it('equals a fresh build after any edits since it was saved', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(op, { maxLength: 25 }),
        fc.array(op, { maxLength: 15 }),
        async (before, after) => {
          const { doc, restored } = await restoreAfter(before, after);
          const before2 = restored.reader();
          restored.flush();
          const fresh = follow(doc);
          fresh.flush();
          expect(before2.indexed).toBeLessThanOrEqual(before2.total);
          expect(holdings(restored.saved()!)).toEqual(holdings(fresh.saved()!));
          expect(found(restored)).toEqual(found(fresh));
          restored.destroy();
          fresh.destroy();
        },
      ),
      { numRuns: 60 },
    );
  });

  it('reads again only the bodies changed since it was saved', async () => {
    const make = (n: number): Op => ({ kind: 'create', words: [n % 8, (n + 3) % 8], link: null });
    const { doc, restored } = await restoreAfter(
      Array.from({ length: 30 }, (_, i) => make(i)),
      [{ kind: 'type', note: 4, word: 2 }, make(40)],
    );
    const reader = restored.reader();
    // 31 notes: 29 answered by the stored index at once, the typed-in one and the new one left.
    expect([reader.indexed, reader.total]).toEqual([29, 31]);
    expect(reader.search('lisbon', 100).length).toBeGreaterThan(0);
    restored.flush();
    const fresh = follow(doc);
    fresh.flush();
    expect(found(restored)).toEqual(found(fresh));
  });

  it('tells that every note is searchable when it needed no catching up', async () => {
    const doc = new Y.Doc();
    for (let i = 0; i < 5; i++) apply(doc, { kind: 'create', words: [i, i + 1], link: null });
    const first = follow(doc);
    first.flush();
    const saved = first.saved()!;
    const index = await NoteSearchIndex.load(saved.index);
    let changes = 0;
    const restored = createNotesLive(doc, {
      onChange: () => changes++,
      schedule: () => 0,
      cancel: () => {},
      restored: Promise.resolve({ ...saved, index, snapshot: notesIndexSnapshot(doc) }),
    });
    // What the list shows until the stored index has been taken over.
    expect(restored.reader().indexed).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(changes).toBe(1);
    expect([restored.reader().indexed, restored.reader().total]).toEqual([5, 5]);
  });
});
