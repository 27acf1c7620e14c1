/**
 * Votes: the model's rules, and a seeded property test of offline voting. Replicas (two of them
 * devices of one member) vote, change votes, move the closing date and accept early while their
 * updates are dropped, duplicated, reordered and partitioned; after healing, every replica must
 * compute the same tally, no cast may be lost, and the tally must match an independent oracle
 * computed from the ledger of every successful cast. The seed is printed for replay.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as prng from 'lib0/prng';
import {
  castVote,
  decisions,
  dueReminders,
  needsVote,
  tallyVotes,
  type Tally,
} from '../../../shared/model';
import type { Decision, VoteCast, VoteChoice } from '../../../shared/schema/records';

function proposed(doc: Y.Doc, now: number, closesAt: number | null): Decision {
  const ctx = { actor: 'member-lead', now: () => now };
  const created = decisions.create(doc, ctx, { title: 'Four-day week' });
  if (!created.ok) throw new Error(created.error.message);
  const result = decisions.update(doc, ctx, created.value.id, { status: 'proposed', closesAt });
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

function read(doc: Y.Doc, id: string): Decision {
  const result = decisions.get(doc, id);
  if (!result?.ok) throw new Error('missing');
  return result.value;
}

describe('casting votes', () => {
  it('counts the latest vote of each member and keeps changed votes', () => {
    const doc = new Y.Doc();
    const decision = proposed(doc, 100, 10_000);
    expect(
      castVote(doc, { actor: 'ana-member', now: () => 200 }, decision.id, { choice: 'agree' }).ok,
    ).toBe(true);
    castVote(doc, { actor: 'ana-member', now: () => 300 }, decision.id, {
      choice: 'disagree',
      reason: 'Costs',
    });
    castVote(doc, { actor: 'ben-member', now: () => 400 }, decision.id, {
      choice: 'block',
      reason: 'Breaks our support rota',
    });
    const tally = tallyVotes(read(doc, decision.id).votes, 10_000);
    expect(tally.counts).toEqual({ agree: 0, abstain: 0, disagree: 1, block: 1 });
    expect(tally.blocks.map((cast) => cast.reason)).toEqual(['Breaks our support rota']);
    expect(tally.members.find((entry) => entry.member === 'ana-member')?.changed).toHaveLength(1);
  });

  it('asks for a reason with a block', () => {
    const doc = new Y.Doc();
    const decision = proposed(doc, 100, null);
    const result = castVote(doc, { actor: 'ben-member', now: () => 200 }, decision.id, {
      choice: 'block',
      reason: '  ',
    });
    expect(!result.ok && result.error.message).toBe(
      'Say why you block, so the others can address it.',
    );
  });

  it('refuses a vote on a draft, after the closing date, and on a decided decision', () => {
    const doc = new Y.Doc();
    const ctx = { actor: 'member-lead', now: () => 100 };
    const draft = decisions.create(doc, ctx, { title: 'Draft' });
    if (!draft.ok) throw new Error('setup');
    const onDraft = castVote(doc, ctx, draft.value.id, { choice: 'agree' });
    expect(!onDraft.ok && onDraft.error.message).toMatch(/still a draft/);
    const decision = proposed(doc, 100, 1_000);
    const late = castVote(doc, { actor: 'ana-member', now: () => 1_001 }, decision.id, {
      choice: 'agree',
    });
    expect(!late.ok && late.error.message).toMatch(/^Voting closed at 1970-01-01 00:00 UTC/);
    decisions.update(doc, { actor: 'member-lead', now: () => 500 }, decision.id, {
      status: 'accepted',
      outcome: 'Adopted.',
    });
    const closed = castVote(doc, { actor: 'ana-member', now: () => 600 }, decision.id, {
      choice: 'agree',
    });
    expect(!closed.ok && closed.error.message).toBe(
      'Voting is closed: this decision was accepted.',
    );
    expect(read(doc, decision.id).votes).toEqual([]);
  });

  it('shows a vote cast offline before the close as counted and one after it as late', () => {
    const lead = new Y.Doc();
    const decision = proposed(lead, 100, 10_000);
    const offline = new Y.Doc();
    Y.applyUpdate(offline, Y.encodeStateAsUpdate(lead));
    // Offline, Ana votes before the lead accepts early at 500, and changes her mind at 700.
    castVote(offline, { actor: 'ana-member', now: () => 400 }, decision.id, { choice: 'agree' });
    castVote(offline, { actor: 'ana-member', now: () => 700 }, decision.id, {
      choice: 'block',
      reason: 'Late thought',
    });
    decisions.update(lead, { actor: 'member-lead', now: () => 500 }, decision.id, {
      status: 'accepted',
      outcome: 'Adopted.',
    });
    Y.applyUpdate(lead, Y.encodeStateAsUpdate(offline));
    Y.applyUpdate(offline, Y.encodeStateAsUpdate(lead));
    for (const doc of [lead, offline]) {
      const merged = read(doc, decision.id);
      const tally = tallyVotes(merged.votes, merged.closesAt);
      expect(tally.counts.agree).toBe(1);
      expect(tally.counts.block).toBe(0);
      expect(tally.members[0]?.late.map((cast) => cast.reason)).toEqual(['Late thought']);
    }
  });

  it('needs my vote until I vote; reminds a day before closing and on the review date', () => {
    const doc = new Y.Doc();
    const day = 86_400_000;
    const decision = proposed(doc, 0, 10 * day);
    expect(needsVote(read(doc, decision.id), 'ana-member', day)).toBe(true);
    const early = dueReminders([read(doc, decision.id)], 'ana-member', day, new Set());
    expect(early.due).toEqual([]);
    expect(early.nextAt).toBe(9 * day);
    const due = dueReminders([read(doc, decision.id)], 'ana-member', 9 * day + 1, new Set());
    expect(due.due.map((item) => item.title)).toEqual(['“Four-day week” closes in 24 h']);
    expect(
      dueReminders([read(doc, decision.id)], 'ana-member', 9 * day + 1, new Set([due.due[0]!.key]))
        .due,
    ).toEqual([]);
    castVote(doc, { actor: 'ana-member', now: () => 9 * day + 2 }, decision.id, {
      choice: 'agree',
    });
    expect(needsVote(read(doc, decision.id), 'ana-member', 9 * day + 3)).toBe(false);
    expect(
      dueReminders([read(doc, decision.id)], 'ana-member', 9 * day + 3, new Set()).due,
    ).toEqual([]);
    // Only named deciders are asked once someone is named.
    decisions.update(doc, { actor: 'member-lead', now: () => 9 * day + 4 }, decision.id, {
      people: { 'ben-member': 'decider' },
    });
    expect(needsVote(read(doc, decision.id), 'cid-member', 9 * day + 5)).toBe(false);
    expect(needsVote(read(doc, decision.id), 'ben-member', 9 * day + 5)).toBe(true);
    decisions.update(doc, { actor: 'member-lead', now: () => 9 * day + 6 }, decision.id, {
      status: 'accepted',
      outcome: 'Adopted.',
      reviewOn: '2030-06-01',
    });
    const review = dueReminders(
      [read(doc, decision.id)],
      'ben-member',
      new Date(2030, 5, 1, 9).getTime(),
      new Set(),
    );
    expect(review.due.map((item) => item.title)).toEqual(['Time to review “Four-day week”']);
    expect(
      dueReminders(
        [read(doc, decision.id)],
        'ben-member',
        new Date(2030, 5, 1, 8).getTime(),
        new Set(),
      ).due,
    ).toEqual([]);
  });
});

// ---- Property test ----------------------------------------------------------------------------

interface Replica {
  readonly doc: Y.Doc;
  readonly member: string;
  readonly skew: number;
  readonly inbox: Uint8Array[];
}

const CHOICES: readonly VoteChoice[] = ['agree', 'abstain', 'disagree', 'block'];

/** The tally computed independently from the ledger of every cast that succeeded. */
function oracle(ledger: readonly VoteCast[], closesAt: number | null) {
  const best = new Map<string, VoteCast>();
  for (const cast of ledger) {
    if (closesAt !== null && cast.castAt > closesAt) continue;
    const current = best.get(cast.member);
    if (
      !current ||
      cast.castAt > current.castAt ||
      (cast.castAt === current.castAt && cast.id > current.id)
    )
      best.set(cast.member, cast);
  }
  const counts = { agree: 0, abstain: 0, disagree: 0, block: 0 };
  for (const cast of best.values()) counts[cast.choice] += 1;
  return {
    counts,
    late: ledger.filter((cast) => closesAt !== null && cast.castAt > closesAt).length,
  };
}

