/**
 * The live notes over body documents (schema 2): bodies held in a real lazy document store
 * (fake-indexeddb), read a few at a time. For the same notes, snippets, links, backlinks, body
 * problems and search answer exactly as the schema-1 path does over the same workspace with its
 * bodies embedded (the schema-2 data is cut from it, as the migration cuts it). Typing into a
 * loaded body and a peer's update are read again; a note deleted from the root loses what was
 * derived from it; a note whose body document has not arrived is empty until it does. A stored
 * index restored later reads again only the bodies stored differently since (counted at the
 * store), deletions included; hostile body documents give a body problem, never a throw.
 */
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { notes, noteBody, ROOT } from '../../../shared/model';
import { writeBodyTree, type BodyNode } from '../../../shared/model/notesBody';
import { cutBodies, cutRoot } from '../../../shared/model/bodyDocs';
import { bodyFragment, bodyUpdate, type BodyDocuments } from '../../../shared/model/bodyDocuments';
import {
  createNotesLive,
  type NotesLive,
  type RestoredNotesIndex,
} from '../../../shared/model/notesLive';
import { NoteSearchIndex } from '../../../shared/model/notesSearch';
import { notesIndexSnapshot } from '../../../shared/model/notesChangedSince';
import { BODY_LOOSE_TEXT, BODY_NOT_RICH_TEXT } from '../../../shared/model/notesBodyReads';
import { openLazyDocStore, type LazyDocStore } from '../../../renderer/sync/storage/lazyDocStore';
import { openNotesIndexStore } from '../../../renderer/sync/storage/notesIndexStore';
import { keepNotesIndex } from '../../../renderer/sync/notesIndexKeeper';
import { seededRandom } from '../../sync/seededRandom';
import { manualTime } from '../../renderer/sync/storage/manualTime';

const ctx = { actor: 'member-1', now: () => 1_760_000_000_000 };
const WORDS = ['lisbon', 'roadmap', 'budget', 'retro', 'kyoto', 'beta', 'owner', 'sprint'];
const QUERIES = ['lisbon', 'road', 'budget retro', 'kyo', 'beta ', 'own', 'sprint lisbon', 'x'];

let workspaces = 0;
const opened: LazyDocStore[] = [];
afterEach(async () => {
  for (const store of opened.splice(0)) await store.close();
});

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
    runAll() {
      while (tasks.size > 0) {
        const [id, run] = tasks.entries().next().value!;
        tasks.delete(id);
        run();
      }
    },
  };
}

/** A lazy store of its own workspace; its own timers (compaction, unloading) never run. */
function openStore(): LazyDocStore {
  workspaces += 1;
  const store = openLazyDocStore(`notes-live-bodies-${workspaces}`, {
    key: null,
    accepts: () => true,
    onProblem: () => undefined,
    schedule: () => 0,
    cancel: () => undefined,
  });
  opened.push(store);
  return store;
}

/** The store, counting the bodies read through it, and how many were read at once at most. */
function counting(store: LazyDocStore): {
  bodies: BodyDocuments;
  reads: string[];
  /** Bodies whose stamp was looked up alone (not listed with every other). */
  lookups: string[];
  mostAtOnce(): number;
} {
  const reads: string[] = [];
  const lookups: string[] = [];
  let now = 0;
  let most = 0;
  const bodies: BodyDocuments = {
    load: (id) => store.load(id),
    release: (id) => store.release(id),
    read: async (id, fn) => {
      reads.push(id);
      most = Math.max(most, ++now);
      try {
        return await store.read(id, fn);
      } finally {
        now--;
      }
    },
    create: (id, update) => store.create(id, update),
    createMany: (docs) => store.createMany(docs),
    delete: (id) => store.delete(id),
    vector: (id) => store.vector(id),
    stored: (id) => {
      lookups.push(id);
      return store.stored(id);
    },
    vectors: () => store.vectors(),
    onUpdate: (listener) => store.onUpdate(listener),
    flush: () => store.flush(),
  };
  return { bodies, reads, lookups, mostAtOnce: () => most };
}

const para = (...content: BodyNode[]): BodyNode => ({ type: 'paragraph', content });
const text = (value: string): BodyNode => ({ type: 'text', text: value });

