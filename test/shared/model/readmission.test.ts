/**
 * Letting a removed member or device back in (docs/PROTOCOL.md §8.7, "Coming back"): a signed
 * readmission lifts one counted removal for who it names, on every replica, without changing
 * which key is current; a removed member cannot let themselves in, a forged or altered
 * readmission does not count, and a later removal removes them again.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { readTrust, upsertMember } from '../../../shared/model';
import {
  KEY_ROTATIONS_ROOT,
  isRevoked,
  letBackIn,
  readKeyState,
  remainingDevices,
  removeAndRotate,
} from '../../../shared/model/rotations';
import { deviceSigner, identityFromSeeds } from '../../../shared/protocol/identity';
import type { Profile } from '../../../shared/schema/profile';

const WORKSPACE = 'ReadmitSpace0000001';
const people: Profile[] = ['Ana', 'Bea', 'Cai'].map((name, index) => ({
  memberId: `Member${name}000000${index}`,
  displayName: name,
  color: '#2563eb',
  timeZone: 'UTC',
}));
const signers = people.map((_, index) =>
  deviceSigner(
    identityFromSeeds(new Uint8Array(32).fill(index + 1), new Uint8Array(32).fill(index + 11)),
  ),
);
const ctx = (index: number, at = 100) => ({
  actor: people[index]!.memberId,
  signer: signers[index]!,
  workspace: WORKSPACE,
  now: () => at,
});
const cai = people[2]!.memberId;

function teamWithoutCai(): Y.Doc {
  const doc = new Y.Doc();
  for (const [index, person] of people.entries())
    upsertMember(doc, person, 1, { signer: signers[index]!, workspace: WORKSPACE });
  const removed = removeAndRotate(doc, ctx(0), readTrust(doc, WORKSPACE), { members: [cai] });
  if (!removed.ok) throw new Error(removed.error.message);
  return doc;
}

const state = (doc: Y.Doc) => readKeyState(doc, readTrust(doc, WORKSPACE));
const caiRevoked = (doc: Y.Doc) =>
  isRevoked(state(doc), readTrust(doc, WORKSPACE), signers[2]!.key);

describe('letting a removed member back in', () => {
  it('lifts the removal on every replica and keeps the current key', () => {
    const doc = teamWithoutCai();
    const before = state(doc).current;
    expect(caiRevoked(doc)).toBe(true);
    const back = letBackIn(doc, ctx(1, 200), readTrust(doc, WORKSPACE), { member: cai });
    expect(back).toMatchObject({ ok: true, value: { by: people[1]!.memberId, members: [cai] } });
    const replica = new Y.Doc();
    Y.applyUpdate(replica, Y.encodeStateAsUpdate(doc));
    for (const copy of [doc, replica]) {
      expect(caiRevoked(copy)).toBe(false);
      expect(state(copy).current).toEqual(before);
      expect(state(copy).readmitted.get(cai)).toMatchObject({ by: people[1]!.memberId, at: 200 });
      expect(state(copy).removedMembers.has(cai)).toBe(false);
    }
    // The next key goes to Cai's device too.
    expect(
      remainingDevices(readTrust(doc, WORKSPACE), state(doc)).map((device) => device.key),
    ).toContain(signers[2]!.key);
  });

  it('one let back in cannot remove or let in others: it would not count', () => {
    const doc = teamWithoutCai();
    letBackIn(doc, ctx(1, 200), readTrust(doc, WORKSPACE), { member: cai });
    const bea = people[1]!.memberId;
    expect(
      removeAndRotate(doc, ctx(2, 300), readTrust(doc, WORKSPACE), { members: [bea] }),
    ).toMatchObject({ ok: false, error: { code: 'readmitted' } });
  });

  it('a later removal removes them again', () => {
    const doc = teamWithoutCai();
    letBackIn(doc, ctx(1, 200), readTrust(doc, WORKSPACE), { member: cai });
    const again = removeAndRotate(doc, ctx(0, 300), readTrust(doc, WORKSPACE), { members: [cai] });
    expect(again.ok).toBe(true);
    expect(caiRevoked(doc)).toBe(true);
    expect(state(doc).readmitted.has(cai)).toBe(false);
  });

  it('a removed member cannot let themselves back in, and a forged or altered one does not count', () => {
    const doc = teamWithoutCai();
    expect(letBackIn(doc, ctx(2), readTrust(doc, WORKSPACE), { member: cai })).toMatchObject({
      ok: false,
      error: { code: 'removed' },
    });
    const removal = state(doc).current!.id;
    const root = doc.getMap<unknown>(KEY_ROTATIONS_ROOT);
    // A readmission Bea signed in another team's document, for its own removal of Cai.
    const forged = teamWithoutCai();
    const made = letBackIn(forged, ctx(1), readTrust(forged, WORKSPACE), { member: cai });
    if (!made.ok) throw new Error(made.error.message);
    const stored = forged.getMap<unknown>(KEY_ROTATIONS_ROOT).get(made.value.id) as Record<
      string,
      unknown
    >;
    // Bea's readmission of another removal (this document has its own), then one with its
    // member list altered after signing: neither counts.
    root.set(made.value.id, stored);
    root.set('a.altered00000000000000', { ...stored, lifts: removal });
    expect(caiRevoked(doc)).toBe(true);
    expect(state(doc).refused.map((entry) => entry.reason)).toEqual(
      expect.arrayContaining([
        'it lets in someone its removal did not remove',
        'the readmission is not verified',
      ]),
    );
  });
});