function runScenario(seed: number): { tally: Tally; casts: number } {
  const gen = prng.create(seed);
  const members = ['ana-member', 'ben-member', 'cid-member', 'ana-member', 'dee-member'];
  const origin = new Y.Doc();
  const decision = proposed(origin, 0, 1_000 + prng.uint32(gen, 0, 400));
  const replicas: Replica[] = members.map((member) => {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(origin));
    // Device clocks disagree by up to ±20 ms; two casts of one member may share a time.
    return { doc, member, skew: prng.int32(gen, -20, 20), inbox: [] };
  });
  const ledger: VoteCast[] = [];
  replicas.forEach((replica, index) => {
    replica.doc.on('update', (update: Uint8Array, updateOrigin: unknown) => {
      if (updateOrigin === 'remote') return;
      replicas.forEach((other, otherIndex) => {
        if (otherIndex === index) return;
        const roll = prng.uint32(gen, 0, 9);
        if (roll === 0) return; // dropped (healed by the final anti-entropy exchange)
        other.inbox.push(update);
        if (roll === 1) other.inbox.push(update); // duplicated
      });
    });
  });
  // A partition: for a while replicas 0–1 and 2–4 cannot hear each other.
  const partitionUntil = prng.uint32(gen, 50, 250);
  for (let step = 0; step < 300; step++) {
    const time = step * 6;
    const index = prng.uint32(gen, 0, replicas.length - 1);
    const replica = replicas[index]!;
    const now = Math.max(1, time + replica.skew);
    const ctx = { actor: replica.member, now: () => now };
    const roll = prng.uint32(gen, 0, 19);
    if (roll < 15) {
      const choice = CHOICES[prng.uint32(gen, 0, 3)]!;
      const result = castVote(replica.doc, ctx, decision.id, {
        choice,
        reason: choice === 'block' || prng.bool(gen) ? prng.word(gen, 1, 12) || 'why' : '',
      });
      if (result.ok) ledger.push(result.value);
    } else if (roll < 18) {
      // Move the closing date (only to a time after this device's now, as the writer requires).
      decisions.update(replica.doc, ctx, decision.id, { closesAt: now + prng.uint32(gen, 1, 600) });
    } else if (roll === 18 && prng.uint32(gen, 0, 5) === 0) {
      decisions.update(replica.doc, ctx, decision.id, { status: 'accepted', outcome: 'Adopted.' });
    }
    const receiver = replicas[prng.uint32(gen, 0, replicas.length - 1)]!;
    const receiverIndex = replicas.indexOf(receiver);
    if (prng.bool(gen)) {
      for (let i = receiver.inbox.length - 1; i > 0; i--) {
        const j = prng.uint32(gen, 0, i);
        [receiver.inbox[i], receiver.inbox[j]] = [receiver.inbox[j]!, receiver.inbox[i]!];
      }
      const partitioned = step < partitionUntil;
      const keep: Uint8Array[] = [];
      for (const update of receiver.inbox.splice(0, prng.uint32(gen, 0, receiver.inbox.length))) {
        // Under the partition, updates wait in the inbox; delivering them later is the reorder.
        if (partitioned && prng.bool(gen) && receiverIndex < 2) keep.push(update);
        else Y.applyUpdate(receiver.doc, update, 'remote');
      }
      receiver.inbox.push(...keep);
    }
  }
  for (const a of replicas)
    for (const b of replicas)
      if (a !== b)
        Y.applyUpdate(b.doc, Y.encodeStateAsUpdate(a.doc, Y.encodeStateVector(b.doc)), 'remote');

  const first = read(replicas[0]!.doc, decision.id);
  const tally = tallyVotes(first.votes, first.closesAt);
  for (const replica of replicas.slice(1)) {
    const other = read(replica.doc, decision.id);
    expect(other.votes).toEqual(first.votes);
    expect(tallyVotes(other.votes, other.closesAt)).toEqual(tally);
  }
  // Never lost: every successful cast is in the merged document, once.
  expect([...first.votes].sort((a, b) => a.id.localeCompare(b.id))).toEqual(
    [...ledger].sort((a, b) => a.id.localeCompare(b.id)),
  );
  const expected = oracle(ledger, first.closesAt);
  expect(tally.counts).toEqual(expected.counts);
  expect(tally.lateCount).toBe(expected.late);
  // Two devices of one member still count once.
  expect(tally.members.filter((entry) => entry.member === 'ana-member').length).toBeLessThanOrEqual(
    1,
  );
  return { tally, casts: ledger.length };
}

describe('votes under concurrency and partitions', () => {
  const base = Number(process.env.OUTPOST_SEED ?? Date.now() % 1_000_000);
  let sawLate = false;
  let sawChanged = false;
  for (let run = 0; run < 16; run++) {
    const seed = base + run;
    it(`every replica computes the same tally (seed ${seed}; replay with OUTPOST_SEED=${seed})`, () => {
      try {
        const { tally } = runScenario(seed);
        if (tally.lateCount > 0) sawLate = true;
        if (tally.members.some((entry) => entry.changed.length > 0)) sawChanged = true;
      } catch (error) {
        console.error(
          `Vote convergence failed for seed ${seed}. Replay: OUTPOST_SEED=${seed} npx vitest run decisionsVotes`,
        );
        throw error;
      }
    });
  }
  it('exercised late and changed votes', () => {
    expect(sawChanged).toBe(true);
    expect(sawLate).toBe(true);
  });
});
