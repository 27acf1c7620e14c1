/**
 * Votes on proposed decisions, designed for offline replicas (docs/PROTOCOL.md, "Votes"):
 * every cast is appended to the decision's `votes` Y.Array with the time it was cast, so concurrent
 * casts from any device all survive a merge. The tally is a pure function of the merged set of casts
 * and the merged closing date: per member, the latest cast (by cast time, ties by cast id) made at or
 * before the closing date counts; casts after it are late — shown, not counted, never removed.
 * Every replica holding the same casts computes the same tally, whatever order they arrived in.
 */
import type * as Y from 'yjs';
import { z } from 'zod';
import { decisions, DECISION_VOTES_KEY, arrayOf } from './decisions';
import { newId } from '../core/ids';
import { MODEL_ORIGIN } from './roots';
import { fail, ok, type Result } from '../result';
import { VoteChoice, type Ballot, type Decision, type VoteCast } from '../schema/records';
import { stampEdited, type ModelContext } from './collection';
import { signEntry, withSignature } from './signatures';
import { verifyBallot, verifyVote, voteFields } from './signedFields';
import type { Trust } from './signatures';

export const VoteInput = z
  .object({
    choice: VoteChoice,
    reason: z
      .string()
      .transform((value) => value.trim())
      .pipe(z.string().max(2_000, 'The reason is longer than 2,000 characters.'))
      .default(''),
  })
  .strict()
  .superRefine((value, ctx) => {
    if (value.choice === 'block' && value.reason === '')
      ctx.addIssue({
        code: 'custom',
        path: ['reason'],
        message: 'Say why you block, so the others can address it.',
      });
  });

export const VOTE_CHOICES: readonly VoteChoice[] = ['agree', 'abstain', 'disagree', 'block'];

