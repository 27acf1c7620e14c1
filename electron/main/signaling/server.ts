/**
 * A signaling server for y-webrtc peers, hosted by every running Outpost app on the LAN (and by
 * the web-mode companion). Plain Node: no electron import, so it runs and is tested as is.
 *
 * It speaks y-webrtc's signaling protocol, JSON text frames over WebSocket:
 * - `{type:'subscribe', topics:string[]}` / `{type:'unsubscribe', topics:string[]}`
 * - `{type:'publish', topic:string, ...}`: forwarded, with `clients` set to the topic's subscriber
 *   count, to every subscriber of the topic, the sender included if it subscribed
 * - `{type:'ping'}` → `{type:'pong'}`
 *
 * Topics are Outpost room names (keyed hashes) and published payloads are encrypted by y-webrtc,
 * so the server learns nothing about workspaces. It must survive anything a LAN neighbour sends:
 * every frame is size-, rate- and shape-checked, and what fails is dropped and counted.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type RawData } from 'ws';

/** Bounds on what one LAN neighbour can make the server do. */
export interface SignalingLimits {
  /**
   * Largest accepted frame in bytes. Signaling frames carry SDP and ICE candidates (a few KiB);
   * documents travel over WebRTC data channels. A larger frame closes the connection (1009),
   * since the only way to drop it would be to receive it whole.
   */
  readonly maxMessageBytes: number;
  /** Topics one connection may subscribe to at once; further topics are refused and counted. */
  readonly maxTopicsPerConnection: number;
  /** Longest accepted topic name (Outpost's are 64 characters). */
  readonly maxTopicLength: number;
  /** Open connections; further upgrade requests get HTTP 503. */
  readonly maxConnections: number;
  /**
   * Open connections from one network address; further upgrades from it get HTTP 503, so one
   * neighbour cannot take every slot (and the others' peers keep being served).
   */
  readonly maxConnectionsPerAddress: number;
  /** Sustained frames per second per connection (token bucket refill rate). */
  readonly messagesPerSecond: number;
  /** Frames a connection may send at once after being quiet (token bucket size). */
  readonly burstMessages: number;
  /** Sustained bytes per second per connection, beside the frame rate (token bucket refill). */
  readonly bytesPerSecond: number;
  /** Bytes a connection may send at once after being quiet (token bucket size). */
  readonly burstBytes: number;
  /** Rate-limited frames within {@link rateDropWindowMs} after which the connection is closed. */
  readonly rateDropsBeforeClose: number;
  readonly rateDropWindowMs: number;
  /** A connection that has not answered the previous ping when the next one is due is closed. */
  readonly keepaliveIntervalMs: number;
  /** A receiver with more unsent bytes than this misses publishes instead of growing memory. */
  readonly maxBufferedBytes: number;
}

export const DEFAULT_SIGNALING_LIMITS: SignalingLimits = {
  // An offer or answer with its candidates is a few KiB, sealed and base64-encoded.
  maxMessageBytes: 64 * 1024,
  maxTopicsPerConnection: 64,
  maxTopicLength: 256,
  maxConnections: 256,
  maxConnectionsPerAddress: 32,
  messagesPerSecond: 50,
  burstMessages: 200,
  // y-webrtc shares one connection per server among every room of a process: six providers
  // meeting at once publish about 700 KiB of sealed offers, answers and candidates together, so
  // the budget must hold that (the sync bench's stock mesh never converged under 64 KiB/s).
  bytesPerSecond: 256 * 1024,
  burstBytes: 2 * 1024 * 1024,
  rateDropsBeforeClose: 200,
  rateDropWindowMs: 10_000,
  keepaliveIntervalMs: 30_000,
  maxBufferedBytes: 4 * 1024 * 1024,
};

/** Receives notable events (never one per message); the app routes them to its log. */
export type SignalingLog = (event: string, details?: Readonly<Record<string, unknown>>) => void;

export interface SignalingServerOptions {
  /** Interface to bind; `0.0.0.0` (the default) serves the LAN, tests use `127.0.0.1`. */
  readonly host?: string;
  /** TCP port; 0 (the default) picks a free one. */
  readonly port?: number;
  readonly limits?: Partial<SignalingLimits>;
  readonly log?: SignalingLog;
  /** Monotonic clock in milliseconds for the rate limiter; tests pass a fake. */
  readonly now?: () => number;
  /**
   * Which browser pages may connect, by their Origin header (see {@link isLocalOrigin}, the
   * default). Requests without one (Node, native clients) are not browsers and are let through.
   */
  readonly allowOrigin?: (origin: string) => boolean;
  /**
   * Another WebSocket service on the same port (the relay's mailbox, electron/relay/): offered
   * every upgrade request first; returning true means it took the request.
   */
  readonly upgrade?: (request: IncomingMessage, socket: Duplex, head: Buffer) => boolean;
}

