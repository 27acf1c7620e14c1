/**
 * The notes list's stored first screen, in Chromium against web mode with encryption at rest: after
 * a reload, the list's rows are on screen while the workspace's document is still being read, a
 * row clicked then opens once it is read, a search typed then is answered then, and the list read
 * from the document replaces the preview, also where another tab changed a title the preview did
 * not know of.
 *
 * How the load is held, honestly: an init script on this one page delays `indexedDB.open` of the
 * workspace's database (`outpost-ws-…`) until the test releases it, as a slow disk or a workspace
 * of 100,000 notes does, and nothing else: the first-screen row comes from the index database
 * (`outpost-index-…`), opened and unsealed by the app's own code, and the page shows that the
 * document has not been read (no `outpost:records-read` mark) while the rows are on screen.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import {
  SCREENSHOT_DIR,
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

/** Runs in the page before its scripts: holds every open of a workspace database until released. */
function holdWorkspaceOpens(): void {
  const realOpen = IDBFactory.prototype.open;
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const page = window as unknown as { releaseWorkspace: () => void; heldOpens: number };
  page.releaseWorkspace = release;
  page.heldOpens = 0;
  const events = ['success', 'error', 'upgradeneeded', 'blocked'] as const;
  IDBFactory.prototype.open = function (this: IDBFactory, ...args: [string, number?]) {
    if (!String(args[0]).startsWith('outpost-ws-')) return realOpen.apply(this, args);
    page.heldOpens++;
    const handlers: Partial<Record<string, ((event: Event) => void) | null>> = {};
    let real: IDBOpenDBRequest | null = null;
    const request = {
      get result() {
        return real?.result;
      },
      get error() {
        return real?.error ?? null;
      },
      get transaction() {
        return real?.transaction ?? null;
      },
      get readyState() {
        return real?.readyState ?? 'pending';
      },
    };
    for (const type of events)
      Object.defineProperty(request, `on${type}`, {
        get: () => handlers[type] ?? null,
        set: (handler: ((event: Event) => void) | null) => (handlers[type] = handler),
      });
    void released.then(() => {
      real = realOpen.apply(this, args);
      for (const type of events)
        real[`on${type}`] = (event: Event) => handlers[type]?.call(request, event);
    });
    return request as unknown as IDBOpenDBRequest;
  };
}

const list = (page: Page) => page.getByRole('listbox', { name: 'Notes list' });
const titles = (page: Page) => list(page).locator('.record-title').allTextContents();

/** Waits until the first screen was stored from a list taken after `since` (page time). */
async function storedSince(page: Page, since: number): Promise<void> {
  await expect
    .poll(
      () =>
        page.evaluate(
          (after) =>
            performance
              .getEntriesByName('outpost:first-screen-stored', 'mark')
              .some((mark) => mark.startTime > after),
          since,
        ),
      { timeout: 30_000 },
    )
    .toBe(true);
}

const pageNow = (page: Page) => page.evaluate(() => performance.now());
const release = (page: Page) =>
  page.evaluate(() => (window as unknown as { releaseWorkspace: () => void }).releaseWorkspace());

/** Reloads with the workspace's database held, unlocks, and waits for the preview's rows. */
async function reloadHeld(page: Page): Promise<void> {
  await page.reload();
  await unlock(page, PASSPHRASE);
  await list(page).and(page.locator('[data-preview]')).waitFor();
}

