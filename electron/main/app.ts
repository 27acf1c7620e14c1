/**
 * Outpost's main-process lifecycle: one instance, one secure window, the tray, IPC and settings.
 * It receives the Electron API as an argument (see index.ts) so tests can run it with a fake.
 */
import path from 'node:path';
import type { BrowserWindowConstructorOptions } from 'electron';
import type { AppSettings } from '../../shared/ipc/contract';
import {
  APP_INDEX_URL,
  APP_SCHEME,
  APP_SCHEME_PRIVILEGES,
  createAppProtocolHandler,
  type ProtocolLike,
} from './appProtocol';
import { attachFocusDesktop, type FocusElectron } from './focus/focusDesktop';
import { attachBreakWindows } from './focus/breakWindows';
import type { FocusService } from './focus/focusService';
import type { BackupService } from './backups/backupService';
import { installQuitBackup } from './backups/quitBackup';
import {
  createBroadcast,
  createSenderCheck,
  registerIpc,
  type IpcMainLike,
  type IpcWebContents,
} from './ipc';
import {
  CONTENT_SECURITY_POLICY,
  hardenSession,
  hardenWebContents,
  type AppLocation,
  type CancellableEvent,
  type HardenableSession,
  type HardenableWebContents,
} from './security';
import {
  createMainServices,
  systemClock,
  type ServiceClock,
  type SyncNetworkPlacement,
} from './services';
import type { SettingsStore } from './settingsStore';
import type { SafeStorageLike } from './atRest/dataKeyStore';
import { forwardSystemLocks, type TouchIdLike } from './lock/appLock';
import { exportOldOrigin } from './migration/originMigration';
import type { SyncNetworkService } from './signaling/lanSync';
import { processServerStarter, type ServerChild } from './signaling/serverHost';
import { createTray, type TrayDeps, type TrayLike } from './tray';
import { createTrayNotice } from './trayNotice';
import {
  createWindowStateKeeper,
  MIN_WINDOW_SIZE,
  type Rect,
  type WindowStateKeeper,
} from './windowState';

/** The window's colour before the renderer paints, matching the renderer's light and dark themes. */
export const WINDOW_BACKGROUND = { light: '#f6f7f9', dark: '#16181d' } as const;

export interface AppLike {
  readonly isPackaged: boolean;
  requestSingleInstanceLock(): boolean;
  quit(): void;
  whenReady(): Promise<unknown>;
  getPath(name: 'userData'): string;
  getName(): string;
  getVersion(): string;
  setAppUserModelId(id: string): void;
  on(event: 'second-instance', listener: () => void): unknown;
  on(event: 'window-all-closed', listener: () => void): unknown;
  on(event: 'before-quit', listener: () => void): unknown;
  on(event: 'activate', listener: () => void): unknown;
  on(
    event: 'web-contents-created',
    listener: (event: unknown, contents: HardenableWebContents) => void,
  ): unknown;
}

/** The parts of a BrowserWindow the app uses. */
export interface AppWindow {
  readonly webContents: IpcWebContents &
    HardenableWebContents & {
      /** Runs the old origin's export in a hidden window (migration/originMigration.ts). */
      executeJavaScript?(code: string): Promise<unknown>;
    };
  on(event: 'close', listener: (event: CancellableEvent) => void): unknown;
  on(event: 'closed', listener: () => void): unknown;
  on(event: 'session-end', listener: () => void): unknown;
  on(event: 'resize', listener: () => void): unknown;
  on(event: 'move', listener: () => void): unknown;
  on(event: 'maximize', listener: () => void): unknown;
  on(event: 'unmaximize', listener: () => void): unknown;
  once(event: 'ready-to-show', listener: () => void): unknown;
  loadURL(url: string): Promise<void>;
  show(): void;
  hide(): void;
  /** Closes the window (the focus break windows close this way when a break ends). */
  close(): unknown;
  focus(): void;
  restore(): void;
  maximize(): void;
  isMinimized(): boolean;
  isMaximized(): boolean;
  isDestroyed(): boolean;
  getNormalBounds(): Rect;
  setBackgroundColor(color: string): void;
}

