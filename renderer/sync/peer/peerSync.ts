/**
 * Outpost's peer-to-peer sync provider for one team workspace: it finds peers through y-webrtc
 * signaling servers, connects to them with WebRTC (simple-peer) and keeps the workspace's Y.Doc and
 * awareness in sync with each of them. It speaks y-webrtc's wire protocol (docs/PROTOCOL.md,
 * "Sync"), so a stock y-webrtc client holding the invite meets Outpost peers, and adds what stock
 * y-webrtc lacks:
 * - large messages (a whole workspace sent to a fresh peer) travel as chunk frames with
 *   back-pressure, since data channels drop oversized messages silently (peerConnection.ts);
 * - a stock y-webrtc peer, which can neither send nor receive a message over 256 KiB nor
 *   reassemble chunks, is asked for its state in pieces (pieceFetch.ts) and answered in pieces
 *   (pieceAnswer.ts);
 * - an Outpost peer is answered in pieces too, each applicable on arrival and paced by what the
 *   peer says it applied, so a fresh peer joining a large workspace never holds more than a few
 *   MiB of it unapplied (answerStream.ts, piecesInOrder.ts);
 * - "in sync" is known, not assumed: from what each peer says it holds (state vectors, have
 *   messages, the updates it sends), never from what was handed to a channel (sharedState.ts);
 * - updates whose dependencies are missing wait in bounded per-peer buffers (pendingUpdates.ts)
 *   and what all peers make us hold is bounded in total (inboundBudget.ts);
 * - signaling servers can be added and removed while running (LAN servers come and go with mDNS);
 * - a remote update is never echoed back to the peers (full mesh), so the wire carries each diff
 *   once;
 * - incoming messages are applied in time-boxed batches, so a peer flooding updates cannot freeze
 *   the UI, and a peer sending garbage is counted and then dropped, never crashing anything
 *   (inboundFlow.ts);
 * - handshakes that never complete (a peer that left midway, an announce replayed by anyone who
 *   can reach a signaling server) are given up after a deadline, and the connection limit counts
 *   only working connections, so such leftovers cannot lock new peers out (signalingRoom.ts);
 * - per-peer state (connected, synced, what each side still lacks, what cannot be received, last
 *   synced, bytes) and what this device has not yet shared with anyone;
 * - with a `lazyDocs` port, a workspace's lazy documents (note bodies stored apart from the root)
 *   are exchanged with Outpost peers that speak them, after the root, paced (lazySync.ts).
 *
 * This file is the facade: it builds the parts, wires their callbacks, sends local changes and
 * reports the status. Runs in the renderer and, for tests and benchmarks, in Node (pass
 * `WebSocket` and `wrtc`).
 */
import type * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import type { Awareness } from 'y-protocols/awareness';
import { Admission, type PeerAuth } from './admission';
import type { AnswerLimits } from './answerStream';
import { PeerEndpoint } from './endpoint';
import { systemClock, type Clock } from './handshakes';
import { InboundFlow } from './inboundFlow';
import type { InboundLimits } from './inboundBudget';
import type { LazyDocs } from './lazyDocs';
import { LazySync, type LazyLimits } from './lazySync';
import type { PendingLimits } from './pendingUpdates';
import type { PeerConn } from './peerConnection';
import { SharedState } from './sharedState';
import { SignalingRoom } from './signalingRoom';
import { stateVectorOf, type StateVector } from './stateVectors';
import {
  emptyWireCounters,
  type IceServer,
  type LazyProgress,
  type PeerSyncState,
  type PeerSyncStatus,
  type WebSocketConstructor,
  type WireStats,
} from './types';
import { awarenessMessage, updateMessage } from './wire';

// What callers name together with the provider.
export { PeerEndpoint } from './endpoint';
export type { PeerAuth } from './admission';
export { MAX_MESSAGES_PER_SLICE } from './inboundFlow';
export type { LazyDocs, LazyDocVector } from './lazyDocs';
export type { LazyLimits } from './lazySync';
export type {
  IceServer,
  LazyProgress,
  PeerInfo,
  PeerState,
  PeerSyncStatus,
  SignalingState,
  WebSocketConstructor,
  WireStats,
} from './types';

