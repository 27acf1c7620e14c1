/** The sync panel's words for what is still missing with a peer. */
import { describe, expect, it } from 'vitest';
import { peerProgress } from '../../../../renderer/features/sync/peerProgress';

const peer = (
  state: 'connecting' | 'connected' | 'synced',
  theyLack = 0,
  weLack = 0,
  unreceivable = 0,
) => ({
  state,
  theyLack,
  weLack,
  unreceivable,
});

describe('peer progress', () => {
  it('says nothing for a peer in sync or still connecting', () => {
    expect(peerProgress(peer('synced'))).toBeNull();
    expect(peerProgress(peer('connecting', 5, 5))).toBeNull();
  });

  it('says which way changes are missing', () => {
    expect(peerProgress(peer('connected', 1, 0))).toBe('1 change not yet confirmed by this peer');
    expect(peerProgress(peer('connected', 3, 2))).toBe(
      'receiving 2 changes, 3 changes not yet confirmed by this peer',
    );
  });

  it('says plainly when a peer cannot send some of its changes', () => {
    expect(peerProgress(peer('connected', 0, 400_000, 400_000))).toMatch(
      /^Cannot receive 400,000 changes from this peer: .* \(256 KB, the limit of y-webrtc apps\)/,
    );
  });

  it("says when notes' text is still on its way, even once the rest is in sync", () => {
    const lazy = (phase: 'waiting' | 'exchanging' | 'done' | 'stopped', received: number) => ({
      phase,
      peerHolds: 10,
      weHold: 0,
      received,
      sent: 0,
      storing: 0,
    });
    expect(peerProgress({ ...peer('synced'), lazyDocs: lazy('exchanging', 0) })).toBe(
      "notes' text on its way",
    );
    expect(peerProgress({ ...peer('connected', 0, 2), lazyDocs: lazy('exchanging', 1234) })).toBe(
      "receiving 2 changes, notes' text on its way (1,234 received so far)",
    );
    expect(peerProgress({ ...peer('synced'), lazyDocs: lazy('done', 10) })).toBeNull();
    expect(peerProgress({ ...peer('synced'), lazyDocs: null })).toBeNull();
    expect(peerProgress({ ...peer('synced'), lazyDocs: lazy('stopped', 3) })).toMatch(
      /could not be stored on this device/,
    );
  });
});
