/**
 * Real peers in a private network namespace (../shared/docs/TESTING.md): separate processes, real
 * WebRTC (@roamhq/wrtc), the app's own signaling server, its own sync provider, and its own main
 * process (fake Electron API) for mDNS discovery.
 */
import { describe, expect, it } from 'vitest';
import type { SyncNetwork } from '../../shared/ipc/syncContract';
import { encodeInvite } from '../../shared/protocol/invite';
import { signalingUrls } from '../../renderer/sync/teamSync';
import { createWorkspaceSecrets } from '../../shared/protocol/keys';
import { netnsUnavailable, NETNS_SKIP_REASON } from './netns';
import { useNetnsSignaling } from './netnsSignaling';

const available = netnsUnavailable() === null;
if (!available) console.warn(NETNS_SKIP_REASON());

type Titles = { ok: boolean; titles: string[] };

describe.runIf(available)('sync between real peers', { timeout: 90_000 }, () => {
  const net = useNetnsSignaling();
  const peer = (script?: string) => net.start(script);
  const newInvite = (name: string) => encodeInvite({ ...createWorkspaceSecrets(), name });

  it('two Node peers converge and see each other in awareness', async () => {
    const invite = newInvite('Two peers');
    const [a, b] = [peer(), peer()];
    await a.call('start', { invite, signaling: [net.url()], name: 'A' });
    await a.call('addNotes', { titles: ['from A 1', 'from A 2'] });
    await b.call('start', { invite, signaling: [net.url()], name: 'B' });
    await b.call('addNotes', { titles: ['from B'] });
    const expected = ['from A 1', 'from A 2', 'from B'];
    expect((await a.call<Titles>('waitTitles', { count: 3 })).titles).toEqual(expected);
    expect((await b.call<Titles>('waitTitles', { count: 3 })).titles).toEqual(expected);
    await expect(a.call('contentDigest')).resolves.toBe(await b.call('contentDigest'));
    expect(((await a.call<string[]>('awarenessNames')) ?? []).sort()).toEqual(['A', 'B']);
    // Live edits after the initial sync, and nothing left unshared on either side.
    await b.call('addNotes', { titles: ['live from B'] });
    expect((await a.call<Titles>('waitTitles', { count: 4 })).ok).toBe(true);
    // B confirms what it applied (its have message), so nothing is left unshared on A.
    await expect(a.call('waitShared')).resolves.toEqual({
      ok: true,
      unshared: { items: 0, bytes: 0 },
    });
  });

  it('a third-party client built from docs/PROTOCOL.md joins from the invite code', async () => {
    const invite = newInvite('Open protocol');
    const outpost = peer();
    const other = peer('test/sync/thirdPartyClient.ts');
    await outpost.call('start', { invite, signaling: [net.url()], name: 'Outpost' });
    await outpost.call('addNotes', { titles: ['written by Outpost'] });
    const joined = await other.call<{ name: string }>('start', {
      invite,
      signaling: [net.url()],
    });
    expect(joined.name).toBe('Open protocol');
    await other.call('addNote', { title: 'written by a stock y-webrtc client' });
    const both = ['written by Outpost', 'written by a stock y-webrtc client'].sort();
    expect((await other.call<Titles>('waitTitles', { count: 2 })).titles).toEqual(both);
    expect((await outpost.call<Titles>('waitTitles', { count: 2 })).titles).toEqual(both);
  });

  it('a stock y-webrtc client and Outpost exchange states larger than one message, in pieces', async () => {
    const invite = newInvite('Stock holds more');
    const outpost = peer();
    const other = peer('test/sync/thirdPartyClient.ts');
    await outpost.call('start', { invite, signaling: [net.url()], name: 'Outpost' });
    // 200 KB: over the 64 KiB Outpost sends unchunked to its own peers, under what a stock
    // client takes in one message (256 KiB).
    await outpost.call('fill', { bytes: 200_000 });
    const outpostTitles = await outpost.call<string[]>('titles');
    // Six devices' notes: together 700 KB, which a stock client sends as one answer to a state
    // vector, and its WebRTC stack (@roamhq/wrtc) closes the channel instead of sending it.
    const size = await other.call<number>('fillAuthors', {
      sizes: [100_000, 120_000, 120_000, 120_000, 120_000, 120_000],
    });
    expect(size).toBeGreaterThan(700_000);
    await other.call('start', { invite, signaling: [net.url()] });
    const devices = ['device 0', 'device 1', 'device 2', 'device 3', 'device 4', 'device 5'];
    const all = [...outpostTitles, ...devices].sort();
    const got = await outpost.call<Titles>('waitTitles', { count: all.length, timeoutMs: 25_000 });
    expect(got.titles).toEqual(all);
    expect((await other.call<Titles>('waitTitles', { count: all.length })).titles).toEqual(all);
    // y-webrtc sends every update it applies to its peers, ours too: that tells Outpost the
    // stock client holds its state, so it is in sync.
    await expect(outpost.call('waitPeers', { count: 1 })).resolves.toMatchObject({ ok: true });
  });

  it("a stock y-webrtc client that cannot receive Outpost's state is not shown in sync", async () => {
    const invite = newInvite('Stock cannot take it');
    const outpost = peer();
    const other = peer('test/sync/thirdPartyClient.ts');
    await outpost.call('start', { invite, signaling: [net.url()], name: 'Outpost' });
    // 300 KB written on one device: more than one message a stock client can take, and Yjs has
    // no smaller answer for one device's changes.
    await outpost.call('fill', { bytes: 300_000 });
    const outpostTitles = await outpost.call<string[]>('titles');
    await other.call('fillAuthors', { sizes: [1_000] });
    await other.call('start', { invite, signaling: [net.url()] });
    const got = await outpost.call<Titles>('waitTitles', { count: outpostTitles.length + 1 });
    expect(got.titles).toContain('device 0');
    // Give a wrong "in sync" the time to show (the status settles within 100 ms of a change).
    await new Promise((resolve) => setTimeout(resolve, 1000));
    type Status = { peers: Array<Record<string, unknown>> };
    const [stock] = (await outpost.call<Status>('status')).peers;
    expect(stock).toMatchObject({ state: 'connected', weLack: 0 });
    expect(stock!.theyLack).toBeGreaterThan(300_000);
    expect(await other.call<string[]>('titles')).toEqual(['device 0']);
  });

  it('a 5 MB workspace syncs whole to a fresh peer; wrong-key peers get nothing', async () => {
    const invite = newInvite('Big');
    const owner = peer();
    await owner.call('start', { invite, signaling: [net.url()], name: 'Owner' });
    const size = await owner.call<number>('fill', { bytes: 5_200_000 });
    expect(size).toBeGreaterThan(5 * 1024 * 1024 * 0.95);
    const count = (await owner.call<string[]>('titles')).length;

    const fresh = peer();
    const otherKey = peer();
    const wrongPassword = peer();
    await fresh.call('start', { invite, signaling: [net.url()], name: 'Fresh' });
    // Another workspace's key: another room, never meets the owner.
    await otherKey.call('start', { invite: newInvite('Big'), signaling: [net.url()] });
    // The right room name (a signaling server knows it) but not the key: nothing decrypts.
    await wrongPassword.call('start', {
      invite,
      password: 'not-the-password-derived-from-the-key-0000',
      signaling: [net.url()],
    });
    const got = await fresh.call<Titles>('waitTitles', { count, timeoutMs: 40_000 }, 45_000);
    expect(got.ok).toBe(true);
    await expect(fresh.call('contentDigest')).resolves.toBe(await owner.call('contentDigest'));
    await expect(fresh.call('stateSize')).resolves.toBeGreaterThan(5 * 1024 * 1024 * 0.95);

    expect(await otherKey.call('titles')).toEqual([]);
    expect(await wrongPassword.call('titles')).toEqual([]);
    expect((await wrongPassword.call<{ peers: unknown[] }>('status')).peers).toEqual([]);
    const ownerWire = await owner.call<{ undecryptable: number }>('wire');
    expect(ownerWire.undecryptable).toBeGreaterThan(0);
  });

  it('two main processes find each other by mDNS and their renderers sync through them', async () => {
    const invite = newInvite('Found by mDNS');
    const [a, b] = [peer(), peer()];
    await a.call('startMain', { port: 47_601 });
    await b.call('startMain', { port: 47_602 });
    const foundA = await a.call<{ ok: boolean; network: SyncNetwork }>('waitLanServers', {
      count: 1,
    });
    const foundB = await b.call<{ ok: boolean; network: SyncNetwork }>('waitLanServers', {
      count: 1,
    });
    expect(foundA.ok && foundB.ok).toBe(true);
    expect(foundA.network.lanServers.map((s) => s.url)).toEqual([
      expect.stringMatching(/^ws:\/\/10\.77\.0\.\d:47602$/),
    ]);
    expect(foundB.network.lanServers.map((s) => s.url)).toEqual([
      expect.stringMatching(/^ws:\/\/10\.77\.0\.\d:47601$/),
    ]);
    // Each "renderer" uses what its main process offers, as the app does (its own server plus
    // the discovered ones): no configuration at all.
    await a.call('start', { invite, signaling: signalingUrls(foundA.network, null, null) });
    await b.call('start', { invite, signaling: signalingUrls(foundB.network, null, null) });
    await a.call('addNotes', { titles: ['via discovered server'] });
    expect((await b.call<Titles>('waitTitles', { count: 1 })).titles).toEqual([
      'via discovered server',
    ]);
  });
});
