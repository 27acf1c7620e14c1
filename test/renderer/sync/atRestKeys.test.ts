// @vitest-environment happy-dom
/**
 * This device's at-rest key as the page works it out at start-up, with the real device database
 * (fake-indexeddb) and only window.outpost — the main process's answer about the keychain — faked:
 * with a keychain, device values (a team's secret key among them) are stored sealed; without one
 * the person's passphrase or explicit "not encrypted" decides, and is asked again at the next
 * start; a keychain that has gone away stops everything instead of starting over with a new key.
 * Each "start" is a fresh copy of the modules, as a reload gives.
 */
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ok } from '../../../shared/result';
import type { OutpostApi } from '../../../shared/ipc/contract';
import type { DataKeyAnswer } from '../../../shared/ipc/atRestContract';
import { newDataKey } from '../../../shared/protocol/atRest';
import { toBase64Url, toHex } from '../../../shared/protocol/bytes';
import { person } from '../storeHarness';

const TEAM_KEY = 'Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0Z2FycGx5';
const team = {
  id: 'workspace-team-0001',
  name: 'Lisbon retreat',
  kind: 'team' as const,
  createdAt: 1_700_000_000_000,
  secretKey: TEAM_KEY.slice(0, 43),
  relays: [] as string[],
  turn: null,
};

let answer: DataKeyAnswer;

function installKeychain(next: DataKeyAnswer): void {
  answer = next;
  const api = {
    invoke: (channel: string) =>
      Promise.resolve(channel === 'atRest:dataKey' ? ok(answer) : ok(null)),
    on: () => () => undefined,
  } as unknown as OutpostApi;
  (window as unknown as { outpost: OutpostApi }).outpost = api;
}

/** A fresh page: new module state, same databases. */
async function freshPage() {
  vi.resetModules();
  const keys = await import('../../../renderer/sync/atRestKeys');
  const local = await import('../../../renderer/sync/localState');
  const device = await import('../../../renderer/sync/deviceStore');
  return { keys, local, device };
}

async function rawValue(device: Awaited<ReturnType<typeof freshPage>>['device'], key: string) {
  const db = await device.openDeviceDb();
  return new Promise<unknown>((resolve, reject) => {
    const request = db.transaction([device.DEVICE_STORE]).objectStore(device.DEVICE_STORE).get(key);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

function latin1(value: unknown): string {
  return value instanceof Uint8Array
    ? new TextDecoder('latin1').decode(value)
    : JSON.stringify(value);
}

async function deleteDeviceDb(): Promise<void> {
  await new Promise<void>((resolve) => {
    const request = indexedDB.deleteDatabase('outpost-device');
    request.onsuccess = () => resolve();
    request.onerror = () => resolve();
    request.onblocked = () => resolve();
  });
}

beforeEach(deleteDeviceDb);
afterEach(async () => {
  const { device } = await freshPage();
  (await device.openDeviceDb()).close();
});

describe('the at-rest key at start-up', () => {
  it('with a keychain, stores device values sealed: the team key is in no form on disk', async () => {
    installKeychain({ protection: 'keychain', key: toBase64Url(newDataKey()) });
    let page = await freshPage();
    expect(await page.keys.startAtRest()).toEqual({ state: 'ready', protection: 'keychain' });
    await page.local.saveProfile(person);
    await page.local.saveWorkspaces([team]);
    const stored = latin1(await rawValue(page.device, 'workspaces'));
    expect(stored.startsWith('OAR')).toBe(true);
    for (const form of [team.secretKey, toHex(new TextEncoder().encode(team.secretKey)), team.name])
      expect(stored).not.toContain(form);
    expect(latin1(await rawValue(page.device, 'profile'))).not.toContain(person.displayName);

    page = await freshPage();
    await page.keys.startAtRest();
    expect((await page.local.loadWorkspaces()).value).toEqual([team]);
    expect((await page.local.loadProfile()).value).toEqual(person);
  });

  it('seals the values an earlier version stored plain, at the first start with a key', async () => {
    let page = await freshPage();
    await page.local.saveWorkspaces([team]); // no key yet: stored as before
    expect(latin1(await rawValue(page.device, 'workspaces'))).toContain(team.secretKey);

    installKeychain({ protection: 'keychain', key: toBase64Url(newDataKey()) });
    page = await freshPage();
    expect(await page.keys.startAtRest()).toEqual({ state: 'ready', protection: 'keychain' });
    expect(latin1(await rawValue(page.device, 'workspaces'))).not.toContain(team.secretKey);
    expect((await page.local.loadWorkspaces()).value).toEqual([team]);
  });

  it('without a keychain, asks once for a passphrase and then for it at every start', async () => {
    installKeychain({ protection: 'unavailable', reason: 'No secret service is running.' });
    let page = await freshPage();
    expect(await page.keys.startAtRest()).toEqual({
      state: 'choose',
      reason: 'No secret service is running.',
    });
    const short = await page.keys.choosePassphrase('short', 'short');
    expect(short.ok ? null : short.error.message).toMatch(/at least 10 characters/);
    const differ = await page.keys.choosePassphrase('a long passphrase', 'a long passphrasE');
    expect(differ.ok ? null : differ.error.message).toMatch(/differ/);
    const chosen = await page.keys.choosePassphrase('a long passphrase', 'a long passphrase');
    expect(chosen.ok && chosen.value).toMatchObject({ state: 'ready', protection: 'passphrase' });
    await page.local.saveWorkspaces([team]);
    expect(latin1(await rawValue(page.device, 'workspaces'))).not.toContain(team.secretKey);
    // The record keeps only the wrapped key: the passphrase and the key are not in it.
    expect(latin1(await rawValue(page.device, 'atRest'))).not.toContain('a long passphrase');

    page = await freshPage();
    expect((await page.keys.startAtRest()).state).toBe('locked');
    const wrong = await page.keys.unlockWithPassphrase('not the passphrase');
    expect(wrong.ok ? null : wrong.error.message).toMatch(/does not open/);
    expect((await page.keys.unlockWithPassphrase('a long passphrase')).ok).toBe(true);
    expect((await page.local.loadWorkspaces()).value).toEqual([team]);
  });

  it('keeps data plain when the person explicitly chooses so, and remembers the choice', async () => {
    installKeychain({ protection: 'unavailable', reason: 'This runs without a desktop keychain.' });
    let page = await freshPage();
    expect((await page.keys.startAtRest()).state).toBe('choose');
    expect(await page.keys.chooseNotEncrypted()).toMatchObject({
      state: 'ready',
      protection: 'none',
    });
    expect(page.keys.workspaceRowCodec(team.id).sealing).toBe(false);
    page = await freshPage();
    expect(await page.keys.startAtRest()).toMatchObject({ state: 'ready', protection: 'none' });
  });

  it('stops, changing nothing, when the keychain that keeps the key is gone', async () => {
    installKeychain({ protection: 'keychain', key: toBase64Url(newDataKey()) });
    let page = await freshPage();
    await page.keys.startAtRest();
    await page.local.saveWorkspaces([team]);
    const before = await rawValue(page.device, 'workspaces');

    installKeychain({ protection: 'unavailable', reason: 'No secret service is running.' });
    page = await freshPage();
    const status = await page.keys.startAtRest();
    expect(status.state).toBe('failed');
    expect(status.state === 'failed' && status.message).toMatch(/keychain is not available now/);
    expect(await rawValue(page.device, 'workspaces')).toEqual(before);
  });
});
