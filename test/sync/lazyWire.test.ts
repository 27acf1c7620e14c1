/**
 * The lazy-document messages and the hello's feature field, byte for byte as docs/PROTOCOL.md §5.4
 * writes them, read back through the provider's reader, and read by a hello reader from before
 * the field (version, then the nonce for version 2, nothing more). Bounds a peer could abuse are
 * refused while decoding.
 */
import { describe, expect, it } from 'vitest';
import * as decoding from 'lib0/decoding';
import {
  lazyAckMessage,
  lazyBatchesEndMessage,
  lazyBatchMessage,
  lazyListEndMessage,
  lazyListMessage,
  LazyLimitError,
  lazyUpdateMessage,
  lazyWantMessage,
  MAX_ENTRIES_PER_MESSAGE,
  MAX_LAZY_VECTOR_BYTES,
} from '../../renderer/sync/peer/lazyWire';
import { helloMessage, openMessage } from '../../renderer/sync/peer/wire';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

/** How hello was read before the feature field: the version, and the nonce from version 2. */
function readHelloAsBefore(bytes: Uint8Array): { version: number; nonce: Uint8Array | null } {
  const decoder = decoding.createDecoder(bytes);
  decoding.readVarUint(decoder);
  const version = decoding.readVarUint(decoder);
  return { version, nonce: version >= 2 ? decoding.readVarUint8Array(decoder) : null };
}

describe('hello with the lazy documents feature', () => {
  const nonce = Uint8Array.from({ length: 32 }, (_, i) => i);

  it('appends one varUint of feature bits, and is unchanged without it', () => {
    expect(hex(helloMessage(null, true))).toBe('650101');
    expect(hex(helloMessage(nonce, true))).toBe(`650220${hex(nonce)}01`);
    expect(hex(helloMessage(null, false))).toBe('6501');
    expect(hex(helloMessage(nonce))).toBe(`650220${hex(nonce)}`);
  });

  it('is read with the feature by the provider, and as before by an earlier reader', () => {
    expect(openMessage(helloMessage(null, true)).read()).toEqual({
      type: 'hello',
      nonce: null,
      lazy: true,
    });
    expect(openMessage(helloMessage(nonce, true)).read()).toEqual({
      type: 'hello',
      nonce,
      lazy: true,
    });
    expect(openMessage(helloMessage(nonce)).read()).toEqual({ type: 'hello', nonce });
    expect(readHelloAsBefore(helloMessage(null, true))).toEqual({ version: 1, nonce: null });
    expect(readHelloAsBefore(helloMessage(nonce, true))).toEqual({ version: 2, nonce });
  });
});

describe('the lazy messages', () => {
  const id = 'abcdefgh';
  const bytes = Uint8Array.of(0, 0);
  const deletes = Uint8Array.from({ length: 16 }, (_, i) => i * 0x11);

  it('are written as PROTOCOL.md gives them', () => {
    // The spec's example: the lazy update of `abcdefgh` with the update 00 00.
    expect(hex(lazyUpdateMessage(id, bytes))).toBe('6e086162636465666768020000');
    expect(hex(lazyWantMessage(id, Uint8Array.of(0)))).toBe('6f0861626364656667680100');
    // A listed entry's fingerprint of deletions: empty when not known, else 16 bytes.
    expect(hex(lazyListMessage([{ id, bytes: Uint8Array.of(0) }]))).toBe(
      '6901086162636465666768010000',
    );
    expect(hex(lazyListMessage([{ id, bytes: Uint8Array.of(0), deletes }]))).toBe(
      '690108616263646566676801001000112233445566778899aabbccddeeff',
    );
    expect(hex(lazyListEndMessage(300))).toBe('6aac02');
    expect(hex(lazyBatchMessage(7, [{ id, bytes }]))).toBe('6b0701086162636465666768020000');
    expect(hex(lazyAckMessage(7))).toBe('6c07');
    expect(hex(lazyBatchesEndMessage(2))).toBe('6d02');
  });

  it('are read back by the provider', () => {
    const entry = { id, bytes };
    expect(openMessage(lazyListMessage([entry])).read()).toEqual({
      type: 'lazyList',
      entries: [entry],
    });
    expect(openMessage(lazyListMessage([{ ...entry, deletes }])).read()).toEqual({
      type: 'lazyList',
      entries: [{ ...entry, deletes }],
    });
    expect(openMessage(lazyListEndMessage(300)).read()).toEqual({
      type: 'lazyListEnd',
      listed: 300,
    });
    expect(openMessage(lazyBatchMessage(7, [entry, entry])).read()).toEqual({
      type: 'lazyBatch',
      seq: 7,
      entries: [entry, entry],
    });
    expect(openMessage(lazyAckMessage(7)).read()).toEqual({ type: 'lazyAck', seq: 7 });
    expect(openMessage(lazyBatchesEndMessage(2)).read()).toEqual({
      type: 'lazyBatchesEnd',
      sent: 2,
    });
    expect(openMessage(lazyUpdateMessage(id, bytes)).read()).toEqual({
      type: 'lazyUpdate',
      entry,
    });
    expect(openMessage(lazyWantMessage(id, bytes)).read()).toEqual({ type: 'lazyWant', entry });
    // Types from 112 to 127 are reserved, read as other.
    expect(openMessage(Uint8Array.of(112)).read()).toEqual({ type: 'other' });
  });

  it('refuse more entries or a larger state vector than the bounds while decoding', () => {
    const many = Array.from({ length: MAX_ENTRIES_PER_MESSAGE + 1 }, () => ({
      id,
      bytes: Uint8Array.of(0),
    }));
    expect(() => openMessage(lazyListMessage(many)).read()).toThrow(LazyLimitError);
    const wide = new Uint8Array(MAX_LAZY_VECTOR_BYTES + 1);
    expect(() => openMessage(lazyWantMessage(id, wide)).read()).toThrow(
      'sent 65537 bytes for one document',
    );
    // A fingerprint of deletions is 16 bytes: a longer one is a limit, a shorter one unreadable.
    const long = lazyListMessage([{ id, bytes, deletes: new Uint8Array(17) }]);
    expect(() => openMessage(long).read()).toThrow(
      new LazyLimitError('sent a fingerprint of deletions of 17 bytes'),
    );
    const short = lazyListMessage([{ id, bytes, deletes: new Uint8Array(15) }]);
    expect(() => openMessage(short).read()).toThrow('a fingerprint of deletions of 15 bytes');
    expect(() => openMessage(short).read()).not.toThrow(LazyLimitError);
    // A truncated message is unreadable, not a limit.
    const cut = lazyBatchMessage(1, [{ id, bytes }]).subarray(0, 6);
    expect(() => openMessage(cut).read()).toThrow();
    expect(() => openMessage(cut).read()).not.toThrow(LazyLimitError);
  });
});
