/**
 * The lazy-document exchange with Outpost peers (docs/PROTOCOL.md §5.4, "Lazy documents"): a
 * workspace's note bodies are documents of their own, held by storage (the `LazyDocs` port,
 * lazyDocs.ts), and are exchanged over the same data channel as the workspace document (the
 * root), after it, with peers whose hello said they speak lazy documents.
 *
 * Why it is shaped this way:
 * - The root goes first: a peer stores a body only for a note its root holds (`accepts`), so each
 *   side lists what it holds only once the peer's root reached it.
 * - Nothing holds every body: each side lists (id, state vector) pages; the other answers from
 *   storage one document at a time, in batches of about {@link LazyLimits.batchBytes}, with at
 *   most {@link LazyLimits.windowBytes} of batches out until the receiver acknowledges having
 *   stored them. A fresh device joining 100,000 bodies never holds much unstored, and the sender
 *   never encodes more than a window ahead.
 * - Live edits go to every lazy peer as they happen; what peers send is never forwarded (every
 *   peer connects to every other, as for the root, and a forwarded update would come back).
 * - A note being opened is asked for at once ({@link LazySync.want}), ahead of the exchange.
 * - A deletion moves no state vector, so each listed entry carries the fingerprint of its
 *   document's deletions too: a document is answered only when the peer's vector lacks a change
 *   we hold or the fingerprints differ, so a reconnect does not send every body with a deletion.
 * - A peer is not trusted: ids are checked, documents not accepted are not stored, updates
 *   storage refuses (`LazyUpdateRefused`) are counted against it, and what it makes us hold
 *   (listed entries, batches not yet stored) counts in the inbound budget (inboundBudget.ts)
 *   through `account`. Storage failing for reasons of its own is not the peer's fault: the
 *   exchange with it stops, unacknowledged, until the next connection.
 */
import * as Y from 'yjs';
import { isLazyDocId, LazyUpdateRefused, type LazyDocs } from './lazyDocs';
import type { PeerEndpoint } from './endpoint';
import {
  lazyAckMessage,
  lazyBatchesEndMessage,
  lazyBatchMessage,
  lazyListEndMessage,
  lazyListMessage,
  lazyUpdateMessage,
  lazyWantMessage,
  MAX_ENTRIES_PER_MESSAGE,
  type LazyEntry,
  type LazyMessage,
} from './lazyWire';
import { LazyPeer, LazyReceipt } from './lazyPeer';
import { covers, type StateVector } from './stateVectors';
import type { LazyProgress } from './types';

export interface LazyLimits {
  /** A batch of answers is sent once it reaches this many bytes (or nothing more is ready). */
  readonly batchBytes: number;
  /** Bytes of batches sent and not yet acknowledged before the next goes. */
  readonly windowBytes: number;
  /** Most documents one peer may list on one connection; past it the peer is dropped. */
  readonly maxListed: number;
}

const MiB = 1024 * 1024;

/**
 * Batches of 1 MiB, 4 MiB out at once: a receiver holds at most about 5 MiB of one peer's answers
 * unstored (far under the 64 MiB it allows a peer), and 500,000 documents listed is five times the
 * largest workspace Outpost is built for (100,000 notes) while their ids stay a few MiB.
 */
export const DEFAULT_LAZY_LIMITS: LazyLimits = {
  batchBytes: MiB,
  windowBytes: 4 * MiB,
  maxListed: 500_000,
};

/** The encoded empty state vector: "everything you hold of it". */
const EMPTY_VECTOR = Uint8Array.of(0);
/** Listing pages are cut at this many bytes too, so each stays a few chunk frames. */
const LIST_PAGE_BYTES = 256 * 1024;
/** Documents asked for with {@link LazySync.want} that a peer connecting later is asked for too. */
const MAX_WANTED = 16;
export interface LazySyncOptions {
  readonly lazyDocs: LazyDocs;
  readonly limits?: LazyLimits | undefined;
}

export interface LazySyncEvents {
  /** The peer sent something it must not: counted, or dropped at once with `immediately`. */
  readonly reject: (conn: PeerEndpoint, reason: string, immediately?: boolean) => void;
  /** What the peer makes us hold changed (inboundBudget.ts may drop it). */
  readonly account: (conn: PeerEndpoint) => void;
  /** Something the status shows changed. */
  readonly changed: () => void;
  readonly log: (message: string) => void;
}

