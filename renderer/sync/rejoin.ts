/**
 * Taking the workspace key from an invite code of a workspace this device already has
 * (docs/PROTOCOL.md §8.7, "Coming back"). Two devices need it: one that was removed (it keeps its
 * copy and its old key, and its teammates moved on to a key it never received; once a teammate
 * lets it back in, the code's key, which is the key its maker holds, lets it meet the team again),
 * and one waiting for a key that was never sealed to it (it was not a confirmed device when
 * someone was removed, or it was let back in after that). Any other device keeps its own key,
 * which follows removals by itself: a code of a workspace it is in only adds relays.
 */
import type * as Y from 'yjs';
import { readTrust } from '../../shared/model';
import { isRevoked, readKeyState } from '../../shared/model/rotations';
import type { Invite } from '../../shared/protocol/invite';
import { keyIdOf } from '../../shared/protocol/keyEnvelope';
import { secretKeyFromText, secretKeyToText } from '../../shared/protocol/keys';
import type { WorkspaceEntry } from './localState';

/** `entry` with the invite's key when this device (`device`) needs it (see above); else null. */
export function rejoinedEntry(
  entry: WorkspaceEntry,
  invite: Invite,
  doc: Y.Doc,
  device: string,
): WorkspaceEntry | null {
  const key = secretKeyToText(invite.secretKey);
  if (entry.kind !== 'team' || entry.secretKey === key) return null;
  const trust = readTrust(doc, entry.id);
  const keys = readKeyState(doc, trust);
  // Removed: this device cannot know which keys came later, so it takes the one it is given.
  if (isRevoked(keys, trust, device)) return { ...entry, secretKey: key };
  // Otherwise only the key the document says is current, and only when it does not hold it yet.
  const held = entry.secretKey ? secretKeyFromText(entry.secretKey) : undefined;
  const current = keys.current?.keyId;
  if (current && keyIdOf(invite.secretKey) === current && (!held || keyIdOf(held) !== current))
    return { ...entry, secretKey: key };
  return null;
}