/** A schema-1 workspace from a seed: words, links between notes, an unknown block now and then. */
function seededWorkspace(seed: number, count: number): Y.Doc {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  const doc = new Y.Doc();
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const created = notes.create(doc, ctx, { title: `${pick(WORDS)} ${i}` });
    if (!created.ok) throw new Error(created.error.message);
    const id = created.value.id;
    const content: BodyNode[] = [text(`${pick(WORDS)} ${pick(WORDS)} ${pick(WORDS)} `)];
    if (ids.length > 0 && random() < 0.5)
      content.push({ type: 'noteLink', attrs: { noteId: pick(ids), label: pick(WORDS) } });
    const blocks: BodyNode[] = [para(...content)];
    if (random() < 0.2) blocks.push({ type: 'hologram', content: [] } as unknown as BodyNode);
    if (random() < 0.5) blocks.push(para(text(`${pick(WORDS)} again`)));
    doc.transact(() => writeBodyTree(noteBody(doc, id)!, blocks));
    ids.push(id);
  }
  return doc;
}

/** The schema-1 path over `doc`, every body read. */
function embedded(doc: Y.Doc): NotesLive {
  const live = createNotesLive(doc, { onChange: () => {}, searchIndex: new NoteSearchIndex() });
  live.flush();
  return live;
}

/** The same workspace in schema 2: its root without bodies, and its bodies in `store`. */
async function split(doc: Y.Doc, store: LazyDocStore): Promise<Y.Doc> {
  const root = new Y.Doc();
  Y.applyUpdate(root, cutRoot(doc));
  await store.createMany(cutBodies(doc));
  return root;
}

interface Following {
  readonly live: NotesLive;
  readonly clock: ReturnType<typeof manualClock>;
  changes(): number;
}

/** The schema-2 path over `root`, following its events and `bodies`' updates. */
function follow(
  root: Y.Doc,
  bodies: BodyDocuments,
  restored?: Promise<RestoredNotesIndex | null>,
): Following {
  const clock = manualClock();
  let changes = 0;
  const live = createNotesLive(root, {
    onChange: () => changes++,
    schedule: clock.schedule,
    cancel: clock.cancel,
    searchIndex: new NoteSearchIndex(),
    restored,
    bodies,
  });
  root.getMap(ROOT.notes).observeDeep((events) => live.onEvents(events));
  return { live, clock, changes: () => changes };
}

/**
 * Every answer of a reader about every note of `doc`, to compare two paths. `hits: 'ids'` keeps
 * only which notes each search finds: an index caught up after a restore ranks by statistics
 * that include replaced entries (as notesIndexRestore.test.ts compares them).
 */
function answers(live: NotesLive, doc: Y.Doc, hits: 'all' | 'ids' = 'all') {
  const reader = live.reader();
  const ids = [...doc.getMap(ROOT.notes).keys()].sort();
  return {
    indexed: reader.indexed,
    total: reader.total,
    notes: ids.map((id) => ({
      id,
      snippet: reader.snippet(id),
      links: reader.links(id),
      backlinks: [...reader.backlinks(id)].sort(),
      problems: reader.bodyProblems(id),
    })),
    // Hits of equal score come in the order notes entered the index, which differs by path.
    search: QUERIES.map((query) => {
      const found = reader.search(query, 100);
      if (hits === 'ids') return found.map((hit) => hit.id).sort();
      // MiniSearch keeps running averages: the order notes were added moves the last bits.
      const rounded = found.map((hit) => ({ ...hit, score: Number(hit.score.toPrecision(10)) }));
      return rounded.sort((a, b) => b.score - a.score || a.id.localeCompare(b.id));
    }),
  };
}

/** The first paragraph's text of a body. */
function firstText(fragment: Y.XmlFragment): Y.XmlText {
  return (fragment.get(0) as Y.XmlElement).get(0) as Y.XmlText;
}

