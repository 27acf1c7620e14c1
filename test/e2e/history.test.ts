/**
 * Version history and links, driven as a person would in Chromium against the real companion:
 * a note is edited, its versions are listed with what changed and by whom, an earlier one is
 * restored (and survives a reload); following a link puts the caret in the linked note's body; a
 * link to a missing note offers "Create this note"; a reload reopens the note that was open.
 * Screenshots (light and dark) go to $HISTORY_SHOTS (default test-results/screenshots/history).
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { SCREENSHOT_DIR, SKIP_REASON, chromiumAvailable, onboardedApp, writeNote } from './harness';

if (!chromiumAvailable()) console.warn(SKIP_REASON);

const SHOTS = process.env.HISTORY_SHOTS ?? path.join(SCREENSHOT_DIR, 'history');

async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`) });
}

/** The text of the editor's body, paragraph by paragraph. */
function bodyText(page: Page): Promise<string[]> {
  return page
    .getByLabel('Note body')
    .locator('p')
    .evaluateAll((nodes) => nodes.map((node) => node.textContent ?? ''));
}

/** Whether the keyboard is in the note body (the caret is there). */
function caretInBody(page: Page): Promise<boolean> {
  return page.evaluate(() => document.activeElement?.getAttribute('aria-label') === 'Note body');
}

