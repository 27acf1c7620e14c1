/**
 * Connects the typed handlers to Electron's ipcMain. Every call passes the shared dispatcher,
 * which rejects unknown channels, untrusted senders and invalid arguments and always answers with
 * a Result. Only the app window's main frame, showing an app page, is a trusted sender.
 */
import { IPC_CHANNELS, type IpcEvent } from '../../shared/ipc/channels';
import { ipcEvents, type IpcEventPayload } from '../../shared/ipc/contract';
import { createIpcDispatch, type IpcDispatch, type IpcHandlers } from '../../shared/ipc/dispatch';
import { isAppUrl, type AppLocation } from './security';

/** The parts of a frame the sender check looks at (Electron's WebFrameMain). */
export interface SenderFrame {
  readonly url: string;
  readonly parent: unknown;
  readonly processId: number;
  readonly routingId: number;
}

/** The parts of the window's WebContents that IPC uses. */
export interface IpcWebContents {
  readonly id: number;
  readonly mainFrame: SenderFrame;
  isDestroyed(): boolean;
  send(channel: string, ...args: unknown[]): void;
}

/** What an ipcMain.handle listener receives as its first argument. */
export interface IpcInvokeEventLike {
  readonly sender: { readonly id: number };
  readonly senderFrame: SenderFrame | null;
}

export interface IpcMainLike {
  handle(
    channel: string,
    listener: (event: IpcInvokeEventLike, ...args: unknown[]) => unknown,
  ): void;
  removeHandler(channel: string): void;
}

/**
 * The trusted-sender rule: the call must come from the main frame of the app window's
 * WebContents, and that frame must show an app page (not a page it was somehow navigated to).
 */
export function createSenderCheck(
  getAppContents: () => IpcWebContents | null,
  app: AppLocation,
): (sender: unknown) => boolean {
  return (sender) => {
    if (typeof sender !== 'object' || sender === null) return false;
    const { sender: contents, senderFrame: frame } = sender as Partial<IpcInvokeEventLike>;
    const appContents = getAppContents();
    if (!appContents || appContents.isDestroyed() || !contents || !frame) return false;
    if (contents.id !== appContents.id) return false;
    const main = appContents.mainFrame;
    const isMainFrame =
      frame.parent === null &&
      (frame === main ||
        (frame.processId === main.processId && frame.routingId === main.routingId));
    return isMainFrame && isAppUrl(frame.url, app);
  };
}

export interface RegisterIpcOptions {
  readonly ipcMain: IpcMainLike;
  readonly handlers: IpcHandlers;
  readonly isTrustedSender: (sender: unknown) => boolean;
  readonly onError?: (channel: string, error: unknown) => void;
}

/** Registers every channel of the contract; returns the dispatcher and a function that unregisters. */
export function registerIpc(options: RegisterIpcOptions): {
  dispatch: IpcDispatch;
  unregister: () => void;
} {
  const dispatch = createIpcDispatch(options.handlers, {
    isTrustedSender: options.isTrustedSender,
    onError:
      options.onError ??
      ((channel, error) => console.error(`IPC handler ${channel} failed:`, error)),
  });
  for (const channel of IPC_CHANNELS) {
    options.ipcMain.handle(channel, (event, input) => dispatch(channel, event, input));
  }
  return {
    dispatch,
    unregister: () => {
      for (const channel of IPC_CHANNELS) options.ipcMain.removeHandler(channel);
    },
  };
}

/**
 * Sends an event of the contract to the app window, checked against its schema first so a bug
 * in the main process cannot push malformed data into the renderer.
 */
export function createBroadcast(
  getAppContents: () => IpcWebContents | null,
): <E extends IpcEvent>(event: E, payload: IpcEventPayload<E>) => void {
  return (event, payload) => {
    const checked = ipcEvents[event].parse(payload);
    const contents = getAppContents();
    if (contents && !contents.isDestroyed()) contents.send(event, checked);
  };
}
