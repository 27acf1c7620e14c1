import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { IPC_CHANNELS } from '../../../shared/ipc/channels';
import { appPathsFrom, startOutpost, WINDOW_BACKGROUND } from '../../../electron/main/app';
import { TRAY_NOTICE } from '../../../electron/main/trayNotice';
import { createFakeElectron, FakeEvent, type FakeElectron } from '../fakeElectron';
import { useTmpDir } from '../tmpDir';
import { trackRunningOutpost } from './runningOutpost';

const makeTmpDir = useTmpDir();
const running = trackRunningOutpost();
const paths = appPathsFrom(path.resolve('/opt/Outpost/app/out/main'), null);

async function start(
  options: {
    failLoad?: boolean;
    lock?: boolean;
    platform?: NodeJS.Platform;
    devServerUrl?: string;
    packaged?: boolean;
    /** Start again on an earlier run's folder. */
    userData?: string;
    notificationsSupported?: boolean;
  } = {},
  prepare?: (userData: string) => Promise<void>,
) {
  const userData = options.userData ?? (await makeTmpDir());
  await prepare?.(userData);
  const fake: FakeElectron = createFakeElectron({
    userData,
    ...(options.lock === undefined ? {} : { lock: options.lock }),
    ...(options.failLoad ? { failLoad: true } : {}),
    ...(options.notificationsSupported === undefined
      ? {}
      : { notificationsSupported: options.notificationsSupported }),
  });
  fake.app.isPackaged = options.packaged ?? false;
  const instance = await startOutpost(fake.surface, {
    paths,
    platform: options.platform ?? 'linux',
    devServerUrl: options.devServerUrl,
    windowStateDebounceMs: 60_000,
    // Sync's LAN server on a free loopback port and no mDNS on the machine's real interfaces.
    syncNetwork: { host: '127.0.0.1', port: 0, discovery: false },
  });
  if (instance) running.push(instance);
  const window = fake.windows[0];
  const trustedEvent = window
    ? { sender: window.webContents, senderFrame: window.webContents.mainFrame }
    : null;
  return { fake, instance, userData, window, trustedEvent };
}

describe('appPathsFrom', () => {
  it('finds the preload, renderer and LAN server process beside the built main file', () => {
    const built = appPathsFrom(path.resolve('/x/out/main'), null);
    expect(built).toEqual({
      preload: path.resolve('/x/out/preload/index.cjs'),
      rendererIndex: path.resolve('/x/out/renderer/index.html'),
      iconDir: path.resolve('/x/build'),
      signalingServer: path.resolve('/x/out/main/signalingServer.js'),
    });
    expect(appPathsFrom(path.resolve('/x/out/main'), path.resolve('/r')).iconDir).toBe(
      path.resolve('/r/icons'),
    );
  });
});

