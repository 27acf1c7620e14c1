/**
 * The lazy-document exchange's state for one peer (lazySync.ts drives it): what the peer listed
 * and we still answer, our batches out and unacknowledged, what it sent that is not stored yet.
 * Kept on the peer's endpoint like every part's per-peer state, apart from the exchange so the
 * endpoint can name it without importing the exchange.
 */
import type { LazyEntry } from './lazyWire';
import type { LazyProgress } from './types';

/** The origin of updates stored from a peer, so the exchange does not send them on. */
export class LazyReceipt {
  /** `peerId`: the peer's signaling id, for log lines and tests. */
  constructor(readonly peerId: string) {}
}

/** The exchange with one peer: what it listed, what we answer, what it sent us. */
export class LazyPeer {
  phase: LazyProgress['phase'] = 'waiting';
  readonly origin: LazyReceipt;
  /** Ids the peer listed; after its listing ended, what we hold beyond them goes to it too. */
  readonly listed = new Set<string>();
  listedBytes = 0;
  /** Listed entries not answered yet. */
  readonly toAnswer: LazyEntry[] = [];
  toAnswerBytes = 0;
  theirListEnded = false;
  peerHolds: number | null = null;
  weHold: number | null = null;
  answering = false;
  batch: LazyEntry[] = [];
  batchBytes = 0;
  nextSeq = 0;
  /** Batches sent and not acknowledged, by sequence number: their sizes. */
  readonly out = new Map<number, number>();
  outBytes = 0;
  sent = 0;
  answersDone = false;
  /** Stores what the peer sent one message at a time, in order. */
  storing: Promise<void> = Promise.resolve();
  storingBytes = 0;
  received = 0;
  theirAnswersDone = false;
  stopped = false;
  private waiter: (() => void) | null = null;

  constructor(peerId: string) {
    this.origin = new LazyReceipt(peerId);
  }

  /** What the peer makes us hold through the exchange (for the inbound budget). */
  get heldBytes(): number {
    return this.listedBytes + this.toAnswerBytes + this.storingBytes;
  }

  /** Resolves once `ready()` holds or the exchange stopped; only the answering loop waits. */
  async until(ready: () => boolean): Promise<void> {
    while (!ready() && !this.stopped) await new Promise<void>((resolve) => (this.waiter = resolve));
  }

  wake(): void {
    const waiter = this.waiter;
    this.waiter = null;
    waiter?.();
  }

  stop(): void {
    this.stopped = true;
    this.listed.clear();
    this.toAnswer.length = 0;
    this.listedBytes = this.toAnswerBytes = 0;
    this.batch = [];
    this.wake();
  }
}
