/**
 * Small promise helpers over IndexedDB for a workspace database laid out the way y-indexeddb lays
 * it out: an `updates` store (auto-increment keys, one Yjs update per row) and a `custom` store
 * (out-of-line keys). Outpost keeps its own bookkeeping in `custom` under `outpost.*` keys, so the
 * database schema (and its version) stays exactly y-indexeddb's.
 */
import { PLAIN_ROWS, type RowCodec } from '../../../shared/storage/sealedRows';

/** A workspace's database is named this followed by the workspace id. */
export const WORKSPACE_DB_PREFIX = 'outpost-ws-';
export const UPDATES_STORE = 'updates';
export const CUSTOM_STORE = 'custom';
/** The row Outpost last wrote by compaction, with its fingerprint, so loading can trust it. */
export const VERIFIED_KEY = 'outpost.verified';
/** Rows that could not be applied are kept under keys with this prefix. */
export const SET_ASIDE_PREFIX = 'outpost.setAside.';

export interface VerifiedRow {
  readonly key: number;
  readonly bytes: number;
  readonly sha256: string;
}

export interface SetAsideEntry {
  readonly id: string;
  /** The body document (its note's id) the row was of; none: a row of the workspace's own. */
  readonly document?: string;
  readonly rowKey: number;
  readonly at: number;
  readonly bytes: number;
  readonly problem: string;
  readonly detail: string;
  readonly value: unknown;
}

export function requestDone<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB request failed'));
  });
}

export function transactionDone(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
    tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed'));
  });
}

/** Deletes database `name` (a workspace's, with the workspace); false when it could not be. */
export function deleteDatabase(name: string): Promise<boolean> {
  return new Promise((resolve) => {
    const request = indexedDB.deleteDatabase(name);
    request.onsuccess = () => resolve(true);
    request.onerror = () => resolve(false);
    request.onblocked = () => resolve(false);
  });
}

/** Opens (creating if new, with y-indexeddb's stores) a workspace database. */
export function openWorkspaceDb(name: string): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(name);
    request.onupgradeneeded = () => {
      const db = request.result;
      if (!db.objectStoreNames.contains(UPDATES_STORE))
        db.createObjectStore(UPDATES_STORE, { autoIncrement: true });
      if (!db.objectStoreNames.contains(CUSTOM_STORE)) db.createObjectStore(CUSTOM_STORE);
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error(`Could not open ${name}`));
    request.onblocked = () => reject(new Error(`Opening ${name} was blocked by another tab.`));
  });
}

/** SHA-256 (hex) with the platform's native digest: the same value as shared `fingerprint`. */
export async function digestHex(bytes: Uint8Array): Promise<string> {
  const hash = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as BufferSource));
  let hex = '';
  for (const byte of hash) hex += byte.toString(16).padStart(2, '0');
  return hex;
}

export interface StateRowOptions {
  /** How the row is sealed (the workspace's at-rest codec); plain without one. */
  readonly codec?: RowCodec;
  /** Entries of `custom` written with the row; an entry whose value is undefined is deleted. */
  readonly custom?: ReadonlyMap<string, unknown>;
  /**
   * Runs first inside the transaction (awaiting IndexedDB requests only, so it stays active);
   * when it throws, the transaction is aborted and nothing is written.
   */
  readonly check?: (tx: IDBTransaction) => Promise<void>;
}

/**
 * Makes `state` (a whole document) the database's only row, as a compaction leaves it: sealed as a
 * state row, trusted (its digest recorded under {@link VERIFIED_KEY}, so loading applies it
 * without checking it first), with `custom` entries, all in one transaction. Imports, restores,
 * the move to body documents and the benchmarks' seeds write a workspace this way; resolves once
 * committed, with the record that trusts the row.
 */
