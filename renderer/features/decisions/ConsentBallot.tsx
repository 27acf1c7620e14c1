/** A consent poll: the tally of agree / abstain / disagree / block, blocks, the person's vote. */
import { useState } from 'react';
import { Ban } from 'lucide-react';
import { VOTE_CHOICES, type SetAside, type Tally } from '../../../shared/model';
import type { Decision, VoteCast, VoteChoice } from '../../../shared/schema/records';
import { voteOnDecision } from './decisionActions';
import { CastForm } from './CastForm';
import { CastList } from './CastList';
import { SetAsideCasts } from './SetAsideCasts';

const CHOICE_LABEL: Record<VoteChoice, string> = {
  agree: 'Agree',
  abstain: 'Abstain',
  disagree: 'Disagree',
  block: 'Block',
};

interface ConsentBallotProps {
  readonly decision: Decision;
  readonly tally: Tally;
  /** Votes left out of the tally: signatures that do not verify, or none. */
  readonly setAside: readonly SetAside<VoteCast>[];
  readonly selfId: string | undefined;
  readonly open: boolean;
  readonly editable: boolean;
  readonly name: (id: string) => string;
}

export function ConsentBallot({
  decision,
  tally,
  setAside,
  selfId,
  open,
  editable,
  name,
}: ConsentBallotProps) {
  const mine = tally.members.find((entry) => entry.member === selfId)?.counted ?? null;
  const [choice, setChoice] = useState<VoteChoice | null>(null);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
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
  const total = tally.voted || 1;
  return (
    <>
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
          <CastForm
            reason={reason}
            setReason={setReason}
            placeholder={
              selected === 'block'
                ? 'Why do you block? What would make it acceptable? (required)'
                : 'Reason (optional)'
            }
            mine={mine ? { said: mine.choice, castAt: mine.castAt } : null}
            onCast={cast}
            error={error}
          />
        </div>
      )}

      <CastList
        members={tally.members}
        name={name}
        badge={(cast) => <span className={`badge vote-${cast.choice}`}>{cast.choice}</span>}
        describe={(cast) => cast.choice}
      />
      <SetAsideCasts setAside={setAside} name={name} describe={(cast) => cast.choice} />
    </>
  );
}
