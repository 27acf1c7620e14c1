/**
 * Per-device state (profile, workspace list with team keys, active workspace) in a real Chromium:
 * it survives the browser being killed right after a change shows; when the profile is gone (wiped
 * or damaged) the person picks "I am Ana" and keeps their member id; a device still holding the
 * localStorage keys of an earlier version moves them into the `outpost-device` database.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { inject } from 'vitest';
import { startWebCompanion, type WebCompanion } from '../../electron/web/server';
import {
  SCREENSHOT_DIR,
  SKIP_REASON,
  chromiumAvailable,
  launchPersistentApp,
  chooseProtection,
  onboard,
} from './harness';

if (!chromiumAvailable()) console.warn(SKIP_REASON);

/** Reads (or, with `action`, changes) the `state` store of the `outpost-device` database. */
function deviceDb(
  page: Page,
  action: { put?: [string, unknown]; remove?: string } = {},
): Promise<Record<string, unknown>> {
  return page.evaluate(async (change) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open('outpost-device');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    const tx = db.transaction(['state'], 'readwrite');
    const store = tx.objectStore('state');
    if (change.put) store.put(change.put[1], change.put[0]);
    if (change.remove) store.delete(change.remove);
    const all: Record<string, unknown> = {};
    const keys = await new Promise<IDBValidKey[]>((resolve) => {
      const request = store.getAllKeys();
      request.onsuccess = () => resolve(request.result);
    });
    const values = await new Promise<unknown[]>((resolve) => {
      const request = store.getAll();
      request.onsuccess = () => resolve(request.result);
    });
    keys.forEach((key, index) => (all[String(key)] = values[index]));
    await new Promise((resolve) => (tx.oncomplete = resolve));
    db.close();
    return all;
  }, action);
}

function memberIdOf(state: Record<string, unknown>): string {
  return (state.profile as { memberId: string }).memberId;
}

async function openNote(page: Page, title: string): Promise<void> {
  await page.keyboard.press('Control+1');
  await page.getByRole('option', { name: new RegExp(title) }).click();
}

async function inviteCode(page: Page): Promise<string> {
  await page.getByRole('button', { name: /^Sync: / }).click();
  await page.getByRole('button', { name: 'Show', exact: true }).click();
  return page.getByLabel('Invite code', { exact: true }).inputValue();
}