describe('the live notes over body documents', () => {
  it('answers as the embedded path does for the same notes', async () => {
    for (const seed of [1, 7, 42]) {
      const doc = seededWorkspace(seed, 30);
      const store = openStore();
      const root = await split(doc, store);
      expect(notes.map(root, [...root.getMap(ROOT.notes).keys()][0]!)?.has('body')).toBe(false);
      const { bodies, reads, lookups, mostAtOnce } = counting(store);
      const { live, changes } = follow(root, bodies);
      // The list is there before any body is read.
      expect(live.list().items).toHaveLength(30);
      expect(live.reader().indexed).toBe(0);
      expect(live.reader().total).toBe(30);
      await live.settled();
      expect(reads).toHaveLength(30);
      // A few at a time (the default, 4), never every body at once.
      expect(mostAtOnce()).toBe(4);
      // Their stamps came from one listing, not a lookup each.
      expect(lookups).toEqual([]);
      expect(changes()).toBeGreaterThan(0);
      expect(answers(live, root), `seed ${seed}`).toEqual(answers(embedded(doc), doc));
      // Every body was released once read.
      expect(store.loadedCount()).toBe(0);
    }
  });

  it('reads a body again after typing settles, and after a peer’s update', async () => {
    const doc = seededWorkspace(3, 6);
    const store = openStore();
    const root = await split(doc, store);
    const { bodies, reads, lookups } = counting(store);
    const { live, clock } = follow(root, bodies);
    await live.settled();
    const [typed, peered] = [...root.getMap(ROOT.notes).keys()];
    expect(lookups).toEqual([]);

    // Typing into a body the editor holds: read again once the pause has passed, not before.
    const held = await store.load(typed!);
    firstText(bodyFragment(held)).insert(0, 'zanzibar ');
    await store.flush();
    const readsBefore = reads.length;
    expect(live.reader().search('zanzibar')).toEqual([]);
    clock.runAll();
    await live.settled();
    expect(reads.length).toBe(readsBefore + 1);
    // Read again after the first pass: its stamp is looked up as it is read.
    expect(lookups).toEqual([typed]);
    expect(
      live
        .reader()
        .search('zanzibar')
        .map((hit) => hit.id),
    ).toEqual([typed]);
    expect(live.reader().snippet(typed!)).toMatch(/^zanzibar /);
    store.release(typed!);

    // A peer's update reaches the store without any document loaded here.
    const peer = new Y.Doc();
    Y.applyUpdate(peer, cutBodies(doc).get(peered!)!);
    const before = Y.encodeStateVector(peer);
    peer.transact(() => bodyFragment(peer).insert(0, [paragraphOf('quokka sighting')]));
    await store.receive(peered!, Y.encodeStateAsUpdate(peer, before), 'peer');
    clock.runAll();
    await live.settled();
    expect(
      live
        .reader()
        .search('quokka')
        .map((hit) => hit.id),
    ).toEqual([peered]);
    expect(live.reader().snippet(peered!)).toMatch(/^quokka sighting/);
  });

  it('drops a deleted note, and gives a note an empty body until its document arrives', async () => {
    const doc = new Y.Doc();
    const target = createNote(doc, 'Target', [para(text('the target'))]);
    const source = createNote(doc, 'Source', [
      para(text('see '), { type: 'noteLink', attrs: { noteId: target, label: 'Target' } }),
    ]);
    const store = openStore();
    const root = await split(doc, store);
    const { live, clock } = follow(root, store);
    await live.settled();
    expect(live.reader().backlinks(target)).toEqual([source]);

    // Deleted forever from the root: its links, backlinks and search entry go.
    notes.purge(root, ctx, source);
    clock.runAll();
    await live.settled();
    expect(live.reader().backlinks(target)).toEqual([]);
    expect(live.reader().links(source)).toEqual([]);
    expect(live.reader().search('see')).toEqual([]);

    // Created in the root (here or by a peer) before its body document exists.
    const created = notes.create(root, ctx, { title: 'Late body' });
    if (!created.ok) throw new Error(created.error.message);
    const late = created.value.id;
    notes.map(root, late)!.delete('body');
    clock.runAll();
    await live.settled();
    expect(live.reader().snippet(late)).toBe('');
    expect(live.reader().bodyProblems(late)).toEqual([]);
    expect(live.reader().indexed).toBe(live.reader().total);
    expect(
      live
        .reader()
        .search('late')
        .map((hit) => hit.id),
    ).toEqual([late]);

    await store.create(late, bodyUpdate([para(text('arrived with a link to ')), linkTo(target)]));
    clock.runAll();
    await live.settled();
    expect(live.reader().snippet(late)).toBe('arrived with a link to Target');
    expect(live.reader().backlinks(target)).toEqual([late]);
  });

  it('restored from a stored index, reads again only bodies stored differently since', async () => {
    const doc = seededWorkspace(11, 20);
    const store = openStore();
    const root = await split(doc, store);
    const first = follow(root, store);
    await first.live.settled();
    const saved = first.live.saved();
    expect(saved?.bodies).toHaveLength(20);
    first.live.destroy();

    // Stored as the keeper stores it (real store, through JSON), then loaded as the keeper does.
    const indexStore = openNotesIndexStore(`notes-live-bodies-index-${workspaces}`, null);
    await indexStore.write({ snapshot: notesIndexSnapshot(root), saved: saved! });
    const read = await indexStore.read();
    indexStore.close();
    if (!read.ok) throw new Error(read.problem);
    const restored: RestoredNotesIndex = {
      index: await NoteSearchIndex.load(read.value.saved.index),
      links: read.value.saved.links,
      problems: read.value.saved.problems,
      bodies: read.value.saved.bodies,
      snapshot: read.value.snapshot,
    };

    // Meanwhile (a peer, another tab): one body gets text, one only loses some (no new clock),
    // one note is renamed in the root.
    const ids = [...root.getMap(ROOT.notes).keys()].sort();
    const [added, deleted, renamed] = ids;
    await peerEdit(store, added!, (fragment) => firstText(fragment).insert(0, 'wombat '));
    const vectorBefore = await store.vector(deleted!);
    await peerEdit(store, deleted!, (fragment) => firstText(fragment).delete(0, 3));
    // A deletion moves no state vector: only the fingerprint of deletions tells.
    expect(await store.vector(deleted!)).toEqual(vectorBefore);
    notes.update(root, ctx, renamed!, { title: 'Platypus plans' });

    const { bodies, reads } = counting(store);
    const second = follow(root, bodies, Promise.resolve(restored));
    await second.live.settled();
    expect(reads.sort()).toEqual([added, deleted, renamed].sort());

    // Caught up, it equals a fresh build over the same bodies.
    const fresh = follow(root, store);
    await fresh.live.settled();
    expect(answers(second.live, root, 'ids')).toEqual(answers(fresh.live, root, 'ids'));
    expect(
      second.live
        .reader()
        .search('wombat')
        .map((hit) => hit.id),
    ).toEqual([added]);
    expect(
      second.live
        .reader()
        .search('platypus')
        .map((hit) => hit.id),
    ).toEqual([renamed]);
  });

  it('rebuilds every stored body from an index stored without stamps (before the move)', async () => {
    const doc = seededWorkspace(5, 8);
    const live1 = embedded(doc);
    const saved = live1.saved()!;
    expect(saved.bodies).toBeUndefined();
    const snapshot = notesIndexSnapshot(doc);
    const store = openStore();
    const root = await split(doc, store);
    const { bodies, reads } = counting(store);
    const { live } = follow(
      root,
      bodies,
      Promise.resolve({
        index: await NoteSearchIndex.load(JSON.parse(JSON.stringify(saved.index))),
        links: saved.links,
        problems: saved.problems,
        snapshot,
      }),
    );
    await live.settled();
    expect(reads).toHaveLength(8);
    expect(answers(live, root, 'ids')).toEqual(answers(live1, doc, 'ids'));
  });

  it('is stored by the keeper after a body changes, and restored reads no body unchanged', async () => {
    const doc = seededWorkspace(9, 10);
    const store = openStore();
    const root = await split(doc, store);
    const { live, clock } = follow(root, store);
    await live.settled();
    const time = manualTime();
    const workspaceId = `notes-live-bodies-keeper-${workspaces}`;
    const keeper = keepNotesIndex(workspaceId, null, root, () => live, {
      ...time,
      quietMs: 1_000,
      bodies: store,
    });
    expect(await keeper.restored).toBeNull();

    // Typing reaches the keeper through the body store alone (nothing in the root changes).
    const [typed] = [...root.getMap(ROOT.notes).keys()];
    const held = await store.load(typed!);
    firstText(bodyFragment(held)).insert(0, 'capybara ');
    store.release(typed!);
    clock.runAll();
    await live.settled();
    time.advance(1_000);
    await keeper.flush();
    keeper.close();

    const reopened = keepNotesIndex(workspaceId, null, root, () => null, time);
    const restored = await reopened.restored;
    expect(restored?.bodies).toHaveLength(10);
    const { bodies, reads } = counting(store);
    const again = follow(root, bodies, reopened.restored);
    await again.live.settled();
    expect(reads).toEqual([]);
    expect(
      again.live
        .reader()
        .search('capybara')
        .map((hit) => hit.id),
    ).toEqual([typed]);
    expect(again.live.reader().snippet(typed!)).toMatch(/^capybara /);
    reopened.close();
  });

  it('keeps going when a body cannot be read, and reads it again at the next open', async () => {
    const doc = seededWorkspace(13, 5);
    const store = openStore();
    const root = await split(doc, store);
    const [broken] = [...root.getMap(ROOT.notes).keys()];
    const failing: BodyDocuments = {
      ...counting(store).bodies,
      read: (id, fn) =>
        id === broken ? Promise.reject(new Error('storage is gone')) : store.read(id, fn),
    };
    const { live } = follow(root, failing);
    await live.settled();
    expect(live.reader().bodyProblems(broken!)).toEqual([
      'the body could not be read: storage is gone',
    ]);
    expect(live.reader().indexed).toBe(5);
    const saved = live.saved()!;
    expect(saved.bodies?.find(([id]) => id === broken)?.[1]).toBe('?');

    const { bodies, reads } = counting(store);
    const again = follow(
      root,
      bodies,
      Promise.resolve({
        index: await NoteSearchIndex.load(JSON.parse(JSON.stringify(saved.index))),
        links: saved.links,
        problems: saved.problems,
        bodies: saved.bodies,
        snapshot: notesIndexSnapshot(root),
      }),
    );
    await again.live.settled();
    expect(reads).toEqual([broken]);
    expect(again.live.reader().bodyProblems(broken!)).toEqual([]);
  });

  it('reports a hostile body document as a body problem and indexes the rest', async () => {
    const doc = new Y.Doc();
    const fine = createNote(doc, 'Fine', [para(text('perfectly fine'))]);
    const keyed = createNote(doc, 'Keyed', []);
    const textual = createNote(doc, 'Textual', []);
    const deep = createNote(doc, 'Deep', []);
    const strange = createNote(doc, 'Strange', []);
    const store = openStore();
    const root = await split(doc, store);

    // A map where rich text belongs.
    await store.create(
      keyed,
      updateOf((hostile) => hostile.getMap('body').set('x', 1)),
    );
    // A plain text as the body root.
    await store.create(
      textual,
      updateOf((hostile) => hostile.getText('body').insert(0, 'plain')),
    );
    // Elements nested far deeper than any editor goes.
    await store.create(
      deep,
      updateOf((hostile) => {
        let parent: Y.XmlFragment | Y.XmlElement = hostile.getXmlFragment('body');
        for (let i = 0; i < 2000; i++) {
          const child = new Y.XmlElement('blockquote');
          parent.insert(0, [child]);
          parent = child;
        }
      }),
    );
    // A value of another kind at the top of the rich text.
    await store.create(
      strange,
      updateOf((hostile) => hostile.getXmlFragment('body').insert(0, [new Y.XmlText('loose')])),
    );

    const { live } = follow(root, store);
    await live.settled();
    const reader = live.reader();
    expect(reader.bodyProblems(keyed)).toEqual([BODY_NOT_RICH_TEXT]);
    expect(reader.bodyProblems(textual)).toEqual(['the body contains an unexpected value']);
    expect(reader.bodyProblems(deep)).toEqual(['the body is nested more than 64 levels deep']);
    expect(reader.bodyProblems(strange)).toEqual([BODY_LOOSE_TEXT]);
    expect(reader.bodyProblems(fine)).toEqual([]);
    expect(reader.search('perfectly').map((hit) => hit.id)).toEqual([fine]);
    expect(reader.indexed).toBe(5);
    expect(live.saved()).not.toBeNull();
  });
});

