/**
 * One relay's mailbox for one workspace (docs/PROTOCOL.md §5.5): keeps a WebSocket to
 * `<relay>/mailbox` (reconnecting with backoff), downloads and applies everything after its saved
 * cursor, then uploads, sealed, whatever the relay lacks — this device's edits and what arrived
 * from peers or other relays alike — one merged update per round trip. Now and then it uploads a
 * sealed snapshot of the whole document so the relay can drop the updates it covers.
 *
 * What the relay has acknowledged is remembered as a state vector beside the cursor; an update
 * not acknowledged when the app closed is therefore sent again on the next start.
 *
 * Pure TypeScript over a WebSocket constructor: the browser's, or `ws` in Node.
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
  type RelayKeys,
} from '../../../shared/protocol/relayCrypto';
import {
  ACK,
  BLOBS,
  ERROR,
  MAILBOX_VERSION,
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
  covers,
  encodeStateVector as encodeVector,
  raise,
  safeDecodeStateVector,
  stateVectorOf,
} from '../peer/stateVectors';
import type { Clock } from '../peer/handshakes';
import type { WebSocketConstructor } from '../peer/types';
import type { RelayCursor, RelayCursorStore, RelayStatus } from './types';
import { openMailboxSocket } from './mailboxSocket';

export interface RelayClientOptions {
  /** The relay as the team lists it: ws(s)://host:port (the mailbox is at its `/mailbox`). */
  readonly url: string;
  readonly keys: RelayKeys;
  readonly doc: Y.Doc;
  /** The document's id inside the workspace (each note will have its own; today one). */
  readonly docId: string;
  readonly cursors: RelayCursorStore;
  readonly WebSocket: WebSocketConstructor;
  readonly clock: Clock;
  readonly onStatus: () => void;
  readonly log?: (message: string) => void;
}

interface Sent {
  readonly kind: EnvelopeKind;
  readonly update: Uint8Array;
  readonly frame: Uint8Array<ArrayBuffer>;
}

/**
 * A snapshot is uploaded once the updates after the last one exceed this and a third of the
 * encoded state: a newcomer then downloads at most about 1.33× the state (beyond small
 * documents), and a room holds about that much plus what arrived since. The price is uploading
 * the state again after every third of it typed.
 */
export const SNAPSHOT_MIN_BYTES = 4 * 1024;
const SNAPSHOT_STATE_FRACTION = 3;
const MAX_BACKOFF_MS = 30_000;
const CURSOR_SAVE_DELAY_MS = 500;
const RATE_RETRY_MS = 1000;

export class RelayClient {
  private socket: WebSocket | null = null;
  private state: RelayStatus['state'] = 'connecting';
  private error: string | null = null;
  private caughtUp = false;
  private retries = 0;
  private reconnectTimer: unknown = null;
  private saveTimer: unknown = null;
  private retryTimer: unknown = null;
  private destroyed = false;
  private after = 0;
  private acked = new Map<number, number>();
  /** Whether everything was acknowledged when the cursor was last saved. */
  private clean = true;
  private pending: Uint8Array[] = [];
  private readonly inflight = new Map<number, Sent>();
  private counter = 0;
  private readonly sender = globalThis.crypto.getRandomValues(new Uint8Array(SENDER_BYTES));
  private stream: Uint8Array | null = null;
  private incoming: Promise<void> = Promise.resolve();
  private bytesSinceSnapshot = 0;
  private snapshotThreshold = SNAPSHOT_MIN_BYTES;
  private lastUpload: number | null = null;
  private lastDownload: number | null = null;
  private unreadable = 0;
  private readonly ready: Promise<void>;
  /** An envelope is being sealed (asynchronous): it counts as in flight. */
  private sealing = false;
  /** What the relay said it accepts (WELCOME). */
  private maxEnvelopeBytes = Number.MAX_SAFE_INTEGER;
  /** Resolved the first time the document is caught up with this relay (root before bodies). */
  private markCaughtUp: () => void = () => {};
  private readonly caughtUpOnce = new Promise<void>((resolve) => (this.markCaughtUp = resolve));

  constructor(private readonly options: RelayClientOptions) {
    options.doc.on('update', this.onLocalUpdate);
    this.ready = this.load().then(() => this.open());
  }

  get url(): string {
    return this.options.url;
  }

  status(): RelayStatus {
    const waiting = this.pending.length + this.inflight.size + (this.sealing ? 1 : 0);
    return {
      url: this.options.url,
      state: this.state,
      reachable: this.state === 'online',
      lastUpload: this.lastUpload,
      lastDownload: this.lastDownload,
      waiting,
      // `clean` covers deletions, which a state vector does not show; the vector covers what the
      // document held before this client started (loaded from disk, or from a previous session).
      holdsAll: waiting === 0 && this.clean && covers(this.acked, stateVectorOf(this.options.doc)),
      unreadable: this.unreadable,
      error: this.error,
    };
  }

  /** Resolves once what was saved is loaded and the first connection attempt has started. */
  whenStarted(): Promise<void> {
    return this.ready;
  }

