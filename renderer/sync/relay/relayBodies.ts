/**
 * A workspace's body documents (schema 2: each note's body is a document of its own) through one
 * relay (docs/PROTOCOL.md §5.5, "Body documents"). The root keeps its own connection
 * (relayClient.ts); this one opens once the root has caught up with the relay, so a device joining
 * a workspace lists every title before bodies stream in.
 *
 * Why it is shaped this way:
 * - One connection carries every body: `SINCE` with no stream names asks for every stream of the
 *   room after one room-wide cursor, so a reconnect moves only what is new, and the relay needs no
 *   "which documents changed" request. Envelopes of the root that come along are left to the
 *   root's connection.
 * - Bodies are never loaded as Y.Docs: uploads are the store's raw updates (`onUpdate`, `diff`),
 *   downloads go into the store with `receive`.
 * - What the relay holds of each body (its state vector, and whether an upload was unacknowledged)
 *   is saved per document (`RelayDocCursorStore`) and read a page of ids at a time: on connecting,
 *   the store's vectors are compared page by page and only what the relay lacks goes up, with at
 *   most {@link RelayBodiesLimits.window} puts out at once.
 * - A relay is not trusted: an update storage refuses (`LazyUpdateRefused`) is logged and skipped
 *   and the other documents go on. A body that arrives before the root names its note is held
 *   (bounded) until the root does; the saved cursor stays before it, so a restart fetches it again.
 */
import * as Y from 'yjs';
import {
  KIND_SNAPSHOT,
  KIND_UPDATE,
  SENDER_BYTES,
  openEnvelope,
  sealEnvelope,
  streamId,
  type EnvelopeKind,
  type OpenedEnvelope,
  type RelayKeys,
} from '../../../shared/protocol/relayCrypto';
import {
  ACK,
  BLOBS,
  ERROR,
  MAILBOX_VERSION,
  MAILBOX_VERSION_PAGED,
  MORE,
  PAGE,
  PUT,
  REFUSED,
  RELAY_ERRORS,
  SINCE,
  UPTO,
  WELCOME,
  encodeClientMessage,
  type RelayMessage,
} from '../../../shared/protocol/relayWire';
import {
  isLazyDocId,
  LazyUpdateRefused,
  type LazyDocs,
  type LazyDocVector,
} from '../peer/lazyDocs';
import type { Clock } from '../peer/handshakes';
import type { WebSocketConstructor } from '../peer/types';
import { covers, encodeStateVector, raise, safeDecodeStateVector } from '../peer/stateVectors';
import type { RelayBodiesStatus, RelayDocCursor, RelayDocCursorStore } from './types';
import { openMailboxSocket } from './mailboxSocket';

export interface RelayBodiesLimits {
  /** Body puts sealed or unacknowledged at once (the relay allows bursts of 2,000 frames). */
  readonly window: number;
  /** Bodies held while the root does not name their note yet; past it the oldest is dropped. */
  readonly maxHeld: number;
  /** How long a body waits for the root to name its note before it is dropped. */
  readonly holdMs: number;
  /** Bytes of envelopes asked for per page (the relay sends at most its own page size). */
  readonly pageBytes: number;
  /** Bodies queued with their updates; changes to further ones are found by a scan instead. */
  readonly maxQueued: number;
}

export const DEFAULT_RELAY_BODIES_LIMITS: RelayBodiesLimits = {
  window: 64,
  maxHeld: 2048,
  holdMs: 30_000,
  pageBytes: 512 * 1024,
  maxQueued: 1024,
};

export interface RelayBodiesOptions {
  readonly url: string;
  readonly keys: RelayKeys;
  readonly docs: LazyDocs;
  readonly cursors: RelayDocCursorStore;
  /** The root's document id: its envelopes belong to the root's connection. */
  readonly rootDocId: string;
  /** Resolves once the root has caught up with this relay. */
  readonly rootReady: Promise<void>;
  readonly WebSocket: WebSocketConstructor;
  readonly clock: Clock;
  readonly onStatus: () => void;
  readonly log?: (message: string) => void;
  readonly limits?: Partial<RelayBodiesLimits>;
}

