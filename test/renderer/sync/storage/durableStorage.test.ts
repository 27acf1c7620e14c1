// @vitest-environment happy-dom
/**
 * Durable storage over IndexedDB (fake-indexeddb, the browser's database being the edge): what is
 * saved loads again, a due compaction leaves one row, and a row that cannot be read is set aside
 * and reported while the rest loads — each with rows stored plain and with rows sealed at rest.
 */
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { openDurableStorage } from '../../../../renderer/sync/storage/durableStorage';
import type { DurableStorage } from '../../../../renderer/sync/storage/durableTypes';
import {
  UPDATES_STORE,
  openWorkspaceDb,
  requestDone,
  transactionDone,
} from '../../../../renderer/sync/storage/idb';
import type { SaveState } from '../../../../renderer/sync/storage/durableTypes';
import { deriveAtRestKey, newDataKey } from '../../../../shared/protocol/atRest';
import { rowScope, sealedRows, type RowCodec } from '../../../../shared/storage/sealedRows';

let dbCount = 0;
const opened: DurableStorage[] = [];

let codec: RowCodec | undefined;

function open(name: string, doc = new Y.Doc(), options = {}) {
  const storage = openDurableStorage(name, doc, { ...options, ...(codec ? { codec } : {}) });
  opened.push(storage);
  return { doc, storage };
}

/** Each test its own database. */
function freshName(): string {
  dbCount += 1;
  return `outpost-ws-durable-test-${dbCount}`;
}

/** The name the test about to run will get (its rows are sealed in that scope). */
function freshNameAhead(): string {
  return `outpost-ws-durable-test-${dbCount + 1}`;
}

async function rowCount(name: string): Promise<number> {
  const db = await openWorkspaceDb(name);
  try {
    const tx = db.transaction([UPDATES_STORE], 'readonly');
    return await requestDone(tx.objectStore(UPDATES_STORE).count());
  } finally {
    db.close();
  }
}

afterEach(async () => {
  for (const storage of opened.splice(0)) await storage.destroy();
});

const sealed = async (name: string) =>
  sealedRows(await deriveAtRestKey(newDataKey(), 'workspace:test'), rowScope(name));

describe.each([
  ['stored plain', () => Promise.resolve(undefined)],
  ['sealed at rest', sealed],
] as const)('durable storage, %s', (_label, codecFor) => {
  beforeEach(async () => {
    codec = await codecFor(freshNameAhead());
  });

  it('loads what an earlier session saved', async () => {
    const name = freshName();
    const first = open(name);
    await first.storage.whenLoaded;
    const states: SaveState['state'][] = [];
    const saved = new Promise<void>((resolve) =>
      first.storage.onSaveState((state) => {
        states.push(state.state);
        if (state.state === 'saved') resolve();
      }),
    );
    first.doc.getMap('notes').set('a', 'first');
    first.doc.getMap('notes').set('b', 'second');
    await saved;
    expect(states).toEqual(['saving', 'saved']);
    expect(first.storage.saveState().state).toBe('saved');
    await first.storage.destroy();

    const again = open(name);
    const report = await again.storage.whenLoaded;
    expect(report.setAside).toEqual([]);
    expect(again.doc.getMap('notes').toJSON()).toEqual({ a: 'first', b: 'second' });
  });

  it('compacts every row into one, and loads from it', async () => {
    const name = freshName();
    const first = open(name);
    await first.storage.whenLoaded;
    for (let i = 0; i < 20; i++) first.doc.getMap('notes').set(`n${i}`, i);
    await first.storage.flush();
    expect(await rowCount(name)).toBeGreaterThan(20);
    const result = await first.storage.compact();
    expect(result.rowsBefore).toBeGreaterThan(20);
    expect((await first.storage.storedBytes()).rows).toBe(1);
    await first.storage.destroy();
    expect(await rowCount(name)).toBe(1);

    const again = open(name);
    await again.storage.whenLoaded;
    expect(again.doc.getMap('notes').get('n19')).toBe(19);
  });

  it('runs a compaction that became due before it closes', async () => {
    const name = freshName();
    // Due after three rows; the pause before it is far longer than this test.
    const first = open(name, new Y.Doc(), {
      maxRowsBetweenCompactions: 3,
      compactDelayMs: 3_600_000,
    });
    await first.storage.whenLoaded;
    for (let i = 0; i < 5; i++) first.doc.getMap('notes').set(`n${i}`, i);
    await first.storage.flush();
    expect(await rowCount(name)).toBeGreaterThan(3);
    await first.storage.destroy();
    expect(await rowCount(name)).toBe(1);
  });

  it('sets a row that cannot be read aside and reports it, loading the rest', async () => {
    const name = freshName();
    const first = open(name);
    await first.storage.whenLoaded;
    first.doc.getMap('notes').set('kept', 'yes');
    await first.storage.flush();
    await first.storage.destroy();
    const db = await openWorkspaceDb(name);
    const tx = db.transaction([UPDATES_STORE], 'readwrite');
    tx.objectStore(UPDATES_STORE).add(new Uint8Array([255, 1, 2, 3, 4, 5]));
    await transactionDone(tx);
    db.close();

    const again = open(name);
    const report = await again.storage.whenLoaded;
    expect(report.setAside).toHaveLength(1);
    expect(report.setAside[0]?.bytes).toBe(6);
    expect(report.setAsideKept).toBe(true);
    expect(again.doc.getMap('notes').get('kept')).toBe('yes');
    const setAside = await again.storage.setAside();
    expect(setAside.map((entry) => entry.rowKey)).toEqual([report.setAside[0]?.key]);
  });
});
