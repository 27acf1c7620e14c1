/**
 * Device identities and signed records (docs/PROTOCOL.md §8).
 *
 * Each device holds an Ed25519 signing pair (authorship) and an X25519 key agreement pair (for
 * delivering a new workspace key to each device when a member is removed). Pairs are created with
 * WebCrypto; signing and verifying use @noble/curves (audited) because the model is synchronous:
 * a vote is signed inside the same Y.Doc transaction that appends it, and a tally is a pure,
 * synchronous function of the document. Verification must also give the same answer on every
 * replica, so every replica runs the same code with the same rule (strict RFC 8032: non-canonical
 * point and scalar encodings are refused, so a signature has exactly one accepted spelling)
 * rather than whichever Ed25519 the local browser ships. Ed25519 signing is deterministic, so a
 * signature made here is the one WebCrypto would make with the same key.
 */
import { ed25519, x25519 } from '@noble/curves/ed25519.js';
import { sha256 } from '@noble/hashes/sha2.js';
import canonicalize from 'canonicalize';
import { z } from 'zod';
import { fromBase64Url, toBase64Url, toHex } from './bytes';

/** A 32-byte key, unpadded base64url (43 characters). */
export const KeyText = z.string().regex(/^[A-Za-z0-9_-]{42}[AEIMQUYcgkosw048]$/);
/** A 64-byte Ed25519 signature, unpadded base64url (86 characters). */
const SignatureText = z.string().regex(/^[A-Za-z0-9_-]{85}[AQgw]$/);

/** The version of the canonical encoding; stored with every signature. */
export const SIGNATURE_VERSION = 1;

/** A signature as stored beside what it signs: encoding version, signing device, the bytes. */
export const StoredSignature = z
  .object({ v: z.literal(SIGNATURE_VERSION), key: KeyText, value: SignatureText })
  .strict();
export type StoredSignature = z.infer<typeof StoredSignature>;

/** This device's keys as kept in its (sealed) device state. Private keys are 32-byte seeds. */
export const DeviceIdentity = z
  .object({
    version: z.literal(1),
    signing: z.object({ publicKey: KeyText, privateKey: KeyText }).strict(),
    agreement: z.object({ publicKey: KeyText, privateKey: KeyText }).strict(),
    createdAt: z.number().int().nonnegative(),
  })
  .strict();
export type DeviceIdentity = z.infer<typeof DeviceIdentity>;

/** Signs canonical messages as one device; what model writes are given. */
export interface DeviceSigner {
  /** The device's Ed25519 public key (base64url): who signed. */
  readonly key: string;
  /** The device's X25519 public key (base64url), listed with the device in its member record. */
  readonly agreementKey: string;
  sign(message: Uint8Array): string;
  /**
   * X25519 of this device's agreement private key and `theirPublicKey`: opens a new workspace key
   * sealed to this device (keyEnvelope.ts) without the private key leaving the signer.
   */
  agree?(theirPublicKey: Uint8Array): Uint8Array;
}

/** A plain JSON value as signed: strings, integers, booleans, null, arrays and objects of them. */
export type SignedValue =
  | string
  | number
  | boolean
  | null
  | readonly SignedValue[]
  | { readonly [key: string]: SignedValue };

/** What every signed content names, besides its own fields. */
export interface SignedContent {
  /** What kind of statement: `vote`, `ballot`, `status`, `checkin`, `member`, `device` or `invite`. */
  readonly type: string;
  /** The workspace id, so a statement cannot be carried into another workspace. */
  readonly workspace: string;
  /** The member the statement is by (the author). */
  readonly author: string;
  /** The signing device's public key, so a signature cannot be claimed for another device. */
  readonly key: string;
  readonly [field: string]: SignedValue;
}

const PREFIX = new TextEncoder().encode(`outpost-signed-v${SIGNATURE_VERSION}\n`);

/**
 * The bytes a device signs: `outpost-signed-v1\n` then the content as RFC 8785 canonical JSON
 * (keys sorted by UTF-16 code units, no white space, numbers and strings as ECMAScript writes
 * them), UTF-8. Throws on values JSON cannot spell canonically (NaN, lone surrogates).
 */
export function canonicalBytes(content: SignedContent): Uint8Array {
  const json = canonicalize(content);
  if (json === undefined) throw new Error('Content has no canonical form.');
  const body = new TextEncoder().encode(json);
  const out = new Uint8Array(PREFIX.length + body.length);
  out.set(PREFIX);
  out.set(body, PREFIX.length);
  return out;
}

function keyBytes(text: string): Uint8Array {
  const bytes = fromBase64Url(text);
  if (!bytes || bytes.length !== 32) throw new Error('A key is 32 bytes.');
  return bytes;
}

/** A signer over a device identity's Ed25519 seed. */
export function deviceSigner(identity: DeviceIdentity): DeviceSigner {
  const seed = keyBytes(identity.signing.privateKey);
  return {
    key: identity.signing.publicKey,
    agreementKey: identity.agreement.publicKey,
    sign: (message) => toBase64Url(ed25519.sign(message, seed)),
    agree: (theirs) => x25519.getSharedSecret(keyBytes(identity.agreement.privateKey), theirs),
  };
}

