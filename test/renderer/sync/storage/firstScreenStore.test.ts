/**
 * The notes list's stored first screen, on real IndexedDB (fake-indexeddb), the real sealing code
 * and the real notes model: the rows are those the list shows first (active notes, pinned first,
 * newest edit first) with what a row shows; the row is stored sealed beside the search index and
 * reads back as it was; a row sealed with another key, for another workspace or another document,
 * stored plain on a device that seals, damaged, out of bounds or of another format is reported as
 * such and is never shown (readFirstScreen gives null, never throws). The keeper writes the row
 * once the list is whole and quiet, again when the list changes, and not when nothing changed.
 */
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { newId } from '../../../../shared/core/ids';
import {
  SEALED_PURPOSE,
  deriveAtRestKey,
  looksSealed,
  newDataKey,
  seal,
  type AtRestKey,
} from '../../../../shared/protocol/atRest';
import { notes, noteBody, ROOT } from '../../../../shared/model';
import { writeBodyTree } from '../../../../shared/model/notesBody';
import { createNotesLive, type NotesLive } from '../../../../shared/model/notesLive';
import { NoteSearchIndex } from '../../../../shared/model/notesSearch';
import { firstScreenOf, type FirstScreen } from '../../../../shared/model/notesFirstScreen';
import { rowScope } from '../../../../shared/storage/sealedRows';
import { NOTES_INDEX_DB_PREFIX } from '../../../../renderer/sync/storage/notesIndexStore';
import {
  FIRST_SCREEN_DOCUMENT,
  FIRST_SCREEN_KEY,
  openFirstScreenStore,
  readFirstScreen,
  type FirstScreenStore,
} from '../../../../renderer/sync/storage/firstScreenStore';
import { WORKSPACE_DB_PREFIX } from '../../../../renderer/sync/storage/idb';
import {
  keepFirstScreen,
  type FirstScreenKeeper,
} from '../../../../renderer/sync/firstScreenKeeper';
import { keepNotesIndex } from '../../../../renderer/sync/notesIndexKeeper';
import { manualTime } from './manualTime';

let at = 1_760_000_000_000;
const ctx = { actor: 'member-1', now: () => at };
const closers: Array<{ close(): void }> = [];
afterEach(() => {
  for (const closer of closers.splice(0)) closer.close();
});

const keyFor = (workspaceId: string, dataKey = newDataKey()) =>
  deriveAtRestKey(dataKey, `workspace:${workspaceId}`);

function store(workspaceId: string, key: Promise<AtRestKey> | null): FirstScreenStore {
  const opened = openFirstScreenStore(workspaceId, key);
  closers.push(opened);
  return opened;
}

function addNote(doc: Y.Doc, title: string, body: string, tags: string[] = []): string {
  at += 1_000;
  const created = notes.create(doc, ctx, { title, tags });
  if (!created.ok) throw new Error(created.error.message);
  doc.transact(() =>
    writeBodyTree(noteBody(doc, created.value.id)!, [
      { type: 'paragraph', content: [{ type: 'text', text: body }] },
    ]),
  );
  return created.value.id;
}

/** A workspace of a few notes (one pinned, one archived, one in the trash), its notes followed. */
function workspace(options: { deferRest?: (run: () => void) => void } = {}) {
  const doc = new Y.Doc();
  const ids = {
    offsite: addNote(doc, 'Lisbon offsite', 'Budget for the Lisbon retro', ['plan', 'travel']),
    roadmap: addNote(doc, 'Roadmap', 'Beta ships after the retro', ['a', 'b', 'c', 'd', 'e']),
    archived: addNote(doc, 'Old plan', 'Archived', ['plan']),
    trashed: addNote(doc, 'Scratch', 'Trashed'),
    pinned: addNote(doc, 'Handbook', 'How we work'),
    newest: addNote(doc, 'Standup', '', ['travel']),
  };
  at += 1_000;
  notes.archive(doc, ctx, ids.archived);
  notes.update(doc, ctx, ids.pinned, { pinned: true });
  notes.remove(doc, ctx, ids.trashed);
  const live = createNotesLive(doc, {
    onChange: () => {},
    schedule: () => 0,
    cancel: () => {},
    searchIndex: new NoteSearchIndex(),
    ...(options.deferRest ? { firstScreen: 1, afterFirstList: options.deferRest } : {}),
  });
  doc.getMap(ROOT.notes).observeDeep((events) => live.onEvents(events));
  if (!options.deferRest) live.flush();
  return { doc, live, ids };
}

async function withRows<T>(workspaceId: string, run: (rows: IDBObjectStore) => void): Promise<T> {
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const request = indexedDB.open(NOTES_INDEX_DB_PREFIX + workspaceId, 1);
    request.onupgradeneeded = () => request.result.createObjectStore('rows');
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  const tx = db.transaction('rows', 'readwrite');
  let result: T | undefined;
  const request = run(tx.objectStore('rows')) as unknown;
  if (request instanceof IDBRequest) request.onsuccess = () => (result = request.result as T);
  await new Promise<void>((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
  });
  db.close();
  return result as T;
}

