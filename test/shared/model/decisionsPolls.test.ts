/**
 * Choose-one and score polls: the rules of casting, the tally (latest on-time ballot per member,
 * late ones shown and not counted, removed options ignored), hostile ballot shapes skipped with a
 * problem, and the same tally on two replicas that voted apart and merged in either order.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { ROOT, castBallot, decisions, needsVote, tallyPoll } from '../../../shared/model';
import type { Decision, PollType } from '../../../shared/schema/records';

const lead = { actor: 'member-lead', now: () => 100 };
const at = (actor: string, time: number) => ({ actor, now: () => time });

function poll(doc: Y.Doc, pollType: PollType, closesAt: number | null = 10_000): Decision {
  const created = decisions.create(doc, lead, { title: 'Where is the offsite?' });
  if (!created.ok) throw new Error(created.error.message);
  const id = created.value.id;
  for (const patch of [
    { pollType },
    { addOption: { id: 'option-lisbon', title: 'Lisbon' } },
    { addOption: { id: 'option-tallinn', title: 'Tallinn' } },
    { addOption: { id: 'option-oaxaca', title: 'Oaxaca' } },
    { status: 'proposed' as const, closesAt },
  ]) {
    const result = decisions.update(doc, lead, id, patch);
    if (!result.ok) throw new Error(result.error.message);
  }
  return read(doc, id);
}

function read(doc: Y.Doc, id: string): Decision {
  const result = decisions.get(doc, id);
  if (!result?.ok) throw new Error('missing');
  return result.value;
}

const totals = (decision: Decision) =>
  Object.fromEntries(tallyPoll(decision).results.map((r) => [r.option.title, r.total]));

describe('choose-one polls', () => {
  it('counts each member once, for their latest choice on time', () => {
    const doc = new Y.Doc();
    const { id } = poll(doc, 'choose');
    expect(castBallot(doc, at('ana-member', 200), id, { optionId: 'option-lisbon' }).ok).toBe(true);
    castBallot(doc, at('ana-member', 300), id, { optionId: 'option-tallinn', reason: 'Cheaper' });
    castBallot(doc, at('ben-member', 400), id, { optionId: 'option-tallinn' });
    castBallot(doc, at('cid-member', 500), id, { optionId: 'option-oaxaca' });
    const decision = read(doc, id);
    expect(totals(decision)).toEqual({ Lisbon: 0, Tallinn: 2, Oaxaca: 1 });
    const tally = tallyPoll(decision);
    expect(tally.leaders).toEqual(['option-tallinn']);
    expect(tally.voted).toBe(3);
    expect(tally.members.find((m) => m.member === 'ana-member')?.changed).toHaveLength(1);
    expect(tally.results.find((r) => r.option.title === 'Tallinn')?.average).toBeCloseTo(2 / 3);
  });

  it('refuses ballots of the wrong kind, for unknown options, and after the close', () => {
    const doc = new Y.Doc();
    const { id } = poll(doc, 'choose', 1_000);
    const message = (result: ReturnType<typeof castBallot>) => !result.ok && result.error.message;
    expect(
      message(castBallot(doc, at('ana-member', 200), id, { scores: { 'option-lisbon': 3 } })),
    ).toBe('This poll asks you to choose one option, not to score them.');
    expect(
      message(castBallot(doc, at('ana-member', 200), id, { optionId: 'option-nowhere' })),
    ).toMatch(/That option no longer exists/);
    expect(
      message(castBallot(doc, at('ana-member', 2_000), id, { optionId: 'option-lisbon' })),
    ).toMatch(/^Voting closed at/);
    expect(read(doc, id).ballots).toEqual([]);
  });

  it('shows a ballot cast offline before the close as counted and one after it as late', () => {
    const doc = new Y.Doc();
    const { id } = poll(doc, 'choose', 1_000);
    const offline = new Y.Doc();
    Y.applyUpdate(offline, Y.encodeStateAsUpdate(doc));
    castBallot(offline, at('ana-member', 900), id, { optionId: 'option-oaxaca' });
    // Written by a client whose clock ran past the close: kept, shown late, not counted.
    (doc.getMap<Y.Map<unknown>>(ROOT.decisions).get(id)!.get('ballots') as Y.Array<unknown>).push([
      {
        id: 'ballot-late-0001',
        member: 'ben-member',
        reason: '',
        castAt: 1_500,
        optionId: 'option-lisbon',
      },
    ]);
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(offline));
    const tally = tallyPoll(read(doc, id));
    expect(totals(read(doc, id))).toEqual({ Lisbon: 0, Tallinn: 0, Oaxaca: 1 });
    expect(tally.lateCount).toBe(1);
    expect(tally.members.find((m) => m.member === 'ben-member')?.late).toHaveLength(1);
  });

  it('asks for a ballot, not a consent vote, in "needs my vote"', () => {
    const doc = new Y.Doc();
    const { id } = poll(doc, 'choose', null);
    expect(needsVote(read(doc, id), 'ana-member', 200)).toBe(true);
    castBallot(doc, at('ana-member', 200), id, { optionId: 'option-lisbon' });
    expect(needsVote(read(doc, id), 'ana-member', 300)).toBe(false);
  });
});

describe('score polls', () => {
  it('sums and averages scores per option and ignores removed options', () => {
    const doc = new Y.Doc();
    const { id } = poll(doc, 'score');
    castBallot(doc, at('ana-member', 200), id, {
      scores: { 'option-lisbon': 5, 'option-tallinn': 2, 'option-oaxaca': 0 },
    });
    castBallot(doc, at('ben-member', 300), id, {
      scores: { 'option-lisbon': 3, 'option-oaxaca': 5 },
    });
    let decision = read(doc, id);
    expect(totals(decision)).toEqual({ Lisbon: 8, Tallinn: 2, Oaxaca: 5 });
    const lisbon = tallyPoll(decision).results.find((r) => r.option.title === 'Lisbon')!;
    expect([lisbon.scoredBy, lisbon.average]).toEqual([2, 4]);
    expect(tallyPoll(decision).leaders).toEqual(['option-lisbon']);
    decisions.update(doc, lead, id, { removeOption: 'option-lisbon' });
    decision = read(doc, id);
    expect(totals(decision)).toEqual({ Tallinn: 2, Oaxaca: 5 });
    expect(tallyPoll(decision).leaders).toEqual(['option-oaxaca']);
  });

  it('refuses scores off the scale, empty ballots and a single choice', () => {
    const doc = new Y.Doc();
    const { id } = poll(doc, 'score');
    const message = (input: Parameters<typeof castBallot>[3]) => {
      const result = castBallot(doc, at('ana-member', 200), id, input);
      return !result.ok && result.error.message;
    };
    expect(message({ scores: { 'option-lisbon': 6 } })).toBe(
      'A score is a whole number from 0 to 5.',
    );
    expect(message({ scores: { 'option-lisbon': 2.5 } })).toBe(
      'A score is a whole number from 0 to 5.',
    );
    expect(message({ scores: {} })).toBe('Score at least one option.');
    expect(message({ optionId: 'option-lisbon' })).toBe(
      'This poll asks for scores, not for one option.',
    );
    expect(read(doc, id).ballots).toEqual([]);
  });

  it('skips hostile ballots with a problem, and counts nothing for a ballot of the other type', () => {
    const doc = new Y.Doc();
    const { id } = poll(doc, 'score');
    const ballots = doc
      .getMap<Y.Map<unknown>>(ROOT.decisions)
      .get(id)!
      .get('ballots') as Y.Array<unknown>;
    ballots.push([
      {
        id: 'ballot-both-0001',
        member: 'x-member',
        reason: '',
        castAt: 1,
        optionId: 'option-lisbon',
        scores: { 'option-lisbon': 1 },
      },
      {
        id: 'ballot-huge-0001',
        member: 'y-member',
        reason: '',
        castAt: 1,
        scores: { 'option-lisbon': 1e9 },
      },
      'not a ballot',
      // Valid shape, wrong type for this poll (as if merged from a replica that changed it).
      {
        id: 'ballot-type-0001',
        member: 'z-member',
        reason: '',
        castAt: 1,
        optionId: 'option-lisbon',
      },
    ]);
    const decision = read(doc, id);
    expect(decision.problems).toHaveLength(3);
    expect(decision.problems[0]).toMatch(/^Ballot 1 is unreadable/);
    const tally = tallyPoll(decision);
    expect([tally.voted, tally.uncounted]).toEqual([0, 1]);
    expect(totals(decision)).toEqual({ Lisbon: 0, Tallinn: 0, Oaxaca: 0 });
  });

  it('gives two replicas that voted apart the same tally whichever merges first', () => {
    const base = new Y.Doc();
    const { id } = poll(base, 'score', 5_000);
    const left = new Y.Doc();
    const right = new Y.Doc();
    Y.applyUpdate(left, Y.encodeStateAsUpdate(base));
    Y.applyUpdate(right, Y.encodeStateAsUpdate(base));
    // One member on two devices, and two others, all while apart.
    castBallot(left, at('ana-member', 1_000), id, { scores: { 'option-lisbon': 1 } });
    castBallot(right, at('ana-member', 1_000), id, { scores: { 'option-lisbon': 4 } });
    castBallot(left, at('ben-member', 2_000), id, { scores: { 'option-tallinn': 5 } });
    castBallot(right, at('cid-member', 4_000), id, { scores: { 'option-oaxaca': 3 } });
    const leftFirst = new Y.Doc();
    Y.applyUpdate(leftFirst, Y.encodeStateAsUpdate(left));
    Y.applyUpdate(leftFirst, Y.encodeStateAsUpdate(right));
    const rightFirst = new Y.Doc();
    Y.applyUpdate(rightFirst, Y.encodeStateAsUpdate(right));
    Y.applyUpdate(rightFirst, Y.encodeStateAsUpdate(left));
    const a = tallyPoll(read(leftFirst, id));
    const b = tallyPoll(read(rightFirst, id));
    expect(a).toEqual(b);
    expect(a.voted).toBe(3);
    expect(read(leftFirst, id).ballots).toHaveLength(4);
  });
});
