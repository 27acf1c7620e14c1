import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { IPC_CHANNELS } from '../../../shared/ipc/channels';
import { DEFAULT_SETTINGS, type AppSettings } from '../../../shared/ipc/contract';
import type { IpcHandlers } from '../../../shared/ipc/dispatch';
import { createHandlers } from '../../../electron/main/handlers';
import { createBroadcast, createSenderCheck, registerIpc } from '../../../electron/main/ipc';
import type { AppLocation } from '../../../electron/main/security';
import { APP_INDEX_URL } from '../../../electron/main/appProtocol';
import { createSettingsStore } from '../../../electron/main/settingsStore';
import { FakeIpcMain, FakeWebContents, type FakeFrame } from '../fakeElectron';
import { useTmpDir } from '../tmpDir';

const makeTmpDir = useTmpDir();
const appUrl = APP_INDEX_URL;
const location: AppLocation = {};

async function setUp(overrides: Partial<IpcHandlers> = {}) {
  const dir = await makeTmpDir();
  const settings = await createSettingsStore(path.join(dir, 'settings.json'), {
    onProblem: () => undefined,
  });
  const appContents = new FakeWebContents(appUrl);
  const ipcMain = new FakeIpcMain();
  const errors: { channel: string; error: unknown }[] = [];
  const opened: string[] = [];
  const handlers = {
    ...createHandlers({
      info: { name: 'Outpost', version: '0.1.0', platform: 'linux', shell: 'electron' },
      settings,
      openExternal: (url) => {
        opened.push(url);
        return Promise.resolve();
      },
      broadcast: createBroadcast(() => appContents),
    }),
    ...overrides,
  };
  const registration = registerIpc({
    ipcMain,
    handlers,
    isTrustedSender: createSenderCheck(() => appContents, location),
    onError: (channel, error) => errors.push({ channel, error }),
  });
  const fromApp = { sender: appContents, senderFrame: appContents.mainFrame };
  const invoke = (channel: string, input?: unknown, event: unknown = fromApp) =>
    ipcMain.invoke(channel, event, input);
  return { settings, appContents, ipcMain, errors, opened, registration, fromApp, invoke };
}

