/** A small WebSocket client for signaling tests: queued JSON messages and explicit teardown. */
import { WebSocket } from 'ws';

export interface TestClient {
  readonly socket: WebSocket;
  send(message: unknown): void;
  sendRaw(data: string | Buffer, binary?: boolean): void;
  /** The next JSON message, waiting for it if none is queued. */
  next(timeoutMs?: number): Promise<unknown>;
  /** Sends a ping and resolves with every message that arrived before its pong. */
  drain(): Promise<unknown[]>;
  /** Resolves with the close code once the server closes the connection. */
  closed(): Promise<number>;
  close(): Promise<void>;
}

const open = new Set<TestClient>();

/** Connects to `url`; rejects if the server refuses the upgrade. */
export function connect(
  url: string,
  options: { autoPong?: boolean; origin?: string } = {},
): Promise<TestClient> {
  const socket = new WebSocket(url, {
    autoPong: options.autoPong ?? true,
    ...(options.origin !== undefined ? { origin: options.origin } : {}),
  });
  const queue: unknown[] = [];
  const waiters: Array<(message: unknown) => void> = [];
  const closeCode = new Promise<number>((resolve) => socket.once('close', resolve));
  socket.on('error', () => {}); // errors surface as the close code or as connect's rejection
  socket.on('message', (data) => {
    const message: unknown = JSON.parse(String(data));
    const waiter = waiters.shift();
    if (waiter) waiter(message);
    else queue.push(message);
  });
  const client: TestClient = {
    socket,
    send: (message) => socket.send(JSON.stringify(message)),
    sendRaw: (data, binary = false) => socket.send(data, { binary }),
    next(timeoutMs = 2000) {
      if (queue.length > 0) return Promise.resolve(queue.shift());
      return new Promise((resolve, reject) => {
        const waiter = (message: unknown) => {
          clearTimeout(timer);
          resolve(message);
        };
        const timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(waiter), 1);
          reject(new Error('no message'));
        }, timeoutMs);
        waiters.push(waiter);
      });
    },
    async drain() {
      client.send({ type: 'ping' });
      const received: unknown[] = [];
      for (;;) {
        const message = await client.next();
        if ((message as { type?: unknown }).type === 'pong') return received;
        received.push(message);
      }
    },
    closed: () => closeCode,
    async close() {
      open.delete(client);
      if (socket.readyState === WebSocket.CLOSED) return;
      socket.terminate();
      await closeCode;
    },
  };
  open.add(client);
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve(client));
    socket.once('error', (error) => {
      open.delete(client);
      reject(error);
    });
  });
}

/** Closes every client this module opened; call from afterEach. */
export async function closeAllClients(): Promise<void> {
  await Promise.all([...open].map((client) => client.close()));
}