describe.runIf(chromiumAvailable())('Version history and links (Chromium)', () => {
  const app = onboardedApp('Ana');

  it('lists versions of a note with what changed and by whom, and restores one', async () => {
    const { page } = app();
    await writeNote(page, 'Trip plan', 'Take the night train to Vienna.');
    const history = page.getByRole('region', { name: 'Version history' });
    const versions = history.getByRole('listbox', { name: 'Versions' });

    // Opening the history keeps the edits made so far as the newest version.
    await page.getByRole('button', { name: 'Version history' }).click();
    await versions.getByRole('option').first().waitFor();
    await expect(versions.getByRole('option').first().textContent()).resolves.toContain(
      'Edited by you',
    );
    await history.getByText('The first version kept.').waitFor();
    await history
      .locator('.version-diff', { hasText: 'Take the night train to Vienna.' })
      .waitFor();
    await page.getByRole('button', { name: 'Close history' }).click();

    // The whole body is rewritten.
    await page.getByLabel('Note body').click();
    await page.keyboard.press('Control+a');
    await page.keyboard.type('Fly to Lisbon instead.');
    await page.getByRole('button', { name: 'Version history' }).click();
    await expect(versions.getByRole('option').first().textContent()).resolves.toContain(
      'Edited by you',
    );
    await history.locator('del', { hasText: 'Take the night train to Vienna.' }).waitFor();
    await history.locator('ins', { hasText: 'Fly to Lisbon instead.' }).waitFor();
    await expect(versions.getByRole('option').count()).resolves.toBe(2);

    // Pick the version with the train, compare it with the note now, and put it back.
    await versions.getByRole('option').nth(1).click();
    await history.getByRole('radio', { name: 'the note now' }).check();
    await history.locator('ins', { hasText: 'Take the night train to Vienna.' }).waitFor();
    await history.locator('del', { hasText: 'Fly to Lisbon instead.' }).waitFor();
    await history.scrollIntoViewIfNeeded();
    await shot(page, 'history-compare-light');
    await history.getByRole('button', { name: 'Restore this version' }).click();
    await page.getByText(/^Restored the version from/).waitFor();
    await expect(bodyText(page)).resolves.toEqual(['Take the night train to Vienna.']);
    // The restored text is the newest version; the Lisbon one stays, so the restore can be undone.
    await expect(versions.getByRole('option').count()).resolves.toBe(3);
    await history
      .locator('.version-diff', { hasText: 'Take the night train to Vienna.' })
      .waitFor();

    // The restore is an ordinary saved edit: it survives a reload.
    await page.reload();
    await expect(page.getByLabel('note title').inputValue()).resolves.toBe('Trip plan');
    await page.getByLabel('Note body').locator('p').first().waitFor();
    await expect(bodyText(page)).resolves.toEqual(['Take the night train to Vienna.']);
  });

  it('copies a version into a new note', async () => {
    const { page } = app();
    await page.getByRole('button', { name: 'Version history' }).click();
    const history = page.getByRole('region', { name: 'Version history' });
    // Newest first: the restored text, then the Lisbon version.
    await history.getByRole('option').nth(1).click();
    await history.locator('.version-diff', { hasText: 'Fly to Lisbon instead.' }).waitFor();
    await history.getByRole('button', { name: 'Copy as a new note' }).click();
    // The copy opens once its body document is stored.
    await expect
      .poll(() => page.getByLabel('note title').inputValue())
      .toMatch(/^Trip plan \(version of /);
    await expect.poll(() => bodyText(page)).toEqual(['Fly to Lisbon instead.']);
  });

  it('follows a link with the caret in the body, never the title selected', async () => {
    const { page } = app();
    await writeNote(page, 'Alpha', 'Next: ');
    await page.keyboard.type('[[Beta');
    await page
      .getByRole('listbox', { name: 'Link to note' })
      .getByRole('option', { name: '+ Create note “Beta”' })
      .waitFor();
    await page.keyboard.press('Enter');
    await page.getByRole('link', { name: 'Beta', exact: true }).click();
    await expect(page.getByLabel('note title').inputValue()).resolves.toBe('Beta');
    await page.waitForFunction(
      () => document.activeElement?.getAttribute('aria-label') === 'Note body',
    );
    await page.keyboard.type('Back to ');
    await page.keyboard.type('[[Alph');
    await page
      .getByRole('listbox', { name: 'Link to note' })
      .getByRole('option', { name: 'Alpha' })
      .waitFor();
    await page.keyboard.press('Enter');
    await expect(bodyText(page)).resolves.toEqual(['Back to Alpha ']);

    // Alpha was made with "+ New note" (its title was selected then); following a link to it
    // later opens it ready to write in its body.
    await page.getByRole('link', { name: 'Alpha', exact: true }).click();
    await expect(page.getByLabel('note title').inputValue()).resolves.toBe('Alpha');
    await page.waitForFunction(
      () => document.activeElement?.getAttribute('aria-label') === 'Note body',
    );
    await expect(caretInBody(page)).resolves.toBe(true);
    await page.keyboard.type('Typed after following. ');
    await expect(page.getByLabel('note title').inputValue()).resolves.toBe('Alpha');
    await expect(bodyText(page)).resolves.toEqual(['Typed after following. Next: Beta ']);
  });

  it('offers to create the note a link points to when it does not exist', async () => {
    const { page } = app();
    await page.getByLabel('Markdown files to import').setInputFiles({
      name: 'Ideas.md',
      mimeType: 'text/markdown',
      buffer: Buffer.from('# Ideas\n\nSee [[Packing list]] before leaving.\n'),
    });
    await page.getByText('Imported 1 note.').waitFor();
    await page.getByRole('option', { name: /^Ideas/ }).click();
    await page.getByRole('link', { name: 'Packing list (broken link)' }).click();
    const dialog = page.getByRole('dialog', { name: 'Missing note' });
    await dialog.getByText('There is no note called “Packing list”.').waitFor();
    await shot(page, 'missing-link-light');
    await dialog.getByRole('button', { name: 'Create this note' }).click();
    await expect(page.getByLabel('note title').inputValue()).resolves.toBe('Packing list');
    await page.waitForFunction(
      () => document.activeElement?.getAttribute('aria-label') === 'Note body',
    );
    // The link in "Ideas" now points at the new note.
    await page.getByRole('option', { name: /^Ideas/ }).click();
    await page.getByRole('link', { name: 'Packing list', exact: true }).waitFor();
    await expect(
      page.getByRole('link', { name: 'Packing list (broken link)' }).count(),
    ).resolves.toBe(0);
  });

  it('reopens the note that was open after a reload', async () => {
    const { page } = app();
    await page.getByRole('option', { name: /^Beta/ }).click();
    await expect(page.getByLabel('note title').inputValue()).resolves.toBe('Beta');
    await page.reload();
    await page.getByLabel('note title').waitFor();
    await expect(page.getByLabel('note title').inputValue()).resolves.toBe('Beta');
  });

  it('keeps versions of a decision and restores its context', async () => {
    const { page } = app();
    await page
      .getByRole('navigation', { name: 'Sections' })
      .getByRole('button', { name: /^Decisions/ })
      .click();
    await page.getByRole('button', { name: 'Create the first decision' }).click();
    const title = page.getByLabel('decision title');
    await title.fill('Where to meet in spring');
    await title.press('Enter');
    const context = page.getByRole('textbox', { name: 'Context and problem statement' });
    await context.click();
    await page.keyboard.type('Lisbon has the cheapest flights for everyone.');
    await page.getByRole('button', { name: 'Version history' }).click();
    const history = page.getByRole('region', { name: 'Version history' });
    await history
      .locator('.version-diff', { hasText: 'Lisbon has the cheapest flights' })
      .waitFor();
    await page.getByRole('button', { name: 'Close history' }).click();

    await context.click();
    await page.keyboard.press('Control+a');
    await page.keyboard.type('Vienna is easier by train.');
    await page.getByRole('button', { name: 'Version history' }).click();
    await history.locator('ins', { hasText: 'Vienna is easier by train.' }).waitFor();
    await history.getByRole('option').nth(1).click();
    await history
      .locator('.version-diff', { hasText: 'Lisbon has the cheapest flights' })
      .waitFor();
    await history.scrollIntoViewIfNeeded();
    await shot(page, 'decision-history-light');
    await history.getByRole('button', { name: 'Restore this version' }).click();
    await context.getByText('Lisbon has the cheapest flights for everyone.').waitFor();
    await expect(context.textContent()).resolves.not.toContain('Vienna');
  });

  it('looks right in the dark theme', async () => {
    const { page, errors } = app();
    await page.keyboard.press('Control+6');
    await page.getByRole('radio', { name: 'Dark' }).click();
    await page.keyboard.press('Control+1');
    await page.waitForFunction(() => document.documentElement.dataset.theme === 'dark');
    await page
      .getByRole('option', { name: /^Trip plan/ })
      .last()
      .click();
    await expect(page.getByLabel('note title').inputValue()).resolves.toBe('Trip plan');
    await page.getByRole('button', { name: 'Version history' }).click();
    const history = page.getByRole('region', { name: 'Version history' });
    await history.getByRole('option').nth(1).click();
    await history.locator('del').first().waitFor();
    await history.scrollIntoViewIfNeeded();
    await shot(page, 'history-dark');
    await page.getByRole('option', { name: /^Ideas/ }).click();
    await page.getByRole('link', { name: 'Packing list', exact: true }).waitFor();

    // Backups: "Back up now" is listed beside the automatic backup, not in its place.
    await page
      .getByRole('navigation', { name: 'Sections' })
      .getByRole('button', { name: /^Backups/ })
      .click();
    await page.getByRole('button', { name: 'Back up now' }).click();
    await page.getByText('by hand').first().waitFor();
    await shot(page, 'backups-dark');
    await page.keyboard.press('Control+6');
    await page.getByRole('radio', { name: 'Light' }).click();
    await page
      .getByRole('navigation', { name: 'Sections' })
      .getByRole('button', { name: /^Backups/ })
      .click();
    await page.getByText('by hand').first().waitFor();
    await shot(page, 'backups-light');
    expect(errors).toEqual([]);
  });
});
