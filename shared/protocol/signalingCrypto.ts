/**
 * y-webrtc's signaling encryption, written out so Outpost peers interoperate with stock y-webrtc
 * clients (see docs/PROTOCOL.md, "Signaling"): the `password` is stretched with PBKDF2-SHA-256
 * (100,000 iterations, salt = UTF-8 room name) into an AES-GCM-256 key; a message is lib0
 * `writeAny(data)`, sealed with a random 12-byte IV, in the envelope
 * `varString "AES-GCM" · varUint8Array iv · varUint8Array ciphertext`, then standard base64.
 *
 * Unlike y-webrtc, opening never rejects: a message that does not decrypt (a peer with another key,
 * or garbage from a hostile neighbour) yields `undefined`, so nothing reaches an unhandled rejection.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

const ALGORITHM = 'AES-GCM';

/** An AES-GCM key from WebCrypto (spelled this way so the file also compiles without the DOM lib). */
export type SignalingKey = Awaited<ReturnType<typeof globalThis.crypto.subtle.deriveKey>>;
const PBKDF2_ITERATIONS = 100_000;

/** Derives y-webrtc's AES-GCM key from the room's `password`. */
export async function deriveSignalingKey(
  password: string,
  roomName: string,
): Promise<SignalingKey> {
  const text = new TextEncoder();
  const material = await globalThis.crypto.subtle.importKey(
    'raw',
    text.encode(password),
    'PBKDF2',
    false,
    ['deriveKey'],
  );
  return globalThis.crypto.subtle.deriveKey(
    { name: 'PBKDF2', salt: text.encode(roomName), iterations: PBKDF2_ITERATIONS, hash: 'SHA-256' },
    material,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  );
}

/** Seals a JSON-like value as y-webrtc does; the result goes in a publish frame's `data`. */
export async function sealSignal(key: SignalingKey, data: unknown): Promise<string> {
  const plain = encoding.createEncoder();
  encoding.writeAny(plain, data as Parameters<typeof encoding.writeAny>[1]);
  const iv = globalThis.crypto.getRandomValues(new Uint8Array(12));
  const cipher = await globalThis.crypto.subtle.encrypt(
    { name: 'AES-GCM', iv },
    key,
    encoding.toUint8Array(plain),
  );
  const envelope = encoding.createEncoder();
  encoding.writeVarString(envelope, ALGORITHM);
  encoding.writeVarUint8Array(envelope, iv);
  encoding.writeVarUint8Array(envelope, new Uint8Array(cipher));
  return toBase64(encoding.toUint8Array(envelope));
}

/** Opens a publish frame's `data`; `undefined` when it is not a message sealed with `key`. */
export async function openSignal(key: SignalingKey, data: unknown): Promise<unknown> {
  if (typeof data !== 'string' || data.length > 1024 * 1024) return undefined;
  try {
    const decoder = decoding.createDecoder(fromBase64(data));
    if (decoding.readVarString(decoder) !== ALGORITHM) return undefined;
    const iv = decoding.readVarUint8Array(decoder);
    const cipher = decoding.readVarUint8Array(decoder);
    const plain = await globalThis.crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: Uint8Array.from(iv) },
      key,
      Uint8Array.from(cipher),
    );
    return decoding.readAny(decoding.createDecoder(new Uint8Array(plain)));
  } catch {
    return undefined;
  }
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Standard padded base64, as y-webrtc (lib0/buffer) writes it. */
export function toBase64(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i] ?? 0;
    const b = bytes[i + 1] ?? 0;
    const c = bytes[i + 2] ?? 0;
    const chunk = (a << 16) | (b << 8) | c;
    out += BASE64[(chunk >>> 18) & 63]! + BASE64[(chunk >>> 12) & 63]!;
    out += i + 1 < bytes.length ? BASE64[(chunk >>> 6) & 63]! : '=';
    out += i + 2 < bytes.length ? BASE64[chunk & 63]! : '=';
  }
  return out;
}

/** Reads standard base64 (padding optional); throws on a foreign character. */
export function fromBase64(text: string): Uint8Array {
  const clean = text.replace(/=+$/, '');
  if (!/^[A-Za-z0-9+/]*$/.test(clean) || clean.length % 4 === 1) {
    throw new Error('not base64');
  }
  const out = new Uint8Array(Math.floor((clean.length * 6) / 8));
  let buffer = 0;
  let bits = 0;
  let index = 0;
  for (const char of clean) {
    buffer = ((buffer << 6) | BASE64.indexOf(char)) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[index++] = (buffer >>> bits) & 0xff;
    }
  }
  return out;
}
