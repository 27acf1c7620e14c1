/**
 * Yjs state vectors as maps (client id → next clock expected from that client), and the few
 * comparisons the sync provider makes with them: what a peer is known to hold, whether it holds
 * everything we do, and the state vectors Outpost sends to ask a peer for part of what it has.
 */
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';

export type StateVector = ReadonlyMap<number, number>;

/** The document's state vector. */
export function stateVectorOf(doc: Y.Doc): Map<number, number> {
  return Y.decodeStateVector(Y.encodeStateVector(doc));
}

/** True when `holder` has every change `other` has (for each client, at least its clock). */
export function covers(holder: StateVector, other: StateVector): boolean {
  for (const [client, clock] of other) if ((holder.get(client) ?? 0) < clock) return false;
  return true;
}

/** Raises `target` to `other` wherever `other` is ahead; true when anything changed. */
export function raise(target: Map<number, number>, other: StateVector): boolean {
  let changed = false;
  for (const [client, clock] of other) {
    if (clock > (target.get(client) ?? 0)) {
      target.set(client, clock);
      changed = true;
    }
  }
  return changed;
}

/** How many changes (Yjs clocks) `other` has that `holder` lacks. */
export function missingClocks(holder: StateVector, other: StateVector): number {
  let missing = 0;
  for (const [client, clock] of other) missing += Math.max(0, clock - (holder.get(client) ?? 0));
  return missing;
}

/** Encodes a state vector the way `Y.encodeStateVector` does (v1). */
export function encodeStateVector(stateVector: StateVector): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, stateVector.size);
  for (const [client, clock] of stateVector) {
    encoding.writeVarUint(encoder, client);
    encoding.writeVarUint(encoder, clock);
  }
  return encoding.toUint8Array(encoder);
}

/** Decodes a state vector, or an empty one when it does not decode. */
export function safeDecodeStateVector(encoded: Uint8Array): Map<number, number> {
  try {
    return Y.decodeStateVector(encoded);
  } catch {
    return new Map();
  }
}
