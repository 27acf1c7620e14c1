/**
 * Outpost's peer-to-peer sync provider for one team workspace: it finds peers through y-webrtc
 * signaling servers, connects to them with WebRTC (simple-peer) and keeps the workspace's Y.Doc and
 * awareness in sync with each of them. It speaks y-webrtc's wire protocol (docs/PROTOCOL.md,
 * "Sync"), so a stock y-webrtc client holding the invite meets Outpost peers, and adds what stock
 * y-webrtc lacks:
 * - large messages (a whole workspace sent to a fresh peer) travel as chunk frames with
 *   back-pressure, since data channels drop oversized messages silently;
 * - a stock y-webrtc peer, which can neither send nor receive a message over 256 KiB nor
 *   reassemble chunks, is asked for its state in pieces (pieceFetch.ts) and answered in pieces
 *   (pieceAnswer.ts);
 * - "in sync" is known, not assumed: from what each peer says it holds (state vectors, have
 *   messages, the updates it sends), never from what was handed to a channel;
 * - updates whose dependencies are missing wait in bounded per-peer buffers (pendingUpdates.ts)
 *   and what all peers make us hold is bounded in total (inboundBudget.ts);
 * - signaling servers can be added and removed while running (LAN servers come and go with mDNS);
 * - a remote update is never echoed back to the peers (full mesh), so the wire carries each diff
 *   once;
 * - incoming messages are applied in time-boxed batches, so a peer flooding updates cannot freeze
 *   the UI, and a peer sending garbage is counted and then dropped, never crashing anything;
 * - handshakes that never complete (a peer that left midway, an announce replayed by anyone who
 *   can reach a signaling server) are given up after a deadline, and the connection limit counts
 *   only working connections, so such leftovers cannot lock new peers out;
 * - per-peer state (connected, synced, what each side still lacks, what cannot be received, last
 *   synced, bytes) and what this device has not yet shared with anyone.
 *
 * Runs in the renderer and, for tests and benchmarks, in Node (pass `WebSocket` and `wrtc`).
 */
import * as Y from 'yjs';
// A peer's update may delete a value nested thousands of levels deep.
import '../../../shared/model/yjsIterativeDelete';
import * as awarenessProtocol from 'y-protocols/awareness';
import type { Awareness } from 'y-protocols/awareness';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import Peer, { type SimplePeerInstance } from 'simple-peer/simplepeer.min.js';
import {
  HELLO_VERSION,
  MESSAGE_AWARENESS,
  MESSAGE_HAVE,
  MESSAGE_HELLO,
  MESSAGE_QUERY_AWARENESS,
  MESSAGE_SYNC,
  Reassembler,
  toFrames,
} from '../../../shared/protocol/frames';
import {
  deriveSignalingKey,
  openSignal,
  sealSignal,
  type SignalingKey,
} from '../../../shared/protocol/signalingCrypto';
import { InboundBudget, type InboundLimits } from './inboundBudget';
import {
  dependenciesMet,
  PendingUpdates,
  readUpdateMeta,
  type PendingLimits,
  type UpdateMeta,
} from './pendingUpdates';
import { answerInPieces } from './pieceAnswer';
import {
  PieceFetch,
  PieceFetchMemory,
  pieceStateVector,
  STOCK_MAX_MESSAGE_BYTES,
  type PieceRequest,
} from './pieceFetch';
import {
  encodeStateVector,
  missingClocks,
  raise,
  safeDecodeStateVector,
  stateVectorOf,
  type StateVector,
} from './stateVectors';
import { PendingHandshakes, systemClock, type Clock, type HandshakeEnd } from './handshakes';

const SYNC_STEP1 = 0;
const SYNC_STEP2 = 1;
const SYNC_UPDATE = 2;

/** The WebSocket constructor to use (the browser's, or `ws` in Node). */
export type WebSocketConstructor = new (url: string) => WebSocket;

export interface IceServer {
  readonly urls: string | readonly string[];
  readonly username?: string;
  readonly credential?: string;
}

export interface PeerSyncOptions {
  readonly doc: Y.Doc;
  readonly awareness: Awareness;
  /** The derived room name (shared/protocol/keys.ts). */
  readonly roomName: string;
  /** The derived y-webrtc password. */
  readonly password: string;
  /** Signaling server URLs (ws:// or wss://); can be changed later with {@link PeerSync.setSignaling}. */
  readonly signaling?: readonly string[];
  /** STUN/TURN servers; empty means host candidates only (LAN). */
  readonly iceServers?: readonly IceServer[];
  /** Node only: @roamhq/wrtc. */
  readonly wrtc?: unknown;
  /** Defaults to the global WebSocket. */
  readonly WebSocket?: WebSocketConstructor;
  /**
   * Most peers connected at once (default 30). Only working connections count; handshakes in
   * flight are bounded apart (as many again, each for at most {@link handshakeTimeoutMs}).
   */
  readonly maxConns?: number;
  /** How long a WebRTC handshake may take before it is given up (default 20 s). */
  readonly handshakeTimeoutMs?: number;
  /** Time and timers for handshake deadlines; tests may pass a fake. */
  readonly clock?: Clock;
  /** What earlier runs already shared with peers (see {@link PeerSync.sharedStateVector}). */
  readonly sharedStateVector?: Uint8Array | null;
  /** Time of day in ms; tests may pass a fake. */
  readonly now?: () => number;
  /** How often connected peers compare state vectors again (closes gaps in a partial mesh). */
  readonly antiEntropyMs?: number;
  /** Notable problems (a peer sending garbage, a server refusing us). */
  readonly log?: (message: string) => void;
  /** Memory peers may make us hold for what they sent (tests lower it). */
  readonly inboundLimits?: InboundLimits;
  /** Updates waiting for changes they depend on, per peer (tests lower it). */
  readonly pendingLimits?: PendingLimits;
}

