/**
 * The desktop's one-time move from the file:// origin, as the main process runs it: startOutpost
 * on the fake Electron surface, whose file:// pages answer the export script with what a test
 * gives; the record, the private export file and the IPC handlers run for real. (The export and
 * import of IndexedDB themselves run in Chromium: test/e2e/originMigration.test.ts.)
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { appPathsFrom, startOutpost } from '../../../electron/main/app';
import { EXPORT_SCRIPT } from '../../../electron/main/migration/exportScript';
import { createFakeElectron } from '../fakeElectron';
import { useTmpDir } from '../tmpDir';
import { trackRunningOutpost } from '../main/runningOutpost';

const makeTmpDir = useTmpDir();
const running = trackRunningOutpost();
const paths = appPathsFrom(path.resolve('/opt/Outpost/app/out/main'), null);

const OLD_EXPORT = JSON.stringify({
  format: 'outpost-origin-export',
  v: 1,
  databases: [
    { name: 'outpost-device', version: 1, stores: [] },
    { name: 'outpost-ws-0123456789ab', version: 1, stores: [] },
  ],
});

async function start(userData: string, oldOrigin?: string | Error) {
  const fake = createFakeElectron({
    userData,
    ...(oldOrigin === undefined ? {} : { oldOrigin }),
  });
  const created: unknown[] = [];
  fake.app.on('web-contents-created', (_event: unknown, contents: unknown) =>
    created.push(contents),
  );
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
  const invoke = (channel: string, input?: unknown) =>
    fake.ipcMain.invoke(channel, event, input) as Promise<{ ok: boolean; value?: unknown }>;
  return { fake, created, window, invoke };
}

const record = async (userData: string) =>
  JSON.parse(await readFile(path.join(userData, 'origin-migration.json'), 'utf8')) as Record<
    string,
    unknown
  >;
const exportFile = (userData: string) => path.join(userData, 'migration', 'file-origin.json');

describe('moving IndexedDB from the file:// origin', () => {
  it('reads the old origin in a hidden window before the app window, then hands it to the page once', async () => {
    const userData = await makeTmpDir();
    const { fake, created, window, invoke } = await start(userData, OLD_EXPORT);

    const [hidden] = fake.oldOriginWindows;
    expect(fake.oldOriginWindows).toHaveLength(1);
    expect(hidden!.options.show).toBe(false);
    expect(hidden!.options.webPreferences).toMatchObject({ sandbox: true, contextIsolation: true });
    expect(hidden!.options.webPreferences?.preload).toBeUndefined();
    expect(hidden!.loaded).toEqual([
      {
        kind: 'url',
        target: pathToFileURL(path.join(userData, 'migration', 'old-origin.html')).href,
      },
    ]);
    expect(hidden!.webContents.executed).toEqual([EXPORT_SCRIPT]);
    expect(hidden!.destroyed).toBe(true);
    // The hidden window came first: the app's page must find the export waiting.
    expect(created).toEqual([hidden!.webContents, window.webContents]);

    expect(await record(userData)).toMatchObject({ state: 'exported', databases: 2 });
    expect((await stat(exportFile(userData))).mode & 0o777).toBe(0o600);
    expect((await stat(path.dirname(exportFile(userData)))).mode & 0o777).toBe(0o700);
    expect(await invoke('migration:pending')).toEqual({
      ok: true,
      value: { exported: OLD_EXPORT },
    });

    await invoke('migration:finish', {
      imported: ['outpost-device', 'outpost-ws-0123456789ab'],
      skipped: [],
    });
    expect(await record(userData)).toMatchObject({ state: 'done', imported: 2, skipped: [] });
    await expect(stat(exportFile(userData))).rejects.toThrow();
    expect(await invoke('migration:pending')).toEqual({ ok: true, value: null });

    // Done once: the next start opens no old-origin window.
    const again = await start(userData, OLD_EXPORT);
    expect(again.fake.oldOriginWindows).toHaveLength(0);
  });

  it('keeps the export when the page left a database out, as this origin had one of its name', async () => {
    const userData = await makeTmpDir();
    const { invoke } = await start(userData, OLD_EXPORT);
    await invoke('migration:finish', {
      imported: ['outpost-ws-0123456789ab'],
      skipped: ['outpost-device'],
    });
    expect(await record(userData)).toMatchObject({ state: 'done', skipped: ['outpost-device'] });
    expect(await readFile(exportFile(userData), 'utf8')).toBe(OLD_EXPORT);
  });

  it('starts the app when the old origin cannot be read, and tries again at the next start', async () => {
    const userData = await makeTmpDir();
    const failed = await start(userData, new Error('Script failed to execute'));
    expect(failed.fake.windows).toHaveLength(1);
    expect(failed.fake.oldOriginWindows[0]!.destroyed).toBe(true);
    await expect(stat(path.join(userData, 'origin-migration.json'))).rejects.toThrow();
    expect(await failed.invoke('migration:pending')).toEqual({ ok: true, value: null });

    const odd = await start(userData, '{"not":"an export"}');
    expect(odd.fake.oldOriginWindows).toHaveLength(1);
    await expect(stat(path.join(userData, 'origin-migration.json'))).rejects.toThrow();

    const retried = await start(userData, OLD_EXPORT);
    expect(retried.fake.oldOriginWindows).toHaveLength(1);
    expect(await record(userData)).toMatchObject({ state: 'exported' });
  });

  it('records a new install (no database under file://) as done, with nothing to hand over', async () => {
    const userData = await makeTmpDir();
    const { invoke } = await start(userData);
    expect(await record(userData)).toMatchObject({ state: 'done', databases: 0 });
    expect(await invoke('migration:pending')).toEqual({ ok: true, value: null });
  });
});