/** What this session knows the relay holds of one body. */
interface DocState {
  readonly acked: Map<number, number>;
  clean: boolean;
}

/**
 * `live`: an update as it happened (counts towards a snapshot); `whole`: everything held beyond
 * what the relay was known to hold, deletions included (a scan's upload or a snapshot), so once
 * acknowledged the relay holds all of it.
 */
type PutSource = 'live' | 'whole';

interface Put {
  readonly id: string;
  readonly kind: EnvelopeKind;
  readonly source: PutSource;
  readonly update: Uint8Array;
  readonly frame: Uint8Array<ArrayBuffer>;
}

/** A body whose note the root does not name yet. */
interface Held {
  readonly seq: number;
  readonly id: string;
  readonly update: Uint8Array;
  readonly since: number;
}

/** Same policy as the root (relayClient.ts): a snapshot once updates pass 4 KiB and a third. */
const SNAPSHOT_MIN_BYTES = 4 * 1024;
const SNAPSHOT_STATE_FRACTION = 3;
/** Bodies whose update bytes are counted towards a snapshot; the least recent are forgotten. */
const MAX_COUNTED = 4096;
const EMPTY_VECTOR = new Uint8Array([0]);
const MAX_BACKOFF_MS = 30_000;
const CURSOR_SAVE_DELAY_MS = 500;
const RATE_RETRY_MS = 1000;
/** Ids whose cursors are read or written per transaction. */
const CURSOR_CHUNK = 1000;

export class RelayBodies {
  private readonly limits: RelayBodiesLimits;
  private socket: WebSocket | null = null;
  private caughtUp = false;
  private scanned = false;
  private destroyed = false;
  private retries = 0;
  private reconnectTimer: unknown = null;
  private saveTimer: unknown = null;
  private retryTimer: unknown = null;
  private holdTimer: unknown = null;
  private after = 0;
  private maxEnvelopeBytes = Number.MAX_SAFE_INTEGER;
  /** The relay refused mailbox version 2 (no pages): it is asked with `SINCE`, all at once. */
  private legacy = false;
  private readonly sender = globalThis.crypto.getRandomValues(new Uint8Array(SENDER_BYTES));
  private counter = 0;
  /** Updates waiting to go up, merged per body at sending. */
  private readonly queue = new Map<string, Uint8Array[]>();
  /** Queued bodies whose first queued update is a `whole` one (live ones merged in stay whole). */
  private readonly sources = new Map<string, PutSource>();
  private readonly inflight = new Map<number, Put>();
  /** Puts out per body (sealing or unacknowledged). */
  private readonly out = new Map<string, number>();
  private sealing = 0;
  /** Cursors of bodies this session touched; saved and then forgotten. */
  private readonly cache = new Map<string, DocState>();
  private readonly dirty = new Set<string>();
  /**
   * Bodies changed here whose changes are not queued (offline, the queue full, an upload failed):
   * saved as not clean and compared by the next scan, which sends what the relay lacks. Ids only,
   * so a peer delivering 100,000 bodies while the relay is away costs no more than their ids.
   */
  private readonly unsent = new Set<string>();
  /** A change was not queued while connected: scan again once the queue has drained. */
  private rescan = false;
  /** Every stored body was compared with this relay in this session. */
  private compared = false;
  private readonly counted = new Map<string, number>();
  private held: Held[] = [];
  private incoming: Promise<void> = Promise.resolve();
  private saving: Promise<void> = Promise.resolve();
  private waiters: Array<() => void> = [];
  private downloaded = 0;
  private uploaded = 0;
  private refused = 0;
  private unreadable = 0;
  private error: string | null = null;
  private readonly stopListening: () => void;