describe('startOutpost', () => {
  it('quits at once when another instance holds the lock', async () => {
    const { fake, instance } = await start({ lock: false });
    expect(instance).toBeNull();
    expect(fake.app.quitCalls).toHaveLength(1);
    expect(fake.windows).toHaveLength(0);
    expect(fake.trays).toHaveLength(0);
    expect(fake.ipcMain.handlers.size).toBe(0);
  });

  it('creates one hidden window with the secure web preferences and loads the bundled renderer', async () => {
    const { fake, window } = await start();
    expect(fake.windows).toHaveLength(1);
    expect(window!.options.webPreferences).toEqual({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webviewTag: false,
      spellcheck: true,
      backgroundThrottling: false,
      preload: paths.preload,
    });
    expect(window!.options).toMatchObject({
      show: false,
      minWidth: 880,
      minHeight: 560,
      width: 1200,
      height: 800,
      x: 360,
      y: 120,
      backgroundColor: WINDOW_BACKGROUND.light,
    });
    expect(window!.loaded).toEqual([{ kind: 'url', target: 'app://outpost/index.html' }]);
    expect(window!.visible).toBe(false);

    window!.emit('ready-to-show');
    expect(window!.visible).toBe(true);
    expect(fake.dialogs).toEqual([]);
  });

  it('loads the dev server in development, and never when packaged', async () => {
    const dev = await start({ devServerUrl: 'http://localhost:5173/' });
    expect(dev.window!.loaded).toEqual([{ kind: 'url', target: 'http://localhost:5173/' }]);

    const packaged = await start({ devServerUrl: 'http://localhost:5173/', packaged: true });
    expect(packaged.window!.loaded).toEqual([{ kind: 'url', target: 'app://outpost/index.html' }]);
    // And the dev server does not count as the app either.
    const navigation = new FakeEvent();
    packaged.window!.webContents.emit('will-navigate', navigation, 'http://localhost:5173/');
    expect(navigation.defaultPrevented).toBe(true);
  });

  it('hardens the window: foreign navigation, new windows and webviews are blocked', async () => {
    const { fake, window } = await start();
    const contents = window!.webContents;
    const navigation = new FakeEvent();
    contents.emit('will-navigate', navigation, 'https://evil.example.com/');
    expect(navigation.defaultPrevented).toBe(true);
    expect(contents.windowOpenHandler?.({ url: 'https://example.com/' })).toEqual({
      action: 'deny',
    });
    await Promise.resolve();
    expect(fake.opened).toEqual(['https://example.com/']);
    // Registered once, though both web-contents-created and the window creation reach it.
    expect(contents.listenerCount('will-navigate')).toBe(1);
    expect(fake.session.request('notifications', 'app://outpost/index.html')).toBe(true);
    expect(fake.session.request('media', 'app://outpost/index.html')).toBe(false);
    expect(fake.session.request('notifications', pathToFileURL(paths.rendererIndex).href)).toBe(
      false,
    );
  });

  it('shows and focuses the existing window when a second instance starts', async () => {
    const { fake, window } = await start();
    window!.emit('ready-to-show');
    window!.minimized = true;
    window!.hide();

    fake.app.emit('second-instance', new FakeEvent(), ['outpost'], '/');
    expect(fake.windows).toHaveLength(1);
    expect(window!.minimized).toBe(false);
    expect(window!.visible).toBe(true);
    expect(window!.focused).toBe(true);
  });

  it('puts a tray icon with Show and Quit; Quit quits, clicking the icon shows the window', async () => {
    const { fake, window } = await start();
    expect(fake.trays).toHaveLength(1);
    const tray = fake.trays[0]!;
    expect(tray.image.path).toBe(path.join(paths.iconDir, 'tray.png'));
    expect(tray.toolTip).toBe('Outpost');
    expect(tray.menu?.map((item) => item.label ?? item.type)).toEqual([
      'Show Outpost',
      'separator',
      'Quit Outpost',
    ]);

    tray.emit('click');
    expect(window!.visible).toBe(true);
    window!.hide();
    tray.clickItem('Show Outpost');
    expect(window!.visible).toBe(true);

    tray.clickItem('Quit Outpost');
    expect(fake.app.quitCalls).toHaveLength(1);
    // Quitting closes the window for real instead of hiding it to the tray.
    expect(window!.close().defaultPrevented).toBe(false);
    expect(window!.isDestroyed()).toBe(true);
  });

  it('uses the monochrome template tray icon on macOS', async () => {
    const { fake } = await start({ platform: 'darwin' });
    expect(fake.trays[0]!.image.path).toBe(path.join(paths.iconDir, 'trayTemplate.png'));
  });

  it('hides to the tray on close when closeToTray is on, and closes and quits when it is off', async () => {
    const { fake, window, instance } = await start();
    window!.emit('ready-to-show');
    expect(window!.close().defaultPrevented).toBe(true);
    expect(window!.visible).toBe(false);
    expect(window!.isDestroyed()).toBe(false);
    expect(fake.app.quitCalls).toHaveLength(0);

    await instance!.settings.update({ closeToTray: false });
    expect(window!.close().defaultPrevented).toBe(false);
    expect(window!.isDestroyed()).toBe(true);
    expect(instance!.window()).toBeNull();
    fake.app.emit('window-all-closed');
    expect(fake.app.quitCalls).toHaveLength(1);
  });

  it('keeps the renderer that runs sync alive behind the tray on every platform, and explains it once', async () => {
    for (const platform of ['linux', 'win32', 'darwin'] as const) {
      const { fake, window, instance, userData } = await start({ platform });
      window!.emit('ready-to-show');
      expect(window!.close().defaultPrevented).toBe(true);
      // Hidden, not destroyed: the page (its workspace, its peer connections) keeps running.
      expect(window!.visible).toBe(false);
      expect(window!.webContents.isDestroyed()).toBe(false);
      expect(instance!.window()).toBe(window);
      expect(fake.app.quitCalls).toHaveLength(0);
      expect(fake.notifications.map((shown) => shown.options.title)).toEqual([TRAY_NOTICE.title]);
      expect(fake.notifications[0]!.options.body).toMatch(/keeps syncing/);
      expect(fake.notifications[0]!.options.body).toMatch(/Quit Outpost/);

      // Clicking the explanation brings the window back; closing again explains nothing more.
      fake.notifications[0]!.click();
      expect(window!.visible).toBe(true);
      window!.close();
      expect(fake.notifications).toHaveLength(1);

      // Quit from the tray ends it for real.
      fake.trays[0]!.clickItem('Quit Outpost');
      expect(fake.app.quitCalls).toHaveLength(1);
      expect(window!.close().defaultPrevented).toBe(false);
      // Remembered on disk (written without holding the window up).
      const stored = await vi.waitFor(() =>
        readFile(path.join(userData, 'tray-notice.json'), 'utf8'),
      );
      expect(JSON.parse(stored)).toEqual({ shownAt: expect.any(Number) });
    }
  });

  it('explains the tray once per device, not once per run, and with a message box where there are no notifications', async () => {
    const told = await start();
    told.window!.close();
    expect(told.fake.notifications).toHaveLength(1);
    // The file is written without waiting; the next start must read it.
    await vi.waitFor(() => readFile(path.join(told.userData, 'tray-notice.json')));
    const again = await start({ userData: told.userData, notificationsSupported: false });
    again.window!.close();
    expect(again.fake.dialogs).toEqual([]);

    const silent = await start({ notificationsSupported: false });
    silent.window!.close();
    expect(silent.fake.dialogs).toEqual([{ message: TRAY_NOTICE.title, detail: TRAY_NOTICE.body }]);
  });

  it('lets Windows logoff close the window instead of hiding it to the tray', async () => {
    const { window } = await start({ platform: 'win32' });
    window!.emit('session-end', new FakeEvent());
    expect(window!.close().defaultPrevented).toBe(false);
    expect(window!.isDestroyed()).toBe(true);
  });

  it('shows the window even when its page fails to load, so Outpost does not seem dead', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const { window } = await start({ failLoad: true });
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(window!.loaded).toHaveLength(1);
    expect(window!.visible).toBe(true);
    expect(logged).toHaveBeenCalledWith('The Outpost window failed to load:', expect.any(Error));
    logged.mockRestore();
  });

  it('keeps running with no window on macOS, and the dock re-opens one', async () => {
    const { fake, window, instance } = await start({ platform: 'darwin' });
    await instance!.settings.update({ closeToTray: false });
    window!.close();
    fake.app.emit('window-all-closed');
    expect(fake.app.quitCalls).toHaveLength(0);
    fake.app.emit('activate');
    expect(fake.windows).toHaveLength(2);
    expect(instance!.window()).toBe(fake.windows[1]);
  });

  it('serves IPC to its own window only, and applies settings changes', async () => {
    const { fake, window, trustedEvent } = await start();
    expect([...fake.ipcMain.handlers.keys()].sort()).toEqual([...IPC_CHANNELS].sort());

    const result = await fake.ipcMain.invoke('settings:update', trustedEvent, { theme: 'dark' });
    expect(result).toEqual({ ok: true, value: { theme: 'dark', closeToTray: true } });
    expect(fake.nativeTheme.themeSource).toBe('dark');
    expect(window!.backgroundColor).toBe(WINDOW_BACKGROUND.dark);
    expect(window!.webContents.sent).toEqual([
      { channel: 'settings:changed', args: [{ theme: 'dark', closeToTray: true }] },
    ]);

    const subframe = {
      sender: window!.webContents,
      senderFrame: window!.webContents.subframe('https://evil.example.com/'),
    };
    expect(await fake.ipcMain.invoke('app:getInfo', subframe, undefined)).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(await fake.ipcMain.invoke('app:getInfo', trustedEvent, undefined)).toEqual({
      ok: true,
      value: { name: 'Outpost', version: '0.1.0', platform: 'linux', shell: 'electron' },
    });
  });

  it('starts with the saved theme', async () => {
    const { fake, window } = await start({}, (userData) =>
      writeFile(
        path.join(userData, 'settings.json'),
        JSON.stringify({ theme: 'dark', closeToTray: true }),
      ),
    );
    expect(fake.nativeTheme.themeSource).toBe('dark');
    expect(window!.options.backgroundColor).toBe(WINDOW_BACKGROUND.dark);
  });

  it('reopens where the window was, saving the position when the app quits', async () => {
    const first = await start();
    first.window!.moveTo({ x: 40, y: 30, width: 1000, height: 700 });
    first.fake.app.emit('before-quit', new FakeEvent());
    const saved = JSON.parse(
      await readFile(path.join(first.userData, 'window-state.json'), 'utf8'),
    );
    expect(saved).toEqual({
      bounds: { x: 40, y: 30, width: 1000, height: 700 },
      isMaximized: false,
    });
  });

  it('tells the person, once the window shows, when its own files were damaged', async () => {
    const { fake, window, userData } = await start({}, (dir) =>
      writeFile(path.join(dir, 'settings.json'), 'garbage'),
    );
    expect(fake.dialogs).toEqual([]);
    window!.emit('ready-to-show');
    expect(fake.dialogs).toHaveLength(1);
    expect(fake.dialogs[0]!.detail).toContain('settings.json.corrupt-');
    expect(fake.dialogs[0]!.detail).toContain(userData);
  });
});
