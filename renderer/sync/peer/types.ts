/**
 * The sync provider's public types, apart from the parts that fill them in, so every part and
 * every caller can name them without importing the provider itself.
 */

/** The WebSocket constructor to use (the browser's, or `ws` in Node). */
export type WebSocketConstructor = new (url: string) => WebSocket;

export interface IceServer {
  readonly urls: string | readonly string[];
  readonly username?: string;
  readonly credential?: string;
}

export type SignalingState = 'connecting' | 'open' | 'closed';
export type PeerState = 'connecting' | 'connected' | 'synced';
/** `outpost` once it said hello, `stock` for a y-webrtc client (or an older Outpost). */
export type PeerKind = 'unknown' | 'outpost' | 'stock';

export interface PeerInfo {
  readonly id: string;
  /**
   * `synced` only when the peer is known to hold everything this device holds and this device
   * everything the peer is known to hold (state vectors compared), with nothing from it waiting.
   */
  readonly state: PeerState;
  /** `outpost` once it said hello, `stock` for a y-webrtc client (or an older Outpost). */
  readonly kind: PeerKind;
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
  /**
   * How the lazy-document exchange with this peer stands (lazySync.ts); present only when the
   * provider has lazy documents, null for a peer that does not speak them.
   */
  readonly lazyDocs?: LazyProgress | null;
}

/** Where the exchange with one peer stands, for the status. */
export interface LazyProgress {
  /**
   * `waiting` for the root to reach us, `exchanging`, `done` (both sides answered all), or
   * `stopped`: this device could not store or read its lazy documents (its own failure, logged),
   * so the exchange with this peer waits for the next connection.
   */
  readonly phase: 'waiting' | 'exchanging' | 'done' | 'stopped';
  /** Documents the peer holds, by its listing; null until its listing ended. */
  readonly peerHolds: number | null;
  /** Documents this device listed to the peer; null until its listing ended. */
  readonly weHold: number | null;
  /** Documents (answers and live updates) received from the peer and stored. */
  readonly received: number;
  /** Documents sent to the peer in answers. */
  readonly sent: number;
  /** Bytes received from the peer and not yet stored. */
  readonly storing: number;
}

/** Where a peer stands in the sync, as the shared-state bookkeeping works it out. */
export type PeerSyncState = Pick<
  PeerInfo,
  'state' | 'kind' | 'theyLack' | 'weLack' | 'unreceivable' | 'pendingUpdates'
>;

export interface PeerSyncStatus {
  /** False after `PeerSync.disconnect` (the person chose to work offline). */
  readonly online: boolean;
  readonly signaling: ReadonlyArray<{ readonly url: string; readonly state: SignalingState }>;
  readonly peers: readonly PeerInfo[];
  /** Peers turned away at the handshake (admission.ts), newest first, with the reason. */
  readonly refused: ReadonlyArray<{
    readonly id: string;
    readonly reason: string;
    readonly at: number;
  }>;
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
  /** Sealed signaling messages ignored as copies, replays, stale or badly stamped. */
  readonly unfresh: number;
}

/** The counters behind {@link WireStats}; each part adds what passes through it. */
export type WireCounters = { -readonly [K in keyof WireStats]: WireStats[K] };

export function emptyWireCounters(): WireCounters {
  return {
    bytesOut: 0,
    bytesIn: 0,
    framesOut: 0,
    framesIn: 0,
    rejected: 0,
    undecryptable: 0,
    unfresh: 0,
  };
}
