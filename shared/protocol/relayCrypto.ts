/**
 * The relay mailbox's cryptography (docs/PROTOCOL.md §5.5): what is derived from the workspace key
 * for a relay, and the sealed envelope every update or snapshot travels in. A relay stores and
 * serves envelopes without being able to open them; it reads only their cleartext header.
 *
 * Everything is WebCrypto (HKDF-SHA-256, HMAC-SHA-256, SHA-256, AES-256-GCM), so the same code runs
 * in the renderer, in Node 20 and in the relay.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { SECRET_KEY_BYTES, isSecretKey } from './keys';

export const ENVELOPE_VERSION = 1;
export const KIND_UPDATE = 0;
export const KIND_SNAPSHOT = 1;
export type EnvelopeKind = typeof KIND_UPDATE | typeof KIND_SNAPSHOT;

export const ROOM_BYTES = 32;
export const TOKEN_BYTES = 32;
export const STREAM_BYTES = 16;
export const SENDER_BYTES = 16;
export const NONCE_BYTES = 12;
const TAG_BYTES = 16;
/** version · kind · stream · sender · counter (u64) · covers (u64). */
export const HEADER_BYTES = 2 + STREAM_BYTES + SENDER_BYTES + 8 + 8;
/** Header, nonce and tag: the smallest envelope (an empty ciphertext is never sent). */
export const MIN_ENVELOPE_BYTES = HEADER_BYTES + NONCE_BYTES + TAG_BYTES;

export const WRITE_LABEL = 'outpost/relay/write/v1';
export const ENCRYPT_LABEL = 'outpost/relay/encrypt/v1';
export const STREAM_LABEL = 'outpost/relay/stream/v1';
/** Prefix of every envelope's associated data. */
export const AAD_LABEL = 'outpost/relay/v1';

type CryptoKeyLike = Awaited<ReturnType<typeof globalThis.crypto.subtle.importKey>>;

/** What a client holds for one workspace on relays. */
export interface RelayKeys {
  /** The room the relay files the workspace under: SHA-256(writeToken). */
  readonly room: Uint8Array;
  /** Shown to the relay on connecting; it checks SHA-256(token) = room. */
  readonly writeToken: Uint8Array;
  readonly encryptKey: CryptoKeyLike;
  readonly streamKey: CryptoKeyLike;
}

/** The cleartext part of an envelope: what the relay may read. */
export interface EnvelopeHeader {
  readonly kind: EnvelopeKind;
  readonly stream: Uint8Array;
  readonly sender: Uint8Array;
  readonly counter: number;
  /** For a snapshot, the highest sequence number it makes redundant in its stream; 0 otherwise. */
  readonly covers: number;
}

export interface OpenedEnvelope {
  readonly header: EnvelopeHeader;
  readonly docId: string;
  readonly update: Uint8Array;
}

const subtle = () => globalThis.crypto.subtle;
const utf8 = (text: string) => new TextEncoder().encode(text);

async function hkdf(secretKey: Uint8Array, label: string): Promise<Uint8Array> {
  const material = await subtle().importKey('raw', Uint8Array.from(secretKey), 'HKDF', false, [
    'deriveBits',
  ]);
  const bits = await subtle().deriveBits(
    { name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info: utf8(label) },
    material,
    256,
  );
  return new Uint8Array(bits);
}

/** SHA-256 of `bytes`. */
export async function sha256(bytes: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await subtle().digest('SHA-256', Uint8Array.from(bytes)));
}

/**
 * Derives the relay keys from a workspace secret key: HKDF-SHA-256 with an empty salt and the
 * labels above as `info`, 32 bytes each; the room is SHA-256 of the write token.
 */
export async function deriveRelayKeys(secretKey: Uint8Array): Promise<RelayKeys> {
  if (!isSecretKey(secretKey))
    throw new RangeError(`A secret key is ${SECRET_KEY_BYTES} random bytes.`);
  const [writeToken, encryptBytes, streamBytes] = await Promise.all([
    hkdf(secretKey, WRITE_LABEL),
    hkdf(secretKey, ENCRYPT_LABEL),
    hkdf(secretKey, STREAM_LABEL),
  ]);
  const [room, encryptKey, streamKey] = await Promise.all([
    sha256(writeToken),
    subtle().importKey('raw', Uint8Array.from(encryptBytes), 'AES-GCM', false, [
      'encrypt',
      'decrypt',
    ]),
    subtle().importKey(
      'raw',
      Uint8Array.from(streamBytes),
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['sign'],
    ),
  ]);
  return { room, writeToken, encryptKey, streamKey };
}

/** The stream id of a document: the first 16 bytes of HMAC-SHA-256(streamKey, UTF-8 docId). */
export async function streamId(keys: RelayKeys, docId: string): Promise<Uint8Array> {
  const mac = await subtle().sign('HMAC', keys.streamKey, utf8(docId));
  return new Uint8Array(mac).slice(0, STREAM_BYTES);
}

