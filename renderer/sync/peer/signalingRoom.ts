/**
 * The room on the signaling servers: which servers we are subscribed through, who is announced
 * there, and the WebRTC handshakes with them. It seals and opens every signaling message with the
 * room key (in order), decides who offers, settles glare the way y-webrtc does, gives up
 * handshakes that never complete and keeps the connection limit. Connections it made report back
 * through the callbacks given at construction: connected, data, to be dropped, state changed.
 *
 * It can be in several rooms (topics) at once, each with its own key: room names change every
 * week, and near the change a peer is in this week's and last week's room (roomEpoch.ts). A peer
 * is one peer whichever room it is heard in; a handshake continues in the room it started in.
 */
import {
  deriveSignalingKey,
  openSignal,
  sealSignal,
  type SignalingKey,
} from '../../../shared/protocol/signalingCrypto';
import { PendingHandshakes, type Clock, type HandshakeEnd } from './handshakes';
import { SignalFreshness, type Stamped } from './signalFreshness';
import { PeerConn } from './peerConnection';
import { SignalingSocket } from './signalingSocket';
import type { IceServer, SignalingState, WebSocketConstructor, WireCounters } from './types';

/** Largest signaling frame read; anything longer is not one of ours. */
const MAX_SIGNALING_FRAME = 1024 * 1024;
/** Servers opening within this time carry one announcement between them (see announce()). */
const ANNOUNCE_COPIES_MS = 5000;

export interface SignalingRoomOptions {
  /** The room to be in from the start; {@link SignalingRoom.setRooms} changes the set. */
  readonly roomName: string;
  readonly password: string;
  /** Our id in the room. */
  readonly peerId: string;
  readonly signaling: readonly string[];
  readonly iceServers: readonly IceServer[];
  readonly relayOnly: boolean;
  readonly wrtc: unknown;
  readonly WebSocket: WebSocketConstructor;
  readonly maxConns: number;
  readonly handshakeTimeoutMs: number;
  readonly clock: Clock;
  /** Time of day for `connectedAt`. */
  readonly now: () => number;
  /** Where undecryptable signaling messages are counted. */
  readonly wire: WireCounters;
  /** Peers not to connect to again (refused at the handshake: admission.ts). */
  readonly ignores?: (peerId: string) => boolean;
}

export interface SignalingRoomEvents {
  /** A connection completed and counts against the limit. */
  readonly connected: (conn: PeerConn) => void;
  readonly data: (conn: PeerConn, data: Uint8Array) => void;
  /** A connection must go with everything held for it (closed by the peer, over the limit). */
  readonly drop: (conn: PeerConn) => void;
  /** Signaling or connection state changed (for the status). */
  readonly changed: () => void;
  readonly log: (message: string) => void;
}

export class SignalingRoom {
  private readonly options: SignalingRoomOptions;
  /** The rooms we are in, each with its key once derived (null until then). */
  private readonly rooms = new Map<string, SignalingKey | null>();
  /** The room each connection's handshake runs in. */
  private readonly connRoom = new WeakMap<PeerConn, string>();
  private readonly sockets = new Map<string, SignalingSocket>();
  private readonly conns = new Map<string, PeerConn>();
  private readonly handshakes: PendingHandshakes<PeerConn>;
  private lastGiveUpAnnounce = -Infinity;
  private lastStaleLog = -Infinity;
  private readonly freshness: SignalFreshness;
  /** The stamp our announces carry, and since when (see announce()). */
  private announcement: { readonly stamp: Stamped; readonly at: number } | null = null;
  /** The last signaling message sent / handled; each one waits for the one before. */
  private sealed: Promise<void> = Promise.resolve();
  private opened: Promise<void> = Promise.resolve();
  private shouldConnect = false;
  private signalingUrls: string[];
  /**
   * Settles once the signaling key is derived (or could not be): until then nothing is sent or
   * read. As y-webrtc's `provider.key`, for whoever must not count that time as connecting.
   */
  readonly keyReady: Promise<void>;

  constructor(
    options: SignalingRoomOptions,
    private readonly events: SignalingRoomEvents,
  ) {
    this.options = options;
    this.freshness = new SignalFreshness(() => options.clock.now());
    this.signalingUrls = [...new Set(options.signaling)];
    this.handshakes = new PendingHandshakes(
      { timeoutMs: options.handshakeTimeoutMs, maxPending: options.maxConns },
      options.clock,
      (conn, why) => this.onHandshakeGivenUp(conn, why),
    );
    this.keyReady = this.enter(options.roomName);
  }

  /** The rooms we are in (see {@link setRooms}). */
  get roomNames(): string[] {
    return [...this.rooms.keys()];
  }

