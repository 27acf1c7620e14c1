/**
 * The foundation end to end, as a person would use it in web mode: first-run onboarding creates a
 * personal workspace; a note, a goal and a decision are created and renamed from the keyboard and
 * mouse; after a reload everything is still there (y-indexeddb in a real Chromium).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

describe.runIf(chromiumAvailable())('Outpost in Chromium (web mode)', () => {
  let app: RunningApp;

  beforeAll(async () => {
    await mkdir(SCREENSHOT_DIR, { recursive: true });
    app = await startApp();
  });

  afterAll(async () => {
    await app?.close();
  });

  it('onboards, creates a note, a goal and a decision, and finds them all after a reload', async () => {
    const { page } = app;
    // Every name the workspace switcher shows from the first moment the sections appear.
    await page.evaluate(() => {
      const shown: string[] = [];
      (window as unknown as { switcherNames: string[] }).switcherNames = shown;
      const record = () => {
        const name = document.querySelector('.switcher-button')?.textContent;
        if (name && shown.at(-1) !== name) shown.push(name);
      };
      new MutationObserver(record).observe(document.body, {
        childList: true,
        subtree: true,
        characterData: true,
      });
    });
    await onboard(page, 'Ana');
    await page.getByRole('button', { name: /Workspace: Personal/ }).waitFor();
    // The sections come with the workspace they open: never "No workspace" after "Get started".
    await expect(
      page.evaluate(() => (window as unknown as { switcherNames: string[] }).switcherNames),
    ).resolves.toEqual(['PWorkspace: Personal. Switch workspace▾']);
    await page.getByText('No notes yet').waitFor();

    // A note, named by typing right after creating it.
    await page.getByRole('button', { name: '+ New note' }).click();
    await page.keyboard.type('Trip plan for Lisbon');
    await page.keyboard.press('Enter');
    await page.getByLabel('Add a tag').fill('travel');
    await page.keyboard.press('Enter');

    // A goal, reached with the keyboard shortcut and created with Ctrl+N.
    await page.keyboard.press('Control+2');
    await page.getByRole('heading', { name: 'Goals', exact: true }).waitFor();
    await page.keyboard.press('Control+n');
    await page.keyboard.type('Ship the beta');
    await page.keyboard.press('Enter');
    await page.getByLabel('Period start').fill('2026-10-01');
    await page.getByLabel('Period end').fill('2026-12-31');

    // A decision, created then renamed.
    await page.getByRole('button', { name: 'Decisions' }).click();
    await page.getByRole('button', { name: 'Create the first decision' }).click();
    const title = page.getByLabel('decision title');
    await title.fill('Adopt async updates');
    await title.press('Enter');
    await page.getByLabel('Status').selectOption('proposed');
    await page
      .getByRole('option', { name: /Adopt async updates/ })
      .getByText('proposed')
      .waitFor();

    await page.reload();
    await page.getByRole('option', { name: /Adopt async updates/ }).waitFor();
    await page.getByRole('button', { name: 'Notes' }).click();
    await expect(
      page.getByRole('option', { name: /Trip plan for Lisbon/ }).textContent(),
    ).resolves.toContain('#travel');
    await page.getByRole('button', { name: 'Goals' }).click();
    await page.getByRole('option', { name: /Ship the beta/ }).click();
    await expect(page.getByLabel('Period end').inputValue()).resolves.toBe('2026-12-31');
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'foundation-goals-light.png') });
    expect(app.errors).toEqual([]);
  });

  it('refuses an empty goal title with a message and keeps the old one', async () => {
    const { page } = app;
    const title = page.getByLabel('goal title');
    await title.fill('   ');
    await title.press('Enter');
    await expect(page.getByRole('alert').first().textContent()).resolves.toContain(
      'A goal needs a title.',
    );
    await title.press('Escape');
    await expect(title.inputValue()).resolves.toBe('Ship the beta');
  });

  it('moves a note to the trash and restores it', async () => {
    const { page } = app;
    await page.keyboard.press('Control+1');
    await page.getByRole('option', { name: /Trip plan for Lisbon/ }).click();
    await page.getByRole('button', { name: 'Move to trash' }).click();
    await page.getByText('No notes yet').waitFor();
    await page.getByRole('tab', { name: 'Trash' }).click();
    await page.getByRole('option', { name: /Trip plan for Lisbon/ }).click();
    await page.getByRole('button', { name: 'Restore' }).click();
    await page.getByRole('tab', { name: 'Active' }).click();
    await page.getByRole('option', { name: /Trip plan for Lisbon/ }).waitFor();
  });

  it('follows the theme setting and keeps it across a reload', async () => {
    const { page } = app;
    await page.keyboard.press('Control+6');
    await page.getByRole('radio', { name: 'Dark' }).click();
    await page.waitForFunction(() => document.documentElement.dataset.theme === 'dark');
    await page.reload();
    await page.waitForFunction(() => document.documentElement.dataset.theme === 'dark');

    // The start-up screen, shown before the app's own scripts run, is dark already.
    const holdApp = async (route: Route) => {
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      await route.continue();
    };
    await page.route(/\/assets\/start-[^/]+\.js$/, holdApp);
    await page.reload({ waitUntil: 'domcontentloaded' });
    await page.getByText('Opening Outpost…').waitFor();
    await expect(
      page.evaluate(() => ({
        theme: document.documentElement.dataset.theme,
        appStarted: performance.getEntriesByName('outpost:app-started').length,
        background: getComputedStyle(document.body).backgroundColor,
      })),
    ).resolves.toEqual({ theme: 'dark', appStarted: 0, background: 'rgb(22, 24, 29)' });
    await page.unrouteAll({ behavior: 'wait' });
    await page.getByRole('navigation', { name: 'Sections' }).waitFor();
    await page.keyboard.press('Control+2');
    await page.getByRole('option', { name: /Ship the beta/ }).click();
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'foundation-goals-dark.png') });
  });

  it('runs the focus timer: start, pause, resume, and the state survives a reload', async () => {
    const { page } = app;
    await page.keyboard.press('Control+4');
    await page.getByRole('heading', { name: 'Focus', exact: true }).waitFor();
    await page.getByLabel(/^Working hours:/).uncheck();
    await page.getByRole('button', { name: 'Start focus' }).click();
    await expect(page.locator('#timer-phase').textContent()).resolves.toBe('Focus');
    const first = await page.getByRole('timer').textContent();
    expect(first).toMatch(/^2[45]:\d\d$/);
    await page.getByRole('button', { name: 'Pause', exact: true }).click();
    await expect(page.locator('#timer-phase').textContent()).resolves.toBe('Paused');
    await page.reload();
    await expect(page.locator('#timer-phase').textContent()).resolves.toBe('Paused');
    await page.getByRole('button', { name: 'Resume' }).click();
    await expect(page.locator('#timer-phase').textContent()).resolves.toBe('Focus');
    await page.getByRole('button', { name: 'Reset' }).click();
    await expect(page.locator('#timer-phase').textContent()).resolves.toBe('Ready');
    // Under the workspace's name, the idle timer says what it means.
    await expect(page.getByTestId('sidebar-timer').textContent()).resolves.toBe('Not focusing');
  });

  it('creates and switches workspaces, each with its own records', async () => {
    const { page } = app;
    await page.getByRole('button', { name: /Switch workspace/ }).click();
    await page.getByRole('button', { name: '+ New workspace' }).click();
    await page.getByLabel('New workspace name').fill('Lisbon crew');
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: /Workspace: Lisbon crew/ }).waitFor();
    await page.keyboard.press('Control+2');
    await page.getByText('No goals yet').waitFor();
    await page.getByRole('button', { name: /Switch workspace/ }).click();
    await page.getByRole('option', { name: /Personal/ }).click();
    await page.getByRole('option', { name: /Ship the beta/ }).waitFor();
  });
});
