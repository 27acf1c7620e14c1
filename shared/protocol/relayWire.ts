/**
 * The relay mailbox's messages (docs/PROTOCOL.md §5.5): binary WebSocket frames at path `/mailbox`,
 * each `varUint type` followed by its fields in lib0 encoding. Written and read here by both the
 * relay (electron/relay/) and the client (renderer/sync/relay/), so the two cannot drift apart.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

export const MAILBOX_PATH = '/mailbox';
export const MAILBOX_VERSION = 1;
/**
 * Version 2 adds `PAGE` and `MORE`: a client reads what is stored a page at a time, asking for the
 * next once it has stored the last, so a device joining 100,000 bodies never holds them all. A
 * version 2 relay takes version 1 hellos as before; a version 1 relay refuses a version 2 hello
 * (`ERROR` version), and the client then uses version 1.
 */
export const MAILBOX_VERSION_PAGED = 2;

/** Client → relay. */
export const HELLO = 0;
export const PUT = 1;
export const SINCE = 2;
export const PAGE = 3;
/** Relay → client. */
export const WELCOME = 16;
export const ACK = 17;
export const BLOBS = 18;
export const UPTO = 19;
export const REFUSED = 20;
export const ERROR = 21;
export const MORE = 22;

/** Why a relay refused a put (REFUSED) or ended a connection (ERROR). */
export const RELAY_ERRORS = {
  malformed: 1,
  forbidden: 2,
  version: 3,
  roomFull: 4,
  tooLarge: 5,
  rate: 6,
  serverFull: 7,
  notReady: 8,
} as const;
export type RelayErrorName = keyof typeof RELAY_ERRORS;

export type ClientMessage =
  | {
      readonly type: typeof HELLO;
      readonly version: number;
      readonly room: Uint8Array;
      readonly token: Uint8Array;
    }
  | { readonly type: typeof PUT; readonly envelope: Uint8Array }
  /** Everything after `after`; `streams` empty for every stream of the room. */
  | { readonly type: typeof SINCE; readonly after: number; readonly streams: Uint8Array[] }
  /**
   * Version 2: what is stored after `after`, at most about `maxBytes` of envelopes (at least one),
   * answered by `BLOBS` then `MORE` (ask again) or `UPTO` (caught up: forwarding starts, as after
   * `SINCE`). `streams` empty for every stream of the room.
   */
  | {
      readonly type: typeof PAGE;
      readonly after: number;
      readonly maxBytes: number;
      readonly streams: Uint8Array[];
    };

export interface StoredBlob {
  readonly seq: number;
  readonly envelope: Uint8Array;
}

export type RelayMessage =
  | { readonly type: typeof WELCOME; readonly head: number; readonly maxEnvelopeBytes: number }
  | { readonly type: typeof ACK; readonly counter: number; readonly seq: number }
  | { readonly type: typeof BLOBS; readonly blobs: StoredBlob[] }
  | { readonly type: typeof UPTO; readonly head: number }
  | {
      readonly type: typeof REFUSED;
      readonly counter: number;
      readonly code: number;
      readonly message: string;
    }
  | { readonly type: typeof ERROR; readonly code: number; readonly message: string }
  /** A page ended before the head: everything up to `seq` was sent; ask again from there. */
  | { readonly type: typeof MORE; readonly seq: number };

export function encodeClientMessage(message: ClientMessage): Uint8Array<ArrayBuffer> {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, message.type);
  switch (message.type) {
    case HELLO:
      encoding.writeVarUint(encoder, message.version);
      encoding.writeVarUint8Array(encoder, message.room);
      encoding.writeVarUint8Array(encoder, message.token);
      break;
    case PUT:
      encoding.writeVarUint8Array(encoder, message.envelope);
      break;
    case SINCE:
      encoding.writeVarUint(encoder, message.after);
      encoding.writeVarUint(encoder, message.streams.length);
      for (const stream of message.streams) encoding.writeVarUint8Array(encoder, stream);
      break;
    case PAGE:
      encoding.writeVarUint(encoder, message.after);
      encoding.writeVarUint(encoder, message.maxBytes);
      encoding.writeVarUint(encoder, message.streams.length);
      for (const stream of message.streams) encoding.writeVarUint8Array(encoder, stream);
      break;
  }
  return ownBuffer(encoding.toUint8Array(encoder));
}

