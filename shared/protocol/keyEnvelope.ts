/**
 * Delivering a new workspace key to one device (docs/PROTOCOL.md §8.7): when a member or a lost
 * device is removed, the remover seals the new key once per remaining device, to that device's
 * X25519 key from its member entry (§8.2), and writes the sealed copies into the document. Only
 * the device holding the matching private key can open its copy; the removed device sees the
 * copies and opens none.
 *
 * The construction is ECIES in the shape of HPKE's base mode (RFC 9180, DHKEM(X25519) with
 * HKDF-SHA-256 and AES-256-GCM), written with @noble's audited primitives because the model is
 * synchronous (a removal is one document transaction, like a signed vote): a fresh ephemeral
 * X25519 pair per copy, the shared secret X25519(ephemeral, recipient) (an all-zero result, from
 * a low-order recipient key, is refused), then HKDF-SHA-256 with salt `ephemeral ‖ recipient`
 * and info `outpost/key-envelope/v1` ‖ 0x00 ‖ context, 44 bytes: an AES-256-GCM key and its
 * 12-byte nonce (used once: the ephemeral key is never reused). The context names the workspace,
 * the key's epoch and the recipient device, and is also the associated data, so a copy moved to
 * another device, epoch or workspace does not open.
 */
import { gcm } from '@noble/ciphers/aes.js';
import { x25519 } from '@noble/curves/ed25519.js';
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { fromBase64Url, toBase64Url } from './bytes';
import { SECRET_KEY_BYTES, isSecretKey } from './keys';

export const KEY_ENVELOPE_VERSION = 1;
export const KEY_ENVELOPE_LABEL = 'outpost/key-envelope/v1';
/** Label of the public commitment to a workspace key (its key id). */
export const KEY_ID_LABEL = 'outpost/key-id/v1';
/** version · ephemeral public key · sealed key · GCM tag. */
export const KEY_ENVELOPE_BYTES = 1 + 32 + SECRET_KEY_BYTES + 16;

/** What a sealed copy is bound to; any difference makes it fail to open. */
export interface EnvelopeContext {
  /** The workspace id. */
  readonly workspace: string;
  /** The epoch of the key inside (1 for the first rotation). */
  readonly epoch: number;
  /** The recipient device's Ed25519 public key (base64url): the device, not just its X25519 key. */
  readonly device: string;
}

const encoder = new TextEncoder();

function contextBytes(context: EnvelopeContext): Uint8Array {
  return encoder.encode(`${context.workspace}/${context.epoch}/${context.device}`);
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

function keyAndNonce(
  shared: Uint8Array,
  ephemeral: Uint8Array,
  recipient: Uint8Array,
  context: Uint8Array,
): { key: Uint8Array; nonce: Uint8Array; aad: Uint8Array } {
  if (shared.every((byte) => byte === 0)) throw new Error('The recipient key is not usable.');
  const info = concat(encoder.encode(KEY_ENVELOPE_LABEL), new Uint8Array([0]), context);
  const okm = hkdf(sha256, shared, concat(ephemeral, recipient), info, 44);
  return { key: okm.slice(0, 32), nonce: okm.slice(32), aad: info };
}

/**
 * Seals `secretKey` for the device whose X25519 public key is `recipient` (base64url) and returns
 * the copy as unpadded base64url (108 characters). `ephemeralSeed` is for test vectors only.
 */
export function sealKeyEnvelope(
  secretKey: Uint8Array,
  recipient: string,
  context: EnvelopeContext,
  ephemeralSeed: Uint8Array = x25519.utils.randomSecretKey(),
): string {
  if (!isSecretKey(secretKey)) throw new RangeError('Only a workspace key is sealed.');
  const recipientKey = fromBase64Url(recipient);
  if (recipientKey?.length !== 32) throw new RangeError('A device’s X25519 key is 32 bytes.');
  const ephemeral = x25519.getPublicKey(ephemeralSeed);
  const shared = x25519.getSharedSecret(ephemeralSeed, recipientKey);
  const { key, nonce, aad } = keyAndNonce(shared, ephemeral, recipientKey, contextBytes(context));
  const sealed = gcm(key, nonce, aad).encrypt(secretKey);
  return toBase64Url(concat(new Uint8Array([KEY_ENVELOPE_VERSION]), ephemeral, sealed));
}

/**
 * Opens a copy sealed for this device: `agree` computes X25519(this device's private key, their
 * public key) without the private key leaving its holder. Undefined when the copy is malformed,
 * for another device, epoch or workspace, or was changed.
 */
export function openKeyEnvelope(
  envelope: string,
  agree: (theirPublicKey: Uint8Array) => Uint8Array,
  ownPublicKey: string,
  context: EnvelopeContext,
): Uint8Array | undefined {
  const bytes = fromBase64Url(envelope);
  const own = fromBase64Url(ownPublicKey);
  if (bytes?.length !== KEY_ENVELOPE_BYTES || bytes[0] !== KEY_ENVELOPE_VERSION || !own)
    return undefined;
  const ephemeral = bytes.slice(1, 33);
  try {
    const shared = agree(ephemeral);
    const { key, nonce, aad } = keyAndNonce(shared, ephemeral, own, contextBytes(context));
    const opened = gcm(key, nonce, aad).decrypt(bytes.slice(33));
    return isSecretKey(opened) ? opened : undefined;
  } catch {
    return undefined; // a wrong tag, or an ephemeral key that is not a usable point
  }
}

/**
 * The public commitment to a workspace key: the first 16 bytes of HKDF-SHA-256(key, empty salt,
 * `outpost/key-id/v1`), base64url. A rotation names its new key by this id, so a device can tell
 * which epoch the key it holds belongs to without anything secret being written down.
 */
export function keyIdOf(secretKey: Uint8Array): string {
  if (!isSecretKey(secretKey)) throw new RangeError('A key id is taken of a workspace key.');
  return toBase64Url(hkdf(sha256, secretKey, new Uint8Array(0), encoder.encode(KEY_ID_LABEL), 16));
}

/** X25519 with a device's private key seed (base64url): what {@link openKeyEnvelope} is given. */
export function agreeWith(privateKey: string): (theirPublicKey: Uint8Array) => Uint8Array {
  const seed = fromBase64Url(privateKey);
  if (seed?.length !== 32) throw new RangeError('An X25519 private key is 32 bytes.');
  return (theirs) => x25519.getSharedSecret(seed, theirs);
}