/** What one held entry costs beyond its bytes (strings, arrays): an estimate for the budget. */
const ENTRY_OVERHEAD = 64;

const entryCost = (entry: LazyEntry) => entry.id.length + entry.bytes.length + ENTRY_OVERHEAD;
const short = (conn: PeerEndpoint) => conn.id.slice(0, 8);

export class LazySync {
  private readonly docs: LazyDocs;
  private readonly limits: LazyLimits;
  private readonly unsubscribe: () => void;
  /** Recently wanted documents, newest last. */
  private readonly wanted: string[] = [];
  /** Peers whose hello said they speak lazy documents, until they are dropped. */
  private readonly peers = new Set<PeerEndpoint>();

  constructor(
    options: LazySyncOptions,
    private readonly events: LazySyncEvents,
  ) {
    this.docs = options.lazyDocs;
    this.limits = options.limits ?? DEFAULT_LAZY_LIMITS;
    this.unsubscribe = this.docs.onUpdate(this.onUpdate);
  }

  /** The peer's hello said it speaks lazy documents: the exchange waits for the root. */
  greet(conn: PeerEndpoint): void {
    conn.lazy ??= new LazyPeer(conn.id);
    this.peers.add(conn);
  }

  /**
   * Starts the exchange with every lazy peer the root has reached both ways: our answer to its
   * state vector went, and we hold everything that state vector said it holds.
   */
  checkReady(ours: () => StateVector): void {
    let vector: StateVector | null = null;
    for (const conn of this.peers) {
      const peer = conn.lazy;
      if (!peer || peer.phase !== 'waiting' || !conn.rootAnswered || !this.live(conn)) continue;
      if (conn.pending.count > 0 || !covers((vector ??= ours()), conn.known)) continue;
      peer.phase = 'exchanging';
      void this.list(conn, peer).catch((error: unknown) =>
        this.events.log(`Could not list lazy documents to peer ${short(conn)}: ${String(error)}`),
      );
      this.events.changed();
    }
  }

  /** Handles a lazy message from an admitted peer. */
  handle(conn: PeerEndpoint, message: LazyMessage): void {
    const peer = conn.lazy;
    if (!peer || peer.stopped) return; // the peer's hello did not say it, or we do not: ignored
    switch (message.type) {
      case 'lazyList':
        this.listed(conn, peer, message.entries);
        break;
      case 'lazyListEnd':
        if (peer.theirListEnded) return this.events.reject(conn, 'ended its listing twice');
        peer.theirListEnded = true;
        peer.peerHolds = message.listed;
        this.answer(conn, peer);
        peer.wake();
        break;
      case 'lazyBatch':
        this.store(conn, peer, message.entries, () => {
          conn.send(lazyAckMessage(message.seq));
        });
        break;
      case 'lazyAck':
        this.acknowledged(conn, peer, message.seq);
        break;
      case 'lazyBatchesEnd':
        this.store(conn, peer, [], () => {
          peer.theirAnswersDone = true;
          this.settle(peer);
        });
        break;
      case 'lazyUpdate':
        this.store(conn, peer, [message.entry], () => {});
        break;
      case 'lazyWant':
        this.wantedBy(conn, message.entry);
        break;
    }
  }

  /**
   * Asks every lazy peer for document `id` now, ahead of the exchange (a note being opened on a
   * fresh device); a peer connecting later is asked for the latest few, right after the root.
   */
  want(id: string): void {
    if (!isLazyDocId(id)) return;
    const index = this.wanted.indexOf(id);
    if (index >= 0) this.wanted.splice(index, 1);
    this.wanted.push(id);
    if (this.wanted.length > MAX_WANTED) this.wanted.shift();
    const peers = [...this.peers].filter(
      (conn) => conn.lazy && conn.lazy.phase !== 'waiting' && this.live(conn),
    );
    if (peers.length === 0) return;
    void this.vectorOf(id).then(
      (vector) => {
        for (const conn of peers) if (this.live(conn)) conn.send(lazyWantMessage(id, vector));
      },
      (error: unknown) => this.events.log(`Could not ask peers for ${id}: ${String(error)}`),
    );
  }

