import type { PeerView } from '../../store/syncSlice';

/**
 * What is still on its way with one peer, in words. "In sync" (the peer's state) means each side
 * is known to hold everything the other holds; until then this says which way changes are still
 * missing, and when a peer cannot send some of its changes at all, says that instead of letting
 * "syncing…" promise they will come.
 */
export function peerProgress(
  peer: Pick<PeerView, 'state' | 'theyLack' | 'weLack' | 'unreceivable'>,
): string | null {
  const changes = (count: number) =>
    `${count.toLocaleString('en-US')} ${count === 1 ? 'change' : 'changes'}`;
  if (peer.unreceivable > 0)
    return `Cannot receive ${changes(peer.unreceivable)} from this peer: those made on one of its devices are more than its app can send at once (256 KB, the limit of y-webrtc apps). Everything else syncs.`;
  if (peer.state !== 'connected') return null;
  const parts: string[] = [];
  if (peer.weLack > 0) parts.push(`receiving ${changes(peer.weLack)}`);
  if (peer.theyLack > 0) parts.push(`${changes(peer.theyLack)} not yet confirmed by this peer`);
  return parts.length > 0 ? parts.join(', ') : null;
}