  /** Resolves once this relay's updates were first all applied here (never, if it is never). */
  whenCaughtUp(): Promise<void> {
    return this.caughtUpOnce;
  }

  /** Uploads a snapshot now (when connected and caught up); for tests and benchmarks. */
  snapshotNow(): void {
    if (this.caughtUp) void this.send(KIND_SNAPSHOT, Y.encodeStateAsUpdate(this.options.doc));
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.options.doc.off('update', this.onLocalUpdate);
    const { clock } = this.options;
    clock.clearTimeout(this.reconnectTimer);
    clock.clearTimeout(this.retryTimer);
    if (this.saveTimer !== null) {
      clock.clearTimeout(this.saveTimer);
      this.saveCursor();
    }
    const socket = this.socket;
    this.socket = null;
    socket?.close();
  }

  private async load(): Promise<void> {
    this.stream = await streamId(this.options.keys, this.options.docId);
    let saved: RelayCursor | null = null;
    try {
      saved = await this.options.cursors.load(this.options.url);
    } catch (error) {
      this.options.log?.(`relay cursor for ${this.options.url} unreadable: ${String(error)}`);
    }
    if (saved) {
      this.after = saved.after;
      this.acked = safeDecodeStateVector(saved.acked);
      this.clean = saved.clean;
    }
  }

  private readonly onLocalUpdate = (update: Uint8Array, origin: unknown) => {
    // What this relay sent is on it already; everything else (typing, peers, other relays) goes up.
    if (origin === this) return;
    this.pending.push(update);
    this.scheduleFlush();
    this.options.onStatus();
  };

