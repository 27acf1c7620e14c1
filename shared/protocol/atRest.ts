/**
 * Encryption at rest: how Outpost seals what it stores on a device (workspace rows, the journal,
 * device state, backup files) so that a lost laptop leaks nothing (docs/PROTOCOL.md §7).
 *
 * - A random 32-byte **data key** per device protects everything. It is itself kept wrapped: by
 *   the OS keychain (Electron's safeStorage, in the main process) or by a passphrase (PBKDF2 below).
 * - Each workspace, and the device state, has its own AES-256-GCM key derived from the data key
 *   with HKDF-SHA-256 (`info` names what it is for), so one key never seals two kinds of data.
 * - A sealed value is `"OAR" · version 1 · purpose · 12-byte random nonce · ciphertext+tag`. The
 *   additional data binds the header and a scope (which workspace and document, which device
 *   value), so a row moved to another workspace, another document or another purpose does not open.
 *
 * Both WebCrypto (asynchronous, native: loading megabytes) and @noble/ciphers' AES-GCM
 * (synchronous: a row must be written in the same task as the change, and the page's last
 * journal is written while it unloads, when nothing asynchronous finishes) produce and read the
 * same format.
 */
import { gcm } from '@noble/ciphers/aes.js';

const MAGIC = [0x4f, 0x41, 0x52] as const; // "OAR"
const VERSION = 1;
const HEADER_BYTES = 5;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

/** What a sealed value is; part of the authenticated header. */
export const SEALED_PURPOSE = {
  /** One Yjs update row as a change happened. */
  update: 1,
  /** A compacted row: a whole document's state. */
  state: 2,
  /** Changes not yet confirmed on disk when the page went away (the journal). */
  journal: 3,
  /** A workspace file (export or automatic backup). */
  file: 4,
  /** One value of the device state. */
  deviceValue: 5,
} as const;
export type SealedPurpose = (typeof SEALED_PURPOSE)[keyof typeof SEALED_PURPOSE];

/** A derived AES-256-GCM key, as raw bytes (for the synchronous cipher) and as a WebCrypto key. */
export interface AtRestKey {
  readonly raw: Uint8Array;
  readonly webKey: CryptoKeyLike;
}
/** A WebCrypto key (spelled this way so the file also compiles without the DOM lib). */
export type CryptoKeyLike = Awaited<ReturnType<typeof globalThis.crypto.subtle.importKey>>;

const subtle = () => globalThis.crypto.subtle;
/** What WebCrypto takes as data (spelled this way so the file also compiles without the DOM lib). */
type Bytes = Parameters<typeof globalThis.crypto.subtle.encrypt>[2];
const text = new TextEncoder();
const HKDF_SALT = text.encode('outpost at-rest v1');

/** A fresh random data key. */
export function newDataKey(): Uint8Array {
  return globalThis.crypto.getRandomValues(new Uint8Array(32));
}

/** HKDF info of a workspace's key. */
export function workspaceKeyInfo(workspaceId: string): string {
  return `workspace:${workspaceId}`;
}
/** HKDF info of the device state's key. */
export const DEVICE_STATE_KEY_INFO = 'device-state';

/** Derives the key for `info` from the device's data key (HKDF-SHA-256). */
export async function deriveAtRestKey(dataKey: Uint8Array, info: string): Promise<AtRestKey> {
  if (dataKey.length !== 32) throw new Error('A data key is 32 bytes.');
  const base = await subtle().importKey('raw', dataKey as Bytes, 'HKDF', false, ['deriveBits']);
  const bits = await subtle().deriveBits(
    { name: 'HKDF', hash: 'SHA-256', salt: HKDF_SALT, info: text.encode(info) },
    base,
    256,
  );
  const raw = new Uint8Array(bits);
  const webKey = await subtle().importKey('raw', raw, 'AES-GCM', false, ['encrypt', 'decrypt']);
  return { raw, webKey };
}

function header(purpose: SealedPurpose): Uint8Array {
  return Uint8Array.of(...MAGIC, VERSION, purpose);
}

function additionalData(head: Uint8Array, scope: string): Uint8Array {
  const scoped = text.encode(scope);
  const out = new Uint8Array(head.length + 1 + scoped.length);
  out.set(head);
  out[head.length] = 0;
  out.set(scoped, head.length + 1);
  return out;
}

function envelope(head: Uint8Array, nonce: Uint8Array, sealed: Uint8Array): Uint8Array {
  const out = new Uint8Array(head.length + nonce.length + sealed.length);
  out.set(head);
  out.set(nonce, head.length);
  out.set(sealed, head.length + nonce.length);
  return out;
}

/**
 * Whether `bytes` carries the sealed header. A Yjs update can begin with these bytes too, so a
 * value that looks sealed but does not open is reported as such, never guessed to be plain.
 */
export function looksSealed(bytes: Uint8Array): boolean {
  return (
    bytes.length >= HEADER_BYTES + NONCE_BYTES + TAG_BYTES &&
    bytes[0] === MAGIC[0] &&
    bytes[1] === MAGIC[1] &&
    bytes[2] === MAGIC[2] &&
    bytes[3] === VERSION
  );
}

/** The purpose a sealed value claims (authenticated only once it opens). */
export function sealedPurpose(bytes: Uint8Array): number | undefined {
  return looksSealed(bytes) ? bytes[4] : undefined;
}

