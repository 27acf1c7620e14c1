/**
 * Keeps an open workspace's first screen stored (storage/firstScreenStore.ts) so that the next
 * open paints the notes list at once. The row is small (sixty rows of a title, a snippet and a
 * few tags), so it is taken again a second after the list last changed, or at the latest every
 * ten seconds while it keeps changing, and written only when it differs from what was written.
 * After the open, it is written as soon as the whole list has been read (looked at every
 * `firstLookMs` until then), not after a quiet spell: the reading of every body that follows
 * reports changes for seconds, and a short session must still leave its row for the next open.
 */
import type { AtRestKey } from '../../shared/protocol/atRest';
import { firstScreenOf } from '../../shared/model/notesFirstScreen';
import type { NotesLive } from '../../shared/model/notesLive';
import { openFirstScreenStore } from './storage/firstScreenStore';

/** User Timing mark of each write, at the time its rows were taken (tests wait for it). */
export const FIRST_SCREEN_STORED_MARK = 'outpost:first-screen-stored';

export interface FirstScreenKeeper {
  /** The list may have changed: take it again once it is quiet. */
  changed(): void;
  /** Writes the first screen now if it changed (before a close). */
  flush(): Promise<void>;
  close(): void;
}

export interface FirstScreenKeeperOptions {
  readonly quietMs?: number;
  /** Until the first write, how often to look whether the list is whole yet. */
  readonly firstLookMs?: number;
  readonly maxWaitMs?: number;
  readonly now?: () => number;
  readonly schedule?: (run: () => void, delayMs: number) => unknown;
  readonly cancel?: (handle: unknown) => void;
  /** Told of a write that failed (tried again at the next change). */
  readonly onError?: (error: unknown) => void;
}

export function keepFirstScreen(
  workspaceId: string,
  key: Promise<AtRestKey> | null,
  live: () => NotesLive | null,
  options: FirstScreenKeeperOptions = {},
): FirstScreenKeeper {
  const quietMs = options.quietMs ?? 1_000;
  const firstLookMs = options.firstLookMs ?? 200;
  const maxWaitMs = options.maxWaitMs ?? 10_000;
  const now = options.now ?? (() => performance.now());
  const schedule = options.schedule ?? ((run, ms) => setTimeout(run, ms));
  const cancel = options.cancel ?? ((handle) => clearTimeout(handle as number));
  const onError =
    options.onError ?? ((error) => console.warn('The notes list was not stored', error));
  const store = openFirstScreenStore(workspaceId, key);
  let closed = false;
  let dirtySince: number | null = null;
  let lastChange = 0;
  let timer: unknown = null;
  let written: string | null = null;
  let taken = false;
  let writing: Promise<void> = Promise.resolve();

  /** Takes the first screen and writes it if it changed; false while the list is not whole. */
  function takeNow(): boolean {
    const notes = live();
    const takenAt = performance.now();
    const screen = notes ? firstScreenOf(notes.list(), notes.reader()) : null;
    if (!screen) return false;
    dirtySince = null;
    taken = true;
    const json = JSON.stringify(screen);
    if (json === written) return true;
    written = json;
    writing = writing
      .then(() => store.write(screen))
      .then(() => {
        performance.mark(FIRST_SCREEN_STORED_MARK, { startTime: takenAt });
      })
      .catch((error: unknown) => {
        // Written again at the next change, whatever it is.
        if (written === json) written = null;
        onError(error);
      });
    return true;
  }

  function tick(): void {
    timer = null;
    if (closed || dirtySince === null) return;
    const at = now();
    const due = taken ? Math.min(lastChange + quietMs, dirtySince + maxWaitMs) : at;
    if (at < due) {
      timer = schedule(tick, due - at);
      return;
    }
    try {
      // The document or the rest of the list is still being read: look again in a moment.
      if (!takeNow()) timer = schedule(tick, taken ? quietMs : firstLookMs);
    } catch (error) {
      // A list that cannot be taken is not stored; the next change tries again.
      dirtySince = null;
      onError(error);
    }
  }

  function changed(): void {
    if (closed) return;
    lastChange = now();
    dirtySince ??= lastChange;
    timer ??= schedule(tick, taken ? quietMs : firstLookMs);
  }

  changed();
  return {
    changed,
    async flush() {
      if (dirtySince !== null && !closed) takeNow();
      await writing;
    },
    close() {
      closed = true;
      if (timer !== null) cancel(timer);
      timer = null;
      void writing.finally(() => store.close());
    },
  };
}