/**
 * Which signaling rooms to be in over time (room names change every week: roomEpoch.ts). The
 * provider asks again when {@link nextChangeAt} says, and at least every
 * {@link ROOM_RECHECK_MS}, so a laptop waking from sleep in a new week moves soon.
 */
export interface RoomSchedule {
  /** The room names for the time of day `ms`, the one to be in first. */
  roomsAt(ms: number): Promise<string[]>;
  /** When the names of {@link roomsAt} next change. */
  nextChangeAt(ms: number): number;
}

/** Longest wait between two looks at the room schedule (timers do not run while asleep). */
export const ROOM_RECHECK_MS = 10 * 60 * 1000;

export interface PeerSyncOptions {
  readonly doc: Y.Doc;
  readonly awareness: Awareness;
  /** The derived room name to start in (shared/protocol/roomEpoch.ts). */
  readonly roomName: string;
  /** Moves between rooms as time passes; without it the provider stays in {@link roomName}. */
  readonly rooms?: RoomSchedule;
  /** The derived y-webrtc password. */
  readonly password: string;
  /** Signaling server URLs (ws:// or wss://); can be changed later with {@link PeerSync.setSignaling}. */
  readonly signaling?: readonly string[];
  /** STUN/TURN servers; empty means host candidates only (LAN). */
  readonly iceServers?: readonly IceServer[];
  /**
   * Connect only through TURN relays (`iceTransportPolicy: 'relay'`): peers never learn this
   * device's addresses, at the cost of every byte going through the TURN server.
   */
  readonly relayOnly?: boolean;
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
  /** Time and timers (handshake deadlines, reconnects, batching); tests may pass a fake. */
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
  /** The pieces Outpost peers are answered in, and how many bytes of them are out at once (tests lower it). */
  readonly answerLimits?: AnswerLimits;
  /**
   * This device's key and who may connect: peers prove their device keys and removed devices are
   * refused (admission.ts). Without it every peer is let in and none is asked for a proof.
   */
  readonly auth?: PeerAuth;
  /**
   * The workspace's lazy documents (lazyDocs.ts): exchanged with Outpost peers whose hello says
   * they speak them. Without it the provider exchanges the root only, as before.
   */
  readonly lazyDocs?: LazyDocs;
  /** How lazy-document answers are batched and paced (tests lower it). */
  readonly lazyLimits?: LazyLimits;
}

/** How long a peer revoked while connected still receives what we send before it is dropped. */
const REVOKED_GRACE_MS = 2_000;
/** Refused peers the status lists, newest first. */
const MAX_REFUSED_SHOWN = 8;

type Listener = (status: PeerSyncStatus) => void;

/** Status listeners hear at most this often. */
const STATUS_INTERVAL_MS = 100;