export type SignalingState = 'connecting' | 'open' | 'closed';
export type PeerState = 'connecting' | 'connected' | 'synced';

export interface PeerInfo {
  readonly id: string;
  /**
   * `synced` only when the peer is known to hold everything this device holds and this device
   * everything the peer is known to hold (state vectors compared), with nothing from it waiting.
   */
  readonly state: PeerState;
  /** `outpost` once it said hello, `stock` for a y-webrtc client (or an older Outpost). */
  readonly kind: 'unknown' | 'outpost' | 'stock';
  /** Changes (Yjs clocks) this device holds that the peer is not known to hold. */
  readonly theyLack: number;
  /** Changes the peer is known to hold that this device lacks (still coming, or unreceivable). */
  readonly weLack: number;
  /**
   * Of `weLack`, changes this peer cannot send us: a stock y-webrtc peer whose changes by one
   * author exceed what its WebRTC stack sends in one message (256 KiB).
   */
  readonly unreceivable: number;
  /** Updates from this peer waiting for changes they depend on. */
  readonly pendingUpdates: number;
  /** The awareness client ids this peer announced (one per device/window). */
  readonly clients: readonly number[];
  readonly connectedAt: number | null;
  /** When the last sync message from or to this peer completed. */
  readonly lastSyncedAt: number | null;
  readonly bytesIn: number;
  readonly bytesOut: number;
  /** Bytes queued for this peer and not yet handed to its data channel. */
  readonly queuedBytes: number;
  /** The signaling server through which the connection was negotiated. */
  readonly via: string;
}

export interface PeerSyncStatus {
  /** False after {@link PeerSync.disconnect} (the person chose to work offline). */
  readonly online: boolean;
  readonly signaling: ReadonlyArray<{ readonly url: string; readonly state: SignalingState }>;
  readonly peers: readonly PeerInfo[];
}

export interface WireStats {
  readonly bytesOut: number;
  readonly bytesIn: number;
  readonly framesOut: number;
  readonly framesIn: number;
  /** Messages dropped because they could not be read. */
  readonly rejected: number;
  /** Signaling messages that did not decrypt with the room key. */
  readonly undecryptable: number;
}

/** Unreadable messages tolerated from one peer before it is disconnected. */
const MAX_BAD_MESSAGES = 20;
/** Data-channel buffer above which we wait before sending more. */
const SEND_HIGH_WATER = 1024 * 1024;
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

type Listener = (status: PeerSyncStatus) => void;

