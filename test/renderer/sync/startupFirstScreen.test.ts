/**
 * The page's entry asks whether the workspace it opens first has its notes list's first screen
 * stored (then the app loads at once and paints the list from it): on real IndexedDB
 * (fake-indexeddb), yes only when the row is there, and the question never creates a database.
 */
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newId } from '../../../shared/core/ids';
import { startupFirstScreenStored } from '../../../renderer/sync/startupWorkspace';
import {
  FIRST_SCREEN_KEY,
  NOTES_INDEX_DB_PREFIX,
  openIndexDb,
} from '../../../renderer/sync/storage/indexDb';

const HINT_KEY = 'outpost.startupWorkspace';
const stored = new Map<string, string>();

beforeEach(() => {
  // The hint lives in localStorage, which Node has not: a map stands in for it.
  globalThis.localStorage = {
    getItem: (key: string) => stored.get(key) ?? null,
    setItem: (key: string, value: string) => void stored.set(key, value),
    removeItem: (key: string) => void stored.delete(key),
  } as Storage;
});
afterEach(() => stored.clear());

async function databaseNames(): Promise<string[]> {
  return (await indexedDB.databases()).map((info) => info.name ?? '');
}

async function put(workspaceId: string, key: string): Promise<void> {
  const db = await openIndexDb(NOTES_INDEX_DB_PREFIX + workspaceId);
  await new Promise<void>((resolve, reject) => {
    const tx = db.transaction('rows', 'readwrite');
    tx.objectStore('rows').put(new Uint8Array([1, 2, 3]), key);
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
  });
  db.close();
}

describe('the first screen at start-up', () => {
  it('is there only when the hinted workspace has the row', async () => {
    expect(await startupFirstScreenStored()).toBe(false);
    const id = newId();
    stored.set(HINT_KEY, id);
    expect(await startupFirstScreenStored()).toBe(false);
    expect(await databaseNames()).not.toContain(NOTES_INDEX_DB_PREFIX + id);
    await put(id, 'notes-index');
    expect(await startupFirstScreenStored()).toBe(false);
    await put(id, FIRST_SCREEN_KEY);
    expect(await startupFirstScreenStored()).toBe(true);
    stored.set(HINT_KEY, newId());
    expect(await startupFirstScreenStored()).toBe(false);
  });
});
