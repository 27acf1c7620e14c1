// @vitest-environment happy-dom
/**
 * A workspace's lazy documents on disk (fake-indexeddb, the browser's database being the edge),
 * with rows stored plain and sealed at rest: what sync lists and diffs matches the documents,
 * what a peer sends is stored without loading and reaches a loaded document, what a peer may not
 * send is refused and stores nothing, damaged rows are set aside while the rest loads, edits are
 * on disk without a flush, compaction keeps content, memory is bounded by what is held, and
 * deleting forever leaves nothing.
 */
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { deriveAtRestKey, looksSealed, newDataKey } from '../../../../shared/protocol/atRest';
import type { AtRestKey } from '../../../../shared/protocol/atRest';
import { requestDone, transactionDone } from '../../../../renderer/sync/storage/idb';
import {
  ASIDE_STORE,
  LAZY_DOCS_DB_PREFIX,
  META_STORE,
  ROWS_STORE,
  deleteLazyDocsDb,
  openLazyDocsDb,
  type LazyRow,
} from '../../../../renderer/sync/storage/lazyDocDb';
import {
  VECTOR_PAGE,
  openLazyDocStore,
  type LazyDocProblem,
  type LazyDocStore,
  type LazyDocStoreOptions,
  type StoredLazyDocVector,
} from '../../../../renderer/sync/storage/lazyDocStore';
import { deletesFingerprint } from '../../../../renderer/sync/storage/lazyDocMeta';
import { LazyUpdateRefused } from '../../../../renderer/sync/peer/lazyDocs';
import { seededRandom } from '../../../sync/seededRandom';
import { manualTime } from './manualTime';
import { addRawLazyRows } from './rawLazyRows';

let workspaceCount = 0;
const opened: LazyDocStore[] = [];

function freshWorkspace(): string {
  workspaceCount += 1;
  return `lazy-test-${workspaceCount}`;
}

/** A note id of the shape record ids have. */
function noteId(n: number): string {
  return `note-${String(n).padStart(6, '0')}`;
}

function open(
  workspace: string,
  key: AtRestKey | null,
  options: Partial<LazyDocStoreOptions> = {},
): LazyDocStore {
  const store = openLazyDocStore(workspace, {
    key,
    accepts: () => true,
    onProblem: () => undefined,
    ...options,
  });
  opened.push(store);
  return store;
}

/** A document's text body as an update, built by a writer of its own. */
function bodyUpdate(text: string, writer = new Y.Doc()): Uint8Array {
  writer.getText('body').insert(writer.getText('body').length, text);
  return Y.encodeStateAsUpdate(writer);
}

/** Every value of a store of the workspace's lazy database, as stored. */
async function raw(workspace: string, store: string): Promise<unknown[]> {
  const db = await openLazyDocsDb(LAZY_DOCS_DB_PREFIX + workspace);
  try {
    return await requestDone(db.transaction([store], 'readonly').objectStore(store).getAll());
  } finally {
    db.close();
  }
}

async function rowsOf(workspace: string, id: string): Promise<LazyRow[]> {
  return ((await raw(workspace, ROWS_STORE)) as LazyRow[]).filter((row) => row.doc === id);
}

function holdsText(value: unknown, text: string): boolean {
  return JSON.stringify(value, (_key, field: unknown) =>
    field instanceof Uint8Array ? new TextDecoder('latin1').decode(field) : field,
  ).includes(text);
}

afterEach(async () => {
  for (const store of opened.splice(0)) await store.close();
});

