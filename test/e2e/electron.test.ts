/**
 * The real desktop app through Playwright's Electron driver: the secure window opens on the app,
 * exposes only `window.outpost`, and answers IPC. The Electron binary is downloaded on first use
 * from outside the npm registry, so where it is absent (as on the CI machines here) this file
 * skips with one line saying so; everything behind Electron is tested elsewhere without it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { _electron, type ElectronApplication, type Page } from 'playwright-core';

const electronDir = path.resolve('node_modules/electron');
const pathFile = path.join(electronDir, 'path.txt');
const binary = existsSync(pathFile)
  ? path.join(electronDir, 'dist', readFileSync(pathFile, 'utf8').trim())
  : null;
const available =
  binary !== null &&
  existsSync(binary) &&
  Boolean(process.env.DISPLAY ?? process.platform !== 'linux');

if (!available)
  console.warn(
    'Skipping Electron end-to-end test: no Electron binary (or no display) on this machine.',
  );

describe.runIf(available)('the desktop app', () => {
  let app: ElectronApplication;
  let page: Page;

  beforeAll(async () => {
    execFileSync('npx', ['electron-vite', 'build'], { stdio: 'ignore' });
    app = await _electron.launch({
      executablePath: binary!,
      args: ['.'],
      env: { ...process.env, OUTPOST_USER_DATA: '' },
    });
    page = await app.firstWindow();
  }, 180_000);

  afterAll(async () => {
    await app?.close();
  });

  it('opens one sandboxed window with only window.outpost exposed', async () => {
    expect(app.windows()).toHaveLength(1);
    const exposed = await page.evaluate(() => ({
      outpost: typeof window.outpost?.invoke,
      require: typeof (window as unknown as { require?: unknown }).require,
      process: typeof (window as unknown as { process?: unknown }).process,
    }));
    expect(exposed).toEqual({ outpost: 'function', require: 'undefined', process: 'undefined' });
  });

  it('serves the page from app:// with the policy as a response header', async () => {
    expect(page.url()).toMatch(/^app:\/\/outpost\/index\.html/);
    const policy = await page.evaluate(async () =>
      (await fetch('/index.html')).headers.get('content-security-policy'),
    );
    expect(policy).toContain("default-src 'self'");
    expect(policy).toContain("frame-ancestors 'none'");
  });

  it('answers IPC through the preload and refuses navigation away from the app', async () => {
    const info = await page.evaluate(() => window.outpost!.invoke('app:getInfo', undefined));
    expect(info).toMatchObject({ ok: true, value: { shell: 'electron' } });
    const before = page.url();
    await page.evaluate(() => {
      window.location.href = 'https://example.org/';
    });
    await page.waitForTimeout(500);
    expect(page.url()).toBe(before);
  });
});
