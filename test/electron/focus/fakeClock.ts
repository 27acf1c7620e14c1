/**
 * A fake wall clock with timers, for the main process's focus tests: `advanceTo` moves time
 * forward and fires every timer that falls due, each at its own due time (as a real event loop
 * would); `sleep` moves the clock without firing anything, as a laptop lid closed would.
 */
import type { FocusTimers } from '../../../electron/main/focus/focusService';

interface Pending {
  readonly id: number;
  readonly at: number;
  readonly callback: () => void;
}

export class FakeClock {
  private time: number;
  private nextId = 1;
  private pending: Pending[] = [];

  constructor(start: number) {
    this.time = start;
  }

  now = (): number => this.time;

  readonly timers: FocusTimers = {
    setTimeout: (callback, delayMs) => {
      const id = this.nextId++;
      this.pending.push({ id, at: this.time + Math.max(0, delayMs), callback });
      return id;
    },
    clearTimeout: (handle) => {
      this.pending = this.pending.filter((timer) => timer.id !== handle);
    },
  };

  /** Timers waiting to fire. */
  get pendingCount(): number {
    return this.pending.length;
  }

  /** Moves to `target`, firing due timers in order at their own times. */
  advanceTo(target: number): void {
    for (let guard = 0; guard < 1_000_000; guard++) {
      const due = this.pending
        .filter((timer) => timer.at <= target)
        .sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (!due) break;
      this.pending = this.pending.filter((timer) => timer !== due);
      this.time = Math.max(this.time, due.at);
      due.callback();
    }
    this.time = Math.max(this.time, target);
  }

  advanceBy(ms: number): void {
    this.advanceTo(this.time + ms);
  }

  /**
   * The machine sleeps for `ms`: the wall clock jumps and the timers, which count time awake, are
   * pushed back by the same amount.
   */
  sleep(ms: number): void {
    this.time += ms;
    this.pending = this.pending.map((timer) => ({ ...timer, at: timer.at + ms }));
  }
}
