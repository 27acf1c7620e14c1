// @vitest-environment happy-dom
/**
 * Workspace rows sealed at rest (fake-indexeddb and happy-dom's localStorage being the edges):
 * nothing stored holds the text typed, a row sealed for another workspace is set aside still
 * sealed, a workspace stored plain by an earlier version is sealed on its first open with a key,
 * and the journal a page leaves behind is sealed too.
 */
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { openDurableStorage } from '../../../../renderer/sync/storage/durableStorage';
import type { DurableStorage } from '../../../../renderer/sync/storage/durableTypes';
import {
  CUSTOM_STORE,
  UPDATES_STORE,
  openWorkspaceDb,
  requestDone,
  transactionDone,
} from '../../../../renderer/sync/storage/idb';
import { JOURNAL_PREFIX } from '../../../../renderer/sync/storage/unsavedJournal';
import { deriveAtRestKey, looksSealed, newDataKey } from '../../../../shared/protocol/atRest';
import { rowScope, sealedRows, type RowCodec } from '../../../../shared/storage/sealedRows';

const SECRET = 'Quarterly numbers: 7,421 signups';
let dbCount = 0;
const opened: DurableStorage[] = [];

function freshName(): string {
  dbCount += 1;
  return `outpost-ws-sealed-test-${dbCount}`;
}

async function codecFor(name: string, dataKey = newDataKey()): Promise<RowCodec> {
  return sealedRows(await deriveAtRestKey(dataKey, `workspace:${name}`), rowScope(name));
}

function open(name: string, codec?: RowCodec, doc = new Y.Doc()) {
  const storage = openDurableStorage(name, doc, codec ? { codec } : {});
  opened.push(storage);
  return { doc, storage };
}

/** Every value of both stores, as stored. */
async function storedValues(name: string): Promise<{ updates: unknown[]; custom: unknown[] }> {
  const db = await openWorkspaceDb(name);
  try {
    const tx = db.transaction([UPDATES_STORE, CUSTOM_STORE], 'readonly');
    const [updates, custom] = await Promise.all([
      requestDone(tx.objectStore(UPDATES_STORE).getAll()),
      requestDone(tx.objectStore(CUSTOM_STORE).getAll()),
    ]);
    return { updates, custom };
  } finally {
    db.close();
  }
}

function holdsText(value: unknown, text: string): boolean {
  if (value instanceof Uint8Array) return new TextDecoder('latin1').decode(value).includes(text);
  if (typeof value === 'string') return value.includes(text);
  if (typeof value === 'object' && value !== null)
    return Object.values(value).some((inner) => holdsText(inner, text));
  return false;
}

afterEach(async () => {
  for (const storage of opened.splice(0)) await storage.destroy();
  localStorage.clear();
});

