import { useState } from 'react';
import { verifiedPollTally, verifiedTally, votingOpen, type Trust } from '../../../shared/model';
import type { Decision, Member } from '../../../shared/schema/records';
import { useDraft } from '../../components/useDraft';
import { useSavedField } from '../../components/useSavedField';
import { ok } from '../../../shared/result';
import { updateDecision } from './decisionActions';
import { closingAction, formatWhen, memberName, toLocalInput, until } from './parts';
import { Field, FieldError } from '../../components/Field';
import { ConsentBallot } from './ConsentBallot';
import { PollBallot } from './PollBallot';

interface VotePanelProps {
  readonly decision: Decision;
  readonly members: readonly Member[];
  readonly selfId: string | undefined;
  readonly now: number;
  readonly editable: boolean;
  /** The members' devices, against which casts are verified. */
  readonly trust: Trust;
}

const POLL_HEADING = { consent: 'Votes', choose: 'Votes: choose one', score: 'Votes: scores' };

/** Voting on a proposed decision: closing date, the poll of its type, and deciding. */
export function VotePanel({ decision, members, selfId, now, editable, trust }: VotePanelProps) {
  const open = votingOpen(decision, now);
  const stored = decision.closesAt !== null ? toLocalInput(decision.closesAt) : '';
  const [closing, setClosing] = useDraft(stored);
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
  const consent = decision.pollType === 'consent';
  // Only votes signed by a device of their member count (docs/PROTOCOL.md §8.4).
  const consentResult = verifiedTally(trust, decision);
  const tally = consentResult.tally;
  const action = closingAction(closing, stored);

  const applyClosing = () => {
    if (action.disabled) return;
    if (action.clears) {
      const result = updateDecision(decision.id, { closesAt: null });
      setClosingError(result.ok ? null : result.error.message);
      if (result.ok) setClosing('');
      return;
    }
    const time = new Date(closing).getTime();
    if (Number.isNaN(time)) return setClosingError('That is not a date and time.');
    const result = updateDecision(decision.id, { closesAt: time });
    setClosingError(result.ok ? null : result.error.message);
  };
  const decide = (status: 'accepted' | 'rejected') => {
    if (status === 'accepted' && outcome.props.value.trim() === '')
      return setDecideError('Write the outcome first: what was decided, and why.');
    if (consent && status === 'accepted' && tally.blocks.length > 0 && !confirmBlock) {
      setConfirmBlock(true);
      return;
    }
    const result = updateDecision(decision.id, { status, outcome: outcome.props.value });
    setDecideError(result.ok ? null : result.error.message);
  };

  return (
    <section className="card vote-card" aria-labelledby="votes-heading">
      <div className="card-head">
        <h2 id="votes-heading">{POLL_HEADING[decision.pollType]}</h2>
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

      {consent ? (
        <ConsentBallot
          decision={decision}
          tally={tally}
          setAside={consentResult.setAside}
          selfId={selfId}
          open={open}
          editable={editable}
          name={name}
        />
      ) : (
        <PollBallot
          decision={decision}
          {...verifiedPollTally(trust, decision)}
          selfId={selfId}
          open={open}
          editable={editable}
          name={name}
        />
      )}

      {(decision.status === 'draft' || decision.status === 'proposed') && editable && (
        <div className="decision-row">
          <Field id="decision-closes" label="Voting closes">
            <input
              className="input"
              type="datetime-local"
              value={closing}
              onChange={(event) => setClosing(event.target.value)}
              onKeyDown={(event) => event.key === 'Enter' && applyClosing()}
            />
          </Field>
          <button
            type="button"
            className="button"
            disabled={action.disabled}
            onClick={applyClosing}
          >
            {action.label}
          </button>
        </div>
      )}
      <FieldError message={closingError} />

      {decision.status === 'proposed' && editable && (
        <div className="decide">
          <Field
            id="decision-outcome-draft"
            label="Outcome"
            hint="Needed to accept: what was decided, and why."
            size="wide"
            error={outcome.error}
          >
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
