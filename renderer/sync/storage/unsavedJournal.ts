/**
 * The last-moment journal of a workspace: changes whose IndexedDB write was not yet confirmed when
 * the page went away. Chromium may drop an IndexedDB write started while the page unloads (a
 * reload or a window closed a moment after typing), while a localStorage write is synchronous and
 * kept. So when the page hides for good, the unconfirmed changes are written to localStorage as one
 * Yjs update; the next load applies it, and Yjs ignores whatever of it did reach IndexedDB. It is
 * sealed like the workspace's rows (synchronously: the page is going away), and a journal that
 * does not open with the key is left where it is, unapplied.
 *
 * The part every journal shares (the localStorage key, the size cap, `pagehide`) is
 * {@link openJournalSlot}; this file's journal keeps the workspace root's changes as one update, and
 * unsavedDocsJournal.ts keeps a lazy document store's per document.
 */
import * as Y from 'yjs';
import { fromBase64, toBase64 } from 'lib0/buffer';
import { flushPendingEdits } from '../pendingEdits';
import { PLAIN_ROWS, type RowCodec } from '../../../shared/storage/sealedRows';

/** localStorage key of a workspace database's journal. */
export const JOURNAL_PREFIX = 'outpost.unsaved.';

/** A journal larger than this (as base64) is not written: localStorage holds ~5 MB per origin. */
export const MAX_JOURNAL_CHARS = 1024 * 1024;

/** The page's localStorage, as far as a journal uses it. */
export type JournalStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;
/** The page's window, as far as a journal listens to it. */
export type JournalEvents = Pick<EventTarget, 'addEventListener' | 'removeEventListener'>;
/** The page's localStorage and window for a journal (null outside a page). */
export interface JournalPage {
  readonly storage: JournalStorage | null;
  readonly events: JournalEvents | null;
}

/** This page's localStorage and window, or null for each outside a page. */
export function thisPage(): JournalPage {
  return {
    storage: typeof localStorage === 'undefined' ? null : localStorage,
    events: typeof window === 'undefined' ? null : window,
  };
}

/** One journal's place in localStorage, written when the page hides for good. */
export interface JournalSlot {
  /** Writes what `text` gives now (nothing when it gives null or more than the cap allows). */
  write(): void;
  /** The text a previous page left, or null. */
  read(): string | null;
  /** Replaces what is stored by `text` (null: removes it). */
  replace(text: string | null): void;
  dispose(): void;
}

/**
 * The localStorage entry of database `name`'s journal: `text` is asked for what to store when the
 * page hides for good (after text still being typed reached its document) or on {@link
 * JournalSlot.write}. Without `storage` nothing is stored; without `events` nothing listens.
 */
export function openJournalSlot(
  name: string,
  storage: JournalStorage | null,
  events: JournalEvents | null,
  text: () => string | null,
): JournalSlot {
  const key = JOURNAL_PREFIX + name;
  const write = () => {
    if (!storage) return;
    try {
      const value = text();
      if (value !== null && value.length <= MAX_JOURNAL_CHARS) storage.setItem(key, value);
    } catch {
      // Storage full or unavailable: IndexedDB may still have the changes; nothing else to do.
    }
  };
  const onPageHide = (event: Event) => {
    // A page kept in the back/forward cache comes back as it was, its writes still going.
    if ((event as PageTransitionEvent).persisted) return;
    // Text still being typed first: its own pagehide listener may be registered after this one.
    flushPendingEdits();
    write();
  };
  events?.addEventListener('pagehide', onPageHide);
  return {
    write,
    read() {
      try {
        return storage?.getItem(key) ?? null;
      } catch {
        return null;
      }
    },
    replace(value) {
      try {
        if (value === null) storage?.removeItem(key);
        else storage?.setItem(key, value);
      } catch {
        // nothing to change: what is there is applied again next time, which Yjs ignores
      }
    },
    dispose() {
      events?.removeEventListener('pagehide', onPageHide);
    },
  };
}

export interface UnsavedJournal {
  /** A change whose write to IndexedDB has started but is not confirmed yet. */
  add(update: Uint8Array): void;
  /** The unconfirmed changes, oldest first (a copy). */
  pending(): Uint8Array[];
  /**
   * These changes (as given to {@link add}) are stored in IndexedDB. By identity, not by count:
   * a write IndexedDB refused leaves its change unconfirmed while later ones are stored.
   */
  confirm(updates: readonly Uint8Array[]): void;
  /** The journal a previous page left, or null. */
  left(): Uint8Array | null;
  /** Forgets the journal a previous page left (once its changes are stored in IndexedDB). */
  clearLeft(): void;
  /** Writes the unconfirmed changes now (what `pagehide` does). */
  write(): void;
  dispose(): void;
}

/**
 * Opens the journal of database `name`. `storage` and `events` are the page's localStorage and
 * window; without them (not in a page) the journal only counts.
 */
export function openUnsavedJournal(
  name: string,
  storage: JournalStorage | null,
  events: JournalEvents | null,
  codec: RowCodec = PLAIN_ROWS,
): UnsavedJournal {
  // A set, in the order added: each row's write confirms its own change, so confirming is
  // one lookup however many writes are under way.
  const unconfirmed = new Set<Uint8Array>();
  const slot = openJournalSlot(name, storage, events, () =>
    unconfirmed.size === 0
      ? null
      : toBase64(codec.seal('journal', Y.mergeUpdates([...unconfirmed]))),
  );

  return {
    add(update) {
      unconfirmed.add(update);
    },
    pending: () => [...unconfirmed],
    confirm(updates) {
      for (const update of updates) unconfirmed.delete(update);
    },
    left() {
      try {
        const text = slot.read();
        if (!text) return null;
        const opened = codec.openSync('journal', fromBase64(text));
        return opened.ok && opened.value instanceof Uint8Array ? opened.value : null;
      } catch {
        return null;
      }
    },
    clearLeft: () => slot.replace(null),
    write: slot.write,
    dispose: slot.dispose,
  };
}
