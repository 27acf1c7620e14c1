/**
 * Coming back after removal (docs/PROTOCOL.md §8.7): a removed device keeps its copy and its old
 * key, and its teammates moved on to a key it never received. When the person pastes a new invite
 * code of that workspace, the device takes the code's key (the current one: an invite carries the
 * key its maker holds) and so meets the team again; teammates let it in once one of them has let
 * it back in (a signed readmission). Only a removed device does this: for any other device a code
 * of a workspace it is in only adds relays, since its own key follows removals by itself.
 */
import type * as Y from 'yjs';
import { readTrust } from '../../shared/model';
import { isRevoked, readKeyState } from '../../shared/model/rotations';
import type { Invite } from '../../shared/protocol/invite';
import { secretKeyToText } from '../../shared/protocol/keys';
import type { WorkspaceEntry } from './localState';

/** `entry` with the invite's key when this device (`device`) was removed from it; else null. */
export function rejoinedEntry(
  entry: WorkspaceEntry,
  invite: Invite,
  doc: Y.Doc,
  device: string,
): WorkspaceEntry | null {
  const key = secretKeyToText(invite.secretKey);
  if (entry.kind !== 'team' || entry.secretKey === key) return null;
  const trust = readTrust(doc, entry.id);
  if (!isRevoked(readKeyState(doc, trust), trust, device)) return null;
  return { ...entry, secretKey: key };
}
