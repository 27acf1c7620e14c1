/**
 * Every member's counted cast with when it was cast and how often it changed, and their late
 * casts (shown, never counted): the same list for consent votes and poll ballots.
 */
import type { ReactNode } from 'react';
import type { MemberCasts } from '../../../shared/model';
import { formatWhen } from './parts';

/** What a consent vote and a poll ballot both carry, for lists of them. */
export interface Cast {
  readonly id: string;
  readonly member: string;
  readonly reason: string;
  readonly castAt: number;
}

export function CastList<T extends Cast>({
  members,
  name,
  badge,
  describe,
}: {
  readonly members: readonly MemberCasts<T>[];
  readonly name: (id: string) => string;
  /** The badge of a counted cast. */
  readonly badge: (cast: T) => ReactNode;
  /** What a late cast said, in words. */
  readonly describe: (cast: T) => string;
}) {
  if (members.length === 0) return null;
  return (
    <ul className="vote-list" aria-label="Votes by member">
      {members.map((entry) => (
        <li key={entry.member}>
          <span className="vote-who">{name(entry.member)}</span>
          {entry.counted ? badge(entry.counted) : <span className="badge">no vote on time</span>}
          {entry.counted && (
            <span className="muted" title={new Date(entry.counted.castAt).toISOString()}>
              {formatWhen(entry.counted.castAt)}
              {entry.changed.length > 0 &&
                ` · changed ${entry.changed.length} time${entry.changed.length > 1 ? 's' : ''}`}
            </span>
          )}
          {entry.counted?.reason && <span className="vote-reason">{entry.counted.reason}</span>}
          {entry.late.map((late) => (
            <span key={late.id} className="late-vote">
              <span className="badge late">late · not counted</span> {describe(late)}
              {late.reason ? ` — ${late.reason}` : ''} ({formatWhen(late.castAt)})
            </span>
          ))}
        </li>
      ))}
    </ul>
  );
}
