/**
 * Replayed signaling from a real session (issue 16): a neighbour without the key records every
 * sealed message two real Outpost peers exchanged through a signaling server while they met and
 * synced, waits until one of them has left, and publishes the recording again. The peer still
 * there hears every replayed message and acts on none: no handshake with the departed peer, no
 * connection, nothing changes. Real processes and WebRTC in a private network namespace
 * (../shared/docs/TESTING.md); the stamps doing this are in renderer/sync/peer/signalFreshness.ts.
 */
import { describe, expect, it } from 'vitest';
import { encodeInvite } from '../../shared/protocol/invite';
import { createWorkspaceSecrets, deriveSignalingPassword } from '../../shared/protocol/keys';
import { roomNamesAt } from '../../shared/protocol/roomEpoch';
import { deriveSignalingKey, openSignal } from '../../shared/protocol/signalingCrypto';
import type { PeerSyncStatus, WireStats } from '../../renderer/sync/peer/peerSync';
import { netnsUnavailable, NETNS_SKIP_REASON } from './netns';
import { useNetnsSignaling } from './netnsSignaling';

const available = netnsUnavailable() === null;
if (!available) console.warn(NETNS_SKIP_REASON());

type Titles = { ok: boolean; titles: string[] };
type Frame = { topic: string; data: unknown };

describe.runIf(available)('replayed signaling', { timeout: 90_000 }, () => {
  const network = useNetnsSignaling();
  const start = (script: string) => network.start(script);

  it('messages captured from a real session and replayed after a peer left have no effect', async () => {
    const secrets = createWorkspaceSecrets();
    const invite = encodeInvite({ ...secrets, name: 'Replayed' });
    // The room names are on the wire for anyone to see; the key is not.
    const rooms = await roomNamesAt(secrets.secretKey, Date.now());
    const tap = start('test/sync/signalTap.ts');
    await tap.call('tap', { url: network.url(), topics: rooms });
    // The test opens what the neighbour records with the key, only to know what A should hear;
    // the neighbour cannot.
    const password = await deriveSignalingPassword(secrets.secretKey);
    const keys = new Map(
      await Promise.all(
        rooms.map(async (room) => [room, await deriveSignalingKey(password, room)] as const),
      ),
    );
    const recordedSoFar = async () => {
      const recorded = await tap.call<Frame[]>('recorded');
      const opened = await Promise.all(
        recorded.map((frame) => openSignal(keys.get(frame.topic)!, frame.data)),
      );
      return { recorded, opened: opened as Array<{ from?: unknown; type?: string } | undefined> };
    };

    const [a, b] = [start('test/sync/nodePeer.ts'), start('test/sync/nodePeer.ts')];
    const aId = await a.call<string>('start', { invite, signaling: [network.url()], name: 'A' });
    // B starts once A is in every room (A announces in a room after subscribing there): else on a
    // busy machine B's announce could pass A's subscription, and the recording would hold a
    // message of B's that A never heard, which A would take as new when replayed.
    await expect
      .poll(async () => {
        const { recorded, opened } = await recordedSoFar();
        const announced = recorded.filter(
          (_, index) => opened[index]?.from === aId && opened[index]?.type === 'announce',
        );
        return new Set(announced.map((frame) => frame.topic)).size;
      })
      .toBe(rooms.length);
    await b.call('start', { invite, signaling: [network.url()], name: 'B' });
    await b.call('addNotes', { titles: ['before the replay'] });
    expect((await a.call<Titles>('waitTitles', { count: 1 })).titles).toEqual([
      'before the replay',
    ]);
    await expect(a.call('waitPeers', { count: 1 })).resolves.toMatchObject({ ok: true });

    // B leaves; A notices.
    await b.call('exit', {}, 3000).catch(() => {});
    await expect.poll(async () => (await a.call<PeerSyncStatus>('status')).peers).toEqual([]);

    // What the neighbour recorded: B's announce, offer or answer, and candidates.
    const { recorded, opened } = await recordedSoFar();
    const fromB = opened.filter((value) => value?.from !== aId) as Array<{ type: string }>;
    expect(fromB.map((value) => value.type)).toContain('announce');
    expect(fromB.filter((value) => value.type === 'signal').length).toBeGreaterThan(0);

    const before = await a.call<WireStats>('wire');
    await tap.call('replay', { frames: recorded });
    // A hears every replayed message of B's and refuses each as already seen…
    await expect
      .poll(async () => (await a.call<WireStats>('wire')).unfresh - before.unfresh)
      .toBe(fromB.length);
    // …so it starts no handshake with the peer that left, and nothing else changed.
    expect((await a.call<PeerSyncStatus>('status')).peers).toEqual([]);
    expect((await a.call<string[]>('titles')).sort()).toEqual(['before the replay']);
    const after = await a.call<WireStats>('wire');
    expect(after.undecryptable).toBe(before.undecryptable);
  });
});
