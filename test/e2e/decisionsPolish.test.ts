/**
 * Decisions that read right, end to end in Chromium (web mode): the closing-date button names the
 * action that applies; accepting needs an outcome; a rejected decision is read-only until reopened
 * while its history stays; superseding with no other decision offers to create the replacement;
 * and the two poll types beside consent (choose one option, score options) take and count votes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { mkdir } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { SKIP_REASON, chromiumAvailable, onboard, startApp, type RunningApp } from './harness';

if (!chromiumAvailable()) console.warn(SKIP_REASON);

const SHOTS = process.env.OUTPOST_SHOTS ?? path.resolve('test-results/screenshots/polish');

function localInput(time: number): string {
  const date = new Date(time);
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

async function newDecision(page: Page, title: string, options: readonly string[]): Promise<void> {
  await page.keyboard.press('Control+3');
  await page
    .getByRole('button', { name: /New decision|Create the first decision/ })
    .first()
    .click();
  const field = page.getByLabel('decision title');
  await field.fill(title);
  await field.press('Enter');
  for (const option of options) {
    await page.getByLabel('New option').fill(option);
    await page.getByLabel('New option').press('Enter');
    await page.getByRole('listitem', { name: `Option ${option}` }).waitFor();
  }
}

const alert = (page: Page, text: string) => page.getByRole('alert').filter({ hasText: text });

describe.runIf(chromiumAvailable())('Decisions read right (web mode)', () => {
  let app: RunningApp;

  beforeAll(async () => {
    await mkdir(SHOTS, { recursive: true });
    app = await startApp();
    await onboard(app.page, 'Ana');
  });

  afterAll(async () => {
    await app?.close();
  });

  it('names the closing-date action that applies, and will not accept without an outcome', async () => {
    const { page } = app;
    await newDecision(page, 'Move stand-up to writing', ['Written', 'Video']);
    await page
      .getByRole('listitem', { name: 'Option Written' })
      .getByRole('button', { name: 'Make this the proposal' })
      .click();
    await page
      .getByRole('listitem', { name: 'Option Written' })
      .getByText('proposed', { exact: true })
      .waitFor();
    await page.getByLabel('Status').selectOption('proposed');

    // Nothing typed and nothing stored: there is nothing to do yet.
    const set = page.getByRole('button', { name: 'Set closing date' });
    await expect(set.isDisabled()).resolves.toBe(true);
    const closes = localInput(Date.now() + 3 * 86_400_000);
    await page.getByLabel('Voting closes').fill(closes);
    await expect(set.isEnabled()).resolves.toBe(true);
    await set.click();
    await page.getByText(/Closes .* \(in 3 days\)/).waitFor();
    // Stored and shown: the one thing left to do is remove it; a new time offers to change it.
    await page.getByRole('button', { name: 'Remove closing date' }).waitFor();
    await page.getByLabel('Voting closes').fill(localInput(Date.now() + 4 * 86_400_000));
    await page.getByRole('button', { name: 'Change closing date' }).click();
    await page.getByText(/Closes .* \(in 4 days\)/).waitFor();
    await page.getByRole('button', { name: 'Remove closing date' }).click();
    await page.getByText('Open, no closing date').waitFor();
    await expect(page.getByLabel('Voting closes').inputValue()).resolves.toBe('');
    await expect(set.isDisabled()).resolves.toBe(true);

    await page.getByRole('button', { name: 'Accept', exact: true }).click();
    await alert(page, 'Write the outcome first: what was decided, and why.').waitFor();
    await expect(page.getByLabel('Status').inputValue()).resolves.toBe('proposed');
    await page.getByLabel('Outcome', { exact: true }).fill('Written updates by 10:00 local.');
    await page.getByRole('button', { name: 'Accept', exact: true }).click();
    await page.getByRole('heading', { name: 'Outcome' }).waitFor();
    await expect(page.getByLabel('Status').inputValue()).resolves.toBe('accepted');
    expect(app.errors).toEqual([]);
  });

  it('offers to create the replacement when superseding with no other decision, and keeps the old one read-only', async () => {
    const { page } = app;
    // The only other decision is the one open: nothing else could replace it.
    await page.getByLabel('Status').selectOption('superseded');
    await page.getByText('No other decision can replace this one yet.').waitFor();
    await expect(page.getByLabel('Replaced by').count()).resolves.toBe(0);
    await page.getByRole('button', { name: 'Create the replacement now' }).click();
    await alert(page, 'Give the replacement a title.').waitFor();
    await page.getByLabel('Or start the replacement').fill('Async video updates');
    await page.getByRole('button', { name: 'Create the replacement now' }).click();
    // The new decision opens; the old one names it and is history.
    await expect(page.getByLabel('decision title').inputValue()).resolves.toBe(
      'Async video updates',
    );
    await expect(page.getByLabel('Status').inputValue()).resolves.toBe('draft');
    await page.getByText('Supersedes').waitFor();
    await page.getByRole('button', { name: 'Move stand-up to writing' }).click();
    await page.getByRole('note').filter({ hasText: 'Superseded by Async video updates' }).waitFor();
    await expect(
      page.getByLabel('decision title').getAttribute('readonly'),
    ).resolves.not.toBeNull();
    await expect(page.getByLabel('Outcome statement').isEditable()).resolves.toBe(false);
    await expect(page.getByLabel('Proposal', { exact: true }).isEditable()).resolves.toBe(false);
    await expect(page.getByLabel('New option').count()).resolves.toBe(0);
    await expect(
      page.getByRole('list', { name: 'Lifecycle history' }).innerText(),
    ).resolves.toMatch(/superseded\s+from accepted by You/i);
    await page.screenshot({ path: path.join(SHOTS, 'decision-superseded-light.png') });
  });

  it('keeps a rejected decision read-only until it is reopened', async () => {
    const { page } = app;
    await newDecision(page, 'Buy a team Slack plan', ['Slack']);
    await page.getByLabel('Status').selectOption('proposed');
    await page.getByRole('button', { name: 'Reject' }).click();
    await page.getByRole('note').filter({ hasText: 'Rejected. This record is kept' }).waitFor();
    await expect(page.getByLabel('Proposal', { exact: true }).isEditable()).resolves.toBe(false);
    await expect(page.getByLabel('Pros of Slack').isEditable()).resolves.toBe(false);
    await expect(
      page.getByRole('button', { name: 'Make this the proposal' }).count(),
    ).resolves.toBe(0);
    await expect(page.getByRole('button', { name: 'Remove option Slack' }).count()).resolves.toBe(
      0,
    );
    await page.getByLabel('Status').selectOption('proposed');
    await expect(page.getByLabel('Proposal', { exact: true }).isEditable()).resolves.toBe(true);
    await page.getByLabel('Proposal', { exact: true }).fill('Only the Pro plan, for a year.');
    await expect(
      page.getByRole('list', { name: 'Lifecycle history' }).innerText(),
    ).resolves.toMatch(/rejected\s+from proposed[\s\S]*proposed\s+from rejected/i);
    expect(app.errors).toEqual([]);
  });

  it('runs a choose-one poll', async () => {
    const { page } = app;
    await newDecision(page, 'Where is the offsite?', ['Lisbon', 'Tallinn', 'Oaxaca']);
    await page.getByLabel('Poll', { exact: true }).selectOption('choose');
    await page.getByLabel('Status').selectOption('proposed');
    await page.getByRole('heading', { name: 'Votes: choose one' }).waitFor();
    await expect(page.getByLabel('Poll', { exact: true }).isDisabled()).resolves.toBe(true);
    await page.getByRole('button', { name: 'Cast vote' }).click();
    await alert(page, 'Choose one of the options.').waitFor();
    await page.getByRole('radio', { name: 'Tallinn' }).click();
    await page.getByLabel('Reason for your vote').fill('Cheapest flights for most of us');
    await page.getByRole('button', { name: 'Cast vote' }).click();
    const results = page.getByRole('list', { name: 'Results' });
    await expect(results.innerText()).resolves.toMatch(/Tallinn\s*leading\s*1 vote/i);
    await expect(results.innerText()).resolves.toMatch(/Lisbon\s*0 votes/);
    await page.getByRole('radio', { name: 'Lisbon' }).click();
    await page.getByRole('button', { name: 'Change vote' }).click();
    await expect(results.innerText()).resolves.toMatch(/Lisbon\s*leading\s*1 vote/i);
    await expect(page.getByRole('list', { name: 'Votes by member' }).innerText()).resolves.toMatch(
      /You\s*Lisbon[\s\S]*changed 1 time/,
    );
    await page.getByRole('heading', { name: 'Votes: choose one' }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(SHOTS, 'decision-choose-light.png') });
    expect(app.errors).toEqual([]);
  });

  it('runs a score poll', async () => {
    const { page } = app;
    await newDecision(page, 'Which chat tool?', ['Zulip', 'Matrix']);
    await page.getByLabel('Poll', { exact: true }).selectOption('score');
    await page.getByLabel('Status').selectOption('proposed');
    await page.getByRole('heading', { name: 'Votes: scores' }).waitFor();
    await page.getByRole('button', { name: 'Cast vote' }).click();
    await alert(page, 'Score at least one option.').waitFor();
    await page
      .getByRole('radiogroup', { name: 'Score for Zulip' })
      .getByRole('radio', { name: '4' })
      .click();
    await page
      .getByRole('radiogroup', { name: 'Score for Matrix' })
      .getByRole('radio', { name: '2' })
      .click();
    await page.getByRole('button', { name: 'Cast vote' }).click();
    const results = page.getByRole('list', { name: 'Results' });
    await expect(results.innerText()).resolves.toMatch(
      /Zulip\s*leading\s*4 points · average 4\.0 of 5 from 1/i,
    );
    await expect(results.innerText()).resolves.toMatch(/Matrix\s*2 points/);
    await page.getByRole('heading', { name: 'Votes: scores' }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(SHOTS, 'decision-score-light.png') });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.keyboard.press('Control+6');
    await page.getByRole('radio', { name: 'Dark' }).click();
    await page.keyboard.press('Control+3');
    await page.getByRole('option', { name: /Which chat tool/ }).click();
    await page.getByRole('heading', { name: 'Votes: scores' }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(SHOTS, 'decision-score-dark.png') });
    await page.getByRole('option', { name: /Move stand-up to writing/ }).click();
    await page.screenshot({ path: path.join(SHOTS, 'decision-superseded-dark.png') });
    expect(app.errors).toEqual([]);
  });
});
