/**
 * Choose-one and score polls: each option's result, the person's ballot (one option, or a score
 * from 0 to SCORE_MAX per option) and every member's counted ballot. The rules are the model's
 * (shared/model/decisionsPolls.ts); this only shows them and casts.
 */
import { useState } from 'react';
import type { PollTally, SetAside } from '../../../shared/model';
import { SCORE_MAX, type Ballot, type Decision } from '../../../shared/schema/records';
import { castPollBallot } from './decisionActions';
import { CastForm } from './CastForm';
import { CastList } from './CastList';
import { SetAsideCasts } from './SetAsideCasts';

interface PollBallotProps {
  readonly decision: Decision;
  readonly tally: PollTally;
  /** Ballots left out of the tally: signatures that do not verify, or none. */
  readonly setAside: readonly SetAside<Ballot>[];
  readonly selfId: string | undefined;
  readonly open: boolean;
  readonly editable: boolean;
  readonly name: (id: string) => string;
}

const SCALE = Array.from({ length: SCORE_MAX + 1 }, (_, score) => score);

export function PollBallot({
  decision,
  tally,
  setAside,
  selfId,
  open,
  editable,
  name,
}: PollBallotProps) {
  const score = decision.pollType === 'score';
  const mine = tally.members.find((entry) => entry.member === selfId)?.counted ?? null;
  const [chosen, setChosen] = useState<string | null>(null);
  const [scores, setScores] = useState<Record<string, number>>({});
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const optionTitle = (id: string) =>
    decision.options.find((option) => option.id === id)?.title ?? 'a removed option';
  const describe = (ballot: Ballot) =>
    ballot.optionId !== undefined
      ? optionTitle(ballot.optionId)
      : Object.entries(ballot.scores ?? {})
          .map(([id, value]) => `${optionTitle(id)} ${value}`)
          .join(' · ');
  const selectedOption = chosen ?? mine?.optionId ?? null;
  const scoreOf = (id: string): number | undefined => scores[id] ?? mine?.scores?.[id];

  const cast = () => {
    const input = score
      ? {
          scores: Object.fromEntries(
            decision.options.flatMap((option) => {
              const value = scoreOf(option.id);
              return value === undefined ? [] : [[option.id, value] as const];
            }),
          ),
          reason,
        }
      : selectedOption
        ? { optionId: selectedOption, reason }
        : null;
    if (!input) return setError('Choose one of the options.');
    const result = castPollBallot(decision.id, input);
    setError(result.ok ? null : result.error.message);
    if (result.ok) {
      setChosen(null);
      setScores({});
      setReason('');
    }
  };

  const most = Math.max(1, ...tally.results.map((result) => result.total));
  return (
    <>
      {decision.options.length === 0 && (
        <p className="muted">Add options below: people choose among them or score them.</p>
      )}
      <ol className="poll-results" aria-label="Results">
        {tally.results.map((result) => (
          <li key={result.option.id}>
            <span className="poll-option">
              {result.option.title}
              {tally.leaders.includes(result.option.id) && (
                <span className="badge status-accepted">leading</span>
              )}
            </span>
            <span className="poll-figure">
              {score
                ? `${result.total} points · average ${result.average.toFixed(1)} of ${SCORE_MAX} from ${result.scoredBy}`
                : `${result.total} vote${result.total === 1 ? '' : 's'}`}
            </span>
            <span className="poll-bar" aria-hidden="true">
              <span style={{ width: `${(result.total / most) * 100}%` }} />
            </span>
          </li>
        ))}
      </ol>
      {tally.uncounted > 0 && (
        <p className="muted">
          {tally.uncounted} ballot{tally.uncounted > 1 ? 's' : ''} count for nothing: cast for
          options removed since, or for another poll type.
        </p>
      )}

      {open && editable && decision.options.length > 0 && (
        <div className="my-vote">
          <span className="label" id="my-ballot-label">
            {mine ? 'Change your ballot' : score ? 'Score each option' : 'Choose one option'}
          </span>
          {score ? (
            <div className="score-grid" aria-labelledby="my-ballot-label">
              {decision.options.map((option) => (
                <div key={option.id} className="score-row">
                  <span id={`score-${option.id}`} className="poll-option">
                    {option.title}
                  </span>
                  <div
                    className="segmented"
                    role="radiogroup"
                    aria-label={`Score for ${option.title}`}
                  >
                    {SCALE.map((value) => (
                      <button
                        key={value}
                        type="button"
                        role="radio"
                        aria-checked={scoreOf(option.id) === value}
                        onClick={() => setScores({ ...scores, [option.id]: value })}
                      >
                        {value}
                      </button>
                    ))}
                  </div>
                </div>
              ))}
              <p className="hint">
                0: not at all · {SCORE_MAX}: the best fit. Skip an option to leave it unscored.
              </p>
            </div>
          ) : (
            <div className="segmented wrap" role="radiogroup" aria-labelledby="my-ballot-label">
              {decision.options.map((option) => (
                <button
                  key={option.id}
                  type="button"
                  role="radio"
                  aria-checked={selectedOption === option.id}
                  onClick={() => setChosen(option.id)}
                >
                  {option.title}
                </button>
              ))}
            </div>
          )}
          <CastForm
            reason={reason}
            setReason={setReason}
            placeholder={'Reason (optional)'}
            mine={mine ? { said: describe(mine), castAt: mine.castAt } : null}
            onCast={cast}
            error={error}
          />
        </div>
      )}

      <CastList
        members={tally.members}
        name={name}
        badge={(cast) => <span className="badge">{describe(cast)}</span>}
        describe={describe}
      />
      <SetAsideCasts setAside={setAside} name={name} describe={describe} />
    </>
  );
}
