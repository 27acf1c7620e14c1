/**
 * Who may connect to this device in a team workspace (docs/PROTOCOL.md §5.4, "Device proof"),
 * read from the document's removals (§8.7) and invite uses (§1.9): a device a counted removal
 * revoked is refused, and so is one that joined with a single-use invite another device used
 * first, or with an invite past its expiry; once the team has removed anyone, so is a peer that
 * proves no device key, since it could be the removed one. Until then such peers (a stock
 * y-webrtc client, an Outpost from before proofs) are let in as before.
 */
import type * as Y from 'yjs';
import {
  inviteRefusal,
  inviteUseText,
  INVITE_USES_ROOT,
  readTrust,
  recordInviteUse,
  signInviteUse,
  verifiedUse,
  type InviteUse,
  type InviteUseTerms,
} from '../../shared/model';
import { isRevoked, KEY_ROTATIONS_ROOT, readKeyState } from '../../shared/model/rotations';
import type { DeviceSigner } from '../../shared/protocol/identity';
import type { PeerAuth, PeerSync } from './peer/peerSync';

export const REFUSED_REMOVED = 'refused: removed from the team';
export const REFUSED_UNPROVEN =
  'refused: it cannot prove which device it is (an earlier Outpost or another y-webrtc app), and this team has removed someone';
export const REFUSED_INVITE_USED =
  'refused: it joined with a single-use invite that another device had already used';
export const REFUSED_INVITE_EXPIRED = 'refused: it joined with an invite that had expired';
export const REFUSED_BAD_USE = 'refused: the invite use it presented does not verify';

/** Origin of a use a refusing peer sent us, written into the document as received. */
export const INVITE_REFUSAL_ORIGIN = 'outpost:invite-refusal';

/** A use as JSON text from a peer, or null unless well-formed and signed by its device. */
function readUse(workspace: string, text: string): InviteUse | null {
  try {
    return verifiedUse(workspace, JSON.parse(text));
  } catch {
    return null;
  }
}

/**
 * `joined` is the use this device made of a restricted invite (teamSync.ts `inviteUseTerms`),
 * which it signs and shows with its proof; null when it joined otherwise.
 */
export function teamPeerAuth(
  doc: Y.Doc,
  workspace: string,
  signer: Pick<DeviceSigner, 'key' | 'sign'>,
  joined: InviteUseTerms | null = null,
): PeerAuth {
  const own = joined ? signInviteUse(signer, workspace, joined) : null;
  return {
    workspace,
    signer,
    inviteUse: own ? inviteUseText(own) : null,
    refusal(deviceKey, presentedUse) {
      const trust = readTrust(doc, workspace);
      if (isRevoked(readKeyState(doc, trust), trust, deviceKey))
        return { reason: REFUSED_REMOVED, firstUse: null };
      const presented = presentedUse === null ? null : readUse(workspace, presentedUse);
      if (presentedUse !== null && presented?.device !== deviceKey)
        return { reason: REFUSED_BAD_USE, firstUse: null };
      const refused = inviteRefusal(doc, workspace, deviceKey, presented);
      if (!refused) return null;
      return {
        reason: refused.reason === 'used' ? REFUSED_INVITE_USED : REFUSED_INVITE_EXPIRED,
        firstUse: inviteUseText(refused.first),
      };
    },
    unprovenRefusal() {
      const keys = readKeyState(doc, readTrust(doc, workspace));
      const removed = keys.counted.some(
        (rotation) => rotation.removedDevices.length > 0 || rotation.removedMembers.length > 0,
      );
      return removed ? REFUSED_UNPROVEN : null;
    },
    inviteRefused(text) {
      // Only a use of the invite this device joined with: a peer cannot fill the map otherwise.
      const use = readUse(workspace, text);
      if (use && own && use.invite === own.invite && use.device !== own.device)
        recordInviteUse(doc, use, INVITE_REFUSAL_ORIGIN);
    },
  };
}

/**
 * Has `provider` decide again about its peers whenever a removal or an invite use arrives (a
 * peer let in may turn out to have used an invite someone used first); returns the undo.
 */
export function reviewPeersOnChange(doc: Y.Doc, provider: PeerSync): () => void {
  const roots = [doc.getMap<unknown>(KEY_ROTATIONS_ROOT), doc.getMap<unknown>(INVITE_USES_ROOT)];
  const review = () => provider.reviewPeers();
  for (const root of roots) root.observeDeep(review);
  return () => {
    for (const root of roots) root.unobserveDeep(review);
  };
}
