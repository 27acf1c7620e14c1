/** Memory peers may make this device hold, per peer and for all peers together. */
import { describe, expect, it } from 'vitest';
import { InboundBudget } from '../../renderer/sync/peer/inboundBudget';

const usage = (reassembling: number, queued = 0, pending = 0) => ({
  reassembling,
  queued,
  pending,
});

describe('inbound budget', () => {
  it('names a peer past its own limit', () => {
    const budget = new InboundBudget<string>({ perPeerBytes: 100, totalBytes: 1000 });
    expect(budget.update('a', usage(60, 40))).toBeNull();
    expect(budget.update('a', usage(60, 41))).toEqual({
      key: 'a',
      reason: expect.stringMatching(/limit per peer/),
    });
  });

  it('names the biggest holder when all peers together pass the total', () => {
    const budget = new InboundBudget<string>({ perPeerBytes: 100, totalBytes: 250 });
    expect(budget.update('a', usage(90))).toBeNull();
    expect(budget.update('b', usage(50, 0, 30))).toBeNull();
    expect(budget.totalBytes).toBe(170);
    // c stays under its own limit, but the three together pass 250: a holds the most.
    expect(budget.update('c', usage(85))?.key).toBe('a');
    budget.forget('a');
    expect(budget.totalBytes).toBe(165);
    expect(budget.update('c', usage(80, 10))).toBeNull();
    // What a peer no longer holds is no longer counted.
    expect(budget.update('b', usage(0))).toBeNull();
    expect(budget.totalBytes).toBe(90);
  });
});
