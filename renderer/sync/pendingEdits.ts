/**
 * Edits still being typed. Text fields save a moment after the last keystroke (see
 * components/draftField.ts); whatever is about to leave the page (a reload, closing the window,
 * quitting the desktop app, the tab being hidden) first asks every field with unsaved text to
 * write it, so it reaches the document, and with it durable storage and the last backup.
 */

/** Something holding typed text that is not in the document yet. */
export interface PendingEdit {
  /** Writes the unsaved text now (a no-op when there is none). */
  flush(): void;
}

const pending = new Set<PendingEdit>();
let listening = false;

function onHidden(): void {
  if (document.visibilityState === 'hidden') flushPendingEdits();
}

/**
 * `pagehide` covers reloads and closing; `beforeunload` comes earlier on the same paths (while
 * IndexedDB writes still start reliably); `visibilitychange` covers a tab or window that is hidden
 * and then killed without either.
 */
function listen(): void {
  if (listening || typeof window === 'undefined') return;
  listening = true;
  window.addEventListener('beforeunload', flushPendingEdits);
  window.addEventListener('pagehide', flushPendingEdits);
  document.addEventListener('visibilitychange', onHidden);
}

/** Registers a field while it is on screen; returns the function that unregisters it. */
export function registerPendingEdit(edit: PendingEdit): () => void {
  listen();
  pending.add(edit);
  return () => {
    pending.delete(edit);
  };
}

/** Writes every field's unsaved text now (before a backup, a reload, a quit). */
export function flushPendingEdits(): void {
  for (const edit of [...pending]) edit.flush();
}
