/** Chromium for the notes benches: the built app in web mode and the bench page beside it. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
/**
 * tsx compiles this file with esbuild's keepNames, which wraps functions that get a name from a
 * variable in `__name(fn, 'name')`; functions handed to a page carry those calls with them.
 */
export const KEEP_NAMES_SHIM = { content: 'globalThis.__name ??= (fn) => fn;' };

export interface Chromium {
  readonly browser: Browser;
  /** The app's address, for a browser context that has opened a link from openLink(). */
  readonly appUrl: string;
  /** A one-time link that signs a new browser context in to web mode (electron/web/session.ts). */
  openLink(): string;
  readonly pageUrl: string;
  readonly rendererDir: string;
  close(): Promise<void>;
}

/** Builds the renderer (and the bench page beside it), starts web mode and Chromium. */
export async function startChromium(): Promise<Chromium> {
  const { chromium } = await import('playwright-core');
  const { build } = await import('vite');
  const { rendererConfig } = await import('../vite.config');
  const { startWebCompanion } = await import('../electron/web/server');
  const rendererDir = await mkdtemp(path.join(tmpdir(), 'outpost-bench-renderer-'));
  const dataDir = await mkdtemp(path.join(tmpdir(), 'outpost-bench-data-'));
  await build({
    ...rendererConfig,
    configFile: false,
    logLevel: 'warn',
    build: { ...rendererConfig.build, outDir: rendererDir, emptyOutDir: true },
  });
  await build({
    root: path.resolve(import.meta.dirname, 'notesPage'),
    base: './',
    configFile: false,
    logLevel: 'warn',
    build: {
      outDir: path.join(rendererDir, 'bench-notes'),
      emptyOutDir: true,
      target: 'chrome130',
    },
  });
  const companion = await startWebCompanion({
    rendererDir,
    dataDir,
    version: 'bench',
    log: () => {},
    syncNetwork: { host: '127.0.0.1', port: 0, discovery: false },
  });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  return {
    browser,
    appUrl: companion.url,
    openLink: () => companion.openLink(),
    pageUrl: new URL('bench-notes/index.html', companion.url).href,
    rendererDir,
    async close() {
      await browser.close();
      await companion.close();
      await rm(rendererDir, { recursive: true, force: true });
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

const WORKSPACE_DB_PREFIX = 'outpost-ws-';

/**
 * Onboards a fresh browser context (data kept unencrypted, as the app's figures always have been:
 * storage.load10k.encrypted.ratio measures the cost of encryption), waits until the new
 * workspace's first rows are on disk, and leaves `page` on the bench page. Returns the name of
 * that workspace's database, the only workspace database in the context.
 */
export async function onboardWorkspace(page: Page, env: Chromium): Promise<string> {
  await page.goto(env.openLink());
  await page.getByRole('button', { name: 'Keep data unencrypted' }).click();
  await page.getByLabel('Your name').fill('Bench');
  await page.getByRole('button', { name: 'Get started' }).click();
  await page.getByRole('navigation', { name: 'Sections' }).waitFor();
  // Leave only once the new workspace's first rows are on disk, or a seed would start empty.
  await page.waitForFunction(
    async (prefix) => {
      for (const info of await indexedDB.databases()) {
        if (!info.name?.startsWith(prefix)) continue;
        const db = await new Promise<IDBDatabase>((resolve, reject) => {
          const request = indexedDB.open(info.name!);
          request.onsuccess = () => resolve(request.result);
          request.onerror = () => reject(request.error);
        });
        try {
          if (!db.objectStoreNames.contains('updates')) return false;
          const count = await new Promise<number>((resolve, reject) => {
            const request = db.transaction('updates').objectStore('updates').count();
            request.onsuccess = () => resolve(request.result);
            request.onerror = () => reject(request.error);
          });
          return count > 0;
        } finally {
          db.close();
        }
      }
      return false;
    },
    WORKSPACE_DB_PREFIX,
    { polling: 100 },
  );
  await page.goto(env.pageUrl);
  const names = await page.evaluate(async () =>
    (await indexedDB.databases()).map((db) => db.name ?? ''),
  );
  const workspaces = names.filter((name) => name.startsWith(WORKSPACE_DB_PREFIX));
  if (workspaces.length !== 1) throw new Error(`expected one workspace database: ${names}`);
  return workspaces[0]!;
}
