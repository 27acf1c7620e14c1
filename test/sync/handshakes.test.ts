/**
 * The handshake tracker's deadlines and bound, on a fake clock (the one true edge here): a
 * handshake nobody completes is given up after the timeout, never before, and never stays.
 */
import { describe, expect, it } from 'vitest';
import { PendingHandshakes, type HandshakeEnd } from '../../renderer/sync/peer/handshakes';
import { FakeClock } from './fakeClock';

function tracker(limits = { timeoutMs: 10_000, maxPending: 3 }) {
  const clock = new FakeClock();
  const givenUp: Array<[string, HandshakeEnd]> = [];
  const handshakes = new PendingHandshakes<string>(limits, clock, (id, why) =>
    givenUp.push([id, why]),
  );
  return { clock, givenUp, handshakes };
}

describe('PendingHandshakes', () => {
  it('gives a handshake up when its time is over, not a moment before', () => {
    const { clock, givenUp, handshakes } = tracker();
    handshakes.add('stale-announce');
    clock.advance(9_999);
    expect(givenUp).toEqual([]);
    expect(handshakes.has('stale-announce')).toBe(true);
    clock.advance(1);
    expect(givenUp).toEqual([['stale-announce', 'timed out']]);
    expect(handshakes.size).toBe(0);
    // Nothing is left to fire later.
    expect(clock.pendingTimers).toBe(0);
  });

  it('forgets a handshake that completed, and gives up only the ones that did not', () => {
    const { clock, givenUp, handshakes } = tracker();
    handshakes.add('answered');
    clock.advance(2_000);
    handshakes.add('departed');
    clock.advance(3_000);
    handshakes.delete('answered');
    clock.advance(6_999);
    expect(givenUp).toEqual([]);
    clock.advance(1);
    expect(givenUp).toEqual([['departed', 'timed out']]);
    clock.advance(60_000);
    expect(givenUp).toEqual([['departed', 'timed out']]);
  });

  it('gives up each of many handshakes at its own deadline, in order', () => {
    const { clock, givenUp, handshakes } = tracker({ timeoutMs: 10_000, maxPending: 100 });
    for (let i = 0; i < 30; i++) {
      handshakes.add(`peer-${i}`);
      clock.advance(100);
    }
    // peer-0 started 3,000 ms ago; each later one 100 ms after the one before.
    clock.advance(7_000);
    expect(givenUp.map(([id]) => id)).toEqual(['peer-0']);
    clock.advance(2_850);
    expect(givenUp.map(([id]) => id)).toEqual(Array.from({ length: 29 }, (_, i) => `peer-${i}`));
    clock.advance(50);
    expect(handshakes.size).toBe(0);
    expect(givenUp.every(([, why]) => why === 'timed out')).toBe(true);
  });

  it('starts the clock again when a handshake is restarted', () => {
    const { clock, givenUp, handshakes } = tracker();
    handshakes.add('restarted');
    clock.advance(8_000);
    handshakes.add('restarted');
    clock.advance(8_000);
    expect(givenUp).toEqual([]);
    clock.advance(2_000);
    expect(givenUp).toEqual([['restarted', 'timed out']]);
  });

  it('pushes the oldest handshake out when one more than the bound starts', () => {
    const { clock, givenUp, handshakes } = tracker({ timeoutMs: 10_000, maxPending: 3 });
    for (const id of ['replay-1', 'replay-2', 'replay-3']) {
      handshakes.add(id);
      clock.advance(10);
    }
    handshakes.add('live-peer');
    expect(givenUp).toEqual([['replay-1', 'pushed out']]);
    expect(handshakes.size).toBe(3);
    expect(handshakes.has('live-peer')).toBe(true);
    // The others still time out on their own deadlines.
    clock.advance(10_000);
    expect(givenUp.map(([id, why]) => `${id} ${why}`)).toEqual([
      'replay-1 pushed out',
      'replay-2 timed out',
      'replay-3 timed out',
      'live-peer timed out',
    ]);
  });

  it('a handshake given up may be started again, and is given up once per start', () => {
    const clock = new FakeClock();
    const seen: string[] = [];
    const again = new PendingHandshakes<string>(
      { timeoutMs: 1_000, maxPending: 2 },
      clock,
      (id) => {
        seen.push(id);
        // The owner restarts right away (a fresh announce): the tracker stays consistent.
        if (seen.length < 3) again.add(id);
      },
    );
    again.add('flaky');
    clock.advance(5_000);
    expect(seen).toEqual(['flaky', 'flaky', 'flaky']);
    expect(again.size).toBe(0);
    expect(clock.pendingTimers).toBe(0);
  });

  it('clear() forgets everything without giving anything up', () => {
    const { clock, givenUp, handshakes } = tracker();
    handshakes.add('a');
    handshakes.add('b');
    handshakes.clear();
    clock.advance(60_000);
    expect(givenUp).toEqual([]);
    expect(clock.pendingTimers).toBe(0);
  });
});
