/**
 * The data-channel messages of the lazy-document exchange (docs/PROTOCOL.md §5.4, "Lazy
 * documents"): what each side lists, the answers in acknowledged batches, live updates, and the
 * request for one document ahead of the rest. Written and read with lib0's encoders, like
 * wire.ts; only Outpost peers whose hellos both said they speak lazy documents send them, and
 * any other peer ignores their types (a stock y-webrtc client answers them with nothing).
 *
 * Readers check the bounds a peer could abuse while decoding (entries per message, update size),
 * so a hostile message is refused before anything it names is held.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { LAZY_DELETES_BYTES } from './lazyDocs';

/**
 * `varUint count · count × (varString id · varUint8Array stateVector · varUint8Array deletes)`: a
 * page of what the sender holds; `deletes` is the fingerprint of the document's deletions (16
 * bytes), or empty when the sender does not know it.
 */
export const MESSAGE_LAZY_LIST = 105;
/** `varUint listed`: the sender's listing is complete, `listed` entries in all. */
export const MESSAGE_LAZY_LIST_END = 106;
/** `varUint seq · varUint count · count × (varString id · varUint8Array update)`: answers, acknowledged. */
export const MESSAGE_LAZY_BATCH = 107;
/** `varUint seq`: the receiver stored every update of batch `seq`. */
export const MESSAGE_LAZY_ACK = 108;
/** `varUint sent`: the sender answered the receiver's whole listing and sent what it did not list. */
export const MESSAGE_LAZY_BATCHES_END = 109;
/** `varString id · varUint8Array update`: a live change to one document, never acknowledged. */
export const MESSAGE_LAZY_UPDATE = 110;
/** `varString id · varUint8Array stateVector`: "send me what you hold of id beyond this, now". */
export const MESSAGE_LAZY_WANT = 111;

/** Hello's feature bit (the varUint after version and nonce) for "speaks lazy documents". */
export const HELLO_FEATURE_LAZY = 1;

/** Most entries one list or batch message may carry. */
export const MAX_ENTRIES_PER_MESSAGE = 4096;
/** Largest update for one document a peer may send (a note body is about 1 KB). */
export const MAX_LAZY_UPDATE_BYTES = 16 * 1024 * 1024;
/** Longest state vector a peer may list for one document (a few hundred authors). */
export const MAX_LAZY_VECTOR_BYTES = 64 * 1024;

export interface LazyEntry {
  readonly id: string;
  readonly bytes: Uint8Array;
  /** In a list (105) only: the fingerprint of the document's deletions, when known. */
  readonly deletes?: Uint8Array | undefined;
}

const NO_DELETES = new Uint8Array(0);

export type LazyMessage =
  | { readonly type: 'lazyList'; readonly entries: readonly LazyEntry[] }
  | { readonly type: 'lazyListEnd'; readonly listed: number }
  | { readonly type: 'lazyBatch'; readonly seq: number; readonly entries: readonly LazyEntry[] }
  | { readonly type: 'lazyAck'; readonly seq: number }
  | { readonly type: 'lazyBatchesEnd'; readonly sent: number }
  | { readonly type: 'lazyUpdate'; readonly entry: LazyEntry }
  | { readonly type: 'lazyWant'; readonly entry: LazyEntry };

export function isLazyType(type: number): boolean {
  return type >= MESSAGE_LAZY_LIST && type <= MESSAGE_LAZY_WANT;
}

function message(type: number, write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, type);
  write(encoder);
  return encoding.toUint8Array(encoder);
}

function writeEntries(encoder: encoding.Encoder, entries: readonly LazyEntry[]): void {
  encoding.writeVarUint(encoder, entries.length);
  for (const { id, bytes } of entries) {
    encoding.writeVarString(encoder, id);
    encoding.writeVarUint8Array(encoder, bytes);
  }
}

export function lazyListMessage(entries: readonly LazyEntry[]): Uint8Array {
  return message(MESSAGE_LAZY_LIST, (encoder) => {
    encoding.writeVarUint(encoder, entries.length);
    for (const { id, bytes, deletes } of entries) {
      encoding.writeVarString(encoder, id);
      encoding.writeVarUint8Array(encoder, bytes);
      encoding.writeVarUint8Array(encoder, deletes ?? NO_DELETES);
    }
  });
}

export function lazyListEndMessage(listed: number): Uint8Array {
  return message(MESSAGE_LAZY_LIST_END, (encoder) => encoding.writeVarUint(encoder, listed));
}

