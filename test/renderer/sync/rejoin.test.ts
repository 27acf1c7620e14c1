/**
 * Taking the key of a new invite code for a workspace already on this device (renderer/sync/
 * rejoin.ts): a removed device takes the code's key; a device that is not removed takes only the
 * key its document says is current, when it does not hold it (it was let back in, or never had
 * the key sealed to it); otherwise a device keeps its own key, which follows removals by itself.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { readTrust, upsertMember } from '../../../shared/model';
import { letBackIn, removeAndRotate } from '../../../shared/model/rotations';
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
    // Ana was not removed: a code with some other key changes nothing for her.
    expect(rejoinedEntry(entry, invite(2), doc, ana.key)).toBeNull();
  });

  it('gives a device that is not removed the current key only, when it does not hold it', () => {
    // Cai, let back in before pasting a code, is waiting for a key nobody sealed to it.
    const doc = new Y.Doc();
    upsertMember(doc, people[0]!, 1, { signer: ana, workspace: WORKSPACE });
    upsertMember(doc, people[1]!, 1, { signer: cai, workspace: WORKSPACE });
    const removed = removeAndRotate(
      doc,
      { actor: people[0]!.memberId, signer: ana, workspace: WORKSPACE },
      readTrust(doc, WORKSPACE),
      { members: [people[1]!.memberId] },
      new Uint8Array(32).fill(3),
    );
    if (!removed.ok) throw new Error(removed.error.message);
    const back = letBackIn(
      doc,
      { actor: people[0]!.memberId, signer: ana, workspace: WORKSPACE },
      readTrust(doc, WORKSPACE),
      { member: people[1]!.memberId },
    );
    expect(back.ok).toBe(true);
    expect(rejoinedEntry(entry, invite(2), doc, cai.key)).toBeNull();
    expect(rejoinedEntry(entry, invite(3), doc, cai.key)?.secretKey).toBe(
      secretKeyToText(new Uint8Array(32).fill(3)),
    );
    // A device that holds the current key already keeps it.
    expect(
      rejoinedEntry(
        { ...entry, secretKey: secretKeyToText(new Uint8Array(32).fill(3)) },
        invite(3),
        doc,
        cai.key,
      ),
    ).toBeNull();
  });
});