/** Orders casts by cast time, then by id: the same total order on every replica. */
export function compareCasts(
  a: { id: string; castAt: number },
  b: { id: string; castAt: number },
): number {
  return a.castAt - b.castAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** Whether a cast made at `castAt` counts under the closing date. */
export function castOnTime(castAt: number, closesAt: number | null): boolean {
  return closesAt === null || castAt <= closesAt;
}

function formatUtc(time: number): string {
  return `${new Date(time).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/**
 * The decision `id` when a cast may be written now (it exists, is readable, not in the trash,
 * proposed, and its closing date has not passed on this device's clock), or why not. Shared by
 * consent votes and poll ballots.
 */
export function decisionOpenForCasting(
  doc: Y.Doc,
  id: string,
  now: number,
): Result<{ decision: Decision; now: number }> {
  const read = decisions.get(doc, id);
  if (!read)
    return fail('not-found', 'Decision not found. It may have been deleted on another device.');
  if (!read.ok) return fail('damaged', 'This decision is damaged and read-only.');
  const decision = read.value;
  if (decision.deletedAt !== null) return fail('closed', 'This decision is in the trash.');
  if (decision.status === 'draft')
    return fail('closed', 'This decision is still a draft. Propose it to open voting.');
  if (decision.status !== 'proposed')
    return fail('closed', `Voting is closed: this decision was ${decision.status}.`);
  if (!castOnTime(now, decision.closesAt))
    return fail(
      'closed',
      `Voting closed at ${formatUtc(decision.closesAt ?? now)}. Your vote was not recorded.`,
    );
  return ok({ decision, now });
}

/**
 * Casts (or changes) the actor's vote. Refused unless the decision is proposed and its closing
 * date, if any, has not passed on this device's clock.
 */
export function castVote(
  doc: Y.Doc,
  ctx: ModelContext,
  id: string,
  rawInput: z.input<typeof VoteInput>,
): Result<VoteCast> {
  const input = VoteInput.safeParse(rawInput);
  if (!input.success) return fail('invalid-input', input.error.issues[0]?.message ?? 'Bad vote.');
  const open = decisionOpenForCasting(doc, id, (ctx.now ?? Date.now)());
  if (!open.ok) return open;
  const now = open.value.now;
  const record = decisions.map(doc, id);
  if (!record) return fail('not-found', 'Decision not found.');
  const unsigned: VoteCast = {
    id: newId(),
    member: ctx.actor,
    choice: input.data.choice,
    reason: input.data.reason,
    castAt: now,
  };
  const cast = withSignature(unsigned, signEntry(ctx, 'vote', ctx.actor, voteFields(id, unsigned)));
  doc.transact(() => {
    arrayOf(record, DECISION_VOTES_KEY).push([cast]);
    stampEdited(record, ctx.actor, now);
  }, MODEL_ORIGIN);
  return ok(cast);
}

/** What any cast carries, whatever the poll type: who, when, and its id for ties. */
interface Cast {
  readonly id: string;
  readonly member: string;
  readonly castAt: number;
}

/** One member's casts under the closing date. */
export interface MemberCasts<T extends Cast> {
  readonly member: string;
  /** The cast that counts, or null when the member has no cast on time. */
  readonly counted: T | null;
  /** Casts after the closing date: shown as late, never counted. */
  readonly late: readonly T[];
  /** Earlier on-time casts replaced by a later one (the member changed their vote). */
  readonly changed: readonly T[];
}

export type MemberVote = MemberCasts<VoteCast>;

/**
 * Per member (sorted by member id): the latest on-time cast counts, later ones are late, earlier
 * ones changed. The rule every poll type shares; pure and order-independent.
 */
export function castsByMember<T extends Cast>(
  casts: readonly T[],
  closesAt: number | null,
): MemberCasts<T>[] {
  const byMember = new Map<string, T[]>();
  for (const cast of casts) {
    const list = byMember.get(cast.member) ?? [];
    list.push(cast);
    byMember.set(cast.member, list);
  }
  return [...byMember.keys()].sort().map((member) => {
    const sorted = [...byMember.get(member)!].sort(compareCasts);
    const onTime = sorted.filter((cast) => castOnTime(cast.castAt, closesAt));
    const late = sorted.filter((cast) => !castOnTime(cast.castAt, closesAt));
    return { member, counted: onTime.at(-1) ?? null, late, changed: onTime.slice(0, -1) };
  });
}

export interface Tally {
  readonly counts: Readonly<Record<VoteChoice, number>>;
  /** Members with a counted vote. */
  readonly voted: number;
  readonly members: readonly MemberVote[];
  /** Counted blocks, each with its reason. */
  readonly blocks: readonly VoteCast[];
  readonly lateCount: number;
}

/** The tally of a decision's casts under its closing date. Pure; identical on every replica. */
export function tallyVotes(votes: readonly VoteCast[], closesAt: number | null): Tally {
  const counts: Record<VoteChoice, number> = { agree: 0, abstain: 0, disagree: 0, block: 0 };
  const members = castsByMember(votes, closesAt);
  const blocks: VoteCast[] = [];
  let lateCount = 0;
  for (const { counted, late } of members) {
    if (counted) {
      counts[counted.choice] += 1;
      if (counted.choice === 'block') blocks.push(counted);
    }
    lateCount += late.length;
  }
  const voted = members.filter((entry) => entry.counted !== null).length;
  return { counts, voted, members, blocks, lateCount };
}

/** Whether a decision is open for votes at `now` by this device's clock. */
export function votingOpen(
  decision: Pick<Decision, 'status' | 'closesAt' | 'deletedAt'>,
  now: number,
): boolean {
  return (
    decision.deletedAt === null &&
    decision.status === 'proposed' &&
    castOnTime(now, decision.closesAt)
  );
}

/** Whether the decision concerns a member: they are a decider, or no deciders are named. */
export function involves(decision: Pick<Decision, 'people'>, memberId: string): boolean {
  const deciders = decision.people.filter((person) => person.role === 'decider');
  return deciders.length === 0 || deciders.some((person) => person.member === memberId);
}

/**
 * True when voting is open, the decision concerns the member, and they have not voted yet. With
 * `trust`, only a verified cast counts as having voted (an unsigned vote from before signatures
 * is not counted, so the person is asked again).
 */
export function needsVote(
  decision: Pick<
    Decision,
    | 'id'
    | 'status'
    | 'closesAt'
    | 'deletedAt'
    | 'people'
    | 'votes'
    | 'ballots'
    | 'pollType'
    | 'archived'
  >,
  memberId: string,
  now: number,
  trust?: Trust,
): boolean {
  if (decision.archived || !votingOpen(decision, now) || !involves(decision, memberId))
    return false;
  const verified = (cast: VoteCast | Ballot): boolean => {
    if (!trust) return true;
    const verdict =
      decision.pollType === 'consent'
        ? verifyVote(trust, decision.id, cast as VoteCast)
        : verifyBallot(trust, decision.id, cast as Ballot);
    return verdict.state === 'verified';
  };
  const casts: readonly (VoteCast | Ballot)[] =
    decision.pollType === 'consent' ? decision.votes : decision.ballots;
  return !casts.some(
    (cast) =>
      cast.member === memberId && castOnTime(cast.castAt, decision.closesAt) && verified(cast),
  );
}
