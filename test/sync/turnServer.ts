/**
 * coturn's `turnserver` (Debian's `coturn` package) run in a test namespace with one long-term
 * credential user, the way docs/ARCHITECTURE.md tells a team to run it, minus TLS: plain `turn:`
 * over UDP on the given addresses, relay ports from a small range, its user database in a
 * temporary folder (never the system's /var/lib/turn). Teams use `turns:` with a certificate.
 */
import { execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { NetNamespace } from './netns';

export const TURN_PORT = 3478;

export interface TurnServer {
  readonly username: string;
  readonly credential: string;
  readonly log: string[];
  stop(): void;
}

/** Why `turnserver` cannot run here, or null when it can. */
export function turnserverUnavailable(): string | null {
  try {
    execFileSync('turnserver', ['--version'], { stdio: 'pipe' });
    return null;
  } catch {
    return 'turnserver is not installed (apt-get install coturn; .ci/run installs it)';
  }
}

/** Whether a UDP socket is bound to `port` inside the namespace (read from /proc/net/udp). */
function udpBound(namespace: NetNamespace, port: number): boolean {
  const hex = `:${port.toString(16).toUpperCase().padStart(4, '0')} `;
  return namespace
    .exec('cat', ['/proc/net/udp'])
    .split('\n')
    .some((line) => line.trim().split(/\s+/)[1]?.endsWith(hex.trim()));
}

/** Starts turnserver in `namespace`, listening on `addresses`; resolves once its port is bound. */
export async function startTurnServer(
  namespace: NetNamespace,
  addresses: readonly string[],
): Promise<TurnServer> {
  const dir = mkdtempSync(path.join(tmpdir(), 'outpost-turn-'));
  const username = 'outpost-team';
  const credential = `pw-${Math.random().toString(36).slice(2, 12)}`;
  const child: ChildProcess = namespace.spawn('turnserver', [
    '-n', // no configuration file: everything is on this line
    '--no-cli',
    '--log-file=stdout',
    '--simple-log',
    ...addresses.map((address) => `--listening-ip=${address}`),
    `--listening-port=${TURN_PORT}`,
    '--lt-cred-mech',
    `--user=${username}:${credential}`,
    '--realm=outpost.test',
    '--fingerprint',
    '--no-tls',
    '--no-dtls',
    '--no-multicast-peers',
    '--min-port=49160',
    '--max-port=49260',
    `--userdb=${path.join(dir, 'turndb')}`,
    `--pidfile=${path.join(dir, 'turnserver.pid')}`,
  ]);
  const log: string[] = [];
  child.stdout?.on('data', (chunk: Buffer) => log.push(chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => log.push(chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let gone = false;
  void exited.then(() => (gone = true));
  const stop = () => {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  // Waits for the listening socket rather than a log line: coturn prints none when it binds.
  for (let tries = 0; !udpBound(namespace, TURN_PORT); tries++) {
    if (gone || tries > 200) {
      stop();
      throw new Error(`turnserver did not start:\n${log.join('').slice(-3000)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { username, credential, log, stop };
}