  /**
   * Moves to another set of rooms (the week changed): joins the new ones through every server
   * and announces there, leaves the others. Connections made stay up, whichever room they were
   * made in; a handshake still running in a room left ends at its deadline.
   */
  setRooms(names: readonly string[]): void {
    const next = new Set(names);
    for (const name of [...this.rooms.keys()]) {
      if (next.has(name)) continue;
      this.rooms.delete(name);
      if (this.shouldConnect)
        for (const socket of this.sockets.values())
          if (socket.state === 'open') socket.send({ type: 'unsubscribe', topics: [name] });
    }
    for (const name of next) if (!this.rooms.has(name)) void this.enter(name);
  }

  /** Derives a room's key, then (if online) subscribes and announces there through every server. */
  private enter(name: string): Promise<void> {
    this.rooms.set(name, null);
    return deriveSignalingKey(this.options.password, name).then(
      (key) => {
        if (!this.rooms.has(name)) return; // left before its key was ready
        this.rooms.set(name, key);
        if (!this.shouldConnect) return;
        for (const socket of this.sockets.values()) this.joinRoom(socket, name);
        this.events.changed();
      },
      (error: unknown) => this.events.log(`Could not derive the signaling key: ${String(error)}`),
    );
  }

  /** Whether we are looking for peers (false while working offline). */
  get online(): boolean {
    return this.shouldConnect;
  }

  get signaling(): readonly string[] {
    return this.signalingUrls;
  }

  /** Connections, completed or still in their handshake. */
  connections(): IterableIterator<PeerConn> {
    return this.conns.values();
  }

  signalingStatus(): Array<{ url: string; state: SignalingState }> {
    return [...this.sockets.values()].map((socket) => ({ url: socket.url, state: socket.state }));
  }

  /** Subscribes through every signaling server. */
  connect(): void {
    this.shouldConnect = true;
    for (const url of this.signalingUrls) this.openSocket(url);
  }

  /** Leaves the room on every server; the connections are the caller's to drop. */
  disconnect(): void {
    this.shouldConnect = false;
    for (const socket of this.sockets.values()) this.leave(socket);
    this.sockets.clear();
  }

  /** Replaces the set of signaling servers; connections through servers kept stay up. */
  setSignaling(urls: readonly string[]): void {
    const next = [...new Set(urls)];
    this.signalingUrls = next;
    if (!this.shouldConnect) return;
    for (const [url, socket] of this.sockets) {
      if (!next.includes(url)) {
        this.leave(socket);
        this.sockets.delete(url);
      }
    }
    for (const url of next) if (!this.sockets.has(url)) this.openSocket(url);
    this.events.changed();
  }

  /** Forgets a connection being dropped (it no longer counts, nor its handshake). */
  remove(conn: { readonly id: string }): void {
    if (this.conns.get(conn.id) === conn) this.conns.delete(conn.id);
    if (conn instanceof PeerConn) this.handshakes.delete(conn);
  }

  private leave(socket: SignalingSocket): void {
    socket.send({ type: 'unsubscribe', topics: [...this.rooms.keys()] });
    socket.destroy();
  }

  private openSocket(url: string): void {
    const socket = new SignalingSocket(url, this.options.WebSocket, this.options.clock, {
      opened: (opened) => this.onSignalingOpen(opened),
      message: (from, raw) => this.onSignalingMessage(from, raw),
      closed: (wasOpen) => {
        if (wasOpen) this.events.changed();
      },
    });
    this.sockets.set(url, socket);
  }

  private onSignalingOpen(socket: SignalingSocket): void {
    this.events.changed();
    for (const name of this.rooms.keys()) this.joinRoom(socket, name);
  }

  /** Subscribes to a room whose key is ready and announces us there. */
  private joinRoom(socket: SignalingSocket, room: string): void {
    if (!this.rooms.get(room) || socket.state !== 'open') return;
    socket.send({ type: 'subscribe', topics: [room] });
    this.announce(socket, room);
  }

  /**
   * Announces us through `socket`. Servers that open together carry one announcement (one stamp),
   * so a peer that hears it through each of them takes the copies for what they are: had each
   * been an announce of its own, the peer would restart the handshake it had just started for
   * the first (see onSignal), and an answer to the first offer could meet the second. The same
   * goes for the copies in each room we are in.
   */
  private announce(socket: SignalingSocket, room: string): void {
    if (!this.hasRoomForPeer()) return;
    const now = this.options.clock.now();
    if (!this.announcement || now - this.announcement.at > ANNOUNCE_COPIES_MS)
      this.announcement = { stamp: this.freshness.stamp(), at: now };
    this.publish(
      socket,
      room,
      { type: 'announce', from: this.options.peerId },
      this.announcement.stamp,
    );
  }

