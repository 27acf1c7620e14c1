/**
 * Focus for people who move (issue 21), end to end in Chromium against web mode with a fake
 * clock: the companion's focus timer runs on test/electron/focus's FakeClock (moved by the test,
 * firing the service's real timer at each due time), and the page's clock is Playwright's, set to
 * the same moment. The browser's time zone is UTC, the "computer's" zone.
 *
 * - At 08:00 UTC a person whose working hours are 09:00–17:30 in Ho Chi Minh City starts focus
 *   (it is 15:00 there), and again after hours: it starts and says so once.
 * - Changing the profile's time zone moves focus, the check-in reminder and backup times together.
 * - The break screen comes at the break; Postpone and Skip work within their limits; strict
 *   breaks hide them.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { FakeClock } from '../electron/focus/fakeClock';
import {
  SKIP_REASON,
  chooseProtection,
  chromiumAvailable,
  startApp,
  writeNote,
  type RunningApp,
} from './harness';

if (!chromiumAvailable()) console.warn(SKIP_REASON);

const MIN = 60_000;
/** Monday 7 December 2026, 08:00 UTC (15:00 in Ho Chi Minh City). */
const MONDAY_0800_UTC = Date.UTC(2026, 11, 7, 8, 0);
const SHOTS_DIR = '/work/shots/focus';

interface NomadApp {
  readonly app: RunningApp;
  readonly page: Page;
  readonly clock: FakeClock;
  /** Moves both clocks (the timer's and the page's) to `time`. */
  at(time: number): Promise<void>;
}

async function nomadApp(options: { viewport?: { width: number; height: number } } = {}) {
  const clock = new FakeClock(MONDAY_0800_UTC);
  const app = await startApp({
    clock,
    pageTime: MONDAY_0800_UTC,
    timezoneId: 'UTC',
    ...options,
  });
  // Reminders need notifications; granted as a person would on the first prompt.
  await app.context.grantPermissions(['notifications'], {
    origin: new URL(app.companion.url).origin,
  });
  await app.page.reload();
  const nomad: NomadApp = {
    app,
    page: app.page,
    clock,
    async at(time) {
      await app.page.clock.setSystemTime(time);
      clock.advanceTo(time);
    },
  };
  return nomad;
}

/** Onboards as `name`, choosing the time zone by city when `city` is given; default hours. */
async function onboardIn(page: Page, name: string, city?: RegExp, search?: string) {
  await chooseProtection(page);
  await page.getByLabel('Your name').waitFor({ timeout: 60_000 });
  await page.getByLabel('Your name').fill(name);
  if (city && search) {
    await page.getByLabel('Your time zone').fill(search);
    await page.getByRole('option', { name: city }).waitFor();
    await mkdir(SHOTS_DIR, { recursive: true });
    await page.screenshot({
      path: path.join(SHOTS_DIR, 'onboarding-zone-search.png'),
      fullPage: true,
    });
    await page.getByRole('option', { name: city }).click();
    await page.getByTestId('onboarding-zone-current').filter({ hasText: city }).waitFor();
  }
  // Working hours entered at onboarding, in local time: the defaults, Monday to Friday.
  await expect(
    page.getByRole('button', { name: 'Monday' }).getAttribute('aria-pressed'),
  ).resolves.toBe('true');
  await expect(page.getByLabel('From').inputValue()).resolves.toBe('09:00');
  await expect(page.getByLabel('To', { exact: true }).inputValue()).resolves.toBe('17:30');
  await page.getByRole('button', { name: 'Get started' }).click();
  await page.getByRole('navigation', { name: 'Sections' }).waitFor();
}

const focusUntil = (page: Page) => page.locator('.focus-until');

