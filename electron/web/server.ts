/**
 * Web mode's companion: a small Node process that serves the built renderer on loopback and answers
 * the same IPC contract as the desktop main process, with the same handlers and validation, over
 * HTTP (`POST /ipc/<channel>`) and server-sent events (`GET /events`). Only pages it served itself
 * can call it: each request must carry the per-run token embedded in the page, from the same origin.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { homedir, platform } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createIpcDispatch, IpcUserError } from '../../shared/ipc/dispatch';
import type { IpcEvent } from '../../shared/ipc/channels';
import { LARGE_BODY_CHANNELS, MAX_WORKSPACE_FILE_BASE64 } from '../../shared/ipc/backupsContract';
import { createMainServices, type ServiceClock, type SyncNetworkPlacement } from '../main/services';
import { CONTENT_SECURITY_POLICY } from '../main/security';

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
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/** Build output named by content hash (Vite's `assets/name-HASH.ext`). */
const HASHED_ASSET = /(^|\/)assets\/[^/]+-[A-Za-z0-9_-]{8}\.[a-z0-9]+$/;

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
};

const MAX_BODY_BYTES = 1024 * 1024;
/** Channels that carry a whole workspace (backups, exports) take larger bodies from the page. */
const MAX_LARGE_BODY_BYTES = MAX_WORKSPACE_FILE_BASE64 + 64 * 1024;

interface WebSender {
  readonly origin: string | undefined;
  readonly host: string | undefined;
  readonly token: string | undefined;
}

function sameSecret(a: string | undefined, b: string): boolean {
  if (typeof a !== 'string') return false;
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
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
  const token = randomBytes(24).toString('base64url');
  const rendererDir = path.resolve(options.rendererDir);
  const indexHtml = await readFile(path.join(rendererDir, 'index.html'), 'utf8').catch(() => {
    throw new Error(
      `No built renderer in ${rendererDir}. Run "npx vite build" first (npm run web does).`,
    );
  });
  const page = indexHtml.replace(
    '<head>',
    `<head>\n    <meta name="outpost-token" content="${token}" />`,
  );
  const eventClients = new Set<ServerResponse>();
  let origin = '';
  let allowedHosts: string[] = [];

  const broadcast = (event: IpcEvent, payload: unknown): void => {
    const frame = `data: ${JSON.stringify({ event, payload })}\n\n`;
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
  });
  const dispatch = createIpcDispatch(services.handlers, {
    isTrustedSender: (sender) => {
      const { origin: from, host: hostHeader, token: given } = sender as WebSender;
      return from === origin && allowedHosts.includes(hostHeader ?? '') && sameSecret(given, token);
    },
    onError: (channel, error) => log(`[outpost-web] ${channel} failed: ${String(error)}`),
  });

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

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', origin);
    if (!allowedHosts.includes(request.headers.host ?? '')) {
      response.writeHead(421).end('Wrong host');
      return;
    }
    if (request.method === 'POST' && url.pathname.startsWith('/ipc/')) {
      let input: unknown;
      try {
        const channel = decodeURIComponent(url.pathname.slice('/ipc/'.length));
        const large =
          LARGE_BODY_CHANNELS.includes(channel) &&
          sameSecret(request.headers['x-outpost-token'] as string | undefined, token);
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
        token: request.headers['x-outpost-token'] as string | undefined,
      };
      const result = await dispatch(
        decodeURIComponent(url.pathname.slice('/ipc/'.length)),
        sender,
        input,
      );
      sendJson(response, 200, result);
      return;
    }
    if (request.method === 'GET' && url.pathname === '/events') {
      if (!sameSecret(url.searchParams.get('token') ?? undefined, token)) {
        response.writeHead(403).end('Forbidden');
        return;
      }
      response.writeHead(200, {
        'content-type': 'text/event-stream',
        'cache-control': 'no-store',
        connection: 'keep-alive',
      });
      response.write(': connected\n\n');
      eventClients.add(response);
      request.on('close', () => eventClients.delete(response));
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405).end('Method not allowed');
      return;
    }
    const relative =
      url.pathname === '/' ? 'index.html' : decodeURIComponent(url.pathname).replace(/^\/+/, '');
    const file = path.resolve(rendererDir, relative);
    if (!file.startsWith(rendererDir + path.sep)) {
      response.writeHead(403).end('Forbidden');
      return;
    }
    const headers = {
      'content-security-policy': CONTENT_SECURITY_POLICY,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
    };
    if (relative === 'index.html') {
      response.writeHead(200, {
        ...headers,
        'content-type': MIME['.html'],
        'cache-control': 'no-store',
      });
      response.end(page);
      return;
    }
    const content = await readFile(file).catch(() => null);
    if (!content) {
      response.writeHead(404, headers).end('Not found');
      return;
    }
    response.writeHead(200, {
      ...headers,
      'content-type': MIME[path.extname(file)] ?? 'application/octet-stream',
      // Vite names everything under assets/ by its content hash: such a file never changes, so
      // the browser keeps it (and its compiled code) instead of fetching and compiling it again.
      ...(HASHED_ASSET.test(relative)
        ? { 'cache-control': 'public, max-age=31536000, immutable' }
        : { 'cache-control': 'no-cache' }),
    });
    response.end(content);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  origin = `http://${host}:${port}`;
  allowedHosts = [`${host}:${port}`, `localhost:${port}`];

  return {
    url: `${origin}/`,
    port,
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

function defaultDataDir(): string {
  const base = process.env.XDG_CONFIG_HOME ?? path.join(homedir(), '.config');
  return process.env.OUTPOST_DATA_DIR ?? path.join(base, 'outpost-web');
}

const isEntry = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isEntry) {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
  const pkg = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8')) as {
    version: string;
  };
  const companion = await startWebCompanion({
    rendererDir: path.join(root, 'out/renderer'),
    dataDir: defaultDataDir(),
    port: Number(process.env.PORT ?? 5178),
    version: pkg.version,
  });
  console.info(`Outpost (web mode) is running at ${companion.url}\nPress Ctrl+C to stop.`);
  const stop = () => void companion.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
