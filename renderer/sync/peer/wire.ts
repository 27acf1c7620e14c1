/**
 * The messages Outpost peers exchange on a data channel, written and read with y-protocols' and
 * lib0's own encoders: y-webrtc's sync, awareness and query-awareness messages byte for byte (a
 * stock client reads them), plus Outpost's hello and have (docs/PROTOCOL.md, "Sync"). Chunk frames
 * around large messages are shared/protocol/frames.ts's.
 */
import type * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import type { Awareness } from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import {
  HELLO_VERSION,
  HELLO_VERSION_PROOF,
  MESSAGE_AWARENESS,
  MESSAGE_HAVE,
  MESSAGE_HELLO,
  MESSAGE_INVITE_REFUSAL,
  MESSAGE_PROOF,
  MESSAGE_QUERY_AWARENESS,
  MESSAGE_SYNC,
} from '../../../shared/protocol/frames';
import { HELLO_FEATURE_LAZY, isLazyType, readLazyMessage, type LazyMessage } from './lazyWire';

export const SYNC_STEP1 = syncProtocol.messageYjsSyncStep1;
export const SYNC_STEP2 = syncProtocol.messageYjsSyncStep2;
export const SYNC_UPDATE = syncProtocol.messageYjsUpdate;

function message(type: number, write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, type);
  write(encoder);
  return encoding.toUint8Array(encoder);
}

/**
 * Outpost's first message on a new connection; a stock client ignores it. With a nonce (version
 * 2) it asks the peer to prove its device key over that nonce. A peer that speaks lazy documents
 * appends a varUint of feature bits (lazyWire.ts); readers from before it stop after the version
 * (version 1) or the nonce (version 2), so they read it as before.
 */
export function helloMessage(nonce: Uint8Array | null = null, lazy = false): Uint8Array {
  return message(MESSAGE_HELLO, (encoder) => {
    encoding.writeVarUint(encoder, nonce ? HELLO_VERSION_PROOF : HELLO_VERSION);
    if (nonce) encoding.writeVarUint8Array(encoder, nonce);
    if (lazy) encoding.writeVarUint(encoder, HELLO_FEATURE_LAZY);
  });
}

/**
 * This device's key and its signature over the connection's nonces (peerProof.ts), and the use of
 * a restricted invite it joined with, as JSON, when it joined with one (inviteUses.ts).
 */
export function proofMessage(
  key: string,
  signature: string,
  use: string | null = null,
): Uint8Array {
  return message(MESSAGE_PROOF, (encoder) => {
    encoding.writeVarString(encoder, key);
    encoding.writeVarString(encoder, signature);
    if (use !== null) encoding.writeVarString(encoder, use);
  });
}

/** The use of an invite that came before the receiver's (JSON), sent before refusing it. */
export function inviteRefusalMessage(use: string): Uint8Array {
  return message(MESSAGE_INVITE_REFUSAL, (encoder) => encoding.writeVarString(encoder, use));
}

/** Sync step 1 with the document's own state vector: "send me what I lack". */
export function docStep1Message(doc: Y.Doc): Uint8Array {
  return message(MESSAGE_SYNC, (encoder) => syncProtocol.writeSyncStep1(encoder, doc));
}

/**
 * Sync step 1 with a state vector made up for the request (a piece of a stock peer's state, or
 * a probe), which `writeSyncStep1` cannot write since it always takes the document's.
 */
export function step1Message(stateVector: Uint8Array): Uint8Array {
  return message(MESSAGE_SYNC, (encoder) => {
    encoding.writeVarUint(encoder, SYNC_STEP1);
    encoding.writeVarUint8Array(encoder, stateVector);
  });
}

/**
 * Sync step 2 carrying an update already encoded: the answer may be split into pieces for a stock
 * peer, so `writeSyncStep2` (which encodes the whole diff itself) does not fit.
 */
export function step2Message(update: Uint8Array): Uint8Array {
  return message(MESSAGE_SYNC, (encoder) => {
    encoding.writeVarUint(encoder, SYNC_STEP2);
    encoding.writeVarUint8Array(encoder, update);
  });
}

