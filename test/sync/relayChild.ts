/**
 * Starts the Outpost relay (electron/relay/main.ts, what `npm run relay` runs) as a real child
 * process on loopback (the machine's, or a test namespace's), so tests can kill it with SIGKILL and
 * start it again on the same data folder.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { NetNamespace } from './netns';

export interface RelayChild {
  readonly url: string;
  readonly child: ChildProcess;
  /** SIGKILL, and resolves once the process is gone. */
  kill9(): Promise<void>;
  /** SIGTERM (a clean stop), and resolves once the process is gone. */
  stop(): Promise<void>;
}

/**
 * Starts a relay on `port` (0: a free one) keeping its files in `dataDir`, inside `netns` when
 * given (`ip netns exec` replaces itself with the relay, so signals reach the relay itself).
 */
export function startRelayChild(
  dataDir: string,
  port = 0,
  extraArgs: string[] = [],
  netns?: NetNamespace,
): Promise<RelayChild> {
  const args = [
    '--import',
    'tsx',
    path.resolve('electron/relay/main.ts'),
    '--port',
    String(port),
    '--data',
    dataDir,
    ...extraArgs,
  ];
  const child = netns
    ? netns.spawn(process.execPath, args)
    : spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const stderr: string[] = [];
  child.stderr!.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
  const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const end = (signal: NodeJS.Signals) => async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await gone;
  };
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`relay exited (${code}): ${stderr.join('')}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const match = /listening on (ws:\/\/\S+)/.exec(line);
      if (match) resolve({ url: match[1]!, child, kill9: end('SIGKILL'), stop: end('SIGTERM') });
    });
  });
}
