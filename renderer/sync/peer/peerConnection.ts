/**
 * One WebRTC connection to a peer (simple-peer) with its send queue: large messages go as chunk
 * frames, and frames are handed to the data channel only while its buffer is below a high-water
 * mark, since a data channel drops what overflows it silently. What the connection does (signals
 * to relay, connected, data, closed, failed, bytes sent) is reported through the callbacks given.
 */
import Peer, { type SimplePeerInstance } from 'simple-peer/simplepeer.min.js';
import { toFrames } from '../../../shared/protocol/frames';
import { PeerEndpoint } from './endpoint';
import type { Clock } from './handshakes';
import { STOCK_MAX_MESSAGE_BYTES } from './pieceFetch';
import type { SignalingSocket } from './signalingSocket';
import type { IceServer } from './types';

/** Data-channel buffer above which we wait before sending more. */
const SEND_HIGH_WATER = 1024 * 1024;
/** How long to wait for the data channel's buffer to drain below the high-water mark. */
const DRAIN_POLL_MS = 4;

export interface PeerConnEvents {
  /** simple-peer made an offer, answer or candidate to send through signaling. */
  readonly signal: (conn: PeerConn, signal: unknown) => void;
  readonly connect: (conn: PeerConn) => void;
  readonly data: (conn: PeerConn, data: Uint8Array) => void;
  readonly close: (conn: PeerConn) => void;
  readonly error: (conn: PeerConn, error: Error) => void;
  /** A frame of `bytes` was handed to the data channel. */
  readonly sent: (bytes: number) => void;
  readonly log: (message: string) => void;
}

export interface PeerConnOptions {
  readonly iceServers: readonly IceServer[];
  /** Connect only through the TURN servers among `iceServers` (hides this device's addresses). */
  readonly relayOnly: boolean;
  /** Node only: @roamhq/wrtc. */
  readonly wrtc: unknown;
  readonly clock: Clock;
}

export class PeerConn extends PeerEndpoint {
  readonly peer: SimplePeerInstance;
  /** Our offer's token in a glare (signalingRoom.ts), from our first signal on. */
  glareToken: number | undefined;
  /** We kept our offer over a crossing one from this peer (see signalingRoom.ts `onSignal`). */
  wonGlare = false;
  /** The peer answered our offer. */
  answered = false;
  /** Made because the peer announced during our earlier handshake with it (signalingRoom.ts). */
  restartedOnAnnounce = false;
  connectedAt: number | null = null;
  bytesOut = 0;
  queuedBytes = 0;
  private readonly queue: Uint8Array[] = [];
  private pumping = false;
  private nextMessageId = 0;
  private drainedCallbacks: Array<() => void> = [];
  private readonly clock: Clock;

  constructor(
    id: string,
    /** The signaling server through which the connection is negotiated. */
    readonly socket: SignalingSocket,
    readonly initiator: boolean,
    options: PeerConnOptions,
    private readonly events: PeerConnEvents,
  ) {
    super(id);
    this.clock = options.clock;
    this.peer = new Peer({
      initiator,
      trickle: true,
      config: {
        iceServers: options.iceServers.map((server) => ({ ...server })),
        iceTransportPolicy: options.relayOnly ? 'relay' : 'all',
      },
      ...(options.wrtc ? { wrtc: options.wrtc } : {}),
    });
    this.peer.on('signal', (signal) => events.signal(this, signal));
    this.peer.on('connect', () => events.connect(this));
    this.peer.on('data', (data) => events.data(this, data));
    this.peer.on('close', () => events.close(this));
    this.peer.on('error', (error) => events.error(this, error));
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
          this.clock.setTimeout(() => this.pump(), DRAIN_POLL_MS);
          return;
        }
        const frame = this.queue.shift()!;
        this.queuedBytes -= frame.length;
        this.peer.send(frame);
        this.bytesOut += frame.length;
        this.events.sent(frame.length);
      }
    } catch (error) {
      this.events.log(`Sending to a peer failed: ${String(error)}`);
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
