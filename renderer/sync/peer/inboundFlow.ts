/**
 * What peers send, from data-channel frames to the document: chunks are reassembled, what each
 * peer makes us hold is bounded (inboundBudget.ts), whole messages queue and are handled in
 * time-boxed slices so a flooding peer cannot freeze the UI, updates are applied in batches of one
 * transaction, updates whose dependencies have not arrived wait per peer (pendingUpdates.ts), and
 * a peer sending garbage is counted and then dropped. Dropping is the caller's (the `drop`
 * callback); what the messages mean for the shared state is {@link SharedState}'s.
 */
import * as Y from 'yjs';
// A peer's update may delete a value nested thousands of levels deep.
import '../../../shared/model/yjsIterativeDelete';
import * as awarenessProtocol from 'y-protocols/awareness';
import type { Awareness } from 'y-protocols/awareness';
import { REFUSED_EARLY_SYNC, type Admission } from './admission';
import type { PeerEndpoint } from './endpoint';
import type { Clock } from './handshakes';
import { InboundBudget, type InboundLimits } from './inboundBudget';
import { LazyLimitError, type LazyMessage } from './lazyWire';
import type { LazySync } from './lazySync';
import { MESSAGE_AWARENESS } from '../../../shared/protocol/frames';
import {
  dependenciesMet,
  readUpdateMeta,
  type PendingLimits,
  type UpdateMeta,
} from './pendingUpdates';
import type { SharedState } from './sharedState';
import { raise, stateVectorOf } from './stateVectors';
import type { WireCounters } from './types';
import {
  awarenessMessage,
  openMessage,
  SYNC_STEP1,
  SYNC_STEP2,
  SYNC_UPDATE,
  type PeerMessage,
} from './wire';

function isLazy(message: PeerMessage): message is LazyMessage {
  return message.type.startsWith('lazy');
}

/** Presence held while waiting for the message that tells Outpost from stock (more: stock). */
const MAX_BEFORE_HELLO = 8;
const MAX_BEFORE_HELLO_BYTES = 256 * 1024;
/** Unreadable messages tolerated from one peer before it is disconnected. */
const MAX_BAD_MESSAGES = 20;
/** Longest a batch of incoming messages may hold the thread before yielding. */
const SLICE_MS = 8;
/**
 * Most messages handled before yielding, whatever the clock says: the time box is only checked
 * between messages, and a fast clock check must not let a flood through in one go.
 */
export const MAX_MESSAGES_PER_SLICE = 256;
/** Remote updates merged into one transaction; applying is what costs, so batches stay small. */
const MAX_BATCH_UPDATES = 64;
const MAX_BATCH_BYTES = 256 * 1024;

export interface InboundFlowOptions {
  readonly doc: Y.Doc;
  readonly awareness: Awareness;
  /** The transaction origin of remote updates, so the sender of local ones can skip them. */
  readonly origin: unknown;
  readonly shared: SharedState;
  /** Which peers may exchange changes with us (device proofs). */
  readonly admission: Admission;
  readonly wire: WireCounters;
  readonly clock: Clock;
  /** A monotonic clock in ms for the time box (sub-millisecond where the platform has one). */
  readonly sliceClock?: () => number;
  /** Time of day for `lastSyncedAt`. */
  readonly now: () => number;
  readonly inboundLimits?: InboundLimits | undefined;
  readonly pendingLimits?: PendingLimits | undefined;
  /** The lazy-document exchange, when this device speaks it (lazySync.ts). */
  readonly lazy?: LazySync | null;
}

export interface InboundFlowEvents {
  /** The peer must go, with everything held for it. */
  readonly drop: (conn: PeerEndpoint) => void;
  /** The peer is refused (removed from the team, or an unproven peer in a team that removed someone). */
  readonly refuse: (conn: PeerEndpoint, reason: string) => void;
  /** Something a status shows changed. */
  readonly changed: () => void;
  readonly log: (message: string) => void;
}

interface Inbound {
  readonly conn: PeerEndpoint;
  readonly message: Uint8Array;
}

type Batch = ReadonlyArray<{ conn: PeerEndpoint; update: Uint8Array }>;

