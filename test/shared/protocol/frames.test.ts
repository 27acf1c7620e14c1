import { describe, expect, it } from 'vitest';
import {
  CHUNK_PIECE_BYTES,
  MAX_FRAME_BYTES,
  MESSAGE_CHUNK,
  Reassembler,
  toFrames,
} from '../../../shared/protocol/frames';

function message(size: number, seed: number): Uint8Array {
  const out = new Uint8Array(size);
  for (let i = 0; i < size; i++) out[i] = (i * 31 + seed) & 0xff;
  out[0] = 0; // a sync message, as real traffic starts
  return out;
}

describe('chunk frames', () => {
  it('sends small messages as they are and large ones in frames no larger than the limit', () => {
    const small = message(MAX_FRAME_BYTES, 1);
    expect(toFrames(small, 0)).toEqual([small]);
    const large = message(5 * 1024 * 1024 + 7, 2);
    const frames = toFrames(large, 9);
    expect(frames.length).toBe(Math.ceil(large.length / CHUNK_PIECE_BYTES));
    expect(
      frames.every((frame) => frame.length <= MAX_FRAME_BYTES && frame[0] === MESSAGE_CHUNK),
    ).toBe(true);
    const reassembler = new Reassembler();
    const results = frames.map((frame) => reassembler.push(frame));
    expect(results.slice(0, -1).every((result) => result.kind === 'pending')).toBe(true);
    const last = results.at(-1)!;
    expect(last.kind).toBe('message');
    expect(last.kind === 'message' && Buffer.from(last.message).equals(Buffer.from(large))).toBe(
      true,
    );
  });

  it('refuses frames out of order, interleaved messages, oversized and unreadable chunks', () => {
    const frames = toFrames(message(200_000, 3), 1);
    const reorder = new Reassembler();
    expect(reorder.push(frames[1]!).kind).toBe('invalid');
    const interleave = new Reassembler();
    expect(interleave.push(frames[0]!).kind).toBe('pending');
    expect(interleave.push(message(10, 4)).kind).toBe('invalid');
    // After an invalid frame the reassembler starts over and reads the next message whole.
    expect(interleave.push(message(10, 5)).kind).toBe('message');
    const small = new Reassembler(100_000);
    expect(small.push(frames[0]!).kind).toBe('invalid');
    expect(new Reassembler().push(Uint8Array.of(MESSAGE_CHUNK, 0xff)).kind).toBe('invalid');
    expect(new Reassembler().push(new Uint8Array(0)).kind).toBe('invalid');
  });
});
