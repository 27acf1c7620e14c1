/**
 * The framing of `bodies.bin` (bench/seedFiles.ts writes it, the bench page reads it): a varUint
 * count, then each body document as (varString id, varUint8Array update). No Node imports: the
 * bench page bundles it.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

export function encodeSeedBodies(bodies: ReadonlyMap<string, Uint8Array>): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, bodies.size);
  for (const [id, update] of bodies) {
    encoding.writeVarString(encoder, id);
    encoding.writeVarUint8Array(encoder, update);
  }
  return encoding.toUint8Array(encoder);
}

/** The body documents of a `bodies.bin`, one at a time. */
export function* readSeedBodies(file: Uint8Array): Generator<[string, Uint8Array]> {
  const decoder = decoding.createDecoder(file);
  const count = decoding.readVarUint(decoder);
  for (let n = 0; n < count; n++)
    yield [decoding.readVarString(decoder), decoding.readVarUint8Array(decoder).slice()];
}

/** How many body documents a `bodies.bin` holds (its count, read without the rest). */
export function countSeedBodies(file: Uint8Array): number {
  return decoding.readVarUint(decoding.createDecoder(file));
}
