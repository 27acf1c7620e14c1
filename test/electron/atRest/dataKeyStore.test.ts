/**
 * The device's data key kept by the OS keychain: the desktop app, started on the fake Electron
 * surface (safeStorage being the edge), hands the page the same key at every start and keeps it
 * on disk only sealed by the keychain; where the keychain protects nothing (none available, or
 * Linux's `basic_text`) it keeps no key and says why; a key file the keychain cannot open is an
 * error and is never replaced; the web companion has no keychain.
 */
import { readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startOutpost, type OutpostInstance } from '../../../electron/main/app';
import { DATA_KEY_FILE, createDataKeyStore } from '../../../electron/main/atRest/dataKeyStore';
import { fromBase64Url, toHex } from '../../../shared/protocol/bytes';
import { createFakeElectron, FakeSafeStorage } from '../fakeElectron';
import { useTmpDir } from '../tmpDir';

const makeTmpDir = useTmpDir();
const running: OutpostInstance[] = [];
async function stopAll(): Promise<void> {
  await Promise.all(
    running
      .splice(0)
      .flatMap((instance) => [instance.windowState.flush(), instance.syncNetwork.close()]),
  );
}
afterEach(stopAll);

const paths = {
  preload: '/app/out/preload/index.cjs',
  rendererIndex: '/app/out/renderer/index.html',
  iconDir: '/app/build',
  signalingServer: '/app/out/main/signalingServer.js',
};

/** Starts the desktop app on `userData` and asks for the data key as the page does. */
async function askForKey(userData: string, safeStorage: FakeSafeStorage) {
  const fake = createFakeElectron({ userData, safeStorage });
  const instance = await startOutpost(fake.surface, {
    paths,
    platform: 'linux',
    windowStateDebounceMs: 60_000,
    syncNetwork: { host: '127.0.0.1', port: 0, discovery: false },
  });
  if (!instance) throw new Error('did not start');
  running.push(instance);
  const window = fake.windows[0]!;
  const event = { sender: window.webContents, senderFrame: window.webContents.mainFrame };
  return fake.ipcMain.invoke('atRest:dataKey', event, undefined);
}

describe('the data key in the OS keychain', () => {
  it('is created once, kept sealed by the keychain in a 0600 file, and the same at every start', async () => {
    const userData = await makeTmpDir();
    const keychain = new FakeSafeStorage();
    const first = (await askForKey(userData, keychain)) as {
      ok: true;
      value: { protection: 'keychain'; key: string };
    };
    expect(first).toMatchObject({ ok: true, value: { protection: 'keychain' } });
    const key = fromBase64Url(first.value.key)!;
    expect(key).toHaveLength(32);

    const file = path.join(userData, DATA_KEY_FILE);
    const stored = await readFile(file);
    for (const form of [first.value.key, toHex(key), Buffer.from(key).toString('base64')])
      expect(stored.toString('latin1')).not.toContain(form);
    if (process.platform !== 'win32') expect((await stat(file)).mode & 0o777).toBe(0o600);

    await stopAll();
    expect(await askForKey(userData, keychain)).toEqual(first);
  });

  it('keeps no key where the keychain protects nothing, and says why', async () => {
    const userData = await makeTmpDir();
    expect(await askForKey(userData, new FakeSafeStorage(true, 'basic_text'))).toMatchObject({
      ok: true,
      value: { protection: 'unavailable', reason: expect.stringMatching(/secret service/) },
    });
    expect(await askForKey(userData, new FakeSafeStorage(false))).toMatchObject({
      ok: true,
      value: { protection: 'unavailable', reason: expect.stringMatching(/no keychain/) },
    });
    await expect(stat(path.join(userData, DATA_KEY_FILE))).rejects.toThrow();
  });

  it('refuses, never replacing it, a key file this keychain cannot open', async () => {
    const userData = await makeTmpDir();
    await askForKey(userData, new FakeSafeStorage());
    await stopAll();
    const file = path.join(userData, DATA_KEY_FILE);
    const before = await readFile(file);
    // Another user's keychain (or a damaged file): the key does not open.
    const answer = await askForKey(userData, new FakeSafeStorage());
    expect(answer).toMatchObject({
      ok: false,
      error: { code: 'data-key-unreadable', message: expect.stringMatching(/could not open/) },
    });
    expect(await readFile(file)).toEqual(before);
    await writeFile(file, 'garbage');
    expect(
      await createDataKeyStore({ dataDir: userData, safeStorage: new FakeSafeStorage() })
        .get()
        .catch((error: Error) => error.message),
    ).toMatch(/could not open/);
  });

  it('answers the web companion (no safeStorage) that there is no keychain', async () => {
    const store = createDataKeyStore({ dataDir: await makeTmpDir() });
    expect(await store.get()).toEqual({
      protection: 'unavailable',
      reason: 'This runs without a desktop keychain (web mode).',
    });
  });
});
