/**
 * A small fake of the Electron API surface (electron/main/app.ts ElectronSurface). Only the edge
 * is faked: everything behind it (settings on disk, window state, IPC dispatch and validation,
 * security checks) runs for real in the tests.
 */
import { fork } from 'node:child_process';
import path from 'node:path';
import type { BrowserWindowConstructorOptions } from 'electron';
import type { ServerChild } from '../../electron/main/signaling/serverHost';
import type { ElectronSurface } from '../../electron/main/app';
import type { TrayMenuItem } from '../../electron/main/tray';
import type { Rect } from '../../electron/main/windowState';
import { FakeProtocol } from './fakeProtocol';
import { FakeSafeStorage } from './fakeSafeStorage';
import { FakeEmitter, FakeEvent } from './fakeEmitter';
import { FakeSystemPreferences } from './fakeSystemPreferences';

export { FakeEmitter, FakeEvent, FakeSafeStorage, FakeSystemPreferences };

export interface FakeFrame {
  url: string;
  parent: FakeFrame | null;
  processId: number;
  routingId: number;
}

let nextContentsId = 1;

export class FakeWebContents extends FakeEmitter {
  readonly id = nextContentsId++;
  readonly mainFrame: FakeFrame;
  readonly sent: { channel: string; args: unknown[] }[] = [];
  windowOpenHandler: ((details: { url: string }) => { action: 'deny' }) | null = null;
  destroyed = false;
  /** Scripts run in this page (executeJavaScript), and what the page answers. */
  readonly executed: string[] = [];
  answerScript: () => Promise<unknown> = () => Promise.reject(new Error('No page script here'));

  constructor(url = 'about:blank') {
    super();
    this.mainFrame = { url, parent: null, processId: 7, routingId: this.id };
  }

  isDestroyed(): boolean {
    return this.destroyed;
  }
  getURL(): string {
    return this.mainFrame.url;
  }
  send(channel: string, ...args: unknown[]): void {
    this.sent.push({ channel, args });
  }
  executeJavaScript(code: string): Promise<unknown> {
    this.executed.push(code);
    return this.answerScript();
  }
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void {
    this.windowOpenHandler = handler;
  }
  /** A child frame of this page (an iframe). */
  subframe(url: string): FakeFrame {
    return { url, parent: this.mainFrame, processId: 7, routingId: 1000 + this.id };
  }
}

export class FakeWindow extends FakeEmitter {
  readonly webContents = new FakeWebContents();
  visible = false;
  minimized = false;
  maximized = false;
  destroyed = false;
  focused = false;
  bounds: Rect;
  backgroundColor: string;
  readonly loaded: { kind: 'url'; target: string }[] = [];
  /** When set, loading a page fails with this error, as a missing renderer file would. */
  loadError: Error | null = null;

  constructor(readonly options: BrowserWindowConstructorOptions) {
    super();
    this.bounds = {
      x: options.x ?? 0,
      y: options.y ?? 0,
      width: options.width ?? 800,
      height: options.height ?? 600,
    };
    this.backgroundColor = options.backgroundColor ?? '';
  }

