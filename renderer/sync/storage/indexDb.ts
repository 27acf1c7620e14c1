/**
 * A workspace's index database (`outpost-index-<id>`, docs/PROTOCOL.md §6.5–6.6): derived data kept
 * beside the workspace's own database, one row per key in store `rows`, the notes search index
 * (notesIndexStore.ts) and the notes list's first screen (firstScreenStore.ts). Kept free of zod
 * and the rest: the page's entry looks for the first screen here before the app has loaded.
 */

export const NOTES_INDEX_DB_PREFIX = 'outpost-index-';
export const INDEX_ROWS_STORE = 'rows';
/** The key of the notes list's first screen in `rows`. */
export const FIRST_SCREEN_KEY = 'first-screen';

/** Opens (creating if new) a workspace's index database. */
export function openIndexDb(name: string): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(name, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(INDEX_ROWS_STORE);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error(`Could not open ${name}`));
    request.onblocked = () => reject(new Error(`Opening ${name} was blocked by another tab.`));
  });
}
