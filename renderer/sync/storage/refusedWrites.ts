/**
 * Writes IndexedDB refused, kept and written again: the part the workspace root's storage
 * (durableStorage.ts) and the note bodies' store (lazyDocUnsaved.ts) share, so that a full disk
 * loses neither a root change nor a body edit.
 *
 * Each write carries updates of one key (a document) as one row. A write that is refused keeps
 * its updates: they go with that key's next write, merged into one row, or are written again on a
 * timer (2 s, doubling to 30 s, as relays back off). The caller's journal holds every update until
 * it is stored (`stored` confirms it there), so what is kept is only what the journal still holds:
 * an update stored by other means meanwhile (a compaction, `settle`) or of a document deleted
 * forever is not written again. The first refusal of an update is the caller's to tell; retries
 * are not told again. Once every refused update is stored, `onRecovered` says so.
 */
import * as Y from 'yjs';

/** How long after a refused write its updates are written again, doubling up to the longest wait. */
export const RETRY_FIRST_MS = 2000;
const RETRY_LONGEST_MS = 30_000;

export interface RefusedWritesOptions<K> {
  /** Writes `update` as one row of `key`; rejects when IndexedDB refuses it. */
  readonly write: (key: K, update: Uint8Array) => Promise<void>;
  /** These updates of `key` (as given to {@link RefusedWrites.write}) are stored. */
  readonly stored: (key: K, updates: readonly Uint8Array[]) => void;
  /** The updates of `key` the journal still holds as not stored. */
  readonly unsaved: (key: K) => readonly Uint8Array[];
  readonly schedule: (run: () => void, delayMs: number) => unknown;
  readonly cancel: (handle: unknown) => void;
  readonly now: () => number;
  /** Every refused update is stored now. */
  readonly onRecovered?: (at: number) => void;
}

export interface RefusedWrites<K> {
  /**
   * Writes `updates` of `key` as one row, with the updates of `key` refused before; rejects when
   * refused (they are then kept, to be written again).
   */
  write(key: K, updates: readonly Uint8Array[]): Promise<void>;
  /** These updates of `key` are stored by other means (a compaction of the whole state). */
  settle(key: K, updates: readonly Uint8Array[]): void;
  /** Drops the refused updates of `key` (its document was deleted forever). */
  forget(key: K): void;
  /** Whether a write was refused and not every refused update is stored yet. */
  failing(): boolean;
  /** Stops the timer and writes refused updates once more; what is still refused stays kept. */
  close(): Promise<void>;
}

export function createRefusedWrites<K>(options: RefusedWritesOptions<K>): RefusedWrites<K> {
  /** Updates whose write was refused, per key, oldest first. */
  const refused = new Map<K, Uint8Array[]>();
  /** Writes under way that carry updates refused before. */
  let retrying = 0;
  let failing = false;
  let retryTimer: unknown = null;
  let retryMs = RETRY_FIRST_MS;
  let closing = false;

  /** Writes `updates` as one row; `carriesRefused`: some of them were refused before. */
  function writeRow(key: K, updates: readonly Uint8Array[], carriesRefused: boolean) {
    const update = updates.length === 1 ? updates[0]! : Y.mergeUpdates([...updates]);
    if (carriesRefused) retrying++;
    return options.write(key, update).then(
      () => {
        if (carriesRefused) retrying--;
        options.stored(key, updates);
        if (carriesRefused) recoveredIfStored();
      },
      (error: unknown) => {
        if (carriesRefused) retrying--;
        keepRefused(key, updates);
        throw error;
      },
    );
  }

  /** Keeps what the journal still holds of `updates` (not settled nor forgotten meanwhile). */
  function keepRefused(key: K, updates: readonly Uint8Array[]): void {
    const unsaved = new Set(options.unsaved(key));
    const kept = updates.filter((update) => unsaved.has(update));
    if (kept.length === 0) return recoveredIfStored();
    // Updates refused since these were taken are newer: they go after.
    refused.set(key, [...kept, ...(refused.get(key) ?? [])]);
    failing = true;
    retrySoon();
  }

  function retrySoon(): void {
    if (retryTimer !== null || closing) return;
    retryTimer = options.schedule(() => {
      retryTimer = null;
      void retryRefused();
    }, retryMs);
    retryMs = Math.min(RETRY_LONGEST_MS, retryMs * 2);
  }

  /** Writes every refused update again (the person was told when it was refused; not again). */
  async function retryRefused(): Promise<void> {
    const batch = [...refused];
    refused.clear();
    await Promise.allSettled(batch.map(([key, updates]) => writeRow(key, updates, true)));
  }

  /** Once no refused update is left unstored, says so. */
  function recoveredIfStored(): void {
    if (!failing || refused.size > 0 || retrying > 0) return;
    failing = false;
    retryMs = RETRY_FIRST_MS;
    if (retryTimer !== null) options.cancel(retryTimer);
    retryTimer = null;
    options.onRecovered?.(options.now());
  }

  return {
    write(key, updates) {
      // Updates refused before go with these, as one row.
      const earlier = refused.get(key) ?? [];
      refused.delete(key);
      return writeRow(key, [...earlier, ...updates], earlier.length > 0);
    },
    settle(key, updates) {
      const done = new Set(updates);
      const rest = (refused.get(key) ?? []).filter((update) => !done.has(update));
      if (rest.length > 0) refused.set(key, rest);
      else refused.delete(key);
      recoveredIfStored();
    },
    forget(key) {
      refused.delete(key);
      recoveredIfStored();
    },
    failing: () => failing,
    async close() {
      closing = true;
      if (retryTimer !== null) options.cancel(retryTimer);
      retryTimer = null;
      await retryRefused();
    },
  };
}
