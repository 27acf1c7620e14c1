// @vitest-environment happy-dom
/**
 * This device's keys in the device database: made once and loaded again as they were; sealed
 * with the at-rest key (no private key in any form on disk); a damaged value set aside with a
 * sentence and new keys made.
 */
import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ok } from '../../../shared/result';
import type { OutpostApi } from '../../../shared/ipc/contract';
import { newDataKey } from '../../../shared/protocol/atRest';
import { fromBase64Url, toBase64Url, toHex } from '../../../shared/protocol/bytes';

/** A fresh page: new module state, same databases. */
async function freshPage() {
  vi.resetModules();
  return {
    identity: await import('../../../renderer/sync/deviceIdentity'),
    device: await import('../../../renderer/sync/deviceStore'),
    keys: await import('../../../renderer/sync/atRestKeys'),
  };
}

async function rawValue(page: Awaited<ReturnType<typeof freshPage>>, key: string) {
  const db = await page.device.openDeviceDb();
  return new Promise<unknown>((resolve, reject) => {
    const store = db.transaction([page.device.DEVICE_STORE]).objectStore(page.device.DEVICE_STORE);
    const request = store.get(key);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function allKeys(page: Awaited<ReturnType<typeof freshPage>>): Promise<string[]> {
  const db = await page.device.openDeviceDb();
  return new Promise((resolve, reject) => {
    const store = db.transaction([page.device.DEVICE_STORE]).objectStore(page.device.DEVICE_STORE);
    const request = store.getAllKeys();
    request.onsuccess = () => resolve(request.result.map(String));
    request.onerror = () => reject(request.error);
  });
}

beforeEach(async () => {
  const page = await freshPage();
  (await page.device.openDeviceDb()).close();
  await new Promise<void>((resolve) => {
    const request = indexedDB.deleteDatabase('outpost-device');
    request.onsuccess = () => resolve();
    request.onerror = () => resolve();
  });
});

describe('the device identity', () => {
  it('is made at the first start and the same keys load at every start after', async () => {
    let page = await freshPage();
    const first = await page.identity.loadDeviceIdentity();
    expect(first.problem).toBeUndefined();
    page = await freshPage();
    expect(await page.identity.loadDeviceIdentity()).toEqual({ value: first.value });
  });

  it('is sealed with the at-rest key: neither private key is on disk in any form', async () => {
    const key = toBase64Url(newDataKey());
    (window as unknown as { outpost: OutpostApi }).outpost = {
      invoke: (channel: string) =>
        Promise.resolve(
          channel === 'atRest:dataKey' ? ok({ protection: 'keychain', key }) : ok(null),
        ),
      on: () => () => undefined,
    } as unknown as OutpostApi;
    let page = await freshPage();
    await page.keys.startAtRest();
    const { value } = await page.identity.loadDeviceIdentity();
    const stored = await rawValue(page, 'identity');
    expect(stored).toBeInstanceOf(Uint8Array);
    const text = new TextDecoder('latin1').decode(stored as Uint8Array);
    for (const secret of [value.signing.privateKey, value.agreement.privateKey]) {
      expect(text).not.toContain(secret);
      expect(text).not.toContain(new TextDecoder('latin1').decode(fromBase64Url(secret)));
      expect(text).not.toContain(toHex(fromBase64Url(secret)!));
    }
    page = await freshPage();
    await page.keys.startAtRest();
    expect((await page.identity.loadDeviceIdentity()).value).toEqual(value);
  });

  it('sets a damaged value aside, says so, and makes new keys', async () => {
    let page = await freshPage();
    await page.device.writeDeviceValue(page.device.DEVICE_KEY.identity, { version: 1, signing: 7 });
    page = await freshPage();
    const loaded = await page.identity.loadDeviceIdentity();
    expect(loaded.problem).toMatch(
      /This device’s keys were damaged and were kept aside as “aside\.identity\.\d+”/,
    );
    expect((await allKeys(page)).filter((key) => key.startsWith('aside.identity.'))).toHaveLength(
      1,
    );
    page = await freshPage();
    expect((await page.identity.loadDeviceIdentity()).value).toEqual(loaded.value);
  });
});