  progress(conn: PeerEndpoint): LazyProgress | null {
    const peer = conn.lazy;
    if (!peer) return null;
    return {
      phase: peer.phase,
      peerHolds: peer.peerHolds,
      weHold: peer.weHold,
      received: peer.received,
      sent: peer.sent,
      storing: peer.storingBytes,
    };
  }

  /** The peer is gone: everything held for it goes, and nothing more is sent or stored. */
  release(conn: PeerEndpoint): void {
    conn.lazy?.stop();
    this.peers.delete(conn);
  }

  destroy(): void {
    this.unsubscribe();
    for (const conn of this.peers) conn.lazy?.stop();
    this.peers.clear();
  }

  /** The peer may exchange with us now: connected, let in, not being dropped. */
  private live(conn: PeerEndpoint): boolean {
    return (
      conn.lazy !== null &&
      !conn.lazy.stopped &&
      !conn.closed &&
      conn.admitted &&
      !conn.leaving &&
      !conn.ignored &&
      conn.state !== 'connecting'
    );
  }

  private readonly onUpdate = (id: string, update: Uint8Array, origin: unknown): void => {
    // From a peer: every peer got it from its author (full mesh), and forwarding could loop.
    if (origin instanceof LazyReceipt) return;
    let message: Uint8Array | null = null;
    for (const conn of this.peers) {
      if (!this.live(conn)) continue;
      message ??= lazyUpdateMessage(id, update);
      conn.send(message);
    }
  };

  /** Our side of the listing: recently wanted documents first, then every page of what we hold. */
  private async list(conn: PeerEndpoint, peer: LazyPeer): Promise<void> {
    for (const id of this.wanted) {
      const vector = await this.vectorOf(id);
      if (!this.live(conn)) return;
      conn.send(lazyWantMessage(id, vector));
    }
    let listed = 0;
    let page: LazyEntry[] = [];
    let pageBytes = 0;
    const send = () => {
      if (page.length > 0 && this.live(conn)) conn.send(lazyListMessage(page));
      page = [];
      pageBytes = 0;
    };
    for await (const vectors of this.docs.vectors()) {
      if (!this.live(conn)) return;
      for (const { id, vector, deletes } of vectors) {
        page.push({ id, bytes: vector, deletes });
        pageBytes += id.length + vector.length + (deletes?.length ?? 0) + 6;
        listed++;
        if (page.length >= MAX_ENTRIES_PER_MESSAGE || pageBytes >= LIST_PAGE_BYTES) send();
      }
      send();
    }
    if (!this.live(conn)) return;
    conn.send(lazyListEndMessage(listed));
    peer.weHold = listed;
    this.events.changed();
  }

  /** A page of the peer's listing: each entry is answered in turn. */
  private listed(conn: PeerEndpoint, peer: LazyPeer, entries: readonly LazyEntry[]): void {
    if (peer.theirListEnded) return this.events.reject(conn, 'listed documents after its end');
    if (peer.listed.size + entries.length > this.limits.maxListed) {
      this.events.reject(conn, `listed more than ${this.limits.maxListed} documents`, true);
      return;
    }
    let badIds = 0;
    for (const entry of entries) {
      if (!isLazyDocId(entry.id)) {
        badIds++;
        continue;
      }
      if (peer.listed.has(entry.id)) continue;
      peer.listed.add(entry.id);
      peer.listedBytes += entry.id.length + ENTRY_OVERHEAD;
      peer.toAnswer.push(entry);
      peer.toAnswerBytes += entryCost(entry);
    }
    if (badIds > 0) this.badIds(conn, badIds);
    this.events.account(conn);
    this.answer(conn, peer);
    peer.wake();
  }

  private badIds(conn: PeerEndpoint, count: number): void {
    this.events.log(`Peer ${short(conn)} named ${count} lazy document(s) by an invalid id.`);
    this.events.reject(conn, 'lazy document ids that are not ids');
  }

