/**
 * Connection lifecycle between the app's sync provider and stock y-webrtc 10.3 peers, for real:
 * separate processes in a private network namespace (../shared/docs/TESTING.md), WebRTC over
 * @roamhq/wrtc. The Outpost side is renderer/sync/peerSync.ts itself, run in Node by nodePeer.ts;
 * the other side is stock `yjs` + `y-webrtc` (stockPeer.ts). Signaling goes through the app's own
 * server, or through relayProcess.ts where a test must steer or replay what peers hear.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { encodeInvite } from '../../shared/protocol/invite';
import {
  createWorkspaceSecrets,
  deriveRoomName,
  deriveSignalingPassword,
} from '../../shared/protocol/keys';
import type { PeerSyncStatus } from '../../renderer/sync/peerSync';
import { createNetns, netnsUnavailable, NETNS_SKIP_REASON, type NetNamespace } from './netns';
import { rpc, startScript, type PeerProcess } from './peerProcess';

const available = netnsUnavailable() === null;
if (!available) console.warn(NETNS_SKIP_REASON());

type Titles = { ok: boolean; titles: string[] };
type Synced = { ok: boolean; status: PeerSyncStatus };

interface Workspace {
  readonly invite: string;
  readonly room: string;
  readonly password: string;
}

async function newWorkspace(name: string): Promise<Workspace> {
  const secrets = createWorkspaceSecrets();
  return {
    invite: encodeInvite({ ...secrets, name }),
    room: await deriveRoomName(secrets.secretKey),
    password: await deriveSignalingPassword(secrets.secretKey),
  };
}

describe.runIf(available)('peer connections with stock y-webrtc', { timeout: 240_000 }, () => {
  let netns: NetNamespace;
  let processes: PeerProcess[] = [];

  const start = (script: string) => {
    const started = rpc(startScript(script, netns));
    processes.push(started);
    return started;
  };
  const outpostPeer = () => start('test/sync/nodePeer.ts');
  const stockPeer = () => start('test/sync/stockPeer.ts');
  /** A steerable signaling server; returns it and its URL. */
  const relay = async (workspace: Workspace) => {
    const server = start('test/sync/relayProcess.ts');
    await server.call('key', { room: workspace.room, password: workspace.password });
    return { server, url: `ws://10.77.0.1:${await server.call<number>('port')}` };
  };

  beforeAll(() => {
    netns = createNetns();
  });

  afterEach(async () => {
    const done = processes;
    processes = [];
    await Promise.all(done.map((p) => p.call('exit', {}, 3000).catch(() => {})));
    await Promise.all(done.map((p) => p.close()));
  }, 60_000);

  afterAll(() => {
    netns?.destroy();
  });

  describe.each([
    ['the stock peer', 'stock'],
    ['the Outpost peer', 'outpost'],
  ] as const)('crossing offers, %s holding the larger token', (_, larger) => {
    it('both end connected and synced', async () => {
      const workspace = await newWorkspace('Glare');
      const { server, url } = await relay(workspace);
      // Nothing gets through until the relay has made the two offers cross.
      await server.call('hold');
      const outpost = outpostPeer();
      const stock = stockPeer();
      const outpostId = await outpost.call<string>('start', {
        invite: workspace.invite,
        signaling: [url],
        name: 'Outpost',
      });
      const stockId = await stock.call<string>('join', { ...workspace, signaling: [url] });
      await server.call('glare', { larger: larger === 'stock' ? stockId : outpostId });

      await outpost.call('addNotes', { titles: ['from Outpost'] });
      await stock.call('addNote', { title: 'from stock y-webrtc' });
      const both = ['from Outpost', 'from stock y-webrtc'];
      expect(await stock.call<Titles>('waitTitles', { count: 2, timeoutMs: 30_000 })).toEqual({
        ok: true,
        titles: both,
      });
      expect(
        (await outpost.call<Titles>('waitTitles', { count: 2, timeoutMs: 30_000 }, 35_000)).titles,
      ).toEqual(both);
      expect((await outpost.call<Synced>('waitPeers', { count: 1 })).ok).toBe(true);

      // The offers did cross, with the intended side holding the larger token.
      const offers = await server.call<Array<{ from: string; token: number }>>('offers');
      const tokenOf = (id: string) => offers.find((offer) => offer.from === id)!.token;
      const [big, small] = larger === 'stock' ? [stockId, outpostId] : [outpostId, stockId];
      expect(tokenOf(big)).toBeGreaterThan(tokenOf(small));
    });
  });
});