describe.runIf(chromiumAvailable())('The notes list before the workspace is read', () => {
  let app: RunningApp;

  beforeAll(async () => {
    app = await startApp();
    await onboard(app.page, 'Ines', PASSPHRASE);
  });

  afterAll(async () => {
    await app?.close();
  });

  it('shows the stored rows at once; a click and a search made then are kept', async () => {
    const { page } = app;
    await writeNote(page, 'Alpha plan', 'Budget for the Lisbon offsite');
    await writeNote(page, 'Beta roadmap', 'Ships in May');
    await writeNote(page, 'Gamma retro');
    await page.getByLabel('Add a tag').fill('offsite');
    await page.keyboard.press('Enter');
    await page.locator('.tag-filter').getByRole('button', { name: '#offsite' }).waitFor();
    await storedSince(page, await pageNow(page));

    await page.addInitScript(holdWorkspaceOpens);
    // At 1024 px the list's header is two lines once the notes are read (its buttons wrap): the
    // preview's must be too.
    await page.setViewportSize({ width: 1024, height: 800 });
    await reloadHeld(page);
    expect(await titles(page)).toEqual(['Gamma retro', 'Beta roadmap', 'Alpha plan']);
    await expect(list(page).getAttribute('aria-busy')).resolves.toBe('true');
    // The tag bar is there too, so the rows sit where the list read will put them.
    await page.locator('.tag-filter').getByRole('button', { name: '#offsite' }).waitFor();
    const rowTop = async () => (await list(page).getByRole('option').first().boundingBox())?.y;
    const previewTop = await rowTop();
    expect(previewTop).toBeGreaterThan(0);
    await expect(list(page).getByRole('option').first().getAttribute('aria-setsize')).resolves.toBe(
      '3',
    );
    await expect(
      list(page)
        .getByRole('option', { name: /Alpha plan/ })
        .textContent(),
    ).resolves.toContain('Budget for the Lisbon offsite');
    // The note open before the reload is shown selected, as it will be once read.
    await expect(
      list(page)
        .getByRole('option', { name: /Gamma retro/ })
        .getAttribute('aria-selected'),
    ).resolves.toBe('true');
    await page.getByRole('status').filter({ hasText: 'Opening…' }).waitFor();
    await expect(page.getByRole('button', { name: '+ New note' }).isDisabled()).resolves.toBe(true);
    // Still held: the workspace's database is not open and its records were never read.
    const held = await page.evaluate(() => ({
      opens: (window as unknown as { heldOpens: number }).heldOpens,
      read: performance.getEntriesByName('outpost:records-read', 'mark').length,
    }));
    expect(held.opens).toBeGreaterThan(0);
    expect(held.read).toBe(0);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'first-screen-preview-light.png') });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.waitForFunction(() => document.documentElement.dataset.theme === 'dark');
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'first-screen-preview-dark.png') });
    await page.emulateMedia({ colorScheme: 'light' });

    // The person picks a note and starts a search before the document is read.
    await list(page)
      .getByRole('option', { name: /Alpha plan/ })
      .click();
    await expect(
      list(page)
        .getByRole('option', { name: /Alpha plan/ })
        .getAttribute('aria-selected'),
    ).resolves.toBe('true');
    const search = page.getByLabel('Search notes');
    await search.fill('lisbon');
    await page.getByText('Search answers as soon as the notes are open…').waitFor();

    await release(page);
    // The search typed during the preview is answered, and the note clicked then is open.
    await page
      .getByRole('listbox', { name: 'Search results' })
      .getByRole('option', { name: /Alpha plan/ })
      .waitFor();
    await expect(page.getByLabel('note title').inputValue()).resolves.toBe('Alpha plan');
    await expect(search.inputValue()).resolves.toBe('lisbon');
    await search.fill('');
    await list(page).and(page.locator(':not([data-preview])')).waitFor();
    await expect(list(page).getAttribute('aria-busy')).resolves.toBeNull();
    expect(await rowTop()).toBe(previewTop);
    await expect(page.getByRole('button', { name: '+ New note' }).isDisabled()).resolves.toBe(
      false,
    );
    expect(app.errors).toEqual([]);
  }, 180_000);

  it('gives way to the list read, where another tab changed a title it did not know of', async () => {
    const { page, context } = app;
    // Another tab of the same profile opens the workspace (its loads are not held) and renames
    // a note; this tab does not hear of it until it reads the stored workspace again.
    const other = await context.newPage();
    await other.goto(page.url());
    await unlock(other, PASSPHRASE);
    await other.getByRole('option', { name: /Beta roadmap/ }).click();
    const sinceOther = await pageNow(other);
    await other.getByLabel('note title').fill('Beta roadmap v2');
    await other.getByRole('option', { name: /Beta roadmap v2/ }).waitFor();
    await storedSince(other, sinceOther);
    // This tab changes another note after that: its first screen, stored last, has the old title.
    await list(page)
      .getByRole('option', { name: /Gamma retro/ })
      .click();
    const since = await pageNow(page);
    await page.getByLabel('note title').fill('Gamma retro notes');
    await list(page)
      .getByRole('option', { name: /Gamma retro notes/ })
      .waitFor();
    await storedSince(page, since);
    await other.close();

    await reloadHeld(page);
    expect(await titles(page)).toEqual(['Gamma retro notes', 'Beta roadmap', 'Alpha plan']);
    await release(page);
    await list(page).and(page.locator(':not([data-preview])')).waitFor();
    await expect
      .poll(() => titles(page))
      .toEqual(expect.arrayContaining(['Gamma retro notes', 'Beta roadmap v2', 'Alpha plan']));
    expect(await titles(page)).toHaveLength(3);
    expect(app.errors).toEqual([]);
  }, 180_000);
});
