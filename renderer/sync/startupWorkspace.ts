/**
 * The first work the renderer does, before React, zod and the rest of the app have loaded:
 * opening the workspace that was open last, with only Yjs and the storage loader on the page, so
 * that its first screen is not held up by the app's own start-up (see renderer/main.tsx).
 *
 * Nothing here decides anything. Which workspace that was comes from a hint in localStorage
 * (written whenever a workspace opens; only ever a guess). Boot still validates the device state
 * and chooses the workspace to open; when that is the one opened here, the session takes this
 * document and its durable storage (the same loader, with the same handling of damaged rows)
 * instead of opening them again. Any other outcome closes what was opened here. A hint naming a
 * workspace whose database is gone opens nothing (and creates nothing).
 *
 * Since nobody else holds this document yet, the row compaction recorded is applied while its
 * digest is still being checked; should it fail part-way, this document is dropped and the
 * session opens the workspace again with the usual careful load, which sets that row aside.
 */
import * as Y from 'yjs';
import { WORKSPACE_DB_PREFIX, requestDone } from './storage/idb';
import { FIRST_SCREEN_KEY, INDEX_ROWS_STORE, NOTES_INDEX_DB_PREFIX } from './storage/indexDb';
import { openDurableStorage } from './storage/durableStorage';
import type { DurableStorage } from './storage/durableTypes';
import { publishStorageEvent } from './storage/events';
import { workspaceRowCodec } from './atRestKeys';

const HINT_KEY = 'outpost.startupWorkspace';

export interface StartupWorkspace {
  readonly id: string;
  readonly doc: Y.Doc;
  readonly durable: DurableStorage;
}

let pending: Promise<StartupWorkspace | null> | null = null;

/** Remembers the workspace to open early next time (best effort: it is only a hint). */
export function hintStartupWorkspace(id: string | null): void {
  try {
    if (id === null) localStorage.removeItem(HINT_KEY);
    else localStorage.setItem(HINT_KEY, id);
  } catch {
    // Storage unavailable or full: the next start simply opens the workspace a little later.
  }
}

function hintedId(): string | null {
  try {
    const id = localStorage.getItem(HINT_KEY);
    return id && /^[A-Za-z0-9_-]{8,64}$/.test(id) ? id : null;
  } catch {
    return null;
  }
}

/** Opens database `name` only if it exists (an open that would create it is aborted). */
export function openExistingDb(name: string): Promise<IDBDatabase | null> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(name);
    let missing = false;
    request.onupgradeneeded = () => {
      missing = true;
      request.transaction?.abort();
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = (event) => {
      if (!missing) return reject(request.error ?? new Error(`Could not open ${name}`));
      event.preventDefault();
      resolve(null);
    };
    request.onblocked = () => reject(new Error(`Opening ${name} was blocked by another tab.`));
  });
}

async function openHinted(loaded: () => void): Promise<StartupWorkspace | null> {
  const id = hintedId();
  if (id === null) return null;
  const name = WORKSPACE_DB_PREFIX + id;
  const db = await openExistingDb(name);
  if (!db) return null;
  const doc = new Y.Doc();
  const durable = openDurableStorage(name, doc, {
    db,
    codec: workspaceRowCodec(id),
    // A failure there means opening the workspace again normally, not damage (see the option).
    applyBeforeCheck: true,
    onProgress: (progress) => {
      if (progress.phase === 'done') loaded();
      publishStorageEvent({ type: 'progress', workspaceId: id, progress });
    },
  });
  return { id, doc, durable };
}

/**
 * Starts opening the workspace that was open last. Call once, first thing; never throws.
 * Resolves once it is loaded, or at once when nothing is opened.
 */
export function openStartupWorkspace(): Promise<void> {
  if (pending || typeof indexedDB === 'undefined') return Promise.resolve();
  let loaded!: () => void;
  const done = new Promise<void>((resolve) => (loaded = resolve));
  pending = openHinted(loaded).catch((error: unknown) => {
    // The session opens (and reports on) the workspace itself.
    console.warn('Opening the last workspace early failed', error);
    return null;
  });
  void pending.then((opened) => {
    if (!opened) loaded();
  });
  return done;
}

/**
 * Whether the workspace to open at start-up has its notes list's first screen stored
 * (storage/firstScreenStore.ts): the app then paints the list from it while the workspace loads,
 * so it need not wait for the load. Only looks for the row (the app reads and checks it); false
 * on any doubt, and never creates the database.
 */
export async function startupFirstScreenStored(): Promise<boolean> {
  const id = hintedId();
  if (id === null || typeof indexedDB === 'undefined') return false;
  const db = await openExistingDb(NOTES_INDEX_DB_PREFIX + id).catch(() => null);
  if (!db) return false;
  try {
    if (!db.objectStoreNames.contains(INDEX_ROWS_STORE)) return false;
    const store = db.transaction(INDEX_ROWS_STORE).objectStore(INDEX_ROWS_STORE);
    return (await requestDone(store.count(FIRST_SCREEN_KEY))) > 0;
  } catch {
    return false;
  } finally {
    db.close();
  }
}

/** Closes a start-up workspace nobody takes over. */
export async function releaseStartupWorkspace(opened: StartupWorkspace): Promise<void> {
  await opened.durable.destroy().catch(() => undefined);
  opened.doc.destroy();
}

/**
 * The workspace opened at start-up if it is `id`, handed over once (the caller owns its document
 * and storage from then on); otherwise null, and anything opened at start-up is closed.
 */
export async function takeStartupWorkspace(id: string | null): Promise<StartupWorkspace | null> {
  const current = pending;
  if (!current) return null;
  pending = null;
  const opened = await current;
  if (!opened) return null;
  if (opened.id === id && !(await opened.durable.whenLoaded).abandoned) return opened;
  void releaseStartupWorkspace(opened);
  return null;
}