  /**
   * Answers the peer's listing as it arrives: each listed document we hold more of, then (after
   * its end) every document it did not list, in paced batches, then the end of our answers.
   */
  private answer(conn: PeerEndpoint, peer: LazyPeer): void {
    if (peer.answering || peer.answersDone) return;
    peer.answering = true;
    this.answerAll(conn, peer)
      .catch((error: unknown) =>
        this.events.log(`Could not answer peer ${short(conn)}'s lazy documents: ${String(error)}`),
      )
      .finally(() => (peer.answering = false));
  }

  private async answerAll(conn: PeerEndpoint, peer: LazyPeer): Promise<void> {
    for (;;) {
      await peer.until(() => peer.toAnswer.length > 0 || peer.theirListEnded);
      const entry = peer.toAnswer.shift();
      if (!entry || peer.stopped) break;
      peer.toAnswerBytes -= entryCost(entry);
      this.events.account(conn);
      const update = await this.diff(conn, peer, entry);
      if (update) await this.queueAnswer(conn, peer, entry.id, update);
      // A partial batch goes while the next page is on its way.
      if (peer.toAnswer.length === 0) this.flush(conn, peer);
    }
    if (peer.stopped || !this.live(conn)) return;
    for await (const vectors of this.docs.vectors()) {
      for (const { id } of vectors) {
        if (peer.stopped || !this.live(conn)) return;
        if (peer.listed.has(id)) continue;
        const update = await this.diff(conn, peer, { id, bytes: EMPTY_VECTOR });
        if (update) await this.queueAnswer(conn, peer, id, update);
      }
    }
    if (peer.stopped || !this.live(conn)) return;
    peer.listed.clear();
    peer.listedBytes = 0;
    this.events.account(conn);
    this.flush(conn, peer);
    conn.send(lazyBatchesEndMessage(peer.sent));
    peer.answersDone = true;
    this.settle(peer);
  }

  /**
   * What we hold of the entry's document beyond its vector and deletions; null when nothing,
   * when the vector does not decode (the peer counted) or when storage fails (the exchange with
   * the peer stopped: our own failure).
   */
  private async diff(conn: PeerEndpoint, peer: LazyPeer, entry: LazyEntry) {
    if (!this.vectorDecodes(conn, entry)) return null;
    try {
      return await this.docs.diff(entry.id, entry.bytes, entry.deletes);
    } catch (error) {
      this.fail(conn, peer, `read lazy document ${entry.id}`, error);
      return null;
    }
  }

  /** Whether the entry's state vector decodes; the peer is counted when it does not. */
  private vectorDecodes(conn: PeerEndpoint, entry: LazyEntry): boolean {
    try {
      Y.decodeStateVector(entry.bytes);
      return true;
    } catch {
      this.events.log(
        `Peer ${short(conn)} sent a state vector for ${entry.id} that does not decode.`,
      );
      this.events.reject(conn, 'an unreadable lazy document state vector');
      return false;
    }
  }

  /**
   * This device could not read or store its lazy documents (storage closed, a write failed): not
   * the peer's fault, so it is not counted, but what it sent is not acknowledged either (an ack
   * says "stored"). The exchange with it stops until the next connection, which lists again.
   */
  private fail(conn: PeerEndpoint, peer: LazyPeer, what: string, error: unknown): void {
    if (peer.stopped) return;
    this.events.log(
      `Stopped exchanging lazy documents with peer ${short(conn)}: could not ${what} on this device (${String(error)}).`,
    );
    peer.stop();
    peer.phase = 'stopped';
    this.events.account(conn);
    this.events.changed();
  }

  private async queueAnswer(conn: PeerEndpoint, peer: LazyPeer, id: string, update: Uint8Array) {
    peer.batch.push({ id, bytes: update });
    peer.batchBytes += id.length + update.length;
    // Small answers (a delete set alone is a few dozen bytes) reach the entry bound first.
    if (peer.batchBytes >= this.limits.batchBytes || peer.batch.length >= MAX_ENTRIES_PER_MESSAGE)
      this.flush(conn, peer);
    await peer.until(() => peer.outBytes < this.limits.windowBytes);
  }

  private flush(conn: PeerEndpoint, peer: LazyPeer): void {
    if (peer.batch.length === 0 || peer.stopped || !this.live(conn)) return;
    const seq = peer.nextSeq++;
    peer.out.set(seq, peer.batchBytes);
    peer.outBytes += peer.batchBytes;
    peer.sent += peer.batch.length;
    conn.send(lazyBatchMessage(seq, peer.batch));
    peer.batch = [];
    peer.batchBytes = 0;
    this.events.changed();
  }