describe.runIf(chromiumAvailable())('Focus for people who move (Chromium, fake clock)', () => {
  let nomad: NomadApp | undefined;

  afterEach(async () => {
    await nomad?.app.close();
    nomad = undefined;
  });

  it('at 08:00 UTC, with 09:00–17:30 hours in Ho Chi Minh City, starting focus works', async () => {
    nomad = await nomadApp();
    const { page } = nomad;
    // "Ho Chi Minh City" finds Asia/Ho_Chi_Minh (Asia/Saigon to older systems).
    await onboardIn(page, 'Linh', /Ho Chi Minh City, Vietnam/, 'Ho Chi Minh City');
    await page.keyboard.press('Control+4');
    // The timer follows the profile's zone: one time zone.
    await page.getByText('Times in Ho Chi Minh City, Vietnam.').waitFor();
    await page.getByRole('button', { name: 'Start focus' }).click();
    await page
      .locator('#timer-phase')
      .filter({ hasText: /^Focus$/ })
      .waitFor();
    await focusUntil(page).filter({ hasText: 'until 03:25 PM' }).waitFor();
    // Inside working hours there (15:00): nothing to say about them.
    await expect(page.getByText('outside your working hours').count()).resolves.toBe(0);
    // The team's day strip shows her hours on her own day, in her time.
    await page.getByRole('img', { name: 'Linh (you) works 09:00–17:30 your time' }).waitFor();

    // The timer everywhere: the sidebar and the window title, on another section too.
    await page.keyboard.press('Control+1');
    await page.getByTestId('sidebar-timer').filter({ hasText: 'Focus' }).waitFor();
    await expect(page.getByTestId('sidebar-timer').textContent()).resolves.toMatch(/2[45]:\d\d/);
    await expect.poll(() => page.title()).toMatch(/^2[45]:\d\d Focus — Outpost$/);

    // After hours (18:30 there) the person can still start focus; the app says so once.
    await page.keyboard.press('Control+4');
    await page.getByRole('button', { name: 'Reset' }).click();
    await page.getByRole('button', { name: 'Start focus' }).waitFor();
    // The page's clock moves first and the page hears from the timer before the timer's clock
    // moves, as when an answer is on its way: its estimate of the timer's time is then hours off
    // (the e2e series once lost the notice this way), and the notice must not depend on it.
    const afterHours = MONDAY_0800_UTC + 3.5 * 60 * MIN;
    await page.clock.setSystemTime(afterHours);
    await page.reload();
    await page.getByRole('button', { name: 'Start focus' }).waitFor();
    nomad.clock.advanceTo(afterHours);
    await page.getByRole('button', { name: 'Start focus' }).click();
    await focusUntil(page).filter({ hasText: 'until 06:55 PM' }).waitFor();
    const notice = page.getByText(
      'Focus started outside your working hours (Mon–Fri 09:00–17:30, Ho Chi Minh City, Vietnam).',
    );
    await notice.waitFor();
    await expect(notice.count()).resolves.toBe(1);
    // The block really runs on the timer's side: its break comes at 18:55 there.
    await nomad.at(MONDAY_0800_UTC + 3.5 * 60 * MIN + 25 * MIN);
    await page.getByRole('dialog', { name: 'Short break' }).waitFor();
    expect(nomad.app.errors).toEqual([]);
  });

  it('changing the profile time zone moves focus, reminders and backup times together', async () => {
    nomad = await nomadApp();
    const { page } = nomad;
    await onboardIn(page, 'Ana');
    // In UTC: focus until 08:25.
    await page.keyboard.press('Control+4');
    await page.getByText('Times in UTC.').waitFor();
    await page.getByRole('button', { name: 'Start focus' }).click();
    await focusUntil(page).filter({ hasText: 'until 08:25 AM' }).waitFor();

    // A weekly check-in reminder on Mondays at 09:00: today, one hour from now.
    await page.keyboard.press('Control+2');
    await page.getByRole('button', { name: 'Reminder' }).click();
    await page.getByLabel('Remind me to check in every week').check();
    await page.getByLabel('Day').selectOption('mon');
    await page.getByLabel('Time').fill('09:00');
    await page.getByRole('button', { name: 'Save reminder' }).click();
    await page.getByText(/Next reminder: Dec 7, 2026, 9:00\sAM\./).waitFor();

    // A backup, shown at its time in UTC.
    await page.keyboard.press('Control+7');
    await page.getByRole('button', { name: 'Back up now' }).click();
    const firstRow = page.locator('.backups-table tbody tr').first().locator('td').first();
    await firstRow.waitFor();
    const before = clockOf(await firstRow.locator('div').first().innerText());

    // The person moves to Ho Chi Minh City and says so in Settings.
    await page.keyboard.press('Control+6');
    await page.getByLabel('Time zone', { exact: true }).fill('Vietnam');
    await page.getByRole('option', { name: /Ho Chi Minh City, Vietnam/ }).click();
    await page
      .getByTestId('profile-zone-current')
      .filter({ hasText: 'Ho Chi Minh City' })
      .waitFor();

    // Focus: the same block now ends at 15:25 local, and the page names the zone.
    await page.keyboard.press('Control+4');
    await page.getByText('Times in Ho Chi Minh City, Vietnam.').waitFor();
    await focusUntil(page).filter({ hasText: 'until 03:25 PM' }).waitFor();
    // Reminder: Monday 09:00 in Ho Chi Minh City has passed (it is 15:00 there): next week.
    await page.keyboard.press('Control+2');
    await page.getByRole('button', { name: 'Reminder' }).click();
    await page.getByText(/Next reminder: Dec 14, 2026, 9:00\sAM\./).waitFor();
    await page.getByText('In your time zone (Ho Chi Minh City, Vietnam).').waitFor();
    // Backups: the same backup, seven hours later on the clock.
    await page.keyboard.press('Control+7');
    await firstRow.waitFor();
    const after = clockOf(await firstRow.locator('div').first().innerText());
    expect((after - before + 24 * 60) % (24 * 60)).toBe(7 * 60);
    expect(nomad.app.errors).toEqual([]);
  });

  it('the break screen comes at the break; Postpone and Skip work; strict breaks hide them', async () => {
    nomad = await nomadApp();
    const { page } = nomad;
    const start = MONDAY_0800_UTC + 2 * 60 * MIN; // 10:00 UTC, inside the default hours
    await onboardIn(page, 'Ana');
    await nomad.at(start);
    await page.keyboard.press('Control+4');
    await page.getByRole('button', { name: 'Start focus' }).click();
    await focusUntil(page).filter({ hasText: 'until 10:25 AM' }).waitFor();
    const breakScreen = page.getByRole('dialog', { name: 'Short break' });
    await expect(breakScreen.count()).resolves.toBe(0);

    // 10:25: the break starts and covers the window, with an idea for it.
    await nomad.at(start + 25 * MIN);
    await breakScreen.waitFor();
    await expect(page.locator('.break-screen-idea').innerText()).resolves.not.toBe('');
    await breakScreen.getByText('2 postpones left for this break.').waitFor();
    await breakScreen.getByRole('button', { name: 'Postpone 5 minutes' }).click();
    await breakScreen.waitFor({ state: 'detached' });
    await page
      .locator('#timer-phase')
      .filter({ hasText: /^Focus$/ })
      .waitFor();
    await focusUntil(page).filter({ hasText: 'until 10:30 AM' }).waitFor();

    // 10:30: back again, one postpone left; Skip ends it and focus goes on.
    await nomad.at(start + 30 * MIN);
    await breakScreen.waitFor();
    await breakScreen.getByText('1 postpone left for this break.').waitFor();
    await breakScreen.getByRole('button', { name: 'Skip break' }).click();
    await breakScreen.waitFor({ state: 'detached' });
    await focusUntil(page).filter({ hasText: 'until 10:55 AM' }).waitFor();

    // Strict breaks: the next break has neither button, and the timer refuses them too.
    await page.getByLabel('Strict breaks: no postponing or skipping').check();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    await expect(page.getByRole('button', { name: 'Postpone break' }).count()).resolves.toBe(0);
    await nomad.at(start + 55 * MIN);
    await breakScreen.waitFor();
    await breakScreen.getByText('Strict breaks are on').waitFor();
    await expect(breakScreen.getByRole('button').count()).resolves.toBe(0);
    await mkdir(SHOTS_DIR, { recursive: true });
    await page.screenshot({ path: path.join(SHOTS_DIR, 'break-screen-strict-1280-light.png') });
    // The break ends by itself at 11:00 and the screen goes.
    await nomad.at(start + 60 * MIN);
    await breakScreen.waitFor({ state: 'detached' });
    await page
      .locator('#timer-phase')
      .filter({ hasText: /^Focus$/ })
      .waitFor();
    expect(nomad.app.errors).toEqual([]);
  });

  it('lays out Notes, Goals and Focus at 1280, 1024 and 720 px, light and dark, nothing cut', async () => {
    nomad = await nomadApp();
    const { page } = nomad;
    await onboardIn(page, 'Ana', /Ho Chi Minh City, Vietnam/, 'Saigon');
    await writeNote(page, 'Handoff for the Lisbon team', 'Shipping notes for the async handoff.');
    await page.keyboard.press('Control+2');
    await page.getByRole('button', { name: '+ New goal' }).click();
    await page.getByLabel('goal title').fill('Ship the offline-first beta');
    await page.getByLabel('goal title').press('Enter');
    await page.keyboard.press('Control+4');
    await page.getByRole('button', { name: 'Start focus' }).click();
    await mkdir(SHOTS_DIR, { recursive: true });

    const sections = [
      ['notes', 'Control+1'],
      ['goals', 'Control+2'],
      ['focus', 'Control+4'],
    ] as const;
    for (const width of [1280, 1024, 720]) {
      await page.setViewportSize({ width, height: 800 });
      for (const scheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme: scheme });
        for (const [section, key] of sections) {
          await page.keyboard.press(key);
          await page.locator(`main .${section === 'focus' ? 'focus-page' : 'split'}`).waitFor();
          const layout = await page.evaluate(() => {
            const main = document.querySelector('main')!;
            const detail = document.querySelector<HTMLElement>('.split > :last-child');
            // A select narrower than its chosen option cuts it ("Any statu"): each is measured
            // against a copy holding only that option, laid out at its natural width beside it.
            const cutSelects = [...main.querySelectorAll('select')]
              .filter((select) => select.offsetParent !== null)
              .filter((select) => {
                const probe = select.cloneNode(false) as HTMLSelectElement;
                const chosen = select.selectedOptions[0];
                if (chosen) probe.append(chosen.cloneNode(true));
                probe.style.cssText = 'width:auto;flex:none;position:absolute;visibility:hidden';
                select.parentElement!.append(probe);
                const cut =
                  select.getBoundingClientRect().width < probe.getBoundingClientRect().width - 1;
                probe.remove();
                return cut;
              })
              .map(
                (select) => select.getAttribute('aria-label') ?? select.selectedOptions[0]?.text,
              );
            // A heading squeezed by the buttons beside it ("Note" under "···" at 1280 px).
            const cutHeadings = [...main.querySelectorAll('h1, h2')]
              .filter((heading) => (heading as HTMLElement).offsetParent !== null)
              .filter((heading) => heading.scrollWidth > heading.clientWidth + 1)
              .map((heading) => heading.textContent);
            return {
              cutSelects,
              cutHeadings,
              pageOverflow: document.documentElement.scrollWidth - window.innerWidth,
              mainOverflow: main.scrollWidth - main.clientWidth,
              detailWidth: detail ? detail.getBoundingClientRect().width : null,
              theme: document.documentElement.dataset.theme,
            };
          });
          const where = `${section} at ${width} px, ${scheme}`;
          expect(layout.theme, where).toBe(scheme);
          expect(layout.pageOverflow, `${where}: page wider than the window`).toBeLessThanOrEqual(
            0,
          );
          expect(layout.mainOverflow, `${where}: content cut at the side`).toBeLessThanOrEqual(0);
          expect(layout.cutSelects, `${where}: choices cut`).toEqual([]);
          expect(layout.cutHeadings, `${where}: headings cut`).toEqual([]);
          if (section !== 'focus') {
            expect(layout.detailWidth, `${where}: editor width`).toBeGreaterThanOrEqual(480);
          }
          await page.screenshot({
            path: path.join(SHOTS_DIR, `${section}-${width}-${scheme}.png`),
          });
        }
      }
    }
    // The whole Focus page (settings one per row, the team's day strip), light and dark.
    await page.setViewportSize({ width: 1024, height: 800 });
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.keyboard.press('Control+4');
      // The page scrolls inside the window: one shot at the team card, one at the settings.
      await page.getByTestId('team-day-strip').scrollIntoViewIfNeeded();
      await page.screenshot({ path: path.join(SHOTS_DIR, `focus-1024-${scheme}-team.png`) });
      await page.locator('.setting-rows').scrollIntoViewIfNeeded();
      await page.screenshot({ path: path.join(SHOTS_DIR, `focus-1024-${scheme}-settings.png`) });
    }
    await page.setViewportSize({ width: 720, height: 800 });
    // Compact mode beside a call: rail and no list, remembered after a reload.
    await page.getByRole('button', { name: 'Compact mode' }).click();
    await page.keyboard.press('Control+1');
    await page.reload();
    await page.locator('.app.compact').waitFor();
    await expect(page.locator('.list-pane').isVisible()).resolves.toBe(false);
    await page.screenshot({ path: path.join(SHOTS_DIR, 'notes-720-dark-compact.png') });
    expect(nomad.app.errors).toEqual([]);
  });
});

/** Minutes after midnight of the first "h:mm AM/PM" in `text`. */
function clockOf(text: string): number {
  const match = /(\d{1,2}):(\d{2})\s?(AM|PM)/.exec(text);
  if (!match) throw new Error(`No time in "${text}"`);
  const hour = (Number(match[1]) % 12) + (match[3] === 'PM' ? 12 : 0);
  return hour * 60 + Number(match[2]);
}