function randomId(): string {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** The sync provider of one workspace. */
export class PeerSync {
  readonly doc: Y.Doc;
  readonly awareness: Awareness;
  readonly roomName: string;
  readonly peerId = randomId();
  readonly log: (message: string) => void;
  private readonly now: () => number;
  private readonly clock: Clock;
  private readonly antiEntropyMs: number;
  private readonly wire = emptyWireCounters();
  private readonly room: SignalingRoom;
  private readonly shared: SharedState;
  private readonly inbound: InboundFlow;
  private readonly admission: Admission;
  private readonly lazy: LazySync | null;
  private refused: PeerSyncStatus['refused'] = [];
  /** Every peer refused since start: the room never connects to them again. */
  private readonly refusedIds = new Set<string>();
  private readonly listeners = new Set<Listener>();
  private statusTimer: unknown = null;
  private antiEntropy: unknown = null;
  private roomTimer: unknown = null;
  private destroyed = false;

  constructor(options: PeerSyncOptions) {
    this.doc = options.doc;
    this.awareness = options.awareness;
    this.roomName = options.roomName;
    const Socket = options.WebSocket ?? (globalThis.WebSocket as WebSocketConstructor | undefined);
    if (!Socket) throw new Error('No WebSocket implementation: pass options.WebSocket.');
    this.now = options.now ?? Date.now;
    this.clock = options.clock ?? systemClock;
    this.antiEntropyMs = options.antiEntropyMs ?? 60_000;
    this.log = options.log ?? (() => {});
    const log = this.log;
    const changed = () => {
      this.lazy?.checkReady(() => stateVectorOf(this.doc));
      this.scheduleStatus();
    };
    const drop = (conn: PeerEndpoint) => this.dropConn(conn);
    this.admission = new Admission(options.auth ?? null);
    this.room = new SignalingRoom(
      {
        roomName: options.roomName,
        password: options.password,
        peerId: this.peerId,
        signaling: options.signaling ?? [],
        iceServers: options.iceServers ?? [],
        relayOnly: options.relayOnly ?? false,
        wrtc: options.wrtc,
        WebSocket: Socket,
        maxConns: options.maxConns ?? 30,
        handshakeTimeoutMs: options.handshakeTimeoutMs ?? 20_000,
        clock: this.clock,
        now: this.now,
        wire: this.wire,
        ignores: (peerId) => this.refusedIds.has(peerId),
      },
      {
        connected: (conn) => this.onPeerConnected(conn),
        data: (conn, data) => this.inbound.receive(conn, data),
        drop,
        changed,
        log,
      },
    );
    this.shared = new SharedState(
      {
        doc: this.doc,
        sharedStateVector: options.sharedStateVector,
        clock: this.clock,
        now: this.now,
        proves: this.admission.proves,
        answerLimits: options.answerLimits,
        lazy: options.lazyDocs !== undefined,
      },
      {
        peers: () => this.room.connections(),
        reject: (conn, reason) => this.inbound.reject(conn, reason),
        changed,
        log,
      },
    );
    this.lazy = options.lazyDocs
      ? new LazySync(
          { lazyDocs: options.lazyDocs, limits: options.lazyLimits },
          {
            reject: (conn, reason, immediately) => this.inbound.reject(conn, reason, immediately),
            account: (conn) => this.inbound.recount(conn),
            changed,
            log,
          },
        )
      : null;
    this.inbound = new InboundFlow(
      {
        doc: this.doc,
        awareness: this.awareness,
        origin: this,
        shared: this.shared,
        admission: this.admission,
        wire: this.wire,
        clock: this.clock,
        now: this.now,
        inboundLimits: options.inboundLimits,
        pendingLimits: options.pendingLimits,
        lazy: this.lazy,
      },
      { drop, refuse: (conn, reason) => this.refuse(conn, reason), changed, log },
    );
    this.doc.on('update', this.onDocUpdate);
    this.awareness.on('update', this.onAwarenessUpdate);
    this.connect();
    if (options.rooms) this.followRooms(options.rooms);
  }

  /** The signaling rooms this provider is in (two near a week's change). */
  get roomNames(): string[] {
    return this.room.roomNames;
  }

  /** Moves to the rooms `schedule` names now, and again whenever they change. */
  private followRooms(schedule: RoomSchedule): void {
    const now = this.now();
    schedule.roomsAt(now).then(
      (names) => {
        if (!this.destroyed && names.length > 0) this.room.setRooms(names);
      },
      (error: unknown) => this.log(`Could not derive this week's room: ${String(error)}`),
    );
    const wait = Math.min(Math.max(schedule.nextChangeAt(now) - now, 0), ROOM_RECHECK_MS);
    this.roomTimer = this.clock.setTimeout(() => {
      this.roomTimer = null;
      if (!this.destroyed) this.followRooms(schedule);
    }, wait);
  }

  /** Starts looking for peers (the default after construction). */
  connect(): void {
    if (this.destroyed || this.room.online) return;
    this.room.connect();
    this.scheduleAntiEntropy();
    this.scheduleStatus();
  }

  /** Closes every peer connection and signaling socket (working offline); {@link connect} resumes. */
  disconnect(): void {
    if (!this.room.online) return;
    if (this.antiEntropy !== null) this.clock.clearTimeout(this.antiEntropy);
    this.antiEntropy = null;
    this.room.disconnect();
    for (const conn of [...this.room.connections()]) this.dropConn(conn);
    this.inbound.clear();
    this.scheduleStatus();
  }

  /** Replaces the set of signaling servers; connections through servers kept stay up. */
  setSignaling(urls: readonly string[]): void {
    this.room.setSignaling(urls);
  }

  /** Settles once the signaling key is derived: connecting starts for real from then on. */
  get keyReady(): Promise<void> {
    return this.room.keyReady;
  }

  get signaling(): readonly string[] {
    return this.room.signaling;
  }

  status(): PeerSyncStatus {
    const ours = stateVectorOf(this.doc);
    return {
      online: this.room.online,
      signaling: this.room.signalingStatus(),
      peers: [...this.room.connections()].map((conn) => ({
        id: conn.id,
        ...this.syncState(conn, ours),
        clients: [...conn.clients],
        connectedAt: conn.connectedAt,
        lastSyncedAt: conn.lastSyncedAt,
        bytesIn: conn.bytesIn,
        bytesOut: conn.bytesOut,
        queuedBytes: conn.queuedBytes,
        via: conn.socket.url,
        ...(this.lazy ? { lazyDocs: this.lazy.progress(conn) } : {}),
      })),
      refused: this.refused,
    };
  }

  /**
   * Decides again about every connected peer, after the document's removals changed: a peer whose
   * device was removed since it connected is refused now.
   */
  reviewPeers(): void {
    for (const conn of [...this.room.connections()]) this.reviewPeer(conn);
  }

  /** @internal Decides again about one peer (tests call it for their own peers). */
  reviewPeer(conn: PeerEndpoint): void {
    const refusal = this.admission.review(conn);
    if (!refusal || conn.leaving) return;
    // Nothing it sends counts from now on, but it is dropped only after a moment: the removal
    // that revoked it is being sent to it too, so that it learns it was removed (§8.7).
    conn.admitted = false;
    conn.leaving = true;
    this.clock.setTimeout(() => {
      if (!conn.closed) this.refuse(conn, refusal);
    }, REVOKED_GRACE_MS);
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
    return this.shared.sharedStateVector();
  }

  onShared(listener: (stateVector: Uint8Array) => void): () => void {
    return this.shared.onShared(listener);
  }

  /**
   * What this device holds that no peer is known to have: the number of Yjs items (characters,
   * map entries…) and the size of the update that would carry them.
   */
  unshared(): { readonly items: number; readonly bytes: number } {
    return this.shared.unshared();
  }

  /**
   * Asks every Outpost peer that speaks lazy documents for document `id` now, ahead of the
   * background exchange (a note opened on a fresh device arrives first); a peer connecting later
   * is asked for the 16 latest right after the root.
   */
  wantLazyDoc(id: string): void {
    this.lazy?.want(id);
  }

  destroy(): void {
    if (this.destroyed) return;
    this.disconnect();
    this.destroyed = true;
    this.lazy?.destroy();
    this.doc.off('update', this.onDocUpdate);
    this.awareness.off('update', this.onAwarenessUpdate);
    this.inbound.destroy();
    if (this.statusTimer !== null) this.clock.clearTimeout(this.statusTimer);
    if (this.roomTimer !== null) this.clock.clearTimeout(this.roomTimer);
    this.shared.destroy();
    this.listeners.clear();
  }

  /** @internal Handles one data-channel message from `conn` (tests call it directly). */
  onPeerData(conn: PeerEndpoint, data: Uint8Array): void {
    this.inbound.receive(conn, data);
  }

  /** @internal The peer's channel closed: it is dropped everywhere (tests call it for their own peers). */
  onPeerClosed(conn: PeerEndpoint): void {
    this.dropConn(conn);
  }

  /** @internal How the lazy-document exchange with a peer stands (tests read it for their own peers). */
  lazyProgress(conn: PeerEndpoint): LazyProgress | null {
    return this.lazy?.progress(conn) ?? null;
  }

  /** @internal Where a peer stands: see {@link PeerInfo} (tests read it for their own peers). */
  syncState(conn: PeerEndpoint, ours?: StateVector): PeerSyncState {
    return this.shared.syncState(conn, ours);
  }

  private onPeerConnected(conn: PeerConn): void {
    this.shared.beginSync(conn);
    const states = [...this.awareness.getStates().keys()];
    if (states.length > 0) conn.send(awarenessMessage(this.awareness, states));
    this.scheduleStatus();
  }

  /** Drops `conn` and lists it with the reason, so the person sees who was turned away and why. */
  private refuse(conn: PeerEndpoint, reason: string): void {
    this.log(`Refused peer ${conn.id.slice(0, 8)}: ${reason}.`);
    const entry = { id: conn.id, reason, at: this.now() };
    this.refusedIds.add(conn.id);
    this.refused = [entry, ...this.refused.filter((old) => old.id !== conn.id)].slice(
      0,
      MAX_REFUSED_SHOWN,
    );
    const parting = conn.parting;
    if (parting && !conn.closed) {
      // Told why, then dropped after a moment: closing the connection at once could lose the
      // message. Meanwhile it is not let in, so it gets nothing else and nothing of it is read.
      conn.parting = null;
      conn.ignored = true;
      conn.admitted = false;
      conn.send(parting);
      this.clock.setTimeout(() => {
        if (!conn.closed) this.dropConn(conn);
      }, REVOKED_GRACE_MS);
      this.scheduleStatus();
      return;
    }
    this.dropConn(conn);
  }

  private dropConn(conn: PeerEndpoint): void {
    this.room.remove(conn);
    conn.destroy();
    this.lazy?.release(conn);
    this.inbound.release(conn);
    const clients = [...conn.clients].filter((client) => client !== this.doc.clientID);
    if (clients.length > 0) {
      awarenessProtocol.removeAwarenessStates(this.awareness, clients, conn);
    }
    this.scheduleStatus();
  }

  /**
   * Connected peers let in (admission.ts), which local changes and awareness go to. One not let
   * in yet misses nothing: its state vector, sent after its proof, is answered in full.
   */
  private connected(): PeerConn[] {
    return [...this.room.connections()].filter(
      (conn) => conn.state !== 'connecting' && (conn.admitted || conn.leaving),
    );
  }

  private readonly onDocUpdate = (update: Uint8Array, origin: unknown): void => {
    if (origin === this) return; // remote: every peer got it from its author
    const connected = this.connected();
    if (connected.length === 0) {
      this.scheduleStatus();
      return;
    }
    const message = updateMessage(update);
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
    const connected = this.connected();
    if (changed.length === 0 || connected.length === 0) return;
    const message = awarenessMessage(this.awareness, changed);
    for (const conn of connected) conn.send(message);
  };

  /** Compares state vectors with connected peers every `antiEntropyMs` while online. */
  private scheduleAntiEntropy(): void {
    this.antiEntropy = this.clock.setTimeout(() => {
      this.shared.compareWithPeers();
      if (this.room.online) this.scheduleAntiEntropy();
    }, this.antiEntropyMs);
  }

  private scheduleStatus(): void {
    if (this.statusTimer !== null || this.listeners.size === 0 || this.destroyed) return;
    this.statusTimer = this.clock.setTimeout(() => {
      this.statusTimer = null;
      const status = this.status();
      for (const listener of this.listeners) listener(status);
    }, STATUS_INTERVAL_MS);
  }
}