/** A local change, as every y-webrtc peer sends it. */
export function updateMessage(update: Uint8Array): Uint8Array {
  return message(MESSAGE_SYNC, (encoder) => syncProtocol.writeUpdate(encoder, update));
}

/** Outpost's "this is what I hold now", so a peer knows what arrived. */
export function haveMessage(stateVector: Uint8Array): Uint8Array {
  return message(MESSAGE_HAVE, (encoder) => encoding.writeVarUint8Array(encoder, stateVector));
}

export function awarenessMessage(awareness: Awareness, clients: number[]): Uint8Array {
  return message(MESSAGE_AWARENESS, (encoder) =>
    encoding.writeVarUint8Array(
      encoder,
      awarenessProtocol.encodeAwarenessUpdate(awareness, clients),
    ),
  );
}

/** A message as read from a peer; `other` covers types Outpost ignores. */
export type PeerMessage =
  /** `lazy` is present (true) only when the hello said it speaks lazy documents. */
  | { readonly type: 'hello'; readonly nonce: Uint8Array | null; readonly lazy?: true }
  | {
      readonly type: 'proof';
      readonly key: string;
      readonly signature: string;
      readonly use: string | null;
    }
  | { readonly type: 'inviteRefusal'; readonly use: string }
  | { readonly type: 'sync'; readonly step: number; readonly payload: Uint8Array }
  | { readonly type: 'awareness'; readonly update: Uint8Array }
  | { readonly type: 'queryAwareness' }
  | { readonly type: 'have'; readonly stateVector: Uint8Array }
  | LazyMessage
  | { readonly type: 'other' };

export interface OpenedMessage {
  /** The message's type number (§5.4's table). */
  readonly type: number;
  /** The message's type: it alone tells an Outpost peer from a stock one, whatever follows. */
  readonly isHello: boolean;
  /** A message of the lazy-document exchange (lazyWire.ts), which only its speakers read. */
  readonly isLazy: boolean;
  /** Reads the rest; throws when it does not decode. */
  read(): PeerMessage;
}

/**
 * Reads a message's type now and its body on demand, since the first message decides what kind
 * of peer sent it even when its body turns out unreadable. Throws when not even the type reads.
 */
export function openMessage(bytes: Uint8Array): OpenedMessage {
  const decoder = decoding.createDecoder(bytes);
  const type = decoding.readVarUint(decoder);
  return {
    type,
    isHello: type === MESSAGE_HELLO,
    isLazy: isLazyType(type),
    read(): PeerMessage {
      switch (type) {
        case MESSAGE_HELLO: {
          const version = decoding.readVarUint(decoder);
          // Later versions keep the nonce where version 2 put it.
          const nonce = version >= HELLO_VERSION_PROOF ? decoding.readVarUint8Array(decoder) : null;
          const features = decoding.hasContent(decoder) ? decoding.readVarUint(decoder) : 0;
          return (features & HELLO_FEATURE_LAZY) !== 0
            ? { type: 'hello', nonce, lazy: true }
            : { type: 'hello', nonce };
        }
        case MESSAGE_PROOF: {
          const key = decoding.readVarString(decoder);
          const signature = decoding.readVarString(decoder);
          const use = decoding.hasContent(decoder) ? decoding.readVarString(decoder) : null;
          return { type: 'proof', key, signature, use };
        }
        case MESSAGE_INVITE_REFUSAL: {
          return { type: 'inviteRefusal', use: decoding.readVarString(decoder) };
        }
        case MESSAGE_SYNC: {
          const step = decoding.readVarUint(decoder);
          return { type: 'sync', step, payload: decoding.readVarUint8Array(decoder) };
        }
        case MESSAGE_AWARENESS:
          return { type: 'awareness', update: decoding.readVarUint8Array(decoder) };
        case MESSAGE_QUERY_AWARENESS:
          return { type: 'queryAwareness' };
        case MESSAGE_HAVE:
          return { type: 'have', stateVector: decoding.readVarUint8Array(decoder) };
        default:
          // The lazy-document exchange's own types; y-webrtc's BroadcastChannel types and future
          // extensions are other.
          return isLazyType(type) ? readLazyMessage(type, decoder) : { type: 'other' };
      }
    },
  };
}
