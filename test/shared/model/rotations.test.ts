/**
 * Removals and key rotations in the document (docs/PROTOCOL.md §8.7): each remaining device opens
 * its copy of the new key and the removed one opens none; forged, unsigned and revoked-device
 * statements do not count; concurrent removals resolve the same way on every replica; a key that
 * a concurrent removal leaked asks for another rotation, which settles it.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { readTrust, upsertMember } from '../../../shared/model';
import {
  KEY_ROTATIONS_ROOT,
  isRevoked,
  readKeyState,
  recordMoved,
  removeAndRotate,
} from '../../../shared/model/rotations';
import { deviceSigner, identityFromSeeds } from '../../../shared/protocol/identity';
import { keyIdOf, openKeyEnvelope } from '../../../shared/protocol/keyEnvelope';
import type { Profile } from '../../../shared/schema/profile';

const WORKSPACE = 'RotationSpace000001';
const names = ['Ana', 'Bea', 'Cai', 'Dee'];
const people: Profile[] = names.map((name, index) => ({
  memberId: `Member${name}000000${index}`,
  displayName: name,
  color: '#2563eb',
  timeZone: 'UTC',
}));
const identities = people.map((_, index) =>
  identityFromSeeds(new Uint8Array(32).fill(index + 1), new Uint8Array(32).fill(index + 11)),
);
const signers = identities.map(deviceSigner);
const ctx = (index: number, at = 100) => ({
  actor: people[index]!.memberId,
  signer: signers[index]!,
  workspace: WORKSPACE,
  now: () => at,
});

function team(count = 3): Y.Doc {
  const doc = new Y.Doc();
  for (let index = 0; index < count; index++)
    upsertMember(doc, people[index]!, 1, { signer: signers[index]!, workspace: WORKSPACE });
  return doc;
}

function copy(doc: Y.Doc): Y.Doc {
  const out = new Y.Doc();
  Y.applyUpdate(out, Y.encodeStateAsUpdate(doc));
  return out;
}

function open(doc: Y.Doc, index: number): Uint8Array | undefined {
  const state = readKeyState(doc, readTrust(doc, WORKSPACE));
  const envelope = state.current?.envelopes[signers[index]!.key];
  if (!state.current || !envelope) return undefined;
  return openKeyEnvelope(envelope, signers[index]!.agree!, identities[index]!.agreement.publicKey, {
    workspace: WORKSPACE,
    epoch: state.current.epoch,
    device: signers[index]!.key,
  });
}

describe('removing a member', () => {
  it('delivers the new key to each remaining device and none to the removed one', () => {
    const doc = team();
    const removed = removeAndRotate(doc, ctx(0), readTrust(doc, WORKSPACE), {
      members: [people[2]!.memberId],
    });
    if (!removed.ok) throw new Error(removed.error.message);
    const elsewhere = copy(doc);
    const trust = readTrust(elsewhere, WORKSPACE);
    const state = readKeyState(elsewhere, trust);
    expect(state.current?.epoch).toBe(1);
    expect(state.current?.by).toBe(people[0]!.memberId);
    expect(state.current?.keyId).toBe(keyIdOf(removed.value.key));
    expect(open(elsewhere, 0)).toEqual(removed.value.key);
    expect(open(elsewhere, 1)).toEqual(removed.value.key);
    expect(open(elsewhere, 2)).toBeUndefined();
    expect(Object.keys(state.current!.envelopes)).not.toContain(signers[2]!.key);
    expect(isRevoked(state, trust, signers[2]!.key)).toBe(true);
    expect(isRevoked(state, trust, signers[1]!.key)).toBe(false);
    expect(state.needsRotation).toBe(false);
    // Progress: the remover holds the key; the others acknowledge as they move.
    expect([...state.moved]).toEqual([signers[0]!.key]);
    recordMoved(elsewhere, ctx(1), state.current!.keyId);
    expect(readKeyState(elsewhere, trust).moved.has(signers[1]!.key)).toBe(true);
  });

  it('removes one lost device and keeps the member', () => {
    const doc = team();
    const removed = removeAndRotate(doc, ctx(1), readTrust(doc, WORKSPACE), {
      devices: [signers[0]!.key],
    });
    expect(removed.ok).toBe(true);
    const trust = readTrust(doc, WORKSPACE);
    const state = readKeyState(doc, trust);
    expect(state.removedMembers.size).toBe(0);
    expect(isRevoked(state, trust, signers[0]!.key)).toBe(true);
    expect(open(doc, 0)).toBeUndefined();
    expect(open(doc, 2)).toBeDefined();
  });

  it('refuses removals by a revoked device, and ones it cannot make', () => {
    const doc = team();
    removeAndRotate(doc, ctx(0), readTrust(doc, WORKSPACE), { members: [people[2]!.memberId] });
    const again = removeAndRotate(doc, ctx(2), readTrust(doc, WORKSPACE), {
      members: [people[0]!.memberId],
    });
    expect(again.ok ? null : again.error.code).toBe('removed');
    const self = removeAndRotate(doc, ctx(1), readTrust(doc, WORKSPACE), {
      devices: [signers[1]!.key],
    });
    expect(self.ok ? null : self.error.code).toBe('self');
  });

  it('does not count forged, unsigned or altered statements', () => {
    const doc = team();
    const removed = removeAndRotate(doc, ctx(0), readTrust(doc, WORKSPACE), {
      members: [people[2]!.memberId],
    });
    if (!removed.ok) throw new Error(removed.error.message);
    const root = doc.getMap<unknown>(KEY_ROTATIONS_ROOT);
    const stored = root.get(removed.value.rotation.id) as Record<string, unknown>;
    // The same statement claimed for another member, with more removed, or unsigned.
    root.set('r.forgedAuthor', { ...stored, by: people[1]!.memberId, epoch: 5 });
    root.set('r.forgedRemoval', { ...stored, removedMembers: [people[1]!.memberId], epoch: 6 });
    root.set('r.unsigned', { ...stored, sig: undefined, epoch: 7 });
    root.set('r.garbage', 'not a statement');
    const state = readKeyState(doc, readTrust(doc, WORKSPACE));
    expect(state.counted.map((rotation) => rotation.id)).toEqual([removed.value.rotation.id]);
    expect(state.refused.map((entry) => entry.id).sort()).toEqual(
      ['r.forgedAuthor', 'r.forgedRemoval', 'r.garbage', 'r.unsigned'].sort(),
    );
  });
});

describe('concurrent removals', () => {
  it('of each other: the first in order counts and the other is refused, on every replica', () => {
    const start = team();
    const a = copy(start);
    const b = copy(start);
    removeAndRotate(a, ctx(0), readTrust(a, WORKSPACE), { members: [people[1]!.memberId] });
    removeAndRotate(b, ctx(1), readTrust(b, WORKSPACE), { members: [people[0]!.memberId] });
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    const [stateA, stateB] = [a, b].map((doc) => readKeyState(doc, readTrust(doc, WORKSPACE)));
    expect(stateA!.counted).toHaveLength(1);
    expect(stateA!.current?.id).toBe(stateB!.current?.id);
    expect(stateA!.refused.map((r) => r.reason)).toEqual([
      'it was made by a device that had been removed',
    ]);
  });

  it('of different people: both count, the leaked key asks for another rotation, which settles', () => {
    const start = team(4);
    const a = copy(start);
    const b = copy(start);
    removeAndRotate(a, ctx(0), readTrust(a, WORKSPACE), { members: [people[2]!.memberId] });
    removeAndRotate(b, ctx(1), readTrust(b, WORKSPACE), { members: [people[3]!.memberId] });
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    const state = readKeyState(a, readTrust(a, WORKSPACE));
    expect(state.counted).toHaveLength(2);
    expect(state.removedMembers.size).toBe(2);
    // Whichever key is current was sealed to someone the other removal revoked.
    expect(state.needsRotation).toBe(true);
    const again = removeAndRotate(a, ctx(0, 200), readTrust(a, WORKSPACE), {});
    if (!again.ok) throw new Error(again.error.message);
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    const settled = readKeyState(b, readTrust(b, WORKSPACE));
    expect(settled.current?.epoch).toBe(2);
    expect(settled.needsRotation).toBe(false);
    expect(Object.keys(settled.current!.envelopes).sort()).toEqual(
      [signers[0]!.key, signers[1]!.key].sort(),
    );
    expect(open(b, 1)).toEqual(again.value.key);
  });
});
