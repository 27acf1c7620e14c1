/**
 * When durable storage compacts: nothing below the threshold, after a pause once due, at the
 * deadline under steady editing, at once when urgent. The clock and timers are the edge faked.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createCompactionSchedule } from '../../../../renderer/sync/storage/compactionSchedule';

function schedule(options = {}) {
  const runs: number[] = [];
  const compaction = createCompactionSchedule(() => runs.push(Date.now()), Date.now, {
    growthRatio: 0.5,
    maxRowsBetweenCompactions: 10,
    compactDelayMs: 1000,
    compactMaxWaitMs: 5000,
    ...options,
  });
  compaction.reset({ stateBytes: 10_000, bytesSince: 0, rowsSince: 0 });
  return { compaction, runs };
}

describe('the compaction schedule', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 0 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('does not compact while what was stored since is small', () => {
    const { compaction, runs } = schedule();
    for (let i = 0; i < 5; i++) compaction.changed(100);
    vi.advanceTimersByTime(60_000);
    expect(runs).toEqual([]);
  });

  it('compacts once the edits pause after growth past the share of the state', () => {
    const { compaction, runs } = schedule();
    compaction.changed(6000);
    vi.advanceTimersByTime(999);
    expect(runs).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(runs).toEqual([1000]);
  });

  it('compacts after as many rows as allowed, however small', () => {
    const { compaction, runs } = schedule();
    for (let i = 0; i < 10; i++) compaction.changed(1);
    vi.advanceTimersByTime(1000);
    expect(runs).toHaveLength(1);
  });

  it('runs at the deadline under steady editing', () => {
    const { compaction, runs } = schedule();
    compaction.changed(6000);
    // A change every half second keeps putting the pause off, but not past 5 s.
    for (let t = 500; t <= 8000; t += 500) {
      vi.advanceTimersByTime(500);
      if (runs.length === 0) compaction.changed(10);
    }
    expect(runs).toEqual([5000]);
  });

  it('runs at once when the rows nearly double the state', () => {
    const { compaction, runs } = schedule();
    compaction.changed(100_000);
    vi.advanceTimersByTime(0);
    expect(runs).toEqual([0]);
  });

  it('cancels a scheduled compaction, says so, and schedules none after', () => {
    const { compaction, runs } = schedule();
    expect(compaction.cancel()).toBe(false);
    const again = schedule();
    again.compaction.changed(6000);
    expect(again.compaction.cancel()).toBe(true);
    again.compaction.changed(6000);
    vi.advanceTimersByTime(60_000);
    expect([...runs, ...again.runs]).toEqual([]);
  });
});