/** Counters since start; a snapshot, safe to keep. */
export interface SignalingStats {
  readonly connections: number;
  readonly totalConnections: number;
  readonly rejectedConnections: number;
  readonly topics: number;
  readonly subscriptions: number;
  readonly framesReceived: number;
  readonly published: number;
  /** Publishes handed to subscribers' sockets. */
  readonly delivered: number;
  readonly dropped: {
    /** Not JSON, not an object, unknown `type`, or fields of the wrong type or size. */
    readonly malformed: number;
    readonly binary: number;
    readonly oversized: number;
    readonly rateLimited: number;
    /** Frames over the connection's bytes-per-second budget. */
    readonly byteBudget: number;
    /** Topics refused because the connection already had the maximum. */
    readonly topicLimit: number;
    /** Deliveries skipped because the receiver was not reading. */
    readonly backpressure: number;
  };
  readonly closed: {
    readonly rateAbuse: number;
    readonly keepalive: number;
    readonly oversized: number;
    /** Protocol violations below JSON (bad UTF-8, bad opcodes, ...). */
    readonly protocolError: number;
  };
}

export interface SignalingServer {
  /** The port actually bound. */
  readonly port: number;
  /** A URL that reaches the server from this machine (loopback when bound to all interfaces). */
  readonly url: string;
  /** Closes every connection and the listening socket. Safe to call more than once. */
  close(): Promise<void>;
  stats(): SignalingStats;
}

interface Client {
  readonly socket: WebSocket;
  readonly address: string;
  readonly topics: Set<string>;
  tokens: number;
  byteTokens: number;
  refilledAt: number;
  dropWindowStart: number;
  dropsInWindow: number;
  alive: boolean;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] extends object ? Mutable<T[K]> : T[K] };
type Counters = Omit<Mutable<SignalingStats>, 'connections' | 'topics' | 'subscriptions'>;

const CLOSE_GOING_AWAY = 1001;
const CLOSE_POLICY_VIOLATION = 1008;
const CLOSE_TRY_AGAIN_LATER = 1013;
const SHUTDOWN_GRACE_MS = 500;

/**
 * Starts a signaling server. Resolves once it is listening; rejects with the listen error
 * (for example `EADDRINUSE`) otherwise.
 */