describe.each([
  ['stored plain', () => Promise.resolve(null)],
  ['sealed at rest', () => deriveAtRestKey(newDataKey(), 'workspace:lazy')],
] as const)('lazy document store, %s', (label, keyFor) => {
  const sealing = label === 'sealed at rest';

  it('lists the vectors of 10,000 documents in pages, each what its document holds', async () => {
    const workspace = freshWorkspace();
    const store = open(workspace, await keyFor());
    const expected = new Map<string, Uint8Array>();
    for (let start = 0; start < 10_000; start += 500) {
      const batch: Promise<void>[] = [];
      for (let n = start; n < start + 500; n++) {
        const writer = new Y.Doc();
        const update = bodyUpdate(`body ${n}`, writer);
        expected.set(noteId(n), Y.encodeStateVector(writer));
        batch.push(store.receive(noteId(n), update, 'peer'));
      }
      await Promise.all(batch);
    }
    const seen = new Map<string, Uint8Array>();
    let pages = 0;
    for await (const page of store.vectors()) {
      pages++;
      expect(page.length).toBeLessThanOrEqual(VECTOR_PAGE);
      for (const { id, vector } of page) seen.set(id, vector);
    }
    expect(pages).toBe(Math.ceil(10_000 / VECTOR_PAGE));
    expect(seen.size).toBe(10_000);
    for (const [id, vector] of expected) expect(seen.get(id)).toEqual(vector);
    // Nothing was loaded to list them.
    expect(store.loadedCount()).toBe(0);
  }, 120_000);

  it('answers a diff with exactly what a copy at a vector lacks, and null when it lacks nothing', async () => {
    const workspace = freshWorkspace();
    const store = open(workspace, await keyFor());
    const id = noteId(1);
    const source = new Y.Doc();
    const updates: Uint8Array[] = [];
    source.on('update', (update: Uint8Array) => updates.push(update));
    const text = source.getText('body');
    text.insert(0, 'first line');
    text.insert(10, ', second');
    text.format(0, 5, { bold: true });
    text.insert(0, 'Title: ');
    for (const update of updates) await store.receive(id, update, 'peer');

    const copy = new Y.Doc();
    Y.applyUpdate(copy, updates[0]!);
    Y.applyUpdate(copy, updates[1]!);
    const missing = await store.diff(id, Y.encodeStateVector(copy));
    expect(missing).not.toBeNull();
    Y.applyUpdate(copy, missing!);
    expect(copy.getText('body').toDelta()).toEqual(source.getText('body').toDelta());
    expect(Y.encodeStateVector(copy)).toEqual(Y.encodeStateVector(source));
    expect(await store.diff(id, Y.encodeStateVector(source))).toBeNull();
    expect(await store.vector(id)).toEqual(Y.encodeStateVector(source));
    expect(await store.vector(noteId(2))).toBeNull();

    const empty = new Y.Doc();
    Y.applyUpdate(empty, (await store.diff(id, Y.encodeStateVector(new Y.Doc())))!);
    expect(empty.getText('body').toString()).toBe('Title: first line, second');
    expect(await store.diff(noteId(2), Y.encodeStateVector(empty))).toBeNull();
    await expect(store.diff(id, Uint8Array.of(200, 200, 200))).rejects.toThrow(/does not decode/);
  });

  it('answers nothing to an asker listing the same deletions, and the diff to any other', async () => {
    const workspace = freshWorkspace();
    const store = open(workspace, await keyFor());
    const id = noteId(1);
    const writer = new Y.Doc();
    const updates: Uint8Array[] = [];
    writer.on('update', (update: Uint8Array) => updates.push(update));
    writer.getText('body').insert(0, 'a body with deletions');
    writer.getText('body').delete(0, 2);
    for (const update of updates) await store.receive(id, update, 'peer');
    const vector = Y.encodeStateVector(writer);
    const listed = async () => {
      const entries: StoredLazyDocVector[] = [];
      for await (const page of store.vectors()) entries.push(...page);
      return entries[0]!.deletes;
    };
    const ours = await listed();
    expect(ours).toEqual(deletesFingerprint(Y.decodeUpdate(Y.encodeStateAsUpdate(writer)).ds));
    // Without a fingerprint, or with another, the delete set goes; with ours, nothing.
    expect(await store.diff(id, vector)).not.toBeNull();
    expect(await store.diff(id, vector, new Uint8Array(16))).not.toBeNull();
    expect(await store.diff(id, vector, ours)).toBeNull();
    // A change past the vector goes whatever the fingerprint.
    expect(await store.diff(id, Y.encodeStateVector(new Y.Doc()), ours)).not.toBeNull();

    // A deletion made here: the asker lacks it, and is answered with it.
    const doc = await store.load(id);
    doc.getText('body').delete(0, 1);
    await store.flush();
    const missing = await store.diff(id, vector, ours);
    expect(missing).not.toBeNull();
    Y.applyUpdate(writer, missing!);
    expect(writer.getText('body').toString()).toBe(doc.getText('body').toString());
    store.release(id);
    // Once compacted the fingerprint is worked out again, and matches the asker's.
    await store.compact(id);
    const now = await listed();
    expect(now).toEqual(deletesFingerprint(Y.decodeUpdate(Y.encodeStateAsUpdate(writer)).ds));
    expect(await store.diff(id, Y.encodeStateVector(writer), now)).toBeNull();
  });

  it('rejects an update it cannot store for its own reasons as its own failure', async () => {
    const store = open(freshWorkspace(), await keyFor());
    await store.close();
    const refusal = store.receive(noteId(1), bodyUpdate('fine'), 'peer');
    await expect(refusal).rejects.toThrow(/closed/);
    await expect(refusal).rejects.not.toThrow(LazyUpdateRefused);
  });

  it('stores what a peer sends without loading, and a load then holds it', async () => {
    const workspace = freshWorkspace();
    const store = open(workspace, await keyFor());
    const heard: unknown[] = [];
    store.onUpdate((id, _update, origin) => heard.push([id, origin]));
    await store.receive(noteId(1), bodyUpdate('from a peer'), 'peer-a');
    expect(store.loadedCount()).toBe(0);
    expect(heard).toEqual([[noteId(1), 'peer-a']]);
    const doc = await store.load(noteId(1));
    expect(doc.getText('body').toString()).toBe('from a peer');
    store.release(noteId(1));
  });

  it('applies what a peer sends to a loaded document, storing it once', async () => {
    const workspace = freshWorkspace();
    const store = open(workspace, await keyFor());
    const id = noteId(1);
    const doc = await store.load(id);
    const seen: unknown[] = [];
    doc.on('update', (_update: Uint8Array, origin: unknown) => seen.push(origin));
    const heard: unknown[] = [];
    store.onUpdate((_id, _update, origin) => heard.push(origin));
    await store.receive(id, bodyUpdate('live'), 'peer-b');
    expect(doc.getText('body').toString()).toBe('live');
    expect(seen).toEqual(['peer-b']);
    expect(heard).toEqual(['peer-b']);
    expect(await rowsOf(workspace, id)).toHaveLength(1);
    store.release(id);
  });

  it('refuses what a peer may not send and stores nothing of it', async () => {
    const workspace = freshWorkspace();
    const allowed = new Set([noteId(1)]);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const store = open(workspace, await keyFor(), {
        accepts: (id) => allowed.has(id),
        maxUpdateBytes: 1000,
      });
      const good = bodyUpdate('fine');
      // Each the peer's fault, so sync counts it against the peer.
      await expect(store.receive('short', good, 'peer')).rejects.toThrow(LazyUpdateRefused);
      await expect(store.receive('short', good, 'peer')).rejects.toThrow(/not a document id/);
      await expect(store.receive('../../etc/passwd', good, 'peer')).rejects.toThrow(/id/);
      await expect(store.receive(noteId(2), good, 'peer')).rejects.toThrow(/not a document of/);
      await expect(
        store.receive(noteId(1), Uint8Array.of(1, 2, 3, 250, 250), 'peer'),
      ).rejects.toThrow(/does not decode/);
      await expect(store.receive(noteId(1), new Uint8Array(1001), 'peer')).rejects.toThrow(
        /more than 1000/,
      );
      await expect(store.receive(noteId(2), good, 'peer')).rejects.toThrow(LazyUpdateRefused);
      await expect(
        store.receive(noteId(1), Uint8Array.of(1, 2, 3, 250, 250), 'peer'),
      ).rejects.toThrow(LazyUpdateRefused);
      await expect(store.receive(noteId(1), new Uint8Array(1001), 'peer')).rejects.toThrow(
        LazyUpdateRefused,
      );
      expect(warn).toHaveBeenCalledTimes(9);
      expect(store.accepts(noteId(2))).toBe(false);
      expect(store.accepts(noteId(1))).toBe(true);
      expect(await raw(workspace, ROWS_STORE)).toEqual([]);
      expect(await raw(workspace, META_STORE)).toEqual([]);
    } finally {
      warn.mockRestore();
    }
  });

  it('sets a damaged row aside, reports it, and loads the rest', async () => {
    const workspace = freshWorkspace();
    const problems: LazyDocProblem[] = [];
    const store = open(workspace, await keyFor(), { onProblem: (p) => problems.push(p) });
    const id = noteId(1);
    const writer = new Y.Doc();
    await store.receive(id, bodyUpdate('kept', writer), 'peer');
    await addRawLazyRows(workspace, id, [Uint8Array.of(1, 2, 3, 250, 250, 250, 9)]);
    const before = Y.encodeStateVector(writer);
    writer.getText('body').insert(4, ' too');
    await store.receive(id, Y.encodeStateAsUpdate(writer, before), 'peer');

    const doc = await store.load(id);
    expect(doc.getText('body').toString()).toBe('kept too');
    expect(problems).toEqual([
      expect.objectContaining({
        type: 'set-aside',
        id,
        rows: [expect.objectContaining({ problem: 'unreadable' })],
      }),
    ]);
    const aside = await store.setAside(id);
    expect(aside).toHaveLength(1);
    expect(aside[0]!.value).toEqual(Uint8Array.of(1, 2, 3, 250, 250, 250, 9));
    expect(await rowsOf(workspace, id)).toHaveLength(2);
    expect((await store.stored(id))?.rows).toBe(2);
    store.release(id);
  });

  it('keeps edits to a loaded document on disk without a flush', async () => {
    const workspace = freshWorkspace();
    const key = await keyFor();
    const store = open(workspace, key);
    const id = noteId(1);
    const heard: unknown[] = [];
    store.onUpdate((_id, _update, origin) => heard.push(origin));
    const doc = await store.load(id);
    doc.transact(() => doc.getText('body').insert(0, 'typed just now'), 'editor');
    // Another reader of the same database, opened before anything was awaited.
    const other = open(workspace, key);
    const copy = await other.load(id);
    expect(copy.getText('body').toString()).toBe('typed just now');
    expect(heard).toEqual(['editor']);
    expect(Y.decodeStateVector((await other.stored(id))!.vector)).toEqual(
      Y.decodeStateVector(Y.encodeStateVector(doc)),
    );
    if (sealing)
      for (const value of await raw(workspace, ROWS_STORE))
        expect(holdsText(value, 'typed just now')).toBe(false);
    other.release(id);
    store.release(id);
  });

  it('works the fingerprint of a local deletion out once typing has paused', async () => {
    const workspace = freshWorkspace();
    const time = manualTime();
    const store = open(workspace, await keyFor(), { schedule: time.schedule, cancel: time.cancel });
    const id = noteId(1);
    const doc = await store.load(id);
    doc.getText('body').insert(0, 'hello world');
    doc.getText('body').delete(0, 6);
    await store.flush();
    const exact = deletesFingerprint(Y.decodeUpdate(Y.encodeStateAsUpdate(doc)).ds);
    const typed = (await store.stored(id))!;
    expect(typed.vector).toEqual(Y.encodeStateVector(doc));
    // Not worked out on the typing path: unknown, so sync diffs this document meanwhile.
    expect(typed.deletes).not.toEqual(exact);
    time.advance(60_000);
    await expect.poll(async () => (await store.stored(id))!.deletes).toEqual(exact);
    store.release(id);
  });

  it('compacts a document of many rows into one, keeping its content', async () => {
    const workspace = freshWorkspace();
    const time = manualTime();
    const key = await keyFor();
    const store = open(workspace, key, { schedule: time.schedule, cancel: time.cancel });
    const id = noteId(1);
    const doc = await store.load(id);
    for (let i = 0; i < 100; i++) doc.getText('body').insert(i, String(i % 10));
    doc.getText('body').delete(0, 10);
    await store.flush();
    expect(await rowsOf(workspace, id)).toHaveLength(101);
    const expected = doc.getText('body').toString();
    // It fell due while typing, and runs by itself once its delay is over.
    time.advance(60_000);
    await expect.poll(async () => (await rowsOf(workspace, id)).length).toBe(1);
    const rows = await rowsOf(workspace, id);
    expect(rows).toHaveLength(1);
    expect(looksSealed(rows[0]!.row as Uint8Array)).toBe(sealing);
    expect(await store.stored(id)).toMatchObject({
      rows: 1,
      gaps: false,
      vector: Y.encodeStateVector(doc),
    });
    store.release(id);
    const fresh = open(workspace, key);
    const again = await fresh.load(id);
    expect(again.getText('body').toString()).toBe(expected);
    fresh.release(id);
  });

  it('keeps at most its cap of documents loaded while 3,000 are loaded and released in turn', async () => {
    const workspace = freshWorkspace();
    const store = open(workspace, await keyFor(), { maxLoaded: 8 });
    const held = await store.load(noteId(99_999));
    held.getText('body').insert(0, 'held throughout');
    let most = 0;
    for (let n = 0; n < 3000; n++) {
      const doc = await store.load(noteId(n));
      most = Math.max(most, store.loadedCount());
      store.release(noteId(n));
      most = Math.max(most, store.loadedCount());
      if (n === 10) expect(doc.isDestroyed).toBe(false);
    }
    expect(most).toBeLessThanOrEqual(8);
    // A document somebody holds is never unloaded to make room.
    expect(held.isDestroyed).toBe(false);
    expect(held.getText('body').toString()).toBe('held throughout');
    store.release(noteId(99_999));
  }, 120_000);

  it('reads a document briefly and unloads it after', async () => {
    const workspace = freshWorkspace();
    const store = open(workspace, await keyFor());
    await store.create(noteId(1), bodyUpdate('to be indexed'));
    const text = await store.read(noteId(1), (doc) => doc.getText('body').toString());
    expect(text).toBe('to be indexed');
    expect(store.loadedCount()).toBe(0);
  });

  it('lists a created document to peers, and deleting it forever leaves nothing', async () => {
    const workspace = freshWorkspace();
    const store = open(workspace, await keyFor());
    await store.create(noteId(1));
    await store.create(noteId(2), bodyUpdate('second'));
    await addRawLazyRows(workspace, noteId(2), [Uint8Array.of(9, 9, 9)]);
    const doc = await store.load(noteId(2));
    expect(await store.setAside(noteId(2))).toHaveLength(1);
    const ids: string[] = [];
    for await (const page of store.vectors()) ids.push(...page.map((entry) => entry.id));
    expect(ids).toEqual([noteId(1), noteId(2)]);

    await store.delete(noteId(2));
    expect(doc.isDestroyed).toBe(true);
    expect(await rowsOf(workspace, noteId(2))).toEqual([]);
    expect(await store.stored(noteId(2))).toBeNull();
    expect(await raw(workspace, ASIDE_STORE)).toEqual([]);
    expect(await store.diff(noteId(2), Y.encodeStateVector(new Y.Doc()))).toBeNull();
    expect(await store.stored(noteId(1))).not.toBeNull();
  });

  it('creates many documents in one go, or none when one of them is not an update', async () => {
    const workspace = freshWorkspace();
    const store = open(workspace, await keyFor());
    await expect(
      store.createMany([
        [noteId(1), bodyUpdate('fine')],
        [noteId(2), Uint8Array.of(1, 2, 3, 250, 250)],
      ]),
    ).rejects.toThrow(/does not decode/);
    expect(await raw(workspace, ROWS_STORE)).toEqual([]);
    expect(await raw(workspace, META_STORE)).toEqual([]);

    const heard: string[] = [];
    store.onUpdate((id) => heard.push(id));
    const writer = new Y.Doc();
    const first = bodyUpdate('one', writer);
    const before = Y.encodeStateVector(writer);
    writer.getText('body').insert(3, ' and more');
    await store.createMany([
      [noteId(1), first],
      [noteId(2), undefined],
      [noteId(1), Y.encodeStateAsUpdate(writer, before)],
      [noteId(3), bodyUpdate('three')],
    ]);
    expect(heard.sort()).toEqual([noteId(1), noteId(3)]);
    expect(await store.stored(noteId(1))).toMatchObject({
      rows: 1,
      vector: Y.encodeStateVector(writer),
    });
    expect(await store.stored(noteId(2))).toMatchObject({ rows: 0 });
    expect(await store.read(noteId(1), (doc) => doc.getText('body').toString())).toBe(
      'one and more',
    );
    expect(await store.read(noteId(3), (doc) => doc.getText('body').toString())).toBe('three');
  });

  it('lists a document again when only a deletion arrives, with the same vector', async () => {
    const workspace = freshWorkspace();
    const store = open(workspace, await keyFor());
    const id = noteId(1);
    const writer = new Y.Doc();
    const first = bodyUpdate('hello world', writer);
    await store.receive(id, first, 'peer');
    const before = (await store.stored(id))!;
    const at = Y.encodeStateVector(writer);
    writer.getText('body').delete(0, 6);
    await store.receive(id, Y.encodeStateAsUpdate(writer, at), 'peer');
    const after = (await store.stored(id))!;
    expect(after.vector).toEqual(before.vector);
    expect(after.deletes).not.toEqual(before.deletes);
    // A peer at the same vector that lacks the deletion gets it from a diff.
    const copy = new Y.Doc();
    Y.applyUpdate(copy, first);
    expect(Y.encodeStateVector(copy)).toEqual(after.vector);
    Y.applyUpdate(copy, (await store.diff(id, Y.encodeStateVector(copy)))!);
    expect(copy.getText('body').toString()).toBe('world');
    expect(await store.read(id, (doc) => doc.getText('body').toString())).toBe('world');
  });

  it('stores changes that arrive past a hole and lists the vector without them until it fills', async () => {
    const workspace = freshWorkspace();
    const store = open(workspace, await keyFor());
    const id = noteId(1);
    const writer = new Y.Doc();
    const updates: Uint8Array[] = [];
    writer.on('update', (update: Uint8Array) => updates.push(update));
    writer.getText('body').insert(0, 'one');
    writer.getText('body').insert(3, ' two');
    await store.receive(id, updates[1]!, 'peer');
    expect(await store.stored(id)).toMatchObject({
      gaps: true,
      vector: Y.encodeStateVector(new Y.Doc()),
    });
    await store.receive(id, updates[0]!, 'peer');
    expect(await store.stored(id)).toMatchObject({
      gaps: false,
      vector: Y.encodeStateVector(writer),
    });
    expect(await store.read(id, (doc) => doc.getText('body').toString())).toBe('one two');
  });
});