export class InboundFlow {
  private readonly doc: Y.Doc;
  private readonly shared: SharedState;
  private readonly clock: Clock;
  private readonly sliceClock: () => number;
  private readonly budget: InboundBudget<PeerEndpoint>;
  private readonly inbound: Inbound[] = [];
  private draining: unknown = null;
  /** Peers with updates waiting for their dependencies. */
  private readonly holding = new Set<PeerEndpoint>();

  constructor(
    private readonly options: InboundFlowOptions,
    private readonly events: InboundFlowEvents,
  ) {
    this.doc = options.doc;
    this.shared = options.shared;
    this.clock = options.clock;
    this.sliceClock = options.sliceClock ?? (() => performance.now());
    this.budget = new InboundBudget(options.inboundLimits);
  }

  /** Takes one data-channel message from `conn`. */
  receive(conn: PeerEndpoint, data: Uint8Array): void {
    if (conn.closed) return;
    conn.bytesIn += data.length;
    this.options.wire.bytesIn += data.length;
    this.options.wire.framesIn++;
    if (data.length === 0) return; // stock y-webrtc answers a message it does not know with nothing
    const result = conn.reassembler.push(data);
    if (result.kind === 'pending') {
      this.account(conn);
      return;
    }
    if (result.kind === 'invalid') {
      this.account(conn);
      this.reject(conn, result.reason);
      return;
    }
    conn.inboundBytes += result.message.length;
    if (!this.account(conn)) return;
    this.inbound.push({ conn, message: result.message });
    this.draining ??= this.clock.setTimeout(this.drain, 0);
  }

  /** Presence `conn` sent before the message that decided its kind goes first in line now. */
  private readBeforeHello(conn: PeerEndpoint): void {
    const early = conn.beforeHello.splice(0);
    for (const message of early) conn.inboundBytes += message.length;
    this.inbound.unshift(...early.map((message) => ({ conn, message })));
  }

  /** Counts a bad message from `conn`, and drops it past the tolerance (or `immediately`). */
  reject(conn: PeerEndpoint, reason: string, immediately = false): void {
    this.options.wire.rejected++;
    conn.badMessages++;
    if (immediately || conn.badMessages > MAX_BAD_MESSAGES) {
      this.events.log(`Disconnected peer ${conn.id.slice(0, 8)}: ${reason}.`);
      this.events.drop(conn);
    }
  }

  /**
   * Records again what `conn` makes us hold (the lazy exchange's share changed) and drops
   * whichever peer the budget says must go.
   */
  recount(conn: PeerEndpoint): void {
    if (!conn.closed) this.account(conn);
  }

  /** Forgets what `conn` made us hold (it is being dropped). */
  release(conn: PeerEndpoint): void {
    this.budget.forget(conn);
    conn.pending.clear();
    this.holding.delete(conn);
  }

  /** Forgets every queued message (all peers are being dropped). */
  clear(): void {
    this.inbound.length = 0;
  }

  destroy(): void {
    if (this.draining !== null) this.clock.clearTimeout(this.draining);
    this.draining = null;
  }

  /**
   * Records what `conn` makes us hold and drops whichever peer the inbound budget says must go.
   * Returns false when that was `conn`.
   */
  private account(conn: PeerEndpoint): boolean {
    const over = this.budget.update(conn, {
      reassembling: conn.reassembler.pendingBytes,
      // Listed lazy documents not answered yet, and lazy updates not stored yet, are held too.
      queued: conn.inboundBytes + (conn.lazy?.heldBytes ?? 0),
      pending: conn.pending.bytes,
    });
    if (!over) return true;
    this.reject(over.key, over.reason, true);
    return over.key !== conn;
  }

