/**
 * Two people, two Chromium instances, two web companions — all inside a private network namespace
 * (../shared/docs/TESTING.md), with nothing configured: the companions find each other's LAN
 * signaling servers by mDNS. Ana creates a team workspace and copies its invite; Ben pastes a
 * damaged copy (clear error), then the whole code; edits flow both ways; both work offline and
 * edit, then go online and converge. Screenshots of both sync panels land in test-results/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { ChildProcess } from 'node:child_process';
import { chromium, type Browser, type Page } from 'playwright-core';
import { inject } from 'vitest';
import { CHROMIUM_PATH, SCREENSHOT_DIR, chromiumAvailable, onboard } from './harness';
import { createNetns, netnsUnavailable, NETNS_SKIP_REASON, type NetNamespace } from '../sync/netns';
import { startScript } from '../sync/peerProcess';

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  // Host candidates as plain addresses: the namespace has no mDNS responder for .local names.
  '--disable-features=WebRtcHideLocalIpsWithMdns',
];

const ready = chromiumAvailable() && netnsUnavailable() === null;
if (!chromiumAvailable()) console.warn(`Skipping sync e2e: no Chromium at ${CHROMIUM_PATH}.`);
else if (!ready) console.warn(NETNS_SKIP_REASON());

interface Side {
  readonly companion: ChildProcess;
  readonly browser: Browser;
  readonly page: Page;
  readonly errors: string[];
  readonly dataDir: string;
}

async function startSide(netns: NetNamespace, lanPort: number): Promise<Side> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'outpost-sync-e2e-'));
  // Two "machines" share one namespace here, so their LAN servers need different ports.
  await writeFile(
    path.join(dataDir, 'sync-settings.json'),
    JSON.stringify({ lanServer: { enabled: true, port: lanPort } }),
  );
  const companion = startScript('test/sync/companionProcess.ts', netns, {
    RENDERER_DIR: inject('rendererDir'),
    DATA_DIR: dataDir,
  });
  const url = await new Promise<string>((resolve, reject) => {
    companion.once('exit', (code) => reject(new Error(`companion exited ${code}`)));
    createInterface({ input: companion.stdout! }).once('line', (line) =>
      resolve((JSON.parse(line) as { url: string }).url),
    );
  });
  const browser = await chromium.launch({
    executablePath: netns.wrapper(CHROMIUM_PATH),
    args: ARGS,
  });
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], {
    origin: new URL(url).origin,
  });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(url);
  return { companion, browser, page, errors, dataDir };
}

async function closeSide(side: Side | undefined): Promise<void> {
  if (!side) return;
  await side.browser.close();
  side.companion.stdin?.end();
  await new Promise((resolve) => side.companion.once('exit', resolve));
  await rm(side.dataDir, { recursive: true, force: true });
}

/** A section button of the sidebar (its name may carry a count). */
function nav(page: Page, section: string) {
  return page
    .getByRole('navigation', { name: 'Sections' })
    .getByRole('button', { name: new RegExp(`^\\W*${section}`) });
}

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
  let ana: Side;
  let ben: Side;

  beforeAll(async () => {
    await mkdir(SCREENSHOT_DIR, { recursive: true });
    netns = createNetns();
    [ana, ben] = await Promise.all([startSide(netns, 47_501), startSide(netns, 47_502)]);
  });

  afterAll(async () => {
    await Promise.all([closeSide(ana), closeSide(ben)]);
    netns?.destroy();
  });

  it('creates, invites, joins, syncs both ways, and converges after both edit offline', async () => {
    await Promise.all([onboard(ana.page, 'Ana'), onboard(ben.page, 'Ben')]);

    // Ana: a team workspace and its invite.
    await ana.page.getByRole('button', { name: /^Sync: / }).click();
    await ana.page.getByLabel('New team workspace').fill('Lisbon crew');
    await ana.page.getByRole('button', { name: 'Create team workspace' }).click();
    await ana.page.getByRole('button', { name: 'Copy invite code' }).click();
    await ana.page.getByRole('button', { name: 'Copied ✓' }).waitFor();
    const invite = await ana.page.evaluate(() => navigator.clipboard.readText());
    expect(invite).toMatch(/^OUTPOST-[0-9A-Z]+$/);
    await expect(ana.page.getByLabel('Invite code', { exact: true }).inputValue()).resolves.toBe(
      invite,
    );
    await ana.page.getByRole('img', { name: 'QR code of the invite code' }).waitFor();

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
