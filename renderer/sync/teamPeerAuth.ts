/**
 * Who may connect to this device in a team workspace (docs/PROTOCOL.md §5.4, "Device proof"),
 * read from the document's removals (§8.7): a device a counted removal revoked is refused; once
 * the team has removed anyone, so is a peer that proves no device key, since it could be the
 * removed one. Until then such peers (a stock y-webrtc client, an Outpost from before proofs) are
 * let in as before.
 */
import type * as Y from 'yjs';
import { readTrust } from '../../shared/model';
import { isRevoked, KEY_ROTATIONS_ROOT, readKeyState } from '../../shared/model/rotations';
import type { DeviceSigner } from '../../shared/protocol/identity';
import type { PeerAuth, PeerSync } from './peer/peerSync';

export const REFUSED_REMOVED = 'refused: removed from the team';
export const REFUSED_UNPROVEN =
  'refused: it cannot prove which device it is (an earlier Outpost or another y-webrtc app), and this team has removed someone';

export function teamPeerAuth(
  doc: Y.Doc,
  workspace: string,
  signer: Pick<DeviceSigner, 'key' | 'sign'>,
): PeerAuth {
  return {
    workspace,
    signer,
    refusal(deviceKey) {
      const trust = readTrust(doc, workspace);
      return isRevoked(readKeyState(doc, trust), trust, deviceKey) ? REFUSED_REMOVED : null;
    },
    unprovenRefusal() {
      const keys = readKeyState(doc, readTrust(doc, workspace));
      const removed = keys.counted.some(
        (rotation) => rotation.removedDevices.length > 0 || rotation.removedMembers.length > 0,
      );
      return removed ? REFUSED_UNPROVEN : null;
    },
  };
}

/** Has `provider` decide again about its peers whenever a removal arrives; returns the undo. */
export function reviewPeersOnRemoval(doc: Y.Doc, provider: PeerSync): () => void {
  const rotations = doc.getMap<unknown>(KEY_ROTATIONS_ROOT);
  const review = () => provider.reviewPeers();
  rotations.observeDeep(review);
  return () => rotations.unobserveDeep(review);
}
