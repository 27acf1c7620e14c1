/**
 * What a device does about the workspace key after removals (renderer/sync/keyMove.ts): a remaining
 * device moves to the key sealed to it, then acknowledges it once; the removed device (member or
 * lost device) learns who removed it and gets no key; a key leaked by concurrent removals asks for
 * a rotation; a device with no copy waits.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { readTrust, upsertMember } from '../../../shared/model';
import { readKeyState, recordMoved, removeAndRotate } from '../../../shared/model/rotations';
import { deviceSigner, identityFromSeeds } from '../../../shared/protocol/identity';
import { nextKeyAction } from '../../../renderer/sync/keyMove';

const WORKSPACE = 'KeyMoveSpace0000001';
const people = ['Ana', 'Bea', 'Cai', 'Dee'].map((name, index) => ({
  memberId: `Member${name}000000${index}`,
  displayName: name,
  color: '#2563eb',
  timeZone: 'UTC',
}));
const signers = people.map((_, index) =>
  deviceSigner(
    identityFromSeeds(new Uint8Array(32).fill(index + 1), new Uint8Array(32).fill(index + 21)),
  ),
);
const inviteKey = new Uint8Array(32).fill(7);
const ctx = (index: number) => ({
  actor: people[index]!.memberId,
  signer: signers[index]!,
  workspace: WORKSPACE,
  now: () => 50,
});

function team(count: number): Y.Doc {
  const doc = new Y.Doc();
  for (let index = 0; index < count; index++)
    upsertMember(doc, people[index]!, 1, { signer: signers[index]!, workspace: WORKSPACE });
  return doc;
}

function action(doc: Y.Doc, index: number, secretKey: Uint8Array) {
  const trust = readTrust(doc, WORKSPACE);
  return nextKeyAction({
    workspace: WORKSPACE,
    keys: readKeyState(doc, trust),
    trust,
    device: signers[index]!,
    secretKey,
  });
}

describe('the next key action', () => {
  it('does nothing while no one was removed', () => {
    expect(action(team(2), 1, inviteKey)).toEqual({ kind: 'none' });
  });

  it('moves a remaining device, then acknowledges once; the removed member gets no key', () => {
    const doc = team(3);
    const removed = removeAndRotate(doc, ctx(0), readTrust(doc, WORKSPACE), {
      members: [people[2]!.memberId],
    });
    if (!removed.ok) throw new Error(removed.error.message);
    const move = action(doc, 1, inviteKey);
    expect(move.kind).toBe('move');
    if (move.kind !== 'move') return;
    expect(move.key).toEqual(removed.value.key);
    expect(action(doc, 1, move.key)).toEqual({
      kind: 'acknowledge',
      keyId: removed.value.rotation.keyId,
    });
    recordMoved(doc, ctx(1), removed.value.rotation.keyId);
    expect(action(doc, 1, move.key)).toEqual({ kind: 'none' });
    const cai = action(doc, 2, inviteKey);
    expect(cai.kind === 'removed' && { by: cai.rotation.by, lost: cai.lost }).toEqual({
      by: people[0]!.memberId,
      lost: false,
    });
  });

  it('tells a lost device it was removed as a device', () => {
    const doc = team(2);
    removeAndRotate(doc, ctx(0), readTrust(doc, WORKSPACE), { devices: [signers[1]!.key] });
    const lost = action(doc, 1, inviteKey);
    expect(lost.kind === 'removed' && lost.lost).toBe(true);
  });

  it('asks for a rotation when concurrent removals leaked the current key', () => {
    const start = team(4);
    const other = new Y.Doc();
    Y.applyUpdate(other, Y.encodeStateAsUpdate(start));
    const a = removeAndRotate(start, ctx(0), readTrust(start, WORKSPACE), {
      members: [people[2]!.memberId],
    });
    const b = removeAndRotate(other, ctx(1), readTrust(other, WORKSPACE), {
      members: [people[3]!.memberId],
    });
    if (!a.ok || !b.ok) throw new Error('removal refused');
    Y.applyUpdate(start, Y.encodeStateAsUpdate(other));
    const current = readKeyState(start, readTrust(start, WORKSPACE)).current!;
    const held = current.id === a.value.rotation.id ? a.value.key : b.value.key;
    expect(action(start, 0, held)).toEqual({ kind: 'rotate' });
  });

  it('waits when a newer key was not sealed to this device', () => {
    const doc = team(2);
    removeAndRotate(doc, ctx(0), readTrust(doc, WORKSPACE), {});
    // Dee's device is not listed in this workspace, so no copy was made for it.
    expect(action(doc, 3, inviteKey).kind).toBe('waiting');
  });
});
