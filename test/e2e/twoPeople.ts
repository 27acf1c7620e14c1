/**
 * Two people on one LAN for end-to-end tests of team features: a private network namespace
 * (../shared/docs/TESTING.md) holding two web companions (each its own process with its own data
 * folder, LAN signaling server and mDNS) and two Chromium instances, each opening its companion's
 * app. Nothing is configured for sync: the companions find each other's servers by mDNS, as two
 * laptops on one Wi-Fi would. {@link joinTeam} then takes both people into one team workspace by
 * invite code, the way a person does it.
 */
import { colorName } from '../../renderer/components/colorNames';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { ChildProcess } from 'node:child_process';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { inject } from 'vitest';
import {
  CHROMIUM_ARGS,
  CHROMIUM_PATH,
  chooseProtection,
  chromiumAvailable,
  onboard,
} from './harness';
import { netnsUnavailable, NETNS_SKIP_REASON, type NetNamespace } from '../sync/netns';
import { startScript } from '../sync/peerProcess';

export const TWO_PEOPLE_ARGS = [
  ...CHROMIUM_ARGS,
  // Host candidates as plain addresses: the namespace has no mDNS responder for .local names.
  '--disable-features=WebRtcHideLocalIpsWithMdns',
];

/** True when both Chromium and network namespaces are available (warns with the reason if not). */
export function twoPeopleReady(what: string): boolean {
  if (!chromiumAvailable()) {
    console.warn(`Skipping ${what}: no Chromium at ${CHROMIUM_PATH}.`);
    return false;
  }
  if (netnsUnavailable() !== null) {
    console.warn(NETNS_SKIP_REASON());
    return false;
  }
  return true;
}

export interface Side {
  readonly companion: ChildProcess;
  readonly browser: Browser;
  readonly context: BrowserContext;
  readonly page: Page;
  readonly errors: string[];
  readonly dataDir: string;
}

export interface SideOptions {
  /** Grant Web Notifications to the page (focus and reminders). */
  readonly notifications?: boolean;
  readonly colorScheme?: 'light' | 'dark';
  /** The companion's sync settings file instead of "LAN server on `lanPort`". */
  readonly syncSettings?: Record<string, unknown>;
}

/** One person's machine: a companion (LAN server on `lanPort`) and a Chromium on its app. */
export async function startSide(
  netns: NetNamespace,
  lanPort: number,
  options: SideOptions = {},
): Promise<Side> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'outpost-peer-e2e-'));
  // Two "machines" share one namespace here, so their LAN servers need different ports.
  await writeFile(
    path.join(dataDir, 'sync-settings.json'),
    JSON.stringify(options.syncSettings ?? { lanServer: { enabled: true, port: lanPort } }),
  );
  const companion = startScript('test/sync/companionProcess.ts', netns, {
    RENDERER_DIR: inject('rendererDir'),
    DATA_DIR: dataDir,
  });
  const { url, link } = await new Promise<{ url: string; link: string }>((resolve, reject) => {
    companion.once('exit', (code) => reject(new Error(`companion exited ${code}`)));
    createInterface({ input: companion.stdout! }).once('line', (line) =>
      resolve(JSON.parse(line) as { url: string; link: string }),
    );
  });
  const browser = await chromium.launch({
    executablePath: netns.wrapper(CHROMIUM_PATH),
    args: TWO_PEOPLE_ARGS,
  });
  const context = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    colorScheme: options.colorScheme ?? 'light',
  });
  const permissions = ['clipboard-read', 'clipboard-write'];
  if (options.notifications) permissions.push('notifications');
  await context.grantPermissions(permissions, { origin: new URL(url).origin });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(link);
  return { companion, browser, context, page, errors, dataDir };
}

export async function closeSide(side: Side | undefined): Promise<void> {
  if (!side) return;
  await side.browser.close();
  side.companion.stdin?.end();
  const { companion } = side;
  if (companion.exitCode === null && companion.signalCode === null) {
    // A companion that does not stop by itself is killed; the wait never outlasts the hook.
    const kill = setTimeout(() => companion.kill('SIGKILL'), 5000);
    let giveUp: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([
      new Promise((resolve) => companion.once('exit', resolve)),
      new Promise((resolve) => (giveUp = setTimeout(resolve, 10_000))),
    ]);
    clearTimeout(kill);
    clearTimeout(giveUp);
  }
  await rm(side.dataDir, { recursive: true, force: true });
}

/** A section button of the sidebar (its name may carry a count). */
export function nav(page: Page, section: string) {
  return page
    .getByRole('navigation', { name: 'Sections' })
    .getByRole('button', { name: new RegExp(`^\\W*${section}`) });
}

export interface Person {
  readonly name: string;
  /** One of the onboarding swatches (`#rrggbb`); the default swatch when left out. */
  readonly color?: string;
}

/** First-run onboarding with a name and, when given, a color picked from the swatches. */
export async function onboardAs(page: Page, person: Person): Promise<void> {
  // A fresh Chromium profile in the namespace can take a while to come up on two busy cores.
  await chooseProtection(page);
  if (!person.color) return onboard(page, person.name);
  await page.getByLabel('Your name').fill(person.name);
  // Swatches are named by colour ("Green"), not by their code.
  await page.getByRole('radio', { name: colorName(person.color), exact: true }).click();
  await page.getByRole('button', { name: 'Get started' }).click();
  await page.getByRole('navigation', { name: 'Sections' }).waitFor();
}

/**
 * Both people onboard; `host` creates a team workspace and copies its invite, `guest` pastes it
 * and joins; returns once each sees the other connected (found through mDNS, nothing configured).
 */
export async function joinTeam(
  host: Side,
  hostPerson: Person,
  guest: Side,
  guestPerson: Person,
  workspace: string,
): Promise<void> {
  await Promise.all([onboardAs(host.page, hostPerson), onboardAs(guest.page, guestPerson)]);
  await host.page.getByRole('button', { name: /^Sync: / }).click();
  await host.page.getByLabel('New team workspace').fill(workspace);
  await host.page.getByRole('button', { name: 'Create team workspace' }).click();
  await joinWithInvite(guest, await copyInvite(host));
  await guest.page.getByRole('button', { name: new RegExp(`Workspace: ${workspace}`) }).waitFor();
  for (const side of [host, guest])
    await side.page
      .getByRole('button', { name: 'Sync: Connected to 1 peer. Open sync' })
      .waitFor({ timeout: 30_000 });
}

/** Copies the open team workspace's invite code on the host's Sync page, as a person does. */
export async function copyInvite(host: Side): Promise<string> {
  await host.page.getByRole('button', { name: 'Copy invite code' }).click();
  await host.page.getByRole('button', { name: 'Copied ✓' }).waitFor();
  return host.page.evaluate(() => navigator.clipboard.readText());
}

/** Pastes an invite code into the guest's Sync page and joins. */
export async function joinWithInvite(guest: Side, invite: string): Promise<void> {
  await guest.page.getByRole('button', { name: /^Sync: / }).click();
  await guest.page.getByLabel('Join with an invite code').fill(invite);
  await guest.page.getByRole('button', { name: 'Join workspace' }).click();
}
