/**
 * The database of a workspace's lazy documents (`outpost-docs-<workspace id>`): a database of its
 * own beside the workspace's (whose layout stays y-indexeddb's), read one document at a time.
 *
 * - `rows` (auto-increment keys): `{ doc, row }`, one Yjs update of document `doc` per row, sealed
 *   at rest in that document's scope; index `doc` reads one document's rows in the order written.
 * - `meta` (key: document id): what lazyDocMeta.ts describes, so listing every document's vector
 *   decodes no row.
 * - `aside` (auto-increment keys): rows that could not be opened or applied, moved here as they
 *   were stored (still sealed) with why; index `doc`.
 */
import { deleteDatabase, requestDone } from './idb';

export const LAZY_DOCS_DB_PREFIX = 'outpost-docs-';
export const ROWS_STORE = 'rows';
export const META_STORE = 'meta';
export const ASIDE_STORE = 'aside';
export const DOC_INDEX = 'doc';

/** One stored row. */
export interface LazyRow {
  readonly doc: string;
  readonly row: unknown;
}

/** A row set aside, as kept in `aside`. */
export interface LazyAsideEntry {
  readonly doc: string;
  readonly rowKey: number;
  readonly at: number;
  readonly bytes: number;
  readonly problem: string;
  readonly detail: string;
  readonly value: unknown;
}

/** Opens (creating if new) a workspace's lazy document database. */
export function openLazyDocsDb(name: string): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(name, 1);
    request.onupgradeneeded = () => {
      const db = request.result;
      db.createObjectStore(ROWS_STORE, { autoIncrement: true }).createIndex(DOC_INDEX, 'doc');
      db.createObjectStore(META_STORE);
      db.createObjectStore(ASIDE_STORE, { autoIncrement: true }).createIndex(DOC_INDEX, 'doc');
    };
    request.onsuccess = () => {
      // Someone deleting the database (the workspace deleted) must not be blocked by us.
      request.result.onversionchange = () => request.result.close();
      resolve(request.result);
    };
    request.onerror = () => reject(request.error ?? new Error(`Could not open ${name}`));
    request.onblocked = () => reject(new Error(`Opening ${name} was blocked by another tab.`));
  });
}

/** Deletes a workspace's lazy documents (with the workspace); false when it could not be. */
export function deleteLazyDocsDb(workspaceId: string): Promise<boolean> {
  return deleteDatabase(LAZY_DOCS_DB_PREFIX + workspaceId);
}

/** Rows set aside (of document `id`, or of every document), as kept in `aside`. */
export async function readAside(db: IDBDatabase, id?: string): Promise<LazyAsideEntry[]> {
  const store = db.transaction([ASIDE_STORE], 'readonly').objectStore(ASIDE_STORE);
  const values: unknown[] = await requestDone(
    id === undefined ? store.getAll() : store.index(DOC_INDEX).getAll(IDBKeyRange.only(id)),
  );
  return values as LazyAsideEntry[];
}

export interface DocRows {
  readonly keys: number[];
  readonly values: unknown[];
}

/**
 * Document `id`'s rows (their stored values, the `row` field) in the order written, within `tx`
 * (which must cover `rows`). Only request callbacks: a read-write `tx` stays active.
 */
export async function readDocRows(tx: IDBTransaction, id: string): Promise<DocRows> {
  const index = tx.objectStore(ROWS_STORE).index(DOC_INDEX);
  const [keys, records] = await Promise.all([
    requestDone(index.getAllKeys(IDBKeyRange.only(id))),
    requestDone(index.getAll(IDBKeyRange.only(id))),
  ]);
  return {
    keys: keys as number[],
    values: records.map((record: unknown) =>
      typeof record === 'object' && record !== null ? (record as { row?: unknown }).row : record,
    ),
  };
}

/** Deletes every entry of document `id` from an indexed store, within `tx`. */
export async function deleteDocEntries(
  tx: IDBTransaction,
  store: typeof ROWS_STORE | typeof ASIDE_STORE,
  id: string,
): Promise<number> {
  const objects = tx.objectStore(store);
  const keys = await requestDone(objects.index(DOC_INDEX).getAllKeys(IDBKeyRange.only(id)));
  for (const key of keys) objects.delete(key);
  return keys.length;
}
