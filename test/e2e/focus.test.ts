/**
 * Focus end to end in web mode, as a person would use it: short test durations set through the
 * settings form (with the engine's refusal of an impossible combination on the way), a focus block
 * started, the break notice and the break arriving as real Web Notifications (permission granted
 * to the page, each constructed notification recorded by a wrapper around window.Notification),
 * the stats updating and the person's own status in the team view.
 *
 * Each test starts its own app (fresh companion, fresh profile): a retried test starts from the
 * same state as its first attempt, never from what a failed attempt left behind.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { mkdir } from 'node:fs/promises';
import type { Route } from 'playwright-core';
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

/**
 * A fresh app with Web Notifications granted and recorded, onboarded as Ana, on the Focus page.
 */
async function focusApp(): Promise<RunningApp> {
  const app = await startApp();
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
  await onboard(app.page, 'Ana');
  await app.page.keyboard.press('Control+4');
  await app.page.getByRole('heading', { name: 'Focus', exact: true }).waitFor();
  return app;
}

/**
 * Holds the page's settings saves (focus:updateConfig) at the network until the test lets each
 * one through, in the order they were sent.
 */
function holdSaves(app: RunningApp) {
  const held: Route[] = [];
  const waiting: ((route: Route) => void)[] = [];
  void app.page.route('**/ipc/focus:updateConfig', (route) => {
    const waiter = waiting.shift();
    if (waiter) waiter(route);
    else held.push(route);
  });
  const next = () =>
    new Promise<Route>((resolve) => {
      const route = held.shift();
      if (route) resolve(route);
      else waiting.push(resolve);
    });
  return {
    /** How many saves the page has sent that are held. */
    count: () => held.length,
    /** Lets the next save reach the companion; resolves once the page has its answer. */
    async release(): Promise<void> {
      const route = await next();
      const answered = app.page.waitForResponse(
        (response) => response.request() === route.request(),
      );
      await route.continue();
      await answered;
    },
  };
}

