/**
 * Choose-one and score polls (docs/PROTOCOL.md, "Polls"): the same offline semantics as consent
 * votes. Every ballot is appended to the decision's `ballots` Y.Array with its cast time; per
 * member the latest ballot at or before the closing date counts, later ones are late. Each tally is
 * a pure function of the merged ballots, options and closing date, so every replica agrees.
 */
import type * as Y from 'yjs';
import { z } from 'zod';
import { decisions, DECISION_BALLOTS_KEY, arrayOf } from './decisions';
import { castsByMember, decisionOpenForCasting, type MemberCasts } from './decisionsVotes';
import { newId } from '../core/ids';
import { MODEL_ORIGIN } from './roots';
import { fail, ok, type Result } from '../result';
import { Id, SCORE_MAX, type Ballot, type Decision, type DecisionOption } from '../schema/records';
import { stampEdited, type ModelContext } from './collection';
import { signEntry, withSignature } from './signatures';
import { ballotFields } from './signedFields';

const Reason = z
  .string()
  .transform((value) => value.trim())
  .pipe(z.string().max(2_000, 'The reason is longer than 2,000 characters.'))
  .default('');

const Score = z
  .number({ error: `A score is a whole number from 0 to ${SCORE_MAX}.` })
  .int(`A score is a whole number from 0 to ${SCORE_MAX}.`)
  .min(0, `A score is a whole number from 0 to ${SCORE_MAX}.`)
  .max(SCORE_MAX, `A score is a whole number from 0 to ${SCORE_MAX}.`);

export const BallotInput = z
  .object({ optionId: Id.optional(), scores: z.record(Id, Score).optional(), reason: Reason })
  .strict()
  .refine(
    (input) => (input.optionId === undefined) !== (input.scores === undefined),
    'Choose one option, or score the options.',
  );
export type BallotInput = z.input<typeof BallotInput>;

/**
 * Casts (or changes) the actor's ballot in a choose or score poll. Refused unless the decision is
 * proposed, open by this device's clock, of the matching poll type, and every option named exists.
 */
export function castBallot(
  doc: Y.Doc,
  ctx: ModelContext,
  id: string,
  rawInput: BallotInput,
): Result<Ballot> {
  const input = BallotInput.safeParse(rawInput);
  if (!input.success)
    return fail('invalid-input', input.error.issues[0]?.message ?? 'That is not a ballot.');
  const open = decisionOpenForCasting(doc, id, (ctx.now ?? Date.now)());
  if (!open.ok) return open;
  const { decision, now } = open.value;
  const optionIds = new Set(decision.options.map((option) => option.id));
  const missing = 'That option no longer exists. It may have been removed on another device.';
  const data = input.data;
  let choice: Pick<Ballot, 'optionId' | 'scores'>;
  if (data.optionId !== undefined) {
    if (decision.pollType !== 'choose')
      return fail('invalid-input', 'This poll asks for scores, not for one option.');
    if (!optionIds.has(data.optionId)) return fail('invalid-input', missing);
    choice = { optionId: data.optionId };
  } else {
    if (decision.pollType !== 'score')
      return fail('invalid-input', 'This poll asks you to choose one option, not to score them.');
    const entries = Object.entries(data.scores ?? {});
    if (entries.length === 0) return fail('invalid-input', 'Score at least one option.');
    if (entries.some(([optionId]) => !optionIds.has(optionId)))
      return fail('invalid-input', missing);
    choice = { scores: Object.fromEntries(entries) };
  }
  const record = decisions.map(doc, id);
  if (!record) return fail('not-found', 'Decision not found.');
  const unsigned: Ballot = {
    id: newId(),
    member: ctx.actor,
    reason: data.reason,
    castAt: now,
    ...choice,
  };
  const ballot = withSignature(
    unsigned,
    signEntry(ctx, 'ballot', ctx.actor, ballotFields(id, unsigned)),
  );
  doc.transact(() => {
    arrayOf(record, DECISION_BALLOTS_KEY).push([ballot]);
    stampEdited(record, ctx.actor, now);
  }, MODEL_ORIGIN);
  return ok(ballot);
}

/** One option's result in a choose or score poll. */
export interface OptionResult {
  readonly option: DecisionOption;
  /** Choose: members who chose it. Score: the sum of its scores. */
  readonly total: number;
  /** Score: members who scored it (0 counts as a score). Choose: the same as `total`. */
  readonly scoredBy: number;
  /** Score: total / scoredBy (0 when nobody scored it). Choose: the share of counted ballots. */
  readonly average: number;
}

export interface PollTally {
  /** Options in display order, each with its result. */
  readonly results: readonly OptionResult[];
  /** The options with the highest total when it is above 0 (several on a tie), else empty. */
  readonly leaders: readonly string[];
  /** Members with a counted ballot that names at least one existing option. */
  readonly voted: number;
  readonly members: readonly MemberCasts<Ballot>[];
  readonly lateCount: number;
  /**
   * Counted ballots that count for nothing: of the other poll type (merged from a replica that
   * changed the type), or only for options removed since.
   */
  readonly uncounted: number;
}

/**
 * The tally of a choose or score poll: per member the latest on-time ballot counts; choices and
 * scores for options that no longer exist are ignored. Pure; identical on every replica.
 */
export function tallyPoll(
  decision: Pick<Decision, 'pollType' | 'options' | 'ballots' | 'closesAt'>,
): PollTally {
  const members = castsByMember(decision.ballots, decision.closesAt);
  const total = new Map<string, number>();
  const scoredBy = new Map<string, number>();
  const exists = new Set(decision.options.map((option) => option.id));
  let voted = 0;
  let uncounted = 0;
  let lateCount = 0;
  const add = (optionId: string, value: number) => {
    total.set(optionId, (total.get(optionId) ?? 0) + value);
    scoredBy.set(optionId, (scoredBy.get(optionId) ?? 0) + 1);
  };
  for (const { counted, late } of members) {
    lateCount += late.length;
    if (!counted) continue;
    let counts = false;
    if (decision.pollType === 'choose' && counted.optionId && exists.has(counted.optionId)) {
      add(counted.optionId, 1);
      counts = true;
    }
    if (decision.pollType === 'score' && counted.scores) {
      for (const [optionId, score] of Object.entries(counted.scores)) {
        if (!exists.has(optionId)) continue;
        add(optionId, score);
        counts = true;
      }
    }
    if (counts) voted += 1;
    else uncounted += 1;
  }
  const results = decision.options.map((option): OptionResult => {
    const sum = total.get(option.id) ?? 0;
    const by = scoredBy.get(option.id) ?? 0;
    const average = decision.pollType === 'choose' ? (voted ? sum / voted : 0) : by ? sum / by : 0;
    return { option, total: sum, scoredBy: by, average };
  });
  const best = Math.max(0, ...results.map((result) => result.total));
  const leaders =
    best > 0 ? results.filter((result) => result.total === best).map((r) => r.option.id) : [];
  return { results, leaders, voted, members, lateCount, uncounted };
}
