/**
 * A lazy document store's local edits until they are stored (for lazyDocStore.ts), so that
 * neither a page unloaded a moment after typing nor a full disk loses a note body's edit.
 *
 * - Every edit is in the store's journal (unsavedDocsJournal.ts) from the moment it is made until
 *   its row's write is confirmed; `pagehide` puts what is there in localStorage. What a previous
 *   page left is stored as rows when the store opens, before anything reads a document.
 * - A write IndexedDB refuses keeps its edits: they are written again, as one row, with that
 *   document's next edit or on a timer (refusedWrites.ts, shared with the workspace root). The
 *   first refusal of an edit is reported by the caller; a retry that fails is not reported again.
 *   Once every refused edit is stored, `onRecovered` says so (the root's save state turning
 *   `saved`).
 * - Closing tries refused edits once more and journals what still cannot be stored, for the next
 *   store opened on the database.
 */
import { decodeLazyUpdate } from './lazyDocMeta';
import type { UnsavedDocsJournal } from './unsavedDocsJournal';
import { createRefusedWrites } from './refusedWrites';

export { RETRY_FIRST_MS } from './refusedWrites';

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
  /** Documents with edits a previous page left in the journal, not stored yet. */
  const leftIds = new Set<string>();
  const refused = createRefusedWrites<string>({
    write: options.write,
    stored(id, updates) {
      journal.confirm(id, updates);
      if (!journal.holds(id) && leftIds.delete(id)) journal.clearLeft(id);
    },
    // Not kept when its document was deleted forever meanwhile.
    unsaved: (id) => journal.pending(id),
    schedule: options.schedule,
    cancel: options.cancel,
    now: options.now,
    onRecovered: options.onRecovered,
  });

  return {
    edit(id, update) {
      journal.add(id, update);
      refused.write(id, [update]).catch((error: unknown) => options.report(id, error));
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
          refused.write(id, [update]).catch((error: unknown) => options.report(id, error)),
        );
      }
      await Promise.all(writing);
    },
    pending: (id) => journal.pending(id),
    holds: (id) => journal.holds(id),
    forget(id) {
      journal.forget(id);
      refused.forget(id);
      if (leftIds.delete(id)) journal.clearLeft(id);
    },
    async close() {
      await refused.close();
      journal.write();
      journal.dispose();
    },
  };
}
