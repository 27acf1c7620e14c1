/** Chunk frames at their limits, and frames of different messages mixed on one channel. */
import { describe, expect, it } from 'vitest';
import * as encoding from 'lib0/encoding';
import {
  CHUNK_PIECE_BYTES,
  MAX_FRAME_BYTES,
  MESSAGE_CHUNK,
  Reassembler,
  toFrames,
  type ReassemblyResult,
} from '../../../shared/protocol/frames';

function message(size: number, seed: number): Uint8Array {
  const out = new Uint8Array(size);
  for (let i = 0; i < size; i++) out[i] = (i * 131 + seed * 7) & 0xff;
  out[0] = 0;
  return out;
}

function chunk(messageId: number, index: number, count: number, piece: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_CHUNK);
  encoding.writeVarUint(encoder, messageId);
  encoding.writeVarUint(encoder, index);
  encoding.writeVarUint(encoder, count);
  encoding.writeVarUint8Array(encoder, piece);
  return encoding.toUint8Array(encoder);
}

const kinds = (results: ReassemblyResult[]) => results.map((result) => result.kind);

describe('chunk frame limits', () => {
  it('chunks from one byte over the frame limit, every frame within it even with the largest id', () => {
    expect(toFrames(message(MAX_FRAME_BYTES, 1), 0)).toHaveLength(1);
    const large = message(CHUNK_PIECE_BYTES * 300, 3);
    for (const id of [0, 127, 128, 2 ** 31, Number.MAX_SAFE_INTEGER]) {
      const frames = toFrames(message(MAX_FRAME_BYTES + 1, 2), id);
      expect(frames).toHaveLength(2);
      const big = toFrames(large, id);
      expect(big).toHaveLength(300);
      expect(Math.max(...big.map((frame) => frame.length))).toBeLessThanOrEqual(MAX_FRAME_BYTES);
    }
  });

  it('reassembles a message of exactly the largest size and refuses one byte more', () => {
    const max = CHUNK_PIECE_BYTES * 3;
    const exact = message(max, 4);
    const frames = toFrames(exact, 1);
    const reassembler = new Reassembler(max);
    const results = frames.map((frame) => reassembler.push(frame));
    expect(kinds(results)).toEqual(['pending', 'pending', 'message']);
    expect(
      results[2]!.kind === 'message' && Buffer.from(results[2]!.message).equals(Buffer.from(exact)),
    ).toBe(true);

    const over = toFrames(message(max + 1, 5), 2);
    expect(kinds(over.map((frame) => reassembler.push(frame)))).toEqual([
      'pending',
      'pending',
      'pending',
      'invalid',
    ]);
    expect(reassembler.pendingBytes).toBe(0);
  });

  it('refuses a peer that announces few chunks and sends huge pieces', () => {
    const reassembler = new Reassembler(200_000);
    expect(reassembler.push(chunk(1, 0, 2, new Uint8Array(150_000))).kind).toBe('pending');
    expect(reassembler.push(chunk(1, 1, 2, new Uint8Array(150_000)))).toEqual({
      kind: 'invalid',
      reason: 'message too large',
    });
    expect(reassembler.push(chunk(2, 0, 2, new Uint8Array(300_000)))).toEqual({
      kind: 'invalid',
      reason: 'message too large',
    });
    expect(reassembler.pendingBytes).toBe(0);
  });

  it('refuses counts that cannot be, changes of count, repeats and frames after the end', () => {
    const piece = new Uint8Array(10);
    const cases: Array<[string, Uint8Array[], string[]]> = [
      ['one chunk', [chunk(1, 0, 1, piece)], ['invalid']],
      ['zero chunks', [chunk(1, 0, 0, piece)], ['invalid']],
      ['a count past the limit', [chunk(1, 0, 2 ** 40, piece)], ['invalid']],
      [
        'a count that changes',
        [chunk(1, 0, 3, piece), chunk(1, 1, 4, piece)],
        ['pending', 'invalid'],
      ],
      ['a repeated frame', [chunk(1, 0, 3, piece), chunk(1, 0, 3, piece)], ['pending', 'invalid']],
      [
        'an id that changes',
        [chunk(1, 0, 3, piece), chunk(2, 1, 3, piece)],
        ['pending', 'invalid'],
      ],
      [
        'a frame after the end',
        [chunk(1, 0, 2, piece), chunk(1, 1, 2, piece), chunk(1, 2, 2, piece)],
        ['pending', 'message', 'invalid'],
      ],
      ['a piece cut short', [chunk(1, 0, 2, piece).subarray(0, 8)], ['invalid']],
    ];
    for (const [name, frames, expected] of cases) {
      const reassembler = new Reassembler();
      expect(kinds(frames.map((frame) => reassembler.push(frame))), name).toEqual(expected);
      expect(reassembler.pendingBytes, name).toBe(0);
    }
  });

  it('refuses chunks of two messages interleaved, then reads the next message whole', () => {
    const a = toFrames(message(150_000, 6), 10);
    const b = toFrames(message(150_000, 7), 11);
    expect(a).toHaveLength(3);
    const reassembler = new Reassembler();
    const mixed = [a[0]!, b[0]!, a[1]!, b[1]!, a[2]!, b[2]!];
    expect(kinds(mixed.map((frame) => reassembler.push(frame)))).toEqual([
      'pending',
      'invalid', // b starts while a is unfinished
      'invalid', // a was given up: its later frames are out of sequence
      'invalid',
      'invalid',
      'invalid',
    ]);
    const c = message(150_000, 8);
    const results = toFrames(c, 12).map((frame) => reassembler.push(frame));
    const last = results.at(-1)!;
    expect(last.kind === 'message' && Buffer.from(last.message).equals(Buffer.from(c))).toBe(true);
  });

  it('gives back a sequence of messages of every size around the limits exactly (seeded)', () => {
    const seed = Number(process.env.FRAMES_SEED ?? Date.now() % 1_000_000);
    let state = seed || 1;
    const next = () => {
      state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
      return state / 2 ** 31;
    };
    const sizes = [
      1,
      MAX_FRAME_BYTES,
      MAX_FRAME_BYTES + 1,
      CHUNK_PIECE_BYTES * 2,
      CHUNK_PIECE_BYTES * 2 + 1,
    ];
    for (let i = 0; i < 20; i++) sizes.push(1 + Math.floor(next() * 400_000));
    const reassembler = new Reassembler();
    sizes.forEach((size, id) => {
      const original = message(size, id);
      const results = toFrames(original, id).map((frame) => reassembler.push(frame));
      const last = results.at(-1)!;
      expect(
        kinds(results.slice(0, -1)).every((kind) => kind === 'pending'),
        `seed ${seed}`,
      ).toBe(true);
      expect(
        last.kind === 'message' && Buffer.from(last.message).equals(Buffer.from(original)),
        `size ${size}, replay with FRAMES_SEED=${seed}`,
      ).toBe(true);
    });
  });
});