function randomId(): string {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

class SignalingSocket {
  state: SignalingState = 'connecting';
  private socket: WebSocket | null = null;
  private retries = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private destroyed = false;

  constructor(
    readonly url: string,
    private readonly owner: PeerSync,
    private readonly Socket: WebSocketConstructor,
  ) {
    this.open();
  }

  private open(): void {
    if (this.destroyed) return;
    this.state = 'connecting';
    let socket: WebSocket;
    try {
      socket = new this.Socket(this.url);
    } catch {
      this.closed();
      return;
    }
    this.socket = socket;
    socket.onopen = () => {
      this.state = 'open';
      this.retries = 0;
      this.owner.onSignalingOpen(this);
    };
    socket.onmessage = (event: MessageEvent) => {
      if (typeof event.data === 'string') this.owner.onSignalingMessage(this, event.data);
    };
    socket.onclose = () => this.closed();
    socket.onerror = () => {
      // a close event follows
    };
  }

  private closed(): void {
    this.socket = null;
    if (this.destroyed) return;
    const wasOpen = this.state === 'open';
    this.state = 'closed';
    this.owner.onSignalingClosed(wasOpen);
    const delay = Math.min(30_000, 500 * 2 ** this.retries) * (0.75 + Math.random() / 2);
    this.retries++;
    this.timer = setTimeout(() => this.open(), delay);
  }

  send(message: unknown): void {
    if (this.state !== 'open' || !this.socket) return;
    try {
      this.socket.send(JSON.stringify(message));
    } catch {
      // closing; the close handler reconnects
    }
  }

  destroy(): void {
    this.destroyed = true;
    if (this.timer) clearTimeout(this.timer);
    const socket = this.socket;
    this.socket = null;
    this.state = 'closed';
    if (socket) {
      socket.onopen = socket.onmessage = socket.onclose = null;
      // Closing a socket still connecting reports an error (Node's ws throws it if unhandled).
      socket.onerror = () => {};
      try {
        socket.close();
      } catch {
        // already closed
      }
    }
  }
}

/**
 * One peer as the message handling sees it: what it sent, how it behaved, and where replies go.
 * {@link PeerConn} is the real one (a WebRTC data channel); tests drive {@link PeerSync.onPeerData}
 * with their own subclass to exercise the handling of what peers send without WebRTC.
 */
export abstract class PeerEndpoint {
  state: PeerState = 'connecting';
  lastSyncedAt: number | null = null;
  bytesIn = 0;
  /** Bytes received and not yet applied. */
  inboundBytes = 0;
  badMessages = 0;
  closed = false;
  /** A state vector that arrived while the answer to the previous one was still queued. */
  pendingStep1: Uint8Array | null = null;
  answeringStep1 = false;
  readonly clients = new Set<number>();
  readonly reassembler = new Reassembler();
  /**
   * Decided by the first message: Outpost's hello, or anything else (a stock y-webrtc client,
   * whose first message is its state vector).
   */
  kind: 'unknown' | 'outpost' | 'stock' = 'unknown';
  /** What the peer is known to hold: its state vectors, and every update it sent us. */
  readonly known = new Map<number, number>();
  /** Updates from the peer whose dependencies have not arrived. */
  readonly pending = new PendingUpdates();
  /** A stock peer's state, asked for in pieces. */
  fetch: PieceFetch | null = null;
  /** An Outpost peer was asked for everything (a gap showed) and has not answered yet. */
  gapAsked = false;
  /** The state vector last announced to the peer with a have message. */
  haveSent: Uint8Array | null = null;

  constructor(readonly id: string) {}

  /** Queues a message for the peer; `onSent` runs once it has been handed to the channel. */
  abstract send(message: Uint8Array, onSent?: () => void): void;
  abstract destroy(): void;
}

class PeerConn extends PeerEndpoint {
  readonly peer: SimplePeerInstance;
  glareToken: number | undefined;
  /** We kept our offer over a crossing one from this peer (see {@link PeerSync} `onSignal`). */
  wonGlare = false;
  connectedAt: number | null = null;
  bytesOut = 0;
  queuedBytes = 0;
  private readonly queue: Uint8Array[] = [];
  private pumping = false;
  private nextMessageId = 0;
  private drainedCallbacks: Array<() => void> = [];

  constructor(
    id: string,
    readonly socket: SignalingSocket,
    readonly initiator: boolean,
    private readonly owner: PeerSync,
  ) {
    super(id);
    this.peer = new Peer({
      initiator,
      trickle: true,
      config: { iceServers: owner.iceServers.map((server) => ({ ...server })) },
      ...(owner.wrtc ? { wrtc: owner.wrtc } : {}),
    });
    this.peer.on('signal', (signal) => {
      if (this.glareToken === undefined) this.glareToken = Date.now() + Math.random();
      owner.publish(socket, {
        to: id,
        from: owner.peerId,
        type: 'signal',
        token: this.glareToken,
        signal,
      });
    });
    this.peer.on('connect', () => owner.onPeerConnect(this));
    this.peer.on('data', (data) => owner.onPeerData(this, data));
    this.peer.on('close', () => owner.onPeerClose(this));
    this.peer.on('error', (error) => owner.onPeerError(this, error));
  }

  /** Queues a message (chunked if large) and sends as fast as the data channel drains. */
  override send(message: Uint8Array, onSent?: () => void): void {
    if (this.closed) return;
    // A stock y-webrtc peer cannot reassemble chunk frames, but its stack takes 256 KiB at once.
    const frames =
      this.kind === 'stock' && message.length <= STOCK_MAX_MESSAGE_BYTES
        ? [message]
        : toFrames(message, this.nextMessageId++);
    for (const frame of frames) {
      this.queue.push(frame);
      this.queuedBytes += frame.length;
    }
    if (onSent) this.drainedCallbacks.push(onSent);
    this.pump();
  }

  private pump(): void {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (this.queue.length > 0 && !this.closed && this.peer.connected) {
        if (this.peer.bufferSize > SEND_HIGH_WATER) {
          this.pumping = false;
          setTimeout(() => this.pump(), 4);
          return;
        }
        const frame = this.queue.shift()!;
        this.queuedBytes -= frame.length;
        this.peer.send(frame);
        this.bytesOut += frame.length;
        this.owner.countOut(frame.length);
      }
    } catch (error) {
      this.owner.log(`Sending to a peer failed: ${String(error)}`);
    }
    this.pumping = false;
    if (this.queue.length === 0 && this.drainedCallbacks.length > 0) {
      const callbacks = this.drainedCallbacks.splice(0);
      for (const callback of callbacks) callback();
    }
  }

  override destroy(): void {
    this.closed = true;
    this.queue.length = 0;
    this.queuedBytes = 0;
    this.drainedCallbacks = [];
    try {
      this.peer.destroy();
    } catch {
      // already destroyed
    }
  }
}

interface Inbound {
  readonly conn: PeerEndpoint;
  readonly message: Uint8Array;
}

/** The sync provider of one workspace. */
export class PeerSync {
  readonly doc: Y.Doc;
  readonly awareness: Awareness;
  readonly roomName: string;
  readonly peerId = randomId();
  readonly iceServers: readonly IceServer[];
  readonly wrtc: unknown;
  private readonly Socket: WebSocketConstructor;
  private readonly maxConns: number;
  private readonly now: () => number;
  private readonly key: Promise<SignalingKey>;
  private cryptoKey: SignalingKey | null = null;
  private readonly sockets = new Map<string, SignalingSocket>();
  private readonly conns = new Map<string, PeerConn>();
  private readonly handshakes: PendingHandshakes<PeerConn>;
  private readonly clock: Clock;
  private readonly handshakeTimeoutMs: number;
  private lastGiveUpAnnounce = -Infinity;
  /** The last signaling message sent / handled; each one waits for the one before. */
  private sealed: Promise<void> = Promise.resolve();
  private opened: Promise<void> = Promise.resolve();
  private readonly listeners = new Set<Listener>();
  private readonly inbound: Inbound[] = [];
  private draining: ReturnType<typeof setTimeout> | null = null;
  private shouldConnect = false;
  private destroyed = false;
  private signalingUrls: string[];
  private antiEntropy: ReturnType<typeof setInterval> | null = null;
  private readonly antiEntropyMs: number;
  private statusTimer: ReturnType<typeof setTimeout> | null = null;
  private shared: Map<number, number>;
  private readonly sharedListeners = new Set<(stateVector: Uint8Array) => void>();
  private readonly budget: InboundBudget<PeerEndpoint>;
  private readonly pendingLimits: PendingLimits | undefined;
  private readonly fetchMemory = new PieceFetchMemory();
  private haveTimer: ReturnType<typeof setTimeout> | null = null;
  /** Peers with updates waiting for their dependencies. */
  private readonly holding = new Set<PeerEndpoint>();
  private wire = {
    bytesOut: 0,
    bytesIn: 0,
    framesOut: 0,
    framesIn: 0,
    rejected: 0,
    undecryptable: 0,
  };
  readonly log: (message: string) => void;

