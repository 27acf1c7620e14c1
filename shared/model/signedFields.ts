/**
 * The signed fields of each kind of entry that carries authorship (docs/PROTOCOL.md §8.3). A
 * writer signs exactly these fields; a reader rebuilds them from what is stored and verifies, so a
 * signed field changed after signing, or an entry written by another member's device, shows as
 * unverified.
 */
import type { SignedValue } from '../protocol/identity';
import type { Ballot, CheckIn, StatusChange, VoteCast } from '../schema/records';
import { verifyEntry, type Trust, type Verification } from './signatures';

export function voteFields(decisionId: string, cast: VoteCast): Record<string, SignedValue> {
  return {
    record: decisionId,
    id: cast.id,
    choice: cast.choice,
    reason: cast.reason,
    castAt: cast.castAt,
  };
}

export function ballotFields(decisionId: string, ballot: Ballot): Record<string, SignedValue> {
  return {
    record: decisionId,
    id: ballot.id,
    reason: ballot.reason,
    castAt: ballot.castAt,
    optionId: ballot.optionId ?? null,
    scores: ballot.scores ?? null,
  };
}

export function statusFields(
  decisionId: string,
  change: StatusChange,
): Record<string, SignedValue> {
  return {
    record: decisionId,
    id: change.id,
    from: change.from,
    to: change.to,
    at: change.at,
    supersededBy: change.supersededBy ?? null,
  };
}

export function checkInFields(
  goalId: string,
  keyResultId: string,
  entry: Omit<CheckIn, 'authorId' | 'sig'>,
): Record<string, SignedValue> {
  return {
    record: goalId,
    keyResult: keyResultId,
    id: entry.id,
    value: entry.value,
    confidence: entry.confidence,
    comment: entry.comment,
    at: entry.at,
  };
}

export const verifyVote = (trust: Trust, decisionId: string, cast: VoteCast): Verification =>
  verifyEntry(trust, 'vote', cast.member, voteFields(decisionId, cast), cast.sig);

export const verifyBallot = (trust: Trust, decisionId: string, ballot: Ballot): Verification =>
  verifyEntry(trust, 'ballot', ballot.member, ballotFields(decisionId, ballot), ballot.sig);

export const verifyStatusChange = (
  trust: Trust,
  decisionId: string,
  change: StatusChange,
): Verification =>
  verifyEntry(trust, 'status', change.by, statusFields(decisionId, change), change.sig);

export const verifyCheckIn = (
  trust: Trust,
  goalId: string,
  keyResultId: string,
  entry: CheckIn,
): Verification =>
  verifyEntry(
    trust,
    'checkin',
    entry.authorId,
    checkInFields(goalId, keyResultId, entry),
    entry.sig,
  );