  constructor(private readonly options: RelayBodiesOptions) {
    this.limits = { ...DEFAULT_RELAY_BODIES_LIMITS, ...options.limits };
    this.stopListening = options.docs.onUpdate(this.onStoreUpdate);
    void this.start();
  }

  status(): RelayBodiesStatus {
    return {
      caughtUp: this.caughtUp && this.scanned,
      waiting: this.queue.size + this.inflight.size + this.sealing,
      downloaded: this.downloaded,
      uploaded: this.uploaded,
      refused: this.refused,
      unreadable: this.unreadable,
      held: this.held.length,
    };
  }

  /**
   * The relay has acknowledged every body this device holds, as far as it knows: compared since
   * connecting, nothing waiting, nothing changed that a later comparison still has to send.
   */
  holdsAll(): boolean {
    const { caughtUp, waiting } = this.status();
    return caughtUp && waiting === 0 && this.unsent.size === 0 && !this.rescan;
  }

  /** Resolves once the cursors saved so far (destroy saves the last ones) are written. */
  whenSaved(): Promise<void> {
    return this.saving;
  }

  /** The last problem with bodies on this relay, in words, or null. */
  lastError(): string | null {
    return this.error;
  }

  /** The root changed: bodies held for a note it did not name may be stored now. */
  rootChanged(): void {
    if (this.held.length === 0) return;
    this.incoming = this.incoming.then(() => this.retryHeld()).catch(this.logError);
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.stopListening();
    const { clock } = this.options;
    for (const timer of [this.reconnectTimer, this.retryTimer, this.holdTimer])
      clock.clearTimeout(timer);
    if (this.saveTimer !== null) clock.clearTimeout(this.saveTimer);
    this.saveCursors();
    for (const wake of this.waiters.splice(0)) wake();
    const socket = this.socket;
    this.socket = null;
    socket?.close();
  }

  private readonly logError = (error: unknown) =>
    this.options.log?.(`relay ${this.options.url} (bodies): ${String(error)}`);

  private async start(): Promise<void> {
    try {
      this.after = await this.options.cursors.loadAfter(this.options.url);
    } catch (error) {
      this.options.log?.(`relay body cursor for ${this.options.url} unreadable: ${String(error)}`);
    }
    await this.options.rootReady;
    this.open();
  }

  private readonly onStoreUpdate = (id: string, update: Uint8Array, origin: unknown) => {
    // What this relay sent is on it already; edits, peers' and other relays' updates go up.
    if (origin === this || id === this.options.rootDocId || this.destroyed) return;
    // Saved as not clean until acknowledged: a deletion does not move the state vector.
    this.dirty.add(id);
    this.cursorChanged();
    if (!this.caughtUp || (!this.queue.has(id) && this.queue.size >= this.limits.maxQueued)) {
      // The scan on connecting (or the one after the queue drains) sends it.
      this.unsent.add(id);
      if (this.caughtUp) this.rescan = true;
      return;
    }
    const waiting = this.queue.get(id);
    if (waiting) waiting.push(update);
    else this.queue.set(id, [update]);
    this.scheduleFlush();
  };

  private open(): void {
    if (this.destroyed) return;
    try {
      this.socket = openMailboxSocket({
        WebSocket: this.options.WebSocket,
        url: this.options.url,
        keys: this.options.keys,
        version: this.legacy ? MAILBOX_VERSION : MAILBOX_VERSION_PAGED,
        // One at a time, in arrival order: opening envelopes and storing bodies are asynchronous.
        onMessage: (socket, message) => {
          this.incoming = this.incoming
            .then(() => this.onMessage(socket, message))
            .catch(this.logError);
        },
        onGarbled: () => {
          this.error = 'The relay sent something that is not a mailbox message.';
        },
        onClose: (socket) => {
          if (this.socket === socket) this.closed();
        },
      });
    } catch (error) {
      this.error = `Not a usable relay address: ${String(error)}`;
      this.closed();
    }
  }

