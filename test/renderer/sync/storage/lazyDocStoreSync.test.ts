/**
 * The lazy document store as the sync provider's storage: two real providers (PeerSync over the
 * stand-in data channel of test/sync/lazyLink.ts), each over its own store in IndexedDB
 * (fake-indexeddb, the edge) sealed with its own device's key, exchange their documents, a live
 * edit and a deletion, and each ends holding what the other holds.
 */
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { deriveAtRestKey, newDataKey } from '../../../../shared/protocol/atRest';
import {
  openLazyDocStore,
  type LazyDocStore,
} from '../../../../renderer/sync/storage/lazyDocStore';
import { connect, lazyProvider, until, type Side } from '../../../sync/lazyLink';

const sides: Side[] = [];
const stores: LazyDocStore[] = [];
let count = 0;

afterEach(async () => {
  for (const side of sides.splice(0)) side.sync.destroy();
  for (const store of stores.splice(0)) await store.close();
});

const idOf = (n: number) => `note-${String(n).padStart(6, '0')}`;

/** A device: its own store (its own data key) and a provider over it. */
async function device(): Promise<{ store: LazyDocStore; side: Side }> {
  count++;
  const key = await deriveAtRestKey(newDataKey(), 'workspace:shared');
  const store = openLazyDocStore(`sync-test-${count}`, { key, accepts: () => true });
  stores.push(store);
  const side = lazyProvider(store);
  sides.push(side);
  return { store, side };
}

async function texts(store: LazyDocStore): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for await (const page of store.vectors())
    for (const { id } of page)
      out[id] = await store.read(id, (doc) => doc.getText('body').toString());
  return out;
}

function body(text: string, clientID: number): Uint8Array {
  const doc = new Y.Doc();
  doc.clientID = clientID;
  doc.getText('body').insert(0, text);
  return Y.encodeStateAsUpdate(doc);
}

describe('lazy document store under the sync provider', () => {
  it('brings two devices to the same documents, live edits and deletions included', async () => {
    const a = await device();
    const b = await device();
    await a.store.createMany(
      Array.from({ length: 120 }, (_, n) => [idOf(n), body(`from a ${n}`, 1)] as const),
    );
    await b.store.createMany(
      Array.from({ length: 80 }, (_, n) => [idOf(n + 100), body(`from b ${n + 100}`, 2)] as const),
    );
    // Both hold note 0; B deleted part of it, which moves no vector.
    await b.store.createMany([[idOf(0), body('from a 0', 1)]]);
    const doc0 = await b.store.load(idOf(0));
    doc0.getText('body').delete(0, 5);
    b.store.release(idOf(0));
    await b.store.flush();

    const channel = connect(a.side, b.side);
    const done = () => channel.atA.lazy?.phase === 'done' && channel.atB.lazy?.phase === 'done';
    expect(await until(done)).toBe(true);
    const atA = await texts(a.store);
    // 0–119 from A, 100–179 from B: twenty held by both, merged.
    expect(Object.keys(atA)).toHaveLength(180);
    expect(atA[idOf(110)]).toContain('from a 110');
    expect(atA[idOf(110)]).toContain('from b 110');
    expect(atA[idOf(0)]).toBe('a 0');
    expect(await texts(b.store)).toEqual(atA);

    // A live edit on one device is stored on the other.
    const doc = await a.store.load(idOf(150));
    doc.getText('body').insert(0, 'edited live: ');
    a.store.release(idOf(150));
    await expect
      .poll(() => b.store.read(idOf(150), (copy) => copy.getText('body').toString()))
      .toBe('edited live: from b 150');
    expect(a.side.logs).toEqual([]);
    expect(b.side.logs).toEqual([]);
  });

  it('answer nothing on reconnect once both hold the same deletions, and a new one still goes', async () => {
    const a = await device();
    const b = await device();
    await a.store.createMany(
      Array.from({ length: 40 }, (_, n) => [idOf(n), body(`from a ${n}`, 1)] as const),
    );
    // Ten documents with deletions, compacted (their fingerprints worked out exactly).
    for (let n = 0; n < 10; n++) {
      const doc = await a.store.load(idOf(n));
      doc.getText('body').delete(0, 5);
      a.store.release(idOf(n));
    }
    await a.store.flush();
    for (let n = 0; n < 10; n++) await a.store.compact(idOf(n));

    const exchange = async () => {
      const channel = connect(a.side, b.side);
      const done = () => channel.atA.lazy?.phase === 'done' && channel.atB.lazy?.phase === 'done';
      expect(await until(done)).toBe(true);
      const progress = [
        a.side.sync.lazyProgress(channel.atA),
        b.side.sync.lazyProgress(channel.atB),
      ];
      channel.close();
      return progress;
    };
    const first = await exchange();
    expect(first[0]).toMatchObject({ sent: 40, received: 0 });
    expect(await texts(b.store)).toEqual(await texts(a.store));

    const again = await exchange();
    expect(again[0]).toMatchObject({ sent: 0, received: 0 });
    expect(again[1]).toMatchObject({ sent: 0, received: 0 });

    // A deletion on B since (its fingerprint unknown until compaction): it goes to A.
    const doc = await b.store.load(idOf(20));
    doc.getText('body').delete(0, 5);
    b.store.release(idOf(20));
    await b.store.flush();
    const third = await exchange();
    expect(third[1]).toMatchObject({ sent: 1 });
    expect(third[0]).toMatchObject({ received: 1 });
    expect((await texts(a.store))[idOf(20)]).toBe('a 20');
    expect(await texts(b.store)).toEqual(await texts(a.store));
    expect([...a.side.logs, ...b.side.logs]).toEqual([]);
  });
});
