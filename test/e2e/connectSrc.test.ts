/**
 * What the page's connect-src (electron/main/security.ts, sent by app:// and the web companion
 * alike) lets sync do, in Chromium: a WebSocket to a server on an address and port no policy
 * could list in advance (as a LAN signaling server found by mDNS is) opens, while fetch() to any
 * origin but the page's own is refused as a connect-src violation. Why it cannot be narrowed
 * further: docs/ARCHITECTURE.md, "Security".
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { SKIP_REASON, chromiumAvailable, onboard, startApp, type RunningApp } from './harness';

if (!chromiumAvailable()) console.warn(SKIP_REASON);

describe.runIf(chromiumAvailable())('connect-src in Chromium', () => {
  let app: RunningApp | undefined;
  let http: Server;
  let sockets: WebSocketServer;
  beforeAll(async () => {
    http = createServer((_request, response) => response.end('reached'));
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    sockets = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise((resolve) => sockets.once('listening', resolve));
    app = await startApp();
    await onboard(app.page, 'Ana');
  });
  afterAll(async () => {
    await app?.close();
    sockets?.close();
    await new Promise((resolve) => http?.close(resolve));
  });

  it('opens WebSockets to any address, and refuses fetch() to any origin but its own', async () => {
    const { page } = app!;
    const wsPort = (sockets.address() as AddressInfo).port;
    const httpPort = (http.address() as AddressInfo).port;
    const answer = await page.evaluate(
      async ({ wsPort, httpPort }) => {
        // The first violation the page reports (the WebSocket must cause none).
        const violation = new Promise<string>((resolve) =>
          document.addEventListener(
            'securitypolicyviolation',
            (event) => resolve(`${event.violatedDirective} ${event.blockedURI}`),
            { once: true },
          ),
        );
        const socket = await new Promise<string>((resolve) => {
          const ws = new WebSocket(`ws://127.0.0.1:${wsPort}/`);
          ws.onopen = () => {
            ws.close();
            resolve('open');
          };
          ws.onerror = () => resolve('refused');
        });
        const fetched = await fetch(`http://127.0.0.1:${httpPort}/`).then(
          (response) => response.text(),
          () => 'refused',
        );
        const own = await fetch('/').then((response) => String(response.status));
        return { socket, fetched, own, violation: await violation };
      },
      { wsPort, httpPort },
    );
    expect(answer.socket).toBe('open');
    expect(answer.fetched).toBe('refused');
    expect(answer.own).toBe('200');
    expect(answer.violation).toBe(`connect-src http://127.0.0.1:${httpPort}/`);
  });
});
