/**
 * The LAN signaling server in a process of its own (issue 16): the desktop app starts this file
 * with Electron's utilityProcess, so a flood of connections or frames keeps this process busy, not
 * the main process, whose IPC and focus timer stay responsive. It runs the very same server
 * (server.ts); the main process drives it with the messages of serverProcessProtocol.ts.
 *
 * It talks through `process.parentPort` in an Electron utility process, and through Node's IPC
 * channel (`process.send`) when forked by Node, which is how tests run it (Electron's binary is
 * not available there).
 */
import { startSignalingServer, type SignalingServer } from './server';
import type { FromServerProcess, ToServerProcess } from './serverProcessProtocol';

interface ParentPort {
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
  postMessage(message: unknown): void;
}

const parentPort = (process as { parentPort?: ParentPort }).parentPort;

function post(message: FromServerProcess): void {
  if (parentPort) parentPort.postMessage(message);
  else process.send?.(message);
}

let server: SignalingServer | null = null;
let closing = false;

async function handle(message: ToServerProcess): Promise<void> {
  switch (message.type) {
    case 'start': {
      if (server) return post({ type: 'started', port: server.port });
      try {
        server = await startSignalingServer({
          host: message.host,
          port: message.port,
          log: (event, details) => post({ type: 'log', event, ...(details ? { details } : {}) }),
        });
        post({ type: 'started', port: server.port });
      } catch (error) {
        const code = (error as { code?: unknown } | null)?.code;
        post({
          type: 'failed',
          message: error instanceof Error ? error.message : String(error),
          ...(typeof code === 'string' ? { code } : {}),
        });
      }
      return;
    }
    case 'stats':
      if (server) post({ type: 'stats', stats: server.stats() });
      return;
    case 'close':
      if (closing) return;
      closing = true;
      await server?.close();
      post({ type: 'closed' });
      process.exit(0);
  }
}

function receive(data: unknown): void {
  const type = (data as { type?: unknown } | null)?.type;
  if (type !== 'start' && type !== 'stats' && type !== 'close') return;
  void handle(data as ToServerProcess);
}

if (parentPort) parentPort.on('message', (event) => receive(event.data));
else {
  process.on('message', receive);
  // Forked by Node: the main process went away without saying so; the server goes with it.
  process.on('disconnect', () => process.exit(0));
}
