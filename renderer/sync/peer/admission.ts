/**
 * Which peers may exchange changes with this device (docs/PROTOCOL.md §5.4, "Device proof"). With
 * a {@link PeerAuth}, hellos carry a fresh nonce and each side proves its device signing key over
 * both nonces before any sync message; a peer whose key a counted removal revoked is refused,
 * and so is, once the team has removed someone, a peer that proves no key (a stock y-webrtc client
 * or an Outpost from before proofs). A key the document does not list yet (a teammate who just
 * joined and has not written their member entry) is let in: removal revokes keys, it does not
 * allow-list them. Without a PeerAuth every peer is let in, as before.
 */
import type { DeviceSigner } from '../../../shared/protocol/identity';
import {
  PEER_NONCE_BYTES,
  signPeerProof,
  verifyPeerProof,
} from '../../../shared/protocol/peerProof';
import type { PeerEndpoint } from './endpoint';
import { inviteRefusalMessage, proofMessage } from './wire';

/** Why a device is refused, and what it is told first (the invite use that came before its own). */
export interface PeerRefusal {
  readonly reason: string;
  /** A use of an invite as JSON, sent to the peer before it is dropped; null: nothing to say. */
  readonly firstUse: string | null;
}

export interface PeerAuth {
  /** The workspace id the proofs are bound to. */
  readonly workspace: string;
  readonly signer: Pick<DeviceSigner, 'key' | 'sign'>;
  /** This device's signed use of the restricted invite it joined with (JSON), shown in its proof. */
  readonly inviteUse: string | null;
  /**
   * Why the device with this key is refused (it was removed, or joined with an invite someone
   * used first or that had expired, judged with the use it presented), or null when it may connect.
   */
  refusal(deviceKey: string, presentedUse: string | null): PeerRefusal | null;
  /** Why a peer that proves no device key is refused, or null while such peers are let in. */
  unprovenRefusal(): string | null;
  /** A peer refusing us sent the use of our invite that came first (JSON). */
  inviteRefused(use: string): void;
}

export const REFUSED_BAD_PROOF = 'refused: its device proof does not verify';
export const REFUSED_EARLY_SYNC = 'refused: sent changes before proving its device';

/** Awareness updates kept from a peer until it has proved its device. */
const MAX_HELD_AWARENESS = 16;

/** A decision: null lets the peer in (or keeps waiting for its proof), a text refuses it. */
export type Refusal = string | null;

export class Admission {
  constructor(private readonly auth: PeerAuth | null) {}

  /** Whether hellos carry a nonce and peers are asked for a proof. */
  get proves(): boolean {
    return this.auth !== null;
  }

  /** The peer said hello, with a nonce (it proves its key) or without (an earlier Outpost). */
  hello(conn: PeerEndpoint, nonce: Uint8Array | null): Refusal {
    if (this.auth && nonce?.length === PEER_NONCE_BYTES) {
      conn.theirNonce = nonce;
      return null; // its proof follows
    }
    return this.unproven(conn);
  }

  /** The peer's first message was not a hello: a stock y-webrtc client. */
  stock(conn: PeerEndpoint): Refusal {
    return this.unproven(conn);
  }

  /** Our proof for this connection, sent right after the peer's hello v2; null when not asked. */
  ourProof(conn: PeerEndpoint): Uint8Array | null {
    if (!this.auth || !conn.theirNonce) return null;
    const { signer, workspace } = this.auth;
    const signature = signPeerProof(signer, {
      workspace,
      signerNonce: conn.nonce,
      verifierNonce: conn.theirNonce,
    });
    return proofMessage(signer.key, signature, this.auth.inviteUse);
  }

  /** The peer's proof arrived; `undefined` when it was not expected (ignored). */
  proof(
    conn: PeerEndpoint,
    key: string,
    signature: string,
    use: string | null,
  ): Refusal | undefined {
    if (!this.auth || conn.admitted || !conn.theirNonce) return undefined;
    const context = {
      workspace: this.auth.workspace,
      signerNonce: conn.theirNonce,
      verifierNonce: conn.nonce,
      key,
    };
    if (!verifyPeerProof(context, signature)) return REFUSED_BAD_PROOF;
    const refusal = this.auth.refusal(key, use);
    if (refusal) {
      // It learns why before it is dropped: it receives nothing of the document, but can check
      // the signed use that came first and tell its person (docs/PROTOCOL.md §5.4).
      if (refusal.firstUse !== null) conn.parting = inviteRefusalMessage(refusal.firstUse);
      return refusal.reason;
    }
    conn.deviceKey = key;
    conn.inviteUse = use;
    conn.admitted = true;
    return null;
  }

  /** Keeps an awareness update from a peer not yet admitted; false when it sent too many. */
  holdAwareness(conn: PeerEndpoint, update: Uint8Array): boolean {
    if (conn.heldAwareness.length >= MAX_HELD_AWARENESS) return false;
    conn.heldAwareness.push(update);
    return true;
  }

  /**
   * Decides again for a peer already let in (a removal, or an earlier use of its invite, arrived
   * since). It is told through the document, which it goes on receiving for a moment.
   */
  review(conn: PeerEndpoint): Refusal {
    if (!this.auth || !conn.admitted) return null;
    return conn.deviceKey !== null
      ? (this.auth.refusal(conn.deviceKey, conn.inviteUse)?.reason ?? null)
      : this.auth.unprovenRefusal();
  }

  /** A peer says our invite was used first by another device; the document decides. */
  inviteRefused(use: string): void {
    this.auth?.inviteRefused(use);
  }

  private unproven(conn: PeerEndpoint): Refusal {
    const refusal = this.auth?.unprovenRefusal() ?? null;
    if (!refusal) conn.admitted = true;
    return refusal;
  }
}
