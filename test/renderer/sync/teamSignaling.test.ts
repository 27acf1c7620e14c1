/**
 * Which signaling servers a team's provider uses: the team's relays serve signaling at their own
 * address, so they are among them (after this device's own, the LAN's and the person's), and
 * they count as internet servers for the sync indicator.
 */
import { describe, expect, it } from 'vitest';
import type { SyncNetwork, SyncSettings } from '../../../shared/ipc/syncContract';
import { internetSignalingUrls, signalingUrls } from '../../../renderer/sync/teamSync';

const network = {
  localServer: { url: 'ws://127.0.0.1:4444' },
  lanServers: [{ url: 'ws://192.168.1.20:4444' }],
} as unknown as SyncNetwork;
const settings = { signalingServers: ['wss://signal.example.org'] } as unknown as SyncSettings;

describe('signaling servers of a team', () => {
  it('include the team relays, in one spelling, after the others, without repeats', () => {
    const team = {
      relays: ['wss://relay.example.org/', 'ws://10.0.0.5:4443', 'wss://signal.example.org'],
    };
    expect(signalingUrls(network, settings, team)).toEqual([
      'ws://127.0.0.1:4444',
      'ws://192.168.1.20:4444',
      'wss://signal.example.org',
      'wss://relay.example.org',
      'ws://10.0.0.5:4443',
    ]);
  });

  it('leave out a stored relay address that is not one', () => {
    expect(
      signalingUrls(null, null, { relays: ['http://not-a-relay', 'ws://10.0.0.5:4443'] }),
    ).toEqual(['ws://10.0.0.5:4443']);
    expect(signalingUrls(network, null, null)).toEqual([
      'ws://127.0.0.1:4444',
      'ws://192.168.1.20:4444',
    ]);
  });

  it('count relays as internet servers, beside the person’s', () => {
    expect(internetSignalingUrls(settings, { relays: ['wss://relay.example.org'] })).toEqual([
      'wss://signal.example.org',
      'wss://relay.example.org',
    ]);
  });
});
