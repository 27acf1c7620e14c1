/**
 * Goals end to end in Chromium against web mode, as a person would use them: an objective with two
 * key results (after the form refuses bad input), two check-ins with different confidence that move
 * progress, health and the chart, alignment under a parent shown in the tree, exports, the weekly
 * reminder, and everything still there after a reload. Screenshots in light and dark theme.
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

const now = new Date();
/** The current quarter, so the period has not ended and the score is "so far". */
/** Where the polish screenshots go (the lead's folder when OUTPOST_SHOTS is set). */
const SHOTS = process.env.OUTPOST_SHOTS ?? SCREENSHOT_DIR;
const QUARTER = `Q${Math.floor(now.getMonth() / 3) + 1} ${now.getFullYear()}`;

async function newGoal(page: Page, title: string): Promise<void> {
  await page.getByRole('button', { name: '+ New goal' }).click();
  const input = page.getByLabel('goal title');
  await input.fill(title);
  await input.press('Enter');
  await goalRow(page, title).waitFor();
}

const expectAlert = (page: Page, message: string) =>
  page.getByRole('alert').filter({ hasText: message }).first().waitFor();
/** A goal's row in the list or tree (not the options of the "Aligned under" select). */
const goalRow = (page: Page, title: string) =>
  page
    .getByRole('listbox', { name: /^Goals (list|tree)$/ })
    .getByRole('option', { name: new RegExp(title) });
/** Waits until the visible goal rows are exactly these titles, in any order. */
async function expectRows(page: Page, titles: string[]): Promise<void> {
  const list = page.getByRole('listbox', { name: /^Goals (list|tree)$/ });
  await expect
    .poll(async () =>
      (await list.getByRole('option').locator('.record-title').allTextContents()).sort(),
    )
    .toEqual([...titles].sort());
}