  loadURL(url: string): Promise<void> {
    this.loaded.push({ kind: 'url', target: url });
    if (this.loadError) return Promise.reject(this.loadError);
    this.webContents.mainFrame.url = url;
    return Promise.resolve();
  }
  show(): void {
    this.visible = true;
  }
  hide(): void {
    this.visible = false;
    this.focused = false;
  }
  focus(): void {
    this.focused = true;
  }
  restore(): void {
    this.minimized = false;
  }
  maximize(): void {
    this.maximized = true;
  }
  isMinimized(): boolean {
    return this.minimized;
  }
  isMaximized(): boolean {
    return this.maximized;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  getNormalBounds(): Rect {
    return { ...this.bounds };
  }
  setBackgroundColor(color: string): void {
    this.backgroundColor = color;
  }
  /** What clicking the window's close button does in Electron. */
  close(): FakeEvent {
    const event = new FakeEvent();
    this.emit('close', event);
    if (!event.defaultPrevented) {
      this.destroyed = true;
      this.visible = false;
      this.webContents.destroyed = true;
      this.emit('closed');
    }
    return event;
  }
  moveTo(bounds: Rect): void {
    this.bounds = bounds;
    this.emit('move');
  }
}

export class FakeIpcMain {
  readonly handlers = new Map<string, (event: unknown, ...args: unknown[]) => unknown>();
  handle(channel: string, listener: (event: never, ...args: unknown[]) => unknown): void {
    if (this.handlers.has(channel))
      throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, listener as (event: unknown, ...args: unknown[]) => unknown);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  /** What ipcRenderer.invoke(channel, ...args) from `event`'s frame does. */
  invoke(channel: string, event: unknown, ...args: unknown[]): Promise<unknown> {
    const handler = this.handlers.get(channel);
    if (!handler) return Promise.reject(new Error(`No handler registered for '${channel}'`));
    return Promise.resolve(handler(event, ...args));
  }
}

type PermissionRequestHandler = (
  contents: { getURL(): string },
  permission: string,
  callback: (granted: boolean) => void,
  details: { requestingUrl?: string },
) => void;
type PermissionCheckHandler = (
  contents: { getURL(): string } | null,
  permission: string,
  origin: string,
  details: { requestingUrl?: string },
) => boolean;
type HeaderMap = Record<string, string | string[]>;
type HeadersListener = (
  details: { url: string; responseHeaders?: HeaderMap },
  callback: (response: { responseHeaders?: HeaderMap }) => void,
) => void;

export class FakeSession {
  requestHandler: PermissionRequestHandler | null = null;
  checkHandler: PermissionCheckHandler | null = null;
  headersListener: HeadersListener | null = null;

  setPermissionRequestHandler(handler: PermissionRequestHandler): void {
    this.requestHandler = handler;
  }
  setPermissionCheckHandler(handler: PermissionCheckHandler): void {
    this.checkHandler = handler;
  }
  readonly webRequest = {
    onHeadersReceived: (listener: HeadersListener): void => {
      this.headersListener = listener;
    },
  };

  /** Asks the installed request handler, as Chromium would, and returns its answer. */
  request(permission: string, requestingUrl: string): boolean {
    let granted: boolean | undefined;
    this.requestHandler?.(
      { getURL: () => requestingUrl },
      permission,
      (value) => (granted = value),
      {
        requestingUrl,
      },
    );
    if (granted === undefined) throw new Error('The permission handler never answered.');
    return granted;
  }

  /** Runs a response through the header listener and returns what the listener answered. */
  respond(url: string, responseHeaders: HeaderMap): { responseHeaders?: HeaderMap } {
    let answer: { responseHeaders?: HeaderMap } | undefined;
    this.headersListener?.({ url, responseHeaders }, (response) => (answer = response));
    if (!answer) throw new Error('The header listener never answered.');
    return answer;
  }
}

export class FakeApp extends FakeEmitter {
  isPackaged = false;
  /** Set once whenReady was called (the fake is ready at once). */
  ready = false;
  readonly quitCalls: number[] = [];
  readonly userModelIds: string[] = [];

  constructor(
    private readonly userData: string,
    private readonly lock: boolean,
  ) {
    super();
  }