  private closed(): void {
    this.socket = null;
    this.caughtUp = false;
    this.scanned = false;
    for (const wake of this.waiters.splice(0)) wake();
    if (this.destroyed) return;
    this.options.onStatus();
    const wait = Math.min(MAX_BACKOFF_MS, 500 * 2 ** this.retries++);
    this.reconnectTimer = this.options.clock.setTimeout(
      () => this.open(),
      wait * (0.75 + Math.random() / 2),
    );
  }

  private async onMessage(socket: WebSocket, message: RelayMessage): Promise<void> {
    if (this.socket !== socket) return;
    switch (message.type) {
      case WELCOME:
        this.retries = 0;
        this.maxEnvelopeBytes = message.maxEnvelopeBytes;
        this.askNext(socket);
        return;
      case MORE:
        // The page before it is stored: the cursor moves past it, and the next page is asked for.
        this.after = Math.max(this.after, message.seq);
        this.cursorChanged();
        this.askNext(socket);
        return;
      case BLOBS: {
        const opened = await Promise.all(
          message.blobs.map((blob) => openEnvelope(this.options.keys, blob.envelope)),
        );
        const prefetched = await this.prefetch(opened);
        for (const [index, blob] of message.blobs.entries()) {
          if (!(await this.apply(blob.seq, opened[index]))) {
            // This device could not store it: start again from the cursor on a new connection.
            socket.close();
            break;
          }
        }
        // Read ahead for bodies that were then not stored (refused): nothing to save for them.
        for (const id of prefetched)
          if (!this.dirty.has(id) && !this.busy(id)) this.cache.delete(id);
        this.cursorChanged();
        return;
      }
      case UPTO:
        this.after = Math.max(this.after, message.head);
        this.caughtUp = true;
        this.error = null;
        // Same sender and counter: a put the relay stored before the connection dropped is
        // acknowledged again with its first sequence number, not stored twice.
        for (const put of this.inflight.values()) socket.send(put.frame);
        this.cursorChanged();
        // Live puts wait for the scan's first page no longer than the scan takes to start.
        this.flush();
        void this.scan(socket).catch(this.logError);
        return;
      case ACK:
        await this.onAck(message.counter, message.seq);
        return;
      case REFUSED:
        this.onRefused(message.counter, message.code, message.message);
        return;
      case ERROR:
        this.error = message.message;
        if (message.code === RELAY_ERRORS.version && !this.legacy) {
          // A relay from before pages: asked again at once, all at once.
          this.legacy = true;
          this.retries = 0;
        }
        this.options.onStatus();
        return;
    }
  }

  /**
   * No stream named: every stream of the room after the cursor (the root's are skipped). A page
   * at a time, the next asked for once this one is stored, so memory holds one page of bodies.
   */
  private askNext(socket: WebSocket): void {
    const after = this.after;
    const streams: Uint8Array[] = [];
    socket.send(
      encodeClientMessage(
        this.legacy
          ? { type: SINCE, after, streams }
          : { type: PAGE, after, maxBytes: this.limits.pageBytes, streams },
      ),
    );
  }

  /** Applies one envelope; false when this device failed to store it (nothing lost, retried). */
  /**
   * Reads, in one go, the cursors of the bodies a frame is about to store (a page holds hundreds
   * of small bodies on a join; one read each would cost a transaction each). Returns the ids read.
   */
  private async prefetch(opened: readonly (OpenedEnvelope | undefined)[]): Promise<string[]> {
    const ids = new Set<string>();
    for (const envelope of opened)
      if (
        envelope &&
        !this.cache.has(envelope.docId) &&
        isLazyDocId(envelope.docId) &&
        this.options.docs.accepts(envelope.docId)
      )
        ids.add(envelope.docId);
    if (ids.size === 0) return [];
    await this.saving;
    const wanted = [...ids];
    const stored = await this.options.cursors.load(this.options.url, wanted);
    const read: string[] = [];
    for (const id of wanted)
      if (!this.cache.has(id)) {
        this.cache.set(id, decodeCursor(stored.get(id)));
        read.push(id);
      }
    return read;
  }