  constructor(options: PeerSyncOptions) {
    this.doc = options.doc;
    this.awareness = options.awareness;
    this.roomName = options.roomName;
    this.iceServers = options.iceServers ?? [];
    this.wrtc = options.wrtc;
    const Socket = options.WebSocket ?? (globalThis.WebSocket as WebSocketConstructor | undefined);
    if (!Socket) throw new Error('No WebSocket implementation: pass options.WebSocket.');
    this.Socket = Socket;
    this.maxConns = options.maxConns ?? 30;
    this.now = options.now ?? Date.now;
    this.clock = options.clock ?? systemClock;
    this.handshakeTimeoutMs = options.handshakeTimeoutMs ?? 20_000;
    this.handshakes = new PendingHandshakes(
      { timeoutMs: this.handshakeTimeoutMs, maxPending: this.maxConns },
      this.clock,
      (conn, why) => this.onHandshakeGivenUp(conn, why),
    );
    this.antiEntropyMs = options.antiEntropyMs ?? 60_000;
    this.log = options.log ?? (() => {});
    this.signalingUrls = [...new Set(options.signaling ?? [])];
    this.budget = new InboundBudget(options.inboundLimits);
    this.pendingLimits = options.pendingLimits;
    this.shared = options.sharedStateVector
      ? safeDecodeStateVector(options.sharedStateVector)
      : new Map();
    this.key = deriveSignalingKey(options.password, options.roomName);
    this.key.then(
      (key) => {
        this.cryptoKey = key;
        if (this.shouldConnect)
          for (const socket of this.sockets.values()) this.onSignalingOpen(socket);
      },
      (error: unknown) => this.log(`Could not derive the signaling key: ${String(error)}`),
    );
    this.doc.on('update', this.onDocUpdate);
    this.awareness.on('update', this.onAwarenessUpdate);
    this.connect();
  }

  /** Starts looking for peers (the default after construction). */
  connect(): void {
    if (this.destroyed || this.shouldConnect) return;
    this.shouldConnect = true;
    for (const url of this.signalingUrls) this.openSocket(url);
    this.antiEntropy = setInterval(() => this.compareWithPeers(), this.antiEntropyMs);
    this.scheduleStatus();
  }

  /** Closes every peer connection and signaling socket (working offline); {@link connect} resumes. */
  disconnect(): void {
    if (!this.shouldConnect) return;
    this.shouldConnect = false;
    if (this.antiEntropy) clearInterval(this.antiEntropy);
    this.antiEntropy = null;
    for (const socket of this.sockets.values()) {
      socket.send({ type: 'unsubscribe', topics: [this.roomName] });
      socket.destroy();
    }
    this.sockets.clear();
    for (const conn of [...this.conns.values()]) this.dropConn(conn);
    this.inbound.length = 0;
    this.scheduleStatus();
  }

  /** Replaces the set of signaling servers; connections through servers kept stay up. */
  setSignaling(urls: readonly string[]): void {
    const next = [...new Set(urls)];
    this.signalingUrls = next;
    if (!this.shouldConnect) return;
    for (const [url, socket] of this.sockets) {
      if (!next.includes(url)) {
        socket.send({ type: 'unsubscribe', topics: [this.roomName] });
        socket.destroy();
        this.sockets.delete(url);
      }
    }
    for (const url of next) if (!this.sockets.has(url)) this.openSocket(url);
    this.scheduleStatus();
  }

  get signaling(): readonly string[] {
    return this.signalingUrls;
  }

  status(): PeerSyncStatus {
    const ours = stateVectorOf(this.doc);
    return {
      online: this.shouldConnect,
      signaling: [...this.sockets.values()].map((socket) => ({
        url: socket.url,
        state: socket.state,
      })),
      peers: [...this.conns.values()].map((conn) => ({
        id: conn.id,
        ...this.syncState(conn, ours),
        clients: [...conn.clients],
        connectedAt: conn.connectedAt,
        lastSyncedAt: conn.lastSyncedAt,
        bytesIn: conn.bytesIn,
        bytesOut: conn.bytesOut,
        queuedBytes: conn.queuedBytes,
        via: conn.socket.url,
      })),
    };
  }

  wireStats(): WireStats {
    return { ...this.wire };
  }

