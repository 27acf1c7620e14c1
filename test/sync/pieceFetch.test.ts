/**
 * Asking a stock y-webrtc peer for its state in pieces: the requests planned, what a real Yjs
 * document answers to them (`Y.encodeStateAsUpdate`, which is all a stock peer does with a state
 * vector), and how lost answers are told apart and remembered.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  PieceFetch,
  PieceFetchMemory,
  pieceStateVector,
  planPieces,
} from '../../renderer/sync/peer/pieceFetch';
import { readUpdateMeta } from '../../renderer/sync/peer/pendingUpdates';
import { encodeStateVector, stateVectorOf } from '../../renderer/sync/peer/stateVectors';

/** A document holding `sizes[i]` characters written by client `100 + i`. */
function stockDoc(sizes: readonly number[]): Y.Doc {
  const doc = new Y.Doc();
  sizes.forEach((size, i) => {
    const author = new Y.Doc();
    author.clientID = 100 + i;
    author.getText(`t${i}`).insert(0, 'x'.repeat(size));
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(author));
  });
  return doc;
}

describe('planning pieces', () => {
  it('groups small gaps up to the clock budget, smallest first, and keeps big ones alone', () => {
    const ours = new Map([[1, 10]]);
    const theirs = new Map([
      [1, 110], // gap 100
      [2, 5000],
      [3, 50],
      [4, 200_000],
      [5, 20],
    ]);
    expect(planPieces(ours, theirs, new Set(), new Set(), 1000)).toEqual([[5, 3, 1], [2], [4]]);
    expect(planPieces(ours, theirs, new Set([3]), new Set([4]), 1000)).toEqual([[3], [5, 1], [2]]);
  });

  it('asks a real document for only the requested clients', () => {
    const stock = stockDoc([300, 400, 500]);
    const fresh = new Y.Doc();
    const stateVector = pieceStateVector([101], stateVectorOf(fresh), stateVectorOf(stock));
    const answer = Y.encodeStateAsUpdate(stock, encodeStateVector(stateVector));
    const meta = readUpdateMeta(answer);
    expect([...meta.from]).toEqual([[101, 0]]);
    Y.applyUpdate(fresh, answer);
    expect(fresh.getText('t1').length).toBe(400);
    expect(fresh.getText('t0').length).toBe(0);
  });

  it('does not ask again for our own changes the peer received since its state vector', () => {
    const stock = stockDoc([300, 400]);
    const theirs = stateVectorOf(stock); // what the peer told us when it connected
    const ours = new Y.Doc();
    ours.clientID = 999;
    ours.getText('mine').insert(0, 'z'.repeat(5000));
    Y.applyUpdate(stock, Y.encodeStateAsUpdate(ours)); // then it received ours
    const stateVector = pieceStateVector([100], stateVectorOf(ours), theirs);
    const answer = Y.encodeStateAsUpdate(stock, encodeStateVector(stateVector));
    expect([...readUpdateMeta(answer).from]).toEqual([[100, 0]]);
  });
});

describe('a fetch in pieces', () => {
  it('asks, waits for the answer and then the probe, and moves on', () => {
    const stock = stockDoc([10, 20]);
    const fresh = new Y.Doc();
    const theirs = stateVectorOf(stock);
    const fetch = new PieceFetch('peer', new PieceFetchMemory());
    const first = fetch.start(stateVectorOf(fresh), theirs)!;
    expect(first.clients).toEqual([100, 101]);
    const answer = Y.encodeStateAsUpdate(
      stock,
      encodeStateVector(pieceStateVector(first.clients, stateVectorOf(fresh), theirs)),
    );
    const probe = Y.encodeStateAsUpdate(stock, encodeStateVector(theirs));
    expect(fetch.onReply(readUpdateMeta(answer))).toBe('wait');
    Y.applyUpdate(fresh, answer);
    expect(fetch.onReply(readUpdateMeta(probe))).toBe('next');
    expect(fetch.next(stateVectorOf(fresh), theirs)).toBeNull();
    expect(fetch.active).toBe(false);
  });

  it('splits a request whose answer was lost, then gives a client up after two losses', () => {
    const stock = stockDoc([10, 20]);
    const theirs = stateVectorOf(stock);
    const ours = new Map<number, number>();
    const probe = readUpdateMeta(Y.encodeStateAsUpdate(stock, encodeStateVector(theirs)));
    const memory = new PieceFetchMemory();
    const fetch = new PieceFetch('peer', memory);
    expect(fetch.start(ours, theirs)!.clients).toEqual([100, 101]);
    // The probe's answer arrives first: the request's answer was never sent.
    expect(fetch.onReply(probe)).toBe('next');
    expect(fetch.next(ours, theirs)).toBeNull(); // the round brought nothing: no loop
    expect(fetch.start(ours, theirs)!.clients).toEqual([100]);
    expect(fetch.onReply(probe)).toBe('next');
    expect(fetch.next(ours, theirs)!.clients).toEqual([101]);
    expect(fetch.onReply(probe)).toBe('next');
    expect(fetch.next(ours, theirs)).toBeNull();
    expect(fetch.start(ours, theirs)!.clients).toEqual([100]);
    expect(fetch.onReply(probe)).toBe('next');
    expect(fetch.next(ours, theirs)!.clients).toEqual([101]);
    // The connection closes with this request in flight (@roamhq/wrtc closes the channel
    // instead of sending a message over 256 KiB): the next connection counts it as lost.
    const again = new PieceFetch('peer', memory);
    expect([...again.unreceivable].sort()).toEqual([100, 101]);
    expect(again.start(ours, theirs)).toBeNull();
    // Another peer id has its own memory.
    expect(new PieceFetch('other', memory).start(ours, theirs)!.clients).toEqual([100, 101]);
  });
});
