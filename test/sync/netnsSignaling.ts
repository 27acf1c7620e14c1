/**
 * For a describe block of real-network sync tests: a private network namespace with the app's
 * signaling server in it (signalingProcess.ts), and a way to start script processes there
 * (nodePeer.ts and friends). Everything is stopped and the namespace deleted after the block.
 */
import { createInterface } from 'node:readline';
import { afterAll, beforeAll } from 'vitest';
import { createNetns, type NetNamespace } from './netns';
import { rpc, startScript, type PeerProcess } from './peerProcess';

export interface NetnsSignaling {
  /** The signaling server's URL inside the namespace. */
  url(): string;
  /** Starts `script` (default nodePeer.ts) in the namespace, stopped after the block. */
  start(script?: string): PeerProcess;
}

export function useNetnsSignaling(): NetnsSignaling {
  let netns: NetNamespace | undefined;
  let signalingUrl = '';
  let closeSignaling: (() => void) | undefined;
  const processes: PeerProcess[] = [];

  beforeAll(async () => {
    netns = createNetns();
    const signaling = startScript('test/sync/signalingProcess.ts', netns);
    const port = await new Promise<number>((resolve) =>
      createInterface({ input: signaling.stdout! }).once('line', (line) =>
        resolve((JSON.parse(line) as { port: number }).port),
      ),
    );
    signalingUrl = `ws://10.77.0.1:${port}`;
    closeSignaling = () => signaling.stdin?.end();
  }, 60_000);

  afterAll(async () => {
    await Promise.all(processes.map((p) => p.call('exit', {}, 3000).catch(() => {})));
    await Promise.all(processes.map((p) => p.close()));
    closeSignaling?.();
    netns?.destroy();
  }, 60_000);

  return {
    url: () => signalingUrl,
    start(script = 'test/sync/nodePeer.ts') {
      if (!netns) throw new Error('The namespace is made in beforeAll');
      const started = rpc(startScript(script, netns));
      processes.push(started);
      return started;
    },
  };
}