export async function writeStateRow(
  db: IDBDatabase,
  state: Uint8Array,
  options: StateRowOptions = {},
): Promise<VerifiedRow> {
  const row = (options.codec ?? PLAIN_ROWS).seal('state', state);
  // Before the transaction: awaiting anything but its own requests would let it commit early.
  const sha256 = await digestHex(row);
  const tx = db.transaction([UPDATES_STORE, CUSTOM_STORE], 'readwrite');
  const done = transactionDone(tx);
  let verified: VerifiedRow;
  try {
    await options.check?.(tx);
    const updates = tx.objectStore(UPDATES_STORE);
    updates.clear();
    const key = (await requestDone(updates.add(row))) as number;
    verified = { key, bytes: row.length, sha256 };
    const custom = tx.objectStore(CUSTOM_STORE);
    custom.put(verified, VERIFIED_KEY);
    for (const [name, value] of options.custom ?? [])
      if (value === undefined) custom.delete(name);
      else custom.put(value, name);
  } catch (error) {
    tx.abort();
    await done.catch(() => undefined);
    throw error;
  }
  await done;
  return verified;
}

export interface StoredRows {
  readonly keys: number[];
  readonly values: unknown[];
  readonly verified: VerifiedRow | null;
}

/** Reads every stored update row (in key order) and the verified-row record, in one snapshot. */
export async function readRows(
  db: IDBDatabase,
  afterKey: number | null = null,
): Promise<StoredRows> {
  const tx = db.transaction([UPDATES_STORE, CUSTOM_STORE], 'readonly');
  const updates = tx.objectStore(UPDATES_STORE);
  const range = afterKey === null ? undefined : IDBKeyRange.lowerBound(afterKey, true);
  const [keys, values, verified] = await Promise.all([
    requestDone(updates.getAllKeys(range)),
    requestDone(updates.getAll(range)),
    requestDone(tx.objectStore(CUSTOM_STORE).get(VERIFIED_KEY)),
  ]);
  return { keys: keys as number[], values, verified: asVerified(verified) };
}

export function asVerified(value: unknown): VerifiedRow | null {
  if (typeof value !== 'object' || value === null) return null;
  const record = value as Record<string, unknown>;
  return typeof record.key === 'number' &&
    typeof record.bytes === 'number' &&
    typeof record.sha256 === 'string'
    ? { key: record.key, bytes: record.bytes, sha256: record.sha256 }
    : null;
}

/** Rows that were set aside, newest first. */
export async function readSetAside(db: IDBDatabase): Promise<SetAsideEntry[]> {
  const tx = db.transaction([CUSTOM_STORE], 'readonly');
  const store = tx.objectStore(CUSTOM_STORE);
  const range = IDBKeyRange.bound(SET_ASIDE_PREFIX, SET_ASIDE_PREFIX + '\uffff');
  const [keys, values] = await Promise.all([
    requestDone(store.getAllKeys(range)),
    requestDone(store.getAll(range)),
  ]);
  return values
    .map((value, index) => {
      const record = (typeof value === 'object' && value !== null ? value : {}) as Record<
        string,
        unknown
      >;
      return {
        id: String(keys[index]),
        rowKey: Number(record.rowKey),
        at: Number(record.at) || 0,
        bytes: Number(record.bytes) || 0,
        problem: String(record.problem ?? 'unknown'),
        detail: String(record.detail ?? ''),
        value: record.value,
      };
    })
    .sort((a, b) => b.at - a.at);
}

/** Total bytes of the update rows (what the workspace takes on disk, roughly). */
export async function storedUpdateBytes(db: IDBDatabase): Promise<{ rows: number; bytes: number }> {
  const tx = db.transaction([UPDATES_STORE], 'readonly');
  const values = await requestDone(tx.objectStore(UPDATES_STORE).getAll());
  let bytes = 0;
  for (const value of values)
    bytes +=
      value instanceof Uint8Array
        ? value.length
        : value instanceof ArrayBuffer
          ? value.byteLength
          : 0;
  return { rows: values.length, bytes };
}
