// @vitest-environment happy-dom
/**
 * The app lock's page side on a keychain device (no data passphrase), with the real device
 * database (fake-indexeddb), the real at-rest keys and the real PBKDF2 verifier; only
 * window.outpost (the main process) is faked. Turning the lock on needs a lock passphrase; a
 * wrong one is refused with a growing wait that a reload does not reset; the right one unlocks;
 * a reloaded page of a device set to lock starts locked and tells the main process so.
 */
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ok } from '../../../../shared/result';
import type { OutpostApi } from '../../../../shared/ipc/contract';
import { newDataKey } from '../../../../shared/protocol/atRest';
import { toBase64Url } from '../../../../shared/protocol/bytes';

const LOCK_PASSPHRASE = 'harbour lights 42';
const DATA_KEY = toBase64Url(newDataKey());
let told: boolean[] = [];

beforeEach(() => {
  told = [];
  const api = {
    invoke: (channel: string, input: unknown) => {
      if (channel === 'atRest:dataKey')
        return Promise.resolve(ok({ protection: 'keychain', key: DATA_KEY }));
      if (channel === 'lock:setLocked') told.push((input as { locked: boolean }).locked);
      return Promise.resolve(ok(null));
    },
    on: () => () => undefined,
  } as unknown as OutpostApi;
  (window as unknown as { outpost: OutpostApi }).outpost = api;
});
afterEach(() => {
  vi.useRealTimers();
});

/** A fresh page: new module state, same databases and localStorage. */
async function freshPage() {
  vi.resetModules();
  const keys = await import('../../../../renderer/sync/atRestKeys');
  await keys.startAtRest();
  const settings = await import('../../../../renderer/features/lock/lockSettings');
  await settings.loadLockSettings();
  const { useLockStore, retryDelayMs } =
    await import('../../../../renderer/features/lock/lockStore');
  const device = await import('../../../../renderer/sync/deviceStore');
  return { useLockStore, retryDelayMs, device };
}

describe('app lock with a keychain-protected device', () => {
  it('needs its own passphrase, waits longer after each wrong one, and starts locked after a reload', async () => {
    const page = await freshPage();
    const lock = () => page.useLockStore.getState();
    expect(lock().locked).toBe(false);

    const refused = await lock().update({ afterMinutes: 5, onSleep: false });
    expect(refused).toMatchObject({ ok: false, error: { code: 'no-passphrase' } });
    const short = await lock().update({
      afterMinutes: 5,
      onSleep: false,
      passphrase: { value: 'short', repeated: 'short' },
    });
    expect(short).toMatchObject({ ok: false, error: { message: 'Use at least 10 characters.' } });
    const saved = await lock().update({
      afterMinutes: 5,
      onSleep: true,
      passphrase: { value: LOCK_PASSPHRASE, repeated: LOCK_PASSPHRASE },
    });
    expect(saved.ok).toBe(true);
    // Stored sealed with the device's key: neither the passphrase nor the settings read plain.
    const db = await page.device.openDeviceDb();
    const raw = await new Promise<unknown>((resolve) => {
      const request = db.transaction(['state']).objectStore('state').get('lock');
      request.onsuccess = () => resolve(request.result);
    });
    expect(raw).toBeInstanceOf(Uint8Array);
    expect(Buffer.from(raw as Uint8Array).includes(Buffer.from(LOCK_PASSPHRASE))).toBe(false);

    lock().lock();
    expect(lock().locked).toBe(true);
    expect(told).toEqual([true]);

    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
    const wrong = await lock().unlock('not the passphrase');
    expect(wrong).toMatchObject({
      ok: false,
      error: { message: 'That passphrase is not right. You can try again in 1 second.' },
    });
    // Too soon: not even checked.
    expect(await lock().unlock(LOCK_PASSPHRASE)).toMatchObject({
      ok: false,
      error: { code: 'wait' },
    });
    vi.advanceTimersByTime(1_000);
    expect((await lock().unlock('still wrong')).ok).toBe(false);
    expect(lock().retryAt - Date.now()).toBe(page.retryDelayMs(2));
    expect(page.retryDelayMs(2)).toBe(2_000);
    expect(page.retryDelayMs(30)).toBe(5 * 60_000);

    // A reload keeps the wait and starts locked: the device is set to lock.
    told = [];
    const reloaded = await freshPage();
    const again = () => reloaded.useLockStore.getState();
    expect(again().locked).toBe(true);
    expect(again().failures).toBe(2);
    expect(told).toEqual([true]);
    expect((await again().unlock(LOCK_PASSPHRASE)).ok).toBe(false);
    vi.advanceTimersByTime(2_000);
    expect(await again().unlock(LOCK_PASSPHRASE)).toEqual({ ok: true, value: null });
    expect(again().locked).toBe(false);
    expect(again().failures).toBe(0);
    expect(told).toEqual([true, false]);
  });
});
