/**
 * The page's edges a test of unsaved changes fakes: localStorage over a Map, the window's
 * `pagehide`, and IndexedDB refusing row writes as a full disk refuses them, either at once (the
 * request throws) or as the transaction ends (it aborts).
 */
import { vi } from 'vitest';

/** localStorage's part the journals use, over a Map (the page's own is the true edge here). */
export function memoryStorage(): Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> & {
  items: Map<string, string>;
} {
  const items = new Map<string, string>();
  return {
    items,
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, value),
    removeItem: (key) => void items.delete(key),
  };
}

/** The window's `pagehide` as a page gone for good sends it. */
export function pageHide(): Event {
  return Object.assign(new Event('pagehide'), { persisted: false });
}

/**
 * IndexedDB refusing the next `times` rows added to stores `isRow` picks: `throws` as a request
 * that cannot start, otherwise as the transaction aborting once the row was added. The spy counts
 * every row added to any store.
 */
export function refuseRows(
  isRow: (store: IDBObjectStore) => boolean,
  times: number,
  how: 'throws' | 'aborts' = 'throws',
) {
  let left = times;
  const add = IDBObjectStore.prototype.add;
  return vi.spyOn(IDBObjectStore.prototype, 'add').mockImplementation(function (
    this: IDBObjectStore,
    ...args: Parameters<IDBObjectStore['add']>
  ) {
    if (!isRow(this) || left <= 0) return add.apply(this, args);
    left--;
    if (how === 'throws')
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    const request = add.apply(this, args);
    this.transaction.abort();
    return request;
  });
}
