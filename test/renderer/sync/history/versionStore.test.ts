/**
 * The version store's encryption at rest, on real IndexedDB (fake-indexeddb) and the real sealing
 * code: a version's content is stored sealed with the workspace's key and reads back as it was;
 * versions an earlier version stored plain still read and are rewritten sealed at the next open
 * with a key; a version sealed for another workspace does not open.
 */
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { newId } from '../../../../shared/core/ids';
import { deriveAtRestKey, looksSealed, newDataKey } from '../../../../shared/protocol/atRest';
import { rowScope, sealedRows, type RowCodec } from '../../../../shared/storage/sealedRows';
import {
  HISTORY_DB_PREFIX,
  HISTORY_DOCUMENT,
  openVersionStore,
  type VersionStore,
} from '../../../../renderer/sync/history/versionStore';
import { WORKSPACE_DB_PREFIX } from '../../../../renderer/sync/storage/idb';

const TEXT = 'Salary review for Bruno: 4,200';
const CONTENT = new TextEncoder().encode(TEXT);
const ENTRY = {
  kind: 'note' as const,
  recordId: 'note-0001',
  takenAt: 1_700_000_000_000,
  trigger: 'edit' as const,
  authors: ['member-0001'],
};

let stores: VersionStore[] = [];
afterEach(() => {
  for (const store of stores) store.close();
  stores = [];
});

async function codecFor(workspaceId: string, dataKey = newDataKey()): Promise<RowCodec> {
  const key = await deriveAtRestKey(dataKey, `workspace:${workspaceId}`);
  return sealedRows(key, rowScope(WORKSPACE_DB_PREFIX + workspaceId, HISTORY_DOCUMENT));
}

function open(workspaceId: string, codec?: RowCodec): VersionStore {
  const store = openVersionStore(workspaceId, undefined, codec);
  stores.push(store);
  return store;
}

/** The `bytes` of every stored row, as IndexedDB holds them. */
async function storedBytes(workspaceId: string): Promise<Uint8Array[]> {
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const request = indexedDB.open(HISTORY_DB_PREFIX + workspaceId);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  const rows = await new Promise<Array<{ bytes: Uint8Array }>>((resolve, reject) => {
    const request = db.transaction('versions').objectStore('versions').getAll();
    request.onsuccess = () => resolve(request.result as Array<{ bytes: Uint8Array }>);
    request.onerror = () => reject(request.error);
  });
  db.close();
  return rows.map((row) => row.bytes);
}

const contains = (haystack: Uint8Array, needle: Uint8Array) =>
  Buffer.from(haystack).includes(Buffer.from(needle));

describe('version store at rest', () => {
  it('stores a version sealed and reads it back as it was', async () => {
    const id = newId();
    const store = open(id, await codecFor(id));
    const entry = await store.add(ENTRY, CONTENT);
    expect(entry.size).toBe(CONTENT.length);
    expect(await store.read(entry.id)).toEqual(CONTENT);
    store.close();

    const rows = await storedBytes(id);
    expect(rows).toHaveLength(1);
    expect(looksSealed(rows[0]!)).toBe(true);
    expect(contains(rows[0]!, CONTENT)).toBe(false);
    expect(await store.usage()).toEqual({ versions: 1, bytes: CONTENT.length });
  });

  it('reads versions stored plain before, and rewrites them sealed at the next open with a key', async () => {
    const id = newId();
    const plain = open(id);
    const old = await plain.add(ENTRY, CONTENT);
    plain.close();
    expect(contains((await storedBytes(id))[0]!, CONTENT)).toBe(true);

    const sealed = open(id, await codecFor(id));
    expect(await sealed.read(old.id)).toEqual(CONTENT);
    const newer = await sealed.add({ ...ENTRY, takenAt: ENTRY.takenAt + 1 }, CONTENT);
    expect((await sealed.list('note', ENTRY.recordId)).map((version) => version.id)).toEqual([
      newer.id,
      old.id,
    ]);
    sealed.close();
    const rows = await storedBytes(id);
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      expect(looksSealed(row)).toBe(true);
      expect(contains(row, CONTENT)).toBe(false);
    }
  });

  it('reads no version sealed with another key (another device, or a row moved in)', async () => {
    const id = newId();
    const writer = open(id, await codecFor(id));
    const entry = await writer.add(ENTRY, CONTENT);
    writer.close();
    const other = open(id, await codecFor(id));
    expect(await other.read(entry.id)).toBeNull();
    expect(await other.list('note', ENTRY.recordId)).toHaveLength(1);
  });
});
