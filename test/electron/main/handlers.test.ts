import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { IpcEvent } from '../../../shared/ipc/channels';
import { createIpcDispatch, IpcUserError } from '../../../shared/ipc/dispatch';
import { createHandlers } from '../../../electron/main/handlers';
import { createSettingsStore } from '../../../electron/main/settingsStore';
import { useTmpDir } from '../tmpDir';

const makeTmpDir = useTmpDir();

async function setUp() {
  const dir = await makeTmpDir();
  const file = path.join(dir, 'settings.json');
  const settings = await createSettingsStore(file, { onProblem: () => undefined });
  const opened: string[] = [];
  const events: { event: IpcEvent; payload: unknown }[] = [];
  const handlers = createHandlers({
    info: { name: 'Outpost', version: '1.2.3', platform: 'darwin', shell: 'web' },
    settings,
    openExternal: (url) => {
      opened.push(url);
      return Promise.resolve();
    },
    broadcast: (event, payload) => events.push({ event, payload }),
  });
  const dispatch = createIpcDispatch(handlers, { isTrustedSender: () => true });
  return { dir, file, settings, opened, events, handlers, dispatch };
}

describe('createHandlers', () => {
  it('app:getInfo answers the info it was given', async () => {
    const { dispatch } = await setUp();
    expect(await dispatch('app:getInfo', null, undefined)).toEqual({
      ok: true,
      value: { name: 'Outpost', version: '1.2.3', platform: 'darwin', shell: 'web' },
    });
  });

  it('settings:update saves, answers the new settings and broadcasts them', async () => {
    const { dispatch, events, file } = await setUp();
    const result = await dispatch('settings:update', null, { closeToTray: false });
    const expected = { theme: 'system', closeToTray: false };
    expect(result).toEqual({ ok: true, value: expected });
    expect(events).toEqual([{ event: 'settings:changed', payload: expected }]);
    expect(await dispatch('settings:get', null, undefined)).toEqual({ ok: true, value: expected });

    const reopened = await createSettingsStore(file, { onProblem: () => undefined });
    expect(reopened.get()).toEqual(expected);
  });

  it('shell:openExternal opens web and mail links', async () => {
    const { dispatch, opened } = await setUp();
    expect(await dispatch('shell:openExternal', null, { url: 'https://example.com/x' })).toEqual({
      ok: true,
      value: null,
    });
    await dispatch('shell:openExternal', null, { url: 'mailto:a@example.com' });
    expect(opened).toEqual(['https://example.com/x', 'mailto:a@example.com']);
  });

  it('shell:openExternal refuses other links with invalid-url and a clear message', async () => {
    const { dispatch, opened } = await setUp();
    for (const [url, scheme] of [
      ['javascript:alert(1)', 'javascript:'],
      ['file:///etc/passwd', 'file:'],
      ['ms-settings:privacy', 'ms-settings:'],
      ['example.com', 'no scheme'],
    ] as const) {
      const result = await dispatch('shell:openExternal', null, { url });
      expect(result).toEqual({
        ok: false,
        error: {
          code: 'invalid-url',
          message: `Outpost opens only web (http, https) and e-mail (mailto) links; this link (${scheme}) was not opened.`,
        },
      });
    }
    expect(opened).toEqual([]);
  });

  it('throws IpcUserError for a refused link when called directly (as web mode does)', async () => {
    const { handlers } = await setUp();
    await expect(
      handlers['shell:openExternal']({ url: 'javascript:void 0' }),
    ).rejects.toBeInstanceOf(IpcUserError);
  });
});

describe('settings:update when the disk refuses', () => {
  it('answers settings-not-saved with the reason, keeps the old settings, broadcasts nothing', async () => {
    const dir = await makeTmpDir();
    const blocker = path.join(dir, 'blocker');
    const settings = await createSettingsStore(path.join(blocker, 'settings.json'), {
      onProblem: () => undefined,
    });
    await writeFile(blocker, 'a file where the settings folder should be');
    const events: unknown[] = [];
    const dispatch = createIpcDispatch(
      createHandlers({
        info: { name: 'Outpost', version: '0', platform: 'linux', shell: 'electron' },
        settings,
        openExternal: () => Promise.resolve(),
        broadcast: (event, payload) => events.push({ event, payload }),
      }),
      { isTrustedSender: () => true },
    );
    const result = await dispatch('settings:update', null, { theme: 'dark' });
    expect(result).toMatchObject({
      ok: false,
      error: {
        code: 'settings-not-saved',
        message: expect.stringMatching(/^Your settings could not be saved: /),
      },
    });
    expect(settings.get().theme).toBe('system');
    expect(events).toEqual([]);
  });
});
