/**
 * Validation schema of decision records (see docs/PROTOCOL.md, "Decisions"). Nested collections
 * (options, people, votes, history) are read entry by entry: an entry that fails validation is
 * reported in `problems` and skipped, so one bad vote from a buggy peer never hides the decision.
 */
import { z } from 'zod';
import { BaseRecord, Id, IsoDate, Timestamp } from './common';

export const DecisionStatus = z.enum(['draft', 'proposed', 'accepted', 'rejected', 'superseded']);
export type DecisionStatus = z.infer<typeof DecisionStatus>;

export const VoteChoice = z.enum(['agree', 'abstain', 'disagree', 'block']);
export type VoteChoice = z.infer<typeof VoteChoice>;

/**
 * How the decision is polled: `consent` (agree / abstain / disagree / block, the default and the
 * only type before poll types existed), `choose` (each person picks one option) or `score` (each
 * person scores options from 0 to SCORE_MAX).
 */
export const PollType = z.enum(['consent', 'choose', 'score']);
export type PollType = z.infer<typeof PollType>;

/** The top of the score scale (Loomio's score poll; 0 means "not at all"). */
export const SCORE_MAX = 5;

export const DecisionRole = z.enum(['decider', 'consulted', 'informed']);
export type DecisionRole = z.infer<typeof DecisionRole>;

const MemberId = z.string().min(1).max(64);

/** One vote as cast on one device; every cast is kept, the tally picks per member. */
export const VoteCast = z.object({
  id: Id,
  member: MemberId,
  choice: VoteChoice,
  reason: z.string().max(2_000),
  castAt: Timestamp,
  /** The author's device signature (docs/PROTOCOL.md §8); absent on casts of earlier versions. */
  sig: z.unknown().optional(),
});
export type VoteCast = z.infer<typeof VoteCast>;

/**
 * One ballot of a `choose` or `score` poll as cast on one device: exactly one of `optionId` (the
 * chosen option) and `scores` (option id → whole score 0..SCORE_MAX, at most 200 options). Kept,
 * like consent casts, forever; the tally picks per member.
 */
export const Ballot = z
  .object({
    id: Id,
    member: MemberId,
    reason: z.string().max(2_000),
    castAt: Timestamp,
    optionId: Id.optional(),
    scores: z
      .record(Id, z.number().int().min(0).max(SCORE_MAX))
      .refine((scores) => Object.keys(scores).length <= 200, 'scores more than 200 options')
      .optional(),
    /** As on a VoteCast. */
    sig: z.unknown().optional(),
  })
  .strict()
  .refine(
    (ballot) => (ballot.optionId === undefined) !== (ballot.scores === undefined),
    'a ballot holds either a chosen option or scores',
  );
export type Ballot = z.infer<typeof Ballot>;

/** One change of status, appended by the device that made it. */
export const StatusChange = z.object({
  id: Id,
  from: DecisionStatus.nullable(),
  to: DecisionStatus,
  by: MemberId,
  at: Timestamp,
  supersededBy: Id.nullable().optional(),
  /** As on a VoteCast. */
  sig: z.unknown().optional(),
});
export type StatusChange = z.infer<typeof StatusChange>;

export const DecisionOption = z.object({
  id: Id,
  title: z.string().max(200),
  pros: z.string().max(10_000),
  cons: z.string().max(10_000),
  createdAt: Timestamp,
});
export type DecisionOption = z.infer<typeof DecisionOption>;

/** A link target: `goal:<goalId>`, `keyResult:<goalId>/<keyResultId>` or `note:<noteId>`. */
export const DecisionLink = z
  .string()
  .regex(
    /^(goal|note):[A-Za-z0-9_-]{8,64}$|^keyResult:[A-Za-z0-9_-]{8,64}\/[A-Za-z0-9_-]{8,64}$/,
    'must be goal:<id>, note:<id> or keyResult:<goalId>/<id>',
  );

export const Decision = BaseRecord.extend({
  kind: z.literal('decision'),
  title: z.string().max(200),
  status: DecisionStatus,
  proposal: z.string().max(20_000),
  proposedOptionId: Id.nullable(),
  drivers: z.string().max(10_000),
  outcome: z.string().max(20_000),
  closesAt: Timestamp.nullable(),
  reviewOn: IsoDate.nullable(),
  supersededBy: Id.nullable(),
  options: z.array(DecisionOption),
  people: z.array(z.object({ member: MemberId, role: DecisionRole })),
  tags: z.array(z.string().max(40)).max(100),
  links: z.array(DecisionLink).max(500),
  pollType: PollType,
  votes: z.array(VoteCast),
  /** The casts of `choose` and `score` polls (consent casts stay in `votes`). */
  ballots: z.array(Ballot),
  history: z.array(StatusChange),
  /** Nested entries that failed validation and were skipped (kept in the document). */
  problems: z.array(z.string()),
});
export type Decision = z.infer<typeof Decision>;