const putRow = (workspaceId: string, value: unknown) =>
  withRows<void>(workspaceId, (rows) => rows.put(value, FIRST_SCREEN_KEY));
const storedRow = (workspaceId: string) =>
  withRows<unknown>(workspaceId, (rows) => rows.get(FIRST_SCREEN_KEY));

describe('the first screen of the notes list', () => {
  it('holds the rows the list shows first, pinned first, with what a row shows', () => {
    const { live, ids } = workspace();
    const screen = firstScreenOf(live.list(), live.reader())!;
    expect(screen.total).toBe(4);
    expect(screen.rows.map((row) => row.id)).toEqual([
      ids.pinned,
      ids.newest,
      ids.roadmap,
      ids.offsite,
    ]);
    const roadmap = screen.rows[2]!;
    expect(roadmap).toMatchObject({
      title: 'Roadmap',
      pinned: false,
      snippet: 'Beta ships after the retro',
    });
    expect(roadmap.tags).toEqual(['a', 'b', 'c', 'd']);
    expect(screen.rows[1]!.snippet).toBe('');
    expect(firstScreenOf(live.list(), live.reader(), 2)!.rows).toHaveLength(2);
    // The tag bar above the rows is the view's: the archived note's "plan" does not count.
    expect(screen.tags).toEqual([
      ['travel', 2],
      ['a', 1],
      ['b', 1],
      ['c', 1],
      ['d', 1],
      ['e', 1],
      ['plan', 1],
    ]);
  });

  it('is not taken while the list is not whole yet', () => {
    let rest: (() => void) | null = null;
    const { live } = workspace({ deferRest: (run) => (rest = run) });
    expect(live.list().unread).toBeGreaterThan(0);
    expect(firstScreenOf(live.list(), live.reader())).toBeNull();
    rest!();
    expect(firstScreenOf(live.list(), live.reader())?.total).toBe(4);
  });
});

describe('the first-screen store', () => {
  it('stores the rows sealed beside the search index and reads them back', async () => {
    const id = newId();
    const key = keyFor(id);
    const { live } = workspace();
    const screen = firstScreenOf(live.list(), live.reader())!;
    await store(id, key).write(screen);
    const row = await storedRow(id);
    expect(row).toBeInstanceOf(Uint8Array);
    expect(looksSealed(row as Uint8Array)).toBe(true);
    expect(new TextDecoder().decode(row as Uint8Array)).not.toContain('Lisbon');
    expect(await store(id, key).read()).toEqual({ ok: true, value: screen });
    expect(await readFirstScreen(id, key)).toEqual(screen);
  });

  it('stores the rows plain on a device that keeps data unencrypted', async () => {
    const id = newId();
    const { live } = workspace();
    const screen = firstScreenOf(live.list(), live.reader())!;
    await store(id, null).write(screen);
    expect(looksSealed((await storedRow(id)) as Uint8Array)).toBe(false);
    expect(await readFirstScreen(id, null)).toEqual(screen);
  });

  it('does not use a row it cannot trust, and says why', async () => {
    const id = newId();
    const dataKey = newDataKey();
    const key = keyFor(id, dataKey);
    const { live } = workspace();
    const screen: FirstScreen = firstScreenOf(live.list(), live.reader())!;
    const plain = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
    const sealBytes = async (bytes: Uint8Array, document = FIRST_SCREEN_DOCUMENT, by = key) =>
      seal(await by, SEALED_PURPOSE.state, rowScope(WORKSPACE_DB_PREFIX + id, document), bytes);
    const sealedFor = (document: string, value: unknown) => sealBytes(plain(value), document);
    const good = { format: 1, ...screen };
    const cases: Array<[string, unknown, string]> = [
      [
        'sealed with another key',
        await sealBytes(plain(good), undefined, keyFor(id)),
        'unreadable',
      ],
      ['sealed for the search index', await sealedFor('notes-index', good), 'unreadable'],
      ['stored plain on a device that seals', plain(good), 'unreadable'],
      ['not bytes', 'hello', 'unreadable'],
      ['not JSON', await sealBytes(new Uint8Array([0x7b, 0xff])), 'damaged'],
      [
        'another format',
        await sealedFor(FIRST_SCREEN_DOCUMENT, { ...good, format: 2 }),
        'other-format',
      ],
      ['no format', await sealedFor(FIRST_SCREEN_DOCUMENT, null), 'other-format'],
      [
        'a row without a title',
        await sealedFor(FIRST_SCREEN_DOCUMENT, {
          ...good,
          rows: [{ ...screen.rows[0], title: undefined }],
        }),
        'damaged',
      ],
      [
        'too many tags',
        await sealedFor(FIRST_SCREEN_DOCUMENT, {
          ...good,
          rows: [{ ...screen.rows[0], tags: ['a', 'b', 'c', 'd', 'e'] }],
        }),
        'damaged',
      ],
      [
        'a tag bar tag counted for no note',
        await sealedFor(FIRST_SCREEN_DOCUMENT, { ...good, tags: [['travel', 0]] }),
        'damaged',
      ],
      [
        'more rows than notes',
        await sealedFor(FIRST_SCREEN_DOCUMENT, { ...good, total: 1 }),
        'damaged',
      ],
      [
        'too many rows',
        await sealedFor(FIRST_SCREEN_DOCUMENT, {
          ...good,
          total: 500,
          rows: Array.from({ length: 201 }, () => screen.rows[0]),
        }),
        'damaged',
      ],
    ];
    for (const [what, value, problem] of cases) {
      await putRow(id, value);
      const read = await store(id, key).read();
      expect({ what, problem: read.ok ? 'ok' : read.problem }).toEqual({ what, problem });
      expect(await readFirstScreen(id, key)).toBeNull();
    }
    expect(await readFirstScreen(newId(), key)).toBeNull();
    expect(await store(newId(), key).read()).toEqual({ ok: false, problem: 'missing' });
    // A row stored before the tag bar was kept reads with none.
    await putRow(id, await sealedFor(FIRST_SCREEN_DOCUMENT, { ...good, tags: undefined }));
    expect(await readFirstScreen(id, key)).toEqual({ ...screen, tags: [] });
    // The row of this workspace does not open as another workspace's, even under the same key.
    await putRow(id, await sealedFor(FIRST_SCREEN_DOCUMENT, good));
    expect(await readFirstScreen(id, key)).toEqual(screen);
    const other = newId();
    await putRow(other, await storedRow(id));
    expect(await readFirstScreen(other, key)).toBeNull();
  });
});