/** Writes the 50-byte cleartext header. */
export function encodeHeader(header: EnvelopeHeader): Uint8Array {
  if (header.stream.length !== STREAM_BYTES || header.sender.length !== SENDER_BYTES)
    throw new RangeError('stream and sender are 16 bytes each');
  const out = new Uint8Array(HEADER_BYTES);
  const view = new DataView(out.buffer);
  out[0] = ENVELOPE_VERSION;
  out[1] = header.kind;
  out.set(header.stream, 2);
  out.set(header.sender, 2 + STREAM_BYTES);
  view.setBigUint64(2 + STREAM_BYTES + SENDER_BYTES, BigInt(header.counter));
  view.setBigUint64(2 + STREAM_BYTES + SENDER_BYTES + 8, BigInt(header.covers));
  return out;
}

/**
 * Reads an envelope's header; `undefined` when the bytes are too short, of another version or
 * kind, or carry a counter or `covers` beyond 2^53 (what JavaScript numbers hold exactly).
 */
export function readHeader(envelope: Uint8Array): EnvelopeHeader | undefined {
  if (envelope.length < MIN_ENVELOPE_BYTES || envelope[0] !== ENVELOPE_VERSION) return undefined;
  const kind = envelope[1];
  if (kind !== KIND_UPDATE && kind !== KIND_SNAPSHOT) return undefined;
  const view = new DataView(envelope.buffer, envelope.byteOffset, envelope.byteLength);
  const counter = view.getBigUint64(2 + STREAM_BYTES + SENDER_BYTES);
  const covers = view.getBigUint64(2 + STREAM_BYTES + SENDER_BYTES + 8);
  if (counter > BigInt(Number.MAX_SAFE_INTEGER) || covers > BigInt(Number.MAX_SAFE_INTEGER))
    return undefined;
  if (kind === KIND_UPDATE && covers !== 0n) return undefined;
  return {
    kind,
    stream: envelope.slice(2, 2 + STREAM_BYTES),
    sender: envelope.slice(2 + STREAM_BYTES, 2 + STREAM_BYTES + SENDER_BYTES),
    counter: Number(counter),
    covers: Number(covers),
  };
}

/** Associated data: UTF-8 "outpost/relay/v1" · room (32 bytes) · the 50-byte header. */
function associatedData(room: Uint8Array, header: Uint8Array): Uint8Array<ArrayBuffer> {
  const label = utf8(AAD_LABEL);
  const out = new Uint8Array(label.length + room.length + header.length);
  out.set(label, 0);
  out.set(room, label.length);
  out.set(header, label.length + room.length);
  return out;
}

/**
 * Seals a Yjs update of document `docId`: plaintext `varString docId · update` (lib0), AES-256-GCM
 * with a fresh random 12-byte nonce (or `nonce`, for test vectors only), the room and header as
 * associated data. Result: header · nonce · ciphertext‖tag.
 */
export async function sealEnvelope(
  keys: RelayKeys,
  header: EnvelopeHeader,
  docId: string,
  update: Uint8Array,
  nonce: Uint8Array = globalThis.crypto.getRandomValues(new Uint8Array(NONCE_BYTES)),
): Promise<Uint8Array> {
  const head = encodeHeader(header);
  const plain = encoding.createEncoder();
  encoding.writeVarString(plain, docId);
  encoding.writeUint8Array(plain, update);
  const cipher = await subtle().encrypt(
    {
      name: 'AES-GCM',
      iv: Uint8Array.from(nonce),
      additionalData: associatedData(keys.room, head),
    },
    keys.encryptKey,
    encoding.toUint8Array(plain),
  );
  const out = new Uint8Array(HEADER_BYTES + NONCE_BYTES + cipher.byteLength);
  out.set(head, 0);
  out.set(nonce, HEADER_BYTES);
  out.set(new Uint8Array(cipher), HEADER_BYTES + NONCE_BYTES);
  return out;
}

/**
 * Opens an envelope; `undefined` for anything not sealed with these keys for this room (another
 * key, a changed byte, a header moved to another room or stream), never an exception.
 */
export async function openEnvelope(
  keys: RelayKeys,
  envelope: Uint8Array,
): Promise<OpenedEnvelope | undefined> {
  const header = readHeader(envelope);
  if (!header) return undefined;
  try {
    const plain = await subtle().decrypt(
      {
        name: 'AES-GCM',
        iv: envelope.slice(HEADER_BYTES, HEADER_BYTES + NONCE_BYTES),
        additionalData: associatedData(keys.room, envelope.subarray(0, HEADER_BYTES)),
      },
      keys.encryptKey,
      envelope.slice(HEADER_BYTES + NONCE_BYTES),
    );
    const decoder = decoding.createDecoder(new Uint8Array(plain));
    const docId = decoding.readVarString(decoder);
    const update = decoding.readTailAsUint8Array(decoder);
    const expected = await streamId(keys, docId);
    // A key holder's envelope always names the stream of its document; anything else is refused.
    if (!equalBytes(expected, header.stream)) return undefined;
    return { header, docId, update };
  } catch {
    return undefined;
  }
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= a[i]! ^ b[i]!;
  return difference === 0;
}
