/**
 * The last-moment journal of a lazy document store (lazyDocStore.ts): what unsavedJournal.ts is
 * for the workspace's root, kept per document. A note body's edit is written as a row the moment
 * it happens, but Chromium may drop that IndexedDB write when the page unloads a moment later, and
 * IndexedDB may refuse it (a full disk); until a write is confirmed the edit is kept here, and when
 * the page hides for good every document's unconfirmed edits go to localStorage (one entry for the
 * store, under the same key prefix and size cap as the root's). The next store opened on that
 * database stores them as rows of their documents before anything reads them.
 *
 * Stored as JSON, `{ "<document id>": "<base64 of the merged update>" }`, each update sealed in its
 * own document's scope like that document's rows (so an entry copied to another document does not
 * open). An entry that does not open (another key, damaged) is left where it is, unapplied, and
 * written back with the rest.
 */
import * as Y from 'yjs';
import { fromBase64, toBase64 } from 'lib0/buffer';
import type { RowCodec } from '../../../shared/storage/sealedRows';
import { isLazyDocId } from '../peer/lazyDocs';
import {
  MAX_JOURNAL_CHARS,
  openJournalSlot,
  type JournalEvents,
  type JournalStorage,
} from './unsavedJournal';

export interface UnsavedDocsJournal {
  /** An edit of document `id` whose write to IndexedDB is not confirmed yet. */
  add(id: string, update: Uint8Array): void;
  /** Document `id`'s unconfirmed edits, oldest first (a copy). */
  pending(id: string): Uint8Array[];
  /** Whether document `id` has an unconfirmed edit. */
  holds(id: string): boolean;
  /** These edits of `id` (as given to {@link add}) are stored in IndexedDB. */
  confirm(id: string, updates: readonly Uint8Array[]): void;
  /** Drops document `id`'s edits (it was deleted forever). */
  forget(id: string): void;
  /**
   * What a previous page left, per document, opened (entries that do not open are kept as they
   * are). Read once the codecs can open (the store's key is known).
   */
  left(): Map<string, Uint8Array>;
  /** Forgets what a previous page left for `id` (once it is stored in IndexedDB). */
  clearLeft(id: string): void;
  /** Writes the unconfirmed edits now (what `pagehide` does). */
  write(): void;
  dispose(): void;
}

/**
 * Opens the journal of lazy document database `name`; `codecOf` seals and opens a document's
 * entry. `storage` and `events` are the page's localStorage and window; without them (not in a
 * page) the journal only keeps edits in memory.
 */
export function openUnsavedDocsJournal(
  name: string,
  storage: JournalStorage | null,
  events: JournalEvents | null,
  codecOf: (id: string) => RowCodec,
): UnsavedDocsJournal {
  const unconfirmed = new Map<string, Uint8Array[]>();
  /** Entries a previous page left that did not open, kept as stored. */
  const unopened = new Map<string, string>();

  /** Every entry to store, as many as fit under the cap (each document whole or not at all). */
  const text = (): string | null => {
    const entries: Record<string, string> = Object.fromEntries(unopened);
    let chars = JSON.stringify(entries).length;
    for (const [id, updates] of unconfirmed) {
      if (updates.length === 0) continue;
      const value = toBase64(codecOf(id).seal('journal', Y.mergeUpdates(updates)));
      const more = JSON.stringify(id).length + value.length + 4;
      if (chars + more > MAX_JOURNAL_CHARS) continue;
      entries[id] = value;
      chars += more;
    }
    return Object.keys(entries).length === 0 ? null : JSON.stringify(entries);
  };
  const slot = openJournalSlot(name, storage, events, text);

  /** The stored entries, as text per document id; empty when none or not readable. */
  const storedEntries = (): Map<string, string> => {
    const entries = new Map<string, string>();
    try {
      const parsed: unknown = JSON.parse(slot.read() ?? '{}');
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return entries;
      for (const [id, value] of Object.entries(parsed))
        if (isLazyDocId(id) && typeof value === 'string') entries.set(id, value);
    } catch {
      // Not a journal this version wrote: nothing to apply.
    }
    return entries;
  };

  return {
    add(id, update) {
      const updates = unconfirmed.get(id) ?? [];
      updates.push(update);
      unconfirmed.set(id, updates);
    },
    pending: (id) => [...(unconfirmed.get(id) ?? [])],
    holds: (id) => (unconfirmed.get(id)?.length ?? 0) > 0,
    confirm(id, updates) {
      const stored = new Set(updates);
      const rest = (unconfirmed.get(id) ?? []).filter((update) => !stored.has(update));
      if (rest.length === 0) unconfirmed.delete(id);
      else unconfirmed.set(id, rest);
    },
    forget(id) {
      unconfirmed.delete(id);
      unopened.delete(id);
    },
    left() {
      const opened = new Map<string, Uint8Array>();
      for (const [id, value] of storedEntries()) {
        let update: Uint8Array | null = null;
        try {
          const result = codecOf(id).openSync('journal', fromBase64(value));
          if (result.ok && result.value instanceof Uint8Array) update = result.value;
        } catch {
          // not base64, or sealed for something else: kept below
        }
        if (update) opened.set(id, update);
        else unopened.set(id, value);
      }
      return opened;
    },
    clearLeft(id) {
      const entries = storedEntries();
      if (!entries.has(id)) return;
      entries.delete(id);
      slot.replace(entries.size === 0 ? null : JSON.stringify(Object.fromEntries(entries)));
    },
    write: slot.write,
    dispose: slot.dispose,
  };
}