describe('the first-screen keeper', () => {
  function keeper(
    id: string,
    key: Promise<AtRestKey>,
    live: () => NotesLive | null,
    time: ReturnType<typeof manualTime>,
  ): FirstScreenKeeper {
    const kept = keepFirstScreen(id, key, live, { ...time, quietMs: 1_000, maxWaitMs: 10_000 });
    closers.push(kept);
    return kept;
  }

  it('writes the list once it is whole, again when it changes, and not when nothing did', async () => {
    const id = newId();
    const key = keyFor(id);
    const time = manualTime();
    let current: NotesLive | null = null;
    const kept = keeper(id, key, () => current, time);
    // The document is still being read: nothing to write, looked at again later.
    time.advance(1_000);
    await kept.flush();
    expect(await storedRow(id)).toBeUndefined();
    const { doc, live, ids } = workspace();
    current = live;
    // The first write comes as soon as the list is whole, without waiting for a quiet spell.
    kept.changed();
    time.advance(200);
    await expect.poll(() => storedRow(id)).toBeInstanceOf(Uint8Array);
    expect(await readFirstScreen(id, key)).toEqual(firstScreenOf(live.list(), live.reader()));
    const first = await storedRow(id);

    // Nothing changed: no write.
    kept.changed();
    time.advance(1_000);
    await kept.flush();
    expect(await storedRow(id)).toEqual(first);

    // A title changes: written again once the list is quiet, not before.
    notes.update(doc, ctx, ids.roadmap, { title: 'Roadmap 2027' });
    kept.changed();
    time.advance(900);
    expect(await storedRow(id)).toEqual(first);
    time.advance(100);
    await kept.flush();
    const titles = (await readFirstScreen(id, key))!.rows.map((row) => row.title);
    expect(titles).toContain('Roadmap 2027');
  });

  it('writes what changed at close without waiting', async () => {
    const id = newId();
    const key = keyFor(id);
    const time = manualTime();
    const { doc, live, ids } = workspace();
    const kept = keeper(id, key, () => live, time);
    notes.update(doc, ctx, ids.offsite, { title: 'Porto offsite' });
    await kept.flush();
    expect((await readFirstScreen(id, key))!.rows.map((row) => row.title)).toContain(
      'Porto offsite',
    );
  });

  it('is kept by the notes index keeper, on the same changes', async () => {
    const id = newId();
    const key = keyFor(id);
    const time = manualTime();
    const { doc, live, ids } = workspace();
    const index = keepNotesIndex(id, key, doc, () => live, { ...time, quietMs: 1_000 });
    closers.push(index);
    time.advance(1_000);
    await index.flush();
    expect((await readFirstScreen(id, key))?.total).toBe(4);
    notes.archive(doc, ctx, ids.newest);
    index.changed();
    time.advance(1_000);
    await index.flush();
    const stored = (await readFirstScreen(id, key))!;
    expect(stored.total).toBe(3);
    expect(stored.rows.map((row) => row.id)).not.toContain(ids.newest);
  });
});