/** Seals `plain` now (synchronous: for writes that must happen in the current task). */
export function sealSync(
  key: AtRestKey,
  purpose: SealedPurpose,
  scope: string,
  plain: Uint8Array,
): Uint8Array {
  const head = header(purpose);
  const nonce = globalThis.crypto.getRandomValues(new Uint8Array(NONCE_BYTES));
  return envelope(head, nonce, gcm(key.raw, nonce, additionalData(head, scope)).encrypt(plain));
}

/**
 * Seals `plain` with WebCrypto (for large values). `nonce` is random unless given (only test
 * vectors give one: a nonce must never repeat under one key).
 */
export async function seal(
  key: AtRestKey,
  purpose: SealedPurpose,
  scope: string,
  plain: Uint8Array,
  nonce: Uint8Array = globalThis.crypto.getRandomValues(new Uint8Array(NONCE_BYTES)),
): Promise<Uint8Array> {
  if (nonce.length !== NONCE_BYTES) throw new Error('A nonce is 12 bytes.');
  const head = header(purpose);
  const sealed = await subtle().encrypt(
    { name: 'AES-GCM', iv: nonce as Bytes, additionalData: additionalData(head, scope) as Bytes },
    key.webKey,
    plain as Bytes,
  );
  return envelope(head, nonce, new Uint8Array(sealed));
}

/** Opens a sealed value with `purpose` and `scope`: null when it does not (wrong key, damaged). */
export async function open(
  key: AtRestKey,
  purpose: SealedPurpose,
  scope: string,
  bytes: Uint8Array,
): Promise<Uint8Array | null> {
  if (!looksSealed(bytes) || bytes[4] !== purpose) return null;
  const head = bytes.subarray(0, HEADER_BYTES);
  try {
    const plain = await subtle().decrypt(
      {
        name: 'AES-GCM',
        iv: bytes.subarray(HEADER_BYTES, HEADER_BYTES + NONCE_BYTES) as Bytes,
        additionalData: additionalData(head, scope) as Bytes,
      },
      key.webKey,
      bytes.subarray(HEADER_BYTES + NONCE_BYTES) as Bytes,
    );
    return new Uint8Array(plain);
  } catch {
    return null;
  }
}

/** {@link open}, synchronously. */
export function openSync(
  key: AtRestKey,
  purpose: SealedPurpose,
  scope: string,
  bytes: Uint8Array,
): Uint8Array | null {
  if (!looksSealed(bytes) || bytes[4] !== purpose) return null;
  const head = bytes.subarray(0, HEADER_BYTES);
  try {
    return gcm(
      key.raw,
      bytes.subarray(HEADER_BYTES, HEADER_BYTES + NONCE_BYTES),
      additionalData(head, scope),
    ).decrypt(bytes.subarray(HEADER_BYTES + NONCE_BYTES));
  } catch {
    return null;
  }
}

/** PBKDF2-SHA-256 iterations for a new passphrase (OWASP's 2023 figure). */
export const PASSPHRASE_ITERATIONS = 600_000;

/** The data key wrapped by a passphrase, as stored (all bytes base64url). */
export interface PassphraseWrapped {
  readonly kdf: 'PBKDF2-SHA-256';
  readonly iterations: number;
  readonly salt: Uint8Array;
  readonly sealed: Uint8Array;
}

/**
 * The AES-256-GCM key stretched from `passphrase` (PBKDF2-HMAC-SHA-256, NFC-normalized UTF-8):
 * for the data key and for passphrase-encrypted workspace files (shared/storage/passphraseFile.ts).
 */
export async function passphraseKey(
  passphrase: string,
  salt: Uint8Array,
  iterations: number,
): Promise<AtRestKey> {
  const material = await subtle().importKey(
    'raw',
    text.encode(passphrase.normalize('NFC')),
    'PBKDF2',
    false,
    ['deriveBits'],
  );
  const raw = new Uint8Array(
    await subtle().deriveBits(
      { name: 'PBKDF2', hash: 'SHA-256', salt: salt as Bytes, iterations },
      material,
      256,
    ),
  );
  const webKey = await subtle().importKey('raw', raw, 'AES-GCM', false, ['encrypt', 'decrypt']);
  return { raw, webKey };
}

const PASSPHRASE_SCOPE = 'data-key';

/** Wraps the data key with a key stretched from `passphrase`. */
export async function wrapWithPassphrase(
  dataKey: Uint8Array,
  passphrase: string,
  iterations = PASSPHRASE_ITERATIONS,
): Promise<PassphraseWrapped> {
  const salt = globalThis.crypto.getRandomValues(new Uint8Array(16));
  const key = await passphraseKey(passphrase, salt, iterations);
  const sealed = await seal(key, SEALED_PURPOSE.deviceValue, PASSPHRASE_SCOPE, dataKey);
  return { kdf: 'PBKDF2-SHA-256', iterations, salt, sealed };
}

/** The data key, or null when `passphrase` is not the one it was wrapped with. */
export async function unwrapWithPassphrase(
  wrapped: PassphraseWrapped,
  passphrase: string,
): Promise<Uint8Array | null> {
  const key = await passphraseKey(passphrase, wrapped.salt, wrapped.iterations);
  return open(key, SEALED_PURPOSE.deviceValue, PASSPHRASE_SCOPE, wrapped.sealed);
}
