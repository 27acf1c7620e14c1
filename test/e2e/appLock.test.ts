/**
 * The app lock in a real Chromium (web mode), on the page's fake clock (Playwright's
 * context.clock): Ana's data is protected by a passphrase, she sets Outpost to lock after 5
 * minutes idle and leaves a note open. Five idle minutes later the lock screen is all the page
 * holds (none of the note's or a decision's text is in the DOM), its field has focus, a decision
 * reminder that falls due while locked names nothing, a wrong passphrase is refused with a wait,
 * and the right one brings her back to the same note. A second device keeps its data unencrypted
 * and sets a passphrase for the lock itself: it starts locked after a reload and opens with it.
 * Notifications are recorded by a wrapper around window.Notification (permission granted), the
 * edge to the OS. Screenshots: test-results/screenshots/app-lock-*.png.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdir } from 'node:fs/promises';
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
import { LOCKED_NOTICE } from '../../shared/ipc/lockContract';

if (!chromiumAvailable()) console.warn(SKIP_REASON);

const PASSPHRASE = 'café on the Tejo';
const NOTE_TITLE = 'Lisbon flat';
const NOTE_TEXT = 'Rent for the Lisbon flat is 1,450 a month';
const DECISION_TITLE = 'Move the offsite to Porto';
const LOCK_PASSPHRASE = 'night bus to Braga';

interface Shown {
  readonly title: string;
  readonly body: string;
  readonly tag: string;
}
declare global {
  interface Window {
    __lockNotices?: Shown[];
  }
}

/** Records each Web Notification the page shows (and still shows it). */
const RECORD_NOTIFICATIONS = `(() => {
  const Real = window.Notification;
  window.__lockNotices = [];
  class Recorded extends Real {
    constructor(title, options) {
      super(title, options);
      window.__lockNotices.push({ title, body: options?.body ?? '', tag: options?.tag ?? '' });
    }
  }
  Object.defineProperty(Recorded, 'permission', { get: () => Real.permission });
  Recorded.requestPermission = Real.requestPermission.bind(Real);
  window.Notification = Recorded;
})();`;

