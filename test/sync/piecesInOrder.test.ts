/**
 * An Outpost peer's answer in pieces (piecesInOrder.ts), on real Yjs documents: each piece
 * applies fully on arrival (nothing waits in Yjs or in our own buffer), the pieces together are
 * the state, and each is cut near its size.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { dependenciesMet, readUpdateMeta } from '../../renderer/sync/peer/pendingUpdates';
import { piecesInOrder, type Piece } from '../../renderer/sync/peer/piecesInOrder';
import { stateVectorOf } from '../../renderer/sync/peer/stateVectors';
import { seededRandom as random } from './seededRandom';

function words(next: () => number, length: number): string {
  let text = '';
  while (text.length < length) text += `${Math.floor(next() * 36 ** 6).toString(36)} `;
  return text.slice(0, length);
}

/**
 * `authors` devices editing the same notes in turns, each seeing the others' changes between
 * turns: inserts at random places in each other's text, map entries overwritten, deletions. Each
 * device's changes build on the others', so no order of whole devices applies without waiting.
 */
function interleaved(seed: number, authors: number, turns: number, charsPerTurn: number): Y.Doc {
  const next = random(seed);
  const docs = Array.from({ length: authors }, (_, i) => {
    const doc = new Y.Doc();
    doc.clientID = 500 + i;
    return doc;
  });
  for (let turn = 0; turn < turns; turn++) {
    const doc = docs[turn % authors]!;
    const notes = doc.getMap<Y.Text>('notes');
    const key = `n${Math.floor(next() * 12)}`;
    let text = notes.get(key);
    if (!text || next() < 0.05) {
      text = new Y.Text();
      notes.set(key, text);
    }
    for (let written = 0; written < charsPerTurn;) {
      const length = 20 + Math.floor(next() * 400);
      text.insert(Math.floor(next() * (text.length + 1)), words(next, length));
      written += length;
      if (text.length > 200 && next() < 0.2)
        text.delete(Math.floor(next() * (text.length - 100)), 50);
    }
    doc.getMap('titles').set(key, words(next, 30));
    const update = Y.encodeStateAsUpdate(doc);
    for (const other of docs) if (other !== doc) Y.applyUpdate(other, update);
  }
  const union = new Y.Doc();
  for (const doc of docs) Y.applyUpdate(union, Y.encodeStateAsUpdate(doc));
  return union;
}

/** Applies `pieces` in order to `doc`, checking that each applies fully as it arrives. */
function applyEach(doc: Y.Doc, pieces: readonly Piece[]): void {
  for (const piece of pieces) {
    const meta = readUpdateMeta(piece.update);
    expect(dependenciesMet(meta, stateVectorOf(doc))).toBe(true);
    Y.applyUpdate(doc, piece.update);
    expect(doc.store.pendingStructs).toBeNull();
    expect(doc.store.pendingDs).toBeNull();
    const reached = stateVectorOf(doc);
    for (const [client, clock] of piece.reaches)
      expect(reached.get(client) ?? 0).toBeGreaterThanOrEqual(clock);
  }
}

const contentOf = (doc: Y.Doc) => ({
  notes: doc.getMap('notes').toJSON(),
  titles: doc.getMap('titles').toJSON(),
});

describe('an answer in pieces applied in order', () => {
  it('splits what one device wrote into pieces near the size, each applied on arrival', () => {
    const doc = interleaved(7, 1, 40, 20_000);
    const whole = Y.encodeStateAsUpdate(doc);
    expect(whole.length).toBeGreaterThan(700_000);
    const pieces = [...piecesInOrder(doc, new Map(), 64 * 1024)];
    expect(pieces.length).toBeGreaterThan(10);
    expect(pieces.filter((piece) => piece.last)).toEqual([pieces.at(-1)]);
    // A piece ends with the struct that reaches the size; one struct here is under 1 KB.
    for (const piece of pieces) expect(piece.update.length).toBeLessThan(64 * 1024 + 1024);
    const fresh = new Y.Doc();
    applyEach(fresh, pieces);
    expect(contentOf(fresh)).toEqual(contentOf(doc));
    expect(Y.encodeStateVector(fresh)).toEqual(Y.encodeStateVector(doc));
  });

  for (const seed of [1, 2, 3]) {
    it(`orders the changes of devices that build on each other (seed ${seed})`, () => {
      const doc = interleaved(seed, 4, 60, 4_000);
      const pieces = [...piecesInOrder(doc, new Map(), 16 * 1024)];
      expect(pieces.length).toBeGreaterThan(10);
      const fresh = new Y.Doc();
      applyEach(fresh, pieces);
      expect(contentOf(fresh)).toEqual(contentOf(doc));
      expect(Y.encodeStateVector(fresh)).toEqual(Y.encodeStateVector(doc));
    });
  }

  it('starts where the peer is, also in the middle of a struct', () => {
    const doc = interleaved(11, 3, 30, 4_000);
    const peer = new Y.Doc();
    Y.applyUpdate(peer, Y.encodeStateAsUpdate(doc));
    // The peer has part of it: what the others wrote, and the first half of one text of 500.
    const half = new Y.Doc();
    half.clientID = 900;
    const text = half.getText('t');
    text.insert(0, 'a'.repeat(10_000));
    const before = Y.encodeStateAsUpdate(half);
    text.insert(10_000, 'b'.repeat(10_000)); // merges with the first: one struct of 20,000 on our side
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(half));
    const joiner = new Y.Doc();
    Y.applyUpdate(joiner, Y.encodeStateAsUpdate(doc, Y.encodeStateVector(half)));
    Y.applyUpdate(joiner, before);
    const pieces = [...piecesInOrder(doc, stateVectorOf(joiner), 4 * 1024)];
    expect(pieces.length).toBeGreaterThan(1);
    applyEach(joiner, pieces);
    expect(joiner.getText('t').toString()).toBe(doc.getText('t').toString());
    expect(contentOf(joiner)).toEqual(contentOf(doc));
    expect(peer.getMap('titles').toJSON()).toEqual(doc.getMap('titles').toJSON());
  });

  it('is one update, as before, when the whole answer fits one piece', () => {
    const doc = interleaved(5, 2, 4, 1_000);
    const pieces = [...piecesInOrder(doc, new Map(), 1024 * 1024)];
    expect(pieces).toEqual([
      { update: Y.encodeStateAsUpdate(doc), reaches: stateVectorOf(doc), last: true },
    ]);
  });
});
