/**
 * The per-device database `outpost-device` (IndexedDB): one object store `state` holding this
 * device's profile, its list of workspaces, the active workspace and its keys, each under a fixed
 * key.
 *
 * Why IndexedDB and not localStorage: Chromium writes localStorage to disk lazily (seconds later),
 * so a window killed right after onboarding could lose the person's identity. Every write here is
 * one readwrite transaction with `durability: 'strict'` (flushed to disk before it completes), and
 * callers await it before the UI shows the change as done.
 *
 * Damaged values are never deleted: they are moved to `aside.<key>.<time>` in the same store, in
 * the same transaction that removes them from their key.
 *
 * Every value is sealed on its way in (encryption at rest, renderer/sync/atRestKeys.ts hands this
 * module its sealer once the device's key is known) and opened on its way out, here at the
 * persistence layer, so the values' schemas (and fields added to them) need not know about it.
 * A value stored plain by an earlier version is read as it is and sealed when next written.
 */
import { requestDone, transactionDone } from './storage/idb';

export const DEVICE_DB = 'outpost-device';
const DEVICE_DB_VERSION = 1;
export const DEVICE_STORE = 'state';

export const DEVICE_KEY = {
  profile: 'profile',
  workspaces: 'workspaces',
  activeWorkspace: 'activeWorkspace',
  /** The app lock's settings and, where it has its own passphrase, that passphrase's verifier. */
  lock: 'lock',
  /** This device's signing and key agreement keys (deviceIdentity.ts). */
  identity: 'identity',
} as const;
export type DeviceKey = (typeof DEVICE_KEY)[keyof typeof DEVICE_KEY];

/** Seals and opens stored values (see the module comment). */
export interface DeviceValueSealer {
  seal(key: string, value: unknown): Promise<unknown>;
  /** The value as written (`plain`: it was not sealed); `opened: false` when it does not open. */
  open(
    key: string,
    stored: unknown,
  ): Promise<{ readonly opened: boolean; readonly plain: boolean; readonly value: unknown }>;
}

let sealer: DeviceValueSealer | null = null;
let prefetched: Map<DeviceKey, Promise<unknown>> | null = null;

/** From now on values are sealed with `next` (null: stored plain, as the person chose). */
export function setDeviceValueSealer(next: DeviceValueSealer | null): void {
  sealer = next;
  prefetched = null;
}

/**
 * A sealed value that does not open with this device's key: it fails every schema, so it is set
 * aside as damaged, with the bytes as they were stored.
 */
export interface UnopenedValue {
  readonly unopened: unknown;
}

async function opened(key: string, stored: unknown): Promise<unknown> {
  if (!sealer || stored === undefined) return stored;
  const result = await sealer.open(key, stored);
  return result.opened ? result.value : ({ unopened: stored } satisfies UnopenedValue);
}

async function sealed(key: string, value: unknown): Promise<unknown> {
  return sealer && value !== undefined ? sealer.seal(key, value) : value;
}

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
    if (value.ok) return opened(key, value.result);
  }
  const db = await openDeviceDb();
  const tx = db.transaction([DEVICE_STORE], 'readonly');
  return opened(key, await requestDone(tx.objectStore(DEVICE_STORE).get(key)));
}

/** Stores `value` under `key` in one durable transaction; resolves once it is on disk. */
export async function writeDeviceValue(key: DeviceKey, value: unknown): Promise<void> {
  prefetched?.delete(key); // never hand out a value read before this write
  const stored = await sealed(key, value);
  const db = await openDeviceDb();
  const tx = db.transaction([DEVICE_STORE], 'readwrite', { durability: 'strict' });
  const done = transactionDone(tx);
  tx.objectStore(DEVICE_STORE).put(stored, key);
  await done;
}

/**
 * Moves the value under `key` to `aside.<key>.<time>` (one transaction) and returns that name.
 * Nothing is deleted: the damaged value stays readable for support.
 */
export async function setDeviceValueAside(key: DeviceKey, value: unknown): Promise<string> {
  prefetched?.delete(key);
  const aside = `aside.${key}.${Date.now()}`;
  // A value that did not open is kept as it was stored; anything else is sealed like any value.
  const stored =
    typeof value === 'object' && value !== null && 'unopened' in value
      ? (value as UnopenedValue).unopened
      : await sealed(aside, value);
  const db = await openDeviceDb();
  const tx = db.transaction([DEVICE_STORE], 'readwrite', { durability: 'strict' });
  const done = transactionDone(tx);
  const store = tx.objectStore(DEVICE_STORE);
  store.put(stored, aside);
  store.delete(key);
  await done;
  return aside;
}

/**
 * Seals every value still stored plain (an earlier version's, or from before the person chose a
 * passphrase), each in its own durable transaction, so an interrupted run simply continues at the
 * next start. Values that are damaged or sealed already are left as they are.
 */
export async function sealPlainDeviceValues(): Promise<number> {
  const current = sealer;
  if (!current) return 0;
  const db = await openDeviceDb();
  const read = db.transaction([DEVICE_STORE], 'readonly').objectStore(DEVICE_STORE);
  const [keys, values] = await Promise.all([
    requestDone(read.getAllKeys()),
    requestDone(read.getAll()),
  ]);
  let sealedCount = 0;
  for (const [index, key] of keys.entries()) {
    if (typeof key !== 'string' || key === AT_REST_KEY) continue;
    const value = values[index];
    const open = await current.open(key, value);
    if (!open.opened || !open.plain) continue; // sealed already, or does not open
    // Sealed before the transaction starts: it would commit while WebCrypto works.
    const sealedValue = await current.seal(key, value);
    const tx = db.transaction([DEVICE_STORE], 'readwrite', { durability: 'strict' });
    const done = transactionDone(tx);
    tx.objectStore(DEVICE_STORE).put(sealedValue, key);
    await done;
    sealedCount++;
  }
  prefetched = null;
  return sealedCount;
}

/** Where the device's at-rest key record lives (never sealed: it holds what opens the rest). */
export const AT_REST_KEY = 'atRest';

/** The at-rest key record as stored (validated by its reader). */
export async function readAtRestRecord(): Promise<unknown> {
  const db = await openDeviceDb();
  const tx = db.transaction([DEVICE_STORE], 'readonly');
  return requestDone(tx.objectStore(DEVICE_STORE).get(AT_REST_KEY));
}

/** Stores the at-rest key record in one durable transaction. */
export async function writeAtRestRecord(record: unknown): Promise<void> {
  const db = await openDeviceDb();
  const tx = db.transaction([DEVICE_STORE], 'readwrite', { durability: 'strict' });
  const done = transactionDone(tx);
  tx.objectStore(DEVICE_STORE).put(record, AT_REST_KEY);
  await done;
}
