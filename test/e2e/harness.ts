/**
 * Runs the real app for end-to-end tests: the web-mode companion (real IPC handlers, real settings
 * file in a temporary folder) serving the built renderer, driven in Debian's Chromium through
 * playwright-core. Nothing but loopback is contacted.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, inject } from 'vitest';
import * as Y from 'yjs';
import { startWebCompanion, type WebCompanion } from '../../electron/web/server';
import type { ServiceClock } from '../../electron/main/services';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOT_DIR = path.resolve('test-results/screenshots');

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export interface RunningApp {
  readonly companion: WebCompanion;
  /** The companion's data folder (settings, backups). */
  readonly dataDir: string;
  readonly browser: Browser;
  readonly context: BrowserContext;
  readonly page: Page;
  readonly errors: string[];
  close(): Promise<void>;
}

export const SKIP_REASON = `Skipping browser tests: no Chromium at ${CHROMIUM_PATH} (apt-get install chromium; .ci/run installs it).`;

export function chromiumAvailable(): boolean {
  return existsSync(CHROMIUM_PATH);
}

/** Starts the companion and a fresh Chromium profile with one page open on the app. */
export async function startApp(
  options: {
    colorScheme?: 'light' | 'dark';
    /** The companion's clock (the focus timer's), e.g. a FakeClock the test moves. */
    clock?: ServiceClock;
    /** The page's clock starts here (Playwright's clock; it then runs on by itself). */
    pageTime?: number;
    /** The browser's (the "computer's") time zone. */
    timezoneId?: string;
    viewport?: { width: number; height: number };
    /** Runs on the companion's data folder before the companion starts. */
    prepareDataDir?: (dataDir: string) => Promise<void>;
  } = {},
): Promise<RunningApp> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'outpost-e2e-'));
  await options.prepareDataDir?.(dataDir);
  const companion = await startWebCompanion({
    rendererDir: inject('rendererDir'),
    dataDir,
    version: 'test',
    log: () => {},
    // Sync's LAN server on a free loopback port, and no mDNS on the machine's real interfaces.
    syncNetwork: { host: '127.0.0.1', port: 0, discovery: false },
    ...(options.clock ? { clock: options.clock } : {}),
  });
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  const context = await browser.newContext({
    viewport: options.viewport ?? { width: 1280, height: 800 },
    colorScheme: options.colorScheme ?? 'light',
    ...(options.timezoneId ? { timezoneId: options.timezoneId } : {}),
  });
  context.setDefaultTimeout(10_000);
  if (options.pageTime !== undefined) await context.clock.install({ time: options.pageTime });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  // The one-time link signs this browser in (electron/web/session.ts), then shows the app.
  await page.goto(companion.openLink());
  return {
    companion,
    dataDir,
    browser,
    context,
    page,
    errors,
    async close() {
      await browser.close();
      await companion.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Chromium with a profile folder that outlives the browser (for kill-and-relaunch tests), opened
 * on the app at `url`.
 */
export async function launchPersistentApp(
  profileDir: string,
  url: string,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM_PATH,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 800 },
  });
  context.setDefaultTimeout(10_000);
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(url);
  return { context, page };
}

/**
 * For a describe block: starts the app and onboards `name` before its tests, closes it after them.
 * Returns the running app (call it inside a test).
 */
export function onboardedApp(name: string): () => RunningApp {
  let app: RunningApp | undefined;
  beforeAll(async () => {
    app = await startApp();
    await onboard(app.page, name);
  });
  afterAll(async () => {
    await app?.close();
  });
  return () => {
    if (!app) throw new Error('The app did not start (see beforeAll)');
    return app;
  };
}

/**
 * Makes a note the way a person does: "+ New note", its title, Enter, then (when given) the body
 * typed into the editor. Waits for the note in the list when there is no body to type.
 */
export async function writeNote(page: Page, title: string, body?: string): Promise<void> {
  await page.getByRole('button', { name: '+ New note' }).click();
  await page.keyboard.type(title);
  await page.keyboard.press('Enter');
  if (body === undefined) {
    await page.getByRole('option', { name: new RegExp(title) }).waitFor();
    return;
  }
  await page.getByLabel('Note body').click();
  await page.keyboard.type(body);
}

/**
 * The first start in web mode of a profile that has not chosen yet (a fresh one, or one from
 * before encryption at rest), where there is no keychain: the person chooses a passphrase (when
 * one is given) or keeps data unencrypted. Returns once the app (onboarding or its sections) shows.
 */
export async function chooseProtection(page: Page, passphrase?: string): Promise<void> {
  const gate = page.getByRole('heading', { name: 'Protect your data on this device' });
  const app = page.getByLabel('Your name').or(page.getByRole('navigation', { name: 'Sections' }));
  // The first screen of a fresh profile can take a while on two busy cores (or in a namespace).
  await gate.or(app).first().waitFor({ timeout: 60_000 });
  if (await gate.isVisible()) {
    if (passphrase) {
      await page.getByLabel('Passphrase', { exact: true }).fill(passphrase);
      await page.getByLabel('Repeat the passphrase').fill(passphrase);
      await page.getByRole('button', { name: 'Encrypt with this passphrase' }).click();
    } else {
      await page.getByRole('button', { name: 'Keep data unencrypted' }).click();
    }
  }
  await app.first().waitFor({ timeout: 60_000 });
}

