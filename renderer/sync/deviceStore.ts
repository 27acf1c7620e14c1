/**
 * The per-device database `outpost-device` (IndexedDB): one object store `state` holding this
 * device's profile, its list of workspaces and the active workspace, each under a fixed key.
 *
 * Why IndexedDB and not localStorage: Chromium writes localStorage to disk lazily (seconds later),
 * so a window killed right after onboarding could lose the person's identity. Every write here is
 * one readwrite transaction with `durability: 'strict'` (flushed to disk before it completes), and
 * callers await it before the UI shows the change as done.
 *
 * Damaged values are never deleted: they are moved to `aside.<key>.<time>` in the same store, in
 * the same transaction that removes them from their key.
 */
import { requestDone, transactionDone } from './storage/idb';

export const DEVICE_DB = 'outpost-device';
const DEVICE_DB_VERSION = 1;
export const DEVICE_STORE = 'state';

export const DEVICE_KEY = {
  profile: 'profile',
  workspaces: 'workspaces',
  activeWorkspace: 'activeWorkspace',
} as const;
export type DeviceKey = (typeof DEVICE_KEY)[keyof typeof DEVICE_KEY];

let opening: Promise<IDBDatabase> | null = null;

/** The device database, opened once per page (created with its store on first use). */
export function openDeviceDb(): Promise<IDBDatabase> {
  opening ??= new Promise<IDBDatabase>((resolve, reject) => {
    const request = indexedDB.open(DEVICE_DB, DEVICE_DB_VERSION);
    request.onupgradeneeded = () => {
      const db = request.result;
      if (!db.objectStoreNames.contains(DEVICE_STORE)) db.createObjectStore(DEVICE_STORE);
    };
    request.onsuccess = () => {
      const db = request.result;
      // Another tab upgrading (a newer Outpost) or the browser wiping site data: reopen next time.
      db.onversionchange = () => {
        db.close();
        opening = null;
      };
      db.onclose = () => {
        opening = null;
      };
      resolve(db);
    };
    request.onerror = () =>
      reject(request.error ?? new Error(`Could not open the ${DEVICE_DB} database.`));
    request.onblocked = () =>
      reject(new Error(`Opening ${DEVICE_DB} was blocked by another Outpost window.`));
  });
  const current = opening;
  current.catch(() => {
    if (opening === current) opening = null;
  });
  return current;
}

let prefetched: Map<DeviceKey, Promise<unknown>> | null = null;

/**
 * Starts reading every value at once, first thing at start-up, so that boot (which runs once the
 * app's scripts have loaded) finds them read. Each prefetched value is handed out once, to the
 * first `readDeviceValue` of its key; later reads go to the database.
 */
export function prefetchDeviceValues(): void {
  const read = openDeviceDb().then((db) => {
    const store = db.transaction([DEVICE_STORE], 'readonly').objectStore(DEVICE_STORE);
    return Object.values(DEVICE_KEY).map((key) => requestDone(store.get(key)));
  });
  prefetched = new Map(
    Object.values(DEVICE_KEY).map((key, index) => {
      const value = read.then((values) => values[index]);
      value.catch(() => undefined); // a failed prefetch is read (and reported) again by boot
      return [key, value];
    }),
  );
}

/** The stored value under `key` (undefined when there is none). */
export async function readDeviceValue(key: DeviceKey): Promise<unknown> {
  const early = prefetched?.get(key);
  if (early) {
    prefetched!.delete(key);
    const value = await early.then(
      (result) => ({ ok: true as const, result }),
      () => ({ ok: false as const }),
    );
    if (value.ok) return value.result;
  }
  const db = await openDeviceDb();
  const tx = db.transaction([DEVICE_STORE], 'readonly');
  return requestDone(tx.objectStore(DEVICE_STORE).get(key));
}

/** Stores `value` under `key` in one durable transaction; resolves once it is on disk. */
export async function writeDeviceValue(key: DeviceKey, value: unknown): Promise<void> {
  prefetched?.delete(key); // never hand out a value read before this write
  const db = await openDeviceDb();
  const tx = db.transaction([DEVICE_STORE], 'readwrite', { durability: 'strict' });
  const done = transactionDone(tx);
  tx.objectStore(DEVICE_STORE).put(value, key);
  await done;
}

/**
 * Moves the value under `key` to `aside.<key>.<time>` (one transaction) and returns that name.
 * Nothing is deleted: the damaged value stays readable for support.
 */
export async function setDeviceValueAside(key: DeviceKey, value: unknown): Promise<string> {
  prefetched?.delete(key);
  const db = await openDeviceDb();
  const aside = `aside.${key}.${Date.now()}`;
  const tx = db.transaction([DEVICE_STORE], 'readwrite', { durability: 'strict' });
  const done = transactionDone(tx);
  const store = tx.objectStore(DEVICE_STORE);
  store.put(value, aside);
  store.delete(key);
  await done;
  return aside;
}