/** A datetime-local value for `time` in the page's zone. */
function localInput(time: number): string {
  const date = new Date(time);
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

async function proposeDecisionClosingIn(page: Page, ms: number): Promise<void> {
  await page.getByRole('button', { name: 'Decisions' }).click();
  await page.getByRole('button', { name: 'Create the first decision' }).click();
  const title = page.getByLabel('decision title');
  await title.fill(DECISION_TITLE);
  await title.press('Enter');
  await page.getByLabel('Role of Ana').selectOption('decider');
  await page.getByLabel('Status').selectOption('proposed');
  await page.getByRole('heading', { name: 'Votes' }).waitFor();
  const now = await page.evaluate(() => Date.now());
  await page.getByLabel('Voting closes').fill(localInput(now + ms));
  await page.getByRole('button', { name: 'Set closing date' }).click();
  await page
    .getByText(/Closes /)
    .first()
    .waitFor();
}

const lockHeading = (page: Page) => page.getByRole('heading', { name: 'Outpost is locked' });

describe.runIf(chromiumAvailable())('App lock in Chromium (web mode)', () => {
  const apps: RunningApp[] = [];
  afterAll(async () => {
    for (const app of apps) await app.close();
  });

  it('locks after 5 idle minutes, shows nothing of the workspace, and unlocks where Ana was', async () => {
    await mkdir(SCREENSHOT_DIR, { recursive: true });
    const app = await startApp({ pageTime: Date.now() });
    apps.push(app);
    const { page, context } = app;
    await context.grantPermissions(['notifications'], { origin: app.companion.url });
    await context.addInitScript(RECORD_NOTIFICATIONS);
    await page.reload();
    await onboard(page, 'Ana', PASSPHRASE);

    // A decision whose "not voted yet" reminder falls due in an hour (a day before it closes).
    await proposeDecisionClosingIn(page, 25 * 3_600_000);
    await page.getByRole('button', { name: 'Notes' }).click();
    await writeNote(page, NOTE_TITLE, NOTE_TEXT);

    await page.getByRole('button', { name: 'Settings' }).click();
    const after = page.getByLabel('Lock when idle');
    await after.selectOption('5');
    await page.getByRole('button', { name: 'Lock now' }).waitFor();
    await page.getByRole('region', { name: 'App lock' }).screenshot({
      path: path.join(SCREENSHOT_DIR, 'app-lock-settings-light.png'),
    });
    // Back to the note, where she leaves it.
    await page.getByRole('button', { name: 'Notes' }).click();
    await page.getByRole('option', { name: new RegExp(NOTE_TITLE) }).click();
    await page.getByLabel('Note body').getByText(NOTE_TEXT).waitFor();

    // Four idle minutes: still open. Six: locked.
    await context.clock.fastForward('04:00');
    expect(await lockHeading(page).count()).toBe(0);
    await context.clock.fastForward('02:00');
    await lockHeading(page).waitFor();
    const html = await page.content();
    expect(html).not.toContain(NOTE_TEXT);
    expect(html).not.toContain(NOTE_TITLE);
    expect(html).not.toContain(DECISION_TITLE);
    expect(await page.getByRole('navigation', { name: 'Sections' }).count()).toBe(0);
    // A proper form with its field focused, so typing goes straight in.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('lock-passphrase');
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'app-lock-screen-light.png') });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'app-lock-screen-dark.png') });
    await page.emulateMedia({ colorScheme: 'light' });

    // The decision's reminder falls due while locked: a notification that names nothing.
    const shownBefore = (await page.evaluate(() => window.__lockNotices ?? [])).length;
    await context.clock.fastForward('01:00:00');
    await expect
      .poll(async () => (await page.evaluate(() => window.__lockNotices ?? [])).length)
      .toBeGreaterThan(shownBefore);
    const shown = (await page.evaluate(() => window.__lockNotices ?? [])).slice(shownBefore);
    for (const notice of shown) {
      expect(notice).toEqual({
        title: LOCKED_NOTICE.title,
        body: LOCKED_NOTICE.body,
        tag: 'outpost-locked',
      });
    }
    expect(await page.content()).not.toContain(DECISION_TITLE);

    // A wrong passphrase: refused, with a wait before the next try.
    await page.getByLabel('Passphrase').fill('not the passphrase');
    await page.keyboard.press('Enter');
    await page
      .getByRole('alert')
      .filter({ hasText: 'That passphrase is not right. You can try again in 1 second.' })
      .waitFor({ timeout: 30_000 });
    await lockHeading(page).waitFor();
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'app-lock-wrong-light.png') });

    // The right one: back to the same note, its text in place.
    await page.getByLabel('Passphrase').fill(PASSPHRASE);
    const unlock = page.getByRole('button', { name: 'Unlock' });
    await expect.poll(() => unlock.isEnabled()).toBe(true);
    await unlock.click();
    await lockHeading(page).waitFor({ state: 'detached', timeout: 30_000 });
    await page.getByLabel('Note body').getByText(NOTE_TEXT).waitFor();
    expect(
      await page
        .getByRole('option', { name: new RegExp(NOTE_TITLE) })
        .getAttribute('aria-selected'),
    ).toBe('true');
    expect(app.errors).toEqual([]);
  });

  it('asks for a lock passphrase where the data has none, and starts locked after a reload', async () => {
    const app = await startApp();
    apps.push(app);
    const { page } = app;
    await onboard(page, 'Bo');
    await page.getByRole('button', { name: 'Settings' }).click();
    const card = page.getByRole('region', { name: 'App lock' });
    await card.getByLabel('Lock when idle').selectOption('1');
    // Nothing here could check a passphrase yet: the lock asks for its own before it is on.
    await card.getByLabel('Lock passphrase', { exact: true }).fill(LOCK_PASSPHRASE);
    await card.getByLabel('Repeat the passphrase').fill('a different one entirely');
    await card.getByRole('button', { name: 'Turn the lock on' }).click();
    await card.getByRole('alert').filter({ hasText: 'The two passphrases differ.' }).waitFor();
    await card.getByLabel('Repeat the passphrase').fill(LOCK_PASSPHRASE);
    await card.getByRole('button', { name: 'Turn the lock on' }).click();
    await card.getByRole('button', { name: 'Lock now' }).click();
    await lockHeading(page).waitFor();
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'app-lock-own-passphrase-light.png') });

    // A reload is no way around it.
    await page.reload();
    await lockHeading(page).waitFor({ timeout: 60_000 });
    expect(await page.getByRole('navigation', { name: 'Sections' }).count()).toBe(0);
    await page.getByLabel('Lock passphrase').fill(LOCK_PASSPHRASE);
    await page.getByRole('button', { name: 'Unlock' }).click();
    await page.getByRole('navigation', { name: 'Sections' }).waitFor({ timeout: 30_000 });
    expect(app.errors).toEqual([]);
  });
});
