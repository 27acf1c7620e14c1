/**
 * The warning before an unencrypted export, in Chromium (web mode): exporting a note as Markdown
 * first asks, in a modal dialog, saying the file is not encrypted; Escape writes nothing, "Export
 * unencrypted" writes the one file. Screenshots: test-results/screenshots/plain-export-*.png.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import {
  SCREENSHOT_DIR,
  SKIP_REASON,
  acceptPlainExport,
  chromiumAvailable,
  onboard,
  startApp,
  type RunningApp,
  writeNote,
} from './harness';

if (!chromiumAvailable()) console.warn(SKIP_REASON);

describe.runIf(chromiumAvailable())('unencrypted exports in Chromium', () => {
  let app: RunningApp | undefined;
  beforeAll(async () => {
    await mkdir(SCREENSHOT_DIR, { recursive: true });
    app = await startApp();
    await onboard(app.page, 'Ana', 'export passphrase');
  });
  afterAll(async () => {
    await app?.close();
  });

  it('says the file is not encrypted before writing it, and writes nothing when cancelled', async () => {
    const { page } = app!;
    const downloads: string[] = [];
    page.on('download', (download) => downloads.push(download.suggestedFilename()));
    await writeNote(page, 'Visa plan', 'Apply for the digital nomad visa in March');
    const dialog = page.getByRole('dialog', { name: 'This export is not encrypted' });

    await page.getByRole('button', { name: 'Export as Markdown' }).click();
    await dialog.getByText('This note will be written as plain files').waitFor();
    // The export button has focus, so Enter goes on and Escape cancels from the keyboard.
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe(
      'Export unencrypted',
    );
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'plain-export-light.png') });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'plain-export-dark.png') });
    await page.emulateMedia({ colorScheme: 'light' });
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page
        .getByRole('button', { name: 'Export as Markdown' })
        .click()
        .then(() => acceptPlainExport(page)),
    ]);
    expect(download.suggestedFilename()).toBe('Visa plan.md');
    // Only the accepted export was written: the cancelled one never started a download.
    expect(downloads).toEqual(['Visa plan.md']);
  });
});
