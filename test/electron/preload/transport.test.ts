import { describe, expect, it } from 'vitest';
import { createOutpostApi } from '../../../shared/ipc/client';
import { createIpcRendererTransport } from '../../../electron/preload/transport';
import { FakeEmitter, FakeEvent } from '../fakeElectron';

/** Electron's ipcRenderer as the preload sees it: invoke goes to the main process, on/removeListener for events. */
class FakeIpcRenderer extends FakeEmitter {
  readonly invoked: { channel: string; args: unknown[] }[] = [];
  reply: unknown = { ok: true, value: 'pong' };
  invoke(channel: string, ...args: unknown[]): Promise<unknown> {
    this.invoked.push({ channel, args });
    return Promise.resolve(this.reply);
  }
}

describe('createIpcRendererTransport', () => {
  it('forwards calls on contract channels with their one argument', async () => {
    const ipc = new FakeIpcRenderer();
    const api = createOutpostApi(createIpcRendererTransport(ipc));
    expect(await api.invoke('settings:update', { theme: 'dark' })).toEqual({
      ok: true,
      value: 'pong',
    });
    expect(ipc.invoked).toEqual([{ channel: 'settings:update', args: [{ theme: 'dark' }] }]);
  });

  it('never sends a channel outside the contract', async () => {
    const ipc = new FakeIpcRenderer();
    const transport = createIpcRendererTransport(ipc);
    await expect(transport.invoke('fs:readFile' as never, '/etc/passwd')).rejects.toThrow();
    const api = createOutpostApi(transport);
    expect(await api.invoke('fs:readFile' as never, '/etc/passwd' as never)).toMatchObject({
      ok: false,
      error: { code: 'unknown-channel' },
    });
    expect(ipc.invoked).toEqual([]);
  });

  it('passes only the payload of an event to the page, never Electron’s event object', () => {
    const ipc = new FakeIpcRenderer();
    const api = createOutpostApi(createIpcRendererTransport(ipc));
    const received: unknown[][] = [];
    const unsubscribe = api.on('settings:changed', (...args: unknown[]) => received.push(args));
    ipc.emit('settings:changed', new FakeEvent(), { theme: 'light', closeToTray: true });
    expect(received).toEqual([[{ theme: 'light', closeToTray: true }]]);

    unsubscribe();
    expect(ipc.listenerCount('settings:changed')).toBe(0);
    ipc.emit('settings:changed', new FakeEvent(), { theme: 'dark', closeToTray: true });
    expect(received).toHaveLength(1);
  });

  it('refuses to listen to events outside the contract', () => {
    const ipc = new FakeIpcRenderer();
    const transport = createIpcRendererTransport(ipc);
    expect(() => transport.subscribe('ipc:anything' as never, () => undefined)).toThrow(
      /Unknown IPC event/,
    );
    expect(ipc.listenerCount('ipc:anything')).toBe(0);
  });
});