  private async apply(seq: number, opened: OpenedEnvelope | undefined): Promise<boolean> {
    if (!opened) {
      // Sealed with another key, or damaged: nothing a key holder wrote, so nothing to keep.
      this.unreadable++;
    } else if (opened.docId === this.options.rootDocId) {
      // The root's connection applies it.
    } else if (!isLazyDocId(opened.docId)) {
      this.refuse(seq, opened.docId, 'not a document id');
    } else if (!this.options.docs.accepts(opened.docId)) {
      this.hold({ seq, id: opened.docId, update: opened.update, since: this.options.clock.now() });
    } else if (!(await this.store(seq, opened.docId, opened.update))) {
      return false;
    }
    this.after = Math.max(this.after, seq);
    return true;
  }

  private refuse(seq: number, id: string, reason: string): void {
    this.refused++;
    this.options.log?.(
      `relay ${this.options.url}: refused body ${JSON.stringify(id.slice(0, 80))} (envelope ${seq}): ${reason}`,
    );
  }

  /** Stores a body update; false only when this device failed (the relay is not at fault). */
  private async store(seq: number, id: string, update: Uint8Array): Promise<boolean> {
    try {
      await this.options.docs.receive(id, update, this);
    } catch (error) {
      if (error instanceof LazyUpdateRefused) {
        this.refuse(seq, id, error.message);
        return true;
      }
      this.error = `Could not store a body from the relay: ${String(error)}`;
      this.options.log?.(`relay ${this.options.url}: ${this.error}`);
      return false;
    }
    this.downloaded++;
    extendAcked((await this.cursorOf(id)).acked, update);
    this.dirty.add(id);
    return true;
  }

  private hold(entry: Held): void {
    this.held.push(entry);
    if (this.held.length > this.limits.maxHeld) {
      const dropped = this.held.shift()!;
      this.refuse(dropped.seq, dropped.id, 'too many bodies waiting for their notes');
    }
    if (this.holdTimer === null)
      this.holdTimer = this.options.clock.setTimeout(() => {
        this.holdTimer = null;
        this.rootChanged();
      }, this.limits.holdMs);
  }

  /** Stores the held bodies the root now names; drops those that waited too long. */
  private async retryHeld(): Promise<void> {
    const now = this.options.clock.now();
    const waiting = this.held;
    this.held = [];
    for (const [index, entry] of waiting.entries()) {
      if (this.destroyed) return;
      if (this.options.docs.accepts(entry.id)) {
        if (!(await this.store(entry.seq, entry.id, entry.update))) {
          // Kept, with the saved cursor before it: a restart fetches it again.
          this.held.push(...waiting.slice(index));
          return;
        }
      } else if (now - entry.since >= this.limits.holdMs) {
        this.refuse(entry.seq, entry.id, 'not a note of this workspace');
      } else this.held.push(entry);
    }
    if (this.held.length > 0 && this.holdTimer === null)
      this.holdTimer = this.options.clock.setTimeout(() => {
        this.holdTimer = null;
        this.rootChanged();
      }, this.limits.holdMs);
    this.cursorChanged();
  }

  /**
   * On connecting: every stored body is compared, a page at a time, with what the relay holds of
   * it; what the relay lacks goes up, the window never more than {@link RelayBodiesLimits.window}.
   */
  private async scan(socket: WebSocket): Promise<void> {
    const live = () => this.socket === socket && !this.destroyed;
    // Once every stored body was compared in this session, whatever changed since is in the queue
    // or among the unsent ids: a reconnect compares those, not 100,000 bodies again.
    const only = this.compared && this.options.docs.vector ? [...this.unsent] : null;
    const pages = only ? this.vectorsOf(only) : this.options.docs.vectors();
    for await (const page of pages) {
      if (!live() || !(await this.comparePage(page, live))) return;
    }
    if (!live()) return;
    this.compared = true;
    this.scanned = true;
    this.options.onStatus();
    this.maybeRescan();
  }

