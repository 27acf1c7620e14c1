/**
 * Decisions end to end in Chromium against web mode, as people would use them: Ana proposes a
 * decision with two options and a closing date (a past one is refused), gets the "closes in"
 * desktop reminder, and votes; then Ben votes with a block. Two people, one browser: until sync
 * is wired into the app, the test switches the local profile between two members of the same
 * workspace (the profile lives in localStorage, the workspace in IndexedDB, so a reload opens the
 * same workspace as the other person; the app writes that person into the member list). Ana then
 * accepts with an outcome, supersedes the decision, exports it as MADR (the downloaded file is
 * read back), and a malformed MADR import is refused with a message while a good one imports.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { mkdir, readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import {
  acceptPlainExport,
  SCREENSHOT_DIR,
  SKIP_REASON,
  chromiumAvailable,
  onboard,
  startApp,
  type RunningApp,
} from './harness';

if (!chromiumAvailable()) console.warn(SKIP_REASON);

const BEN = {
  memberId: 'ben-member-e2e-0001',
  displayName: 'Ben',
  color: '#db2777',
  timeZone: 'UTC',
};

/** Records desktop notifications while still showing them (Chromium grants the permission). */
const RECORD_NOTIFICATIONS = `(() => {
  const Real = window.Notification;
  window.__notifications = [];
  class Recorded extends Real {
    constructor(title, options) {
      super(title, options);
      window.__notifications.push(title);
    }
  }
  Object.defineProperty(Recorded, 'permission', { get: () => Real.permission });
  Recorded.requestPermission = Real.requestPermission.bind(Real);
  window.Notification = Recorded;
})();`;

/**
 * Reads (and, given `replace`, first replaces) the profile in this device's `outpost-device`
 * database, as JSON.
 */
