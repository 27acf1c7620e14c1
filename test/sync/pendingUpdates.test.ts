/** The per-peer buffer of updates waiting for their dependencies, on real Yjs updates. */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  dependenciesMet,
  PendingUpdates,
  readUpdateMeta,
} from '../../renderer/sync/peer/pendingUpdates';
import { stateVectorOf } from '../../renderer/sync/peer/stateVectors';

/** `count` updates of one author, each one list item. */
function updatesOf(count: number, clientID = 51): Uint8Array[] {
  const author = new Y.Doc();
  author.clientID = clientID;
  const updates: Uint8Array[] = [];
  author.on('update', (update: Uint8Array) => updates.push(update));
  for (let i = 0; i < count; i++) author.getArray<number>('list').push([i]);
  return updates;
}

describe('pending updates', () => {
  it('knows an update that continues past the document is waiting for earlier changes', () => {
    const [first, second] = updatesOf(2) as [Uint8Array, Uint8Array];
    const doc = new Y.Doc();
    expect(dependenciesMet(readUpdateMeta(first), stateVectorOf(doc))).toBe(true);
    expect(dependenciesMet(readUpdateMeta(second), stateVectorOf(doc))).toBe(false);
    Y.applyUpdate(doc, first);
    expect(dependenciesMet(readUpdateMeta(second), stateVectorOf(doc))).toBe(true);
  });

  it('gives back held updates in an order the document applies, once the gap is filled', () => {
    const updates = updatesOf(6);
    const pending = new PendingUpdates();
    // Held out of order: 5, 3, 4, 2, 1 (0 missing).
    for (const index of [5, 3, 4, 2, 1]) {
      const update = updates[index]!;
      expect(pending.hold(update, readUpdateMeta(update))).toBe(true);
    }
    const doc = new Y.Doc();
    expect(pending.takeReady(stateVectorOf(doc))).toEqual([]);
    expect(pending.waitingFor(stateVectorOf(doc))).toEqual(new Set([51]));
    Y.applyUpdate(doc, updates[0]!);
    const ready = pending.takeReady(stateVectorOf(doc));
    expect(ready).toHaveLength(5);
    for (const update of ready) Y.applyUpdate(doc, update);
    expect(doc.getArray('list').toJSON()).toEqual([0, 1, 2, 3, 4, 5]);
    // Applied in order: nothing reached Yjs's own pending store.
    expect(doc.store.pendingStructs).toBeNull();
    expect(pending.count).toBe(0);
    expect(pending.bytes).toBe(0);
  });

  it('refuses an update past its count or byte limit and holds nothing more', () => {
    const updates = updatesOf(5).slice(1);
    const pending = new PendingUpdates();
    const limits = { maxUpdates: 3, maxBytes: 1024 };
    for (const update of updates.slice(0, 3))
      expect(pending.hold(update, readUpdateMeta(update), limits)).toBe(true);
    expect(pending.hold(updates[3]!, readUpdateMeta(updates[3]!), limits)).toBe(false);
    expect(pending.count).toBe(3);
    const bytes = pending.bytes;
    const big = new Y.Doc();
    big.clientID = 51;
    big.getText('t').insert(0, 'x'.repeat(2000));
    const large = Y.encodeStateAsUpdate(big);
    expect(pending.hold(large, readUpdateMeta(large), { maxUpdates: 10, maxBytes: 1024 })).toBe(
      false,
    );
    expect(pending.bytes).toBe(bytes);
  });
});
