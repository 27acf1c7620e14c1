/**
 * Coming back after removal, over real sync (two Chromium peers in a private network namespace,
 * docs/PROTOCOL.md §8.7). Ana removes Cai; Cai's device says it was removed and how to come back.
 * Ana lets Cai back in (People card) and gives Cai a new invite code; Cai pastes it on the same
 * device, meets Ana on the current key, is no longer shown as removed, and the two sync again
 * both ways — including the note Cai wrote while removed, which stayed on Cai's device until then.
 * Screenshots: test-results/screenshots/rejoin-removed-cai.png (what Cai is told) and
 * rejoin-people-ana-{light,dark}.png (Ana's People card after letting Cai back in).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { SCREENSHOT_DIR, writeNote } from './harness';
import { createNetns, type NetNamespace } from '../sync/netns';
import {
  closeSide,
  copyInvite,
  joinTeam,
  joinWithInvite,
  nav,
  startSide,
  twoPeopleReady,
  type Side,
} from './twoPeople';
import { alone, indicator, peopleCard } from './threePeople';

const ready = twoPeopleReady('rejoin e2e');

async function note(page: Page, title: string) {
  await nav(page, 'Notes').click();
  return page.getByRole('option', { name: new RegExp(title) });
}

describe.runIf(ready)('coming back after removal (Chromium, two peers)', () => {
  let netns: NetNamespace;
  let ana: Side;
  let cai: Side;

  beforeAll(async () => {
    await mkdir(SCREENSHOT_DIR, { recursive: true });
    netns = createNetns();
    [ana, cai] = await Promise.all([startSide(netns, 47_661), startSide(netns, 47_662)]);
    await joinTeam(ana, { name: 'Ana' }, cai, { name: 'Cai' }, 'Harbour crew');
  }, 180_000);

  afterAll(async () => {
    await Promise.all([closeSide(ana), closeSide(cai)]);
    netns?.destroy();
  });

  it('lets a removed member back in on the same device with a new invite code', async () => {
    for (const side of [ana, cai]) {
      await nav(side.page, 'Sync').click();
      await peopleCard(side.page)
        .locator('li.member-entry', { hasText: 'Cai' })
        .getByRole('list', { name: 'Device keys' })
        .locator('li')
        .first()
        .waitFor({ timeout: 20_000 });
    }
    const caiEntry = peopleCard(ana.page).locator('li.member-entry', { hasText: 'Cai' });
    await caiEntry.getByRole('button', { name: 'Remove from team…' }).click();
    const dialog = ana.page.getByRole('dialog', { name: 'Remove Cai from the team?' });
    await dialog.getByText('seals it to the one remaining device').waitFor();
    await dialog.getByRole('button', { name: 'Remove from team' }).click();
    await peopleCard(ana.page)
      .getByText('Workspace key 1: 1 of 1 device moved to the new key.')
      .waitFor({ timeout: 30_000 });
    const removedNote = peopleCard(cai.page).getByText('You were removed from this team');
    await removedNote.waitFor({ timeout: 30_000 });
    await alone(cai.page).waitFor({ timeout: 30_000 });
    await peopleCard(cai.page)
      .locator('.removed-note')
      .screenshot({ path: path.join(SCREENSHOT_DIR, 'rejoin-removed-cai.png') });
    await nav(cai.page, 'Notes').click();
    await writeNote(cai.page, 'Cai while removed');

    // Ana lets Cai back in and hands over a new code; Cai pastes it on the same device.
    await nav(ana.page, 'Sync').click();
    await caiEntry.getByRole('button', { name: 'Let back in' }).click();
    await caiEntry.getByText(/^Let back in by Ana, /).waitFor();
    await expect(caiEntry.getByText(/^Removed by/).count()).resolves.toBe(0);
    const code = await copyInvite(ana);
    await joinWithInvite(cai, code);
    await cai.page
      .getByRole('status')
      .filter({ hasText: '“Harbour crew” now uses the workspace key from this code.' })
      .waitFor();
    for (const side of [ana, cai])
      await indicator(side.page, 'Connected to 1 peer').waitFor({ timeout: 40_000 });
    await removedNote.waitFor({ state: 'detached', timeout: 30_000 });

    // Both ways again, and what Cai wrote while removed arrives now.
    await (await note(ana.page, 'Cai while removed')).waitFor({ timeout: 30_000 });
    await writeNote(ana.page, 'Ana after letting Cai back in');
    await (await note(cai.page, 'Ana after letting Cai back in')).waitFor({ timeout: 30_000 });

    await nav(ana.page, 'Sync').click();
    for (const scheme of ['light', 'dark'] as const) {
      await ana.page.emulateMedia({ colorScheme: scheme });
      await peopleCard(ana.page).screenshot({
        path: path.join(SCREENSHOT_DIR, `rejoin-people-ana-${scheme}.png`),
      });
    }
    for (const side of [ana, cai]) expect(side.errors).toEqual([]);
  }, 240_000);
});
