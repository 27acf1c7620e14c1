/**
 * Coming back after removal on the removed device (renderer/sync/rejoin.ts): a new invite code of
 * the workspace gives a removed device the code's key; a device that was not removed keeps its own
 * key (it follows removals by itself), and so does one pasting the key it already holds.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { readTrust, upsertMember } from '../../../shared/model';
import { removeAndRotate } from '../../../shared/model/rotations';
import { deviceSigner, identityFromSeeds } from '../../../shared/protocol/identity';
import { secretKeyToText } from '../../../shared/protocol/keys';
import { entryFromInvite } from '../../../renderer/sync/teamSync';
import { rejoinedEntry } from '../../../renderer/sync/rejoin';
import type { Invite } from '../../../shared/protocol/invite';
import type { Profile } from '../../../shared/schema/profile';

const WORKSPACE = '000102030405060708090a0b0c0d0e0f';
const people: Profile[] = ['Ana', 'Cai'].map((name, index) => ({
  memberId: `Member${name}000000${index}`,
  displayName: name,
  color: '#2563eb',
  timeZone: 'UTC',
}));
const [ana, cai] = [1, 2].map((seed) =>
  deviceSigner(identityFromSeeds(new Uint8Array(32).fill(seed), new Uint8Array(32).fill(seed + 9))),
) as [ReturnType<typeof deviceSigner>, ReturnType<typeof deviceSigner>];

const invite = (fill: number): Invite => ({
  version: 1,
  workspaceId: WORKSPACE,
  secretKey: new Uint8Array(32).fill(fill),
  name: 'Harbour',
  relays: [],
  turn: null,
  terms: null,
});

describe('a new invite code on a device removed from the workspace', () => {
  const doc = new Y.Doc();
  upsertMember(doc, people[0]!, 1, { signer: ana, workspace: WORKSPACE });
  upsertMember(doc, people[1]!, 1, { signer: cai, workspace: WORKSPACE });
  const entry = entryFromInvite(invite(1));

  it('changes nothing while the device is not removed', () => {
    expect(rejoinedEntry(entry, invite(2), doc, cai.key)).toBeNull();
  });

  it('gives the removed device the code’s key, unless it holds that key already', () => {
    const removed = removeAndRotate(
      doc,
      { actor: people[0]!.memberId, signer: ana, workspace: WORKSPACE },
      readTrust(doc, WORKSPACE),
      { members: [people[1]!.memberId] },
    );
    expect(removed.ok).toBe(true);
    expect(rejoinedEntry(entry, invite(2), doc, cai.key)).toEqual({
      ...entry,
      secretKey: secretKeyToText(new Uint8Array(32).fill(2)),
    });
    expect(rejoinedEntry(entry, invite(1), doc, cai.key)).toBeNull();
    // Ana was not removed: a code changes nothing for her.
    expect(rejoinedEntry(entry, invite(2), doc, ana.key)).toBeNull();
  });
});