/** Types the passphrase at the start of a page on a device protected by one. */
export async function unlock(page: Page, passphrase: string): Promise<void> {
  await page.getByRole('heading', { name: 'Unlock Outpost' }).waitFor({ timeout: 60_000 });
  await page.getByLabel('Passphrase', { exact: true }).fill(passphrase);
  await page.getByRole('button', { name: 'Unlock' }).click();
  await page.getByRole('heading', { name: 'Unlock Outpost' }).waitFor({ state: 'detached' });
}

/**
 * Answers the warning every unencrypted export shows first (renderer/components/plainExport.ts)
 * with "Export unencrypted", after checking that it says the file is not encrypted.
 */
export async function acceptPlainExport(page: Page): Promise<void> {
  const dialog = page.getByRole('dialog', { name: 'This export is not encrypted' });
  await dialog.getByText('anyone who gets a copy can read them').waitFor();
  await dialog.getByRole('button', { name: 'Export unencrypted' }).click();
}

/** Completes first-run onboarding with the given name (data kept unencrypted unless chosen). */
export async function onboard(page: Page, name: string, passphrase?: string): Promise<void> {
  await chooseProtection(page, passphrase);
  await page.getByLabel('Your name').waitFor();
  await page.getByLabel('Your name').fill(name);
  await page.getByRole('button', { name: 'Get started' }).click();
  await page.getByRole('navigation', { name: 'Sections' }).waitFor();
}

/**
 * The workspaces as stored on this device: every row of their IndexedDB `updates` stores, merged
 * (only those of `workspaceId` when given).
 */
export async function storedUpdate(page: Page, workspaceId?: string): Promise<Uint8Array> {
  const rows = await page.evaluate(async (only) => {
    const names = (await indexedDB.databases())
      .map((info) => info.name ?? '')
      .filter((name) => (only ? name === `outpost-ws-${only}` : name.startsWith('outpost-ws-')));
    const all: number[][] = [];
    for (const name of names) {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const request = indexedDB.open(name);
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      const values = await new Promise<unknown[]>((resolve, reject) => {
        const request = db.transaction('updates').objectStore('updates').getAll();
        request.onsuccess = () => resolve(request.result as unknown[]);
        request.onerror = () => reject(request.error);
      });
      db.close();
      for (const value of values) all.push([...(value as Uint8Array)]);
    }
    return all;
  }, workspaceId);
  return Y.mergeUpdates(rows.map((row) => Uint8Array.from(row)));
}

/**
 * Adds a row to the workspace database's y-indexeddb `updates` store, as a write would (the first
 * workspace database, or that of `workspaceId`).
 */
export async function addStoredRow(
  page: Page,
  update: Uint8Array,
  workspaceId?: string,
): Promise<void> {
  await page.evaluate(
    async ([bytes, only]) => {
      const name = (await indexedDB.databases())
        .map((info) => info.name ?? '')
        .find((candidate) =>
          only ? candidate === `outpost-ws-${only}` : candidate.startsWith('outpost-ws-'),
        );
      if (!name) throw new Error('no workspace database');
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const request = indexedDB.open(name);
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      const tx = db.transaction('updates', 'readwrite');
      tx.objectStore('updates').add(Uint8Array.from(bytes));
      await new Promise((resolve, reject) => {
        tx.oncomplete = resolve;
        tx.onerror = () => reject(tx.error);
      });
      db.close();
    },
    [[...update], workspaceId] as const,
  );
}

/**
 * The stored rows of body document `noteId` (schema 2: a note's body is a document of its own, in
 * the workspace's `outpost-docs-` database; rows are plain here, no at-rest key), merged; null
 * when none is stored.
 */
export async function storedBodyUpdate(page: Page, noteId: string): Promise<Uint8Array | null> {
  const rows = await page.evaluate(async (docId) => {
    const names = (await indexedDB.databases())
      .map((info) => info.name ?? '')
      .filter((name) => name.startsWith('outpost-docs-'));
    const all: number[][] = [];
    for (const name of names) {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const request = indexedDB.open(name);
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      const values = await new Promise<unknown[]>((resolve, reject) => {
        const request = db
          .transaction('rows')
          .objectStore('rows')
          .index('doc')
          .getAll(IDBKeyRange.only(docId));
        request.onsuccess = () => resolve(request.result as unknown[]);
        request.onerror = () => reject(request.error);
      });
      db.close();
      for (const value of values) {
        const row = (value as { row: unknown }).row;
        if (row instanceof Uint8Array) all.push([...row]);
      }
    }
    return all;
  }, noteId);
  return rows.length ? Y.mergeUpdates(rows.map((row) => Uint8Array.from(row))) : null;
}

/**
 * Adds a row to body document `noteId` in the first `outpost-docs-` database, as a peer's update
 * stored on this device would be (read when the body is next loaded).
 */
export async function addStoredBodyRow(
  page: Page,
  noteId: string,
  update: Uint8Array,
): Promise<void> {
  await page.evaluate(
    async ([docId, bytes]) => {
      const name = (await indexedDB.databases())
        .map((info) => info.name ?? '')
        .find((candidate) => candidate.startsWith('outpost-docs-'));
      if (!name) throw new Error('no body document database');
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const request = indexedDB.open(name);
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      const tx = db.transaction('rows', 'readwrite');
      tx.objectStore('rows').add({ doc: docId, row: Uint8Array.from(bytes) });
      await new Promise((resolve, reject) => {
        tx.oncomplete = resolve;
        tx.onerror = () => reject(tx.error);
      });
      db.close();
    },
    [noteId, [...update]] as const,
  );
}
