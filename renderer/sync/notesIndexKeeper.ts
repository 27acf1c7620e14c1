/**
 * Keeps an open workspace's notes index stored (storage/notesIndexStore.ts) and hands the stored
 * one to the notes it was taken from at the next open.
 *
 * Reading starts as the workspace opens, beside the document's own load. Storing happens in the
 * background, never on the typing path: a change only marks the index out of date; once changes
 * have been quiet for `quietMs` (or at the latest `maxWaitMs`, ten minutes, after the first one) the index is
 * stored if it reflects the document as it is, else looked at again after the next quiet spell.
 * A stored index that cannot be used (missing, sealed with another key, damaged, another format)
 * is left for the notes to build afresh, which then store theirs; the person sees no error.
 *
 * The list's first screen, which lives beside the index, is kept by the same calls
 * (firstScreenKeeper.ts): it is small and stored a second after the list changes, not minutes.
 */
import type * as Y from 'yjs';
import type { AtRestKey } from '../../shared/protocol/atRest';
import { NoteSearchIndex } from '../../shared/model/notesSearch';
import { notesIndexSnapshot } from '../../shared/model/notesChangedSince';
import type { NotesLive, RestoredNotesIndex } from '../../shared/model/notesLive';
import type { BodyDocuments } from '../../shared/model/bodyDocuments';
import { openNotesIndexStore } from './storage/notesIndexStore';
import { keepFirstScreen, type FirstScreenKeeper } from './firstScreenKeeper';

export interface NotesIndexKeeper {
  /** The stored index, loaded; null when there is none that can be used. */
  readonly restored: Promise<RestoredNotesIndex | null>;
  /** Something the index holds may have changed: store it again once changes are quiet. */
  changed(): void;
  /** Stores the index now if it is out of date and reflects the document (before a close). */
  flush(): Promise<void>;
  close(): void;
}

export interface NotesIndexKeeperOptions {
  readonly quietMs?: number;
  readonly maxWaitMs?: number;
  readonly now?: () => number;
  readonly schedule?: (run: () => void, delayMs: number) => unknown;
  readonly cancel?: (handle: unknown) => void;
  /** Told of a store that failed (the index stays out of date and is tried again). */
  readonly onError?: (error: unknown) => void;
  /** Keeps the list's first screen (default: stored beside the index). */
  readonly firstScreen?: FirstScreenKeeper;
  /**
   * The workspace's body documents (schema 2): a change to any body changes the index too, and
   * reaches no observer of `doc`, so the keeper follows them itself until `close`.
   */
  readonly bodies?: BodyDocuments | null;
}

export function keepNotesIndex(
  workspaceId: string,
  key: Promise<AtRestKey> | null,
  doc: Y.Doc,
  live: () => NotesLive | null,
  options: NotesIndexKeeperOptions = {},
): NotesIndexKeeper {
  const quietMs = options.quietMs ?? 5_000;
  // Storing serialises the whole index on the page's thread (about 11 MB of JSON at 10,000
  // notes), so it waits for a pause; someone typing without one is interrupted at most every ten
  // minutes. An index stored late costs little: the next open reads again only notes changed since.
  const maxWaitMs = options.maxWaitMs ?? 10 * 60_000;
  const now = options.now ?? (() => Date.now());
  const schedule = options.schedule ?? ((run, ms) => setTimeout(run, ms));
  const cancel = options.cancel ?? ((handle) => clearTimeout(handle as number));
  const onError =
    options.onError ?? ((error) => console.warn('The notes index was not stored', error));
  const store = openNotesIndexStore(workspaceId, key);
  const firstScreen =
    options.firstScreen ??
    keepFirstScreen(workspaceId, key, live, {
      now: options.now,
      schedule: options.schedule,
      cancel: options.cancel,
    });
  let closed = false;
  let dirtySince: number | null = null;
  let lastChange = 0;
  let timer: unknown = null;
  let writing: Promise<void> = Promise.resolve();

  const restored = store.read().then(async (read): Promise<RestoredNotesIndex | null> => {
    if (!read.ok) {
      if (read.problem !== 'missing')
        console.info(`Rebuilding the notes search index (${read.problem})`, read.detail ?? '');
      return null;
    }
    const { saved, snapshot } = read.value;
    const index = await NoteSearchIndex.load(saved.index);
    // User Timing marks (DevTools' Performance panel; the bench and e2e tests read them too).
    performance.mark('outpost:notes-index-restored');
    const restoredIndex = { index, links: saved.links, problems: saved.problems, snapshot };
    return saved.bodies ? { ...restoredIndex, bodies: saved.bodies } : restoredIndex;
  });
  // The notes fall back to a fresh index on any failure; say why here, once.
  const usable = restored
    .catch((error: unknown) => {
      console.info('Rebuilding the notes search index (damaged)', error);
      return null;
    })
    .then((index) => {
      if (index === null) performance.mark('outpost:notes-index-rebuilt');
      return index;
    });

  /** Stores the index if it reflects the document now; tells whether nothing is left to store. */
  function storeNow(): boolean {
    const notes = live();
    const saved = notes?.saved() ?? null;
    if (!saved) return false;
    // Taken in the same task as `saved`: the snapshot is exactly the state the index reflects.
    const snapshot = notesIndexSnapshot(doc);
    dirtySince = null;
    writing = writing
      .then(() => store.write({ snapshot, saved }))
      .then(() => {
        performance.mark('outpost:notes-index-stored');
      })
      .catch((error: unknown) => {
        dirtySince ??= now();
        onError(error);
      });
    return true;
  }

  function tick(): void {
    timer = null;
    if (closed || dirtySince === null) return;
    const at = now();
    const due = Math.min(lastChange + quietMs, dirtySince + maxWaitMs);
    if (at < due) {
      timer = schedule(tick, due - at);
      return;
    }
    // Not yet reflecting the document (bodies still being read): look again after a quiet spell.
    if (!storeNow()) timer = schedule(tick, quietMs);
  }

  function changed(): void {
    if (closed) return;
    firstScreen.changed();
    lastChange = now();
    dirtySince ??= lastChange;
    timer ??= schedule(tick, quietMs);
  }
  const stopBodyUpdates = options.bodies?.onUpdate(() => changed()) ?? null;

  return {
    restored: usable,
    changed,
    async flush() {
      if (dirtySince !== null && !closed) storeNow();
      await Promise.all([writing, firstScreen.flush()]);
    },
    close() {
      closed = true;
      stopBodyUpdates?.();
      firstScreen.close();
      if (timer !== null) cancel(timer);
      timer = null;
      void writing.finally(() => store.close());
    },
  };
}