export function lazyBatchMessage(seq: number, entries: readonly LazyEntry[]): Uint8Array {
  return message(MESSAGE_LAZY_BATCH, (encoder) => {
    encoding.writeVarUint(encoder, seq);
    writeEntries(encoder, entries);
  });
}

export function lazyAckMessage(seq: number): Uint8Array {
  return message(MESSAGE_LAZY_ACK, (encoder) => encoding.writeVarUint(encoder, seq));
}

export function lazyBatchesEndMessage(sent: number): Uint8Array {
  return message(MESSAGE_LAZY_BATCHES_END, (encoder) => encoding.writeVarUint(encoder, sent));
}

export function lazyUpdateMessage(id: string, update: Uint8Array): Uint8Array {
  return message(MESSAGE_LAZY_UPDATE, (encoder) => {
    encoding.writeVarString(encoder, id);
    encoding.writeVarUint8Array(encoder, update);
  });
}

export function lazyWantMessage(id: string, stateVector: Uint8Array): Uint8Array {
  return message(MESSAGE_LAZY_WANT, (encoder) => {
    encoding.writeVarString(encoder, id);
    encoding.writeVarUint8Array(encoder, stateVector);
  });
}

/** Reads one entry, refusing bytes over `maxBytes` before copying anything. */
function readEntry(decoder: decoding.Decoder, maxBytes: number): LazyEntry {
  const id = decoding.readVarString(decoder);
  const length = decoding.peekVarUint(decoder);
  if (length > maxBytes) throw new LazyLimitError(`sent ${length} bytes for one document`);
  return { id, bytes: decoding.readVarUint8Array(decoder) };
}

/** Reads a listed entry's fingerprint of deletions: none, or exactly 16 bytes. */
function readDeletes(decoder: decoding.Decoder): Uint8Array | undefined {
  const length = decoding.peekVarUint(decoder);
  if (length > LAZY_DELETES_BYTES)
    throw new LazyLimitError(`sent a fingerprint of deletions of ${length} bytes`);
  const deletes = decoding.readVarUint8Array(decoder);
  if (deletes.length === 0) return undefined;
  if (deletes.length !== LAZY_DELETES_BYTES)
    throw new Error(`a fingerprint of deletions of ${deletes.length} bytes`);
  return deletes;
}

function readEntries(decoder: decoding.Decoder, maxBytes: number, listed = false): LazyEntry[] {
  const count = decoding.readVarUint(decoder);
  if (count > MAX_ENTRIES_PER_MESSAGE)
    throw new LazyLimitError(`sent ${count} documents in one message`);
  const entries: LazyEntry[] = [];
  for (let i = 0; i < count; i++) {
    const entry = readEntry(decoder, maxBytes);
    entries.push(listed ? { ...entry, deletes: readDeletes(decoder) } : entry);
  }
  return entries;
}

/** A message that decodes but passes a bound: the peer is dropped at once, not merely counted. */
export class LazyLimitError extends Error {}

/**
 * Reads the body of a lazy message whose type `type` was already read from `decoder`. Throws
 * when it does not decode, and {@link LazyLimitError} when it passes a bound.
 */
export function readLazyMessage(type: number, decoder: decoding.Decoder): LazyMessage {
  switch (type) {
    case MESSAGE_LAZY_LIST:
      return { type: 'lazyList', entries: readEntries(decoder, MAX_LAZY_VECTOR_BYTES, true) };
    case MESSAGE_LAZY_LIST_END:
      return { type: 'lazyListEnd', listed: decoding.readVarUint(decoder) };
    case MESSAGE_LAZY_BATCH: {
      const seq = decoding.readVarUint(decoder);
      return { type: 'lazyBatch', seq, entries: readEntries(decoder, MAX_LAZY_UPDATE_BYTES) };
    }
    case MESSAGE_LAZY_ACK:
      return { type: 'lazyAck', seq: decoding.readVarUint(decoder) };
    case MESSAGE_LAZY_BATCHES_END:
      return { type: 'lazyBatchesEnd', sent: decoding.readVarUint(decoder) };
    case MESSAGE_LAZY_UPDATE:
      return { type: 'lazyUpdate', entry: readEntry(decoder, MAX_LAZY_UPDATE_BYTES) };
    case MESSAGE_LAZY_WANT:
      return { type: 'lazyWant', entry: readEntry(decoder, MAX_LAZY_VECTOR_BYTES) };
    default:
      throw new Error(`not a lazy message type: ${type}`);
  }
}