  /** The state vectors of `ids`, a chunk at a time (bodies no longer stored are left out). */
  private async *vectorsOf(ids: readonly string[]): AsyncIterable<readonly LazyDocVector[]> {
    for (let start = 0; start < ids.length; start += CURSOR_CHUNK) {
      const chunk = ids.slice(start, start + CURSOR_CHUNK);
      const vectors = await Promise.all(chunk.map((id) => this.options.docs.vector!(id)));
      yield chunk.flatMap((id, index) => {
        const vector = vectors[index];
        return vector ? [{ id, vector }] : [];
      });
    }
  }

  /** Queues what the relay lacks of each body of `page`; false when the connection went. */
  private async comparePage(page: readonly LazyDocVector[], live: () => boolean): Promise<boolean> {
    const ids = page.map((entry) => entry.id).filter((id) => !this.busy(id));
    const saved = await this.options.cursors.load(this.options.url, ids);
    for (const entry of page) {
      if (!live()) return false;
      if (entry.id === this.options.rootDocId) continue;
      if (this.busy(entry.id)) {
        // Its queued update may not hold what was not sent before: compared again later.
        if (this.unsent.has(entry.id)) this.rescan = true;
        continue;
      }
      const known = this.cache.get(entry.id) ?? decodeCursor(saved.get(entry.id));
      const clean = known.clean && !this.unsent.has(entry.id);
      if (clean && covers(known.acked, safeDecodeStateVector(entry.vector))) continue;
      await this.room();
      if (!live()) return false;
      const update = await this.options.docs.diff(entry.id, encodeStateVector(known.acked));
      if (this.busy(entry.id)) continue;
      if (update) {
        this.queue.set(entry.id, [update]);
        this.sources.set(entry.id, 'whole');
        this.flush();
      } else {
        // Nothing beyond what the relay holds, deletions included (no diff leaves them out).
        (await this.cursorOf(entry.id)).clean = true;
        this.unsent.delete(entry.id);
        this.dirty.add(entry.id);
        this.cursorChanged();
      }
    }
    return true;
  }

  /** Changes that did not fit the queue are found by comparing again, once it has drained. */
  private maybeRescan(): void {
    const socket = this.socket;
    if (!this.rescan || !this.scanned || !socket || this.queue.size + this.inflight.size > 0)
      return;
    this.rescan = false;
    this.scanned = false;
    void this.scan(socket).catch(this.logError);
  }

  private busy(id: string): boolean {
    return this.queue.has(id) || this.out.has(id);
  }

