/**
 * Lazy documents between real peers (../shared/docs/TESTING.md): separate processes in a private
 * network namespace, real WebRTC (@roamhq/wrtc), the app's signaling server and sync provider,
 * with in-memory storage for the lazy documents (memoryLazyDocs.ts). Two Outpost peers exchange
 * them after the root and send live edits; a third-party client lists the same fingerprints of
 * deletions as Outpost, so only a document whose deletions differ goes; a stock y-webrtc client
 * still syncs the root with a provider that has them.
 */
import { describe, expect, it } from 'vitest';
import { encodeInvite } from '../../shared/protocol/invite';
import { createWorkspaceSecrets } from '../../shared/protocol/keys';
import { netnsUnavailable, NETNS_SKIP_REASON } from './netns';
import { useNetnsSignaling } from './netnsSignaling';

const available = netnsUnavailable() === null;
if (!available) console.warn(NETNS_SKIP_REASON());

type Titles = { ok: boolean; titles: string[] };
const ids = (prefix: string, count: number) =>
  Array.from(
    { length: count },
    (_, i) => `${prefix}${String(i).padStart(22 - prefix.length, '0')}`,
  );

describe.runIf(available)('lazy documents between real peers', { timeout: 90_000 }, () => {
  const net = useNetnsSignaling();
  const newInvite = (name: string) => encodeInvite({ ...createWorkspaceSecrets(), name });

  it('two Outpost peers exchange them after the root, then live edits', async () => {
    const invite = newInvite('Lazy pair');
    const [a, b] = [net.start(), net.start()];
    await a.call('lazyWrite', { ids: ids('a', 400), text: 'written on A '.repeat(40) });
    await b.call('lazyWrite', { ids: ids('b', 300), text: 'written on B '.repeat(40) });
    // Both hold these, each with its own writing.
    await a.call('lazyWrite', { ids: ids('both', 50), text: 'A: ' });
    await b.call('lazyWrite', { ids: ids('both', 50), text: 'B: ' });
    await a.call('start', { invite, signaling: [net.url()], name: 'A', lazy: true });
    await a.call('addNotes', { titles: ['root of A'] });
    await b.call('start', { invite, signaling: [net.url()], name: 'B', lazy: true });
    expect((await b.call<Titles>('waitTitles', { count: 1 })).titles).toEqual(['root of A']);
    await expect(a.call('waitLazyDone', { count: 1 })).resolves.toMatchObject({ ok: true });
    await expect(b.call('waitLazyDone', { count: 1 })).resolves.toMatchObject({ ok: true });
    const snapshot = await a.call<Record<string, string>>('lazySnapshot');
    expect(Object.keys(snapshot)).toHaveLength(750);
    expect(await b.call('lazySnapshot')).toEqual(snapshot);

    const [edited] = ids('b', 1);
    await b.call('lazyWrite', { ids: [edited], text: 'live from B. ' });
    const expected = `live from B. ${'written on B '.repeat(40)}`;
    await expect(a.call('waitLazyText', { doc: edited, text: expected })).resolves.toEqual({
      ok: true,
      text: expected,
    });
  });

  it('a third-party client built from docs/PROTOCOL.md exchanges root and lazy documents', async () => {
    const invite = newInvite('Lazy third party');
    const outpost = net.start();
    const other = net.start('test/sync/thirdPartyLazyClient.ts');
    await outpost.call('lazyWrite', { ids: ids('o', 60), text: 'on Outpost '.repeat(30) });
    await outpost.call('start', { invite, signaling: [net.url()], name: 'Outpost', lazy: true });
    await outpost.call('addNotes', { titles: ['root note from Outpost'] });
    const theirs = await other.call<string>('addNote', { title: 'from the client', body: 'hi' });
    await other.call('start', { invite, signaling: [net.url()] });
    const all = ['from the client', 'root note from Outpost'];
    expect((await other.call<Titles>('waitTitles', { count: 2 })).titles).toEqual(all);
    expect((await outpost.call<Titles>('waitTitles', { count: 2 })).titles).toEqual(all);
    await expect(other.call('waitDone')).resolves.toEqual({ ok: true });
    await expect(outpost.call('waitLazyDone', { count: 1 })).resolves.toMatchObject({ ok: true });
    const snapshot = await outpost.call<Record<string, string>>('lazySnapshot');
    expect(Object.keys(snapshot)).toHaveLength(61);
    expect(await other.call('lazySnapshot')).toEqual(snapshot);

    // Live edits both ways.
    await other.call('editBody', { doc: theirs, text: 'edited: ' });
    await expect(
      outpost.call('waitLazyText', { doc: theirs, text: 'edited: hi' }),
    ).resolves.toEqual({ ok: true, text: 'edited: hi' });
    const [ours] = ids('o', 1);
    await outpost.call('lazyWrite', { ids: [ours], text: 'live ' });
    const expected = `live ${'on Outpost '.repeat(30)}`;
    await expect(other.call('waitLazyText', { doc: ours, text: expected })).resolves.toEqual({
      ok: true,
      text: expected,
    });
  });

  it('a third-party client lists the same fingerprints of deletions as Outpost, so only what differs goes', async () => {
    const invite = newInvite('Lazy deletions');
    const outpost = net.start();
    const other = net.start('test/sync/thirdPartyLazyClient.ts');
    const held = ids('del', 40);
    await outpost.call('lazyWrite', { ids: held, text: 'a body written on Outpost' });
    await outpost.call('lazyDelete', { ids: held, count: 4 });
    // The client holds the same documents (as if synced before), then deletes more of one.
    const updates = await outpost.call<Record<string, string>>('lazyUpdates', { ids: held });
    await other.call('holdBodies', { updates });
    const [changed] = held;
    await other.call('deleteInBody', { doc: changed, count: 2 });
    await outpost.call('start', { invite, signaling: [net.url()], name: 'Outpost', lazy: true });
    await other.call('start', { invite, signaling: [net.url()] });
    await expect(other.call('waitDone')).resolves.toEqual({ ok: true });
    const { ok, status } = await outpost.call<{
      ok: boolean;
      status: { peers: Array<{ lazyDocs?: { sent: number; received: number } }> };
    }>('waitLazyDone', { count: 1 });
    expect(ok).toBe(true);
    // Only the document whose deletions differ went, each way; the other 39 matched.
    expect(status.peers[0]?.lazyDocs).toMatchObject({ sent: 1, received: 1 });
    const snapshot = await outpost.call<Record<string, string>>('lazySnapshot');
    expect(await other.call('lazySnapshot')).toEqual(snapshot);
    expect(snapshot[changed!]).toMatch(/^ written on Outpost @/);
  });

  it('an Outpost without lazy documents syncs the root with one that has them, as before', async () => {
    const invite = newInvite('Lazy and plain');
    const [lazy, plain] = [net.start(), net.start()];
    await lazy.call('lazyWrite', { ids: ids('p', 20), text: 'body' });
    await lazy.call('start', { invite, signaling: [net.url()], name: 'Lazy', lazy: true });
    await lazy.call('addNotes', { titles: ['from the lazy side'] });
    await plain.call('start', { invite, signaling: [net.url()], name: 'Plain' });
    await plain.call('addNotes', { titles: ['from the plain side'] });
    const both = ['from the lazy side', 'from the plain side'];
    expect((await plain.call<Titles>('waitTitles', { count: 2 })).titles).toEqual(both);
    expect((await lazy.call<Titles>('waitTitles', { count: 2 })).titles).toEqual(both);
    type Status = { ok: boolean; status: { peers: Array<Record<string, unknown>> } };
    const seen = await lazy.call<Status>('waitPeers', { count: 1 });
    expect(seen.ok).toBe(true);
    expect(seen.status.peers[0]).toMatchObject({ kind: 'outpost', lazyDocs: null });
    await lazy.call('lazyWrite', { ids: ids('p', 1), text: 'live ' });
    await plain.call('addNotes', { titles: ['after the edit'] });
    expect((await lazy.call<Titles>('waitTitles', { count: 3 })).ok).toBe(true);
    expect(await plain.call('lazySnapshot')).toEqual({});
  });

  it('a stock y-webrtc client syncs the root with an Outpost provider that has lazy documents', async () => {
    const invite = newInvite('Lazy and stock');
    const outpost = net.start();
    const other = net.start('test/sync/thirdPartyClient.ts');
    await outpost.call('lazyWrite', { ids: ids('s', 20), text: 'body' });
    await outpost.call('start', { invite, signaling: [net.url()], name: 'Outpost', lazy: true });
    await outpost.call('addNotes', { titles: ['written by Outpost'] });
    await other.call('start', { invite, signaling: [net.url()] });
    await other.call('addNote', { title: 'written by a stock y-webrtc client' });
    const both = ['written by Outpost', 'written by a stock y-webrtc client'].sort();
    expect((await other.call<Titles>('waitTitles', { count: 2 })).titles).toEqual(both);
    expect((await outpost.call<Titles>('waitTitles', { count: 2 })).titles).toEqual(both);
    type Status = { ok: boolean; status: { peers: Array<Record<string, unknown>> } };
    const seen = await outpost.call<Status>('waitPeers', { count: 1 });
    expect(seen.ok).toBe(true);
    // A stock client is no lazy peer: the exchange never starts with it.
    expect(seen.status.peers[0]).toMatchObject({ kind: 'stock', lazyDocs: null });
  });
});
