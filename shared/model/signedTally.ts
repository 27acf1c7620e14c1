/**
 * Tallies that count only casts signed by a device of their member (docs/PROTOCOL.md §8.4). Every
 * other cast is set aside with its verdict: shown, never counted, never removed. Pure functions
 * of the document (through Trust), so every replica counts the same.
 */
import type { Ballot, Decision, VoteCast } from '../schema/records';
import type { Trust, Verification } from './signatures';
import { verifyBallot, verifyVote } from './signedFields';
import { tallyVotes, type Tally } from './decisionsVotes';
import { tallyPoll, type PollTally } from './decisionsPolls';

/** A cast the tally leaves out because it does not verify, with the verdict to show. */
export interface SetAside<T> {
  readonly cast: T;
  readonly verification: Exclude<Verification, { state: 'verified' }>;
}

/** A tally of the verified casts only, and the casts set aside (shown, never counted). */
export interface Verified<TTally, T> {
  readonly tally: TTally;
  readonly setAside: readonly SetAside<T>[];
}

function split<T extends { id: string }>(
  casts: readonly T[],
  verify: (cast: T) => Verification,
): { counted: T[]; setAside: SetAside<T>[] } {
  const counted: T[] = [];
  const setAside: SetAside<T>[] = [];
  for (const cast of casts) {
    const verification = verify(cast);
    if (verification.state === 'verified') counted.push(cast);
    else setAside.push({ cast, verification });
  }
  // In cast order, so every replica lists them alike.
  setAside.sort((a, b) => (a.cast.id < b.cast.id ? -1 : a.cast.id > b.cast.id ? 1 : 0));
  return { counted, setAside };
}

/** The consent tally counting only votes signed by a device of their member. Pure. */
export function verifiedTally(
  trust: Trust,
  decision: Pick<Decision, 'id' | 'votes' | 'closesAt'>,
): Verified<Tally, VoteCast> {
  const { counted, setAside } = split(decision.votes, (cast) =>
    verifyVote(trust, decision.id, cast),
  );
  return { tally: tallyVotes(counted, decision.closesAt), setAside };
}

/** The poll tally counting only ballots signed by a device of their member. Pure. */
export function verifiedPollTally(
  trust: Trust,
  decision: Pick<Decision, 'id' | 'pollType' | 'options' | 'ballots' | 'closesAt'>,
): Verified<PollTally, Ballot> {
  const { counted, setAside } = split(decision.ballots, (ballot) =>
    verifyBallot(trust, decision.id, ballot),
  );
  return { tally: tallyPoll({ ...decision, ballots: counted }), setAside };
}