describe.runIf(chromiumAvailable())('per-device state in Chromium', () => {
  let companion: WebCompanion;
  let dataDir: string;
  let profileDir: string;
  let context: BrowserContext | null = null;
  let page: Page;
  let memberId = '';
  let invite = '';

  beforeAll(async () => {
    await mkdir(SCREENSHOT_DIR, { recursive: true });
    dataDir = await mkdtemp(path.join(tmpdir(), 'outpost-e2e-device-'));
    profileDir = await mkdtemp(path.join(tmpdir(), 'outpost-e2e-device-profile-'));
    companion = await startWebCompanion({
      rendererDir: inject('rendererDir'),
      dataDir,
      version: 'test',
      log: () => {},
      syncNetwork: { host: '127.0.0.1', port: 0, discovery: false },
    });
  });
  afterAll(async () => {
    await context?.close().catch(() => undefined);
    await companion?.close();
    await rm(dataDir, { recursive: true, force: true });
    await rm(profileDir, { recursive: true, force: true, maxRetries: 3 });
  });

  const launch = async (): Promise<Page> => {
    const launched = await launchPersistentApp(profileDir, companion.openLink());
    context = launched.context;
    return launched.page;
  };

  it('keeps the profile, the team workspace and its key when the browser is killed right after', async () => {
    page = await launch();
    await onboard(page, 'Ana');
    await page.getByRole('button', { name: /^Sync: / }).click();
    await page.getByLabel('New team workspace').fill('Expedition');
    await page.getByRole('button', { name: 'Create team workspace' }).click();
    await page.getByRole('button', { name: 'Show', exact: true }).click();
    invite = await page.getByLabel('Invite code', { exact: true }).inputValue();
    expect(invite).toMatch(/^OUTPOST-/);
    await page.keyboard.press('Control+1');
    await page.getByRole('button', { name: '+ New note' }).click();
    await page.keyboard.type('Base camp checklist');
    await page.keyboard.press('Enter');
    await page.getByRole('option', { name: /Base camp checklist/ }).waitFor();
    await page.getByText(/Created .* by you/).waitFor();

    const pid = Number(
      execFileSync('pgrep', ['-o', '-f', '--', `--user-data-dir=${profileDir}`], {
        encoding: 'utf8',
      }).trim(),
    );
    expect(pid).toBeGreaterThan(0);
    // Read nothing more from the page first: the kill comes within ~200 ms of the note showing.
    process.kill(pid, 'SIGKILL');
    await context!.close().catch(() => undefined);
    context = null;
    await new Promise((resolve) => setTimeout(resolve, 300));

    page = await launch();
    // No onboarding: the profile was on disk before the app showed the workspace.
    await page.getByRole('navigation', { name: 'Sections' }).waitFor();
    await page.getByRole('button', { name: /Workspace: Expedition/ }).waitFor();
    await openNote(page, 'Base camp checklist');
    await page.getByText(/Created .* by you/).waitFor();
    await expect(page.getByText('a former member').count()).resolves.toBe(0);
    expect(await inviteCode(page)).toBe(invite);

    const state = await deviceDb(page);
    memberId = memberIdOf(state);
    expect(memberId).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
    expect((state.profile as { displayName: string }).displayName).toBe('Ana');
    expect(state.workspaces).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'personal' }),
        expect.objectContaining({ name: 'Expedition', kind: 'team' }),
      ]),
    );
    // Nothing lives in localStorage any more.
    expect(await page.evaluate(() => localStorage.getItem('outpost.profile'))).toBeNull();
  });

  it('offers "I am Ana" when the profile was wiped or damaged, and keeps her member id', async () => {
    // Wiped: the profile entry is gone, the workspaces are still on this device.
    await deviceDb(page, { remove: 'profile' });
    await page.reload();
    await page.getByRole('heading', { name: 'Welcome back' }).waitFor();
    const choice = page.getByRole('button', { name: 'I am Ana' });
    await choice.waitFor();
    await expect(choice.count()).resolves.toBe(1);
    await page.getByText(/in Personal, Expedition|in Expedition, Personal/).waitFor();
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'device-recover-identity.png') });
    await choice.click();
    // Back where she left off: the team workspace, her note still hers.
    await page.getByRole('button', { name: /Workspace: Expedition/ }).waitFor();
    await openNote(page, 'Base camp checklist');
    await page.getByText(/Created .* by you/).waitFor();
    expect(memberIdOf(await deviceDb(page))).toBe(memberId);

    // Damaged: kept aside with a notice, and the same choice is offered.
    await deviceDb(page, { put: ['profile', { memberId: 42, displayName: '' }] });
    await page.reload();
    await page
      .getByText(/Your saved profile was damaged\. It was kept aside as “aside\.profile\.\d+”/)
      .waitFor();
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'device-damaged-profile.png') });
    await page.getByRole('button', { name: 'I am Ana' }).click();
    await page.getByRole('navigation', { name: 'Sections' }).waitFor();
    const state = await deviceDb(page);
    expect(memberIdOf(state)).toBe(memberId);
    const aside = Object.keys(state).filter((key) => key.startsWith('aside.profile.'));
    expect(aside).toHaveLength(1);
    expect(state[aside[0]!]).toEqual({ memberId: 42, displayName: '' });
  });

  it('moves the localStorage state of an earlier version into the device database', async () => {
    const before = await deviceDb(page);
    // What an earlier Outpost left behind: the same state in localStorage, no device database.
    await page.evaluate(
      async ([profile, workspaces, active]) => {
        localStorage.setItem('outpost.profile', JSON.stringify(profile));
        localStorage.setItem('outpost.workspaces', JSON.stringify(workspaces));
        localStorage.setItem('outpost.activeWorkspace', active as string);
        await new Promise((resolve, reject) => {
          const request = indexedDB.deleteDatabase('outpost-device');
          request.onsuccess = resolve;
          request.onerror = () => reject(request.error);
          request.onblocked = () => reject(new Error('blocked'));
        });
      },
      [before.profile, before.workspaces, before.activeWorkspace],
    );
    await page.reload();
    // A device from before encryption at rest has not chosen how to protect its data yet.
    await chooseProtection(page);
    await page.getByRole('navigation', { name: 'Sections' }).waitFor();
    await page.getByRole('button', { name: /Workspace: Expedition/ }).waitFor();
    expect(await inviteCode(page)).toBe(invite);
    const after = await deviceDb(page);
    expect(memberIdOf(after)).toBe(memberId);
    expect(after.workspaces).toEqual(before.workspaces);
    // Removed only once the database copy was read back intact.
    expect(
      await page.evaluate(() => [
        localStorage.getItem('outpost.profile'),
        localStorage.getItem('outpost.workspaces'),
        localStorage.getItem('outpost.activeWorkspace'),
      ]),
    ).toEqual([null, null, null]);
    expect(after.activeWorkspace).toBe(before.activeWorkspace);
  });
});
