/**
 * The notes search index kept between sessions, in Chromium against web mode with encryption at
 * rest: once notes were written, the index is stored sealed in its own database
 * (`outpost-index-<id>`); the next start uses it (the app marks `outpost:notes-index-restored`,
 * or `-rebuilt` when it builds afresh)
 * and finds exactly what a freshly built index finds, including a note written just before the
 * reload that the stored index did not hold yet; a damaged stored index is rebuilt quietly and
 * nothing is lost.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import {
  SKIP_REASON,
  chromiumAvailable,
  onboard,
  startApp,
  unlock,
  writeNote,
  type RunningApp,
} from './harness';

if (!chromiumAvailable()) console.warn(SKIP_REASON);

const PASSPHRASE = 'correct horse battery staple';
const QUERIES = ['kyoto', 'lisbon', 'retro', 'plan', 'beta kyo'];

/** The stored index row as IndexedDB holds it (null: none yet), as a list of byte values. */
function storedIndexRow(page: Page): Promise<number[] | null> {
  return page.evaluate(async () => {
    const name = (await indexedDB.databases())
      .map((info) => info.name ?? '')
      .find((candidate) => candidate.startsWith('outpost-index-'));
    if (!name) return null;
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open(name);
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    try {
      if (!db.objectStoreNames.contains('rows')) return null;
      const value = await new Promise<unknown>((resolve, reject) => {
        const request = db.transaction('rows').objectStore('rows').get('notes-index');
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      return value instanceof Uint8Array ? [...value] : null;
    } finally {
      db.close();
    }
  });
}

/** Replaces the stored index row (or, with null, deletes it). */
function replaceIndex(page: Page, bytes: number[] | null): Promise<void> {
  return page.evaluate(async (value) => {
    const name = (await indexedDB.databases())
      .map((info) => info.name ?? '')
      .find((candidate) => candidate.startsWith('outpost-index-'));
    if (!name) throw new Error('no index database');
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open(name);
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    const tx = db.transaction('rows', 'readwrite');
    if (value === null) tx.objectStore('rows').delete('notes-index');
    else tx.objectStore('rows').put(Uint8Array.from(value), 'notes-index');
    await new Promise((resolve, reject) => {
      tx.oncomplete = resolve;
      tx.onerror = () => reject(tx.error);
    });
    db.close();
  }, bytes);
}

/** The titles each query finds, in the order listed, once every note has been read. */
async function found(page: Page): Promise<string[][]> {
  const box = page.getByLabel('Search notes');
  const all: string[][] = [];
  for (const query of QUERIES) {
    await box.fill(query);
    const status = page.locator('.search-count');
    await status.waitFor();
    await expect.poll(() => status.textContent(), { timeout: 30_000 }).not.toMatch(/still reading/);
    all.push(
      await page
        .getByRole('listbox', { name: 'Search results' })
        .locator('.record-title')
        .allTextContents(),
    );
  }
  await box.fill('');
  return all;
}

/** Reloads, unlocks and waits for the notes list; tells whether the stored index was used. */
async function restart(page: Page): Promise<boolean> {
  await page.reload();
  await unlock(page, PASSPHRASE);
  await page.getByRole('option', { name: /Lisbon offsite/ }).waitFor();
  // The app marks which it did once it knows (outpost:notes-index-restored or -rebuilt).
  const marked = () =>
    page.evaluate(() =>
      ['restored', 'rebuilt'].filter(
        (what) => performance.getEntriesByName(`outpost:notes-index-${what}`, 'mark').length > 0,
      ),
    );
  await expect.poll(marked, { timeout: 30_000 }).toHaveLength(1);
  return (await marked())[0] === 'restored';
}

describe.runIf(chromiumAvailable())('The notes search index between sessions', () => {
  let app: RunningApp;

  beforeAll(async () => {
    app = await startApp();
    app.page.on('console', (message) => {
      if (message.text().includes('notes search index')) console.info(message.text());
    });
    await onboard(app.page, 'Ines', PASSPHRASE);
  });

  afterAll(async () => {
    await app?.close();
  });

  it('is stored sealed, used at the next start and finds what a fresh index finds', async () => {
    const { page } = app;
    await writeNote(page, 'Lisbon offsite', 'Budget for the retro in Lisbon');
    await writeNote(page, 'Roadmap', 'Beta ships after the Kyoto workshop');
    await writeNote(page, 'Hiring plan', 'Interview Kyoto candidates before the retro');
    // Stored once typing has been quiet a while (in the background).
    await expect.poll(() => storedIndexRow(page), { timeout: 30_000 }).not.toBeNull();
    const row = (await storedIndexRow(page))!;
    expect(String.fromCharCode(...row.slice(0, 3))).toBe('OAR');
    expect(String.fromCharCode(...row)).not.toContain('Kyoto');

    // Written just before the restart: the stored index does not hold it yet.
    await writeNote(page, 'Kyoto trip', 'Flights to Kyoto and the beta demo');
    expect(await restart(page)).toBe(true);
    const restored = await found(page);
    expect(restored[0]).toEqual(expect.arrayContaining(['Kyoto trip', 'Roadmap', 'Hiring plan']));

    // Without a stored index the app builds one from the notes: the same notes are found.
    await replaceIndex(page, null);
    expect(await restart(page)).toBe(false);
    expect(await found(page)).toEqual(restored);
  }, 180_000);

  it('rebuilds a damaged stored index without a word and loses nothing', async () => {
    const { page } = app;
    const before = await found(page);
    await expect.poll(() => storedIndexRow(page), { timeout: 30_000 }).not.toBeNull();
    const row = (await storedIndexRow(page))!;
    // One byte of the sealed row flipped: it no longer opens.
    row[row.length - 5] = row[row.length - 5]! ^ 0xff;
    await replaceIndex(page, row);
    expect(await restart(page)).toBe(false);
    await expect(page.getByRole('alert').count()).resolves.toBe(0);
    expect(await found(page)).toEqual(before);
    // Stored again, whole and sealed.
    await expect
      .poll(async () => (await storedIndexRow(page))?.join() ?? '', { timeout: 30_000 })
      .not.toMatch(new RegExp(`^(${row.join()})?$`));
    expect(await restart(page)).toBe(true);
    expect(await found(page)).toEqual(before);
  }, 180_000);
});
