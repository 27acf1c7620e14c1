/**
 * The stored notes index, on real IndexedDB (fake-indexeddb) and the real sealing code: it is
 * stored sealed with the workspace's key in a database of its own and reads back as it was (and
 * searches the same); a row sealed with another key, sealed for another workspace, stored plain
 * on a device that seals, damaged, or of another format is reported as such, never thrown. The
 * keeper stores the index once changes go quiet and only when it reflects the document, and
 * falls back to building afresh from any row that cannot be used.
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
import { notesIndexSnapshot } from '../../../../shared/model/notesChangedSince';
import { rowScope } from '../../../../shared/storage/sealedRows';
import {
  NOTES_INDEX_DB_PREFIX,
  NOTES_INDEX_DOCUMENT,
  deleteNotesIndex,
  openNotesIndexStore,
  type NotesIndexStore,
} from '../../../../renderer/sync/storage/notesIndexStore';
import { WORKSPACE_DB_PREFIX } from '../../../../renderer/sync/storage/idb';
import { keepNotesIndex } from '../../../../renderer/sync/notesIndexKeeper';
import { manualTime } from './manualTime';

const ctx = { actor: 'member-1', now: () => 1_760_000_000_000 };
let stores: NotesIndexStore[] = [];
afterEach(() => {
  for (const store of stores) store.close();
  stores = [];
});

const keyFor = (workspaceId: string, dataKey = newDataKey()) =>
  deriveAtRestKey(dataKey, `workspace:${workspaceId}`);

function open(workspaceId: string, key: Promise<AtRestKey> | null): NotesIndexStore {
  const store = openNotesIndexStore(workspaceId, key);
  stores.push(store);
  return store;
}

/** A workspace of a few notes, its notes followed and every body read. */
function workspace() {
  const doc = new Y.Doc();
  for (const [title, body] of [
    ['Lisbon offsite', 'Budget for the Lisbon retro'],
    ['Roadmap', 'Beta ships after the retro'],
  ]) {
    const created = notes.create(doc, ctx, { title: title!, tags: ['plan'] });
    if (!created.ok) throw new Error(created.error.message);
    doc.transact(() =>
      writeBodyTree(noteBody(doc, created.value.id)!, [
        { type: 'paragraph', content: [{ type: 'text', text: body! }] },
      ]),
    );
  }
  const live = createNotesLive(doc, {
    onChange: () => {},
    schedule: () => 0,
    cancel: () => {},
    searchIndex: new NoteSearchIndex(),
  });
  doc.getMap(ROOT.notes).observeDeep((events) => live.onEvents(events));
  live.flush();
  return { doc, live };
}

/** Puts `value` as the stored row, as IndexedDB holds it. */
async function putRow(workspaceId: string, value: unknown): Promise<void> {
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const request = indexedDB.open(NOTES_INDEX_DB_PREFIX + workspaceId, 1);
    request.onupgradeneeded = () => request.result.createObjectStore('rows');
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  await new Promise<void>((resolve, reject) => {
    const tx = db.transaction('rows', 'readwrite');
    tx.objectStore('rows').put(value, 'notes-index');
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
  });
  db.close();
}

