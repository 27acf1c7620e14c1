/**
 * Time stamps and nonces on the signaling messages Outpost seals (issue 16), so that copies and
 * replays are dropped: the same announce reaching us through two signaling servers, or anything a
 * server (or whoever can reach it) saw and sends again. The stamp is inside the sealed message, so
 * nobody without the room key can make or change one. Messages without a stamp come from stock
 * y-webrtc clients and are taken as before (docs/PROTOCOL.md §5.2 says what that leaves open).
 */

/** How far a stamp may be from our clock, either way: laptops' clocks drift, but not by this. */
export const SIGNAL_MAX_SKEW_MS = 30 * 60_000;
/** Nonces remembered (those older than the skew window are forgotten first). */
export const MAX_REMEMBERED_NONCES = 4096;

export type SignalVerdict = 'fresh' | 'unstamped' | 'copy' | 'stale' | 'malformed';

export interface Stamped {
  readonly ts: number;
  readonly nonce: string;
}

function randomNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

export class SignalFreshness {
  /** Nonce → its stamp's time, oldest first (a Map keeps insertion order). */
  private readonly seen = new Map<string, number>();

  constructor(private readonly now: () => number) {}

  /** A new stamp: one per message, or one per announcement however many servers carry it. */
  stamp(): Stamped {
    return { ts: this.now(), nonce: randomNonce() };
  }

  /** Whether to act on a received message, by its stamp; remembers the nonce of a fresh one. */
  check(message: Readonly<Record<string, unknown>>): SignalVerdict {
    const { ts, nonce } = message;
    if (ts === undefined && nonce === undefined) return 'unstamped';
    if (
      typeof nonce !== 'string' ||
      nonce.length < 16 ||
      nonce.length > 64 ||
      typeof ts !== 'number' ||
      !Number.isFinite(ts)
    )
      return 'malformed';
    const now = this.now();
    if (Math.abs(now - ts) > SIGNAL_MAX_SKEW_MS) return 'stale';
    if (this.seen.has(nonce)) return 'copy';
    this.forgetOld(now);
    this.seen.set(nonce, ts);
    return 'fresh';
  }

  private forgetOld(now: number): void {
    for (const [nonce, ts] of this.seen) {
      if (this.seen.size < MAX_REMEMBERED_NONCES && now - ts <= SIGNAL_MAX_SKEW_MS) break;
      this.seen.delete(nonce);
    }
  }
}
