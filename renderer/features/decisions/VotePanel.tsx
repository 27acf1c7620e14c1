import { useState } from 'react';
import { Ban } from 'lucide-react';
import { VOTE_CHOICES, tallyVotes, votingOpen } from '../../../shared/model';
import type { Decision, Member, VoteChoice } from '../../../shared/schema/records';
import { useDraft } from '../../components/useDraft';
import { useSavedField } from '../../components/useSavedField';
import { ok } from '../../../shared/result';
import { updateDecision, voteOnDecision } from './decisionActions';
import { formatWhen, memberName, toLocalInput, until } from './parts';
import { Field, FieldError } from '../../components/Field';

const CHOICE_LABEL: Record<VoteChoice, string> = {
  agree: 'Agree',
  abstain: 'Abstain',
  disagree: 'Disagree',
  block: 'Block',
};

interface VotePanelProps {
  readonly decision: Decision;
  readonly members: readonly Member[];
  readonly selfId: string | undefined;
  readonly now: number;
  readonly editable: boolean;
}

/** Voting on a proposed decision: closing date, live tally, blocks, the person's vote, deciding. */
export function VotePanel({ decision, members, selfId, now, editable }: VotePanelProps) {
  const tally = tallyVotes(decision.votes, decision.closesAt);
  const open = votingOpen(decision, now);
  const mine = tally.members.find((entry) => entry.member === selfId)?.counted ?? null;
  const [choice, setChoice] = useState<VoteChoice | null>(null);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [closing, setClosing] = useDraft(
    decision.closesAt !== null ? toLocalInput(decision.closesAt) : '',
  );
  const [closingError, setClosingError] = useState<string | null>(null);
  // Typed before deciding, and saved as typed like every text field: a reload keeps it.
  const outcome = useSavedField(
    decision.outcome,
    (draft) => {
      const result = updateDecision(decision.id, { outcome: draft });
      return result.ok ? ok(result.value.outcome) : result;
    },
    { multiline: true },
  );
  const [confirmBlock, setConfirmBlock] = useState(false);
  const [decideError, setDecideError] = useState<string | null>(null);
  const name = (id: string) => memberName(members, id, selfId);

  const selected = choice ?? mine?.choice ?? null;
  const cast = () => {
    if (!selected) return setError('Pick agree, abstain, disagree or block.');
    const result = voteOnDecision(
      decision.id,
      selected,
      reason || (choice ? '' : mine?.reason) || '',
    );
    setError(result.ok ? null : result.error.message);
    if (result.ok) {
      setChoice(null);
      setReason('');
    }
  };
  const setClosingDate = () => {
    if (!closing) {
      const result = updateDecision(decision.id, { closesAt: null });
      setClosingError(result.ok ? null : result.error.message);
      return;
    }
    const time = new Date(closing).getTime();
    if (Number.isNaN(time)) return setClosingError('That is not a date and time.');
    const result = updateDecision(decision.id, { closesAt: time });
    setClosingError(result.ok ? null : result.error.message);
  };
  const decide = (status: 'accepted' | 'rejected') => {
    if (status === 'accepted' && tally.blocks.length > 0 && !confirmBlock) {
      setConfirmBlock(true);
      return;
    }
    const result = updateDecision(decision.id, { status, outcome: outcome.props.value });
    setDecideError(result.ok ? null : result.error.message);
  };

  const total = tally.voted || 1;
  return (
    <section className="card vote-card" aria-labelledby="votes-heading">
      <div className="card-head">
        <h2 id="votes-heading">Votes</h2>
        <span className="muted" role="status">
          {decision.status === 'draft'
            ? 'Voting opens when the decision is proposed.'
            : decision.closesAt === null
              ? open
                ? 'Open, no closing date'
                : 'Closed'
              : open
                ? `Closes ${formatWhen(decision.closesAt)} (${until(decision.closesAt, now)})`
                : `Closed ${formatWhen(decision.closesAt)}`}
        </span>
      </div>

      {tally.blocks.map((block) => (
        <div key={block.id} className="block-callout" role="alert">
          <strong>
            <Ban size={15} aria-hidden="true" /> Blocked by{' '}
            {block.member === selfId ? 'you' : name(block.member)}
          </strong>
          <p>{block.reason}</p>
        </div>
      ))}

      <div className="tally" aria-label="Tally">
        {VOTE_CHOICES.map((item) => (
          <div key={item} className={`tally-item vote-${item}`}>
            <span className="tally-count">{tally.counts[item]}</span>
            <span className="tally-label">{CHOICE_LABEL[item].toLowerCase()}</span>
          </div>
        ))}
        <div className="tally-bar" aria-hidden="true">
          {VOTE_CHOICES.map((item) =>
            tally.counts[item] > 0 ? (
              <span
                key={item}
                className={`vote-${item}`}
                style={{ width: `${(tally.counts[item] / total) * 100}%` }}
              />
            ) : null,
          )}
        </div>
      </div>

      {(decision.status === 'draft' || decision.status === 'proposed') && editable && (
        <div className="decision-row">
          <Field id="decision-closes" label="Voting closes">
            <input
              className="input"
              type="datetime-local"
              value={closing}
              onChange={(event) => setClosing(event.target.value)}
              onKeyDown={(event) => event.key === 'Enter' && setClosingDate()}
            />
          </Field>
          <button type="button" className="button" onClick={setClosingDate}>
            {closing ? 'Set closing date' : 'Remove closing date'}
          </button>
        </div>
      )}
      <FieldError message={closingError} />

      {open && editable && (
        <div className="my-vote">
          <span className="label" id="my-vote-label">
            {mine ? 'Change your vote' : 'Your vote'}
          </span>
          <div className="segmented vote-choices" role="radiogroup" aria-labelledby="my-vote-label">
            {VOTE_CHOICES.map((item) => (
              <button
                key={item}
                type="button"
                role="radio"
                className={`vote-${item}`}
                aria-checked={selected === item}
                onClick={() => setChoice(item)}
              >
                {CHOICE_LABEL[item]}
              </button>
            ))}
          </div>
          <textarea
            className="textarea compact"
            aria-label="Reason for your vote"
            placeholder={
              selected === 'block'
                ? 'Why do you block? What would make it acceptable? (required)'
                : 'Reason (optional)'
            }
            rows={2}
            value={reason}
            maxLength={2000}
            onChange={(event) => setReason(event.target.value)}
          />
          <div className="row">
            <button type="button" className="button primary" onClick={cast}>
              {mine ? 'Change vote' : 'Cast vote'}
            </button>
            {mine && (
              <span className="muted">
                You voted <strong>{mine.choice}</strong> {formatWhen(mine.castAt)}
              </span>
            )}
          </div>
          <FieldError message={error} />
        </div>
      )}

      {tally.members.length > 0 && (
        <ul className="vote-list" aria-label="Votes by member">
          {tally.members.map((entry) => (
            <li key={entry.member}>
              <span className="vote-who">{name(entry.member)}</span>
              {entry.counted ? (
                <span className={`badge vote-${entry.counted.choice}`}>{entry.counted.choice}</span>
              ) : (
                <span className="badge">no vote on time</span>
              )}
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
                  <span className="badge late">late · not counted</span> {late.choice}
                  {late.reason ? ` — ${late.reason}` : ''} ({formatWhen(late.castAt)})
                </span>
              ))}
            </li>
          ))}
        </ul>
      )}

      {decision.status === 'proposed' && editable && (
        <div className="decide">
          <Field id="decision-outcome-draft" label="Outcome" size="wide" error={outcome.error}>
            <textarea
              className="textarea compact"
              rows={2}
              placeholder="What was decided, and why. Shown with the decision and in its MADR export."
              {...outcome.props}
            />
          </Field>
          <div className="row">
            <button type="button" className="button primary" onClick={() => decide('accepted')}>
              {confirmBlock
                ? `Accept despite ${tally.blocks.length} block${tally.blocks.length > 1 ? 's' : ''}`
                : 'Accept'}
            </button>
            <button type="button" className="button" onClick={() => decide('rejected')}>
              Reject
            </button>
            {confirmBlock && (
              <span className="muted">A block usually means: talk first, then decide.</span>
            )}
          </div>
          <FieldError message={decideError} />
        </div>
      )}
    </section>
  );
}
