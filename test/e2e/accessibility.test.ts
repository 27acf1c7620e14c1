/**
 * An automated accessibility check (axe-core, run in the page) of every view — Notes, Goals,
 * Decisions, Focus, Sync, Backups, Settings — in the light and the dark theme, with a record open
 * in each record view: no serious or critical violation may be left. Each view is screenshotted.
 * The workspace-file export and import dialogs are checked open, too.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { createRequire } from 'node:module';
import { mkdir, readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import type { AxeResults, RunOptions } from 'axe-core';
import {
  SKIP_REASON,
  chromiumAvailable,
  onboard,
  startApp,
  writeNote,
  type RunningApp,
} from './harness';
import * as Y from 'yjs';
import { encodePassphraseWorkspaceFile } from '../../shared/storage/passphraseFile';

if (!chromiumAvailable()) console.warn(SKIP_REASON);

const SHOTS = process.env.OUTPOST_SHOTS ?? path.resolve('test-results/screenshots/polish');
const AXE_PATH = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
let axeSource = '';

const VIEWS = [
  ['Notes', 'Control+1'],
  ['Goals', 'Control+2'],
  ['Decisions', 'Control+3'],
  ['Focus', 'Control+4'],
  ['Sync', 'Control+5'],
  ['Settings', 'Control+6'],
  ['Backups', 'Control+7'],
] as const;

interface Finding {
  readonly id: string;
  readonly impact: string;
  readonly help: string;
  /** Each node (up to 8): its selector and why it fails. */
  readonly targets: string[];
}

/** Runs axe on the page as it is and returns its serious and critical violations. */
async function seriousViolations(page: Page): Promise<Finding[]> {
  // Evaluated through the debugging protocol: the app's Content-Security-Policy (rightly) refuses
  // an injected <script>, and the check must not loosen it.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: { run(context: Document, options: RunOptions): Promise<AxeResults> };
      }
    ).axe;
    const results = await axe.run(document, { resultTypes: ['violations'] });
    return results.violations
      .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
      .map((violation) => ({
        id: violation.id,
        impact: violation.impact ?? '',
        help: violation.help,
        targets: violation.nodes
          .slice(0, 8)
          .map((node) => `${node.target.join(' ')}: ${node.failureSummary ?? ''}`),
      }));
  });
}

describe.runIf(chromiumAvailable())('accessibility of every view (axe-core)', () => {
  let app: RunningApp;

  beforeAll(async () => {
    await mkdir(SHOTS, { recursive: true });
    axeSource = await readFile(AXE_PATH, 'utf8');
    app = await startApp();
    const { page } = app;
    await onboard(page, 'Ana');
    // One record in each record view, open, so the check sees lists and detail panes filled.
    await writeNote(page, 'Trip plan', 'Pack the satellite modem.');
    await page.keyboard.press('Control+2');
    await page
      .getByRole('button', { name: /New goal|Create the first goal/ })
      .first()
      .click();
    await page.keyboard.type('Grow the community');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Control+3');
    await page
      .getByRole('button', { name: /New decision|Create the first decision/ })
      .first()
      .click();
    await page.keyboard.type('Adopt written updates');
    await page.keyboard.press('Enter');
    await page.getByLabel('New option').fill('Written');
    await page.getByLabel('New option').press('Enter');
    await page.getByLabel('Status').selectOption('proposed');
  });

  afterAll(async () => {
    await app?.close();
  });

  for (const theme of ['light', 'dark'] as const) {
    it(`finds no serious or critical violation in any view, ${theme} theme`, async () => {
      const { page } = app;
      await page.keyboard.press('Control+6');
      await page.getByRole('radio', { name: theme === 'light' ? 'Light' : 'Dark' }).click();
      await page.waitForFunction((want) => document.documentElement.dataset.theme === want, theme);
      const found: Record<string, Finding[]> = {};
      for (const [view, keys] of VIEWS) {
        await page.keyboard.press(keys);
        await page
          .getByRole('navigation', { name: 'Sections' })
          .locator('[aria-current="page"]', { hasText: view })
          .waitFor();
        await page.waitForFunction(() => !document.querySelector('.loading'));
        const violations = await seriousViolations(page);
        if (violations.length > 0) found[view] = violations;
        await page.screenshot({
          path: path.join(SHOTS, `a11y-${view.toLowerCase()}-${theme}.png`),
        });
      }
      expect(found).toEqual({});
      expect(app.errors).toEqual([]);
    });
  }

  it('finds no serious or critical violation in the export and import dialogs', async () => {
    const { page } = app;
    await page.keyboard.press('Control+7');
    await page.getByRole('button', { name: 'Export workspace file…' }).click();
    const exporting = page.getByRole('dialog', { name: 'Export workspace file' });
    await exporting.waitFor();
    const found: Record<string, Finding[]> = {};
    found.export = await seriousViolations(page);
    await page.keyboard.press('Escape');
    await exporting.waitFor({ state: 'hidden' });

    const file = await encodePassphraseWorkspaceFile(
      {
        workspaceId: 'ws-a11ycheck',
        workspaceName: '',
        createdAt: Date.now(),
        reason: 'export',
        state: Y.encodeStateAsUpdate(new Y.Doc()),
        counts: { notes: 0, goals: 0, decisions: 0, members: 0 },
      },
      'an accessible passphrase',
      { iterations: 100_000 },
    );
    await page.getByLabel('Workspace file to import').setInputFiles({
      name: 'locked.outpost',
      mimeType: 'application/octet-stream',
      buffer: Buffer.from(file),
    });
    const importing = page.getByRole('dialog', { name: 'This file is encrypted' });
    await importing.getByLabel('Passphrase').fill('not the passphrase');
    await importing.getByRole('button', { name: 'Open' }).click();
    await importing.getByText('That passphrase does not open this file.').waitFor();
    found.import = await seriousViolations(page);
    await page.keyboard.press('Escape');
    await importing.waitFor({ state: 'hidden' });
    expect(found).toEqual({ export: [], import: [] });
  });
});