/** The Electron API surface Outpost uses; index.ts passes the real module. */
export interface ElectronSurface<Image = unknown, Menu = unknown> {
  readonly app: AppLike;
  readonly BrowserWindow: new (options: BrowserWindowConstructorOptions) => AppWindow;
  readonly ipcMain: IpcMainLike;
  readonly Tray: TrayDeps<Image, Menu>['Tray'];
  readonly Menu: TrayDeps<Image, Menu>['Menu'];
  readonly nativeImage: TrayDeps<Image, Menu>['nativeImage'];
  readonly nativeTheme: {
    themeSource: AppSettings['theme'];
    readonly shouldUseDarkColors: boolean;
  };
  readonly screen: {
    getAllDisplays(): ReadonlyArray<{ readonly workArea: Rect }>;
    getPrimaryDisplay(): { readonly workArea: Rect };
  };
  readonly shell: { openExternal(url: string): Promise<void> };
  readonly session: { readonly defaultSession: HardenableSession };
  /** Serves the renderer from app:// (appProtocol.ts). */
  readonly protocol: ProtocolLike;
  /** Native notifications for focus reminders. */
  readonly Notification: FocusElectron['Notification'];
  /** System idle time, sleep and wake, for the focus timer. */
  readonly powerMonitor: FocusElectron['powerMonitor'];
  /** The OS keychain that keeps the device's data key (encryption at rest). */
  readonly safeStorage?: SafeStorageLike;
  /** Touch ID for unlocking the app lock (macOS). */
  readonly systemPreferences?: TouchIdLike;
  /** Runs the LAN signaling server outside the main process (AppPaths.signalingServer). */
  readonly utilityProcess: {
    fork(modulePath: string, args?: string[], options?: { serviceName?: string }): ServerChild;
  };
  readonly dialog: {
    showMessageBox(options: {
      type: 'warning';
      title: string;
      message: string;
      detail: string;
    }): Promise<unknown>;
    /** The native folder picker (notes export); optional so older fakes still fit. */
    showOpenDialog?(options: {
      title: string;
      buttonLabel: string;
      properties: Array<'openDirectory' | 'createDirectory'>;
    }): Promise<{ canceled: boolean; filePaths: string[] }>;
  };
}

/** Files the app loads, all derived from where the built main file lives. */
export interface AppPaths {
  readonly preload: string;
  readonly rendererIndex: string;
  /** Folder with icon.png and the tray icons. */
  readonly iconDir: string;
  /** The LAN signaling server's process (electron/main/signaling/serverProcess.ts, built). */
  readonly signalingServer: string;
}

/**
 * out/main/index.js → out/preload/index.cjs and out/renderer/index.html. Icons come from
 * build/ in development and from the packaged app's resources/icons (electron-builder.yml).
 */
export function appPathsFrom(mainDir: string, packagedResourcesDir: string | null): AppPaths {
  return {
    preload: path.join(mainDir, '../preload/index.cjs'),
    rendererIndex: path.join(mainDir, '../renderer/index.html'),
    signalingServer: path.join(mainDir, 'signalingServer.js'),
    iconDir: packagedResourcesDir
      ? path.join(packagedResourcesDir, 'icons')
      : path.join(mainDir, '../../build'),
  };
}

export interface StartOptions {
  readonly paths: AppPaths;
  /** electron-vite's ELECTRON_RENDERER_URL; ignored in a packaged app. */
  readonly devServerUrl?: string | undefined;
  readonly platform?: NodeJS.Platform;
  readonly windowStateDebounceMs?: number;
  /** The focus timer's clock and timers (tests pass a fake clock). */
  readonly clock?: ServiceClock;
  /** Where the LAN signaling server binds and whether mDNS runs (tests use a namespace). */
  readonly syncNetwork?: SyncNetworkPlacement;
  /** How often the idle time is read, in ms. */
  readonly idlePollMs?: number;
}

/** A handle on the running app, for index.ts and tests. */
export interface OutpostInstance {
  readonly settings: SettingsStore;
  readonly windowState: WindowStateKeeper;
  readonly focus: FocusService;
  /** The LAN signaling server and mDNS discovery. */
  readonly syncNetwork: SyncNetworkService;
  /** Workspace backups in userData/backups. */
  readonly backups: BackupService;
  window(): AppWindow | null;
  showWindow(): void;
  quit(): void;
}

export const SECURE_WEB_PREFERENCES = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  webviewTag: false,
  spellcheck: true,
  // The renderer runs sync: closed to the tray (hidden), it must keep its timers (batched
  // applying, handshake deadlines, reconnects) at full rate instead of Chromium's throttled one.
  backgroundThrottling: false,
} as const;

/**
 * Starts Outpost. Resolves with null when another instance already runs (this one then quits
 * and that one shows its window).
 */
