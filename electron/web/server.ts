/**
 * Web mode's companion: a small Node process that serves the built renderer on loopback and answers
 * the same IPC contract as the desktop main process, with the same handlers and validation, over
 * HTTP (`POST /ipc/<channel>`) and server-sent events (`GET /events`). Only the person who started
 * it can call it: the browser they open its one-time link in (`/open?code=…`, printed in their
 * terminal) holds the session cookie every call needs, and calls must come from the same origin
 * (session.ts says why the page itself carries no secret).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import { platform } from 'node:os';
import path from 'node:path';
import { createIpcDispatch, IpcUserError } from '../../shared/ipc/dispatch';
import type { IpcEvent } from '../../shared/ipc/channels';
import { LARGE_BODY_CHANNELS, MAX_WORKSPACE_FILE_BASE64 } from '../../shared/ipc/backupsContract';
import { createMainServices, type ServiceClock, type SyncNetworkPlacement } from '../main/services';
import { CONTENT_SECURITY_POLICY } from '../main/security';
import { contentTypeFor, resolveRendererFile } from '../main/rendererFiles';
import { createWebSessions, type WebSessions } from './session';

export interface WebCompanionOptions {
  /** Folder with the built renderer (out/renderer). */
  readonly rendererDir: string;
  /** Where settings are kept. */
  readonly dataDir: string;
  readonly port?: number;
  readonly host?: string;
  readonly version?: string;
  readonly log?: (message: string) => void;
  /**
   * The LAN signaling server and mDNS the companion hosts like the desktop app (on by default, as
   * the sync settings say); tests bind loopback, a free port, and no mDNS outside a namespace.
   */
  readonly syncNetwork?: SyncNetworkPlacement;
  /** The focus timer's clock and timers (tests may pass a fake clock). */
  readonly clock?: ServiceClock;
}

export interface WebCompanion {
  /** The app's address; a browser must have opened a link from openLink() first. */
  readonly url: string;
  readonly port: number;
  /** A new link that signs one browser in, once (`<url>open?code=…`). */
  openLink(): string;
  close(): Promise<void>;
}

/** Another program (often an Outpost companion started earlier) listens on the port already. */
export class PortInUseError extends Error {
  override name = 'PortInUseError';
  constructor(
    readonly host: string,
    readonly port: number,
  ) {
    super(`Port ${port} on ${host} is already in use.`);
  }
}

/** Where a one-time link points. */
export const OPEN_PATH = '/open';

/** Build output named by content hash (Vite's `assets/name-HASH.ext`). */
const HASHED_ASSET = /(^|\/)assets\/[^/]+-[A-Za-z0-9_-]{8}\.[a-z0-9]+$/;

const MAX_BODY_BYTES = 1024 * 1024;
/** Channels that carry a whole workspace (backups, exports) take larger bodies from the page. */
const MAX_LARGE_BODY_BYTES = MAX_WORKSPACE_FILE_BASE64 + 64 * 1024;

interface WebSender {
  readonly origin: string | undefined;
  readonly host: string | undefined;
  readonly cookie: string | undefined;
}

/**
 * What a browser without a session sees instead of the app: where to get in. A page, not a bare
 * 403, because a person meets it (a bookmark, a restarted companion, another browser).
 */
