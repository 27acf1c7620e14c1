/**
 * When durable storage compacts (durableStorage.ts does the compacting): it counts what was
 * stored since the last compaction and runs `compact` once that grows past a share of the state
 * or a number of rows, after the edits pause but never later than a deadline, and at once when
 * the rows nearly double the state. Kept apart so the policy reads (and is tested) on its own.
 */

/** Changes since the last compaction this large (× the state) make compaction urgent. */
const URGENT_GROWTH = 0.8;

export interface CompactionScheduleOptions {
  /** Compact once changes since the last compaction exceed this share of the state size. */
  readonly growthRatio?: number;
  /** …or this many rows. */
  readonly maxRowsBetweenCompactions?: number;
  /** Quiet time before a due compaction runs. */
  readonly compactDelayMs?: number;
  /** Longest a due compaction waits for quiet: under steady editing it runs after this anyway. */
  readonly compactMaxWaitMs?: number;
}

/** What is stored: the compacted state's size and what was added since. */
export interface StoredAmount {
  readonly stateBytes: number;
  readonly bytesSince: number;
  readonly rowsSince: number;
}

export interface CompactionSchedule {
  readonly delayMs: number;
  /** The stored amount as a load or a compaction left it. */
  reset(amount: StoredAmount): void;
  stateBytes(): number;
  /** Counts one stored change and schedules a compaction when one is due. */
  changed(bytes: number): void;
  /** Runs a compaction after a pause (at once when urgent). */
  schedule(urgent?: boolean): void;
  /** A compaction runs now: no deadline is pending any more. */
  started(): void;
  /** Cancels a scheduled compaction; says whether one was scheduled. */
  cancel(): boolean;
}

export function createCompactionSchedule(
  compact: () => void,
  now: () => number,
  options: CompactionScheduleOptions = {},
): CompactionSchedule {
  const growthRatio = options.growthRatio ?? 0.5;
  const maxRows = options.maxRowsBetweenCompactions ?? 300;
  const delayMs = options.compactDelayMs ?? 1000;
  const maxWaitMs = options.compactMaxWaitMs ?? 5 * delayMs;
  let stored: StoredAmount = { stateBytes: 0, bytesSince: 0, rowsSince: 0 };
  let timer: ReturnType<typeof setTimeout> | null = null;
  let deadline: number | null = null;
  let cancelled = false;

  const due = () =>
    stored.bytesSince > Math.max(stored.stateBytes * growthRatio, 512) ||
    stored.rowsSince >= maxRows;
  /** Stored rows are close to twice the state (or many): compacting cannot wait for a pause. */
  const urgent = () =>
    stored.bytesSince > Math.max(stored.stateBytes * URGENT_GROWTH, 64 * 1024) ||
    stored.rowsSince >= 2 * maxRows;

  function schedule(isUrgent = false): void {
    if (cancelled) return;
    // Each change puts a due compaction off until the edits pause, but never past its deadline:
    // someone typing without a pause for minutes would otherwise grow the rows without bound. An
    // urgent one (the rows nearly double the state) runs at once.
    const at = now();
    deadline = Math.min(deadline ?? Infinity, at + (isUrgent ? 0 : maxWaitMs));
    if (timer !== null) clearTimeout(timer);
    timer = setTimeout(
      () => {
        timer = null;
        compact();
      },
      Math.max(0, Math.min(delayMs, deadline - at)),
    );
  }

  return {
    delayMs,
    reset(amount) {
      stored = amount;
    },
    stateBytes: () => stored.stateBytes,
    changed(bytes) {
      stored = {
        stateBytes: stored.stateBytes,
        bytesSince: stored.bytesSince + bytes,
        rowsSince: stored.rowsSince + 1,
      };
      if (due()) schedule(urgent());
    },
    schedule,
    started() {
      deadline = null;
    },
    cancel() {
      const wasScheduled = timer !== null;
      if (timer !== null) clearTimeout(timer);
      timer = null;
      cancelled = true;
      return wasScheduled;
    },
  };
}
