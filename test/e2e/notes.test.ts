/**
 * Notes end to end in Chromium against web mode, as a person would: write a formatted note with
 * Markdown shortcuts, link a second note to it with [[, see the backlink, search and open the hit,
 * trash (the link shows broken) and restore, export to Markdown and import it back, refuse a
 * binary file, and jump with Ctrl+K. Screenshots in light and dark go to test-results/screenshots.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import {
  SCREENSHOT_DIR,
  SKIP_REASON,
  chromiumAvailable,
  onboard,
  startApp,
  type RunningApp,
} from './harness';

if (!chromiumAvailable()) console.warn(SKIP_REASON);

describe.runIf(chromiumAvailable())('Notes in Chromium (web mode)', () => {
  let app: RunningApp;

  beforeAll(async () => {
    await mkdir(SCREENSHOT_DIR, { recursive: true });
    app = await startApp();
    await onboard(app.page, 'Ana');
  });

  afterAll(async () => {
    await app?.close();
  });

  it('writes a formatted note, links a second note to it and shows the backlink', async () => {
    const { page } = app;
    await page.getByRole('button', { name: '+ New note' }).click();
    await page.keyboard.type('Launch plan');
    await page.keyboard.press('Enter');
    const body = page.getByLabel('Note body');
    await body.click();
    // Markdown-style input rules: "# " makes a heading, "- " a list; Ctrl+B toggles bold.
    await page.keyboard.type('# Goals');
    await page.keyboard.press('Enter');
    await page.keyboard.type('We ship the beta ');
    await page.keyboard.press('Control+b');
    await page.keyboard.type('on Friday');
    await page.keyboard.press('Control+b');
    await page.keyboard.press('Enter');
    await page.keyboard.type('- check the installer');
    await expect(body.locator('h1').textContent()).resolves.toBe('Goals');
    await expect(body.locator('strong').textContent()).resolves.toBe('on Friday');
    await expect(body.locator('ul li').textContent()).resolves.toBe('check the installer');

    await page.getByRole('button', { name: '+ New note' }).click();
    await page.keyboard.type('Retro notes');
    await page.keyboard.press('Enter');
    await body.click();
    await page.keyboard.type('Follow-up for [[Launch');
    await page
      .getByRole('listbox', { name: 'Link to note' })
      .getByRole('option', { name: 'Launch plan' })
      .waitFor();
    await page.keyboard.press('Enter');
    await page.keyboard.type('next week.');
    const link = body.locator('.note-link');
    await expect(link.textContent()).resolves.toBe('Launch plan');

    await link.click();
    await expect(page.getByLabel('note title').inputValue()).resolves.toBe('Launch plan');
    const backlinks = page.getByRole('region', { name: 'Backlinks' });
    await backlinks.getByRole('button', { name: /Retro notes/ }).waitFor();
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'notes-light.png') });
  });

  it('finds a word in a body, highlights it and opens the result', async () => {
    const { page } = app;
    await page.getByRole('option', { name: /^Retro notes/ }).click();
    const search = page.getByLabel('Search notes');
    await search.fill('frida');
    const hit = page.getByRole('listbox', { name: 'Search results' }).getByRole('option').first();
    await expect(hit.locator('mark').first().textContent()).resolves.toBe('Friday');
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'notes-search.png') });
    await hit.click();
    await expect(page.getByLabel('note title').inputValue()).resolves.toBe('Launch plan');
    await search.fill('');
  });

  it('trashes a note (its links show as broken) and restores it', async () => {
    const { page } = app;
    await page.getByRole('option', { name: /^Launch plan/ }).click();
    await page.getByRole('button', { name: 'Move to trash' }).click();
    await page.getByRole('option', { name: /^Retro notes/ }).click();
    await page.locator('.note-link.broken').waitFor();
    await page.getByRole('tab', { name: 'Trash' }).click();
    await page.getByRole('option', { name: /^Launch plan/ }).click();
    await page.getByRole('button', { name: 'Restore' }).click();
    await page.getByRole('tab', { name: 'Active' }).click();
    await page.getByRole('option', { name: /^Retro notes/ }).click();
    await page.locator('.note-link:not(.broken)').waitFor();
  });

  it('exports a note as Markdown and imports it back with the same text and structure', async () => {
    const { page } = app;
    await page.getByRole('option', { name: /^Launch plan/ }).click();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export as Markdown' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('Launch plan.md');
    const file = path.join(SCREENSHOT_DIR, 'exported-launch-plan.md');
    await download.saveAs(file);
    const markdown = await readFile(file, 'utf8');
    expect(markdown).toMatch(/^---\ntitle: "Launch plan"\ntags: \[\]\n/);
    expect(markdown).toContain(
      '# Goals\n\nWe ship the beta **on Friday**\n\n- check the installer\n',
    );

    await page.getByLabel('Markdown files to import').setInputFiles(file);
    await page.getByText('Imported 1 note.').waitFor();
    await expect(page.getByRole('option', { name: /^Launch plan/ }).count()).resolves.toBe(2);
    const body = page.getByLabel('Note body');
    await expect(body.locator('h1').textContent()).resolves.toBe('Goals');
    await expect(body.locator('strong').textContent()).resolves.toBe('on Friday');
    await expect(body.locator('ul li').textContent()).resolves.toBe('check the installer');
  });

  it('refuses a binary file with a clear message and imports nothing', async () => {
    const { page } = app;
    const binary = path.join(SCREENSHOT_DIR, 'not-really.md');
    await writeFile(binary, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x0d, 0x0a]));
    const before = await page.getByRole('option').count();
    await page.getByLabel('Markdown files to import').setInputFiles(binary);
    await page.getByText('Nothing was imported. “not-really.md” is a binary file').waitFor();
    await expect(page.getByRole('option').count()).resolves.toBe(before);
  });

  it('jumps to any note with Ctrl+K, in the dark theme', async () => {
    const { page } = app;
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.keyboard.press('Control+k');
    await page.getByLabel('Jump to').fill('retro');
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'notes-palette-dark.png') });
    await page.keyboard.press('Enter');
    await expect(page.getByLabel('note title').inputValue()).resolves.toBe('Retro notes');
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'notes-dark.png') });
    await page.emulateMedia({ colorScheme: 'light' });
    expect(app.errors).toEqual([]);
  });
});
