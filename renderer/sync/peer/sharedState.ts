/**
 * What each peer is known to hold and what at least one peer holds of ours ("shared"), learned
 * only from what peers say (state vectors, have messages, the updates they send), never from what
 * was handed to a channel. From that it asks peers for what we lack (everything from an Outpost
 * peer, pieces from a stock one), answers their state vectors (in pieces either way: for a stock
 * peer pieces it can take whole, for an Outpost peer pieces paced by what it applied), tells
 * Outpost peers what we hold now, and says where each peer stands.
 */
import * as Y from 'yjs';
import { AnswerStream, type AnswerLimits } from './answerStream';
import { answerInPieces } from './pieceAnswer';
import {
  PieceFetch,
  PieceFetchMemory,
  pieceStateVector,
  STOCK_MAX_MESSAGE_BYTES,
  type PieceRequest,
} from './pieceFetch';
import type { PeerEndpoint } from './endpoint';
import type { Clock } from './handshakes';
import {
  encodeStateVector,
  missingClocks,
  raise,
  safeDecodeStateVector,
  stateVectorOf,
  type StateVector,
} from './stateVectors';
import type { PeerSyncState } from './types';
import { docStep1Message, haveMessage, helloMessage, step1Message, step2Message } from './wire';

/** Have messages go at most this often: they say what arrived, not when. */
const HAVE_INTERVAL_MS = 200;

export interface SharedStateOptions {
  readonly doc: Y.Doc;
  /** What earlier runs already shared with peers. */
  readonly sharedStateVector: Uint8Array | null | undefined;
  readonly clock: Clock;
  /** Time of day for `lastSyncedAt`. */
  readonly now: () => number;
  /** Hellos carry the connection's nonce, asking the peer for its device proof (admission.ts). */
  readonly proves?: boolean;
  /** How Outpost peers are answered in pieces (answerStream.ts); tests make them small. */
  readonly answerLimits?: AnswerLimits | undefined;
  /** Hellos say this device speaks lazy documents (lazySync.ts). */
  readonly lazy?: boolean;
}

export interface SharedStateEvents {
  /** The peers to tell or ask (connected or not; each is checked). */
  readonly peers: () => Iterable<PeerEndpoint>;
  /** A peer sent something unreadable. */
  readonly reject: (conn: PeerEndpoint, reason: string) => void;
  /** What is shared or fetched changed (for the status). */
  readonly changed: () => void;
  readonly log: (message: string) => void;
}

export class SharedState {
  private readonly doc: Y.Doc;
  private readonly shared: Map<number, number>;
  private readonly sharedListeners = new Set<(stateVector: Uint8Array) => void>();
  private readonly fetchMemory = new PieceFetchMemory();
  private haveTimer: unknown = null;
  private destroyed = false;

  constructor(
    private readonly options: SharedStateOptions,
    private readonly events: SharedStateEvents,
  ) {
    this.doc = options.doc;
    this.shared = options.sharedStateVector
      ? safeDecodeStateVector(options.sharedStateVector)
      : new Map();
  }

  /**
   * The state vector of what at least one peer is known to hold (received from peers, or sent to
   * a connected peer); persist it to show what is still unshared after a restart.
   */
  sharedStateVector(): Uint8Array {
    return encodeStateVector(this.shared);
  }

  onShared(listener: (stateVector: Uint8Array) => void): () => void {
    this.sharedListeners.add(listener);
    return () => this.sharedListeners.delete(listener);
  }

  /**
   * What this device holds that no peer is known to have: the number of Yjs items (characters,
   * map entries…) and the size of the update that would carry them.
   */
  unshared(): { readonly items: number; readonly bytes: number } {
    const local = Y.decodeStateVector(Y.encodeStateVector(this.doc));
    let items = 0;
    for (const [client, clock] of local)
      items += Math.max(0, clock - (this.shared.get(client) ?? 0));
    if (items === 0) return { items: 0, bytes: 0 };
    const diff = Y.encodeStateAsUpdate(this.doc, encodeStateVector(this.shared));
    return { items, bytes: diff.length };
  }