describe.runIf(chromiumAvailable())('Goals in Chromium (web mode)', () => {
  let app: RunningApp;

  beforeAll(async () => {
    await mkdir(SCREENSHOT_DIR, { recursive: true });
    app = await startApp();
    await app.context.grantPermissions(['notifications'], { origin: app.companion.url });
  });

  afterAll(async () => {
    await app?.close();
  });

  it('creates an objective with two key results, checks in twice, aligns it and finds it all after a reload', async () => {
    const { page } = app;
    await onboard(page, 'Ana');
    await page.keyboard.press('Control+2');
    await page.getByText('No goals yet').waitFor();
    await newGoal(page, 'Company vision');
    await newGoal(page, 'Grow the community');
    await page.getByLabel('Quarter').selectOption({ label: QUARTER });
    await page.getByLabel('Owner', { exact: true }).selectOption({ label: 'Ana' });

    // First key result, after the form refuses a flat target and a word for a number.
    await page.getByRole('button', { name: '+ Add key result' }).click();
    const form = page.getByRole('form', { name: 'New key result' });
    await form.getByLabel('Key result').fill('Members');
    await form.getByLabel('Start value').fill('100');
    await form.getByLabel('Target value').fill('100');
    await form.getByLabel('Unit').fill('people');
    await form.getByRole('button', { name: 'Add key result' }).click();
    await expectAlert(
      page,
      'The target must differ from the start value, or there is no progress to make.',
    );
    await form.getByLabel('Start value').fill('about ten');
    await form.getByRole('button', { name: 'Add key result' }).click();
    await expectAlert(page, 'Start must be a number, like 12 or 3.5.');
    expect(await page.locator('.kr-card').count()).toBe(0);
    await form.getByLabel('Start value').fill('100');
    await form.getByLabel('Target value').fill('300');
    await form.getByRole('button', { name: 'Add key result' }).click();
    const members = page.getByRole('listitem', { name: 'Key result Members' });
    await members.waitFor();

    // Second key result, a percentage.
    await page.getByRole('button', { name: '+ Add key result' }).click();
    const second = page.getByRole('form', { name: 'New key result' });
    await second.getByLabel('Key result').fill('Retention');
    await second.getByLabel('Measured as').selectOption('percentage');
    await second.getByLabel('Start value').fill('20');
    await second.getByLabel('Target value').fill('60');
    await second.getByRole('button', { name: 'Add key result' }).click();
    const retention = page.getByRole('listitem', { name: 'Key result Retention' });
    await retention.waitFor();
    // Before any check-in the chart already shows the pace the quarter needs.
    await page.getByRole('img', { name: /expected pace over the period/ }).waitFor();
    await page.locator('.recharts-legend-item-text', { hasText: 'Expected pace' }).waitFor();
    expect(
      await page
        .getByRole('progressbar', { name: 'Objective progress' })
        .getAttribute('aria-valuenow'),
    ).toBe('0');

    // Check-in one: confident.
    await members.getByRole('button', { name: 'Check in' }).click();
    await members.getByLabel('New value').fill('200');
    await members.getByLabel('Confidence').fill('8');
    await members.getByLabel('Comment').fill('Meetup in Lisbon brought many');
    await members.getByRole('button', { name: 'Save check-in' }).click();
    await members.getByText('On track').waitFor();
    expect(await members.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('50');
    const chart = page.getByRole('img', { name: /Progress chart/ });
    await chart.waitFor();
    expect(await chart.getAttribute('data-points')).toBe('2');
    const summary = page.getByLabel('Goal summary');
    expect(await summary.getByText('On track').count()).toBe(1);

    // Check-in two: confidence out of range first, then low confidence.
    await retention.getByRole('button', { name: 'Check in' }).click();
    await retention.getByLabel('New value').fill('30');
    await retention.getByLabel('Confidence').fill('11');
    await retention.getByRole('button', { name: 'Save check-in' }).click();
    await expectAlert(page, 'Confidence must be a whole number from 1 to 10.');
    await retention.getByLabel('Confidence').fill('3');
    await retention.getByLabel('Comment').fill('Churn after the price change');
    await retention.getByRole('button', { name: 'Save check-in' }).click();
    await retention.getByText('Off track').waitFor();
    expect(await retention.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('25');
    // (50% + 25%) / 2, and the worst health wins.
    expect(
      await page
        .getByRole('progressbar', { name: 'Objective progress' })
        .getAttribute('aria-valuenow'),
    ).toBe('38');
    await summary.getByText('Off track').waitFor();
    await page.waitForFunction(
      () => document.querySelector('.chart')?.getAttribute('data-points') === '3',
    );
    // The objective, its two key results and the expected pace.
    expect(await page.locator('.chart .recharts-line').count()).toBe(4);
    await page.locator('.recharts-legend-item-text', { hasText: 'Expected pace' }).waitFor();
    expect(
      await page.getByRole('list', { name: 'Check-in history' }).getByRole('listitem').count(),
    ).toBe(2);

    // Align it under the parent; the tree shows it nested.
    await page.getByLabel('Aligned under').selectOption({ label: 'Company vision' });
    await page.getByRole('button', { name: 'Tree', exact: true }).click();
    const tree = page.getByRole('listbox', { name: 'Goals tree' });
    await tree.waitFor();
    expect(
      await tree.getByRole('option', { name: /Grow the community/ }).getAttribute('aria-level'),
    ).toBe('2');
    // The parent has no key results of its own, so it rolls up the child's progress.
    expect(
      await tree
        .getByRole('option', { name: /Company vision/ })
        .getByRole('progressbar')
        .getAttribute('aria-valuenow'),
    ).toBe('38');
    // And its health: the child is off track, so the parent is too, in the tree and its summary.
    await tree
      .getByRole('option', { name: /Company vision/ })
      .getByText('Off track')
      .waitFor();
    await tree.getByRole('option', { name: /Company vision/ }).click();
    await page.getByLabel('Goal summary').getByText('Off track').waitFor();
    await page.getByLabel('Goal summary').getByText('from aligned goals').waitFor();
    await goalRow(page, 'Grow the community').click();
    await page.getByRole('img', { name: /Progress chart/ }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(SHOTS, 'goal-chart-light.png') });

    await page.setViewportSize({ width: 1280, height: 1700 });
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'goals-light.png') });
    await page.setViewportSize({ width: 1280, height: 800 });

    await page.reload();
    await page.getByRole('button', { name: 'Tree', exact: true }).click();
    await goalRow(page, 'Grow the community').click();
    await page.getByRole('listitem', { name: 'Key result Members' }).waitFor();
    await page.getByRole('listitem', { name: 'Key result Retention' }).waitFor();
    expect(
      await page.getByRole('list', { name: 'Check-in history' }).getByRole('listitem').count(),
    ).toBe(2);
    await page.getByText('Churn after the price change').waitFor();
    expect(
      await page
        .getByRole('progressbar', { name: 'Objective progress' })
        .getAttribute('aria-valuenow'),
    ).toBe('38');
    expect(await page.getByLabel('Aligned under').locator('option:checked').textContent()).toBe(
      'Company vision',
    );
    expect(await page.locator('.chart').getAttribute('data-points')).toBe('3');
    expect(app.errors).toEqual([]);
  });

  it('refuses a parent that would make a cycle and keeps the alignment', async () => {
    const { page } = app;
    await goalRow(page, 'Company vision').click();
    await page.getByLabel('Aligned under').selectOption({ label: 'Grow the community' });
    await expectAlert(page, 'A goal cannot be aligned under itself or one of its own sub-goals.');
    expect(await page.getByLabel('Aligned under').inputValue()).toBe('');
  });

  it('filters the list by owner, period and status', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'List', exact: true }).click();
    await expectRows(page, ['Company vision', 'Grow the community']);
    await page.getByLabel('Filter by owner').selectOption('me');
    await expectRows(page, ['Grow the community']);
    await page.getByLabel('Filter by owner').selectOption('all');
    await page.getByLabel('Filter by period').selectOption(QUARTER);
    await expectRows(page, ['Grow the community']);
    await page.getByLabel('Filter by period').selectOption('all');
    await page.getByLabel('Filter by status').selectOption('achieved');
    await page.getByText('No goals match these filters').waitFor();
    await page.getByRole('button', { name: 'Clear the filters' }).click();
    await expectRows(page, ['Company vision', 'Grow the community']);
  });

  it('exports the objective as Markdown and its check-ins as CSV', async () => {
    const { page } = app;
    await goalRow(page, 'Grow the community').click();
    const [markdown] = await Promise.all([
      page.waitForEvent('download'),
      page
        .getByRole('button', { name: 'Download Markdown' })
        .click()
        .then(() => acceptPlainExport(page)),
    ]);
    expect(markdown.suggestedFilename()).toMatch(/^grow-the-community-[\w-]{6}\.md$/);
    const text = await readFile((await markdown.path())!, 'utf8');
    expect(text).toContain('# Grow the community');
    expect(text).toContain('alignedUnder: "Company vision"');
    expect(text).toContain('### Members');
    expect(text).toContain('Churn after the price change');
    const [csv] = await Promise.all([
      page.waitForEvent('download'),
      page
        .getByRole('button', { name: 'Download check-ins (CSV)' })
        .click()
        .then(() => acceptPlainExport(page)),
    ]);
    const rows = (await readFile((await csv.path())!, 'utf8')).trim().split('\r\n');
    expect(rows).toHaveLength(3);
    expect(rows[1]).toContain('Members');
    expect(rows.join('\n')).toContain('Off track'.toLowerCase());
  });

  it('sets the weekly check-in reminder', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'Reminder', exact: true }).click();
    const panel = page.getByRole('region', { name: 'Weekly check-in reminder' });
    await panel.getByLabel('Remind me to check in every week').check();
    await panel.getByLabel('Day').selectOption('fri');
    await panel.getByLabel('Time').fill('16:00');
    await panel.getByRole('button', { name: 'Save reminder' }).click();
    await panel.getByText(/Saved\. Next reminder: /).waitFor();
    const stored = await page.evaluate(() => localStorage.getItem('outpost.goals.reminder'));
    const parsed = JSON.parse(stored!) as { weekday: string; time: string; dueAt: number };
    expect(parsed).toMatchObject({ enabled: true, weekday: 'fri', time: '16:00' });
    expect(parsed.dueAt).toBeGreaterThan(Date.now());
    expect(new Date(parsed.dueAt).getDay()).toBe(5);
  });

  it('shows the goals view with its chart in the dark theme', async () => {
    const { page } = app;
    await page.keyboard.press('Control+6');
    await page.getByRole('radio', { name: 'Dark' }).click();
    await page.waitForFunction(() => document.documentElement.dataset.theme === 'dark');
    await page.keyboard.press('Control+2');
    await goalRow(page, 'Grow the community').click();
    await page.locator('.chart .recharts-line').first().waitFor();
    await page.setViewportSize({ width: 1280, height: 1700 });
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'goals-dark.png') });
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.getByRole('img', { name: /Progress chart/ }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(SHOTS, 'goal-chart-dark.png') });
    expect(app.errors).toEqual([]);
  });
});
