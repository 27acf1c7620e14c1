/**
 * Two people who are never online at the same time share a team workspace through a relay, as
 * they would in the app: Ana creates the workspace, adds the relay in Sync → Relays, writes a note
 * and closes Outpost; only then does Ben open his, join by invite code, add the relay, and find
 * the note. The relay is the real program (`npm run relay`) on loopback; the two apps never have a
 * signaling server in common, so nothing else could carry the note.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCREENSHOT_DIR, chromiumAvailable, SKIP_REASON, onboard, startApp } from './harness';
import type { Page } from 'playwright-core';
import { nav } from './twoPeople';
import { startRelayChild, type RelayChild } from '../sync/relayChild';

const ready = chromiumAvailable();
if (!ready) console.warn(SKIP_REASON);

async function addRelay(page: Page, url: string): Promise<void> {
  await page.getByLabel('Relay address').fill('http://not-a-relay');
  await page.getByRole('button', { name: 'Add relay' }).click();
  await expect(
    page.getByRole('alert').filter({ hasText: 'wss://' }).textContent(),
  ).resolves.toMatch(/starts with wss:\/\/ or ws:\/\//);
  // The bad address stays in the field to be corrected.
  await expect(page.getByLabel('Relay address').inputValue()).resolves.toBe('http://not-a-relay');
  await page.getByLabel('Relay address').fill(url);
  await page.getByRole('button', { name: 'Add relay' }).click();
  await page.getByRole('list', { name: 'Relays' }).getByText(url).waitFor();
}

describe.runIf(ready)('two people never online together sync through a relay (Chromium)', () => {
  let relay: RelayChild;
  let dataDir: string;

  beforeAll(async () => {
    await mkdir(SCREENSHOT_DIR, { recursive: true });
    dataDir = await mkdtemp(path.join(tmpdir(), 'outpost-e2e-relay-'));
    relay = await startRelayChild(dataDir);
  });

  afterAll(async () => {
    await relay?.kill9();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('Ana writes and leaves; Ben, later, receives her note from the relay', async () => {
    const ana = await startApp();
    await onboard(ana.page, 'Ana');
    await ana.page.getByRole('button', { name: /^Sync: / }).click();
    await ana.page.getByLabel('New team workspace').fill('Lisbon crew');
    await ana.page.getByRole('button', { name: 'Create team workspace' }).click();
    await ana.page.getByRole('button', { name: 'Show', exact: true }).click();
    const invite = await ana.page.getByLabel('Invite code', { exact: true }).inputValue();
    expect(invite).toMatch(/^OUTPOST-/);
    await addRelay(ana.page, relay.url);

    await nav(ana.page, 'Notes').click();
    await ana.page.getByRole('button', { name: '+ New note' }).click();
    await ana.page.keyboard.type('Offsite in Manila');
    await ana.page.keyboard.press('Enter');
    await ana.page.getByRole('option', { name: /Offsite in Manila/ }).waitFor();

    await ana.page.getByRole('button', { name: /^Sync: / }).click();
    const anaRelay = ana.page.getByRole('list', { name: 'Relays' }).getByRole('listitem');
    await anaRelay.filter({ hasText: 'reachable' }).filter({ hasText: 'nothing waiting' }).waitFor({
      timeout: 20_000,
    });
    await expect(anaRelay.textContent()).resolves.toMatch(/last upload just now/);
    await ana.page
      .getByRole('region', { name: 'Relays' })
      .screenshot({ path: path.join(SCREENSHOT_DIR, 'relays-card-light.png') });
    expect(ana.errors).toEqual([]);
    await ana.close(); // Ana is gone before Ben arrives

    const ben = await startApp({ colorScheme: 'dark' });
    await onboard(ben.page, 'Ben');
    await ben.page.getByRole('button', { name: /^Sync: / }).click();
    await ben.page.getByLabel('Join with an invite code').fill(invite);
    await ben.page.getByRole('button', { name: 'Join workspace' }).click();
    await ben.page.getByRole('button', { name: /Workspace: Lisbon crew/ }).waitFor();
    await addRelay(ben.page, relay.url);
    await ben.page
      .getByRole('list', { name: 'Relays' })
      .getByRole('listitem')
      .filter({ hasText: 'last download' })
      .waitFor({ timeout: 20_000 });
    await ben.page.screenshot({
      path: path.join(SCREENSHOT_DIR, 'relays-sync-dark.png'),
      fullPage: true,
    });
    await nav(ben.page, 'Notes').click();
    await ben.page.getByRole('option', { name: /Offsite in Manila/ }).waitFor({ timeout: 20_000 });
    expect(ben.errors).toEqual([]);
    await ben.close();
  });
});