async function storedRow(workspaceId: string): Promise<unknown> {
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const request = indexedDB.open(NOTES_INDEX_DB_PREFIX + workspaceId);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  const value = await new Promise<unknown>((resolve, reject) => {
    const request = db.transaction('rows').objectStore('rows').get('notes-index');
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  db.close();
  return value;
}

describe('the notes index store', () => {
  it('stores the index sealed and reads back the same index', async () => {
    const id = newId();
    const key = keyFor(id);
    const { doc, live } = workspace();
    const saved = live.saved()!;
    await open(id, key).write({ snapshot: notesIndexSnapshot(doc), saved });
    const row = await storedRow(id);
    expect(row).toBeInstanceOf(Uint8Array);
    expect(looksSealed(row as Uint8Array)).toBe(true);
    expect(new TextDecoder().decode(row as Uint8Array)).not.toContain('Lisbon');

    const read = await open(id, key).read();
    if (!read.ok) throw new Error(read.problem);
    expect(read.value.snapshot).toEqual(notesIndexSnapshot(doc));
    expect(read.value.saved).toEqual(JSON.parse(JSON.stringify(saved)));
    const loaded = await NoteSearchIndex.load(read.value.saved.index);
    expect(loaded.search('lisbon ret', 10)).toEqual(live.reader().search('lisbon ret', 10));
  });

  it('reports a row it cannot use instead of throwing', async () => {
    const id = newId();
    const key = keyFor(id);
    const { doc, live } = workspace();
    const stored = { snapshot: notesIndexSnapshot(doc), saved: live.saved()! };
    expect(await open(id, key).read()).toEqual({ ok: false, problem: 'missing' });

    // Sealed with another device's key, or for another workspace: it does not open.
    await open(id, keyFor(id)).write(stored);
    expect(await open(id, key).read()).toMatchObject({ ok: false, problem: 'unreadable' });
    const other = newId();
    await open(other, key).write(stored);
    await putRow(id, await storedRow(other));
    expect(await open(id, key).read()).toMatchObject({ ok: false, problem: 'unreadable' });

    // Plain on a device that seals: not what this device wrote.
    await open(id, null).write(stored);
    expect(await open(id, key).read()).toMatchObject({ ok: false, problem: 'unreadable' });

    const scope = rowScope(WORKSPACE_DB_PREFIX + id, NOTES_INDEX_DOCUMENT);
    const sealJson = async (json: string) =>
      seal(await key, SEALED_PURPOSE.state, scope, new TextEncoder().encode(json));
    await putRow(id, await sealJson('{"format":1,"snapshot":'));
    expect(await open(id, key).read()).toMatchObject({ ok: false, problem: 'damaged' });
    await putRow(id, await sealJson('{"format":1,"snapshot":"AA","links":[]}'));
    expect(await open(id, key).read()).toMatchObject({ ok: false, problem: 'damaged' });
    await putRow(id, await sealJson('{"format":2}'));
    expect(await open(id, key).read()).toMatchObject({ ok: false, problem: 'other-format' });
    await putRow(id, 'not bytes');
    expect(await open(id, key).read()).toMatchObject({ ok: false, problem: 'unreadable' });

    // Deleted with its workspace, once nothing holds it open.
    for (const store of stores) store.close();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(await deleteNotesIndex(id)).toBe(true);
    expect(await open(id, key).read()).toEqual({ ok: false, problem: 'missing' });
  });
});

describe('the notes index keeper', () => {
  it('stores once changes are quiet, and only an index that reflects the document', async () => {
    const id = newId();
    const key = keyFor(id);
    const { doc, live } = workspace();
    const time = manualTime();
    let settled = true;
    let looked = 0;
    const notesNow = {
      // The list itself, for the first screen kept beside the index.
      list: () => live.list(),
      reader: () => live.reader(),
      saved: () => {
        looked++;
        return settled ? live.saved() : null;
      },
    } as NotesLive;
    const keeper = keepNotesIndex(id, key, doc, () => notesNow, {
      ...time,
      quietMs: 1_000,
      maxWaitMs: 10_000,
    });
    expect(await keeper.restored).toBeNull();
    keeper.changed();
    time.advance(900);
    keeper.changed();
    time.advance(900);
    expect(looked).toBe(0);
    // Quiet, but bodies still being read: nothing is stored, and it is looked at again later.
    settled = false;
    time.advance(200);
    expect(looked).toBe(1);
    settled = true;
    time.advance(1_000);
    expect(looked).toBe(2);
    await keeper.flush();
    expect(await storedRow(id)).toBeInstanceOf(Uint8Array);
    // Nothing changed since: nothing more to store.
    time.advance(60_000);
    await keeper.flush();
    expect(looked).toBe(2);
    keeper.close();

    const reopened = keepNotesIndex(id, key, doc, () => null, time);
    const restored = await reopened.restored;
    expect(restored?.snapshot).toEqual(notesIndexSnapshot(doc));
    expect(restored?.index.search('roadmap', 10).map((hit) => hit.id)).toEqual(
      live
        .reader()
        .search('roadmap', 10)
        .map((hit) => hit.id),
    );
    reopened.close();
  });

  it('leaves a damaged stored index to be built afresh', async () => {
    const id = newId();
    const key = keyFor(id);
    const scope = rowScope(WORKSPACE_DB_PREFIX + id, NOTES_INDEX_DOCUMENT);
    const { doc, live } = workspace();
    // Well-formed, but MiniSearch's part is not an index.
    const saved = {
      ...live.saved()!,
      index: { ...live.saved()!.index, search: { serializationVersion: 2 } },
    };
    const json = JSON.stringify({ format: 1, snapshot: 'AA', ...saved });
    await putRow(
      id,
      await seal(await key, SEALED_PURPOSE.state, scope, new TextEncoder().encode(json)),
    );
    const keeper = keepNotesIndex(id, key, doc, () => live, manualTime());
    expect(await keeper.restored).toBeNull();
    keeper.close();
  });
});