  /** Where a peer stands: see `PeerInfo`. */
  syncState(conn: PeerEndpoint, ours: StateVector = stateVectorOf(this.doc)): PeerSyncState {
    const theyLack = missingClocks(conn.known, ours);
    const weLack = missingClocks(ours, conn.known);
    let unreceivable = 0;
    for (const client of conn.fetch?.unreceivable ?? [])
      unreceivable += Math.max(0, (conn.known.get(client) ?? 0) - (ours.get(client) ?? 0));
    const synced =
      conn.state !== 'connecting' &&
      conn.kind !== 'unknown' &&
      theyLack === 0 &&
      weLack === 0 &&
      conn.pending.count === 0;
    return {
      state: synced ? 'synced' : conn.state === 'connecting' ? 'connecting' : 'connected',
      kind: conn.kind,
      theyLack,
      weLack,
      unreceivable,
      pendingUpdates: conn.pending.count,
    };
  }

  /**
   * Opens the sync on a new connection. Outpost says hello first and sends its state vector only
   * to a peer that says hello too: a stock y-webrtc peer answers a state vector with everything
   * it has that we lack in one message, which its WebRTC stack refuses to send past 256 KiB
   * (pieceFetch.ts); such a peer's own first message is its state vector, after which we ask it
   * for its state in pieces.
   */
  beginSync(conn: PeerEndpoint): void {
    if (conn.saidHello) return;
    conn.saidHello = true;
    conn.send(helloMessage(this.options.proves ? conn.nonce : null, this.options.lazy === true));
  }

  /**
   * The peer said hello: it takes our whole state vector and answers with all we lack. Its hello
   * can arrive before our side of the channel reports it open (simple-peer emits 'connect' only
   * after reading the channel's stats), so our hello goes first here too: a peer whose first
   * message from us is not a hello takes us for a stock client, for good.
   */
  greetOutpost(conn: PeerEndpoint, proof: Uint8Array | null = null): void {
    this.beginSync(conn);
    conn.kind = 'outpost';
    // The proof goes before anything about the document: the peer refuses sync messages first.
    if (proof) conn.send(proof);
    conn.send(docStep1Message(this.doc));
  }

  /** The peer's first message was not a hello: a stock client, asked for its state in pieces. */
  greetStock(conn: PeerEndpoint): void {
    this.beginSync(conn);
    conn.kind = 'stock';
    conn.fetch = new PieceFetch(conn.id, this.fetchMemory);
  }

  /** The peer holds `stateVector`: so at least one peer holds what it covers of ours. */
  learn(conn: PeerEndpoint, stateVector: StateVector): void {
    if (!raise(conn.known, stateVector)) return;
    this.markShared(conn.known);
    // It applied some of our answer: more of it may go.
    if (conn.answer) this.continueAnswer(conn);
  }

  /** Updates from peers raised our document to `received` (per client, where it rose). */
  received(received: StateVector): void {
    if (received.size === 0) return;
    this.markShared(received);
    this.scheduleHave();
  }

  /** Asks a peer for what it holds and we lack: all of it from Outpost, in pieces from others. */
  requestMissing(conn: PeerEndpoint): void {
    if (conn.closed) return;
    if (conn.kind === 'outpost') {
      if (conn.gapAsked) return;
      conn.gapAsked = true;
      conn.send(docStep1Message(this.doc));
    } else if (conn.kind === 'stock' && conn.fetch) {
      const request = conn.fetch.start(stateVectorOf(this.doc), conn.known);
      if (request) this.askPiece(conn, request);
    }
  }

  /** A piece arrived: asks for the next one, if any. */
  continueFetch(conn: PeerEndpoint): void {
    if (conn.closed || !conn.fetch) return;
    const request = conn.fetch.next(stateVectorOf(this.doc), conn.known);
    if (request) this.askPiece(conn, request);
    this.events.changed();
  }

  /** One request of a fetch in pieces, then the probe that tells us whether it was answered. */
  private askPiece(conn: PeerEndpoint, request: PieceRequest): void {
    const ours = stateVectorOf(this.doc);
    conn.send(step1Message(encodeStateVector(pieceStateVector(request.clients, ours, conn.known))));
    // The probe claims everything we know the peer or we hold, so its answer stays small.
    conn.send(step1Message(encodeStateVector(pieceStateVector([], ours, conn.known))));
  }