describe.runIf(chromiumAvailable())('Focus timer in Chromium (web mode)', () => {
  let app: RunningApp | undefined;

  beforeAll(async () => {
    await mkdir(SCREENSHOT_DIR, { recursive: true });
  });

  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  const shown = () => app!.page.evaluate(() => window.__shownNotifications ?? []);

  it('sets short durations, refusing an impossible combination with the engine’s message', async () => {
    app = await focusApp();
    const { page } = app;
    await expect(page.evaluate(() => Notification.permission)).resolves.toBe('granted');

    await page.getByLabel(/^Working hours:/).uncheck();
    await page.getByRole('group', { name: 'Monday' }).waitFor({ state: 'detached' });

    // A 3-second block with a 60-second notice is impossible: refused, and the typed value stays.
    const focus = page.getByLabel('Focus', { exact: true });
    await focus.fill('0.05');
    await focus.press('Tab');
    await page
      .getByRole('alert')
      .filter({ hasText: 'must come after the 0.05-minute focus block has started' })
      .waitFor();
    await expect(focus.inputValue()).resolves.toBe('0.05');

    const notice = page.getByLabel('Break notice', { exact: true });
    await notice.fill('1');
    await notice.press('Tab');
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    const shortBreak = page.getByLabel('Short break', { exact: true });
    await shortBreak.fill('0.05');
    await shortBreak.press('Tab');
    // Breaks wait for the person, so the test decides when each one starts.
    await page.getByLabel('Start breaks and focus blocks by themselves').uncheck();
    await page.getByText('0.05 minutes of focus, then a 0.05-minute break').waitFor();
    await expect(page.locator('.focus-settings [role="alert"]').count()).resolves.toBe(0);

    // Bad working hours are refused too, with the day named.
    await page.getByLabel(/^Working hours:/).check();
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
    await page.getByLabel(/^Working hours:/).uncheck();
    await page.getByRole('group', { name: 'Monday' }).waitFor({ state: 'detached' });
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    await page.screenshot({
      path: path.join(SCREENSHOT_DIR, 'focus-settings-light.png'),
      fullPage: true,
    });

    // The settings live in the companion: a reload shows them as saved.
    await page.reload();
    await page.keyboard.press('Control+4');
    await expect(page.getByLabel('Focus', { exact: true }).inputValue()).resolves.toBe('0.05');
    await expect(page.getByLabel('Short break', { exact: true }).inputValue()).resolves.toBe(
      '0.05',
    );
    await expect(page.getByLabel('Break notice', { exact: true }).inputValue()).resolves.toBe('1');
    await expect(
      page.getByLabel('Start breaks and focus blocks by themselves').isChecked(),
    ).resolves.toBe(false);
    await expect(page.getByLabel(/^Working hours:/).isChecked()).resolves.toBe(false);
    expect(app.errors).toEqual([]);
  });

  it('keeps what was typed and clicked while an earlier change is still being saved', async () => {
    app = await focusApp();
    const { page } = app;
    const saves = holdSaves(app);

    // A change is on its way to the companion when the person clicks a checkbox and starts
    // typing in another field.
    const shortBreak = page.getByLabel('Short break', { exact: true });
    await shortBreak.fill('0.05');
    await shortBreak.press('Tab');
    await expect.poll(saves.count).toBe(1);
    const autoStart = page.getByLabel('Start breaks and focus blocks by themselves');
    await autoStart.click();
    const longBreak = page.getByLabel('Long break', { exact: true });
    await longBreak.fill('0.1');

    // The first save is answered (the page also gets the new config pushed): the click and the
    // typing stay.
    await saves.release();
    await page.getByText('25 minutes of focus, then a 0.05-minute break').waitFor();
    await expect(autoStart.isChecked()).resolves.toBe(false);
    await expect(longBreak.inputValue()).resolves.toBe('0.1');

    // The rest is saved as well, in order: the save from leaving Long break (the Tab put the
    // cursor there) and the click's, then the typed value's. Nothing is lost, nothing older
    // lands last.
    await saves.release();
    await saves.release();
    await longBreak.press('Tab');
    await saves.release();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    await page.getByText('a 0.1-minute break after every').waitFor();
    await page.unrouteAll();
    await page.reload();
    await page.keyboard.press('Control+4');
    await expect(page.getByLabel('Short break', { exact: true }).inputValue()).resolves.toBe(
      '0.05',
    );
    await expect(page.getByLabel('Long break', { exact: true }).inputValue()).resolves.toBe('0.1');
    await expect(
      page.getByLabel('Start breaks and focus blocks by themselves').isChecked(),
    ).resolves.toBe(false);
    expect(app.errors).toEqual([]);
  });

  it('starts a block, gets the break notice and the break as notifications, and stats update', async () => {
    app = await focusApp();
    const { page } = app;
    // Short durations (set through the form in the first test) straight through the companion's
    // own settings call: a 6-second block (time to look at "in focus" on two busy cores), a
    // 1-second notice, a 3-second break that waits for the person.
    const saved = await page.evaluate(async () => {
      const response = await fetch('/ipc/focus:updateConfig', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          input: {
            config: {
              focusMinutes: 0.1,
              shortBreakMinutes: 0.05,
              breakNoticeSeconds: 1,
              autoStartNextPhase: false,
              workingHours: null,
            },
          },
        }),
      });
      return (await response.json()) as { ok: boolean; value?: { saved: boolean } };
    });
    expect(saved).toMatchObject({ ok: true, value: { saved: true } });
    await page.getByText('0.1 minutes of focus, then a 0.05-minute break').waitFor();

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
    // The due break covers the window (the break screen) and is started from there.
    await page
      .getByRole('dialog', { name: 'Your short break is due' })
      .getByRole('button', { name: 'Start break' })
      .click();
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

    // Settings and stats live in the companion: a reload (in the dark theme) shows them.
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.reload();
    await page.keyboard.press('Control+4');
    await expect(page.getByLabel('Focus', { exact: true }).inputValue()).resolves.toBe('0.1');
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