function signInPage(reason: string): string {
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Outpost — open the link from the terminal</title>
    <style>
      :root { color-scheme: light dark; font-family: system-ui, sans-serif; }
      body { max-width: 36rem; margin: 15vh auto; padding: 0 1.5rem; line-height: 1.5; }
      h1 { font-size: 1.5rem; line-height: 1.25; }
      code { font-size: 0.95em; }
      /* The app's own background colours (WINDOW_BACKGROUND in electron/main/app.ts). */
      @media (prefers-color-scheme: light) { body { background: #f6f7f9; color: #16181d; } }
      @media (prefers-color-scheme: dark) { body { background: #16181d; color: #e8eaee; } }
    </style>
  </head>
  <body>
    <h1>Open Outpost with the link from the terminal</h1>
    <p>${reason}</p>
    <p>The terminal where <code>npm run web</code> runs printed a link with a one-time code. Open
      it in this browser. Each link signs in one browser once; press Enter in that terminal for a
      new one.</p>
  </body>
</html>
`;
}

/** The request's path, decoded; null when the request target is not a valid URL. */
function requestPath(raw: string | undefined, base: string): { url: URL; path: string } | null {
  try {
    const url = new URL(raw ?? '/', base);
    return { url, path: decodeURIComponent(url.pathname) };
  } catch {
    return null;
  }
}

function readBody(request: IncomingMessage, limit = MAX_BODY_BYTES): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new Error('Request body is too large.'));
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
  });
  response.end(JSON.stringify(body));
}

/** Starts the companion; resolves once it listens. */
export async function startWebCompanion(options: WebCompanionOptions): Promise<WebCompanion> {
  const host = options.host ?? '127.0.0.1';
  const log = options.log ?? ((message: string) => console.info(message));
  const rendererDir = path.resolve(options.rendererDir);
  const indexHtml = await readFile(path.join(rendererDir, 'index.html'), 'utf8').catch(() => {
    throw new Error(
      `No built renderer in ${rendererDir}. Run "npx vite build" first (npm run web does).`,
    );
  });
  const eventClients = new Set<ServerResponse>();
  let origin = '';
  let allowedHosts: string[] = [];
  // Made once the services are up (the cookie is named after the port); until then requests
  // are answered 503, so the handler never reaches services that do not exist yet.
  let sessions: WebSessions | null = null;

  const server = createServer((request, response) => {
    void handle(request, response).catch((error: unknown) => {
      log(`[outpost-web] ${request.method} ${request.url} failed: ${String(error)}`);
      if (!response.headersSent)
        sendJson(response, 500, {
          ok: false,
          error: { code: 'internal', message: 'Internal error.' },
        });
      else response.end();
    });
  });

  // Listen before anything else starts: a busy port then fails at once, before the LAN server,
  // mDNS and the timer have started (and announced themselves) only to be stopped again.
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, host, () => resolve());
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE')
      throw new PortInUseError(host, options.port ?? 0);
    throw error;
  }
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  origin = `http://${host}:${port}`;
  allowedHosts = [`${host}:${port}`, `localhost:${port}`];

  const frameOf = (event: IpcEvent, payload: unknown) =>
    `data: ${JSON.stringify({ event, payload })}\n\n`;
  // The last push of each event that carries state (not a signal) goes again to a page whose event
  // stream connects: after a dropped stream the browser reconnects by itself, and the page would
  // otherwise keep what it showed before the drop. The focus timer's due events were notified once
  // already, so only its snapshot is repeated.
  const latestState = new Map<IpcEvent, string>();
  const broadcast = (event: IpcEvent, payload: unknown): void => {
    const frame = frameOf(event, payload);
    if (event === 'settings:changed' || event === 'sync:networkChanged')
      latestState.set(event, frame);
    if (event === 'focus:changed')
      latestState.set(event, frameOf(event, { ...(payload as object), events: [] }));
    for (const client of eventClients) client.write(frame);
  };
  // The page shows Web Notifications for the focus events pushed to it over /events.
  const services = await createMainServices({
    dataDir: options.dataDir,
    info: {
      name: 'Outpost',
      version: options.version ?? '0.0.0',
      platform: platform(),
      shell: 'web',
    },
    clock: options.clock,
    syncNetwork: options.syncNetwork,
    // No window to show a dialog in: the terminal that started the companion hears of it.
    onProblem: (message) => log(`[outpost-web] ${message}`),
    log: (message) => log(`[outpost-web] ${message}`),
    broadcast,
    openExternal: () => {
      throw new IpcUserError('unsupported', 'In the web app, links open in your browser.');
    },
  }).catch(async (error: unknown) => {
    await new Promise((resolve) => server.close(resolve));
    throw error;
  });
  const dispatch = createIpcDispatch(services.handlers, {
    isTrustedSender: (sender) => {
      const { origin: from, host: hostHeader, cookie } = sender as WebSender;
      return (
        from === origin &&
        allowedHosts.includes(hostHeader ?? '') &&
        (sessions?.isSignedIn(cookie) ?? false)
      );
    },
    onError: (channel, error) => log(`[outpost-web] ${channel} failed: ${String(error)}`),
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (!allowedHosts.includes(request.headers.host ?? '')) {
      response.writeHead(421).end('Wrong host');
      return;
    }
    const handover = sessions;
    if (!handover) {
      response.writeHead(503).end('Starting');
      return;
    }
    const signedIn = (): boolean => handover.isSignedIn(request.headers.cookie);
    const target = requestPath(request.url, origin);
    if (!target) {
      response.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' }).end('Malformed URL');
      return;
    }
    const { url, path: pathname } = target;
    if (request.method === 'POST' && pathname.startsWith('/ipc/')) {
      const channel = pathname.slice('/ipc/'.length);
      let input: unknown;
      try {
        const large = LARGE_BODY_CHANNELS.includes(channel) && signedIn();
        const body = JSON.parse(
          await readBody(request, large ? MAX_LARGE_BODY_BYTES : MAX_BODY_BYTES),
        ) as { input?: unknown };
        input = body.input === null ? undefined : body.input;
      } catch (error) {
        sendJson(response, 400, {
          ok: false,
          error: {
            code: 'bad-request',
            message: `Malformed request: ${error instanceof Error ? error.message : String(error)}`,
          },
        });
        return;
      }
      const sender: WebSender = {
        origin: request.headers.origin,
        host: request.headers.host,
        cookie: request.headers.cookie,
      };
      const result = await dispatch(channel, sender, input);
      sendJson(response, 200, result);
      return;
    }
    if (request.method === 'GET' && pathname === '/events') {
      if (!signedIn()) {
        response.writeHead(403).end('Forbidden');
        return;
      }
      response.writeHead(200, {
        'content-type': 'text/event-stream',
        'cache-control': 'no-store',
        connection: 'keep-alive',
      });
      response.write(`: connected\n\n${[...latestState.values()].join('')}`);
      eventClients.add(response);
      request.on('close', () => eventClients.delete(response));
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405).end('Method not allowed');
      return;
    }
    const headers = {
      'content-security-policy': CONTENT_SECURITY_POLICY,
      'x-content-type-options': 'nosniff',
      // Also keeps a one-time link's code out of any request the page makes.
      'referrer-policy': 'no-referrer',
    };
    const html = {
      ...headers,
      'content-type': contentTypeFor('index.html'),
      'cache-control': 'no-store',
    };
    if (pathname === OPEN_PATH) {
      const session = handover.redeem(url.searchParams.get('code') ?? '');
      if (session) {
        response.writeHead(303, {
          ...html,
          location: '/',
          'set-cookie': handover.setCookieHeader(session),
        });
        response.end();
      } else if (signedIn()) {
        // This browser opened the link before (clicked again, or reloaded): it is in already.
        response.writeHead(303, { ...html, location: '/' }).end();
      } else {
        response
          .writeHead(403, html)
          .end(signInPage('This link has been used already, or is from an earlier start.'));
      }
      return;
    }
    // The same rule as the desktop app's app:// scheme: nothing outside the renderer folder.
    const found = await resolveRendererFile(rendererDir, url.pathname);
    if (found.kind === 'malformed') {
      response.writeHead(400, headers).end('Malformed URL');
      return;
    }
    if (found.kind === 'refused') {
      response.writeHead(403, headers).end('Forbidden');
      return;
    }
    if (found.kind === 'missing') {
      response.writeHead(404, headers).end('Not found');
      return;
    }
    const { file, relative } = found;
    if (relative === 'index.html') {
      if (!signedIn()) {
        response
          .writeHead(403, html)
          .end(signInPage('This browser has not been signed in to this Outpost companion.'));
        return;
      }
      response.writeHead(200, html);
      response.end(indexHtml);
      return;
    }
    const content = await readFile(file).catch(() => null);
    if (!content) {
      response.writeHead(404, headers).end('Not found');
      return;
    }
    response.writeHead(200, {
      ...headers,
      'content-type': contentTypeFor(file),
      // Vite names everything under assets/ by its content hash: such a file never changes, so
      // the browser keeps it (and its compiled code) instead of fetching and compiling it again.
      ...(HASHED_ASSET.test(relative)
        ? { 'cache-control': 'public, max-age=31536000, immutable' }
        : { 'cache-control': 'no-cache' }),
    });
    response.end(content);
  }

  // Requests are answered from here on (503 before: no services yet).
  const webSessions = createWebSessions(port);
  sessions = webSessions;

  return {
    url: `${origin}/`,
    port,
    openLink: () => `${origin}${OPEN_PATH}?code=${webSessions.issueCode()}`,
    async close() {
      await services.close();
      for (const client of eventClients) client.end();
      eventClients.clear();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}