  private readonly drain = (): void => {
    this.draining = null;
    const started = this.sliceClock();
    let updates: Array<{ conn: PeerEndpoint; update: Uint8Array }> = [];
    let batchBytes = 0;
    // What the document will hold once the batch is applied: an update is held back when it
    // continues from a clock beyond this.
    let reach: Map<number, number> | null = null;
    const fetching = new Set<PeerEndpoint>();
    const flush = () => {
      if (updates.length > 0) this.applyRemote(updates);
      updates = [];
      batchBytes = 0;
      reach = null;
      for (const conn of fetching) this.shared.continueFetch(conn);
      fetching.clear();
    };
    // The clock is read after each message and each applied batch, so the time box covers the
    // applying (the costly part), not only the decoding.
    for (
      let handled = 0;
      this.inbound.length > 0 &&
      handled < MAX_MESSAGES_PER_SLICE &&
      this.sliceClock() - started < SLICE_MS;
      handled++
    ) {
      const { conn, message: bytes } = this.inbound.shift()!;
      conn.inboundBytes -= bytes.length;
      if (conn.closed || conn.leaving || conn.ignored) continue;
      this.account(conn);
      try {
        const opened = openMessage(bytes);
        if (
          conn.kind === 'unknown' &&
          opened.type === MESSAGE_AWARENESS &&
          conn.beforeHello.length < MAX_BEFORE_HELLO &&
          conn.beforeHello.reduce((sum, held) => sum + held.length, bytes.length) <=
            MAX_BEFORE_HELLO_BYTES
        ) {
          // A stock y-webrtc client opens with its state vector, never with presence; an Outpost
          // peer opens with its hello and then presence, but @roamhq/wrtc (Node) can hand a
          // channel's first message over after its second when the receiving side is slow to
          // take the channel: seen in test/sync/deviceProofNetns.test.ts under load, where the
          // peer was then taken for a stock client and refused. So presence waits for the
          // message that decides, and is read right after it.
          conn.beforeHello.push(bytes);
          continue;
        }
        if (conn.kind === 'unknown' && !opened.isHello) {
          this.events.log(
            `Peer ${conn.id.slice(0, 8)} spoke first with a message of type ${opened.type}, not a hello: taken for a stock y-webrtc client.`,
          );
          this.shared.greetStock(conn);
          if (this.refused(conn, this.options.admission.stock(conn))) continue;
          this.readBeforeHello(conn);
        }
        // Without lazy documents their messages are other types, ignored unread, as before them.
        if (opened.isLazy && !this.options.lazy) continue;
        const message = opened.read();
        if (message.type === 'hello' && conn.kind === 'unknown') {
          if (this.refused(conn, this.options.admission.hello(conn, message.nonce))) continue;
          if (message.lazy && this.options.lazy) this.options.lazy.greet(conn);
          this.shared.greetOutpost(conn, this.options.admission.ourProof(conn));
          this.readBeforeHello(conn);
          continue;
        }
        if (message.type === 'inviteRefusal') {
          // Self-contained (a use signed by its device): it counts whoever sends it.
          this.options.admission.inviteRefused(message.use);
          continue;
        }
        if (!conn.admitted) {
          this.beforeProof(conn, message);
          continue;
        }
        if (message.type === 'sync') {
          const { step, payload } = message;
          if (step === SYNC_STEP1) {
            flush();
            this.shared.learn(conn, Y.decodeStateVector(payload));
            this.shared.answerStep1(conn, payload);
            if (conn.kind === 'stock') this.shared.requestMissing(conn);
          } else if (step === SYNC_STEP2 || step === SYNC_UPDATE) {
            const meta = readUpdateMeta(payload);
            this.shared.learn(conn, meta.to);
            conn.lastSyncedAt = this.options.now();
            if (step === SYNC_STEP2) {
              conn.gapAsked = false;
              if (conn.fetch?.onReply(meta) === 'next') fetching.add(conn);
            }
            reach ??= stateVectorOf(this.doc);
            if (dependenciesMet(meta, reach)) {
              raise(reach, meta.to);
              updates.push({ conn, update: payload });
              batchBytes += payload.length;
              if (updates.length >= MAX_BATCH_UPDATES || batchBytes >= MAX_BATCH_BYTES) flush();
            } else {
              this.hold(conn, payload, meta);
            }
          } else {
            this.reject(conn, 'unknown sync step');
          }
        } else if (message.type === 'awareness') {
          awarenessProtocol.applyAwarenessUpdate(this.options.awareness, message.update, conn);
        } else if (message.type === 'queryAwareness') {
          const awareness = this.options.awareness;
          conn.send(awarenessMessage(awareness, [...awareness.getStates().keys()]));
        } else if (message.type === 'have') {
          this.shared.learn(conn, Y.decodeStateVector(message.stateVector));
        } else if (isLazy(message)) {
          // Root updates read before it are applied first: a body is stored only for a note the
          // root holds.
          flush();
          this.options.lazy?.handle(conn, message);
        }
        // A hello or proof from a peer already known, and other types, are ignored.
      } catch (error) {
        if (error instanceof LazyLimitError) this.reject(conn, error.message, true);
        else this.reject(conn, 'unreadable message');
      }
    }
    flush();
    this.events.changed();
    if (this.inbound.length > 0) this.draining = this.clock.setTimeout(this.drain, 0);
  };

