/**
 * Encrypted workspace exports in Chromium (web mode): "Export workspace file…" asks for a
 * passphrase by default; the file written holds neither a note's text nor the workspace's name;
 * a fresh profile imports it only with that passphrase (a wrong one is said so and changes
 * nothing, Cancel changes nothing) and then has the note. The second test reads the file the
 * first wrote. Screenshots: test-results/screenshots/encrypted-export-*.png.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import {
  SCREENSHOT_DIR,
  SKIP_REASON,
  chromiumAvailable,
  onboard,
  startApp,
  type RunningApp,
  writeNote,
} from './harness';

if (!chromiumAvailable()) console.warn(SKIP_REASON);

const TITLE = 'Alfama meeting point';
const BODY = 'Meet by the yellow tram at nine';
const PASSPHRASE = 'pastel de nata at eight';

async function shots(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `encrypted-export-${name}-light.png`) });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `encrypted-export-${name}-dark.png`) });
  await page.emulateMedia({ colorScheme: 'light' });
}

describe.runIf(chromiumAvailable())('encrypted workspace exports in Chromium', () => {
  let app: RunningApp | undefined;
  let folder: string;
  let file: string;
  beforeAll(async () => {
    await mkdir(SCREENSHOT_DIR, { recursive: true });
    folder = await mkdtemp(path.join(tmpdir(), 'outpost-encrypted-export-'));
    file = path.join(folder, 'export.outpost');
  });
  afterAll(async () => {
    await app?.close();
    await rm(folder, { recursive: true, force: true });
  });

  it('exports with a passphrase: no note text and no workspace name in the file', async () => {
    app = await startApp();
    const { page } = app;
    await onboard(page, 'Ana');
    await writeNote(page, TITLE, BODY);
    const downloads: string[] = [];
    page.on('download', (started) => downloads.push(started.suggestedFilename()));
    await page.getByRole('button', { name: 'Backups' }).click();
    const dialog = page.getByRole('dialog', { name: 'Export workspace file' });
    // Cancel writes nothing.
    await page.getByRole('button', { name: 'Export workspace file…' }).click();
    await dialog.getByLabel('Passphrase for this file').fill(PASSPHRASE);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });

    await page.getByRole('button', { name: 'Export workspace file…' }).click();
    // Nothing typed before is kept.
    await expect(dialog.getByLabel('Passphrase for this file').inputValue()).resolves.toBe('');
    await expect(dialog.getByLabel('Encrypt with a passphrase').isChecked()).resolves.toBe(true);

    await dialog.getByLabel('Passphrase for this file').fill(PASSPHRASE);
    await dialog.getByLabel('Repeat the passphrase').fill('pastel de nata at nine');
    await dialog.getByRole('button', { name: 'Export encrypted' }).click();
    await dialog.getByText('The two passphrases differ.').waitFor();
    await shots(page, 'choice');

    await dialog.getByLabel('Repeat the passphrase').fill(PASSPHRASE);
    const download = page.waitForEvent('download');
    await dialog.getByRole('button', { name: 'Export encrypted' }).click();
    await (await download).saveAs(file);
    await dialog.waitFor({ state: 'hidden' });
    expect(downloads).toHaveLength(1);

    const bytes = await readFile(file);
    const header = JSON.parse(bytes.subarray(0, bytes.indexOf(0x0a)).toString('utf8')) as Record<
      string,
      unknown
    >;
    expect(header).toMatchObject({
      version: 4,
      encoding: 'passphrase-sealed-outpost-bundle-v1',
      workspaceName: '',
      kdf: 'PBKDF2-SHA-256',
    });
    for (const known of [TITLE, BODY, 'Personal'])
      expect(bytes.includes(Buffer.from(known)), `“${known}” in the file`).toBe(false);
    await app.close();
    app = undefined;
  });

  it('imports it in a fresh profile only with the passphrase', async () => {
    app = await startApp();
    const { page } = app;
    await onboard(page, 'Bea');
    await page.getByRole('button', { name: 'Backups' }).click();
    const input = page.getByLabel('Workspace file to import');
    const dialog = page.getByRole('dialog', { name: 'This file is encrypted' });

    // Cancel: nothing is imported.
    await input.setInputFiles(file);
    await dialog.getByLabel('Passphrase').fill(PASSPHRASE);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });

    await input.setInputFiles(file);
    await dialog.getByLabel('Passphrase').fill('pastel de nata at nine');
    await dialog.getByRole('button', { name: 'Open' }).click();
    await dialog.getByText('That passphrase does not open this file.').waitFor();
    await shots(page, 'import');
    await expect(page.getByRole('heading', { name: /^Restore/ }).count()).resolves.toBe(0);

    await dialog.getByLabel('Passphrase').fill(PASSPHRASE);
    await dialog.getByRole('button', { name: 'Open' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByRole('heading', { name: 'Restore “Personal”?' }).waitFor();
    await page.getByRole('button', { name: 'Restore as a new workspace' }).click();
    await page.getByRole('button', { name: /Workspace: Personal \(restored/ }).waitFor();
    // Only the restore added a workspace: the cancelled and the refused attempts added none.
    const switcher = page.getByRole('button', { name: /Workspace: Personal \(restored/ });
    await switcher.click();
    const listed = page.getByRole('listbox', { name: 'Workspaces' });
    await listed.waitFor();
    await expect(listed.getByRole('option').count()).resolves.toBe(2);
    await switcher.click();
    await listed.waitFor({ state: 'hidden' });
    await page.keyboard.press('Control+1');
    await page.getByRole('option', { name: new RegExp(TITLE) }).click();
    await page.getByLabel('Note body').getByText(BODY).waitFor();
    expect(app.errors).toEqual([]);
  });
});