  private acknowledged(conn: PeerEndpoint, peer: LazyPeer, seq: number): void {
    const bytes = peer.out.get(seq);
    if (bytes === undefined) return this.events.reject(conn, 'acknowledged a batch never sent');
    peer.out.delete(seq);
    peer.outBytes -= bytes;
    this.settle(peer);
    peer.wake();
  }

  /**
   * Stores what the peer sent, after everything it sent before, then runs `after` (an
   * acknowledgement). Ids are checked now, so nothing is held for a bad one.
   */
  private store(
    conn: PeerEndpoint,
    peer: LazyPeer,
    entries: readonly LazyEntry[],
    after: () => void,
  ): void {
    const valid = entries.filter((entry) => isLazyDocId(entry.id));
    if (valid.length < entries.length) this.badIds(conn, entries.length - valid.length);
    const bytes = valid.reduce((sum, entry) => sum + entryCost(entry), 0);
    peer.storingBytes += bytes;
    this.events.account(conn);
    peer.storing = peer.storing
      .then(() => this.storeInOrder(conn, peer, valid, after))
      .catch((error: unknown) =>
        this.events.log(
          `Could not store lazy documents from peer ${short(conn)}: ${String(error)}`,
        ),
      )
      .finally(() => {
        peer.storingBytes -= bytes;
        if (this.live(conn)) this.events.account(conn);
      });
  }

  private async storeInOrder(
    conn: PeerEndpoint,
    peer: LazyPeer,
    entries: readonly LazyEntry[],
    after: () => void,
  ): Promise<void> {
    const refused: string[] = [];
    for (const entry of entries) {
      if (!this.live(conn)) return;
      if (!this.docs.accepts(entry.id)) refused.push(entry.id);
      else if (!(await this.receive(conn, peer, entry))) return;
    }
    if (refused.length > 0)
      this.events.log(
        `Ignored ${refused.length} lazy document(s) from peer ${short(conn)} that this workspace does not hold (${refused.slice(0, 3).join(', ')}).`,
      );
    if (!this.live(conn)) return;
    after();
    this.events.changed();
  }

  /**
   * Stores one update of the peer's. False when this device failed to (the exchange stopped, and
   * nothing after it is stored or acknowledged); an update storage refuses counts against the
   * peer and the rest goes on.
   */
  private async receive(conn: PeerEndpoint, peer: LazyPeer, entry: LazyEntry): Promise<boolean> {
    try {
      await this.docs.receive(entry.id, entry.bytes, peer.origin);
      peer.received++;
      return true;
    } catch (error) {
      if (!(error instanceof LazyUpdateRefused)) {
        this.fail(conn, peer, `store lazy document ${entry.id}`, error);
        return false;
      }
      this.events.log(
        `Refused lazy document ${entry.id} from peer ${short(conn)}: ${error.message}`,
      );
      this.events.reject(conn, 'a lazy document update storage refused');
      return true;
    }
  }

  /** The peer asked for one document now: it goes as a live update. */
  private wantedBy(conn: PeerEndpoint, entry: LazyEntry): void {
    if (!isLazyDocId(entry.id)) return this.badIds(conn, 1);
    if (!this.vectorDecodes(conn, entry)) return;
    void this.docs.diff(entry.id, entry.bytes).then(
      (update) => {
        if (update && this.live(conn)) conn.send(lazyUpdateMessage(entry.id, update));
      },
      (error: unknown) =>
        this.events.log(
          `Could not answer peer ${short(conn)}'s want of ${entry.id}: ${String(error)}`,
        ),
    );
  }

  private async vectorOf(id: string): Promise<Uint8Array> {
    try {
      return (await this.docs.vector?.(id)) ?? EMPTY_VECTOR;
    } catch {
      return EMPTY_VECTOR;
    }
  }

  private settle(peer: LazyPeer): void {
    if (
      peer.phase === 'exchanging' &&
      peer.answersDone &&
      peer.outBytes === 0 &&
      peer.theirAnswersDone
    ) {
      peer.phase = 'done';
      this.events.changed();
    }
  }
}