describe('lazy document store, many peers at once', () => {
  it('ends with every document whole, however updates arrive', async () => {
    for (const seed of [11, 12, 13]) {
      const random = seededRandom(seed);
      const workspace = freshWorkspace();
      const store = open(workspace, await deriveAtRestKey(newDataKey(), 'workspace:lazy'));
      const sources = [1, 2, 3, 4].map(() => [new Y.Doc(), new Y.Doc()]);
      const sent: Array<[string, Uint8Array]> = [];
      sources.forEach((writers, d) => {
        for (const writer of writers)
          writer.on('update', (update: Uint8Array) => sent.push([noteId(d), update]));
      });
      for (let i = 0; i < 120; i++) {
        const writers = sources[Math.floor(random() * sources.length)]!;
        const writer = writers[Math.floor(random() * 2)]!;
        const text = writer.getText('body');
        if (text.length > 2 && random() < 0.25) text.delete(Math.floor(random() * text.length), 1);
        else text.insert(Math.floor(random() * (text.length + 1)), String(i % 10));
        if (random() < 0.2) Y.applyUpdate(writers[0]!, Y.encodeStateAsUpdate(writers[1]!));
        if (random() < 0.2) Y.applyUpdate(writers[1]!, Y.encodeStateAsUpdate(writers[0]!));
      }
      // Shuffled, some twice, all in flight at once.
      const delivery = sent.concat(sent.filter(() => random() < 0.2));
      for (let i = delivery.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [delivery[i], delivery[j]] = [delivery[j]!, delivery[i]!];
      }
      const loadedEarly = await store.load(noteId(0));
      await Promise.all(delivery.map(([id, update]) => store.receive(id, update, 'peer')));
      for (const [d, writers] of sources.entries()) {
        const whole = new Y.Doc();
        for (const writer of writers) Y.applyUpdate(whole, Y.encodeStateAsUpdate(writer));
        const id = noteId(d);
        const deletes = deletesFingerprint(Y.decodeUpdate(Y.encodeStateAsUpdate(whole)).ds);
        expect(await store.stored(id), `seed ${seed}`).toMatchObject({
          gaps: false,
          vector: Y.encodeStateVector(whole),
          deletes,
        });
        const copy = new Y.Doc();
        const missing = await store.diff(id, Y.encodeStateVector(copy));
        if (missing) Y.applyUpdate(copy, missing);
        expect(copy.getText('body').toString(), `seed ${seed}`).toBe(
          whole.getText('body').toString(),
        );
        expect(await store.read(id, (doc) => doc.getText('body').toString())).toBe(
          whole.getText('body').toString(),
        );
      }
      // Compacted, each document still lists what it held.
      for (const [d] of sources.entries()) await store.compact(noteId(d));
      const listed = new Map<string, StoredLazyDocVector>();
      for await (const page of store.vectors())
        for (const entry of page) listed.set(entry.id, entry);
      for (const [d, writers] of sources.entries()) {
        const whole = new Y.Doc();
        for (const writer of writers) Y.applyUpdate(whole, Y.encodeStateAsUpdate(writer));
        expect(listed.get(noteId(d)), `seed ${seed}`).toEqual({
          id: noteId(d),
          vector: Y.encodeStateVector(whole),
          deletes: deletesFingerprint(Y.decodeUpdate(Y.encodeStateAsUpdate(whole)).ds),
        });
      }
      // The one loaded while they arrived got each of them too.
      const first = new Y.Doc();
      for (const writer of sources[0]!) Y.applyUpdate(first, Y.encodeStateAsUpdate(writer));
      expect(loadedEarly.getText('body').toString()).toBe(first.getText('body').toString());
      store.release(noteId(0));
    }
  });
});