/** Reads a client frame; `undefined` when it is not one (the relay then answers `malformed`). */
export function decodeClientMessage(
  bytes: Uint8Array,
  maxStreams: number,
): ClientMessage | undefined {
  try {
    const decoder = decoding.createDecoder(bytes);
    const type = decoding.readVarUint(decoder);
    let message: ClientMessage | undefined;
    if (type === HELLO) {
      message = {
        type,
        version: decoding.readVarUint(decoder),
        room: decoding.readVarUint8Array(decoder),
        token: decoding.readVarUint8Array(decoder),
      };
    } else if (type === PUT) {
      message = { type, envelope: decoding.readVarUint8Array(decoder) };
    } else if (type === SINCE || type === PAGE) {
      const after = decoding.readVarUint(decoder);
      const maxBytes = type === PAGE ? decoding.readVarUint(decoder) : 0;
      const count = decoding.readVarUint(decoder);
      if (count > maxStreams) return undefined;
      const streams: Uint8Array[] = [];
      for (let i = 0; i < count; i++) streams.push(decoding.readVarUint8Array(decoder));
      message = type === PAGE ? { type, after, maxBytes, streams } : { type, after, streams };
    }
    // Trailing bytes mean a frame of some other shape: refuse rather than guess.
    return message && !decoding.hasContent(decoder) ? message : undefined;
  } catch {
    return undefined;
  }
}

export function encodeRelayMessage(message: RelayMessage): Uint8Array<ArrayBuffer> {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, message.type);
  switch (message.type) {
    case WELCOME:
      encoding.writeVarUint(encoder, message.head);
      encoding.writeVarUint(encoder, message.maxEnvelopeBytes);
      break;
    case ACK:
      encoding.writeVarUint(encoder, message.counter);
      encoding.writeVarUint(encoder, message.seq);
      break;
    case BLOBS:
      encoding.writeVarUint(encoder, message.blobs.length);
      for (const blob of message.blobs) {
        encoding.writeVarUint(encoder, blob.seq);
        encoding.writeVarUint8Array(encoder, blob.envelope);
      }
      break;
    case UPTO:
    case MORE:
      encoding.writeVarUint(encoder, message.type === UPTO ? message.head : message.seq);
      break;
    case REFUSED:
      encoding.writeVarUint(encoder, message.counter);
      encoding.writeVarUint(encoder, message.code);
      encoding.writeVarString(encoder, message.message);
      break;
    case ERROR:
      encoding.writeVarUint(encoder, message.code);
      encoding.writeVarString(encoder, message.message);
      break;
  }
  return ownBuffer(encoding.toUint8Array(encoder));
}

/** Reads a relay frame; `undefined` when it is not one (the client then drops the connection). */
export function decodeRelayMessage(bytes: Uint8Array): RelayMessage | undefined {
  try {
    const decoder = decoding.createDecoder(bytes);
    const type = decoding.readVarUint(decoder);
    let message: RelayMessage | undefined;
    switch (type) {
      case WELCOME:
        message = {
          type,
          head: decoding.readVarUint(decoder),
          maxEnvelopeBytes: decoding.readVarUint(decoder),
        };
        break;
      case ACK:
        message = {
          type,
          counter: decoding.readVarUint(decoder),
          seq: decoding.readVarUint(decoder),
        };
        break;
      case BLOBS: {
        const count = decoding.readVarUint(decoder);
        const blobs: StoredBlob[] = [];
        for (let i = 0; i < count; i++)
          blobs.push({
            seq: decoding.readVarUint(decoder),
            envelope: decoding.readVarUint8Array(decoder),
          });
        message = { type, blobs };
        break;
      }
      case UPTO:
        message = { type, head: decoding.readVarUint(decoder) };
        break;
      case MORE:
        message = { type, seq: decoding.readVarUint(decoder) };
        break;
      case REFUSED:
        message = {
          type,
          counter: decoding.readVarUint(decoder),
          code: decoding.readVarUint(decoder),
          message: decoding.readVarString(decoder),
        };
        break;
      case ERROR:
        message = {
          type,
          code: decoding.readVarUint(decoder),
          message: decoding.readVarString(decoder),
        };
        break;
    }
    return message && !decoding.hasContent(decoder) ? message : undefined;
  } catch {
    return undefined;
  }
}

/** lib0 encoders allocate plain ArrayBuffers; this says so to the WebSocket and WebCrypto types. */
function ownBuffer(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return bytes as Uint8Array<ArrayBuffer>;
}