function deviceProfile(page: Page, replace?: string): Promise<string> {
  return page.evaluate(async (value) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open('outpost-device');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    const tx = db.transaction(['state'], 'readwrite');
    const store = tx.objectStore('state');
    if (value !== undefined) store.put(JSON.parse(value), 'profile');
    const profile = await new Promise<unknown>((resolve, reject) => {
      const request = store.get('profile');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    await new Promise((resolve) => (tx.oncomplete = resolve));
    db.close();
    return JSON.stringify(profile ?? null);
  }, replace);
}

async function switchProfile(page: Page, profile: string): Promise<void> {
  await deviceProfile(page, profile);
  await page.reload();
  await page.getByRole('navigation', { name: 'Sections' }).waitFor();
}

function localInput(time: number): string {
  const date = new Date(time);
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

describe.runIf(chromiumAvailable())('Decisions in Chromium (web mode)', () => {
  let app: RunningApp;
  let anaProfile = '';

  beforeAll(async () => {
    await mkdir(SCREENSHOT_DIR, { recursive: true });
    app = await startApp();
    await app.context.grantPermissions(['notifications'], { origin: app.companion.url });
    await app.context.addInitScript(RECORD_NOTIFICATIONS);
    await app.page.reload();
  });

  afterAll(async () => {
    await app?.close();
  });

  it('proposes a decision with two options and a closing date, and reminds before it closes', async () => {
    const { page } = app;
    await onboard(page, 'Ana');
    anaProfile = await deviceProfile(page);
    await page.getByRole('button', { name: 'Decisions' }).click();
    await page.getByRole('button', { name: 'Create the first decision' }).click();
    const title = page.getByLabel('decision title');
    await title.fill('Adopt written daily updates');
    await title.press('Enter');

    await page.getByRole('textbox', { name: 'Context and problem statement' }).click();
    await page.keyboard.type('We span five time zones and calls exclude someone every day.');
    await page.getByLabel('New option').fill('Written updates');
    await page.getByLabel('New option').press('Enter');
    await page.getByLabel('New option').fill('Daily call');
    await page.getByLabel('New option').press('Enter');
    await page.getByLabel('Pros of Written updates').fill('Async\nSearchable');
    await page.getByLabel('Cons of Written updates').fill('Slower replies');
    await page.getByLabel('Cons of Written updates').blur();
    await page
      .getByRole('listitem', { name: 'Option Written updates' })
      .getByRole('button', { name: 'Make this the proposal' })
      .click();
    await page.getByLabel('Role of Ana').selectOption('decider');

    await page.getByLabel('Status').selectOption('proposed');
    await page.getByRole('heading', { name: 'Votes' }).waitFor();

    // A closing date in the past is refused with a message; the decision keeps no date.
    await page.getByLabel('Voting closes').fill(localInput(Date.now() - 3_600_000));
    await page.getByRole('button', { name: 'Set closing date' }).click();
    await page
      .getByRole('alert')
      .filter({ hasText: 'The closing date is in the past. Pick a time after now.' })
      .waitFor();

    // Closing in about 2 hours: Ana has not voted, so the reminder fires right away.
    await page.getByLabel('Voting closes').fill(localInput(Date.now() + 2 * 3_600_000 + 120_000));
    await page.getByRole('button', { name: 'Set closing date' }).click();
    await page.getByText(/Closes .* \(in 2 h\)/).waitFor();
    await page
      .getByText('“Adopt written daily updates” closes in 2 h. You have not voted yet.', {
        exact: false,
      })
      .waitFor();
    await expect(
      page.evaluate(() => (window as never as { __notifications: string[] }).__notifications),
    ).resolves.toEqual(['“Adopt written daily updates” closes in 2 h']);

    // "Needs my vote" lists it until Ana votes.
    await page.getByRole('button', { name: /Needs my vote/ }).click();
    await page.getByRole('option', { name: /Adopt written daily updates/ }).waitFor();
    await page.getByRole('radio', { name: 'Agree', exact: true }).click();
    await page.getByLabel('Reason for your vote').fill('Works for every time zone');
    await page.getByRole('button', { name: 'Cast vote' }).click();
    await page.getByText('Nothing needs your vote').waitFor();
    await page.getByRole('button', { name: /Needs my vote/ }).click();
    await page.getByRole('option', { name: /Adopt written daily updates/ }).click();
    await expect(page.getByLabel('Tally').innerText()).resolves.toMatch(/1\s+agree/);
    expect(app.errors).toEqual([]);
  });

  it('lets a second member vote with a block, shown prominently with its reason', async () => {
    const { page } = app;
    await switchProfile(page, JSON.stringify(BEN));
    await page.keyboard.press('Control+3');
    await page.getByRole('option', { name: /Adopt written daily updates/ }).click();
    // Ana named herself as the decider, so Ben is not asked, but he may still vote.
    await page.getByRole('radio', { name: 'Block', exact: true }).click();
    await page.getByRole('button', { name: 'Cast vote' }).click();
    await page.getByRole('alert').filter({ hasText: 'Say why you block' }).waitFor();
    await page
      .getByLabel('Reason for your vote')
      .fill('Support needs a live handover at 09:00 UTC');
    await page.getByRole('button', { name: 'Cast vote' }).click();
    const block = page.locator('.block-callout');
    await expect(block.innerText()).resolves.toContain('Blocked by you');
    await expect(block.innerText()).resolves.toContain(
      'Support needs a live handover at 09:00 UTC',
    );
    const tally = await page.getByLabel('Tally').innerText();
    expect(tally).toMatch(/1\s+agree/);
    expect(tally).toMatch(/1\s+block/);
    await expect(page.getByRole('list', { name: 'Votes by member' }).innerText()).resolves.toMatch(
      /Ana\s+agree/i,
    );
    // Ben changes his mind and changes the vote; then blocks again (both casts are kept).
    await page.getByRole('radio', { name: 'Disagree', exact: true }).click();
    await page.getByRole('button', { name: 'Change vote' }).click();
    await expect(page.getByLabel('Tally').innerText()).resolves.toMatch(/0\s+block/);
    await page.getByRole('radio', { name: 'Block', exact: true }).click();
    await page
      .getByLabel('Reason for your vote')
      .fill('Support needs a live handover at 09:00 UTC');
    await page.getByRole('button', { name: 'Change vote' }).click();
    await page.locator('.block-callout').waitFor();
    await expect(page.getByText('changed 2 times').isVisible()).resolves.toBe(true);
    await page.screenshot({
      path: path.join(SCREENSHOT_DIR, 'decisions-block-light.png'),
      fullPage: false,
    });
  });

  it('accepts with an outcome, supersedes it, and exports MADR', async () => {
    const { page } = app;
    await switchProfile(page, anaProfile);
    await page.keyboard.press('Control+3');
    await page.getByRole('option', { name: /Adopt written daily updates/ }).click();
    await page.locator('.block-callout').waitFor();
    await expect(page.locator('.block-callout').innerText()).resolves.toContain('Blocked by Ben');
    await page
      .getByLabel('Outcome', { exact: true })
      .fill('written updates by 10:00 local; Support keeps a short handover call.');
    await page.getByRole('button', { name: 'Accept', exact: true }).click();
    await page.getByRole('button', { name: 'Accept despite 1 block' }).click();
    await page.getByRole('heading', { name: 'Outcome' }).waitFor();
    await expect(page.getByLabel('Status').inputValue()).resolves.toBe('accepted');
    await expect(page.getByRole('radio', { name: 'Agree', exact: true }).count()).resolves.toBe(0);
    await page.getByLabel('Review on').fill('2027-01-15');
    await expect(
      page.getByRole('list', { name: 'Lifecycle history' }).innerText(),
    ).resolves.toMatch(/accepted\s+from proposed by You/i);

    // A replacing decision, then supersede the first with it.
    await page.keyboard.press('Control+n');
    await page.keyboard.type('Adopt async video updates');
    await page.keyboard.press('Enter');
    await page.getByRole('option', { name: /Adopt written daily updates/ }).click();
    await page.getByLabel('Status').selectOption('superseded');
    await page.getByRole('button', { name: 'Supersede', exact: true }).click();
    await page
      .getByRole('alert')
      .filter({ hasText: 'Pick the decision that replaces this one.' })
      .waitFor();
    await page
      .getByLabel('Replaced by')
      .selectOption({ label: 'Adopt async video updates (draft)' });
    await page.getByRole('button', { name: 'Supersede', exact: true }).click();
    await page
      .getByRole('note')
      .filter({ hasText: 'Superseded by Adopt async video updates' })
      .waitFor();
    // The old decision stays readable: outcome and votes are still shown.
    await expect(page.getByLabel('Outcome statement').inputValue()).resolves.toContain(
      'written updates by 10:00',
    );
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'decisions-superseded-light.png') });

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page
        .getByRole('button', { name: 'Export MADR' })
        .click()
        .then(() => acceptPlainExport(page)),
    ]);
    expect(download.suggestedFilename()).toBe('0001-adopt-written-daily-updates.md');
    const markdown = await readFile((await download.path())!, 'utf8');
    expect(markdown).toMatch(
      /^---\nstatus: superseded by \[Adopt async video updates\]\(0002-adopt-async-video-updates\.md\)\ndate: \d{4}-\d{2}-\d{2}\ndeciders: Ana\nreview-date: 2027-01-15\n---\n\n# Adopt written daily updates\n/,
    );
    expect(markdown).toContain(
      '## Context and Problem Statement\n\nWe span five time zones and calls exclude someone every day.',
    );
    expect(markdown).toContain('## Considered Options\n\n* Written updates\n* Daily call\n');
    expect(markdown).toContain(
      'Chosen option: "Written updates", because written updates by 10:00 local',
    );
    expect(markdown).toContain('1 agree, 0 abstain, 0 disagree, 1 block');
    expect(markdown).toContain('* Ben: block — Support needs a live handover at 09:00 UTC');
    expect(markdown).toContain(
      '### Written updates\n\n* Good, because Async\n* Good, because Searchable\n* Bad, because Slower replies',
    );
    expect(app.errors).toEqual([]);
  });

  it('refuses a malformed MADR file with a message and imports a good one', async () => {
    const { page } = app;
    const input = page.getByLabel('MADR files to import');
    await input.setInputFiles([
      {
        name: 'broken.md',
        mimeType: 'text/markdown',
        buffer: Buffer.from('---\nstatus: accepted\n# Use Rust'),
      },
      {
        name: '0007-use-rust.md',
        mimeType: 'text/markdown',
        buffer: Buffer.from(
          '---\nstatus: proposed\ndeciders: Ana, Ben\n---\n\n# Use Rust for the sync daemon\n\n## Context and Problem Statement\n\nMemory safety.\n\n## Considered Options\n\n* Rust\n* Go\n',
        ),
      },
    ]);
    const report = page.locator('.import-report');
    await expect(report.innerText()).resolves.toContain('Imported 1 decision');
    await expect(report.innerText()).resolves.toContain(
      'broken.md: the front matter that starts with "---" is never closed.',
    );
    await expect(page.getByLabel('decision title').inputValue()).resolves.toBe(
      'Use Rust for the sync daemon',
    );
    await expect(page.getByLabel('Role of Ben').inputValue()).resolves.toBe('decider');
    await page.getByRole('button', { name: 'Close import report' }).click();
  });

  it('looks right in the dark theme', async () => {
    const { page } = app;
    await page.keyboard.press('Control+6');
    await page.getByRole('radio', { name: 'Dark' }).click();
    await page.keyboard.press('Control+3');
    await page.getByRole('option', { name: /Adopt written daily updates/ }).click();
    await page.waitForFunction(() => document.documentElement.dataset.theme === 'dark');
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'decisions-superseded-dark.png') });
    await page.locator('.vote-card').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'decisions-votes-dark.png') });
    await page.getByRole('heading', { name: 'Options' }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'decisions-options-dark.png') });
    expect(app.errors).toEqual([]);
  });
});
