/**
 * Connection lifecycle between the app's sync provider and stock y-webrtc 10.3 peers, for real:
 * separate processes in a private network namespace (../shared/docs/TESTING.md), WebRTC over
 * @roamhq/wrtc. The Outpost side is renderer/sync/peer/peerSync.ts itself, run in Node by nodePeer.ts;
 * the other side is stock `yjs` + `y-webrtc` (stockPeer.ts). Signaling goes through relayProcess.ts,
 * a server that lets a test steer or replay what peers hear. The churn of 100 stock peers runs
 * against the app in Chromium instead (../e2e/peerChurn.test.ts): under that churn @roamhq/wrtc
 * crashed the Node process here about one run in three.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { encodeInvite } from '../../shared/protocol/invite';
import { createWorkspaceSecrets, deriveSignalingPassword } from '../../shared/protocol/keys';
import { deriveRoomName } from '../../shared/protocol/roomEpoch';
import type { PeerSyncStatus } from '../../renderer/sync/peer/peerSync';
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

const connecting = (status: PeerSyncStatus) =>
  status.peers.filter((peer) => peer.state === 'connecting').length;

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

  /** Polls an Outpost peer's status until `check` holds; false if it never does within `ms`. */
  const waitStatus = async (
    peer: PeerProcess,
    check: (status: PeerSyncStatus) => boolean,
    ms: number,
  ): Promise<{ ok: boolean; status: PeerSyncStatus }> => {
    const until = Date.now() + ms;
    for (;;) {
      const status = await peer.call<PeerSyncStatus>('status');
      if (check(status) || Date.now() > until) return { ok: check(status), status };
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
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

  it('announces replayed from departed peers neither fill the limit nor stay "connecting"', async () => {
    const workspace = await newWorkspace('Replayed');
    const { server, url } = await relay(workspace);
    const outpost = outpostPeer();
    // A limit of 2 working connections, so three stale entries would fill it if they counted.
    await outpost.call('start', {
      invite: workspace.invite,
      signaling: [url],
      maxConns: 2,
      handshakeTimeoutMs: 3000,
    });
    await outpost.call('addNotes', { titles: ['kept by Outpost'] });
    // Three stock peers come, sync and leave; the relay keeps what they announced.
    const stock = stockPeer();
    const left = await stock.call<Record<string, number>>(
      'cycles',
      { ...workspace, signaling: [url], count: 3, only: 'synced' },
      60_000,
    );
    expect(left).toMatchObject({ synced: 3, timedOut: 0 });
    // Their departure left nothing behind.
    expect((await waitStatus(outpost, (s) => s.peers.length === 0, 30_000)).ok).toBe(true);

    // Someone who holds no key replays those announces (they are only ciphertext to them).
    expect(await server.call<number>('replayAnnounces', { times: 2 })).toBeGreaterThanOrEqual(3);
    // Outpost takes them for peers and starts handshakes that nobody will answer.
    expect((await waitStatus(outpost, (s) => connecting(s) > 0, 10_000)).ok).toBe(true);
    // A new peer still gets in and syncs while the replayed handshakes are pending.
    const newcomer = stockPeer();
    await newcomer.call('join', { ...workspace, signaling: [url] });
    expect((await newcomer.call<Titles>('waitTitles', { count: 1, timeoutMs: 30_000 })).ok).toBe(
      true,
    );
    // And the handshakes nobody answers are given up: no entry stays "connecting".
    const settled = await waitStatus(outpost, (s) => connecting(s) === 0, 60_000);
    expect(settled.status.peers.map((peer) => peer.state)).toEqual(['synced']);
  });
});