export async function startSignalingServer(
  options: SignalingServerOptions = {},
): Promise<SignalingServer> {
  const limits = { ...DEFAULT_SIGNALING_LIMITS, ...options.limits };
  checkLimits(limits);
  const host = options.host ?? '0.0.0.0';
  const log: SignalingLog = options.log ?? (() => {});
  const now = options.now ?? (() => performance.now());

  const clients = new Set<Client>();
  const topics = new Map<string, Set<Client>>();
  const counters: Counters = {
    totalConnections: 0,
    rejectedConnections: 0,
    framesReceived: 0,
    published: 0,
    delivered: 0,
    dropped: {
      malformed: 0,
      binary: 0,
      oversized: 0,
      rateLimited: 0,
      byteBudget: 0,
      topicLimit: 0,
      backpressure: 0,
    },
    closed: { rateAbuse: 0, keepalive: 0, oversized: 0, protocolError: 0 },
  };

  const http = createServer((_request, response) => {
    response.writeHead(200, { 'Content-Type': 'text/plain' }).end('Outpost signaling\n');
  });
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: limits.maxMessageBytes,
    perMessageDeflate: false,
    clientTracking: false,
  });

  const allowOrigin = options.allowOrigin ?? isLocalOrigin;
  /** Open connections per remote address. */
  const perAddress = new Map<string, number>();
  const full = (address: string) =>
    clients.size >= limits.maxConnections ||
    (perAddress.get(address) ?? 0) >= limits.maxConnectionsPerAddress;

  http.on('clientError', (_error, socket) => socket.destroy());
  http.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const origin = request.headers.origin;
    if (origin !== undefined && !allowOrigin(origin)) {
      refuseUpgrade(socket, '403 Forbidden', 'origin');
      return;
    }
    if (options.upgrade?.(request, socket, head)) return;
    const address = remoteAddress(request);
    if (full(address)) {
      refuseUpgrade(socket, '503 Service Unavailable', 'max-connections');
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => onConnection(ws, address));
  });

  function refuseUpgrade(socket: Duplex, status: string, reason: string): void {
    counters.rejectedConnections++;
    log('connection-rejected', { reason });
    socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    socket.destroy();
  }

  function onConnection(socket: WebSocket, address: string): void {
    // Upgrades that were already in flight when the last slot filled.
    if (full(address)) {
      counters.rejectedConnections++;
      socket.close(CLOSE_TRY_AGAIN_LATER, 'server full');
      return;
    }
    perAddress.set(address, (perAddress.get(address) ?? 0) + 1);
    const client: Client = {
      socket,
      address,
      topics: new Set(),
      tokens: limits.burstMessages,
      byteTokens: limits.burstBytes,
      refilledAt: now(),
      dropWindowStart: now(),
      dropsInWindow: 0,
      alive: true,
    };
    clients.add(client);
    counters.totalConnections++;
    socket.on('message', (data, isBinary) => onFrame(client, data, isBinary));
    socket.on('pong', () => {
      client.alive = true;
    });
    socket.on('error', (error: Error & { code?: string }) => {
      if (error.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') {
        counters.dropped.oversized++;
        counters.closed.oversized++;
        log('connection-closed', { reason: 'oversized-frame', limit: limits.maxMessageBytes });
      } else {
        counters.closed.protocolError++;
        log('connection-closed', { reason: 'protocol-error', code: error.code });
      }
    });
    socket.on('close', () => removeClient(client));
  }

  function removeClient(client: Client): void {
    if (!clients.delete(client)) return;
    const open = (perAddress.get(client.address) ?? 1) - 1;
    if (open > 0) perAddress.set(client.address, open);
    else perAddress.delete(client.address);
    for (const topic of client.topics) unsubscribe(client, topic);
  }

  function onFrame(client: Client, data: RawData, isBinary: boolean): void {
    counters.framesReceived++;
    // Frames already buffered when the connection was closed for abuse must not re-subscribe it.
    if (!clients.has(client)) return;
    client.alive = true;
    if (!takeToken(client, isBinary ? 0 : toBuffer(data).length)) return;
    if (isBinary) {
      counters.dropped.binary++;
      return;
    }
    let message: unknown;
    try {
      message = JSON.parse(toBuffer(data).toString('utf8'));
    } catch {
      counters.dropped.malformed++;
      return;
    }
    if (!handle(client, message)) counters.dropped.malformed++;
  }

  /**
   * Token buckets for frames and for bytes; a frame either bucket cannot pay for is dropped, and
   * persistent flooding closes the connection.
   */
  function takeToken(client: Client, bytes: number): boolean {
    const time = now();
    const seconds = (time - client.refilledAt) / 1000;
    client.tokens = Math.min(
      limits.burstMessages,
      client.tokens + seconds * limits.messagesPerSecond,
    );
    client.byteTokens = Math.min(
      limits.burstBytes,
      client.byteTokens + seconds * limits.bytesPerSecond,
    );
    client.refilledAt = time;
    if (client.tokens >= 1 && client.byteTokens >= bytes) {
      client.tokens -= 1;
      client.byteTokens -= bytes;
      return true;
    }
    if (client.tokens >= 1) counters.dropped.byteBudget++;
    else counters.dropped.rateLimited++;
    if (time - client.dropWindowStart > limits.rateDropWindowMs) {
      client.dropWindowStart = time;
      client.dropsInWindow = 0;
    }
    client.dropsInWindow++;
    if (client.dropsInWindow >= limits.rateDropsBeforeClose) {
      counters.closed.rateAbuse++;
      log('connection-closed', { reason: 'rate-abuse', drops: client.dropsInWindow });
      removeClient(client);
      client.socket.close(CLOSE_POLICY_VIOLATION, 'too many messages');
    }
    return false;
  }

  /** Acts on one parsed frame; false if it is malformed. */
  function handle(client: Client, message: unknown): boolean {
    if (typeof message !== 'object' || message === null || Array.isArray(message)) return false;
    const frame = message as Record<string, unknown>;
    switch (frame.type) {
      case 'subscribe': {
        const names = topicList(frame.topics);
        if (names === undefined) return false;
        for (const topic of names) subscribe(client, topic);
        return true;
      }
      case 'unsubscribe': {
        const names = topicList(frame.topics);
        if (names === undefined) return false;
        for (const topic of names) unsubscribe(client, topic);
        return true;
      }
      case 'publish': {
        if (!isTopic(frame.topic)) return false;
        // Only what y-webrtc's publish holds goes on to the room: nothing a sender adds beside it.
        publish(frame.topic, { type: 'publish', topic: frame.topic, data: frame.data });
        return true;
      }
      case 'ping':
        send(client, '{"type":"pong"}');
        return true;
      default:
        return false;
    }
  }

  function isTopic(value: unknown): value is string {
    return typeof value === 'string' && value.length > 0 && value.length <= limits.maxTopicLength;
  }

  function topicList(value: unknown): string[] | undefined {
    return Array.isArray(value) && value.every(isTopic) ? value : undefined;
  }

  function subscribe(client: Client, topic: string): void {
    if (client.topics.has(topic)) return;
    if (client.topics.size >= limits.maxTopicsPerConnection) {
      counters.dropped.topicLimit++;
      return;
    }
    client.topics.add(topic);
    let subscribers = topics.get(topic);
    if (subscribers === undefined) topics.set(topic, (subscribers = new Set()));
    subscribers.add(client);
  }

  function unsubscribe(client: Client, topic: string): void {
    client.topics.delete(topic);
    const subscribers = topics.get(topic);
    if (subscribers === undefined) return;
    subscribers.delete(client);
    if (subscribers.size === 0) topics.delete(topic);
  }

  function publish(topic: string, frame: Record<string, unknown>): void {
    counters.published++;
    const subscribers = topics.get(topic);
    if (subscribers === undefined) return;
    const text = JSON.stringify({ ...frame, clients: subscribers.size });
    for (const receiver of subscribers) if (send(receiver, text)) counters.delivered++;
  }

  function send(receiver: Client, text: string): boolean {
    const socket = receiver.socket;
    if (socket.readyState !== WebSocket.OPEN) return false;
    if (socket.bufferedAmount > limits.maxBufferedBytes) {
      counters.dropped.backpressure++;
      return false;
    }
    socket.send(text);
    return true;
  }

  const keepalive = setInterval(() => {
    for (const client of clients) {
      if (!client.alive) {
        counters.closed.keepalive++;
        log('connection-closed', { reason: 'keepalive' });
        removeClient(client);
        client.socket.terminate();
        continue;
      }
      client.alive = false;
      client.socket.ping();
    }
  }, limits.keepaliveIntervalMs);
  keepalive.unref();

  await new Promise<void>((resolve, rejectListen) => {
    const onError = (error: Error) => {
      clearInterval(keepalive);
      rejectListen(error);
    };
    http.once('error', onError);
    http.listen(options.port ?? 0, host, () => {
      http.off('error', onError);
      http.on('error', (error) => log('server-error', { message: error.message }));
      resolve();
    });
  });

  const address = http.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  const url = `ws://${urlHost(host)}:${port}`;
  log('listening', { host, port });

  let closing: Promise<void> | undefined;
  function close(): Promise<void> {
    closing ??= new Promise<void>((resolve) => {
      clearInterval(keepalive);
      const sockets = [...clients].map((client) => client.socket);
      for (const socket of sockets) socket.close(CLOSE_GOING_AWAY, 'server closing');
      const grace = setTimeout(() => {
        for (const socket of sockets) socket.terminate();
        http.closeAllConnections();
      }, SHUTDOWN_GRACE_MS);
      http.close(() => {
        clearTimeout(grace);
        wss.close();
        log('closed');
        resolve();
      });
      http.closeIdleConnections();
    });
    return closing;
  }

  function stats(): SignalingStats {
    let subscriptions = 0;
    for (const subscribers of topics.values()) subscriptions += subscribers.size;
    return structuredClone({
      ...counters,
      connections: clients.size,
      topics: topics.size,
      subscriptions,
    });
  }

  return { port, url, close, stats };
}

