/**
 * The WebRTC handshakes a sync provider has in flight, each with a deadline. A handshake starts on
 * an announce or an offer, and nothing guarantees it ends: the other side may have left, or never
 * existed (a replayed announce), and WebRTC itself may wait forever for an answer that will not
 * come. Without a bound, such entries stay "connecting" for good and, counted against the
 * connection limit, end up locking every new peer out. So a handshake that has not completed
 * within `timeoutMs` expires, and at most `maxPending` run at once: a new one pushes out the
 * oldest, which is the likeliest to be dead (a live peer on a LAN answers in well under a second).
 *
 * The clock is passed in, so tests drive the deadlines with a fake one.
 */

/** Time and timers; {@link systemClock} in the app, a fake in tests. */
export interface Clock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** Why a handshake stopped counting without completing. */
export type HandshakeEnd = 'timed out' | 'pushed out';

export interface HandshakeLimits {
  /** How long a handshake may take before it is given up. */
  readonly timeoutMs: number;
  /** Most handshakes in flight; one more pushes the oldest out. */
  readonly maxPending: number;
}

export class PendingHandshakes<T> {
  /** Start times, oldest first (Map keeps insertion order, and a restart re-inserts). */
  private readonly started = new Map<T, number>();
  private timer: unknown = null;

  /** `onGiveUp` is called for each handshake that timed out or was pushed out, once. */
  constructor(
    private readonly limits: HandshakeLimits,
    private readonly clock: Clock,
    private readonly onGiveUp: (handshake: T, why: HandshakeEnd) => void,
  ) {}

  get size(): number {
    return this.started.size;
  }

  has(handshake: T): boolean {
    return this.started.has(handshake);
  }

  /** Starts the clock on `handshake` (again, if it was already running). */
  add(handshake: T): void {
    this.started.delete(handshake);
    this.started.set(handshake, this.clock.now());
    while (this.started.size > this.limits.maxPending) {
      const oldest = this.started.keys().next().value as T;
      this.started.delete(oldest);
      this.onGiveUp(oldest, 'pushed out');
    }
    this.schedule();
  }

  /** The handshake completed or was abandoned: it no longer counts. */
  delete(handshake: T): void {
    if (this.started.delete(handshake)) this.schedule();
  }

  /** Forgets every handshake without giving any up (their owner is closing them all). */
  clear(): void {
    this.started.clear();
    this.schedule();
  }

  private schedule(): void {
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = null;
    const oldest = this.started.values().next();
    if (oldest.done) return;
    const wait = Math.max(0, oldest.value + this.limits.timeoutMs - this.clock.now());
    this.timer = this.clock.setTimeout(this.expire, wait);
  }

  private readonly expire = (): void => {
    this.timer = null;
    const now = this.clock.now();
    const expired: T[] = [];
    for (const [handshake, at] of this.started) {
      if (now - at < this.limits.timeoutMs) break;
      expired.push(handshake);
    }
    for (const handshake of expired) this.started.delete(handshake);
    this.schedule();
    for (const handshake of expired) this.onGiveUp(handshake, 'timed out');
  };
}
