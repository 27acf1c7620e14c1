/**
 * A removed device that is still running is refused at the handshake (docs/PROTOCOL.md §5.4,
 * "Device proof"): separate processes with the app's provider over real WebRTC in a private
 * network namespace (../shared/docs/TESTING.md). Ana's and Bea's devices hold Cai's removal; Cai's
 * device, on the same key and room, does not know of it yet. Ana and Bea meet and sync; both refuse
 * Cai's device ("refused: removed from the team") and its note never reaches them.
 *
 * "Never" without waiting for time to pass: Cai writes first and is refused by Ana; Bea writes
 * after and Ana receives Bea's note — anything Cai's device could deliver would have come first.
 */
import { describe, expect, it, onTestFailed } from 'vitest';
import { encodeInvite } from '../../shared/protocol/invite';
import { createWorkspaceSecrets } from '../../shared/protocol/keys';
import type { PeerSyncStatus } from '../../renderer/sync/peer/types';
import { REFUSED_REMOVED } from '../../renderer/sync/teamPeerAuth';
import { netnsUnavailable, NETNS_SKIP_REASON } from './netns';
import { useNetnsSignaling } from './netnsSignaling';

const available = netnsUnavailable() === null;
if (!available) console.warn(NETNS_SKIP_REASON());

type Titles = { ok: boolean; titles: string[] };

describe.runIf(available)('device proof between real peers', { timeout: 90_000 }, () => {
  const network = useNetnsSignaling();

  it('refuses a removed device still running, and its note never arrives', async () => {
    const invite = encodeInvite({ ...createWorkspaceSecrets(), name: 'Proof crew' });
    const [ana, bea, cai] = [network.start(), network.start(), network.start()];
    // A failure prints what each device's provider logged (refusals, stock peers, handshakes).
    onTestFailed(() => {
      for (const [name, peer] of [
        ['Ana', ana],
        ['Bea', bea],
        ['Cai', cai],
      ] as const)
        console.error(`--- ${name}'s log:\n${peer.stderr.join('')}`);
    });
    const start = (name: string, removeCai: boolean) => ({
      invite,
      signaling: [network.url()],
      name,
      proofTeam: { name, removeCai },
    });
    const caiId = await cai.call<string>('start', start('Cai', false));
    await cai.call('addNotes', { titles: ['Cai after removal'] });
    await ana.call('start', start('Ana', true));
    // Ana refuses Cai's device at the handshake, with the reason the Peers card shows.
    await expect
      .poll(async () => (await ana.call<PeerSyncStatus>('status')).refused)
      .toEqual([{ id: caiId, reason: REFUSED_REMOVED, at: expect.any(Number) }]);
    await bea.call('start', start('Bea', true));
    await bea.call('addNotes', { titles: ['Bea after removal'] });
    expect((await ana.call<Titles>('waitTitles', { count: 1 })).titles).toEqual([
      'Bea after removal',
    ]);
    await expect
      .poll(async () => (await bea.call<PeerSyncStatus>('status')).refused)
      .toEqual([{ id: caiId, reason: REFUSED_REMOVED, at: expect.any(Number) }]);
    expect((await ana.call<Titles>('waitTitles', { count: 1 })).titles).toEqual([
      'Bea after removal',
    ]);
    expect((await cai.call<Titles>('waitTitles', { count: 1 })).titles).toEqual([
      'Cai after removal',
    ]);
  });
});