function createNote(doc: Y.Doc, title: string, body: BodyNode[]): string {
  const created = notes.create(doc, ctx, { title });
  if (!created.ok) throw new Error(created.error.message);
  doc.transact(() => writeBodyTree(noteBody(doc, created.value.id)!, body));
  return created.value.id;
}

function paragraphOf(value: string): Y.XmlElement {
  const paragraph = new Y.XmlElement('paragraph');
  paragraph.insert(0, [new Y.XmlText(value)]);
  return paragraph;
}

function linkTo(noteId: string): BodyNode {
  return { type: 'noteLink', attrs: { noteId, label: 'Target' } };
}

function updateOf(write: (doc: Y.Doc) => void): Uint8Array {
  const doc = new Y.Doc();
  write(doc);
  return Y.encodeStateAsUpdate(doc);
}

/** A peer's edit of body `id`, received by `store` (nothing here follows it meanwhile). */
async function peerEdit(
  store: LazyDocStore,
  id: string,
  edit: (fragment: Y.XmlFragment) => void,
): Promise<void> {
  const peer = new Y.Doc();
  await store.read(id, (held) => Y.applyUpdate(peer, Y.encodeStateAsUpdate(held)));
  peer.transact(() => edit(bodyFragment(peer)));
  await store.receive(id, Y.encodeStateAsUpdate(peer), 'peer');
}
