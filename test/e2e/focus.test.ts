/**
 * Focus end to end in web mode, as a person would use it: short test durations set through the
 * settings form (with the engine's refusal of an impossible combination on the way), a focus block
 * started, the break notice and the break arriving as real Web Notifications (permission granted
 * to the page, each constructed notification recorded by a wrapper around window.Notification),
 * the stats updating and the person's own status in the team view.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { mkdir } from 'node:fs/promises';
import {
  SCREENSHOT_DIR,
  SKIP_REASON,
  chromiumAvailable,
  onboard,
  startApp,
  type RunningApp,
} from './harness';

if (!chromiumAvailable()) console.warn(SKIP_REASON);

interface Shown {
  title: string;
  body: string;
  at: number;
}

declare global {
  interface Window {
    __shownNotifications?: Shown[];
  }
}

describe.runIf(chromiumAvailable())('Focus timer in Chromium (web mode)', () => {
  let app: RunningApp;

  beforeAll(async () => {
    await mkdir(SCREENSHOT_DIR, { recursive: true });
    app = await startApp();
    await app.context.grantPermissions(['notifications'], {
      origin: new URL(app.companion.url).origin,
    });
    await app.context.addInitScript(() => {
      const Real = window.Notification;
      const shown: Shown[] = [];
      window.__shownNotifications = shown;
      class Recording extends Real {
        constructor(title: string, options?: NotificationOptions) {
          super(title, options);
          shown.push({ title, body: options?.body ?? '', at: Date.now() });
        }
      }
      Object.defineProperty(window, 'Notification', { value: Recording, configurable: true });
    });
    await app.page.reload();
  });

  afterAll(async () => {
    await app?.close();
  });

  const shown = () => app.page.evaluate(() => window.__shownNotifications ?? []);

  it('sets short durations, refusing an impossible combination with the engine’s message', async () => {
    const { page } = app;
    await onboard(page, 'Ana');
    await page.keyboard.press('Control+4');
    await page.getByRole('heading', { name: 'Focus', exact: true }).waitFor();
    await expect(page.evaluate(() => Notification.permission)).resolves.toBe('granted');

    await page.getByLabel(/Only during working hours/).uncheck();
    await page.getByRole('group', { name: 'Monday' }).waitFor({ state: 'detached' });

    // A 3-second block with a 60-second notice is impossible: refused, and the typed value stays.
    const focus = page.getByLabel('Focus (minutes)');
    await focus.fill('0.05');
    await focus.press('Tab');
    await page
      .getByRole('alert')
      .filter({ hasText: 'must come after the 0.05-minute focus block has started' })
      .waitFor();
    await expect(focus.inputValue()).resolves.toBe('0.05');

    const notice = page.getByLabel('Break notice (seconds before)');
    await notice.fill('1');
    await notice.press('Tab');
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    const shortBreak = page.getByLabel('Short break (minutes)');
    await shortBreak.fill('0.05');
    await shortBreak.press('Tab');
    // Breaks wait for the person, so the test decides when each one starts.
    await page.getByLabel('Start breaks and focus blocks by themselves').uncheck();
    await page.getByText('0.05 minutes of focus, then a 0.05-minute break').waitFor();
    await expect(page.locator('.focus-settings [role="alert"]').count()).resolves.toBe(0);

    // Bad working hours are refused too, with the day named.
    await page.getByLabel(/Only during working hours/).check();
    const end = page.getByLabel('Tuesday range 1 end');
    await end.fill('08:00');
    await end.press('Tab');
    await page.getByRole('alert').filter({ hasText: "Tuesday's working hours" }).waitFor();
    await end.fill('17:30');
    await end.press('Tab');
    await page
      .getByRole('alert')
      .filter({ hasText: "Tuesday's working hours" })
      .waitFor({ state: 'detached' });
    await page.getByLabel(/Only during working hours/).uncheck();
    await page.getByRole('group', { name: 'Monday' }).waitFor({ state: 'detached' });
    await page.screenshot({
      path: path.join(SCREENSHOT_DIR, 'focus-settings-light.png'),
      fullPage: true,
    });
  });

  it('starts a block, gets the break notice and the break as notifications, and stats update', async () => {
    const { page } = app;
    await expect(page.getByTestId('focus-breaks-today').textContent()).resolves.toBe(
      '0 taken · 0 skipped · 0 postponed',
    );
    await page.getByRole('button', { name: 'Start focus' }).click();
    await page.locator('#timer-phase', { hasText: /^Focus$/ }).waitFor();
    await page
      .getByTestId('team-row-Ana')
      .getByTestId('team-status')
      .filter({ hasText: /^in focus until \d\d:\d\d$/ })
      .waitFor();
    await page.locator('.team-focus').screenshot({
      path: path.join(SCREENSHOT_DIR, 'focus-team-light.png'),
    });

    await page.locator('#timer-phase', { hasText: 'Short break is due' }).waitFor();
    await page.getByRole('button', { name: 'Start break' }).click();
    await page.waitForFunction(
      () => (window.__shownNotifications ?? []).some((n) => n.title === 'Break is over'),
      undefined,
      { timeout: 15_000 },
    );
    const titles = (await shown()).map((notification) => notification.title);
    expect(titles).toEqual(['Break coming up', 'Your short break is due', 'Break is over']);
    const [noticeShown, breakShown] = await shown();
    expect(noticeShown!.body).toMatch(/^Your short break starts at \d\d:\d\d\./);
    // The notice comes about a second before the break (the configured lead time).
    expect(breakShown!.at - noticeShown!.at).toBeGreaterThan(500);
    expect(breakShown!.at - noticeShown!.at).toBeLessThan(2_500);

    await page
      .getByTestId('focus-breaks-today')
      .filter({ hasText: '1 taken · 0 skipped · 0 postponed' })
      .waitFor();
    await page.getByTestId('last-reminder').filter({ hasText: 'Break is over' }).waitFor();

    // Postponing the next break shows in the stats as well.
    await page.locator('#timer-phase', { hasText: /^Ready$/ }).waitFor();
    await page.getByRole('button', { name: 'Start focus' }).click();
    await page.getByRole('button', { name: 'Postpone break' }).click();
    await page
      .getByTestId('focus-breaks-today')
      .filter({ hasText: /1 postponed$/ })
      .waitFor();
    await page.getByRole('button', { name: 'Reset' }).click();
    await page.locator('#timer-phase', { hasText: /^Ready$/ }).waitFor();
    await page
      .getByTestId('team-row-Ana')
      .getByTestId('team-status')
      .filter({ hasText: 'available' })
      .waitFor();
    expect(app.errors).toEqual([]);
  });

  it('keeps settings and stats in the companion across a reload, in the dark theme too', async () => {
    const { page } = app;
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.reload();
    await page.keyboard.press('Control+4');
    await expect(page.getByLabel('Focus (minutes)').inputValue()).resolves.toBe('0.05');
    await page
      .getByTestId('focus-breaks-today')
      .filter({ hasText: '1 taken · 0 skipped · 1 postponed' })
      .waitFor();
    await page.screenshot({
      path: path.join(SCREENSHOT_DIR, 'focus-dark.png'),
      fullPage: true,
    });
  });
});
