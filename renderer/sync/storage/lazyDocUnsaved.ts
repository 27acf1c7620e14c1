/**
 * A lazy document store's local edits until they are stored (for lazyDocStore.ts), so that
 * neither a page unloaded a moment after typing nor a full disk loses a note body's edit.
 *
 * - Every edit is in the store's journal (unsavedDocsJournal.ts) from the moment it is made until
 *   its row's write is confirmed; `pagehide` puts what is there in localStorage. What a previous
 *   page left is stored as rows when the store opens, before anything reads a document.
 * - A write IndexedDB refuses keeps its edits: they are written again, as one row, with that
 *   document's next edit or on a timer (2 s, doubling to 30 s, as relays back off). The first
 *   refusal of an edit is reported by the caller; a retry that fails is not reported again. Once
 *   every refused edit is stored, `onRecovered` says so (the root's save state turning `saved`).
 * - Closing tries refused edits once more and journals what still cannot be stored, for the next
 *   store opened on the database.
 */
import * as Y from 'yjs';
import { decodeLazyUpdate } from './lazyDocMeta';
import type { UnsavedDocsJournal } from './unsavedDocsJournal';

/** How long after a refused write its edits are written again, doubling up to the longest wait. */
export const RETRY_FIRST_MS = 2000;
const RETRY_LONGEST_MS = 30_000;

export interface UnsavedEditsOptions {
  readonly journal: UnsavedDocsJournal;
  /** Writes `update` as one row of document `id` (a local edit, its deletions worked out later). */
  readonly write: (id: string, update: Uint8Array) => Promise<void>;
  /** A write carrying a new edit (or one a previous page left) failed; retries are not told. */
  readonly report: (id: string, error: unknown) => void;
  readonly schedule: (run: () => void, delayMs: number) => unknown;
  readonly cancel: (handle: unknown) => void;
  readonly now: () => number;
  readonly onRecovered?: (at: number) => void;
}

export interface UnsavedEdits {
  /** A local edit of document `id`: written now with its refused edits, kept until stored. */
  edit(id: string, update: Uint8Array): void;
  /** Stores what a previous page left in the journal; resolves once each write has settled. */
  storeLeft(): Promise<void>;
  /** Document `id`'s edits not stored yet, oldest first. */
  pending(id: string): Uint8Array[];
  /** Whether document `id` has edits not stored yet (it must stay loaded). */
  holds(id: string): boolean;
  /** Drops document `id`'s edits (it was deleted forever). */
  forget(id: string): void;
  /** Tries refused edits once more; what still cannot be stored goes to the journal's storage. */
  close(): Promise<void>;
}

export function createUnsavedEdits(options: UnsavedEditsOptions): UnsavedEdits {
  const { journal } = options;
  /** Edits whose write was refused, per document, to be written again. */
  const refused = new Map<string, Uint8Array[]>();
  /** Documents with edits a previous page left in the journal, not stored yet. */
  const leftIds = new Set<string>();
  /** Writes under way that carry edits refused before. */
  let retrying = 0;
  /** Whether a write was refused and not every refused edit is stored yet. */
  let failing = false;
  let retryTimer: unknown = null;
  let retryMs = RETRY_FIRST_MS;
  let closing = false;

  /**
   * Writes edits of `id` (journaled) as one row: confirmed in the journal once stored, kept to be
   * written again when refused. `carriesRefused`: some of them were refused before.
   */
  function writeEdits(id: string, updates: Uint8Array[], carriesRefused: boolean): Promise<void> {
    const update = updates.length === 1 ? updates[0]! : Y.mergeUpdates(updates);
    if (carriesRefused) retrying++;
    return options.write(id, update).then(
      () => {
        if (carriesRefused) retrying--;
        journal.confirm(id, updates);
        if (!journal.holds(id) && leftIds.delete(id)) journal.clearLeft(id);
        if (carriesRefused) recoveredIfStored();
      },
      (error: unknown) => {
        if (carriesRefused) retrying--;
        // Not kept when its document was deleted forever meanwhile.
        if (journal.holds(id)) keepRefused(id, updates);
        throw error;
      },
    );
  }

  function keepRefused(id: string, updates: readonly Uint8Array[]): void {
    // Edits refused since these were taken are newer: they go after.
    refused.set(id, [...updates, ...(refused.get(id) ?? [])]);
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

  /** Writes every refused edit again (the person was told when it was refused; not again). */
  async function retryRefused(): Promise<void> {
    const batch = [...refused];
    refused.clear();
    await Promise.allSettled(batch.map(([id, updates]) => writeEdits(id, updates, true)));
  }

  /** Once no refused edit is left unstored, says so, as the root's save state turns `saved`. */
  function recoveredIfStored(): void {
    if (!failing || refused.size > 0 || retrying > 0) return;
    failing = false;
    retryMs = RETRY_FIRST_MS;
    if (retryTimer !== null) options.cancel(retryTimer);
    retryTimer = null;
    options.onRecovered?.(options.now());
  }

  return {
    edit(id, update) {
      journal.add(id, update);
      // Edits refused before go with this one, as one row.
      const earlier = refused.get(id) ?? [];
      refused.delete(id);
      writeEdits(id, [...earlier, update], earlier.length > 0).catch((error: unknown) =>
        options.report(id, error),
      );
    },
    async storeLeft() {
      const writing: Promise<void>[] = [];
      for (const [id, update] of journal.left()) {
        const decoded = decodeLazyUpdate(update);
        if (!decoded.ok) {
          console.error(`The unsaved changes of lazy document ${id} do not decode`, decoded.detail);
          journal.clearLeft(id);
          continue;
        }
        // Until stored they are this page's unsaved edits: retried, and journaled again.
        leftIds.add(id);
        journal.add(id, update);
        writing.push(
          writeEdits(id, [update], false).catch((error: unknown) => options.report(id, error)),
        );
      }
      await Promise.all(writing);
    },
    pending: (id) => journal.pending(id),
    holds: (id) => journal.holds(id),
    forget(id) {
      journal.forget(id);
      refused.delete(id);
      if (leftIds.delete(id)) journal.clearLeft(id);
    },
    async close() {
      closing = true;
      if (retryTimer !== null) options.cancel(retryTimer);
      retryTimer = null;
      await retryRefused();
      journal.write();
      journal.dispose();
    },
  };
}
