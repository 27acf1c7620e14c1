/**
 * Runs the LAN signaling server in another process (serverProcess.ts) and gives lanSync.ts the same
 * handle it gets from an in-process server: the port, and close(). The desktop app forks it with
 * Electron's utilityProcess; tests fork it with Node (see test/electron/fakeElectron.ts).
 */
import type { SignalingLog } from './server';
import {
  isFromServerProcess,
  type FromServerProcess,
  type ToServerProcess,
} from './serverProcessProtocol';

/** What lanSync.ts needs of a running signaling server, wherever it runs. */
export interface HostedServer {
  readonly port: number;
  close(): Promise<void>;
}

export interface HostedServerOptions {
  readonly host: string;
  readonly port: number;
  readonly log: SignalingLog;
  /** The server stopped without being asked (its process crashed or was killed). */
  readonly onCrash?: (why: string) => void;
}

/** Starts a signaling server somewhere; rejects with the listen error (with its `code`). */
export type StartHostedServer = (options: HostedServerOptions) => Promise<HostedServer>;

/** The parts of Electron's UtilityProcess (and of a wrapped Node ChildProcess) used here. */
export interface ServerChild {
  postMessage(message: ToServerProcess): void;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  on(event: 'exit', listener: (code: number) => void): unknown;
  kill(): boolean;
}

/** How long a server process gets to close its connections before it is killed. */
const CLOSE_GRACE_MS = 3000;

/** A {@link StartHostedServer} that forks a server process for each server started. */
export function processServerStarter(fork: () => ServerChild): StartHostedServer {
  return (options) => startInChild(fork(), options);
}

function startInChild(child: ServerChild, options: HostedServerOptions): Promise<HostedServer> {
  let started = false;
  let closed = false;
  let exited = false;
  const exit = new Promise<void>((resolve) =>
    child.on('exit', (code) => {
      exited = true;
      resolve();
      if (started && !closed) options.onCrash?.(`its process ended (exit code ${code})`);
    }),
  );
  return new Promise<HostedServer>((resolve, reject) => {
    child.on('exit', (code) => {
      if (!started) reject(new Error(`The LAN server process ended (exit code ${code}).`));
    });
    child.on('message', (raw) => {
      if (!isFromServerProcess(raw)) return;
      const message: FromServerProcess = raw;
      if (message.type === 'log') options.log(message.event, message.details);
      else if (message.type === 'started' && !started) {
        started = true;
        resolve({
          port: message.port,
          async close() {
            if (closed) return exit;
            closed = true;
            if (exited) return;
            child.postMessage({ type: 'close' });
            const timer = setTimeout(() => child.kill(), CLOSE_GRACE_MS);
            await exit;
            clearTimeout(timer);
          },
        });
      } else if (message.type === 'failed' && !started) {
        child.kill();
        reject(Object.assign(new Error(message.message), { code: message.code }));
      }
    });
    child.postMessage({ type: 'start', host: options.host, port: options.port });
  });
}