export async function startOutpost<Image, Menu>(
  electron: ElectronSurface<Image, Menu>,
  options: StartOptions,
): Promise<OutpostInstance | null> {
  const { app } = electron;
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return null;
  }

  const platform = options.platform ?? process.platform;
  const location: AppLocation = {
    devServerUrl: app.isPackaged ? undefined : options.devServerUrl,
  };
  // Only possible before the app is ready; without it app:// would have no origin of its own.
  electron.protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);

  let mainWindow: AppWindow | null = null;
  let tray: TrayLike<Menu> | null = null;
  let quitting = false;
  let ready = false;
  const problems: string[] = [];
  const reportProblem = (message: string): void => {
    console.warn(message);
    problems.push(message);
  };

  const hardened = new WeakSet<object>();
  const harden = (contents: HardenableWebContents): void => {
    if (hardened.has(contents)) return;
    hardened.add(contents);
    hardenWebContents(contents, {
      app: location,
      openExternal: (url) => electron.shell.openExternal(url),
      onBlocked: (what, url) => console.warn(`Blocked ${what}${url ? `: ${url}` : ''}`),
    });
  };

  const showWindow = (): void => {
    if (!ready) return;
    if (!mainWindow || mainWindow.isDestroyed()) {
      createWindow();
      return;
    }
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.show();
    mainWindow.focus();
  };
  const quit = (): void => {
    quitting = true;
    app.quit();
  };

  app.on('second-instance', showWindow);
  app.on('activate', showWindow);
  app.on('web-contents-created', (_event, contents) => harden(contents));

  await app.whenReady();
  if (platform === 'win32') app.setAppUserModelId('dev.outpost.app');

  const appContents = (): IpcWebContents | null =>
    mainWindow && !mainWindow.isDestroyed() ? mainWindow.webContents : null;
  const broadcast = createBroadcast(appContents);
  const userData = app.getPath('userData');
  const clock = options.clock ?? systemClock;
  const services = await createMainServices({
    dataDir: userData,
    info: { name: app.getName(), version: app.getVersion(), platform, shell: 'electron' },
    clock,
    syncNetwork: options.syncNetwork,
    // A flood of connections to the LAN server keeps that process busy, not this one: IPC and
    // the focus timer's notifications stay on time (issue 16).
    startSignalingServer: processServerStarter(() =>
      electron.utilityProcess.fork(options.paths.signalingServer, [], {
        serviceName: 'Outpost LAN signaling',
      }),
    ),
    // Shown in one dialog once the window is up (see createWindow).
    onProblem: reportProblem,
    log: (message) => console.warn(message),
    broadcast,
    openExternal: (url) => electron.shell.openExternal(url),
    safeStorage: electron.safeStorage,
    systemPreferences: electron.systemPreferences,
    chooseFolder: async ({ title, buttonLabel }) => {
      const picked = await electron.dialog.showOpenDialog?.({
        title,
        buttonLabel,
        properties: ['openDirectory', 'createDirectory'],
      });
      return picked && !picked.canceled ? (picked.filePaths[0] ?? null) : null;
    },
  });
  const { settings, focus, syncNetwork, backups } = services;
  const displays = electron.screen.getAllDisplays();
  const windowState = await createWindowStateKeeper({
    filePath: path.join(userData, 'window-state.json'),
    layout: {
      workAreas: displays.map((display) => display.workArea),
      primary: electron.screen.getPrimaryDisplay().workArea,
    },
    onProblem: reportProblem,
    ...(options.windowStateDebounceMs === undefined
      ? {}
      : { debounceMs: options.windowStateDebounceMs }),
  });

  const backgroundColor = (): string =>
    electron.nativeTheme.shouldUseDarkColors ? WINDOW_BACKGROUND.dark : WINDOW_BACKGROUND.light;
  const applyTheme = (next: AppSettings): void => {
    electron.nativeTheme.themeSource = next.theme;
    if (mainWindow && !mainWindow.isDestroyed()) mainWindow.setBackgroundColor(backgroundColor());
  };
  applyTheme(settings.get());
  settings.subscribe(applyTheme);

  hardenSession(electron.session.defaultSession, location);
  if (!location.devServerUrl) {
    electron.protocol.handle(
      APP_SCHEME,
      createAppProtocolHandler({
        rendererDir: path.dirname(options.paths.rendererIndex),
        policy: () => CONTENT_SECURITY_POLICY,
      }),
    );
  }

  const trayNotice = await createTrayNotice({
    filePath: path.join(userData, 'tray-notice.json'),
    Notification: electron.Notification,
    showMessageBox: (box) => electron.dialog.showMessageBox(box),
    showWindow,
    now: () => clock.now(),
  });

  registerIpc({
    ipcMain: electron.ipcMain,
    handlers: services.handlers,
    isTrustedSender: createSenderCheck(appContents, location),
  });
  // Before the other quit steps: the window hands over a last backup of its workspace first.
  installQuitBackup({
    app,
    service: backups,
    requestBackup: () => {
      if (!appContents()) return false;
      broadcast('backups:flush', { reason: 'quit' });
      return true;
    },
  });

  function createWindow(): AppWindow {
    // The saved position is used for the first window; a window re-created later (macOS dock)
    // opens where the last one was, which the keeper has been tracking.
    const { bounds, isMaximized } = windowState.initial;
    const window = new electron.BrowserWindow({
      ...bounds,
      minWidth: MIN_WINDOW_SIZE.width,
      minHeight: MIN_WINDOW_SIZE.height,
      show: false,
      title: 'Outpost',
      backgroundColor: backgroundColor(),
      autoHideMenuBar: true,
      ...(platform === 'linux' ? { icon: path.join(options.paths.iconDir, 'icon.png') } : {}),
      webPreferences: { ...SECURE_WEB_PREFERENCES, preload: options.paths.preload },
    });
    mainWindow = window;
    harden(window.webContents);
    windowState.track(window);

    window.once('ready-to-show', () => {
      if (isMaximized) window.maximize();
      window.show();
      const pending = problems.splice(0);
      if (pending.length > 0) {
        void electron.dialog.showMessageBox({
          type: 'warning',
          title: 'Outpost',
          message: 'Outpost started with some of its own settings reset.',
          detail: pending.join('\n\n'),
        });
      }
    });
    // Closing hides the window instead of destroying it, on every platform: its renderer holds
    // the open workspace and its sync, which keep running until the person quits from the tray.
    window.on('close', (event) => {
      if (!quitting && tray && settings.get().closeToTray) {
        event.preventDefault();
        window.hide();
        trayNotice.windowHidden();
      }
    });
    // Windows logoff or shutdown closes windows without before-quit; hiding to the tray then
    // would hold the session up.
    window.on('session-end', () => {
      quitting = true;
    });
    window.on('closed', () => {
      if (mainWindow === window) mainWindow = null;
    });

    const loaded = window.loadURL(location.devServerUrl ?? APP_INDEX_URL);
    loaded.catch((error: unknown) => {
      console.error('The Outpost window failed to load:', error);
      // Without a loaded page ready-to-show may never come; a visible (blank) window at least
      // tells the person something is wrong instead of Outpost seeming not to start.
      if (!window.isDestroyed()) window.show();
    });
    return window;
  }

  tray = createTray({
    Tray: electron.Tray,
    Menu: electron.Menu,
    nativeImage: electron.nativeImage,
    iconDir: options.paths.iconDir,
    platform,
    onShow: showWindow,
    onQuit: quit,
  });

  const focusDesktop = attachFocusDesktop({
    service: focus,
    electron,
    platform,
    timers: clock.timers,
    now: () => clock.now(),
    tray: () => tray,
    showWindow,
    isLocked: () => services.lock.isLocked(),
    ...(options.idlePollMs === undefined ? {} : { pollMs: options.idlePollMs }),
  });

  // The page locks itself when the system sleeps or locks its screen, if the person set it to.
  forwardSystemLocks(electron.powerMonitor, broadcast);

  // An always-on-top break window on each display while a break runs (breakWindows.ts).
  const breakWindows = attachBreakWindows({
    service: focus,
    BrowserWindow: electron.BrowserWindow,
    screen: electron.screen,
    log: (message) => console.warn(message),
  });

  app.on('before-quit', () => {
    quitting = true;
    windowState.flushSync();
    focusDesktop.dispose();
    breakWindows.dispose();
    // Also sends the mDNS goodbye so LAN peers drop this server at once.
    services.closeNow();
  });
  app.on('window-all-closed', () => {
    // macOS apps stay in the dock with no window; elsewhere no window (and not hidden to the
    // tray, which keeps the window) means the person closed Outpost.
    if (platform !== 'darwin') app.quit();
  });

  // Before the app's page exists: it takes what builds that loaded file:// stored over at start.
  if (!location.devServerUrl)
    await exportOldOrigin({
      migration: services.migration,
      dataDir: userData,
      BrowserWindow: electron.BrowserWindow,
      webPreferences: { ...SECURE_WEB_PREFERENCES },
      log: (message) => console.warn(message),
    });

  ready = true;
  createWindow();

  return {
    settings,
    windowState,
    focus,
    syncNetwork,
    backups,
    window: () => mainWindow,
    showWindow,
    quit,
  };
}
