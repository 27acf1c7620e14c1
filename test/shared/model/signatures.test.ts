/**
 * Signed authorship in the model: which devices are a member's, and which entries verify. A
 * forged vote (written straight into the document with another device's key, or changed after
 * signing) is set aside and never counted; unsigned entries of earlier versions are set aside as
 * unsigned; nothing is removed from the document.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  castVote,
  checkIn,
  confirmDevice,
  decisions,
  goals,
  listMembers,
  readTrust,
  upsertMember,
  verifiedPollTally,
  verifiedTally,
  verifyCheckIn,
  verifyMember,
  verifyStatusChange,
  castBallot,
  addKeyResult,
  DEVICE_KEY_PREFIX,
  needsVote,
} from '../../../shared/model';
import { exportMadr } from '../../../shared/model/decisionsMadr';
import {
  deviceSigner,
  identityFromSeeds,
  type DeviceSigner,
} from '../../../shared/protocol/identity';
import type { Profile } from '../../../shared/schema/profile';
import type { Decision, VoteCast } from '../../../shared/schema/records';

const WORKSPACE = 'WorkspaceForTrust01';
const seed = (n: number) => new Uint8Array(32).fill(n);
const device = (n: number): DeviceSigner => deviceSigner(identityFromSeeds(seed(n), seed(n + 100)));
const alice: Profile = {
  memberId: 'MemberAlice000001',
  displayName: 'Alice',
  color: '#2563eb',
  timeZone: 'Europe/Lisbon',
};
const bob: Profile = { ...alice, memberId: 'MemberBob00000001', displayName: 'Bob' };

const entryOf = (doc: Y.Doc, profile: Profile) =>
  doc.getMap('members').get(profile.memberId) as Y.Map<unknown>;

function team() {
  const doc = new Y.Doc();
  const aliceDevice = device(1);
  const bobDevice = device(2);
  upsertMember(doc, alice, 10, { signer: aliceDevice, workspace: WORKSPACE });
  upsertMember(doc, bob, 10, { signer: bobDevice, workspace: WORKSPACE });
  const as = (profile: Profile, signer: DeviceSigner | undefined, now = 100) => ({
    actor: profile.memberId,
    now: () => now,
    signer,
    workspace: WORKSPACE,
  });
  const created = decisions.create(doc, as(alice, aliceDevice), { title: 'Four-day week' });
  if (!created.ok) throw new Error(created.error.message);
  const id = created.value.id;
  const proposed = decisions.update(doc, as(alice, aliceDevice), id, { status: 'proposed' });
  if (!proposed.ok) throw new Error(proposed.error.message);
  const read = (): Decision => {
    const result = decisions.get(doc, id);
    if (!result?.ok) throw new Error('missing');
    return result.value;
  };
  return { doc, id, aliceDevice, bobDevice, as, read };
}

describe('device lists', () => {
  it('lists each member’s first device, signed by itself, and verifies their profiles', () => {
    const { doc, aliceDevice } = team();
    const trust = readTrust(doc, WORKSPACE);
    const devices = trust.members.get(alice.memberId)!;
    expect(devices.devices.map((d) => [d.key, d.first])).toEqual([[aliceDevice.key, true]]);
    expect(devices.devices[0]!.agreement).toBe(aliceDevice.agreementKey);
    for (const member of listMembers(doc).items)
      expect(verifyMember(trust, member).state).toBe('verified');
  });

  it('writes nothing when the profile and device are already listed and signed', () => {
    const { doc, aliceDevice } = team();
    const before = Y.encodeStateVector(doc);
    upsertMember(doc, alice, 50, { signer: aliceDevice, workspace: WORKSPACE });
    expect(Y.encodeStateVector(doc)).toEqual(before);
  });

  it('a profile rewritten by another member’s device is unverified', () => {
    const { doc, bobDevice } = team();
    // Bob's device writes Alice's entry as if it were hers.
    upsertMember(doc, { ...alice, displayName: 'Alice (fake)' }, 60, {
      signer: bobDevice,
      workspace: WORKSPACE,
    });
    const trust = readTrust(doc, WORKSPACE);
    const entry = listMembers(doc).items.find((m) => m.id === alice.memberId)!;
    expect(entry.name).toBe('Alice (fake)');
    expect(verifyMember(trust, entry)).toEqual({
      state: 'unverified',
      reason: 'it is signed by a device that is not one of this person’s devices',
    });
    // Bob's key was written as a request in Alice's entry; it lists nothing.
    expect(trust.members.get(alice.memberId)!.devices).toHaveLength(1);
  });

  it('a second self-signed first device makes the member disputed: none of theirs verifies', () => {
    const { doc, id, as, aliceDevice, read } = team();
    castVote(doc, as(alice, aliceDevice), id, { choice: 'agree' });
    // A rival `first` statement for Alice, as a replica where she was not listed yet would make.
    const rival = device(3);
    const lone = new Y.Doc();
    upsertMember(lone, alice, 1, { signer: rival, workspace: WORKSPACE });
    const statement = entryOf(lone, alice).get(DEVICE_KEY_PREFIX + rival.key);
    doc.transact(() => entryOf(doc, alice).set(DEVICE_KEY_PREFIX + rival.key, statement));
    const trust = readTrust(doc, WORKSPACE);
    expect(trust.members.get(alice.memberId)!.disputed).toBe(true);
    expect(trust.members.get(alice.memberId)!.devices).toEqual([]);
    const verified = verifiedTally(trust, read());
    expect(verified.tally.voted).toBe(0);
    expect(verified.setAside[0]!.verification).toEqual({
      state: 'unverified',
      reason: 'two devices claim to be this person’s first device, so none of theirs is trusted',
    });
    expect(read().votes).toHaveLength(1);
  });

  it('a device that asks to be added lists nothing until a listed device confirms it', () => {
    const { doc, id, as, aliceDevice, read } = team();
    const laptop = device(4);
    // Alice picks herself on another device (same member id, a new key): a request.
    upsertMember(doc, alice, 90, { signer: laptop, workspace: WORKSPACE });
    // Opening again while waiting writes nothing more.
    const asked = Y.encodeStateVector(doc);
    upsertMember(doc, alice, 95, { signer: laptop, workspace: WORKSPACE });
    expect(Y.encodeStateVector(doc)).toEqual(asked);
    let mine = readTrust(doc, WORKSPACE).members.get(alice.memberId)!;
    expect(mine.devices.map((d) => d.key)).toEqual([aliceDevice.key]);
    expect(mine.unlisted).toEqual([
      { key: laptop.key, problem: 'not confirmed by one of this person’s devices', intact: true },
    ]);
    castVote(doc, as(alice, laptop), id, { choice: 'disagree' });
    expect(verifiedTally(readTrust(doc, WORKSPACE), read()).tally.voted).toBe(0);

    // The new device cannot confirm itself.
    expect(
      confirmDevice(doc, alice.memberId, laptop.key, { signer: laptop, workspace: WORKSPACE }).ok,
    ).toBe(false);
    const confirmed = confirmDevice(doc, alice.memberId, laptop.key, {
      signer: aliceDevice,
      workspace: WORKSPACE,
    });
    expect(confirmed.ok).toBe(true);
    mine = readTrust(doc, WORKSPACE).members.get(alice.memberId)!;
    expect(mine.devices.map((d) => [d.key, d.addedBy])).toEqual([
      [aliceDevice.key, aliceDevice.key],
      [laptop.key, aliceDevice.key],
    ]);
    expect(verifiedTally(readTrust(doc, WORKSPACE), read()).tally.counts.disagree).toBe(1);
  });
});

describe('votes', () => {
  it('counts a signed vote; sets aside a forged, a tampered and an unsigned one', () => {
    const { doc, id, as, aliceDevice, bobDevice, read } = team();
    castVote(doc, as(alice, aliceDevice), id, { choice: 'agree' });
    // Bob's device writes a vote for Alice straight into the document, signed with its own key.
    const forged = castVote(doc, as(alice, bobDevice, 200), id, { choice: 'block', reason: 'x' });
    expect(forged.ok).toBe(true);
    // A vote by Bob, signed, then changed after signing.
    const honest = castVote(doc, as(bob, bobDevice, 150), id, { choice: 'agree' });
    if (!honest.ok) throw new Error('cast failed');
    const votes = decisions.map(doc, id)!.get('votes') as Y.Array<VoteCast>;
    doc.transact(() => {
      const index = votes.toArray().findIndex((cast) => cast.id === honest.value.id);
      votes.delete(index, 1);
      votes.insert(index, [{ ...honest.value, choice: 'disagree' }]);
    });
    // An unsigned vote, as an earlier version wrote it.
    castVote(doc, as(bob, undefined, 300), id, { choice: 'abstain' });

    const verified = verifiedTally(readTrust(doc, WORKSPACE), read());
    expect(verified.tally.counts).toEqual({ agree: 1, abstain: 0, disagree: 0, block: 0 });
    expect(verified.tally.members.map((m) => m.member)).toEqual([alice.memberId]);
    const verdicts = Object.fromEntries(
      verified.setAside.map((entry) => [entry.cast.choice, entry.verification]),
    );
    expect(verdicts).toEqual({
      block: {
        state: 'unverified',
        reason: 'it is signed by a device that is not one of this person’s devices',
      },
      disagree: { state: 'unverified', reason: 'its signature does not match what is stored' },
      abstain: { state: 'unsigned' },
    });
    // Nothing is dropped from the document.
    expect(read().votes).toHaveLength(4);
  });

  it('a vote signed for another workspace or decision does not verify here', () => {
    const { doc, id, as, aliceDevice, read } = team();
    const elsewhere = { ...as(alice, aliceDevice), workspace: 'AnotherWorkspace01' };
    castVote(doc, elsewhere, id, { choice: 'agree' });
    const verified = verifiedTally(readTrust(doc, WORKSPACE), read());
    expect(verified.tally.voted).toBe(0);
    expect(verified.setAside[0]!.verification).toEqual({
      state: 'unverified',
      reason: 'its signature does not match what is stored',
    });
  });

  it('ballots of polls are verified the same way', () => {
    const { doc, as, aliceDevice, bobDevice } = team();
    const poll = decisions.create(doc, as(alice, aliceDevice), { title: 'Offsite' });
    if (!poll.ok) throw new Error(poll.error.message);
    const option = decisions.update(doc, as(alice, aliceDevice), poll.value.id, {
      pollType: 'choose',
      addOption: { title: 'Lisbon' },
    });
    if (!option.ok) throw new Error(option.error.message);
    decisions.update(doc, as(alice, aliceDevice), poll.value.id, { status: 'proposed' });
    const optionId = option.value.options[0]!.id;
    castBallot(doc, as(alice, aliceDevice), poll.value.id, { optionId });
    castBallot(doc, as(bob, aliceDevice), poll.value.id, { optionId });
    castBallot(doc, as(bob, bobDevice), poll.value.id, { optionId });
    const read = decisions.get(doc, poll.value.id);
    if (!read?.ok) throw new Error('missing');
    const verified = verifiedPollTally(readTrust(doc, WORKSPACE), read.value);
    expect(verified.tally.voted).toBe(2);
    expect(verified.setAside).toHaveLength(1);
  });
});

describe('what reads tallies', () => {
  it('asks a member whose only vote is unsigned to vote again, when given the devices', () => {
    const { doc, id, as, aliceDevice, read } = team();
    castVote(doc, as(bob, undefined), id, { choice: 'agree' });
    const trust = readTrust(doc, WORKSPACE);
    expect(needsVote(read(), bob.memberId, 150)).toBe(false);
    expect(needsVote(read(), bob.memberId, 150, trust)).toBe(true);
    castVote(doc, as(alice, aliceDevice), id, { choice: 'agree' });
    expect(needsVote(read(), alice.memberId, 150, trust)).toBe(false);
  });

  it('a MADR export counts only verified votes and says how many were not counted', () => {
    const { doc, id, as, aliceDevice, bobDevice, read } = team();
    castVote(doc, as(alice, aliceDevice), id, { choice: 'agree' });
    castVote(doc, as(alice, bobDevice, 200), id, { choice: 'block', reason: 'forged' });
    const members = listMembers(doc).items;
    const { markdown } = exportMadr(doc, read(), members, [read()], readTrust(doc, WORKSPACE));
    expect(markdown).toContain('1 agree, 0 abstain, 0 disagree, 0 block');
    expect(markdown).toContain('* Alice: agree');
    expect(markdown).toContain('1 more not counted: unsigned, or signatures that do not verify.');
    expect(markdown).not.toContain('forged');
  });
});

describe('status changes and check-ins', () => {
  it('a status change verifies; one written with another member’s device does not', () => {
    const { doc, id, as, aliceDevice, bobDevice, read } = team();
    decisions.update(doc, as(bob, aliceDevice, 400), id, { status: 'draft' });
    const trust = readTrust(doc, WORKSPACE);
    const verdicts = read().history.map((change) => verifyStatusChange(trust, id, change).state);
    expect(verdicts).toEqual(['verified', 'unverified']);
    expect(aliceDevice.key).not.toBe(bobDevice.key);
  });

  it('a check-in verifies against its goal and key result', () => {
    const { doc, as, aliceDevice, bobDevice } = team();
    const goal = goals.create(doc, as(alice, aliceDevice), { title: 'Ship' });
    if (!goal.ok) throw new Error(goal.error.message);
    const kr = addKeyResult(doc, as(alice, aliceDevice), goal.value.id, {
      title: 'Users',
      kind: 'number',
      start: 0,
      target: 10,
    });
    if (!kr.ok) throw new Error('no key result');
    const krId = kr.value.id;
    checkIn(doc, as(alice, aliceDevice), goal.value.id, krId, { value: 3, confidence: 7 });
    checkIn(doc, as(alice, bobDevice, 500), goal.value.id, krId, { value: 9, confidence: 9 });
    const trust = readTrust(doc, WORKSPACE);
    const read = goals.get(doc, goal.value.id);
    if (!read?.ok) throw new Error('missing');
    const entries = [...read.value.keyResults[0]!.checkIns].sort((a, b) => a.at - b.at);
    expect(entries.map((c) => verifyCheckIn(trust, goal.value.id, krId, c).state)).toEqual([
      'verified',
      'unverified',
    ]);
  });
});