  /** Sends the peer what it lacks by its state vector (throws when that does not decode). */
  answerStep1(conn: PeerEndpoint, stateVector: Uint8Array): void {
    // A peer asking again before our answer left (or asking in a loop) gets one answer for its
    // latest state vector once the previous one is sent: each answer may be the whole workspace.
    if (conn.answeringStep1) {
      Y.decodeStateVector(stateVector); // refuse garbage now, like an answered request
      conn.pendingStep1 = stateVector;
      return;
    }
    if (conn.kind !== 'stock') {
      // Pieces it applies as they arrive, paced by what it says it holds (answerStream.ts). What
      // it is known to hold beyond this state vector (a later have) need not go again.
      const theirs = Y.decodeStateVector(stateVector);
      raise(theirs, conn.known);
      conn.answeringStep1 = true;
      conn.answer = new AnswerStream(this.doc, theirs, this.options.answerLimits);
      this.continueAnswer(conn);
      return;
    }
    // A stock peer: pieces it can take whole; the message header is at most 7 bytes.
    const answer = answerInPieces(
      this.doc,
      Y.decodeStateVector(stateVector),
      STOCK_MAX_MESSAGE_BYTES - 8,
    );
    if (answer.unsendable.length > 0)
      this.events.log(
        `Peer ${conn.id.slice(0, 8)} (a y-webrtc client) cannot receive the changes of ${answer.unsendable.length} device(s): each is over 256 KiB.`,
      );
    const updates = answer.updates;
    conn.answeringStep1 = true;
    updates.forEach((update, index) => {
      if (index < updates.length - 1) conn.send(step2Message(update));
    });
    conn.send(step2Message(updates.at(-1)!), () => this.answered(conn));
  }

  /** Sends an Outpost peer the pieces of our answer that may go now. */
  private continueAnswer(conn: PeerEndpoint): void {
    const answer = conn.answer;
    if (!answer || conn.closed || this.destroyed) return;
    for (const piece of answer.take(conn.known)) {
      if (!piece.last) conn.send(step2Message(piece.update));
      else {
        conn.answer = null;
        conn.send(step2Message(piece.update), () => this.answered(conn));
      }
    }
  }

  /**
   * The last of an answer was handed to the channel, which says nothing about its arrival (a
   * stock peer ignores the chunk frames of a large one): what the peer holds is learned only from
   * the peer. A state vector that came meanwhile is answered now.
   */
  private answered(conn: PeerEndpoint): void {
    conn.answeringStep1 = false;
    // The root has gone to the peer as far as we send it: the lazy exchange may start (lazySync.ts).
    if (!conn.rootAnswered) {
      conn.rootAnswered = true;
      this.events.changed();
    }
    conn.lastSyncedAt = this.options.now();
    const next = conn.pendingStep1;
    conn.pendingStep1 = null;
    if (next && !conn.closed && !this.destroyed) {
      try {
        this.answerStep1(conn, next);
      } catch {
        this.events.reject(conn, 'an unreadable state vector');
      }
    }
  }

  /**
   * Sends our state vector again so each Outpost peer returns anything we are missing (and
   * learns what we hold); a stock peer is asked in pieces for what it is known to hold beyond us.
   */
  compareWithPeers(): void {
    for (const conn of this.events.peers()) {
      if (conn.state === 'connecting') continue;
      if (conn.kind === 'outpost') conn.send(docStep1Message(this.doc));
      else if (conn.kind === 'stock') this.requestMissing(conn);
    }
  }

  destroy(): void {
    this.destroyed = true;
    if (this.haveTimer !== null) this.options.clock.clearTimeout(this.haveTimer);
    this.sharedListeners.clear();
  }

  private markShared(stateVector: StateVector): void {
    let changed = false;
    for (const [client, clock] of stateVector) {
      if (clock > (this.shared.get(client) ?? 0)) {
        this.shared.set(client, clock);
        changed = true;
      }
    }
    if (changed && this.sharedListeners.size > 0) {
      const encoded = this.sharedStateVector();
      for (const listener of this.sharedListeners) listener(encoded);
    }
    if (changed) this.events.changed();
  }

  /** Tells Outpost peers what we hold now (at most every 200 ms), so they know what arrived. */
  private scheduleHave(): void {
    if (this.haveTimer !== null || this.destroyed) return;
    this.haveTimer = this.options.clock.setTimeout(() => {
      this.haveTimer = null;
      const stateVector = Y.encodeStateVector(this.doc);
      const message = haveMessage(stateVector);
      for (const conn of this.events.peers()) {
        if (conn.kind !== 'outpost' || sameBytes(conn.haveSent, stateVector)) continue;
        conn.haveSent = stateVector;
        conn.send(message);
      }
    }, HAVE_INTERVAL_MS);
  }
}

function sameBytes(a: Uint8Array | null, b: Uint8Array): boolean {
  return a !== null && a.length === b.length && a.every((byte, i) => byte === b[i]);
}