  /** A new announcement, through every server (after a connection closed or was given up). */
  private announceEverywhere(): void {
    this.announcement = null;
    for (const socket of this.sockets.values())
      for (const [room, key] of this.rooms)
        if (key && socket.state === 'open') this.announce(socket, room);
  }

  /** Seals and publishes a signaling message in the room. */
  private publish(
    socket: SignalingSocket,
    room: string,
    data: Record<string, unknown>,
    stamp: Stamped = this.freshness.stamp(),
  ): void {
    const key = this.rooms.get(room);
    if (!key) return;
    // Sealing is asynchronous and may finish out of order (WebCrypto runs on a thread pool), so
    // without this an ICE candidate could overtake its offer, or an announce the offer before it.
    // A stock y-webrtc peer creates a connection on any signal addressed to it and never gives
    // one up, so order matters: messages leave in the order they were made.
    const sealing = sealSignal(key, { ...data, ...stamp });
    this.sealed = this.sealed
      .then(() => sealing)
      .then(
        (sealed) => socket.send({ type: 'publish', topic: room, data: sealed }),
        (error: unknown) => this.events.log(`Could not seal a signaling message: ${String(error)}`),
      );
  }

  private onSignalingMessage(socket: SignalingSocket, raw: string): void {
    if (raw.length > MAX_SIGNALING_FRAME) return;
    let frame: unknown;
    try {
      frame = JSON.parse(raw);
    } catch {
      return;
    }
    if (
      typeof frame !== 'object' ||
      frame === null ||
      (frame as { type?: unknown }).type !== 'publish'
    ) {
      return;
    }
    const room = (frame as { topic?: unknown }).topic;
    const key = typeof room === 'string' ? this.rooms.get(room) : undefined;
    if (!key || typeof room !== 'string') return;
    // Handled in the order received (opened concurrently), for the reason given in publish().
    const opening = openSignal(key, (frame as { data?: unknown }).data);
    this.opened = this.opened.then(async () => {
      const data = await opening;
      if (data === undefined) {
        this.options.wire.undecryptable++;
        return;
      }
      try {
        this.onSignal(socket, room, data);
      } catch (error) {
        this.events.log(`Ignored a bad signaling message: ${String(error)}`);
      }
    });
  }

  private onSignal(socket: SignalingSocket, room: string, data: unknown): void {
    const peerId = this.options.peerId;
    if (!this.shouldConnect || typeof data !== 'object' || data === null) return;
    const message = data as Record<string, unknown>;
    const from = message.from;
    if (typeof from !== 'string' || from.length === 0 || from.length > 128 || from === peerId)
      return;
    if (message.to !== undefined && message.to !== peerId) return;
    if (this.options.ignores?.(from)) return;
    const verdict = this.freshness.check(message);
    if (verdict !== 'fresh' && verdict !== 'unstamped') {
      this.options.wire.unfresh++;
      // A teammate whose clock is far off is never heard: say why, now and then.
      const now = this.options.clock.now();
      if (verdict === 'stale' && now - this.lastStaleLog > 60_000) {
        this.lastStaleLog = now;
        const minutes = Math.round((now - Number(message.ts)) / 60_000);
        this.events.log(
          `Ignored a peer's signaling message stamped ${Math.abs(minutes)} minutes ${minutes > 0 ? 'ago' : 'ahead'}: check the date and time on both devices.`,
        );
      }
      return;
    }
    if (message.type === 'announce') {
      const known = this.conns.get(from);
      // The peer announcing means it has no connection to us that it is working on (y-webrtc
      // announces when it joins and when one of its connections fails or closes), so a handshake
      // we have with it that has not connected is dead on its side. With a y-webrtc peer on a
      // WebRTC stack without implicit rollback (Node's wrtc) that is how crossing offers end:
      // after we kept ours (won the glare); when ours reached the connection it had just made to
      // offer itself (its own offer then fails, ERR_SET_LOCAL_DESCRIPTION); or when that
      // connection answered ours, offered too, and failed on our answer to its offer (both its
      // and our connection were offering, so they could never carry data). A y-webrtc peer then
      // waits for an offer, so we make one now rather than at the timeout. Once: such a peer
      // announces twice (on the error and on the close), and restarting the fresh handshake too
      // would cross our own offers.
      const lost =
        known?.state === 'connecting' &&
        (known.wonGlare || (!known.restartedOnAnnounce && !(known.initiator && known.answered)));
      if (known && !lost) return;
      if (known) {
        this.events.log(
          `Peer ${from.slice(0, 8)} announced while our handshake with it was in progress: starting a new one.`,
        );
        this.forget(known);
      }
      if (this.hasRoomForPeer())
        this.startConn(from, socket, room, true).restartedOnAnnounce = lost;
      return;
    }
    if (message.type !== 'signal' || typeof message.signal !== 'object' || message.signal === null)
      return;
    const signal = message.signal as { type?: unknown };
    if (message.to !== peerId) return;
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
    if (signal.type === 'answer' && conn) {
      conn.glareToken = undefined;
      conn.answered = true;
    }
    if (!conn) {
      // Only an offer starts a connection: an answer or a candidate for a connection we no longer
      // have (given up, or replayed by someone) would only make an entry that never completes.
      if (signal.type !== 'offer' || !this.hasRoomForPeer()) return;
      conn = this.startConn(from, socket, room, false);
    }
    conn.peer.signal(signal);
  }

