/** Answering a stock peer's state vector in pieces, measured on a real Yjs document. */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { answerInPieces } from '../../renderer/sync/peer/pieceAnswer';
import { stateVectorOf } from '../../renderer/sync/peer/stateVectors';

/** `sizes[i]` characters written by client `200 + i`. */
function authored(sizes: readonly number[]): Y.Doc {
  const doc = new Y.Doc();
  sizes.forEach((size, i) => {
    const author = new Y.Doc();
    author.clientID = 200 + i;
    author.getText(`t${i}`).insert(0, 'y'.repeat(size));
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(author));
  });
  return doc;
}

describe('answering in pieces', () => {
  it('splits what the peer lacks into updates under the limit that together rebuild it', () => {
    const doc = authored([30_000, 30_000, 30_000, 30_000, 90_000]);
    const peer = new Y.Doc();
    Y.applyUpdate(peer, Y.encodeStateAsUpdate(authored([30_000]))); // already has client 200
    // A budget of 100,000 clocks groups the three small gaps; measuring splits the rest.
    const answer = answerInPieces(doc, stateVectorOf(peer), 70_000, 100_000);
    expect(answer.unsendable).toEqual([204]);
    expect(answer.updates.length).toBeGreaterThan(1);
    for (const update of answer.updates) expect(update.length).toBeLessThanOrEqual(70_000);
    for (const update of answer.updates) Y.applyUpdate(peer, update);
    for (let i = 0; i < 4; i++) expect(peer.getText(`t${i}`).length).toBe(30_000);
    expect(peer.getText('t4').length).toBe(0);
  });

  it('still answers once when the peer lacks nothing', () => {
    const doc = authored([10]);
    const answer = answerInPieces(doc, stateVectorOf(doc), 1000);
    expect(answer).toEqual({ updates: [expect.any(Uint8Array)], unsendable: [] });
  });
});
