/**
 * Where the renderer finds `window.outpost`: the preload provides it in the desktop app; in web
 * mode the same contract is served by the companion over HTTP, with server-sent events for pushes.
 */
import { createOutpostApi, type IpcTransport } from '../../shared/ipc/client';
import type { IpcInput, IpcOutput, OutpostApi } from '../../shared/ipc/contract';
import type { Result } from '../../shared/result';
import type { IpcEvent } from '../../shared/ipc/channels';

declare global {
  interface Window {
    outpost?: OutpostApi;
  }
}

/**
 * The transport to the web-mode companion that served this page. It sends no secret of its own: the
 * browser adds the companion's HttpOnly session cookie to these same-origin requests
 * (electron/web/session.ts).
 */
export function createWebTransport(): IpcTransport {
  const listeners = new Map<IpcEvent, Set<(payload: unknown) => void>>();
  let source: EventSource | null = null;
  const connect = () => {
    if (source) return;
    source = new EventSource('/events');
    source.onmessage = (message) => {
      try {
        const { event, payload } = JSON.parse(message.data as string) as {
          event: IpcEvent;
          payload: unknown;
        };
        listeners.get(event)?.forEach((listener) => listener(payload));
      } catch (error) {
        console.warn('Ignored a malformed event from the companion', error);
      }
    };
  };
  return {
    async invoke(channel, input) {
      const response = await fetch(`/ipc/${channel}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ input: input ?? null }),
      });
      return (await response.json()) as unknown;
    },
    subscribe(event, listener) {
      connect();
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(listener);
      return () => set.delete(listener);
    },
  };
}

let api: OutpostApi | undefined;

/** The Outpost API of this shell (desktop or web). */
export function getOutpostApi(): OutpostApi {
  api ??= window.outpost ?? createOutpostApi(createWebTransport());
  return api;
}

/** The calls boot makes first; they take no input. */
type BootChannel = 'app:getInfo' | 'settings:get';
const early = new Map<BootChannel, Promise<Result<unknown>>>();

/**
 * Sends boot's first calls now, from the page's small entry script, so that their answers (a
 * round trip to the main process, or over HTTP in web mode) are in by the time the app boots.
 */
export function prefetchBootCalls(): void {
  for (const channel of ['app:getInfo', 'settings:get'] as const)
    early.set(channel, getOutpostApi().invoke(channel, undefined));
}

/** The answer to `channel`: the one asked for at start-up the first time, a fresh one after. */
export function bootCall<K extends BootChannel>(channel: K): Promise<Result<IpcOutput<K>>> {
  const asked = early.get(channel) as Promise<Result<IpcOutput<K>>> | undefined;
  early.delete(channel);
  return asked ?? getOutpostApi().invoke(channel, undefined as IpcInput<K>);
}
