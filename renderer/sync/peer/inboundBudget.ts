/**
 * How much memory peers may make this device hold for what they sent and it has not applied:
 * frames of a message still being reassembled, complete messages queued for applying, and updates
 * waiting for changes they depend on (pendingUpdates.ts). Each peer has its own limits, and all
 * peers together have one, so 30 peers cannot each fill a per-peer allowance at once. A peer past
 * its own limit is the one to drop; past the total, the peer holding the most is.
 */

export interface InboundLimits {
  /** Reassembling plus queued bytes one peer may have us hold. */
  readonly perPeerBytes: number;
  /** Everything held for all peers together (reassembling, queued and pending). */
  readonly totalBytes: number;
}

export const DEFAULT_INBOUND_LIMITS: InboundLimits = {
  perPeerBytes: 64 * 1024 * 1024,
  totalBytes: 128 * 1024 * 1024,
};

/** What one peer currently makes us hold, by kind. */
export interface InboundUsage {
  readonly reassembling: number;
  readonly queued: number;
  readonly pending: number;
}

export interface OverBudget<K> {
  readonly key: K;
  readonly reason: string;
}

const MiB = 1024 * 1024;
const mib = (bytes: number) => `${(bytes / MiB).toFixed(1)} MiB`;

export class InboundBudget<K> {
  private readonly usage = new Map<K, InboundUsage>();
  private total = 0;

  constructor(readonly limits: InboundLimits = DEFAULT_INBOUND_LIMITS) {}

  /** Bytes held for all peers together. */
  get totalBytes(): number {
    return this.total;
  }

  bytesOf(key: K): number {
    const usage = this.usage.get(key);
    return usage ? usage.reassembling + usage.queued + usage.pending : 0;
  }

  /**
   * Records what `key` makes us hold now and says which peer, if any, has to be dropped: `key`
   * itself when it is past its own limit, else the biggest holder when all together are past the
   * total. The caller drops it and calls {@link forget}.
   */
  update(key: K, usage: InboundUsage): OverBudget<K> | null {
    this.total += usage.reassembling + usage.queued + usage.pending - this.bytesOf(key);
    this.usage.set(key, usage);
    const own = usage.reassembling + usage.queued;
    if (own > this.limits.perPeerBytes)
      return {
        key,
        reason: `sent ${mib(own)} more than we could apply (the limit per peer is ${mib(this.limits.perPeerBytes)})`,
      };
    if (this.total <= this.limits.totalBytes) return null;
    let biggest = key;
    for (const other of this.usage.keys())
      if (this.bytesOf(other) > this.bytesOf(biggest)) biggest = other;
    return {
      key: biggest,
      reason: `held the most (${mib(this.bytesOf(biggest))}) when all peers together passed the ${mib(this.limits.totalBytes)} this device holds for what peers send`,
    };
  }

  forget(key: K): void {
    this.total -= this.bytesOf(key);
    this.usage.delete(key);
  }
}
