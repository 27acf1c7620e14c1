/**
 * A peer's proof of its device signing key on one data-channel connection (docs/PROTOCOL.md §5.4,
 * "Device proof"). Each side's hello carries a fresh random nonce; each side then signs both
 * nonces, the workspace and its own key with its device's Ed25519 key (8.1). Both nonces make the
 * proof good for this connection only: one recorded on another connection, or altered, does not
 * verify. Verified with the same strict verifier as signed entries (identity.ts).
 */
import { concatBytes } from '@noble/hashes/utils.js';
import { fromBase64Url } from './bytes';
import { verifyBytes, type DeviceSigner } from './identity';

export const PEER_NONCE_BYTES = 32;

const PREFIX = new TextEncoder().encode('outpost-peer-proof-v1\n');

/** A fresh nonce for one connection. */
export function peerNonce(): Uint8Array {
  return globalThis.crypto.getRandomValues(new Uint8Array(PEER_NONCE_BYTES));
}

export interface ProofContext {
  /** The workspace id: a proof cannot be carried into another workspace. */
  readonly workspace: string;
  /** The nonce in the signer's own hello. */
  readonly signerNonce: Uint8Array;
  /** The nonce in the other side's hello (the side that verifies). */
  readonly verifierNonce: Uint8Array;
  /** The signer's Ed25519 public key (base64url). */
  readonly key: string;
}

/**
 * `outpost-peer-proof-v1\n` ‖ UTF-8 workspace ‖ 0x00 ‖ signer nonce (32) ‖ verifier nonce (32) ‖
 * signer key (32 raw bytes). Throws when a nonce or the key has the wrong length.
 */
export function peerProofBytes(context: ProofContext): Uint8Array {
  const key = fromBase64Url(context.key);
  if (!key || key.length !== 32) throw new Error('A device key is 32 bytes.');
  for (const nonce of [context.signerNonce, context.verifierNonce])
    if (nonce.length !== PEER_NONCE_BYTES) throw new Error('A peer nonce is 32 bytes.');
  const workspace = new TextEncoder().encode(context.workspace);
  return concatBytes(
    PREFIX,
    workspace,
    Uint8Array.of(0),
    context.signerNonce,
    context.verifierNonce,
    key,
  );
}

/** This device's proof for a connection: its signature (base64url) over {@link peerProofBytes}. */
export function signPeerProof(
  signer: Pick<DeviceSigner, 'key' | 'sign'>,
  context: Omit<ProofContext, 'key'>,
): string {
  return signer.sign(peerProofBytes({ ...context, key: signer.key }));
}

/** Whether `signature` proves `context.key` on this connection. */
export function verifyPeerProof(context: ProofContext, signature: string): boolean {
  let message: Uint8Array;
  try {
    message = peerProofBytes(context);
  } catch {
    return false;
  }
  return verifyBytes(context.key, message, signature);
}