  /** Resolves once fewer than a window of puts wait (or the connection is gone). */
  private room(): Promise<void> {
    if (this.queue.size + this.inflight.size + this.sealing < this.limits.window)
      return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private wake(): void {
    if (this.queue.size + this.inflight.size + this.sealing >= this.limits.window) return;
    for (const wake of this.waiters.splice(0)) wake();
  }

  private scheduleFlush(): void {
    if (this.retryTimer !== null) return;
    this.retryTimer = this.options.clock.setTimeout(() => {
      this.retryTimer = null;
      this.flush();
    }, 0);
  }

  /** Sends queued bodies, one merged update each, up to the window. */
  private flush(): void {
    if (!this.caughtUp) return;
    for (const [id, updates] of this.queue) {
      if (this.inflight.size + this.sealing >= this.limits.window) break;
      if (this.out.has(id)) continue; // one put per body at a time, so acks extend in order
      this.queue.delete(id);
      void this.send(id, KIND_UPDATE, Y.mergeUpdates(updates), 0, this.sources.get(id) ?? 'live');
      this.sources.delete(id);
    }
    this.options.onStatus();
  }

  private async send(
    id: string,
    kind: EnvelopeKind,
    update: Uint8Array,
    covered: number,
    source: PutSource,
  ): Promise<void> {
    const counter = ++this.counter;
    this.sealing++;
    this.out.set(id, (this.out.get(id) ?? 0) + 1);
    let envelope: Uint8Array;
    try {
      envelope = await sealEnvelope(
        this.options.keys,
        {
          kind,
          stream: await streamId(this.options.keys, id),
          sender: this.sender,
          counter,
          covers: covered,
        },
        id,
        update,
      );
    } catch (error) {
      this.settled(id);
      throw error;
    } finally {
      this.sealing--;
    }
    if (this.destroyed) return;
    if (envelope.length > this.maxEnvelopeBytes) {
      this.settled(id);
      this.unsent.add(id);
      this.error = `The body of ${id} is ${envelope.length} bytes, larger than this relay accepts (${this.maxEnvelopeBytes}).`;
      this.options.log?.(`relay ${this.options.url}: ${this.error}`);
      this.options.onStatus();
      return;
    }
    const frame = encodeClientMessage({ type: PUT, envelope });
    const put: Put = { id, kind, source, update, frame };
    this.inflight.set(counter, put);
    if (this.socket && this.caughtUp) this.socket.send(put.frame);
  }

  /** One put of `id` is no longer out. */
  private settled(id: string): void {
    const left = (this.out.get(id) ?? 1) - 1;
    if (left > 0) this.out.set(id, left);
    else this.out.delete(id);
    this.wake();
  }

  private async onAck(counter: number, seq: number): Promise<void> {
    const put = this.inflight.get(counter);
    if (!put) return;
    this.inflight.delete(counter);
    this.after = Math.max(this.after, seq);
    this.uploaded++;
    const state = await this.cursorOf(put.id);
    extendAcked(state.acked, put.update);
    if (put.source === 'whole') {
      state.clean = true;
      this.unsent.delete(put.id);
    }
    this.dirty.add(put.id);
    this.settled(put.id);
    this.cursorChanged();
    this.flush();
    this.maybeRescan();
    if (put.source === 'live')
      void this.maybeSnapshot(put.id, put.frame.length).catch(this.logError);
  }

  private onRefused(counter: number, code: number, text: string): void {
    const put = this.inflight.get(counter);
    if (!put) return;
    this.inflight.delete(counter);
    this.settled(put.id);
    this.error = text;
    if (code === RELAY_ERRORS.rate || code === RELAY_ERRORS.roomFull) {
      // Sent again: a second later, or (room full) with a snapshot, which frees what it covers.
      const waiting = this.queue.get(put.id) ?? [];
      this.queue.set(put.id, [put.update, ...waiting]);
      if (put.source === 'whole') this.sources.set(put.id, 'whole');
      if (code === RELAY_ERRORS.roomFull) void this.snapshot(put.id).catch(this.logError);
      this.options.clock.clearTimeout(this.retryTimer);
      this.retryTimer = this.options.clock.setTimeout(() => {
        this.retryTimer = null;
        this.flush();
      }, RATE_RETRY_MS);
    } else {
      this.unsent.add(put.id);
      this.dirty.add(put.id);
      this.options.log?.(`relay ${this.options.url}: body ${put.id} not stored: ${text}`);
    }
    this.options.onStatus();
  }

  /** Counts uploaded bytes per body; past the threshold the body's whole state goes up. */
  private async maybeSnapshot(id: string, bytes: number): Promise<void> {
    const total = (this.counted.get(id) ?? 0) + bytes;
    this.counted.delete(id); // re-inserted last: the least recent are forgotten first
    this.counted.set(id, total);
    if (this.counted.size > MAX_COUNTED) this.counted.delete(this.counted.keys().next().value!);
    if (total > SNAPSHOT_MIN_BYTES) await this.snapshot(id, total);
  }

  /**
   * Puts body `id`'s whole stored state as a snapshot covering the cursor (taken before reading
   * the state, so everything of its stream up to it is in what is read). Not while an envelope of
   * it is held for the root, or when the updates are still under a third of the state.
   */
  private async snapshot(id: string, counted = Number.MAX_SAFE_INTEGER): Promise<void> {
    if (!this.caughtUp || this.held.some((entry) => entry.id === id)) return;
    const covered = this.after;
    const state = await this.options.docs.diff(id, EMPTY_VECTOR);
    if (!state || counted < state.length / SNAPSHOT_STATE_FRACTION || this.destroyed) return;
    this.counted.delete(id);
    await this.send(id, KIND_SNAPSHOT, state, covered, 'whole');
  }

  /** The cursor of body `id`, loaded into this session's cache. */
  private async cursorOf(id: string): Promise<DocState> {
    const cached = this.cache.get(id);
    if (cached) return cached;
    await this.saving;
    const saved = (await this.options.cursors.load(this.options.url, [id])).get(id);
    // Another call may have loaded (and changed) it meanwhile.
    if (!this.cache.has(id)) this.cache.set(id, decodeCursor(saved));
    return this.cache.get(id)!;
  }

  private cursorChanged(): void {
    this.options.onStatus();
    if (this.saveTimer !== null || this.destroyed) return;
    this.saveTimer = this.options.clock.setTimeout(() => {
      this.saveTimer = null;
      this.saveCursors();
    }, CURSOR_SAVE_DELAY_MS);
  }

  /** The cursor saved stays before every held body, so a restart fetches them again. */
  private savedAfter(): number {
    let after = this.after;
    for (const entry of this.held) after = Math.min(after, entry.seq - 1);
    return after;
  }

  /**
   * Saves the room-wide cursor with every body changed since the last save, then forgets the
   * cached ones nothing is waiting on (memory holds only what this session is moving).
   */
  private saveCursors(): void {
    const ids = [...this.dirty];
    this.dirty.clear();
    const after = this.savedAfter();
    this.saving = this.saving
      .then(async () => {
        for (let start = 0; start < Math.max(ids.length, 1); start += CURSOR_CHUNK)
          await this.saveChunk(after, ids.slice(start, start + CURSOR_CHUNK));
      })
      .catch((error: unknown) =>
        this.options.log?.(
          `relay body cursors for ${this.options.url} not saved: ${String(error)}`,
        ),
      );
  }

  /** Saves the cursor with `ids`' cursors (those not cached read in one go), then forgets them. */
  private async saveChunk(after: number, ids: readonly string[]): Promise<void> {
    const { url } = this.options;
    const stored = await this.options.cursors.load(
      url,
      ids.filter((id) => !this.cache.has(id)),
    );
    const docs = new Map<string, RelayDocCursor>();
    for (const id of ids) {
      const state = this.cache.get(id) ?? decodeCursor(stored.get(id));
      const clean = state.clean && !this.busy(id) && !this.unsent.has(id);
      docs.set(id, { acked: encodeStateVector(state.acked), clean });
    }
    await this.options.cursors.save(url, after, docs);
    for (const id of ids) if (!this.busy(id) && !this.dirty.has(id)) this.cache.delete(id);
  }
}

function decodeCursor(saved: RelayDocCursor | undefined): DocState {
  return saved
    ? { acked: safeDecodeStateVector(saved.acked), clean: saved.clean }
    : { acked: new Map(), clean: true };
}

/**
 * Raises `acked` by what `update` holds, per client, where it continues what `acked` has (an
 * update that starts beyond it leaves a gap the relay may not have, so it counts for nothing).
 */
export function extendAcked(acked: Map<number, number>, update: Uint8Array): void {
  const { from, to } = Y.parseUpdateMeta(update);
  for (const [client, end] of to)
    if ((from.get(client) ?? 0) <= (acked.get(client) ?? 0)) raise(acked, new Map([[client, end]]));
}