  private open(): void {
    if (this.destroyed) return;
    this.state = 'connecting';
    try {
      this.socket = openMailboxSocket({
        WebSocket: this.options.WebSocket,
        url: this.options.url,
        keys: this.options.keys,
        version: MAILBOX_VERSION,
        // One at a time, in arrival order: opening envelopes is asynchronous.
        onMessage: (socket, message) => {
          this.incoming = this.incoming
            .then(() => this.onMessage(socket, message))
            .catch((error: unknown) =>
              this.options.log?.(`relay ${this.options.url}: ${String(error)}`),
            );
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
    if (this.destroyed) return;
    if (this.state !== 'refused') this.state = 'offline';
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
        socket.send(
          encodeClientMessage({ type: SINCE, after: this.after, streams: [this.stream!] }),
        );
        return;
      case BLOBS:
        for (const blob of message.blobs) await this.apply(blob.seq, blob.envelope);
        this.lastDownload = this.options.clock.now();
        this.cursorChanged();
        return;
      case UPTO:
        this.after = Math.max(this.after, message.head);
        this.caughtUp = true;
        this.markCaughtUp();
        this.state = 'online';
        this.error = null;
        this.lastDownload = this.options.clock.now();
        this.cursorChanged();
        this.catchUpUpload();
        return;
      case ACK:
        this.onAck(message.counter, message.seq);
        return;
      case REFUSED:
        this.onRefused(message.counter, message.code, message.message);
        return;
      case ERROR:
        this.error = message.message;
        if (message.code === RELAY_ERRORS.forbidden || message.code === RELAY_ERRORS.version)
          this.state = 'refused';
        this.options.onStatus();
        return;
    }
  }

  private async apply(seq: number, envelope: Uint8Array): Promise<void> {
    const opened = await openEnvelope(this.options.keys, envelope);
    if (opened && opened.docId === this.options.docId) {
      try {
        Y.applyUpdate(this.options.doc, opened.update, this);
        extendAcked(this.acked, opened.update);
      } catch (error) {
        this.unreadable++;
        this.options.log?.(
          `relay ${this.options.url}: update ${seq} does not apply: ${String(error)}`,
        );
      }
      if (opened.header.kind === KIND_SNAPSHOT) this.bytesSinceSnapshot = 0;
      else this.bytesSinceSnapshot += envelope.length;
    } else {
      // Sealed with another key, or damaged: nothing a key holder wrote, so nothing to keep.
      this.unreadable++;
    }
    this.after = Math.max(this.after, seq);
  }

  /** On connecting: whatever the document holds that the relay has not acknowledged goes up. */
  private catchUpUpload(): void {
    const doc = this.options.doc;
    // Same sender and counter: a put the relay stored before the connection dropped is not stored
    // twice, its first sequence number is acknowledged again.
    for (const sent of this.inflight.values()) this.putFrame(sent);
    if (!this.clean || !covers(this.acked, stateVectorOf(doc))) {
      this.pending = [Y.encodeStateAsUpdate(doc, encodeVector(this.acked))];
    }
    this.flush();
  }

  private scheduleFlush(): void {
    if (this.retryTimer !== null) return;
    this.retryTimer = this.options.clock.setTimeout(() => {
      this.retryTimer = null;
      this.flush();
    }, 0);
  }

  /** One merged update in flight at a time: what arrives meanwhile waits and is merged. */
  private flush(): void {
    if (!this.caughtUp || this.sealing || this.inflight.size > 0) return;
    if (this.pending.length > 0) {
      const update = Y.mergeUpdates(this.pending);
      this.pending = [];
      this.clean = false;
      void this.send(KIND_UPDATE, update);
      return;
    }
    this.maybeSnapshot();
  }

  private maybeSnapshot(): void {
    if (this.bytesSinceSnapshot <= this.snapshotThreshold) return;
    const state = Y.encodeStateAsUpdate(this.options.doc);
    if (state.length / SNAPSHOT_STATE_FRACTION > this.bytesSinceSnapshot) {
      this.snapshotThreshold = state.length / SNAPSHOT_STATE_FRACTION;
      return;
    }
    void this.send(KIND_SNAPSHOT, state);
  }

  private async send(kind: EnvelopeKind, update: Uint8Array): Promise<void> {
    const counter = ++this.counter;
    this.sealing = true;
    let envelope: Uint8Array;
    try {
      envelope = await sealEnvelope(
        this.options.keys,
        {
          kind,
          stream: this.stream!,
          sender: this.sender,
          counter,
          covers: kind === KIND_SNAPSHOT ? this.after : 0,
        },
        this.options.docId,
        update,
      );
    } finally {
      this.sealing = false;
    }
    if (this.destroyed) return;
    if (envelope.length > this.maxEnvelopeBytes) {
      // Kept here and in the document; the relay would close the connection on it.
      if (kind === KIND_UPDATE) this.pending.unshift(update);
      this.error = `A change of ${envelope.length} bytes is larger than this relay accepts (${this.maxEnvelopeBytes}).`;
      this.options.onStatus();
      return;
    }
    const frame = encodeClientMessage({ type: PUT, envelope });
    const sent: Sent = { kind, update, frame };
    this.inflight.set(counter, sent);
    this.putFrame(sent);
    this.options.onStatus();
  }

  private putFrame(sent: Sent): void {
    if (this.socket && this.caughtUp) this.socket.send(sent.frame);
  }

  private onAck(counter: number, seq: number): void {
    const sent = this.inflight.get(counter);
    if (!sent) return;
    this.inflight.delete(counter);
    extendAcked(this.acked, sent.update);
    this.after = Math.max(this.after, seq);
    this.lastUpload = this.options.clock.now();
    if (sent.kind === KIND_SNAPSHOT) {
      this.bytesSinceSnapshot = 0;
      this.snapshotThreshold = Math.max(
        SNAPSHOT_MIN_BYTES,
        sent.update.length / SNAPSHOT_STATE_FRACTION,
      );
    } else this.bytesSinceSnapshot += sent.frame.length;
    if (this.inflight.size === 0 && this.pending.length === 0) this.clean = true;
    this.cursorChanged();
    this.flush();
  }

  private onRefused(counter: number, code: number, text: string): void {
    const sent = this.inflight.get(counter);
    if (!sent) return;
    this.inflight.delete(counter);
    if (sent.kind === KIND_UPDATE) this.pending.unshift(sent.update);
    this.error = text;
    this.options.onStatus();
    if (code === RELAY_ERRORS.rate) {
      this.retryTimer = this.options.clock.setTimeout(() => {
        this.retryTimer = null;
        this.flush();
      }, RATE_RETRY_MS);
    } else if (code === RELAY_ERRORS.roomFull && sent.kind === KIND_UPDATE) {
      // A snapshot is taken even by a full room, and frees what it covers.
      void this.send(KIND_SNAPSHOT, Y.encodeStateAsUpdate(this.options.doc));
    }
  }

  private cursorChanged(): void {
    this.options.onStatus();
    if (this.saveTimer !== null) return;
    this.saveTimer = this.options.clock.setTimeout(() => {
      this.saveTimer = null;
      this.saveCursor();
    }, CURSOR_SAVE_DELAY_MS);
  }

  private saveCursor(): void {
    const cursor: RelayCursor = {
      after: this.after,
      acked: encodeVector(this.acked),
      clean: this.clean && this.pending.length === 0 && this.inflight.size === 0,
    };
    const failed = (error: unknown) =>
      this.options.log?.(`relay cursor for ${this.options.url} not saved: ${String(error)}`);
    // Called at once (not on a later tick): a relay removed right after destroy() forgets the
    // cursor after this save, not before it.
    try {
      void Promise.resolve(this.options.cursors.save(this.options.url, cursor)).catch(failed);
    } catch (error) {
      failed(error);
    }
  }
}

/**
 * Raises `acked` by what `update` holds, per client, where it continues what `acked` has (an
 * update that starts beyond it leaves a gap the relay may not have, so it counts for nothing).
 */
function extendAcked(acked: Map<number, number>, update: Uint8Array): void {
  const { from, to } = Y.parseUpdateMeta(update);
  for (const [client, end] of to)
    if ((from.get(client) ?? 0) <= (acked.get(client) ?? 0)) raise(acked, new Map([[client, end]]));
}
