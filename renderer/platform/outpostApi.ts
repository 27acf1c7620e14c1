/**
 * Where the renderer finds `window.outpost`: the preload provides it in the desktop app; in web
 * mode the same contract is served by the companion over HTTP, with server-sent events for pushes.
 */
import { createOutpostApi, type IpcTransport } from '../../shared/ipc/client';
import type { OutpostApi } from '../../shared/ipc/contract';
import type { IpcEvent } from '../../shared/ipc/channels';

declare global {
  interface Window {
    outpost?: OutpostApi;
  }
}

function webToken(): string {
  return document.querySelector<HTMLMetaElement>('meta[name="outpost-token"]')?.content ?? '';
}

/** The transport to the web-mode companion that served this page. */
export function createWebTransport(): IpcTransport {
  const listeners = new Map<IpcEvent, Set<(payload: unknown) => void>>();
  let source: EventSource | null = null;
  const connect = () => {
    if (source) return;
    source = new EventSource(`/events?token=${encodeURIComponent(webToken())}`);
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
        headers: { 'content-type': 'application/json', 'x-outpost-token': webToken() },
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
