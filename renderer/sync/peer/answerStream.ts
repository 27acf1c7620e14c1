/**
 * Sending an Outpost peer what it lacks in pieces (piecesInOrder.ts), paced by what it says it
 * holds.
 *
 * A peer applies what it receives at its own speed, and a data channel delivers as fast as the
 * network goes: pieces sent as fast as the channel drains would queue up unapplied at the peer,
 * and past 64 MiB it drops us (inboundBudget.ts). So at most {@link AnswerLimits.windowBytes} of
 * pieces are out at once, and a piece counts as out until the peer is known to hold what it
 * brings (its have messages and state vectors, which every Outpost peer that says hello sends
 * after applying: wire.ts). The pieces are written only when they may go, so this device never
 * holds the whole answer either.
 */
import type * as Y from 'yjs';
import { piecesInOrder, type Piece } from './piecesInOrder';
import { covers, type StateVector } from './stateVectors';

export interface AnswerLimits {
  /** Size a piece is cut at (it ends with the struct that reaches it). */
  readonly pieceBytes: number;
  /** Bytes of pieces sent and not yet known to be held by the peer before the next goes. */
  readonly windowBytes: number;
}

const MiB = 1024 * 1024;

/**
 * Pieces of 2 MiB, 8 MiB out at once: a peer holds at most about 10 MiB of our answer unapplied
 * (far under the 64 MiB it allows one peer, and under the 128 MiB for all peers together with a
 * few peers answering at once), and the window covers what a peer applies between two have
 * messages (at most every 200 ms) so the stream does not stall on them.
 */
export const DEFAULT_ANSWER_LIMITS: AnswerLimits = { pieceBytes: 2 * MiB, windowBytes: 8 * MiB };

export class AnswerStream {
  private readonly pieces: Generator<Piece, void, undefined>;
  /** Pieces sent that the peer is not known to hold yet, oldest first. */
  private readonly out: Array<{ readonly reaches: StateVector; readonly bytes: number }> = [];
  private outBytes = 0;
  private finished = false;

  constructor(
    doc: Y.Doc,
    theirs: StateVector,
    private readonly limits: AnswerLimits = DEFAULT_ANSWER_LIMITS,
  ) {
    this.pieces = piecesInOrder(doc, theirs, limits.pieceBytes);
  }

  /** The last piece has been taken. */
  get done(): boolean {
    return this.finished;
  }

  /** Bytes sent that the peer is not known to hold yet. */
  get unconfirmedBytes(): number {
    return this.outBytes;
  }

  /**
   * The pieces that may go now that the peer is known to hold `known`, in order; the last piece
   * of the answer has `last` set. Call again whenever `known` rises.
   */
  take(known: StateVector): Piece[] {
    while (this.out.length > 0 && covers(known, this.out[0]!.reaches))
      this.outBytes -= this.out.shift()!.bytes;
    const ready: Piece[] = [];
    while (!this.finished && this.outBytes < this.limits.windowBytes) {
      const next = this.pieces.next();
      if (next.done) {
        this.finished = true;
        break;
      }
      const piece = next.value;
      if (piece.last) this.finished = true;
      this.out.push({ reaches: piece.reaches, bytes: piece.update.length });
      this.outBytes += piece.update.length;
      ready.push(piece);
    }
    return ready;
  }
}