describe('lazy document store, database gone', () => {
  it('reports an edit it cannot store instead of throwing into the edit', async () => {
    const workspace = freshWorkspace();
    const problems: LazyDocProblem[] = [];
    const store = open(workspace, null, { onProblem: (p) => problems.push(p) });
    const doc = await store.load(noteId(1));
    // The workspace deleted in another tab: the store lets its connection go.
    expect(await deleteLazyDocsDb(workspace)).toBe(true);
    expect(() => doc.getText('body').insert(0, 'too late')).not.toThrow();
    await expect.poll(() => problems.map((p) => p.type)).toEqual(['write-failed']);
    store.release(noteId(1));
  });
});

describe('lazy document store, metadata', () => {
  it('works a damaged metadata entry out again from the rows when listing vectors', async () => {
    const workspace = freshWorkspace();
    const store = open(workspace, null);
    const writer = new Y.Doc();
    await store.receive(noteId(1), bodyUpdate('listed', writer), 'peer');
    const db = await openLazyDocsDb(LAZY_DOCS_DB_PREFIX + workspace);
    const tx = db.transaction([META_STORE], 'readwrite');
    tx.objectStore(META_STORE).put({ vector: 'not bytes' }, noteId(1));
    await transactionDone(tx);
    db.close();
    const listed: Array<[string, Uint8Array]> = [];
    for await (const page of store.vectors())
      for (const entry of page) listed.push([entry.id, entry.vector]);
    expect(listed).toEqual([[noteId(1), Y.encodeStateVector(writer)]]);
    expect(await store.stored(noteId(1))).toMatchObject({ rows: 1, gaps: false });
  });
});

