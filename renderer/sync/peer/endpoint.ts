/**
 * One peer as the message handling sees it: what it sent, how it behaved, what it is known to
 * hold, and where replies go. The parts of the provider each keep their per-peer state here.
 */
import { Reassembler } from '../../../shared/protocol/frames';
import { peerNonce } from '../../../shared/protocol/peerProof';
import type { AnswerStream } from './answerStream';
import type { LazyPeer } from './lazyPeer';
import { PendingUpdates } from './pendingUpdates';
import type { PieceFetch } from './pieceFetch';
import type { PeerKind, PeerState } from './types';

/**
 * `PeerConn` (peerConnection.ts) is the real one, a WebRTC data channel; tests drive
 * `PeerSync.onPeerData` with their own subclass to exercise the handling of what peers send
 * without WebRTC.
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
  /** Our answer to an Outpost peer's state vector while pieces of it are still to go. */
  answer: AnswerStream | null = null;
  readonly clients = new Set<number>();
  readonly reassembler = new Reassembler();
  /**
   * Decided by the first message: Outpost's hello, or anything else (a stock y-webrtc client,
   * whose first message is its state vector).
   */
  kind: PeerKind = 'unknown';
  /** Our hello is queued: it must be the first message the peer gets from us (see `kind`). */
  saidHello = false;
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
  /** Our hello's nonce on this connection, which the peer's device proof signs (admission.ts). */
  readonly nonce = peerNonce();
  /** The nonce in the peer's hello, once it asked for our proof. */
  theirNonce: Uint8Array | null = null;
  /** The peer may exchange changes with us: it proved a key not revoked, or needs no proof. */
  admitted = false;
  /** A removal revoked the peer while connected: it is ignored, and dropped in a moment. */
  leaving = false;
  /** The device key the peer proved. */
  deviceKey: string | null = null;
  /** The use of a restricted invite the peer presented with its proof (JSON), if any. */
  inviteUse: string | null = null;
  /** Refused at its proof: what it is sent before it is dropped (why, admission.ts). */
  parting: Uint8Array | null = null;
  /** Refused, and dropped in a moment: nothing it sends is read, nothing is sent to it. */
  ignored = false;
  /** Awareness updates that arrived before the peer proved its device. */
  heldAwareness: Uint8Array[] = [];
  /**
   * Presence that arrived before the message telling whether the peer is Outpost or stock (a
   * hello, or a stock client's state vector): read once that message has been (inboundFlow.ts).
   */
  beforeHello: Uint8Array[] = [];
  /** Our answer to the peer's first state vector has gone (the root reached it, as far as we send). */
  rootAnswered = false;
  /** The lazy-document exchange with the peer, when both hellos said they speak it (lazySync.ts). */
  lazy: LazyPeer | null = null;

  constructor(readonly id: string) {}

  /** Queues a message for the peer; `onSent` runs once it has been handed to the channel. */
  abstract send(message: Uint8Array, onSent?: () => void): void;
  abstract destroy(): void;
}
