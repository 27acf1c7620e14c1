/**
 * Weekly room names between real peers (issue 16; shared/protocol/roomEpoch.ts): two devices
 * whose clocks straddle the change of week still meet (a running provider moving rooms by itself
 * is in signalingRooms.test.ts, on a fake clock). Separate processes with real WebRTC in a private network namespace
 * (../shared/docs/TESTING.md); each device's clock is the real one shifted, as a laptop's would be.
 */
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decodeInvite, encodeInvite } from '../../shared/protocol/invite';
import { createWorkspaceSecrets } from '../../shared/protocol/keys';
import { roomEpochAt } from '../../shared/protocol/roomEpoch';
import { netnsUnavailable, NETNS_SKIP_REASON } from './netns';
import { useNetnsSignaling } from './netnsSignaling';

const available = netnsUnavailable() === null;
if (!available) console.warn(NETNS_SKIP_REASON());

type Titles = { ok: boolean; titles: string[] };
const MINUTE = 60_000;

/** The room of `week` as docs/PROTOCOL.md §5.2 defines it, computed apart from the app's code. */
function roomOf(invite: string, week: string): string {
  const decoded = decodeInvite(invite);
  if (!decoded.ok) throw new Error(decoded.error.message);
  return createHmac('sha256', decoded.value.secretKey)
    .update(`outpost/room/v2/${week}`)
    .digest('hex');
}

describe.runIf(available)('weekly signaling rooms', { timeout: 90_000 }, () => {
  const network = useNetnsSignaling();
  const peer = () => network.start();

  it('two devices whose clocks straddle the change of week meet and converge', async () => {
    const invite = encodeInvite({ ...createWorkspaceSecrets(), name: 'Straddling' });
    // The coming Monday 00:00 UTC; one clock 10 minutes before it, the other 10 minutes after
    // (20 minutes apart: within what signaling stamps accept, docs/PROTOCOL.md §5.3).
    const change = roomEpochAt(Date.now()).end;
    const oldWeek = roomEpochAt(change - 1).week;
    const newWeek = roomEpochAt(change).week;
    const [late, early] = [peer(), peer()];
    await late.call('start', {
      invite,
      signaling: [network.url()],
      name: 'still last week',
      clockOffsetMs: change - 10 * MINUTE - Date.now(),
    });
    await early.call('start', {
      invite,
      signaling: [network.url()],
      name: 'already next week',
      clockOffsetMs: change + 10 * MINUTE - Date.now(),
    });
    // Each is in the rooms its own clock calls for: the one in the new week also stays in the
    // old week's room, which is where they meet.
    await expect.poll(() => late.call('roomNames')).toEqual([roomOf(invite, oldWeek)]);
    await expect
      .poll(() => early.call('roomNames'))
      .toEqual([roomOf(invite, newWeek), roomOf(invite, oldWeek)]);

    await late.call('addNotes', { titles: ['from last week'] });
    await early.call('addNotes', { titles: ['from next week'] });
    const both = ['from last week', 'from next week'];
    expect((await late.call<Titles>('waitTitles', { count: 2 })).titles).toEqual(both);
    expect((await early.call<Titles>('waitTitles', { count: 2 })).titles).toEqual(both);
  });
});