  /** Calls `listener` (at most every 100 ms) when connections or sync state change. */
  onStatus(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
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

  destroy(): void {
    if (this.destroyed) return;
    this.disconnect();
    this.destroyed = true;
    this.doc.off('update', this.onDocUpdate);
    this.awareness.off('update', this.onAwarenessUpdate);
    if (this.draining) clearTimeout(this.draining);
    if (this.statusTimer) clearTimeout(this.statusTimer);
    if (this.haveTimer) clearTimeout(this.haveTimer);
    this.listeners.clear();
    this.sharedListeners.clear();
  }

  // ---- signaling -------------------------------------------------------------------------

  private openSocket(url: string): void {
    this.sockets.set(url, new SignalingSocket(url, this, this.Socket));
  }

  /** @internal */
  onSignalingOpen(socket: SignalingSocket): void {
    this.scheduleStatus();
    if (!this.cryptoKey || socket.state !== 'open') return;
    socket.send({ type: 'subscribe', topics: [this.roomName] });
    this.announce(socket);
  }

  /** @internal */
  onSignalingClosed(wasOpen: boolean): void {
    if (wasOpen) this.scheduleStatus();
  }

  private announce(socket: SignalingSocket): void {
    if (this.hasRoomForPeer()) {
      this.publish(socket, { type: 'announce', from: this.peerId });
    }
  }

  /** @internal Seals and publishes a signaling message in the room. */
  publish(socket: SignalingSocket, data: Record<string, unknown>): void {
    const key = this.cryptoKey;
    if (!key) return;
    // Sealing is asynchronous and may finish out of order (WebCrypto runs on a thread pool), so
    // without this an ICE candidate could overtake its offer, or an announce the offer before it.
    // A stock y-webrtc peer creates a connection on any signal addressed to it and never gives
    // one up, so order matters: messages leave in the order they were made.
    const sealing = sealSignal(key, data);
    this.sealed = this.sealed
      .then(() => sealing)
      .then(
        (sealed) => socket.send({ type: 'publish', topic: this.roomName, data: sealed }),
        (error: unknown) => this.log(`Could not seal a signaling message: ${String(error)}`),
      );
  }

  /** @internal */
  onSignalingMessage(socket: SignalingSocket, raw: string): void {
    const key = this.cryptoKey;
    if (!key || raw.length > 1024 * 1024) return;
    let frame: unknown;
    try {
      frame = JSON.parse(raw);
    } catch {
      return;
    }
    if (
      typeof frame !== 'object' ||
      frame === null ||
      (frame as { type?: unknown }).type !== 'publish' ||
      (frame as { topic?: unknown }).topic !== this.roomName
    ) {
      return;
    }
    // Handled in the order received (opened concurrently), for the reason given in publish().
    const opening = openSignal(key, (frame as { data?: unknown }).data);
    this.opened = this.opened.then(async () => {
      const data = await opening;
      if (data === undefined) {
        this.wire.undecryptable++;
        return;
      }
      try {
        this.onSignal(socket, data);
      } catch (error) {
        this.log(`Ignored a bad signaling message: ${String(error)}`);
      }
    });
  }

  private onSignal(socket: SignalingSocket, data: unknown): void {
    if (!this.shouldConnect || typeof data !== 'object' || data === null) return;
    const message = data as Record<string, unknown>;
    const from = message.from;
    if (typeof from !== 'string' || from.length === 0 || from.length > 128 || from === this.peerId)
      return;
    if (message.to !== undefined && message.to !== this.peerId) return;
    if (message.type === 'announce') {
      const known = this.conns.get(from);
      if (known && known.state === 'connecting' && known.wonGlare) {
        // We kept our offer over this peer's crossing one. A stock y-webrtc peer then feeds our
        // offer to the connection that made its own, which a WebRTC stack without implicit
        // rollback (Node's wrtc) refuses: that connection closes and the peer announces, so the
        // handshake we are waiting on is dead. Start over now rather than at the timeout. Only
        // once: such a peer announces twice (on the error and on the close), and restarting the
        // fresh handshake too would cross our own offers.
        this.forget(known);
      } else if (known) {
        return;
      }
      if (this.hasRoomForPeer()) this.startConn(from, socket, true);
      return;
    }
    if (message.type !== 'signal' || typeof message.signal !== 'object' || message.signal === null)
      return;
    const signal = message.signal as { type?: unknown };
    if (message.to !== this.peerId) return;
    let conn = this.conns.get(from);
    if (signal.type === 'offer' && conn && conn.state === 'connecting') {
      // Both sides offered at once ("glare"). y-webrtc 10.3 keeps the offer with the larger token
      // (it rejects a remote offer only when its own token is larger), so we must too: with the
      // opposite rule, a stock peer and we would each reject the other's offer and wait forever.
      if (
        conn.initiator &&
        conn.glareToken !== undefined &&
        conn.glareToken > Number(message.token)
      ) {
        conn.wonGlare = true;
        return;
      }
      // We give way, or the peer offers again on a handshake we were answering (its previous
      // connection is gone: a y-webrtc peer starts another on the next announce it hears).
      // Either way the offer is answered on a fresh connection: fed to one that already made an
      // offer or an answer, it fails ("called in wrong state") in stacks without implicit
      // rollback, and y-webrtc's way of doing that is what breaks with them.
      this.forget(conn);
      conn = undefined;
    }
    if (signal.type === 'answer' && conn) conn.glareToken = undefined;
    if (!conn) {
      // Only an offer starts a connection: an answer or a candidate for a connection we no longer
      // have (given up, or replayed by someone) would only make an entry that never completes.
      if (signal.type !== 'offer' || !this.hasRoomForPeer()) return;
      conn = this.startConn(from, socket, false);
    }
    conn.peer.signal(signal);
  }

  /** Whether a new peer may connect: the limit counts working connections, not handshakes. */
  private hasRoomForPeer(): boolean {
    let working = 0;
    for (const conn of this.conns.values()) if (conn.state !== 'connecting') working++;
    return working < this.maxConns;
  }

  private startConn(id: string, socket: SignalingSocket, initiator: boolean): PeerConn {
    const conn = new PeerConn(id, socket, initiator, this);
    this.conns.set(id, conn);
    this.handshakes.add(conn);
    this.scheduleStatus();
    return conn;
  }

  /** Closes a connection that is being replaced or given up, before it ever carried anything. */
  private forget(conn: PeerConn): void {
    if (this.conns.get(conn.id) === conn) this.conns.delete(conn.id);
    this.handshakes.delete(conn);
    conn.destroy();
    this.scheduleStatus();
  }

  private onHandshakeGivenUp(conn: PeerConn, why: HandshakeEnd): void {
    if (conn.closed) return;
    this.log(`Gave up connecting to peer ${conn.id.slice(0, 8)}: the handshake ${why}.`);
    this.forget(conn);
    // As after a closed connection: if that peer is alive after all, it starts a fresh handshake.
    // Once per timeout period at most: handshakes given up together (replayed announces, a churn
    // of departed peers) would announce once each, and every announce makes each peer not
    // connected to us start a handshake, crossing the one it may be starting already.
    if (why !== 'timed out' || !this.shouldConnect) return;
    const now = this.clock.now();
    if (now - this.lastGiveUpAnnounce < this.handshakeTimeoutMs) return;
    this.lastGiveUpAnnounce = now;
    for (const socket of this.sockets.values()) this.announce(socket);
  }

  // ---- peers ---------------------------------------------------------------------------

  /** @internal */
  onPeerConnect(conn: PeerConn): void {
    this.handshakes.delete(conn);
    if (!this.hasRoomForPeer()) {
      // Handshakes run in parallel; the one completing after the limit was reached goes.
      this.log(`Disconnected peer ${conn.id.slice(0, 8)}: already connected to ${this.maxConns}.`);
      this.dropConn(conn);
      return;
    }
    conn.state = 'connected';
    conn.connectedAt = this.now();
    this.beginSync(conn);
    const states = [...this.awareness.getStates().keys()];
    if (states.length > 0) conn.send(this.awarenessMessage(states));
    this.scheduleStatus();
  }

  /** @internal Handles one data-channel message from `conn` (tests call it directly). */
  onPeerData(conn: PeerEndpoint, data: Uint8Array): void {
    if (conn.closed) return;
    conn.bytesIn += data.length;
    this.wire.bytesIn += data.length;
    this.wire.framesIn++;
    if (data.length === 0) return; // stock y-webrtc answers a message it does not know with nothing
    const result = conn.reassembler.push(data);
    if (result.kind === 'pending') {
      this.accountInbound(conn);
      return;
    }
    if (result.kind === 'invalid') {
      this.accountInbound(conn);
      this.reject(conn, result.reason);
      return;
    }
    conn.inboundBytes += result.message.length;
    if (!this.accountInbound(conn)) return;
    this.inbound.push({ conn, message: result.message });
    this.draining ??= setTimeout(this.drain, 0);
  }

  /** @internal */
  onPeerClose(conn: PeerConn): void {
    if (conn.closed) return; // closed by us (replaced, dropped or disconnected)
    this.dropConn(conn);
    // Let peers (and this one, if it comes back) find each other again, as y-webrtc does.
    if (this.shouldConnect) for (const socket of this.sockets.values()) this.announce(socket);
  }

  /** @internal */
  onPeerError(conn: PeerConn, error: Error): void {
    this.log(`Connection to peer ${conn.id.slice(0, 8)} failed: ${error.message}`);
  }

  /** @internal */
  countOut(bytes: number): void {
    this.wire.bytesOut += bytes;
    this.wire.framesOut++;
  }

  private dropConn(conn: PeerEndpoint): void {
    if (this.conns.get(conn.id) === conn) this.conns.delete(conn.id);
    if (conn instanceof PeerConn) this.handshakes.delete(conn);
    conn.destroy();
    this.releaseInbound(conn);
    const clients = [...conn.clients].filter((client) => client !== this.doc.clientID);
    if (clients.length > 0) {
      awarenessProtocol.removeAwarenessStates(this.awareness, clients, conn);
    }
    this.scheduleStatus();
  }

  private reject(conn: PeerEndpoint, reason: string, immediately = false): void {
    this.wire.rejected++;
    conn.badMessages++;
    if (immediately || conn.badMessages > MAX_BAD_MESSAGES) {
      this.log(`Disconnected peer ${conn.id.slice(0, 8)}: ${reason}.`);
      this.dropConn(conn);
    }
  }

  // ---- applying what peers send -----------------------------------------------------------

  /**
   * Opens the sync on a new connection. Outpost says hello first and sends its state vector only
   * to a peer that says hello too: a stock y-webrtc peer answers a state vector with everything
   * it has that we lack in one message, which its WebRTC stack refuses to send past 256 KiB
   * (pieceFetch.ts); such a peer's own first message is its state vector, after which we ask it
   * for its state in pieces.
   */
  private beginSync(conn: PeerEndpoint): void {
    const hello = encoding.createEncoder();
    encoding.writeVarUint(hello, MESSAGE_HELLO);
    encoding.writeVarUint(hello, HELLO_VERSION);
    conn.send(encoding.toUint8Array(hello));
  }

  /**
   * Records what `conn` makes us hold and drops whichever peer the inbound budget says must go.
   * Returns false when that was `conn`.
   */
  private accountInbound(conn: PeerEndpoint): boolean {
    const over = this.budget.update(conn, {
      reassembling: conn.reassembler.pendingBytes,
      queued: conn.inboundBytes,
      pending: conn.pending.bytes,
    });
    if (!over) return true;
    this.reject(over.key, over.reason, true);
    return over.key !== conn;
  }

  private releaseInbound(conn: PeerEndpoint): void {
    this.budget.forget(conn);
    conn.pending.clear();
    this.holding.delete(conn);
  }

  private readonly drain = (): void => {
    this.draining = null;
    const started = performance.now();
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
      for (const conn of fetching) this.continueFetch(conn);
      fetching.clear();
    };
    // The clock is read after each message and each applied batch, so the time box covers the
    // applying (the costly part), not only the decoding.
    for (
      let handled = 0;
      this.inbound.length > 0 &&
      handled < MAX_MESSAGES_PER_SLICE &&
      performance.now() - started < SLICE_MS;
      handled++
    ) {
      const { conn, message } = this.inbound.shift()!;
      conn.inboundBytes -= message.length;
      if (conn.closed) continue;
      this.accountInbound(conn);
      try {
        const decoder = decoding.createDecoder(message);
        const type = decoding.readVarUint(decoder);
        if (conn.kind === 'unknown') {
          if (type === MESSAGE_HELLO) {
            conn.kind = 'outpost';
            this.sendStep1(conn, Y.encodeStateVector(this.doc));
            continue;
          }
          conn.kind = 'stock';
          conn.fetch = new PieceFetch(conn.id, this.fetchMemory);
        }
        if (type === MESSAGE_SYNC) {
          const step = decoding.readVarUint(decoder);
          const payload = decoding.readVarUint8Array(decoder);
          if (step === SYNC_STEP1) {
            flush();
            this.learn(conn, Y.decodeStateVector(payload));
            this.answerStep1(conn, payload);
            if (conn.kind === 'stock') this.requestMissing(conn);
          } else if (step === SYNC_STEP2 || step === SYNC_UPDATE) {
            const meta = readUpdateMeta(payload);
            this.learn(conn, meta.to);
            conn.lastSyncedAt = this.now();
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
              this.holdPending(conn, payload, meta);
            }
          } else {
            this.reject(conn, 'unknown sync step');
          }
        } else if (type === MESSAGE_AWARENESS) {
          awarenessProtocol.applyAwarenessUpdate(
            this.awareness,
            decoding.readVarUint8Array(decoder),
            conn,
          );
        } else if (type === MESSAGE_QUERY_AWARENESS) {
          conn.send(this.awarenessMessage([...this.awareness.getStates().keys()]));
        } else if (type === MESSAGE_HAVE) {
          this.learn(conn, Y.decodeStateVector(decoding.readVarUint8Array(decoder)));
        }
        // Other types (y-webrtc's BroadcastChannel ones, future extensions) are ignored.
      } catch {
        this.reject(conn, 'unreadable message');
      }
    }
    flush();
    this.scheduleStatus();
    if (this.inbound.length > 0) this.draining = setTimeout(this.drain, 0);
  };

  /** The peer holds `stateVector`: so at least one peer holds what it covers of ours. */
  private learn(conn: PeerEndpoint, stateVector: StateVector): void {
    if (raise(conn.known, stateVector)) this.markShared(conn.known);
  }

  /**
   * Keeps an update whose dependencies have not arrived out of Yjs (whose own pending store is
   * quadratic) and asks the peer for the gap; a peer past its pending limits is dropped.
   */
  private holdPending(conn: PeerEndpoint, update: Uint8Array, meta: UpdateMeta): void {
    if (!conn.pending.hold(update, meta, this.pendingLimits)) {
      this.reject(
        conn,
        `sent more updates that depend on changes it never sent than we hold (${conn.pending.count} updates, ${conn.pending.bytes} bytes waiting)`,
        true,
      );
      return;
    }
    this.holding.add(conn);
    if (this.accountInbound(conn)) this.requestMissing(conn);
  }

  /** Asks a peer for what it holds and we lack: all of it from Outpost, in pieces from others. */
  private requestMissing(conn: PeerEndpoint): void {
    if (conn.closed) return;
    if (conn.kind === 'outpost') {
      if (conn.gapAsked) return;
      conn.gapAsked = true;
      this.sendStep1(conn, Y.encodeStateVector(this.doc));
    } else if (conn.kind === 'stock' && conn.fetch) {
      const request = conn.fetch.start(stateVectorOf(this.doc), conn.known);
      if (request) this.askPiece(conn, request);
    }
  }

  private continueFetch(conn: PeerEndpoint): void {
    if (conn.closed || !conn.fetch) return;
    const request = conn.fetch.next(stateVectorOf(this.doc), conn.known);
    if (request) this.askPiece(conn, request);
    this.scheduleStatus();
  }

  /** One request of a fetch in pieces, then the probe that tells us whether it was answered. */
  private askPiece(conn: PeerEndpoint, request: PieceRequest): void {
    const ours = stateVectorOf(this.doc);
    this.sendStep1(conn, encodeStateVector(pieceStateVector(request.clients, ours, conn.known)));
    // The probe claims everything we know the peer or we hold, so its answer stays small.
    this.sendStep1(conn, encodeStateVector(pieceStateVector([], ours, conn.known)));
  }

  private sendStep1(conn: PeerEndpoint, stateVector: Uint8Array): void {
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, MESSAGE_SYNC);
    encoding.writeVarUint(encoder, SYNC_STEP1);
    encoding.writeVarUint8Array(encoder, stateVector);
    conn.send(encoding.toUint8Array(encoder));
  }

  private answerStep1(conn: PeerEndpoint, stateVector: Uint8Array): void {
    // A peer asking again before our answer left (or asking in a loop) gets one answer for its
    // latest state vector once the previous one is sent: each answer may be the whole workspace.
    if (conn.answeringStep1) {
      Y.decodeStateVector(stateVector); // refuse garbage now, like an answered request
      conn.pendingStep1 = stateVector;
      return;
    }
    let updates: readonly Uint8Array[];
    if (conn.kind === 'stock') {
      // Pieces it can take whole; the message header is at most 7 bytes.
      const answer = answerInPieces(
        this.doc,
        Y.decodeStateVector(stateVector),
        STOCK_MAX_MESSAGE_BYTES - 8,
      );
      if (answer.unsendable.length > 0)
        this.log(
          `Peer ${conn.id.slice(0, 8)} (a y-webrtc client) cannot receive the changes of ${answer.unsendable.length} device(s): each is over 256 KiB.`,
        );
      updates = answer.updates;
    } else {
      updates = [Y.encodeStateAsUpdate(this.doc, stateVector)];
    }
    conn.answeringStep1 = true;
    updates.forEach((update, index) => {
      if (index < updates.length - 1) conn.send(syncMessage(SYNC_STEP2, update));
    });
    // Handing the answer to the channel says nothing about its arrival (a stock peer ignores the
    // chunk frames of a large one): what the peer holds is learned only from the peer.
    conn.send(syncMessage(SYNC_STEP2, updates.at(-1)!), () => {
      conn.answeringStep1 = false;
      conn.lastSyncedAt = this.now();
      const next = conn.pendingStep1;
      conn.pendingStep1 = null;
      if (next && !conn.closed && !this.destroyed) {
        try {
          this.answerStep1(conn, next);
        } catch {
          this.reject(conn, 'an unreadable state vector');
        }
      }
    });
  }

  /** Applies a batch of remote updates in one transaction (one UI refresh), isolating bad ones. */
  private applyRemote(batch: ReadonlyArray<{ conn: PeerEndpoint; update: Uint8Array }>): void {
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
        this.accountInbound(conn);
      }
    }
    const after = stateVectorOf(this.doc);
    const received = new Map<number, number>();
    for (const [client, clock] of after) {
      if (clock > (before.get(client) ?? 0)) received.set(client, clock);
    }
    if (received.size > 0) {
      this.markShared(received);
      this.scheduleHave();
    }
  }

  private applyBatch(batch: ReadonlyArray<{ conn: PeerEndpoint; update: Uint8Array }>): void {
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
        Y.applyUpdate(this.doc, merged, this);
      } catch {
        merged = null;
      }
    }
    if (!merged) {
      for (const { conn, update } of batch) {
        try {
          Y.applyUpdate(this.doc, update, this);
        } catch {
          this.reject(conn, 'an update Yjs cannot read');
        }
      }
    }
  }

  /** Tells Outpost peers what we hold now (at most every 200 ms), so they know what arrived. */
  private scheduleHave(): void {
    if (this.haveTimer || this.destroyed) return;
    this.haveTimer = setTimeout(() => {
      this.haveTimer = null;
      const stateVector = Y.encodeStateVector(this.doc);
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, MESSAGE_HAVE);
      encoding.writeVarUint8Array(encoder, stateVector);
      const message = encoding.toUint8Array(encoder);
      for (const conn of this.conns.values()) {
        if (conn.kind !== 'outpost' || sameBytes(conn.haveSent, stateVector)) continue;
        conn.haveSent = stateVector;
        conn.send(message);
      }
    }, 200);
  }

  /** @internal Where a peer stands: see {@link PeerInfo} (tests read it for their own peers). */
  syncState(
    conn: PeerEndpoint,
    ours: StateVector = stateVectorOf(this.doc),
  ): Pick<PeerInfo, 'state' | 'kind' | 'theyLack' | 'weLack' | 'unreceivable' | 'pendingUpdates'> {
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

  private markShared(stateVector: ReadonlyMap<number, number>): void {
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
    if (changed) this.scheduleStatus();
  }

  // ---- sending local changes ---------------------------------------------------------------

  private readonly onDocUpdate = (update: Uint8Array, origin: unknown): void => {
    if (origin === this) return; // remote: every peer got it from its author
    const connected = [...this.conns.values()].filter((conn) => conn.state !== 'connecting');
    if (connected.length === 0) {
      this.scheduleStatus();
      return;
    }
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, MESSAGE_SYNC);
    encoding.writeVarUint(encoder, SYNC_UPDATE);
    encoding.writeVarUint8Array(encoder, update);
    const message = encoding.toUint8Array(encoder);
    // Shared only once a peer says it holds it (its have message or state vector): a message
    // handed to a channel can still be lost (a stock peer ignores chunk frames).
    for (const conn of connected) conn.send(message, () => (conn.lastSyncedAt = this.now()));
  };

  private readonly onAwarenessUpdate = (
    changes: { added: number[]; updated: number[]; removed: number[] },
    origin: unknown,
  ): void => {
    if (origin instanceof PeerEndpoint) {
      for (const client of [...changes.added, ...changes.updated]) origin.clients.add(client);
      for (const client of changes.removed) origin.clients.delete(client);
      this.scheduleStatus();
      return;
    }
    const changed = [...changes.added, ...changes.updated, ...changes.removed];
    const connected = [...this.conns.values()].filter((conn) => conn.state !== 'connecting');
    if (changed.length === 0 || connected.length === 0) return;
    const message = this.awarenessMessage(changed);
    for (const conn of connected) conn.send(message);
  };

  private awarenessMessage(clients: number[]): Uint8Array {
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, MESSAGE_AWARENESS);
    encoding.writeVarUint8Array(
      encoder,
      awarenessProtocol.encodeAwarenessUpdate(this.awareness, clients),
    );
    return encoding.toUint8Array(encoder);
  }

  /**
   * Sends our state vector again so each Outpost peer returns anything we are missing (and
   * learns what we hold); a stock peer is asked in pieces for what it is known to hold beyond us.
   */
  private compareWithPeers(): void {
    for (const conn of this.conns.values()) {
      if (conn.state === 'connecting') continue;
      if (conn.kind === 'outpost') this.sendStep1(conn, Y.encodeStateVector(this.doc));
      else if (conn.kind === 'stock') this.requestMissing(conn);
    }
  }

  private scheduleStatus(): void {
    if (this.statusTimer || this.listeners.size === 0 || this.destroyed) return;
    this.statusTimer = setTimeout(() => {
      this.statusTimer = null;
      const status = this.status();
      for (const listener of this.listeners) listener(status);
    }, 100);
  }
}

function sameBytes(a: Uint8Array | null, b: Uint8Array): boolean {
  return a !== null && a.length === b.length && a.every((byte, i) => byte === b[i]);
}

function syncMessage(step: number, payload: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_SYNC);
  encoding.writeVarUint(encoder, step);
  encoding.writeVarUint8Array(encoder, payload);
  return encoding.toUint8Array(encoder);
}
