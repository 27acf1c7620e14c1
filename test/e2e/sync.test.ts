/**
 * Two people, two Chromium instances, two web companions — all inside a private network namespace
 * (../shared/docs/TESTING.md), with nothing configured: the companions find each other's LAN
 * signaling servers by mDNS. Ana creates a team workspace and copies its invite; Ben pastes a
 * damaged copy (clear error), then the whole code; edits flow both ways; both work offline and
 * edit, then go online and converge. Screenshots of both sync panels land in test-results/.
 *
 * The story starts from two fresh machines (first-run onboarding included), so the test starts
 * them itself: a retry gets two fresh ones too, not the pages a failed attempt left half-way.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { SCREENSHOT_DIR, onboard } from './harness';
import { createNetns, type NetNamespace } from '../sync/netns';
import { closeSide, nav, startSide, twoPeopleReady, type Side } from './twoPeople';

const ready = twoPeopleReady('sync e2e');

async function addNote(page: Page, title: string): Promise<void> {
  await nav(page, 'Notes').click();
  await page.getByRole('button', { name: '+ New note' }).click();
  await page.keyboard.type(title);
  await page.keyboard.press('Enter');
  await page.getByRole('option', { name: new RegExp(title) }).waitFor();
}

async function noteVisible(page: Page, title: string): Promise<void> {
  await nav(page, 'Notes').click();
  await page.getByRole('option', { name: new RegExp(title) }).waitFor({ timeout: 20_000 });
}

describe.runIf(ready)('two people sync a team workspace over the LAN (Chromium)', () => {
  let netns: NetNamespace;
  let sides: Side[] = [];

  beforeAll(async () => {
    await mkdir(SCREENSHOT_DIR, { recursive: true });
    netns = createNetns();
  });

  afterEach(async () => {
    await Promise.all(sides.map((side) => closeSide(side)));
    sides = [];
  });

  afterAll(() => {
    netns?.destroy();
  });

  it('creates, invites, joins, syncs both ways, and converges after both edit offline', async () => {
    sides = await Promise.all([startSide(netns, 47_501), startSide(netns, 47_502)]);
    const [ana, ben] = sides as [Side, Side];
    await Promise.all([onboard(ana.page, 'Ana'), onboard(ben.page, 'Ben')]);

    // Ana: a team workspace and its invite.
    await ana.page.getByRole('button', { name: /^Sync: / }).click();
    await ana.page.getByLabel('New team workspace').fill('Lisbon crew');
    await ana.page.getByRole('button', { name: 'Create team workspace' }).click();
    await ana.page.getByRole('button', { name: 'Copy invite code' }).click();
    await ana.page.getByRole('button', { name: 'Copied ✓' }).waitFor();
    const invite = await ana.page.evaluate(() => navigator.clipboard.readText());
    expect(invite).toMatch(/^OUTPOST-[0-9A-Z]+$/);
    // The code is a key and screens get shared: neither it nor its QR code shows until asked.
    const card = ana.page.getByRole('region', { name: 'Invite teammates' });
    await expect(card.innerText()).resolves.not.toContain(invite.slice(8, 24));
    await expect(
      ana.page.getByRole('img', { name: 'QR code of the invite code' }).count(),
    ).resolves.toBe(0);
    await ana.page.getByRole('button', { name: 'Show', exact: true }).click();
    await expect(ana.page.getByLabel('Invite code', { exact: true }).inputValue()).resolves.toBe(
      invite,
    );
    await ana.page.getByRole('img', { name: 'QR code of the invite code' }).waitFor();
    await ana.page.getByRole('button', { name: 'Hide', exact: true }).click();
    await expect(ana.page.getByLabel('Invite code', { exact: true }).count()).resolves.toBe(0);

    // Ben: a truncated paste is refused with a clear message, the whole code joins.
    await ben.page.getByRole('button', { name: /^Sync: / }).click();
    await ben.page.getByLabel('Join with an invite code').fill(invite.slice(0, 60));
    await ben.page.getByRole('button', { name: 'Join workspace' }).click();
    await expect(ben.page.getByRole('alert').textContent()).resolves.toMatch(/incomplete/);
    await ben.page.getByLabel('Join with an invite code').fill(`  ${invite}\n`);
    await ben.page.getByRole('button', { name: 'Join workspace' }).click();
    await ben.page.getByRole('button', { name: /Workspace: Lisbon crew/ }).waitFor();

    // Connected with no configuration: mDNS found the other companion's server.
    for (const side of [ana, ben])
      await side.page
        .getByRole('button', { name: 'Sync: Connected to 1 peer. Open sync' })
        .waitFor({ timeout: 30_000 });

    await addNote(ana.page, 'Packing list');
    await noteVisible(ben.page, 'Packing list');
    await addNote(ben.page, 'Flights');
    await noteVisible(ana.page, 'Flights');

    // Cut the connection, edit both sides.
    await ana.page.getByRole('button', { name: /^Sync: / }).click();
    await ana.page.getByRole('button', { name: 'Work offline' }).click();
    await ana.page.getByRole('button', { name: 'Sync: Offline (paused). Open sync' }).waitFor();
    await ben.page
      .getByRole('button', { name: /Sync: (LAN only|Online, no peers)/ })
      .waitFor({ timeout: 20_000 });
    await addNote(ana.page, 'Written offline by Ana');
    await addNote(ben.page, 'Written offline by Ben');
    await nav(ana.page, 'Sync').click();
    await ana.page.getByText(/Not yet sent to anyone: \d+ changes?/).waitFor();
    // Give a leak (an offline change reaching Ben anyway) time to show before checking it did not.
    await ana.page.waitForTimeout(500);
    await nav(ben.page, 'Notes').click();
    await expect(
      ben.page.getByRole('option', { name: /Written offline by Ana/ }).count(),
    ).resolves.toBe(0);

    // Reconnect: both converge.
    await ana.page.getByRole('button', { name: 'Go online' }).click();
    await noteVisible(ben.page, 'Written offline by Ana');
    await noteVisible(ana.page, 'Written offline by Ben');
    const titles = async (page: Page) =>
      (await page.getByRole('option').allTextContents()).map((t) => t.trim()).sort();
    await expect(titles(ana.page)).resolves.toEqual(await titles(ben.page));

    for (const [side, name] of [
      [ana, 'ana'],
      [ben, 'ben'],
    ] as const) {
      await nav(side.page, 'Sync').click();
      await side.page.getByText('in sync', { exact: true }).waitFor({ timeout: 20_000 });
      await side.page.getByText('Everything on this device has reached').waitFor();
      await side.page.screenshot({
        path: path.join(SCREENSHOT_DIR, `sync-panel-${name}.png`),
        fullPage: true,
      });
    }
    expect(ana.errors).toEqual([]);
    expect(ben.errors).toEqual([]);
  });
});
