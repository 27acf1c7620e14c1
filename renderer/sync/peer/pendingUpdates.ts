/**
 * Updates from one peer that cannot be applied yet because they continue a client's changes from
 * a clock this document has not reached (a gap: an earlier message was lost, or the peer sent its
 * live changes before the history they build on).
 *
 * Yjs would keep such an update in `doc.store.pendingStructs` and merge every later update into it
 * and retry integrating the whole merge, which is quadratic in the number of waiting updates (3,000
 * of them took 37 s) and unbounded in memory. Outpost holds them here instead, per peer and within
 * limits, checks with `Y.parseUpdateMeta` which ones the document can now take, and applies those
 * in order once the missing changes arrive.
 */
import * as Y from 'yjs';
import { raise, type StateVector } from './stateVectors';

export interface PendingLimits {
  /** Most bytes of waiting updates held for one peer. */
  readonly maxBytes: number;
  /** Most waiting updates held for one peer. */
  readonly maxUpdates: number;
}

export const DEFAULT_PENDING_LIMITS: PendingLimits = {
  maxBytes: 16 * 1024 * 1024,
  maxUpdates: 2048,
};

/** Where an update's changes start and end, per client (`Y.parseUpdateMeta`). */
export interface UpdateMeta {
  readonly from: ReadonlyMap<number, number>;
  readonly to: ReadonlyMap<number, number>;
}

/** True when a document at `stateVector` has every change `meta`'s update continues from. */
export function dependenciesMet(meta: UpdateMeta, stateVector: StateVector): boolean {
  for (const [client, clock] of meta.from) if (clock > (stateVector.get(client) ?? 0)) return false;
  return true;
}

/** Reads an update's meta; throws on an update Yjs cannot decode. */
export function readUpdateMeta(update: Uint8Array): UpdateMeta {
  return Y.parseUpdateMeta(update);
}

interface Held {
  readonly update: Uint8Array;
  readonly meta: UpdateMeta;
}

export class PendingUpdates {
  private held: Held[] = [];
  private heldBytes = 0;

  get bytes(): number {
    return this.heldBytes;
  }

  get count(): number {
    return this.held.length;
  }

  /**
   * Holds an update until its dependencies arrive. Returns false, holding nothing more, when it
   * would take this peer past its limits: the peer sends what we cannot use and must be dropped.
   */
  hold(update: Uint8Array, meta: UpdateMeta, limits = DEFAULT_PENDING_LIMITS): boolean {
    if (
      this.held.length + 1 > limits.maxUpdates ||
      this.heldBytes + update.length > limits.maxBytes
    )
      return false;
    this.held.push({ update, meta });
    this.heldBytes += update.length;
    return true;
  }

  /**
   * Removes and returns, in an order the document can apply them, the held updates whose
   * dependencies a document at `stateVector` has or that an earlier returned update brings.
   */
  takeReady(stateVector: StateVector): Uint8Array[] {
    if (this.held.length === 0) return [];
    const reached = new Map(stateVector);
    const ready: Uint8Array[] = [];
    let waiting = this.held;
    // One pass takes a whole in-order run; another pass is needed only when a taken update
    // completes what an earlier-held one waited for (updates that arrived out of order).
    for (let progress = true; progress && waiting.length > 0;) {
      progress = false;
      const still: Held[] = [];
      for (const item of waiting) {
        if (dependenciesMet(item.meta, reached)) {
          ready.push(item.update);
          this.heldBytes -= item.update.length;
          raise(reached, item.meta.to);
          progress = true;
        } else {
          still.push(item);
        }
      }
      waiting = still;
    }
    this.held = waiting;
    return ready;
  }

  /** The clients whose earlier changes the held updates wait for (what to ask the peer for). */
  waitingFor(stateVector: StateVector): Set<number> {
    const clients = new Set<number>();
    for (const { meta } of this.held)
      for (const [client, clock] of meta.from)
        if (clock > (stateVector.get(client) ?? 0)) clients.add(client);
    return clients;
  }

  clear(): void {
    this.held = [];
    this.heldBytes = 0;
  }
}
