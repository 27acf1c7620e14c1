/**
 * The metadata the lazy document store keeps per document, worked out from raw updates: moving
 * the vector on update by update (the fast path, no merge) always gives what merging every update
 * gives, whatever order the updates come in, and anything that is not an update is told apart.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  EMPTY_META,
  advanceVector,
  decodeLazyUpdate,
  deletesFingerprint,
  holdsNothing,
  vectorOfMerged,
  type LazyDocMeta,
} from '../../../../renderer/sync/storage/lazyDocMeta';
import { seededRandom } from '../../../sync/seededRandom';

/** Random edits by a few writers to one document, each update as it was made. */
function randomUpdates(random: () => number, count: number): Uint8Array[] {
  const writers = [new Y.Doc(), new Y.Doc(), new Y.Doc()];
  const updates: Uint8Array[] = [];
  for (const writer of writers) writer.on('update', (update: Uint8Array) => updates.push(update));
  for (let i = 0; i < count; i++) {
    const writer = writers[Math.floor(random() * writers.length)]!;
    const text = writer.getText('body');
    if (text.length > 3 && random() < 0.3) text.delete(Math.floor(random() * (text.length - 1)), 1);
    else text.insert(Math.floor(random() * (text.length + 1)), String.fromCharCode(97 + (i % 26)));
    // Writers sometimes catch up with each other, so later edits depend on earlier ones.
    if (random() < 0.3) {
      const other = writers[Math.floor(random() * writers.length)]!;
      if (other !== writer) Y.applyUpdate(other, Y.encodeStateAsUpdate(writer), 'catch-up');
    }
  }
  return updates;
}

/**
 * The metadata after storing `updates` in turn, the fast path taken wherever it applies (as for a
 * peer's updates, whose deletions are worked out exactly).
 */
function stored(updates: readonly Uint8Array[]): { meta: LazyDocMeta; fast: number } {
  let meta = EMPTY_META;
  let fast = 0;
  const held: Uint8Array[] = [];
  for (const update of updates) {
    held.push(update);
    const decoded = decodeLazyUpdate(update);
    if (!decoded.ok) throw new Error(decoded.detail);
    const vector = decoded.deletes ? null : advanceVector(meta, decoded.runs);
    if (vector) fast++;
    meta = vector
      ? { ...meta, vector, rows: meta.rows + 1 }
      : { ...meta, ...vectorOfMerged(Y.mergeUpdates(held)), rows: meta.rows + 1 };
  }
  return { meta, fast };
}

describe('lazy document metadata', () => {
  it('moves the vector on exactly as merging every update would, in any order', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const random = seededRandom(seed);
      const updates = randomUpdates(random, 60);
      // Peers deliver out of order: shuffle some of the time.
      const order = updates.slice();
      if (seed % 2 === 0)
        for (let i = order.length - 1; i > 0; i--) {
          const j = Math.floor(random() * (i + 1));
          [order[i], order[j]] = [order[j]!, order[i]!];
        }
      const { meta } = stored(order);
      const whole = vectorOfMerged(Y.mergeUpdates(order));
      expect(meta.vector, `seed ${seed}`).toEqual(whole.vector);
      expect(meta.gaps, `seed ${seed}`).toBe(false);
      const replica = new Y.Doc();
      for (const update of updates) Y.applyUpdate(replica, update);
      expect(Y.decodeStateVector(meta.vector), `seed ${seed}`).toEqual(
        Y.decodeStateVector(Y.encodeStateVector(replica)),
      );
      // The same deletions, whether merged from updates or read from a document (compaction).
      expect(meta.deletes, `seed ${seed}`).toEqual(whole.deletes);
      expect(meta.deletes, `seed ${seed}`).toEqual(
        deletesFingerprint(Y.decodeUpdate(Y.encodeStateAsUpdate(replica)).ds),
      );
    }
  });

  it('takes the fast path for updates in the order they were made that delete nothing', () => {
    const updates = randomUpdates(seededRandom(7), 50);
    const deleting = updates.filter((update) => Y.decodeUpdate(update).ds.clients.size > 0);
    expect(deleting.length).toBeGreaterThan(0);
    expect(stored(updates).fast).toBe(updates.length - deleting.length);
  });

  it('tells documents with equal vectors apart by what they deleted', () => {
    const doc = new Y.Doc();
    doc.getText('body').insert(0, 'hello world');
    const before = vectorOfMerged(Y.encodeStateAsUpdate(doc));
    doc.getText('body').delete(0, 6);
    const after = vectorOfMerged(Y.encodeStateAsUpdate(doc));
    expect(after.vector).toEqual(before.vector);
    expect(after.deletes).not.toEqual(before.deletes);
    expect(before.deletes).toEqual(EMPTY_META.deletes);
  });

  it('notes changes held past a hole, and settles once the hole is filled', () => {
    const doc = new Y.Doc();
    const updates: Uint8Array[] = [];
    doc.on('update', (update: Uint8Array) => updates.push(update));
    doc.getText('body').insert(0, 'one');
    doc.getText('body').insert(3, ' two');
    const late = stored([updates[1]!]);
    expect(late.meta.gaps).toBe(true);
    expect(Y.decodeStateVector(late.meta.vector).size).toBe(0);
    const both = stored([updates[1]!, updates[0]!]);
    expect(both.meta.gaps).toBe(false);
    expect(both.meta.vector).toEqual(Y.encodeStateVector(doc));
  });

  it('tells updates from bytes that are not one, and empty ones from the rest', () => {
    expect(decodeLazyUpdate(Uint8Array.of(1, 2, 3, 250, 250, 250)).ok).toBe(false);
    expect(decodeLazyUpdate(Uint8Array.of(0, 0))).toMatchObject({ ok: true, empty: true });
    const doc = new Y.Doc();
    doc.getText('body').insert(0, 'x');
    expect(decodeLazyUpdate(Y.encodeStateAsUpdate(doc))).toMatchObject({ ok: true, empty: false });
    expect(holdsNothing(Y.diffUpdate(Y.encodeStateAsUpdate(doc), Y.encodeStateVector(doc)))).toBe(
      true,
    );
    doc.getText('body').delete(0, 1);
    // A deletion does not move the vector: a diff at the full vector still carries it.
    expect(holdsNothing(Y.diffUpdate(Y.encodeStateAsUpdate(doc), Y.encodeStateVector(doc)))).toBe(
      false,
    );
  });
});
