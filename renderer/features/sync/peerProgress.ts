import type { PeerView } from '../../store/syncSlice';
import type { RelayCounts } from '../../sync/syncIndicator';
import { formatBytes } from '../../../shared/storage/recovery';

/**
 * What is still on its way with one peer, in words. "In sync" (the peer's state) means each side
 * is known to hold everything the other holds; until then this says which way changes are still
 * missing, and when a peer cannot send some of its changes at all, says that instead of letting
 * "syncing…" promise they will come.
 */
export function peerProgress(
  peer: Pick<PeerView, 'state' | 'theyLack' | 'weLack' | 'unreceivable'> &
    Partial<Pick<PeerView, 'lazyDocs'>>,
): string | null {
  const changes = (count: number) =>
    `${count.toLocaleString('en-US')} ${count === 1 ? 'change' : 'changes'}`;
  if (peer.unreceivable > 0)
    return `Cannot receive ${changes(peer.unreceivable)} from this peer: those made on one of its devices are more than its app can send at once (256 KB, the limit of y-webrtc apps). Everything else syncs.`;
  if (peer.state !== 'connected' && peer.state !== 'synced') return null;
  const parts: string[] = [];
  if (peer.state === 'connected') {
    if (peer.weLack > 0) parts.push(`receiving ${changes(peer.weLack)}`);
    if (peer.theyLack > 0) parts.push(`${changes(peer.theyLack)} not yet confirmed by this peer`);
  }
  // Notes' text travels after the rest (each body a document of its own): the list and titles
  // are there while it does.
  const lazy = peer.lazyDocs;
  if (lazy?.phase === 'exchanging')
    parts.push(
      lazy.received > 0
        ? `notes' text on its way (${lazy.received.toLocaleString('en-US')} received so far)`
        : "notes' text on its way",
    );
  else if (lazy?.phase === 'stopped')
    parts.push(
      "notes' text could not be stored on this device; it is asked for again on the next connection",
    );
  return parts.length > 0 ? parts.join(', ') : null;
}

/**
 * Where this device's changes are, in words, counting relays as well as peers: a change no
 * teammate has confirmed is not "unsent" when a relay holds it for them.
 */
export function unsharedNote(
  unshared: { readonly items: number; readonly bytes: number },
  relays: Pick<RelayCounts, 'relaysListed' | 'relaysSaved'>,
): string {
  const { relaysListed: listed, relaysSaved: saved } = relays;
  const onRelays =
    saved === 0
      ? ''
      : saved === listed
        ? `${saved === 1 ? 'the relay' : `all ${saved} relays`}`
        : `${saved} of ${listed} relays`;
  if (unshared.items === 0)
    return onRelays
      ? `Everything on this device has reached at least one teammate and is saved on ${onRelays}.`
      : 'Everything on this device has reached at least one teammate.';
  const changes = `${unshared.items} ${unshared.items === 1 ? 'change' : 'changes'} (${formatBytes(unshared.bytes)})`;
  if (onRelays)
    return `No teammate has confirmed ${changes} yet; ${unshared.items === 1 ? 'it is' : 'they are'} saved on ${onRelays}, where teammates get ${unshared.items === 1 ? 'it' : 'them'} when they come online.`;
  return listed > 0
    ? `Not yet sent to anyone: ${changes}. They are kept here and sent when a relay or a teammate is reachable.`
    : `Not yet sent to anyone: ${changes}. They are kept here and sent when a teammate is reachable.`;
}
