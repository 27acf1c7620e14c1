/**
 * Key results of an objective: cards with progress and health; the add and edit forms are in
 * KeyResultForms.tsx, the check-in form in CheckInForm.tsx.
 */
import { useState } from 'react';
import {
  currentValue,
  keyResultHealth,
  keyResultProgress,
  latestCheckIn,
  targetOf,
} from '../../../shared/model';
import type { Goal, KeyResult } from '../../../shared/schema/records';
import * as goalActions from './goalActions';
import { FieldError } from '../../components/Field';
import { HealthBadge, ProgressBar } from './GoalWidgets';
import { KIND_LABEL, valueText } from './format';
import { KeyResultEditForm, KeyResultForm } from './KeyResultForms';
import { CheckInForm } from './CheckInForm';

/** Every key result of the objective, the deleted ones folded away, and the form to add one. */
export function KeyResultsSection({
  goal,
  disabled,
}: {
  readonly goal: Goal;
  readonly disabled: boolean;
}) {
  const [adding, setAdding] = useState(false);
  const live = goal.keyResults.filter((kr) => kr.deletedAt === null);
  const deleted = goal.keyResults.filter((kr) => kr.deletedAt !== null);
  return (
    <section className="goal-section" aria-labelledby="krs-heading">
      <div className="section-header">
        <h2 id="krs-heading">Key results</h2>
        {!disabled && !adding && (
          <button type="button" className="button" onClick={() => setAdding(true)}>
            + Add key result
          </button>
        )}
      </div>
      {live.length === 0 && !adding && (
        <p className="hint">
          How will you know the objective is reached? Two to five measurable key results work best.
        </p>
      )}
      <ul className="kr-list">
        {live.map((kr) => (
          <KeyResultCard key={kr.id} goalId={goal.id} kr={kr} disabled={disabled} />
        ))}
      </ul>
      {adding && <KeyResultForm goalId={goal.id} onDone={() => setAdding(false)} />}
      {deleted.length > 0 && (
        <details className="deleted-krs">
          <summary>
            {deleted.length} deleted key result{deleted.length === 1 ? '' : 's'}
          </summary>
          <ul>
            {deleted.map((kr) => (
              <li key={kr.id}>
                <span>
                  {kr.title}{' '}
                  <span className="muted">
                    ({kr.checkIns.length} check-in{kr.checkIns.length === 1 ? '' : 's'} kept)
                  </span>
                </span>
                {!disabled && (
                  <button
                    type="button"
                    className="button small"
                    onClick={() => goalActions.setKeyResultDeleted(goal.id, kr.id, false)}
                  >
                    Restore
                  </button>
                )}
              </li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}

function KeyResultCard({
  goalId,
  kr,
  disabled,
}: {
  readonly goalId: string;
  readonly kr: KeyResult;
  readonly disabled: boolean;
}) {
  const [panel, setPanel] = useState<'none' | 'check-in' | 'edit'>('none');
  const [error, setError] = useState<string | null>(null);
  const progress = keyResultProgress(kr);
  const health = keyResultHealth(kr);
  const latest = latestCheckIn(kr);
  return (
    <li className="kr-card" aria-label={`Key result ${kr.title}`}>
      <div className="kr-head">
        <div className="kr-title">
          <strong>{kr.title}</strong>
          <span className="muted">
            {KIND_LABEL[kr.kind]}
            {kr.weight !== 1 && ` · weight ${kr.weight}`}
          </span>
        </div>
        <HealthBadge health={health} />
      </div>
      <ProgressBar progress={progress} label={`Progress of ${kr.title}`} health={health} />
      <p className="kr-values">
        <span>
          Now <strong>{valueText(kr, currentValue(kr))}</strong>
        </span>
        <span className="muted">
          start {valueText(kr, kr.start)} → target {valueText(kr, targetOf(kr))}
        </span>
        {latest && <span className="muted">confidence {latest.confidence}/10</span>}
        {progress === null && (
          <span className="field-error">
            The target equals the start (after edits on two devices); edit the key result.
          </span>
        )}
      </p>
      {kr.kind === 'milestones' && (
        <ul className="milestones" aria-label={`Milestones of ${kr.title}`}>
          {kr.milestones.map((milestone) => (
            <li key={milestone.id} className={milestone.done ? 'done' : undefined}>
              <span aria-hidden="true">{milestone.done ? '☑' : '☐'}</span> {milestone.title}
              <span className="visually-hidden">{milestone.done ? ' (done)' : ' (open)'}</span>
            </li>
          ))}
        </ul>
      )}
      {!disabled && panel === 'none' && (
        <div className="kr-actions">
          <button
            type="button"
            className="button primary small"
            onClick={() => setPanel('check-in')}
          >
            Check in
          </button>
          <button type="button" className="button small" onClick={() => setPanel('edit')}>
            Edit
          </button>
          <button
            type="button"
            className="button small danger"
            onClick={() => {
              const result = goalActions.setKeyResultDeleted(goalId, kr.id, true);
              setError(result.ok ? null : result.error.message);
            }}
          >
            Delete
          </button>
        </div>
      )}
      <FieldError message={error} />
      {panel === 'check-in' && (
        <CheckInForm goalId={goalId} kr={kr} onDone={() => setPanel('none')} />
      )}
      {panel === 'edit' && (
        <KeyResultEditForm goalId={goalId} kr={kr} onDone={() => setPanel('none')} />
      )}
    </li>
  );
}
