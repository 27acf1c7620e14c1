/**
 * Answering a stock y-webrtc peer's state vector in pieces it can receive.
 *
 * A stock client cannot reassemble Outpost's chunk frames, and its WebRTC stack takes messages up
 * to 256 KiB (pieceFetch.ts). So instead of one answer, Outpost sends several updates, each
 * carrying the changes of a few clients (from the clock the peer has to our latest) plus the
 * delete set, each small enough to go as one message. The sizes are measured, not estimated: a
 * piece over the limit is split, and a single client's changes over it cannot reach a stock peer.
 */
import * as Y from 'yjs';
import { pieceStateVector, planPieces } from './pieceFetch';
import { encodeStateVector, stateVectorOf, type StateVector } from './stateVectors';

/** Clock gaps grouped into one piece before measuring (about a byte per clock for text). */
const CLOCKS_PER_PIECE = 192 * 1024;

export interface PieceAnswer {
  /** Updates that together are what the peer lacks, each at most `maxUpdateBytes` long. */
  readonly updates: readonly Uint8Array[];
  /** Clients whose changes the peer lacks but that are larger than one piece may be. */
  readonly unsendable: readonly number[];
}

export function answerInPieces(
  doc: Y.Doc,
  theirs: StateVector,
  maxUpdateBytes: number,
  clocksPerPiece = CLOCKS_PER_PIECE,
): PieceAnswer {
  const ours = stateVectorOf(doc);
  const queue = planPieces(theirs, ours, new Set(), new Set(), clocksPerPiece);
  // Nothing to send but the delete set: one answer, as y-webrtc expects a reply.
  if (queue.length === 0)
    return { updates: [Y.encodeStateAsUpdate(doc, encodeStateVector(theirs))], unsendable: [] };
  const updates: Uint8Array[] = [];
  const unsendable: number[] = [];
  while (queue.length > 0) {
    const clients = queue.shift()!;
    const update = Y.encodeStateAsUpdate(
      doc,
      encodeStateVector(pieceStateVector(clients, theirs, ours)),
    );
    if (update.length <= maxUpdateBytes) updates.push(update);
    else if (clients.length > 1) {
      const half = Math.ceil(clients.length / 2);
      queue.unshift(clients.slice(0, half), clients.slice(half));
    } else unsendable.push(clients[0]!);
  }
  // Every client too large: still one answer (the delete set), as y-webrtc expects a reply.
  if (updates.length === 0) updates.push(Y.encodeStateAsUpdate(doc, encodeStateVector(ours)));
  return { updates, unsendable };
}