  /** Whether a new peer may connect: the limit counts working connections, not handshakes. */
  private hasRoomForPeer(): boolean {
    let working = 0;
    for (const conn of this.conns.values()) if (conn.state !== 'connecting') working++;
    return working < this.options.maxConns;
  }

  private startConn(
    id: string,
    socket: SignalingSocket,
    room: string,
    initiator: boolean,
  ): PeerConn {
    const { iceServers, relayOnly, wrtc, clock } = this.options;
    const conn = new PeerConn(
      id,
      socket,
      initiator,
      { iceServers, relayOnly, wrtc, clock },
      {
        signal: (from, signal) => this.relaySignal(from, signal),
        connect: (connected) => this.onPeerConnect(connected),
        data: (from, data) => this.events.data(from, data),
        close: (closed) => this.onPeerClose(closed),
        error: (failed, error) =>
          this.events.log(`Connection to peer ${failed.id.slice(0, 8)} failed: ${error.message}`),
        sent: (bytes) => {
          this.options.wire.bytesOut += bytes;
          this.options.wire.framesOut++;
        },
        log: this.events.log,
      },
    );
    this.connRoom.set(conn, room);
    this.conns.set(id, conn);
    this.handshakes.add(conn);
    this.events.changed();
    return conn;
  }

  /** Publishes what simple-peer made, with our glare token (y-webrtc's: time plus a random). */
  private relaySignal(conn: PeerConn, signal: unknown): void {
    if (conn.glareToken === undefined) conn.glareToken = this.options.clock.now() + Math.random();
    this.publish(conn.socket, this.connRoom.get(conn) ?? this.options.roomName, {
      to: conn.id,
      from: this.options.peerId,
      type: 'signal',
      token: conn.glareToken,
      signal,
    });
  }

  /** Closes a connection that is being replaced or given up, before it ever carried anything. */
  private forget(conn: PeerConn): void {
    this.remove(conn);
    conn.destroy();
    this.events.changed();
  }

  private onHandshakeGivenUp(conn: PeerConn, why: HandshakeEnd): void {
    if (conn.closed) return;
    this.events.log(`Gave up connecting to peer ${conn.id.slice(0, 8)}: the handshake ${why}.`);
    this.forget(conn);
    // As after a closed connection: if that peer is alive after all, it starts a fresh handshake.
    // Once per timeout period at most: handshakes given up together (replayed announces, a churn
    // of departed peers) would announce once each, and every announce makes each peer not
    // connected to us start a handshake, crossing the one it may be starting already.
    if (why !== 'timed out' || !this.shouldConnect) return;
    const now = this.options.clock.now();
    if (now - this.lastGiveUpAnnounce < this.options.handshakeTimeoutMs) return;
    this.lastGiveUpAnnounce = now;
    this.announceEverywhere();
  }

  private onPeerConnect(conn: PeerConn): void {
    this.handshakes.delete(conn);
    if (!this.hasRoomForPeer()) {
      // Handshakes run in parallel; the one completing after the limit was reached goes.
      this.events.log(
        `Disconnected peer ${conn.id.slice(0, 8)}: already connected to ${this.options.maxConns}.`,
      );
      this.events.drop(conn);
      return;
    }
    conn.state = 'connected';
    conn.connectedAt = this.options.now();
    this.events.connected(conn);
  }

  private onPeerClose(conn: PeerConn): void {
    if (conn.closed) return; // closed by us (replaced, dropped or disconnected)
    this.events.drop(conn);
    // Let peers (and this one, if it comes back) find each other again, as y-webrtc does.
    if (this.shouldConnect) this.announceEverywhere();
  }
}