describe('lazy document store, sealed rows', () => {
  it('does not open a row copied from one document into another', async () => {
    const workspace = freshWorkspace();
    const problems: LazyDocProblem[] = [];
    const store = open(workspace, await deriveAtRestKey(newDataKey(), 'workspace:lazy'), {
      onProblem: (p) => problems.push(p),
    });
    await store.receive(noteId(1), bodyUpdate('secret of one'), 'peer');
    await store.receive(noteId(2), bodyUpdate('of two'), 'peer');
    const [row] = await rowsOf(workspace, noteId(1));
    await addRawLazyRows(workspace, noteId(2), [row!.row]);
    const doc = await store.load(noteId(2));
    expect(doc.getText('body').toString()).toBe('of two');
    expect(problems).toEqual([
      expect.objectContaining({
        id: noteId(2),
        rows: [expect.objectContaining({ problem: 'not-authentic' })],
      }),
    ]);
    expect((await store.setAside(noteId(2)))[0]!.value).toEqual(row!.row);
    store.release(noteId(2));
  });

  it('rewrites rows stored plain sealed once the device has a key', async () => {
    const workspace = freshWorkspace();
    const plain = open(workspace, null);
    await plain.receive(noteId(1), bodyUpdate('written plain'), 'peer');
    await plain.close();
    const time = manualTime();
    const store = open(workspace, await deriveAtRestKey(newDataKey(), 'workspace:lazy'), {
      schedule: time.schedule,
      cancel: time.cancel,
    });
    expect(await store.read(noteId(1), (doc) => doc.getText('body').toString())).toBe(
      'written plain',
    );
    time.advance(60_000);
    await store.compact(noteId(1));
    const rows = await rowsOf(workspace, noteId(1));
    expect(rows).toHaveLength(1);
    expect(looksSealed(rows[0]!.row as Uint8Array)).toBe(true);
    expect(holdsText(rows, 'written plain')).toBe(false);
  });
});

describe('rows of views', () => {
  it('stores a plain body given as a view into a bigger buffer as that body alone', async () => {
    const workspace = freshWorkspace();
    const store = open(workspace, null);
    const update = bodyUpdate('A body read out of a file');
    // As a workspace file's bodies arrive: each a view into the whole file.
    const file = new Uint8Array(1_000_000);
    file.set(update, 4096);
    await store.createMany([[noteId(1), file.subarray(4096, 4096 + update.length)]]);
    await store.flush();
    const [row] = await rowsOf(workspace, noteId(1));
    const stored = row!.row as Uint8Array;
    expect(stored).toEqual(update);
    expect(stored.buffer.byteLength).toBe(update.length);
  });
});
