/**
 * Two peers that cannot route to each other (test/sync/splitNetwork.ts: each in its own namespace,
 * both joined only to a middle one that forwards nothing) connect through coturn's turnserver in
 * the middle, with the TURN settings a team keeps (renderer/sync/teamSync.ts `iceServersFor`), and
 * sync a workspace. Which route WebRTC chose is read from each connection's own statistics.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInterface } from 'node:readline';
import { encodeInvite } from '../../shared/protocol/invite';
import { createWorkspaceSecrets } from '../../shared/protocol/keys';
import type { TurnSettings } from '../../shared/protocol/teamNetwork';
import { iceServersFor, relayOnlyFor } from '../../renderer/sync/teamSync';
import { netnsUnavailable, NETNS_SKIP_REASON } from './netns';
import { rpc, startScript, type PeerProcess } from './peerProcess';
import { createSplitNetwork, type SplitNetwork } from './splitNetwork';
import { startTurnServer, turnserverUnavailable, TURN_PORT, type TurnServer } from './turnServer';

const unavailable = netnsUnavailable() ?? turnserverUnavailable();
if (unavailable) console.warn(`Skipping the TURN tests: ${unavailable}`);
if (netnsUnavailable()) console.warn(NETNS_SKIP_REASON());

type Titles = { ok: boolean; titles: string[] };
interface Candidate {
  readonly type: string;
  readonly address: string;
}
interface Route {
  readonly policy: string;
  readonly iceServers: unknown[];
  readonly local: Candidate | null;
  readonly remote: Candidate | null;
}

describe.runIf(unavailable === null)('sync through a TURN server', { timeout: 90_000 }, () => {
  let net: SplitNetwork;
  let turn: TurnServer;
  let signalingPort: number;
  const peers: PeerProcess[] = [];
  let closeSignaling: () => void = () => {};

  beforeAll(async () => {
    net = createSplitNetwork();
    turn = await startTurnServer(net.mid, [net.midFromA, net.midFromB]);
    const signaling = startScript('test/sync/signalingProcess.ts', net.mid);
    signalingPort = await new Promise<number>((resolve) =>
      createInterface({ input: signaling.stdout! }).once('line', (line) =>
        resolve((JSON.parse(line) as { port: number }).port),
      ),
    );
    closeSignaling = () => signaling.stdin?.end();
  }, 60_000);

  afterAll(async () => {
    await Promise.all(peers.map((p) => p.call('exit', {}, 3000).catch(() => {})));
    await Promise.all(peers.map((p) => p.close()));
    closeSignaling();
    turn?.stop();
    net?.destroy();
  }, 60_000);

  /** A team's TURN settings as the app keeps them, seen from a peer that reaches `address`. */
  const teamTurn = (address: string, relayOnly: boolean): TurnSettings => ({
    urls: [`turn:${address}:${TURN_PORT}?transport=udp`],
    username: turn.username,
    credential: turn.credential,
    relayOnly,
  });

  /** Peer a in one namespace, peer b in the other, each with the team's TURN settings. */
  async function twoPeers(name: string, relayOnly: boolean): Promise<[PeerProcess, PeerProcess]> {
    const invite = encodeInvite({ ...createWorkspaceSecrets(), name });
    const a = rpc(startScript('test/sync/nodePeer.ts', net.a));
    const b = rpc(startScript('test/sync/nodePeer.ts', net.b));
    peers.push(a, b);
    for (const [peer, side, address] of [
      [a, 'A', net.midFromA],
      [b, 'B', net.midFromB],
    ] as const) {
      const entry = { turn: teamTurn(address, relayOnly) };
      await peer.call('start', {
        invite,
        name: side,
        signaling: [`ws://${address}:${signalingPort}`],
        iceServers: iceServersFor(entry, null),
        relayOnly: relayOnlyFor(entry),
      });
    }
    return [a, b];
  }

  async function expectSynced(a: PeerProcess, b: PeerProcess): Promise<void> {
    await a.call('addNotes', { titles: ['written in Lisbon'] });
    await b.call('addNotes', { titles: ['written in Manila'] });
    const both = ['written in Lisbon', 'written in Manila'];
    expect((await a.call<Titles>('waitTitles', { count: 2 })).titles).toEqual(both);
    expect((await b.call<Titles>('waitTitles', { count: 2 })).titles).toEqual(both);
    await expect(a.call('contentDigest')).resolves.toBe(await b.call('contentDigest'));
  }

  it('the two namespaces reach the middle but not each other', () => {
    // The middle forwards nothing, and each side knows only its own link to the middle: whatever
    // connects a and b must answer on the middle's addresses.
    expect(net.mid.exec('sysctl', ['-n', 'net.ipv4.ip_forward']).trim()).toBe('0');
    expect(net.a.exec('ip', ['-4', '-o', 'addr', 'show', 'scope', 'global'])).toContain(
      `${net.aAddress}/24`,
    );
    expect(net.a.exec('ip', ['-4', '-o', 'addr', 'show', 'scope', 'global'])).not.toContain(
      '10.81.2.',
    );
    expect(net.b.exec('ip', ['-4', '-o', 'addr', 'show', 'scope', 'global'])).not.toContain(
      '10.81.1.',
    );
  });

  it('relay-only: both sides send through coturn and the workspace syncs', async () => {
    const [a, b] = await twoPeers('Relay only', true);
    await expectSynced(a, b);
    for (const [peer, relayAddress] of [
      [a, net.midFromA],
      [b, net.midFromB],
    ] as const) {
      const routes = await peer.call<Route[]>('routes');
      expect(routes).toHaveLength(1);
      const [route] = routes;
      expect(route).toMatchObject({ policy: 'relay', local: { type: 'relay' } });
      // The relayed address is one of the TURN server's: coturn, listening on both sides of the
      // middle, allocates on either (it picked the far side once in CI), and forwards between its
      // own allocations itself. This peer reaches it through the side facing it.
      expect([net.midFromA, net.midFromB]).toContain(route!.local!.address);
      expect(relayAddress).toMatch(/^10\.81\./);
      expect(route!.remote!.type).toBe('relay');
    }
  });

  it('the normal policy tries the direct route, and falls back to coturn when it fails', async () => {
    const [a, b] = await twoPeers('Falls back', false);
    await expectSynced(a, b);
    for (const peer of [a, b]) {
      const routes = await peer.call<Route[]>('routes');
      expect(routes).toHaveLength(1);
      const [route] = routes;
      expect(route!.policy).toBe('all');
      // A direct (host ↔ host) pair cannot work here: at least one end is a TURN relay (the
      // other end may be the far peer's host address, which the TURN server in the middle
      // reaches).
      expect([route!.local?.type, route!.remote?.type]).toContain('relay');
      // The direct route was on offer: this side gathered its host candidate as well.
      expect(await peer.call<string[]>('candidateTypes')).toEqual(
        expect.arrayContaining(['host', 'relay']),
      );
    }
  });
});