  requestSingleInstanceLock(): boolean {
    return this.lock;
  }
  quit(): void {
    this.quitCalls.push(Date.now());
  }
  whenReady(): Promise<void> {
    this.ready = true;
    return Promise.resolve();
  }
  getPath(name: 'userData'): string {
    if (name !== 'userData') throw new Error(`unexpected path ${String(name)}`);
    return this.userData;
  }
  getName(): string {
    return 'Outpost';
  }
  getVersion(): string {
    return '0.1.0';
  }
  setAppUserModelId(id: string): void {
    this.userModelIds.push(id);
  }
}

export class FakeTray extends FakeEmitter {
  toolTip = '';
  menu: TrayMenuItem[] | null = null;
  destroyed = false;
  constructor(readonly image: { path: string }) {
    super();
  }
  setToolTip(toolTip: string): void {
    this.toolTip = toolTip;
  }
  /** The macOS menu-bar text beside the icon. */
  title = '';
  setTitle(title: string): void {
    this.title = title;
  }
  setContextMenu(menu: TrayMenuItem[] | null): void {
    this.menu = menu;
  }
  destroy(): void {
    this.destroyed = true;
  }
  /** Clicks the menu item with this label. */
  clickItem(label: string): void {
    const item = this.menu?.find((entry) => entry.label === label);
    if (!item?.click) throw new Error(`No menu item "${label}"`);
    item.click();
  }
}

/** A native notification as Outpost built it; `click`/`action` play the person's part. */
export class FakeNotification extends FakeEmitter {
  shown = false;
  /** Epoch ms of the fake clock when shown (set by the test's clock, if it gives one). */
  shownAt: number | null = null;
  constructor(
    readonly options: {
      title: string;
      body: string;
      silent: boolean;
      actions?: { type: 'button'; text: string }[];
    },
    private readonly onShow: (notification: FakeNotification) => void,
  ) {
    super();
  }
  show(): void {
    this.shown = true;
    this.onShow(this);
  }
  click(): void {
    this.emit('click');
  }
  /** Presses the action button with this label, as Electron 45 reports it. */
  pressAction(text: string): void {
    const index = this.options.actions?.findIndex((action) => action.text === text) ?? -1;
    if (index < 0) throw new Error(`No action "${text}" on "${this.options.title}"`);
    this.emit('action', { actionIndex: index, selectionIndex: -1 }, index);
  }
}

/** powerMonitor with a settable idle time; `emit` plays suspend, resume and screen locks. */
export class FakePowerMonitor extends FakeEmitter {
  idleSeconds = 0;
  getSystemIdleTime(): number {
    return this.idleSeconds;
  }
}

export interface FakeElectron {
  readonly surface: ElectronSurface<{ path: string }, TrayMenuItem[]>;
  readonly app: FakeApp;
  readonly windows: FakeWindow[];
  readonly trays: FakeTray[];
  readonly ipcMain: FakeIpcMain;
  readonly session: FakeSession;
  readonly protocol: FakeProtocol;
  readonly opened: string[];
  readonly dialogs: { message: string; detail: string }[];
  readonly nativeTheme: { themeSource: 'system' | 'light' | 'dark'; shouldUseDarkColors: boolean };
  /** Every notification shown, in order. */
  readonly notifications: FakeNotification[];
  readonly powerMonitor: FakePowerMonitor;
  readonly safeStorage: FakeSafeStorage;
  readonly systemPreferences: FakeSystemPreferences;
  /**
   * Windows that loaded a file:// page: the hidden window reading the old origin
   * (electron/main/migration/). Kept apart from `windows`, which are the app's.
   */
  readonly oldOriginWindows: FakeWindow[];
  /** Every utility process started: the module the app asked for, and the Node child run. */
  readonly utilityProcesses: FakeUtilityProcess[];
}

/** The built server module the app names, and the source a test runs in its place. */
const UTILITY_SOURCES: Record<string, string> = {
  'signalingServer.js': path.join(
    import.meta.dirname,
    '../../electron/main/signaling/serverProcess.ts',
  ),
};

/**
 * Electron's utilityProcess.fork, played by Node's: the module runs for real in a child process
 * (from its TypeScript source, through tsx), and talks over Node's IPC channel instead of
 * Electron's parentPort; serverProcess.ts speaks both.
 */
export class FakeUtilityProcess implements ServerChild {
  readonly child;
  constructor(
    readonly modulePath: string,
    readonly serviceName: string | undefined,
  ) {
    const source = UTILITY_SOURCES[path.basename(modulePath)];
    if (!source) throw new Error(`No utility process module ${modulePath}`);
    this.child = fork(source, [], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
  }
  postMessage(message: unknown): void {
    if (this.child.connected) this.child.send(message as object);
  }
  on(event: 'message' | 'exit', listener: (value: never) => void): this {
    if (event === 'message') this.child.on('message', listener as (message: unknown) => void);
    else this.child.on('exit', (code) => (listener as (code: number) => void)(code ?? -1));
    return this;
  }
  kill(): boolean {
    return this.child.kill();
  }
}

export function createFakeElectron(options: {
  userData: string;
  lock?: boolean;
  workAreas?: Rect[];
  /** Every window fails to load its page. */
  failLoad?: boolean;
  /** The clock that stamps shown notifications (a test's fake clock). */
  now?: () => number;
  /** False plays a system without notification support. */
  notificationsSupported?: boolean;
  /** The keychain (a test may pass one to keep it across starts, as a user's keychain is). */
  safeStorage?: FakeSafeStorage;
  /**
   * What the old file:// origin's export answers (electron/main/migration/exportScript.ts):
   * by default an export with no database, as on a new install; an Error makes it fail.
   */
  oldOrigin?: string | Error;
}): FakeElectron {
  const safeStorage = options.safeStorage ?? new FakeSafeStorage();
  const systemPreferences = new FakeSystemPreferences();
  const app = new FakeApp(options.userData, options.lock ?? true);
  const windows: FakeWindow[] = [];
  const oldOriginWindows: FakeWindow[] = [];
  const oldOrigin =
    options.oldOrigin ?? JSON.stringify({ format: 'outpost-origin-export', v: 1, databases: [] });
  const trays: FakeTray[] = [];
  const ipcMain = new FakeIpcMain();
  const session = new FakeSession();
  const protocol = new FakeProtocol(() => app.ready);
  const opened: string[] = [];
  const dialogs: { message: string; detail: string }[] = [];
  const notifications: FakeNotification[] = [];
  const utilityProcesses: FakeUtilityProcess[] = [];
  const powerMonitor = new FakePowerMonitor();
  const notificationsSupported = options.notificationsSupported ?? true;
  const workAreas = options.workAreas ?? [{ x: 0, y: 0, width: 1920, height: 1040 }];
  const nativeTheme = {
    themeSource: 'system' as 'system' | 'light' | 'dark',
    get shouldUseDarkColors() {
      return this.themeSource === 'dark';
    },
  };

  class BrowserWindow extends FakeWindow {
    constructor(windowOptions: BrowserWindowConstructorOptions) {
      super(windowOptions);
      if (options.failLoad) this.loadError = new Error('ERR_FILE_NOT_FOUND (-6)');
      windows.push(this);
      this.webContents.answerScript = () =>
        oldOrigin instanceof Error ? Promise.reject(oldOrigin) : Promise.resolve(oldOrigin);
      // Electron announces every new WebContents on the app, as the real one does.
      app.emit('web-contents-created', new FakeEvent(), this.webContents);
    }
    /** A file:// page is the old origin's (the app's own page is app://): listed apart. */
    override loadURL(url: string): Promise<void> {
      if (url.startsWith('file:') && windows.includes(this)) {
        windows.splice(windows.indexOf(this), 1);
        oldOriginWindows.push(this);
      }
      return super.loadURL(url);
    }
  }
  class Tray extends FakeTray {
    constructor(image: { path: string }) {
      super(image);
      trays.push(this);
    }
  }

  class Notification extends FakeNotification {
    static isSupported(): boolean {
      return notificationsSupported;
    }
    constructor(notificationOptions: FakeNotification['options']) {
      super(notificationOptions, (shown) => {
        shown.shownAt = options.now ? options.now() : Date.now();
        notifications.push(shown);
      });
    }
  }

  const surface: FakeElectron['surface'] = {
    app,
    BrowserWindow,
    ipcMain,
    Tray,
    Menu: { buildFromTemplate: (template) => template },
    nativeImage: { createFromPath: (path) => ({ path }) },
    nativeTheme,
    screen: {
      getAllDisplays: () => workAreas.map((workArea) => ({ workArea })),
      getPrimaryDisplay: () => ({ workArea: workAreas[0]! }),
    },
    shell: {
      openExternal: (url) => {
        opened.push(url);
        return Promise.resolve();
      },
    },
    session: { defaultSession: session },
    protocol,
    Notification,
    powerMonitor,
    safeStorage,
    systemPreferences,
    dialog: {
      showMessageBox: (box) => {
        dialogs.push({ message: box.message, detail: box.detail });
        return Promise.resolve({ response: 0 });
      },
    },
    utilityProcess: {
      fork: (modulePath, _args, forkOptions) => {
        const made = new FakeUtilityProcess(modulePath, forkOptions?.serviceName);
        utilityProcesses.push(made);
        return made;
      },
    },
  };
  return {
    surface,
    app,
    windows,
    trays,
    ipcMain,
    session,
    protocol,
    opened,
    dialogs,
    nativeTheme,
    notifications,
    powerMonitor,
    safeStorage,
    systemPreferences,
    oldOriginWindows,
    utilityProcesses,
  };
}
