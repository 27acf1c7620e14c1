/**
 * A y-webrtc signaling server for tests that need to steer what peers hear, run as its own process
 * in a test namespace and driven like nodePeer.ts (JSON lines on stdin). It forwards publishes as
 * y-webrtc's server does, and, given the room's password, reads them to:
 * - make two peers' offers cross ("glare") with a chosen peer holding the larger token: it holds
 *   everything back, lets one peer hear the other's announce first and the other 300 ms later (the
 *   token is a time stamp taken when a peer makes its offer), and releases both offers only once
 *   both exist;
 * - replay, later, the announces it has seen, as anyone who can reach a signaling server can do
 *   with the (encrypted) frames it saw.
 */
import { createServer } from 'node:http';
import { WebSocket, WebSocketServer } from 'ws';
import {
  deriveSignalingKey,
  openSignal,
  type SignalingKey,
} from '../../shared/protocol/signalingCrypto';
import { serveCommands, type Handlers } from './commandLoop';

interface Publish {
  readonly frame: Record<string, unknown>;
  readonly sender: WebSocket;
  /** The decrypted message, when the relay has the room's key and it decrypts. */
  readonly message: Record<string, unknown> | null;
}

const topics = new Map<string, Set<WebSocket>>();
let key: SignalingKey | null = null;
/** Peer id whose offer must carry the larger token; null when not steering glare. */
let glareLarger: string | null = null;
let gateOpen = true;
const held: Publish[] = [];
const announcers = new Map<string, { socket: WebSocket; frame: Record<string, unknown> }>();
const offers: Array<{ from: string; token: number }> = [];
const seenAnnounces: Array<Record<string, unknown>> = [];
let order = Promise.resolve();

function deliver(frame: Record<string, unknown>, to?: WebSocket): void {
  const subscribers = topics.get(String(frame.topic)) ?? new Set<WebSocket>();
  const text = JSON.stringify({ ...frame, clients: subscribers.size });
  for (const socket of to ? [to] : subscribers)
    if (socket.readyState === WebSocket.OPEN) socket.send(text);
}

function gate(publish: Publish): void {
  const { message } = publish;
  if (message?.type === 'announce' && typeof message.from === 'string') {
    if (!announcers.has(message.from))
      announcers.set(message.from, { socket: publish.sender, frame: publish.frame });
    maybeStartGlare();
    return;
  }
  held.push(publish);
  if (
    message?.type === 'signal' &&
    (message.signal as { type?: unknown } | null)?.type === 'offer' &&
    typeof message.from === 'string'
  ) {
    offers.push({ from: message.from, token: Number(message.token) });
    if (new Set(offers.map((offer) => offer.from)).size === 2) {
      gateOpen = true;
      for (const waiting of held.splice(0)) deliver(waiting.frame);
    }
  }
}

let glareStarted = false;
function maybeStartGlare(): void {
  if (glareStarted || glareLarger === null || announcers.size < 2) return;
  if (!announcers.has(glareLarger)) throw new Error(`no announce from ${glareLarger}`);
  glareStarted = true;
  const larger = announcers.get(glareLarger!)!;
  const [, smaller] = [...announcers].find(([id]) => id !== glareLarger)!;
  // The smaller-token side hears of the other first and makes its offer first.
  deliver(larger.frame, smaller.socket);
  setTimeout(() => deliver(smaller.frame, larger.socket), 300);
}

async function read(frame: Record<string, unknown>): Promise<Record<string, unknown> | null> {
  if (!key) return null;
  const message = await openSignal(key, frame.data);
  return message && typeof message === 'object' ? (message as Record<string, unknown>) : null;
}

const http = createServer();
const wss = new WebSocketServer({ server: http });
wss.on('connection', (socket) => {
  const mine = new Set<string>();
  socket.on('message', (raw) => {
    let frame: Record<string, unknown>;
    try {
      frame = JSON.parse(String(raw)) as Record<string, unknown>;
    } catch {
      return;
    }
    if (frame.type === 'ping') socket.send(JSON.stringify({ type: 'pong' }));
    else if (frame.type === 'subscribe' || frame.type === 'unsubscribe') {
      for (const topic of (frame.topics as string[] | undefined) ?? []) {
        if (frame.type === 'subscribe') {
          if (!topics.has(topic)) topics.set(topic, new Set());
          topics.get(topic)!.add(socket);
          mine.add(topic);
        } else {
          topics.get(topic)?.delete(socket);
          mine.delete(topic);
        }
      }
    } else if (frame.type === 'publish') {
      // Decrypting is asynchronous; a chain keeps frames in the order they arrived.
      order = order.then(async () => {
        const message = await read(frame);
        if (message?.type === 'announce') seenAnnounces.push(frame);
        if (gateOpen) deliver(frame);
        else gate({ frame, sender: socket, message });
      });
    }
  });
  socket.on('close', () => {
    for (const topic of mine) topics.get(topic)?.delete(socket);
  });
});
await new Promise<void>((resolve) => http.listen(0, '0.0.0.0', resolve));

const handlers: Handlers = {
  port: () => (http.address() as { port: number }).port,
  async key(command) {
    key = await deriveSignalingKey(String(command.password), String(command.room));
    return true;
  },
  /** Holds every publish back until {@link handlers.glare} says who wins. */
  hold() {
    gateOpen = false;
    return true;
  },
  /** Steers the two peers that announced into crossing offers, `larger`'s token the larger. */
  glare(command) {
    glareLarger = String(command.larger);
    maybeStartGlare();
    return true;
  },
  offers: () => offers,
  /** Sends every announce seen so far again, `times` times each. */
  replayAnnounces(command) {
    const times = Number(command.times ?? 1);
    for (let i = 0; i < times; i++) for (const frame of seenAnnounces) deliver(frame);
    return seenAnnounces.length;
  },
  exit() {
    setTimeout(() => process.exit(0), 20);
    return true;
  },
};

serveCommands(handlers);