  /** Refuses `conn` when `refusal` says so; true when it did. */
  private refused(conn: PeerEndpoint, refusal: string | null): boolean {
    if (refusal === null) return false;
    this.events.refuse(conn, refusal);
    return true;
  }

  /**
   * A message from a peer that has not proved its device yet: its proof decides; its presence
   * waits for it; anything about the document is refused, since a removed device must never get
   * a change applied.
   */
  private beforeProof(conn: PeerEndpoint, message: PeerMessage): void {
    const admission = this.options.admission;
    if (message.type === 'proof') {
      const refusal = admission.proof(conn, message.key, message.signature, message.use);
      if (refusal === undefined || this.refused(conn, refusal)) return;
      for (const update of conn.heldAwareness.splice(0))
        awarenessProtocol.applyAwarenessUpdate(this.options.awareness, update, conn);
      this.events.changed();
    } else if (message.type === 'awareness') {
      if (!admission.holdAwareness(conn, message.update))
        this.reject(conn, 'sent too much presence before proving its device', true);
    } else if (message.type === 'sync' || message.type === 'have' || isLazy(message)) {
      this.refused(conn, REFUSED_EARLY_SYNC);
    }
    // Awareness queries and other types wait for the proof like presence does: ignored.
  }

  /**
   * Keeps an update whose dependencies have not arrived out of Yjs (whose own pending store is
   * quadratic) and asks the peer for the gap; a peer past its pending limits is dropped.
   */
  private hold(conn: PeerEndpoint, update: Uint8Array, meta: UpdateMeta): void {
    if (!conn.pending.hold(update, meta, this.options.pendingLimits)) {
      this.reject(
        conn,
        `sent more updates that depend on changes it never sent than we hold (${conn.pending.count} updates, ${conn.pending.bytes} bytes waiting)`,
        true,
      );
      return;
    }
    this.holding.add(conn);
    if (this.account(conn)) this.shared.requestMissing(conn);
  }

  /** Applies a batch of remote updates in one transaction (one UI refresh), isolating bad ones. */
  private applyRemote(batch: Batch): void {
    const before = stateVectorOf(this.doc);
    this.applyBatch(batch);
    // Updates held for their dependencies that the batch completed, in order, as often as one
    // completes another peer's.
    for (let released = true; released;) {
      released = false;
      const ours = stateVectorOf(this.doc);
      for (const conn of this.holding) {
        if (conn.closed) continue;
        const ready = conn.pending.takeReady(ours);
        if (conn.pending.count === 0) this.holding.delete(conn);
        if (ready.length === 0) continue;
        released = true;
        this.applyBatch(ready.map((update) => ({ conn, update })));
        this.account(conn);
      }
    }
    const after = stateVectorOf(this.doc);
    const received = new Map<number, number>();
    for (const [client, clock] of after) {
      if (clock > (before.get(client) ?? 0)) received.set(client, clock);
    }
    this.shared.received(received);
  }

  private applyBatch(batch: Batch): void {
    const origin = this.options.origin;
    let merged: Uint8Array | null = null;
    if (batch.length > 1) {
      try {
        merged = Y.mergeUpdates(batch.map((item) => item.update));
      } catch {
        merged = null;
      }
    }
    if (merged) {
      try {
        Y.applyUpdate(this.doc, merged, origin);
      } catch {
        merged = null;
      }
    }
    if (!merged) {
      for (const { conn, update } of batch) {
        try {
          Y.applyUpdate(this.doc, update, origin);
        } catch {
          this.reject(conn, 'an update Yjs cannot read');
        }
      }
    }
  }
}
