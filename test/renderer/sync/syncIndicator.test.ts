/**
 * The sync indicator's state from plain values: relays count as a place changes are kept for
 * teammates, so "no peer online" with every change on a relay reads "Saved to 2 relays", not
 * unsynced; and the words the sidebar and the Sync page show for each state.
 */
import { describe, expect, it } from 'vitest';
import { deriveIndicator, type IndicatorInputs } from '../../../renderer/sync/syncIndicator';
import { describeIndicator } from '../../../renderer/features/sync/indicatorWords';
import { unsharedNote } from '../../../renderer/features/sync/peerProgress';

const LAN = 'ws://127.0.0.1:4444';
const RELAY_A = 'wss://relay-a.example.org';
const RELAY_B = 'wss://relay-b.example.org';

function inputs(overrides: Partial<IndicatorInputs> = {}): IndicatorInputs {
  return {
    workspaceKind: 'team',
    team: { online: true, peers: [], signaling: [{ url: LAN, state: 'open' }] },
    paused: false,
    relays: [],
    internetServers: [],
    ...overrides,
  };
}

const relay = (reachable: boolean, holdsAll: boolean) => ({ reachable, holdsAll });

describe('the sync indicator', () => {
  it('says "Saved to 2 relays" when no peer is online and both relays hold everything', () => {
    const indicator = deriveIndicator(inputs({ relays: [relay(true, true), relay(false, true)] }));
    expect(indicator).toEqual({
      kind: 'relays-saved',
      relaysListed: 2,
      relaysSaved: 2,
      relaysReachable: 1,
    });
    expect(describeIndicator(indicator)).toMatchObject({ label: 'Saved to 2 relays', tone: 'ok' });
  });

  it('counts only the relays that hold everything', () => {
    const indicator = deriveIndicator(inputs({ relays: [relay(false, false), relay(true, true)] }));
    expect(describeIndicator(indicator).label).toBe('Saved to 1 of 2 relays');
  });

  it('is "Sending to relays…" while a reachable relay still lacks changes', () => {
    const indicator = deriveIndicator(
      inputs({ relays: [relay(true, false), relay(false, false)] }),
    );
    expect(indicator.kind).toBe('relays-sending');
    expect(describeIndicator(indicator)).toMatchObject({
      label: 'Sending to relays…',
      tone: 'lan',
    });
  });

  it('is "Waiting for relay" when no relay is reachable and none holds everything', () => {
    const indicator = deriveIndicator(
      inputs({ team: { online: true, peers: [], signaling: [] }, relays: [relay(false, false)] }),
    );
    expect(indicator.kind).toBe('relays-waiting');
    const described = describeIndicator(indicator);
    expect(described).toMatchObject({ label: 'Waiting for relay', tone: 'off' });
    expect(described.detail).toMatch(/kept here and sent when the relay or a teammate/);
  });

  it('shows connected peers first and adds what the relays hold to the detail', () => {
    const indicator = deriveIndicator(
      inputs({
        team: {
          online: true,
          peers: [{ state: 'synced' }, { state: 'connecting' }],
          signaling: [{ url: LAN, state: 'open' }],
        },
        relays: [relay(true, true)],
      }),
    );
    expect(indicator).toMatchObject({ kind: 'peers', count: 1, relaysSaved: 1 });
    const described = describeIndicator(indicator);
    expect(described.label).toBe('Connected to 1 peer');
    expect(described.detail).toMatch(/also saved to 1 relay\.$/);
  });

  it('is paused when the person works offline, whatever the relays hold', () => {
    expect(deriveIndicator(inputs({ paused: true, relays: [relay(true, true)] })).kind).toBe(
      'paused',
    );
    expect(deriveIndicator(inputs({ paused: true, team: null })).kind).toBe('paused');
  });

  it('keeps the states of a team without relays: LAN only, online through an internet server, offline', () => {
    expect(deriveIndicator(inputs()).kind).toBe('lan-only');
    const viaRelaySignaling = inputs({
      team: { online: true, peers: [], signaling: [{ url: RELAY_B, state: 'open' }] },
      internetServers: [RELAY_A, RELAY_B],
    });
    expect(deriveIndicator(viaRelaySignaling).kind).toBe('online');
    expect(deriveIndicator(inputs({ team: { online: true, peers: [], signaling: [] } })).kind).toBe(
      'offline',
    );
    expect(deriveIndicator(inputs({ team: null })).kind).toBe('starting');
    expect(deriveIndicator(inputs({ workspaceKind: 'personal' })).kind).toBe('local');
  });
});

describe('what is not yet shared, in the peers card', () => {
  it('says a change no teammate has confirmed is saved on the relays that hold it', () => {
    expect(unsharedNote({ items: 3, bytes: 2048 }, { relaysListed: 2, relaysSaved: 2 })).toBe(
      'No teammate has confirmed 3 changes (2.0 KB) yet; they are saved on all 2 relays, where teammates get them when they come online.',
    );
    expect(unsharedNote({ items: 1, bytes: 10 }, { relaysListed: 2, relaysSaved: 1 })).toMatch(
      /^No teammate has confirmed 1 change \(10 B\) yet; it is saved on 1 of 2 relays/,
    );
  });

  it('says "Not yet sent to anyone" only when no relay holds the changes either', () => {
    expect(unsharedNote({ items: 2, bytes: 10 }, { relaysListed: 1, relaysSaved: 0 })).toBe(
      'Not yet sent to anyone: 2 changes (10 B). They are kept here and sent when a relay or a teammate is reachable.',
    );
    expect(unsharedNote({ items: 2, bytes: 10 }, { relaysListed: 0, relaysSaved: 0 })).toMatch(
      /sent when a teammate is reachable\.$/,
    );
    expect(unsharedNote({ items: 0, bytes: 0 }, { relaysListed: 1, relaysSaved: 1 })).toBe(
      'Everything on this device has reached at least one teammate and is saved on the relay.',
    );
  });
});
