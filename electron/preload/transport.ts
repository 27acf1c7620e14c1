/**
 * The IPC transport behind window.outpost in the desktop app. Imports no Electron value (index.ts
 * passes ipcRenderer in) and no validation library: the sandboxed preload is bundled into one
 * small file, and the main process validates everything anyway.
 */
import { isIpcChannel, isIpcEvent } from '../../shared/ipc/channels';
import type { IpcTransport } from '../../shared/ipc/client';

/** The parts of Electron's ipcRenderer the transport uses. */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

/** Builds a transport that passes only the contract's channels and events. */
export function createIpcRendererTransport(ipcRenderer: IpcRendererLike): IpcTransport {
  return {
    invoke(channel, input) {
      if (!isIpcChannel(channel)) return Promise.reject(new Error('Unknown IPC channel.'));
      return ipcRenderer.invoke(channel, input);
    },
    subscribe(event, listener) {
      if (!isIpcEvent(event)) throw new Error(`Unknown IPC event: ${String(event)}`);
      // Only the payload crosses into the page: Electron's event object carries the sender and
      // with it the whole ipcRenderer.
      const forward = (_event: unknown, payload: unknown): void => listener(payload);
      ipcRenderer.on(event, forward);
      return () => {
        ipcRenderer.removeListener(event, forward);
      };
    },
  };
}
