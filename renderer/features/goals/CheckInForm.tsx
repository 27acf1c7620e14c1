/** The check-in form of a key result. */
import { useState, type FormEvent } from 'react';
import { currentValue, latestCheckIn } from '../../../shared/model';
import * as goalActions from './goalActions';
import { Field, FieldError } from '../../components/Field';
import { FormActions } from '../../components/FormActions';
import type { KeyResultFormProps } from './KeyResultForms';
import { parseNumber } from './format';

type Errors = Readonly<Record<string, string>>;

/** A new check-in: value (or milestones, or done), confidence 1–10 and a comment. */
export function CheckInForm({ goalId, kr, onDone }: KeyResultFormProps) {
  const prefix = `checkin-${kr.id}`;
  const [value, setValue] = useState(String(currentValue(kr)));
  const [confidence, setConfidence] = useState(String(latestCheckIn(kr)?.confidence ?? 7));
  const [comment, setComment] = useState('');
  const [done, setDone] = useState(
    () => new Set(kr.milestones.filter((m) => m.done).map((m) => m.id)),
  );
  const [errors, setErrors] = useState<Errors>({});

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const result = goalActions.checkIn(goalId, kr.id, {
      confidence: parseNumber(confidence) ?? Number.NaN,
      comment,
      ...(kr.kind === 'milestones' ? { milestonesDone: [...done] } : { value: parseNumber(value) }),
    });
    if (result.ok) onDone();
    else setErrors(result.error.fields);
  };

  return (
    <form
      className="checkin-form"
      aria-label={`Check in on ${kr.title}`}
      onSubmit={submit}
      noValidate
    >
      <div className="field-row">
        {kr.kind === 'boolean' ? (
          <Field id={`${prefix}-value`} label="Done?">
            <select
              className="select"
              value={value === '1' ? '1' : '0'}
              onChange={(event) => setValue(event.target.value)}
            >
              <option value="0">Not yet</option>
              <option value="1">Done</option>
            </select>
          </Field>
        ) : kr.kind === 'milestones' ? null : (
          <Field
            id={`${prefix}-value`}
            label={`New value${kr.unit ? ` (${kr.unit})` : ''}`}
            invalid={!!errors.value}
          >
            <input
              className="input"
              inputMode="decimal"
              value={value}
              autoFocus
              onChange={(event) => setValue(event.target.value)}
            />
          </Field>
        )}
        <Field id={`${prefix}-confidence`} label="Confidence (1–10)" invalid={!!errors.confidence}>
          <input
            className="input"
            type="number"
            min={1}
            max={10}
            step={1}
            value={confidence}
            onChange={(event) => setConfidence(event.target.value)}
          />
        </Field>
      </div>
      <FieldError message={errors.value} />
      <FieldError message={errors.confidence} />
      {kr.kind === 'milestones' && (
        <fieldset className="milestone-picks">
          <legend>Milestones done</legend>
          {kr.milestones.map((milestone) => (
            <label key={milestone.id} className="check">
              <input
                type="checkbox"
                checked={done.has(milestone.id)}
                onChange={(event) => {
                  const next = new Set(done);
                  if (event.target.checked) next.add(milestone.id);
                  else next.delete(milestone.id);
                  setDone(next);
                }}
              />
              {milestone.title}
            </label>
          ))}
          <FieldError message={errors.milestones} />
        </fieldset>
      )}
      <Field id={`${prefix}-comment`} label="Comment" error={errors.comment}>
        <textarea
          className="textarea short"
          value={comment}
          maxLength={2000}
          placeholder="What changed, what is in the way"
          onChange={(event) => setComment(event.target.value)}
        />
      </Field>
      <FormActions error={errors.form} submit="Save check-in" onCancel={onDone} />
    </form>
  );
}