describe('registerIpc', () => {
  it('registers exactly the channels of the contract', async () => {
    const { ipcMain, registration } = await setUp();
    expect([...ipcMain.handlers.keys()].sort()).toEqual([...IPC_CHANNELS].sort());
    registration.unregister();
    expect(ipcMain.handlers.size).toBe(0);
  });

  it('answers a trusted call with an ok result', async () => {
    const { invoke } = await setUp();
    expect(await invoke('app:getInfo')).toEqual({
      ok: true,
      value: { name: 'Outpost', version: '0.1.0', platform: 'linux', shell: 'electron' },
    });
    expect(await invoke('settings:get')).toEqual({ ok: true, value: DEFAULT_SETTINGS });
  });

  it('rejects bad arguments with invalid-argument, naming the field', async () => {
    const { invoke, settings } = await setUp();
    const badTheme = await invoke('settings:update', { theme: 'purple' });
    expect(badTheme).toMatchObject({ ok: false, error: { code: 'invalid-argument' } });
    expect(JSON.stringify(badTheme)).toMatch(/settings:update: theme: /);

    const badUrl = await invoke('shell:openExternal', { url: 42 });
    expect(badUrl).toMatchObject({
      ok: false,
      error: { code: 'invalid-argument', message: expect.stringMatching(/url/) },
    });

    const extraKey = await invoke('settings:update', { theme: 'dark', nodeIntegration: true });
    expect(extraKey).toMatchObject({ ok: false, error: { code: 'invalid-argument' } });
    expect(JSON.stringify(extraKey)).toMatch(/nodeIntegration/);

    const inputWhereNoneIsTaken = await invoke('settings:get', { sneaky: true });
    expect(inputWhereNoneIsTaken).toMatchObject({ ok: false, error: { code: 'invalid-argument' } });

    expect(settings.get()).toEqual(DEFAULT_SETTINGS);
  });

  describe('rejects untrusted senders with forbidden, before running the handler', () => {
    const cases: [string, (app: FakeWebContents) => unknown][] = [
      [
        'a subframe of the app window',
        (app) => ({ sender: app, senderFrame: app.subframe(appUrl) }),
      ],
      [
        'another WebContents',
        () => {
          const other = new FakeWebContents(appUrl);
          return { sender: other, senderFrame: other.mainFrame };
        },
      ],
      [
        'another WebContents claiming the app frame',
        (app) => ({
          sender: new FakeWebContents(appUrl),
          senderFrame: app.mainFrame,
        }),
      ],
      [
        'the app window showing a foreign URL',
        (app) => {
          const frame: FakeFrame = { ...app.mainFrame, url: 'https://evil.example.com/' };
          return { sender: app, senderFrame: frame };
        },
      ],
      ['a frame that is gone (senderFrame null)', (app) => ({ sender: app, senderFrame: null })],
      [
        'a main frame other than the window’s',
        (app) => ({
          sender: app,
          senderFrame: { ...app.mainFrame, routingId: app.mainFrame.routingId + 1 },
        }),
      ],
      [
        'a child frame claiming the main frame’s ids',
        (app) => ({ sender: app, senderFrame: { ...app.mainFrame, parent: app.mainFrame } }),
      ],
      ['no event at all', () => null],
    ];
    for (const [name, makeEvent] of cases) {
      it(name, async () => {
        const { invoke, appContents, settings } = await setUp();
        const result = await invoke('settings:update', { theme: 'dark' }, makeEvent(appContents));
        expect(result).toEqual({
          ok: false,
          error: {
            code: 'forbidden',
            message: 'The caller is not allowed to use settings:update.',
          },
        });
        expect(settings.get().theme).toBe('system');
        expect(appContents.sent).toEqual([]);
      });
    }
  });

  it('rejects calls once the app window is destroyed', async () => {
    const { invoke, appContents } = await setUp();
    appContents.destroyed = true;
    expect(await invoke('app:getInfo')).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('rejects an unknown channel', async () => {
    const { registration, fromApp, ipcMain } = await setUp();
    expect(await registration.dispatch('fs:readFile', fromApp, '/etc/passwd')).toEqual({
      ok: false,
      error: { code: 'unknown-channel', message: 'Unknown IPC channel: fs:readFile' },
    });
    await expect(ipcMain.invoke('fs:readFile', fromApp, '/etc/passwd')).rejects.toThrow(
      /No handler/,
    );
  });

  it('turns a handler exception into an internal result without leaking its details', async () => {
    const { invoke, errors } = await setUp({
      'app:getInfo': () => {
        throw new Error('secret path /home/someone/.config');
      },
    });
    const result = await invoke('app:getInfo');
    expect(result).toEqual({
      ok: false,
      error: {
        code: 'internal',
        message: 'app:getInfo failed unexpectedly. Details are in the log.',
      },
    });
    expect(errors).toHaveLength(1);
    expect(errors[0]?.channel).toBe('app:getInfo');
    expect(String(errors[0]?.error)).toContain('secret path');
  });
});

describe('createBroadcast', () => {
  it('sends a valid event to the app window', () => {
    const contents = new FakeWebContents(appUrl);
    const payload: AppSettings = { theme: 'dark', closeToTray: false };
    createBroadcast(() => contents)('settings:changed', payload);
    expect(contents.sent).toEqual([{ channel: 'settings:changed', args: [payload] }]);
  });

  it('refuses a malformed payload and skips a missing or destroyed window', () => {
    const contents = new FakeWebContents(appUrl);
    const broadcast = createBroadcast(() => contents);
    expect(() => broadcast('settings:changed', { theme: 'neon' } as never)).toThrow();
    contents.destroyed = true;
    broadcast('settings:changed', DEFAULT_SETTINGS);
    expect(contents.sent).toEqual([]);
    expect(() => createBroadcast(() => null)('settings:changed', DEFAULT_SETTINGS)).not.toThrow();
  });
});