/** Signs `content` (whose `key` must be the signer's) and returns the signature to store. */
export function signContent(signer: DeviceSigner, content: SignedContent): StoredSignature {
  if (content.key !== signer.key) throw new Error('Content names another device.');
  return { v: SIGNATURE_VERSION, key: signer.key, value: signer.sign(canonicalBytes(content)) };
}

// Verifying costs about a millisecond; a tally is recomputed on every change of the document, so
// answers are remembered. The answer is a pure function of the key, message and signature.
const VERIFIED_CACHE_LIMIT = 20_000;
const verifiedCache = new Map<string, boolean>();

/** Whether `signature` by `publicKey` (base64url) verifies over `message`, strictly (RFC 8032). */
export function verifyBytes(publicKey: string, message: Uint8Array, signature: string): boolean {
  const cacheKey = `${publicKey}.${signature}.${toBase64Url(message)}`;
  const known = verifiedCache.get(cacheKey);
  if (known !== undefined) return known;
  let valid = false;
  const key = fromBase64Url(publicKey);
  const sig = fromBase64Url(signature);
  if (key?.length === 32 && sig?.length === 64) {
    try {
      valid = ed25519.verify(sig, message, key, { zip215: false });
    } catch {
      valid = false; // a key that is not a curve point
    }
  }
  if (verifiedCache.size >= VERIFIED_CACHE_LIMIT) verifiedCache.clear();
  verifiedCache.set(cacheKey, valid);
  return valid;
}

/** Whether a stored signature verifies over `content`, which must name the same device. */
export function verifyContent(content: SignedContent, signature: StoredSignature): boolean {
  if (content.key !== signature.key) return false;
  let message: Uint8Array;
  try {
    message = canonicalBytes(content);
  } catch {
    return false;
  }
  return verifyBytes(signature.key, message, signature.value);
}

/**
 * A short, readable fingerprint of a public key for people to compare: the first 80 bits of its
 * SHA-256, as five groups of four upper-case hex digits.
 */
export function fingerprint(publicKey: string): string {
  const bytes = fromBase64Url(publicKey) ?? new TextEncoder().encode(publicKey);
  const hex = toHex(sha256(bytes).slice(0, 10)).toUpperCase();
  return hex.match(/.{4}/g)!.join(' ');
}

// PKCS #8 for Ed25519 and X25519 (RFC 8410) is a fixed 16-byte header and the 32-byte seed.
const PKCS8_HEADER = {
  Ed25519: '302e020100300506032b657004220420',
  X25519: '302e020100300506032b656e04220420',
};

/** WebCrypto's SubtleCrypto, typed from the global so no DOM library is needed (Node too). */
type Subtle = typeof globalThis.crypto.subtle;

async function newPair(
  subtle: Subtle,
  name: 'Ed25519' | 'X25519',
): Promise<{ publicKey: string; privateKey: string }> {
  const usages: ('sign' | 'verify' | 'deriveBits')[] =
    name === 'Ed25519' ? ['sign', 'verify'] : ['deriveBits'];
  const pair = (await subtle.generateKey({ name }, true, usages)) as {
    publicKey: Awaited<ReturnType<Subtle['importKey']>>;
    privateKey: Awaited<ReturnType<Subtle['importKey']>>;
  };
  const pub = new Uint8Array(await subtle.exportKey('raw', pair.publicKey));
  const pkcs8 = new Uint8Array(await subtle.exportKey('pkcs8', pair.privateKey));
  if (pkcs8.length !== 48 || toHex(pkcs8.slice(0, 16)) !== PKCS8_HEADER[name] || pub.length !== 32)
    throw new Error(`This browser exported an unexpected ${name} key.`);
  return { publicKey: toBase64Url(pub), privateKey: toBase64Url(pkcs8.slice(16)) };
}

/** Creates a device identity with WebCrypto (Chromium and Node 20 have Ed25519 and X25519). */
export async function createDeviceIdentity(
  subtle: Subtle = globalThis.crypto.subtle,
  now: number = Date.now(),
): Promise<DeviceIdentity> {
  const [signing, agreement] = await Promise.all([
    newPair(subtle, 'Ed25519'),
    newPair(subtle, 'X25519'),
  ]);
  return { version: 1, signing, agreement, createdAt: now };
}

/** A device identity from fixed seeds (test vectors and tests); public keys derived from them. */
export function identityFromSeeds(
  signingSeed: Uint8Array,
  agreementSeed: Uint8Array,
  createdAt = 0,
): DeviceIdentity {
  return {
    version: 1,
    signing: {
      publicKey: toBase64Url(ed25519.getPublicKey(signingSeed)),
      privateKey: toBase64Url(signingSeed),
    },
    agreement: {
      publicKey: toBase64Url(x25519.getPublicKey(agreementSeed)),
      privateKey: toBase64Url(agreementSeed),
    },
    createdAt,
  };
}
