/**
 * The data-channel messages between two peers (see docs/PROTOCOL.md, "Peer messages"). A message
 * starts with a varUint type; types 0, 1 and 3 are y-webrtc's own (Yjs sync, awareness, awareness
 * query), so a stock y-webrtc client understands everything except the chunk frames below.
 *
 * WebRTC data channels lose a message larger than the remote side's maximum message size (64 KiB
 * is all the specification guarantees) without an error. A message larger than
 * {@link MAX_FRAME_BYTES} is therefore sent as chunk frames:
 * ```
 * varUint 100 · varUint messageId · varUint index · varUint count · varUint8Array piece
 * ```
 * whose pieces, concatenated in index order, are the original message. Frames of one message
 * are sent in order on the channel (reliable and ordered); another message's frames may not
 * interleave with them.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

export const MESSAGE_SYNC = 0;
export const MESSAGE_AWARENESS = 1;
export const MESSAGE_QUERY_AWARENESS = 3;
/** y-webrtc's BroadcastChannel peer id announcement; never sent over data channels. */
export const MESSAGE_BC_PEER_ID = 4;
export const MESSAGE_CHUNK = 100;
/**
 * Outpost's first message on a new connection (`varUint 101 · varUint version`): it tells the
 * other side that this peer reassembles chunk frames and sends {@link MESSAGE_HAVE}. A stock
 * y-webrtc client answers it with an empty message; its own first message is its state vector.
 */
export const MESSAGE_HELLO = 101;
export const HELLO_VERSION = 1;
/**
 * Hello version 2 adds `varUint8Array nonce` (32 random bytes, fresh per connection): the sender
 * proves its device key ({@link MESSAGE_PROOF}) and expects the other side's proof over it.
 * Version 1 readers read only the version and ignore the rest.
 */
export const HELLO_VERSION_PROOF = 2;
/**
 * Device proof (`varUint 103 · varString deviceKey · varString signature`), sent right after the
 * other side's hello v2 and before any sync message (shared/protocol/peerProof.ts). A device that
 * joined with a restricted invite adds `varString use`, its signed use of it as JSON
 * (shared/model/inviteUses.ts); readers before that read the first two fields only.
 */
export const MESSAGE_PROOF = 103;
/**
 * Why an invite does not let the receiver in (`varUint 104 · varString use`): the use that came
 * first, as JSON, sent just before the sender drops the connection. Signed by its own device, so
 * the receiver checks it like any use and draws its own conclusion.
 */
export const MESSAGE_INVITE_REFUSAL = 104;
/**
 * "This is what I hold now" (`varUint 102 · varUint8Array stateVector`), sent only to peers that
 * said hello, after applying changes; never answered. It is how a peer learns that what it sent
 * arrived, so "in sync" is known rather than assumed.
 */
export const MESSAGE_HAVE = 102;

/** Largest frame put on a data channel: the size every WebRTC implementation accepts. */
export const MAX_FRAME_BYTES = 64 * 1024;
/** Room for the chunk header within a frame. */
const CHUNK_HEADER_BYTES = 32;
export const CHUNK_PIECE_BYTES = MAX_FRAME_BYTES - CHUNK_HEADER_BYTES;
/** Largest message a peer reassembles (a whole workspace sent at once); bigger ones are refused. */
export const MAX_MESSAGE_BYTES = 256 * 1024 * 1024;

/** Splits a message into frames no larger than {@link MAX_FRAME_BYTES}. */
export function toFrames(message: Uint8Array, messageId: number): Uint8Array[] {
  if (message.length <= MAX_FRAME_BYTES) return [message];
  const count = Math.ceil(message.length / CHUNK_PIECE_BYTES);
  const frames: Uint8Array[] = [];
  for (let index = 0; index < count; index++) {
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, MESSAGE_CHUNK);
    encoding.writeVarUint(encoder, messageId);
    encoding.writeVarUint(encoder, index);
    encoding.writeVarUint(encoder, count);
    encoding.writeVarUint8Array(
      encoder,
      message.subarray(index * CHUNK_PIECE_BYTES, (index + 1) * CHUNK_PIECE_BYTES),
    );
    frames.push(encoding.toUint8Array(encoder));
  }
  return frames;
}

export type ReassemblyResult =
  | { readonly kind: 'message'; readonly message: Uint8Array }
  | { readonly kind: 'pending' }
  | { readonly kind: 'invalid'; readonly reason: string };

/**
 * Rebuilds chunked messages from one peer's frames. Frames that are not chunks pass through as
 * messages. A frame out of sequence, a count that changes, or a message over
 * {@link MAX_MESSAGE_BYTES} is invalid (the peer is buggy or hostile).
 */
export class Reassembler {
  private messageId = -1;
  private expected = 0;
  private count = 0;
  private pieces: Uint8Array[] = [];
  private bytes = 0;

  constructor(private readonly maxMessageBytes = MAX_MESSAGE_BYTES) {}

  /** Bytes held for a message not yet complete. */
  get pendingBytes(): number {
    return this.bytes;
  }

  push(frame: Uint8Array): ReassemblyResult {
    if (frame.length === 0) return { kind: 'invalid', reason: 'empty frame' };
    if (frame[0] !== MESSAGE_CHUNK) {
      return this.count === 0
        ? { kind: 'message', message: frame }
        : this.fail('a message interleaved with chunk frames');
    }
    let messageId: number, index: number, count: number, piece: Uint8Array;
    try {
      const decoder = decoding.createDecoder(frame);
      decoding.readVarUint(decoder);
      messageId = decoding.readVarUint(decoder);
      index = decoding.readVarUint(decoder);
      count = decoding.readVarUint(decoder);
      piece = decoding.readVarUint8Array(decoder);
    } catch {
      return this.fail('unreadable chunk frame');
    }
    if (count < 2 || count * CHUNK_PIECE_BYTES > this.maxMessageBytes + CHUNK_PIECE_BYTES) {
      return this.fail('chunk count out of range');
    }
    if (index === 0 && this.count === 0) {
      this.messageId = messageId;
      this.count = count;
      this.expected = 0;
    }
    if (messageId !== this.messageId || count !== this.count || index !== this.expected) {
      return this.fail('chunk frame out of sequence');
    }
    this.bytes += piece.length;
    if (this.bytes > this.maxMessageBytes) return this.fail('message too large');
    this.pieces.push(piece);
    this.expected++;
    if (this.expected < this.count) return { kind: 'pending' };
    const message = new Uint8Array(this.bytes);
    let offset = 0;
    for (const part of this.pieces) {
      message.set(part, offset);
      offset += part.length;
    }
    this.reset();
    return { kind: 'message', message };
  }

  private fail(reason: string): ReassemblyResult {
    this.reset();
    return { kind: 'invalid', reason };
  }

  private reset(): void {
    this.messageId = -1;
    this.count = 0;
    this.expected = 0;
    this.pieces = [];
    this.bytes = 0;
  }
}
