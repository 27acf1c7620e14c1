/**
 * Every check-in of an objective, newest first, with who, when, value, confidence and comment, and
 * a badge on any whose signature does not verify (docs/PROTOCOL.md §8.5).
 */
import { healthOf, verifyCheckIn } from '../../../shared/model';
import { useAppStore } from '../../store';
import { selectTrust } from '../../store/selectors';
import { VerificationBadge } from '../../components/VerificationBadge';
import type { Goal, Member } from '../../../shared/schema/records';
import { timeAgo } from '../../components/time';
import { HealthBadge } from './GoalWidgets';
import { formatWhen, valueText } from './format';

export function CheckInTimeline({
  goal,
  members,
  me,
}: {
  readonly goal: Goal;
  readonly members: readonly Member[];
  readonly me: string | undefined;
}) {
  const entries = goal.keyResults
    .flatMap((kr) => kr.checkIns.map((checkIn) => ({ kr, checkIn })))
    .sort((a, b) => b.checkIn.at - a.checkIn.at || b.checkIn.id.localeCompare(a.checkIn.id));
  const trust = useAppStore(selectTrust);
  const nameOf = (id: string) =>
    id === me ? 'You' : (members.find((member) => member.id === id)?.name ?? 'A former member');
  return (
    <section className="goal-section" aria-labelledby="timeline-heading">
      <h2 id="timeline-heading">Check-ins</h2>
      {entries.length === 0 ? (
        <p className="hint">No check-ins yet. Check in on a key result to start the history.</p>
      ) : (
        <ol className="timeline" aria-label="Check-in history">
          {entries.map(({ kr, checkIn }) => (
            <li key={checkIn.id} className="timeline-entry">
              <div className="timeline-head">
                <strong>{nameOf(checkIn.authorId)}</strong>
                <span className="muted">
                  on {kr.title}
                  {kr.deletedAt !== null && ' (deleted)'}
                </span>
                <time dateTime={new Date(checkIn.at).toISOString()} title={formatWhen(checkIn.at)}>
                  {timeAgo(checkIn.at)}
                </time>
              </div>
              <div className="timeline-body">
                <span>
                  → <strong>{valueText(kr, checkIn.value)}</strong>
                </span>
                <span>confidence {checkIn.confidence}/10</span>
                <HealthBadge health={healthOf(checkIn.confidence)} />
                <VerificationBadge
                  verification={verifyCheckIn(trust, goal.id, kr.id, checkIn)}
                  author={nameOf(checkIn.authorId)}
                />
              </div>
              {checkIn.comment && <p className="timeline-comment">{checkIn.comment}</p>}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