describe('sealed workspace storage', () => {
  it('stores every change and the compacted row sealed, and loads them again', async () => {
    const name = freshName();
    const codec = await codecFor(name);
    const first = open(name, codec);
    await first.storage.whenLoaded;
    first.doc.getText('body').insert(0, SECRET);
    first.doc.getMap('notes').set('title', SECRET);
    await first.storage.flush();
    let stored = await storedValues(name);
    // y-indexeddb's start-up row of its empty stand-in is the only plain one: two zero bytes.
    const written = stored.updates.filter((value) => (value as Uint8Array).length > 2);
    expect(written.length).toBeGreaterThanOrEqual(2);
    for (const value of written) expect(looksSealed(value as Uint8Array)).toBe(true);
    expect(stored.updates.some((value) => holdsText(value, SECRET))).toBe(false);

    await first.storage.compact();
    stored = await storedValues(name);
    expect(stored.updates).toHaveLength(1);
    expect(looksSealed(stored.updates[0] as Uint8Array)).toBe(true);
    expect(holdsText(stored, SECRET)).toBe(false);
    await first.storage.destroy();

    const again = open(name, codec);
    expect((await again.storage.whenLoaded).setAside).toEqual([]);
    expect(again.doc.getText('body').toString()).toBe(SECRET);
  });

  it('sets aside, still sealed, a row sealed with another key, and loads the rest', async () => {
    const name = freshName();
    const codec = await codecFor(name);
    const first = open(name, codec);
    await first.storage.whenLoaded;
    first.doc.getMap('notes').set('kept', 'yes');
    await first.storage.flush();
    await first.storage.destroy();

    // A row another device (another data key) sealed, moved into this database.
    const stranger = new Y.Doc();
    stranger.getMap('notes').set('foreign', SECRET);
    const foreign = (await codecFor(name)).seal('update', Y.encodeStateAsUpdate(stranger));
    const db = await openWorkspaceDb(name);
    const tx = db.transaction([UPDATES_STORE], 'readwrite');
    tx.objectStore(UPDATES_STORE).add(foreign);
    await transactionDone(tx);
    db.close();

    const again = open(name, codec);
    const report = await again.storage.whenLoaded;
    expect(report.setAside.map((row) => row.problem)).toEqual(['not-authentic']);
    expect(report.setAside[0]?.bytes).toBe(foreign.length);
    expect(again.doc.getMap('notes').toJSON()).toEqual({ kept: 'yes' });
    const aside = await again.storage.setAside();
    expect(aside).toHaveLength(1);
    expect(aside[0]?.value).toEqual(foreign);
  });

  it('seals a workspace an earlier version stored plain, set-aside rows included, on its first open with a key', async () => {
    const name = freshName();
    const plain = open(name);
    await plain.storage.whenLoaded;
    plain.doc.getText('body').insert(0, SECRET);
    await plain.storage.compact(); // an old version's compacted row …
    plain.doc.getMap('notes').set('later', SECRET); // … and a change after it
    await plain.storage.flush();
    await plain.storage.destroy();
    // A damaged row holding the text: it is set aside, and the set-aside copy is sealed too.
    const db = await openWorkspaceDb(name);
    const tx = db.transaction([UPDATES_STORE], 'readwrite');
    tx.objectStore(UPDATES_STORE).add(Uint8Array.of(255, ...new TextEncoder().encode(SECRET)));
    await transactionDone(tx);
    db.close();
    expect(holdsText(await storedValues(name), SECRET)).toBe(true);

    const codec = await codecFor(name);
    const sealedOpen = open(name, codec);
    expect((await sealedOpen.storage.whenLoaded).setAside.map((row) => row.problem)).toEqual([
      'unreadable',
    ]);
    expect(sealedOpen.doc.getText('body').toString()).toBe(SECRET);
    // The migration is a compaction, run at once after loading (one transaction).
    await new Promise((resolve) => setTimeout(resolve, 50));
    await sealedOpen.storage.compact();
    const stored = await storedValues(name);
    expect(holdsText(stored, SECRET)).toBe(false);
    expect(stored.updates.every((value) => looksSealed(value as Uint8Array))).toBe(true);
    const aside = await sealedOpen.storage.setAside();
    expect(aside).toHaveLength(1);
    expect(looksSealed(aside[0]!.value as Uint8Array)).toBe(true);
    await sealedOpen.storage.destroy();

    const again = open(name, codec);
    await again.storage.whenLoaded;
    expect(again.doc.getMap('notes').get('later')).toBe(SECRET);
  });

  it('seals the journal a page leaves when it goes away, and the next page applies it', async () => {
    const name = freshName();
    const codec = await codecFor(name);
    const first = open(name, codec);
    await first.storage.whenLoaded;
    first.doc.getMap('notes').set('typed', SECRET);
    // The page goes away before the write is confirmed: the journal is written now.
    window.dispatchEvent(Object.assign(new Event('pagehide'), { persisted: false }));
    const journal = localStorage.getItem(JOURNAL_PREFIX + name);
    expect(journal).not.toBeNull();
    expect(journal).not.toContain(SECRET);
    expect(atob(journal!)).not.toContain(SECRET);
    expect(atob(journal!).startsWith('OAR')).toBe(true);
    await first.storage.destroy();

    // Another key does not open it: it stays where it is, unapplied.
    const stranger = open(name, await codecFor(name));
    await stranger.storage.whenLoaded;
    expect(localStorage.getItem(JOURNAL_PREFIX + name)).toBe(journal);
    await stranger.storage.destroy();

    // With the workspace's own key it opens, is applied, and is cleared once stored.
    const next = open(name, codec);
    await next.storage.whenLoaded;
    expect(next.doc.getMap('notes').get('typed')).toBe(SECRET);
    await next.storage.flush();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(localStorage.getItem(JOURNAL_PREFIX + name)).toBeNull();
  });
});
