/**
 * Importing an Obsidian vault in Chromium (web mode), as a person would: pick the fixture vault
 * folder (test/fixtures/obsidian-vault) from the notes menu, read the report of what did not come
 * over, open the imported note and see its table (and edit it), its image shown inline from the
 * workspace, its tags and its `[[links|aliases]]` showing the alias and opening the linked note;
 * then import the same folder again: the app offers to update, and updating duplicates nothing.
 * Screenshots (light and dark): test-results/screenshots/obsidian-import-*.png.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { mkdir } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { SCREENSHOT_DIR, SKIP_REASON, chromiumAvailable, onboardedApp } from './harness';

if (!chromiumAvailable()) console.warn(SKIP_REASON);

const VAULT = path.resolve('test/fixtures/obsidian-vault');

async function pickVault(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Import and export' }).click();
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('menuitem', { name: 'Import an Obsidian vault…' }).click();
  await (await chooser).setFiles(VAULT);
}

describe.runIf(chromiumAvailable())('Obsidian vault import in Chromium (web mode)', () => {
  const app = onboardedApp('Ana');

  beforeAll(async () => {
    await mkdir(SCREENSHOT_DIR, { recursive: true });
  });

  it('imports the vault and reports, per file, what did not come over', async () => {
    const { page } = app();
    await pickVault(page);
    const dialog = page.getByRole('dialog', { name: 'Import finished' });
    await dialog.waitFor();
    await expect(dialog.getByRole('status').textContent()).resolves.toBe(
      'Imported 3 new notes, kept 2 images.',
    );
    const report = await dialog.innerText();
    expect(report).toContain('Board.canvas');
    expect(report).toContain('Outpost has no canvas');
    expect(report).toContain('a Dataview query is kept as its code');
    expect(report).toContain('attachments/unused.png');
    expect(report).not.toContain('.obsidian');
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'obsidian-import-report-light.png') });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'obsidian-import-report-dark.png') });
    await page.emulateMedia({ colorScheme: 'light' });
    await dialog.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await expect(
      page.getByRole('listbox', { name: 'Notes list' }).getByRole('option').count(),
    ).resolves.toBe(3);
  });

  it('shows the table, the image inline, the tags and the aliased links', async () => {
    const { page } = app();
    await page.getByRole('option', { name: /^Welcome/ }).click();
    const body = page.getByLabel('Note body');
    const table = body.locator('table');
    await table.waitFor();
    await expect(table.locator('th').allTextContents()).resolves.toEqual([
      'City',
      'Arrive',
      'Notes',
    ]);
    await expect(table.locator('tr').count()).resolves.toBe(3);
    await expect(table.locator('td strong').textContent()).resolves.toBe('Cais');
    // The image is drawn from the workspace's bytes (a blob URL), not from an address.
    const image = body.locator('img.note-image');
    await expect
      .poll(() => image.evaluate((img: HTMLImageElement) => [img.complete, img.naturalWidth]))
      .toEqual([true, 120]);
    expect(await image.getAttribute('src')).toMatch(/^blob:/);
    const tags = page.locator('.detail .tags .tag');
    await expect(tags.allInnerTexts()).resolves.toEqual(
      expect.arrayContaining([
        expect.stringContaining('onboarding'),
        expect.stringContaining('planning/2026'),
        expect.stringContaining('travel'),
      ]),
    );
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'obsidian-import-note-light.png') });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'obsidian-import-note-dark.png') });
    await page.emulateMedia({ colorScheme: 'light' });

    // The table can be edited: a cell takes typing, and a row can be added.
    await table.locator('td').first().click();
    await page.keyboard.press('End');
    await page.keyboard.type(' (PT)');
    await expect(table.locator('td').first().textContent()).resolves.toBe('Lisbon (PT)');
    await page.getByRole('button', { name: 'Add a row below' }).click();
    await expect(table.locator('tr').count()).resolves.toBe(4);

    // The alias is the link's text; following it opens the linked note.
    const link = body.getByRole('link', { name: 'the plan' });
    await expect(link.textContent()).resolves.toBe('the plan');
    await link.click();
    await expect.poll(() => page.getByLabel('note title').inputValue()).toBe('Project Plan');
    await expect(
      page.getByLabel('Note body').getByRole('link', { name: 'the welcome note' }).count(),
    ).resolves.toBe(1);
  });

  it('offers to update the notes when the same vault is imported again, and duplicates nothing', async () => {
    const { page } = app();
    await pickVault(page);
    const ask = page.getByRole('dialog', { name: 'Update notes imported before?' });
    await ask.waitFor();
    await expect(ask.innerText()).resolves.toContain(
      'All 3 notes of this folder were imported before.',
    );
    await ask.getByRole('button', { name: 'Update 3 notes' }).click();
    const done = page.getByRole('dialog', { name: 'Import finished' });
    await expect(done.getByRole('status').textContent()).resolves.toBe('Updated 3 notes.');
    await done.getByRole('button', { name: 'Close' }).click();
    await expect(
      page.getByRole('listbox', { name: 'Notes list' }).getByRole('option').count(),
    ).resolves.toBe(3);
    // Updating put the file's text back: the cell edited above says what the file says again.
    await page.getByRole('option', { name: /^Welcome/ }).click();
    await expect(page.getByLabel('Note body').locator('td').first().textContent()).resolves.toBe(
      'Lisbon',
    );
  });

  it('offers to update a decision when its MADR file is imported again, and duplicates nothing', async () => {
    const { page } = app();
    await page
      .getByRole('navigation', { name: 'Sections' })
      .getByRole('button', { name: /^Decisions/ })
      .click();
    const madr = (title: string, context: string) => ({
      name: '0003-offsite-city.md',
      mimeType: 'text/markdown',
      buffer: Buffer.from(
        `---\nstatus: proposed\n---\n\n# ${title}\n\n## Context and Problem Statement\n\n${context}\n\n## Considered Options\n\n* Lisbon\n* Tbilisi\n`,
      ),
    });
    const input = page.getByLabel('MADR files to import');
    await input.setInputFiles([madr('Pick the offsite city', 'Flights are cheap.')]);
    await expect(page.locator('.import-report').innerText()).resolves.toContain(
      'Imported 1 decision',
    );
    await page.getByRole('button', { name: 'Close import report' }).click();

    await input.setInputFiles([
      madr('Pick the offsite city in March', 'Flights are cheap in March.'),
    ]);
    const ask = page.getByRole('alertdialog', { name: 'This file was imported before' });
    await ask.waitFor();
    await ask.getByRole('button', { name: 'Update the decision' }).click();
    await expect(page.locator('.import-report').innerText()).resolves.toContain(
      'Updated 1 decision',
    );
    await expect(page.getByLabel('decision title').inputValue()).resolves.toBe(
      'Pick the offsite city in March',
    );
    const list = page.getByRole('listbox', { name: 'Decisions list' }).getByRole('option');
    await expect(list.allInnerTexts()).resolves.toEqual([
      expect.stringContaining('Pick the offsite city in March'),
    ]);
  });
});
