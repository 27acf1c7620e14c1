/**
 * Casts the tally leaves out because their signature does not verify (or they have none): every
 * one listed with who it claims to be from, what it says and why it is not counted. Never hidden,
 * never counted (docs/PROTOCOL.md §8.4).
 */
import type { SetAside } from '../../../shared/model';
import { VerificationBadge } from '../../components/VerificationBadge';
import { formatWhen } from './parts';
import type { Cast } from './CastList';

export function SetAsideCasts<T extends Cast>({
  setAside,
  name,
  describe,
}: {
  readonly setAside: readonly SetAside<T>[];
  readonly name: (id: string) => string;
  /** What the cast said, in words. */
  readonly describe: (cast: T) => string;
}) {
  if (setAside.length === 0) return null;
  const unverified = setAside.filter((entry) => entry.verification.state === 'unverified').length;
  return (
    <div className="set-aside">
      <h3 className="set-aside-heading">
        Not counted ({setAside.length}
        {unverified > 0 ? `, ${unverified} unverified` : ''})
      </h3>
      <ul className="vote-list" aria-label="Votes not counted">
        {setAside.map(({ cast, verification }) => (
          <li key={cast.id}>
            <span className="vote-who">{name(cast.member)}</span>
            <span className="badge">{describe(cast)}</span>
            <span className="muted" title={new Date(cast.castAt).toISOString()}>
              {formatWhen(cast.castAt)}
            </span>
            {cast.reason && <span className="vote-reason">{cast.reason}</span>}
            <VerificationBadge verification={verification} author={name(cast.member)} explain />
          </li>
        ))}
      </ul>
    </div>
  );
}