function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}

/** The connection's remote address, IPv4-mapped IPv6 written as IPv4. */
function remoteAddress(request: IncomingMessage): string {
  const address = request.socket.remoteAddress ?? '';
  return address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
}

/**
 * Browser pages allowed to connect: the desktop app's own pages (app://, file://, or an opaque
 * "null" origin) and pages served from this machine or the local network (the web companion, on
 * loopback or a teammate's LAN address). A page from anywhere else (a website a teammate has open)
 * cannot use a LAN signaling server on their behalf.
 */
export function isLocalOrigin(origin: string): boolean {
  if (origin === 'null' || origin === 'file://') return true;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (url.protocol === 'app:' || url.protocol === 'file:') return true;
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost') || host.endsWith('.local')) return true;
  const v4 = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(host);
  if (v4) {
    const [a, b] = [Number(v4[1]), Number(v4[2])];
    return (
      a === 127 ||
      a === 10 ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      (a === 169 && b === 254) ||
      (a === 100 && b >= 64 && b <= 127) // carrier-grade NAT / Tailscale-style overlays
    );
  }
  // IPv6 loopback, unique local (fc00::/7) and link-local (fe80::/10).
  return host === '::1' || /^f[cd][0-9a-f]{2}:/.test(host) || /^fe[89ab][0-9a-f]:/.test(host);
}

function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}

function checkLimits(limits: SignalingLimits): void {
  for (const [name, value] of Object.entries(limits)) {
    if (typeof value !== 'number' || !(value > 0)) {
      throw new RangeError(`Signaling limit ${name} must be a positive number, got ${value}.`);
    }
  }
}
