/**
 * First run in Chromium (web mode), both choices: onboarding explains each section in a sentence;
 * a person who takes the sample gets two notes, a goal and a decision linked together, marked as a
 * sample, and removes them in one click while their own note stays; a person who does not take it
 * starts empty. Screenshots (light and dark): test-results/screenshots/first-run-*.png.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { mkdir } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import {
  SCREENSHOT_DIR,
  SKIP_REASON,
  chooseProtection,
  chromiumAvailable,
  startApp,
  type RunningApp,
} from './harness';

if (!chromiumAvailable()) console.warn(SKIP_REASON);

async function shoot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `first-run-${name}-light.png`) });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `first-run-${name}-dark.png`) });
  await page.emulateMedia({ colorScheme: 'light' });
}

function titles(page: Page, list: string) {
  return page.getByRole('listbox', { name: list }).getByRole('option');
}

describe.runIf(chromiumAvailable())('First run in Chromium (web mode)', () => {
  let app: RunningApp | undefined;

  beforeAll(async () => {
    await mkdir(SCREENSHOT_DIR, { recursive: true });
  });

  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('explains the sections, adds the linked sample, and removes only the sample', async () => {
    app = await startApp();
    const { page } = app;
    await chooseProtection(page);
    const intro = page.getByRole('region', { name: 'What’s inside' });
    await expect(intro.locator('dt').allTextContents()).resolves.toEqual([
      'Notes',
      'Goals',
      'Decisions',
      'Focus',
      'Sync',
    ]);
    for (const sentence of await intro.locator('dd').allTextContents())
      expect(sentence).toMatch(/^[A-Z].{20,}\.$/);
    await page.getByLabel('Your name').fill('Ana');
    await page.getByLabel(/Start with a sample/).check();
    await shoot(page, 'onboarding');
    await page.getByRole('button', { name: 'Get started' }).click();

    const banner = page.getByRole('region', { name: 'Sample' });
    await banner.waitFor();
    await expect
      .poll(() => titles(page, 'Notes list').allInnerTexts())
      .toEqual([expect.stringContaining('Sample · '), expect.stringContaining('Sample · ')]);
    // The notes link to each other; the goal and the decision link to the plan.
    await page.getByRole('option', { name: /^Sample · Welcome to Outpost/ }).click();
    await page.getByLabel('Note body').getByRole('link', { name: 'Sample · Offsite plan' }).click();
    await expect
      .poll(() => page.getByLabel('note title').inputValue())
      .toBe('Sample · Offsite plan');
    await expect(page.getByLabel('Note body').locator('table tr').count()).resolves.toBe(3);
    const crossLinks = page.getByRole('region', { name: /Goals and decisions/i });
    await expect(crossLinks.innerText()).resolves.toContain(
      'Sample · Hold a productive March offsite',
    );
    await expect(crossLinks.innerText()).resolves.toContain(
      'Sample · Meet in Lisbon for the offsite',
    );
    await shoot(page, 'sample');

    const section = (name: string) =>
      page
        .getByRole('navigation', { name: 'Sections' })
        .getByRole('button', { name: new RegExp(`^${name}`) });
    const goal = page.getByText('Sample · Hold a productive March offsite', { exact: true });
    const decision = page.getByText('Sample · Meet in Lisbon for the offsite', { exact: true });
    await section('Goals').click();
    await goal.first().waitFor();
    await section('Decisions').click();
    await decision.first().waitFor();

    // The person's own records, made beside the sample.
    await section('Notes').click();
    await page.getByRole('button', { name: '+ New note' }).click();
    await page.keyboard.type('My own note');
    await page.keyboard.press('Enter');
    await page.getByRole('option', { name: /^My own note/ }).waitFor();

    await banner.getByRole('button', { name: 'Remove the sample' }).click();
    await banner.waitFor({ state: 'detached' });
    await expect
      .poll(() => titles(page, 'Notes list').allInnerTexts())
      .toEqual([expect.stringContaining('My own note')]);
    await section('Goals').click();
    await page.getByRole('heading', { name: 'Goals', level: 1 }).waitFor();
    await expect(goal.count()).resolves.toBe(0);
    await section('Decisions').click();
    await page.getByRole('heading', { name: 'Decisions', level: 1 }).waitFor();
    await expect(decision.count()).resolves.toBe(0);
  });

  it('starts empty, with no sample banner, when the sample is not chosen', async () => {
    app = await startApp();
    const { page } = app;
    await chooseProtection(page);
    await page.getByRole('region', { name: 'What’s inside' }).waitFor();
    await expect(page.getByLabel(/Start with a sample/).isChecked()).resolves.toBe(false);
    await page.getByLabel('Your name').fill('Ben');
    await page.getByRole('button', { name: 'Get started' }).click();
    await page.getByRole('navigation', { name: 'Sections' }).waitFor();
    await page.getByRole('button', { name: '+ New note' }).waitFor();
    await expect(titles(page, 'Notes list').count()).resolves.toBe(0);
    await expect(page.getByRole('region', { name: 'Sample' }).count()).resolves.toBe(0);
  });
});
