/** Key results of an objective: cards with progress and health, check-in and edit forms. */
import { useState, type FormEvent } from 'react';
import {
  currentValue,
  keyResultHealth,
  keyResultProgress,
  latestCheckIn,
  targetOf,
} from '../../../shared/model';
import type { Goal, KeyResult, KeyResultKind } from '../../../shared/schema/records';
import * as goalActions from './goalActions';
import { useSavedField } from '../../components/useSavedField';
import { fail, ok, type Result } from '../../../shared/result';
import type { KeyResultPatchInput } from '../../../shared/model';
import { HealthBadge, ProgressBar } from './GoalWidgets';
import { KIND_LABEL, parseNumber, valueText } from './format';

type Errors = Readonly<Record<string, string>>;

function FieldError({ errors, name }: { readonly errors: Errors; readonly name: string }) {
  const message = errors[name];
  return message ? (
    <p className="field-error" role="alert">
      {message}
    </p>
  ) : null;
}

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
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      {panel === 'check-in' && (
        <CheckInForm goalId={goalId} kr={kr} onDone={() => setPanel('none')} />
      )}
      {panel === 'edit' && (
        <KeyResultEditForm goalId={goalId} kr={kr} onDone={() => setPanel('none')} />
      )}
    </li>
  );
}

/**
 * Adds a key result; the kind is chosen here, once. Nothing exists until the person submits, so
 * this form saves on submit (editing an existing one saves as typed: KeyResultEditForm).
 */
function KeyResultForm({
  goalId,
  onDone,
}: {
  readonly goalId: string;
  readonly onDone: () => void;
}) {
  const prefix = 'kr-new';
  const [title, setTitle] = useState('');
  const [kind, setKind] = useState<KeyResultKind>('number');
  const [start, setStart] = useState('0');
  const [target, setTarget] = useState('');
  const [unit, setUnit] = useState('');
  const [weight, setWeight] = useState('1');
  const [milestones, setMilestones] = useState('');
  const [errors, setErrors] = useState<Errors>({});
  const scaled = kind === 'number' || kind === 'percentage' || kind === 'currency';

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const numbers = {
      weight: parseNumber(weight) ?? Number.NaN,
      ...(scaled && { start: parseNumber(start), target: parseNumber(target) }),
    };
    const result = goalActions.addKeyResult(goalId, {
      title,
      kind,
      unit,
      ...numbers,
      milestones: milestones
        .split('\n')
        .map((line) => line.trim())
        .filter(Boolean),
    });
    if (result.ok) onDone();
    else setErrors(result.error.fields);
  };

  return (
    <form className="kr-form" aria-label="New key result" onSubmit={submit} noValidate>
      <div className="field">
        <label htmlFor={`${prefix}-title`}>Key result</label>
        <input
          id={`${prefix}-title`}
          className="input"
          value={title}
          autoFocus
          maxLength={200}
          placeholder="e.g. Weekly active teams"
          aria-invalid={errors.title ? true : undefined}
          onChange={(event) => setTitle(event.target.value)}
        />
        <FieldError errors={errors} name="title" />
      </div>
      <div className="field-row">
        <div className="field">
          <label htmlFor={`${prefix}-kind`}>Measured as</label>
          <select
            id={`${prefix}-kind`}
            className="select"
            value={kind}
            onChange={(event) => setKind(event.target.value as KeyResultKind)}
          >
            {Object.entries(KIND_LABEL).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <div className="field narrow">
          <label htmlFor={`${prefix}-weight`}>Weight</label>
          <input
            id={`${prefix}-weight`}
            className="input"
            inputMode="decimal"
            value={weight}
            aria-invalid={errors.weight ? true : undefined}
            onChange={(event) => setWeight(event.target.value)}
          />
        </div>
      </div>
      <FieldError errors={errors} name="weight" />
      {scaled && (
        <>
          <div className="field-row">
            <div className="field">
              <label htmlFor={`${prefix}-start`}>Start value</label>
              <input
                id={`${prefix}-start`}
                className="input"
                inputMode="decimal"
                value={start}
                aria-invalid={errors.start ? true : undefined}
                onChange={(event) => setStart(event.target.value)}
              />
            </div>
            <div className="field">
              <label htmlFor={`${prefix}-target`}>Target value</label>
              <input
                id={`${prefix}-target`}
                className="input"
                inputMode="decimal"
                value={target}
                aria-invalid={errors.target ? true : undefined}
                onChange={(event) => setTarget(event.target.value)}
              />
            </div>
            {kind !== 'percentage' && (
              <div className="field narrow">
                <label htmlFor={`${prefix}-unit`}>
                  {kind === 'currency' ? 'Currency' : 'Unit'}
                </label>
                <input
                  id={`${prefix}-unit`}
                  className="input"
                  value={unit}
                  maxLength={16}
                  placeholder={kind === 'currency' ? 'EUR' : 'e.g. users'}
                  aria-invalid={errors.unit ? true : undefined}
                  onChange={(event) => setUnit(event.target.value)}
                />
              </div>
            )}
          </div>
          <FieldError errors={errors} name="start" />
          <FieldError errors={errors} name="target" />
          <FieldError errors={errors} name="unit" />
        </>
      )}
      {kind === 'boolean' && <p className="hint">Done or not done: progress is 0% or 100%.</p>}
      {kind === 'milestones' && (
        <div className="field">
          <label htmlFor={`${prefix}-milestones`}>Milestones, one per line</label>
          <textarea
            id={`${prefix}-milestones`}
            className="textarea short"
            value={milestones}
            aria-invalid={errors.milestones ? true : undefined}
            onChange={(event) => setMilestones(event.target.value)}
          />
          <FieldError errors={errors} name="milestones" />
        </div>
      )}
      <FieldError errors={errors} name="form" />
      <div className="form-actions">
        <button type="submit" className="button primary">
          Add key result
        </button>
        <button type="button" className="button" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}

type EditableField = 'title' | 'start' | 'target' | 'unit' | 'weight';

/** The value of one editable field of a key result, as the form shows it. */
function fieldText(kr: KeyResult, name: EditableField): string {
  return name === 'title' || name === 'unit' ? kr[name] : String(kr[name]);
}

/**
 * Edits a key result, each field saved as the person types (components/draftField.ts), so a
 * reload or a quit keeps it; a value the model refuses stays in its field with the reason beside
 * it. Save closes the form; Cancel also puts back, in one write, the fields this form changed.
 */
function KeyResultEditForm({
  goalId,
  kr,
  onDone,
}: {
  readonly goalId: string;
  readonly kr: KeyResult;
  readonly onDone: () => void;
}) {
  const prefix = `kr-edit-${kr.id}`;
  const scaled = kr.kind === 'number' || kr.kind === 'percentage' || kr.kind === 'currency';
  // What the fields held when the form opened, for Cancel; and which of them this form wrote.
  const [opened] = useState(kr);
  const [changed] = useState(() => new Set<EditableField>());
  const [formError, setFormError] = useState<string | null>(null);

  const saver =
    (name: EditableField) =>
    (draft: string): Result<string> => {
      const value =
        name === 'title' || name === 'unit' ? draft : (parseNumber(draft) ?? Number.NaN);
      const result = goalActions.updateKeyResult(goalId, kr.id, { [name]: value });
      if (!result.ok)
        return fail(result.error.code, result.error.fields[name] ?? result.error.message);
      changed.add(name);
      return ok(fieldText(result.value, name));
    };
  const title = useSavedField(kr.title, saver('title'));
  const weight = useSavedField(String(kr.weight), saver('weight'));
  const start = useSavedField(String(kr.start), saver('start'));
  const target = useSavedField(String(kr.target), saver('target'));
  const unit = useSavedField(kr.unit, saver('unit'));

  const cancel = () => {
    if (changed.size > 0) {
      const back = Object.fromEntries(
        [...changed].map((name) => [name, opened[name]]),
      ) as KeyResultPatchInput;
      const result = goalActions.updateKeyResult(goalId, kr.id, back);
      if (!result.ok) return setFormError(result.error.message);
    }
    onDone();
  };
  const fieldError = (message: string | null) =>
    message ? (
      <p className="field-error" role="alert">
        {message}
      </p>
    ) : null;

  return (
    <form
      className="kr-form"
      aria-label={`Edit key result ${kr.title}`}
      onSubmit={(event) => {
        event.preventDefault();
        // Every field has saved by now (leaving a field saves it); one refused keeps the form open.
        if (![title, weight, start, target, unit].some((field) => field.error)) onDone();
      }}
      noValidate
    >
      <div className="field">
        <label htmlFor={`${prefix}-title`}>Key result</label>
        <input
          id={`${prefix}-title`}
          className="input"
          autoFocus
          maxLength={200}
          aria-invalid={title.error ? true : undefined}
          {...title.props}
        />
        {fieldError(title.error)}
      </div>
      <div className="field-row">
        <div className="field">
          <label htmlFor={`${prefix}-kind`}>Measured as</label>
          <select id={`${prefix}-kind`} className="select" value={kr.kind} disabled>
            <option value={kr.kind}>{KIND_LABEL[kr.kind]}</option>
          </select>
        </div>
        <div className="field narrow">
          <label htmlFor={`${prefix}-weight`}>Weight</label>
          <input
            id={`${prefix}-weight`}
            className="input"
            inputMode="decimal"
            aria-invalid={weight.error ? true : undefined}
            {...weight.props}
          />
        </div>
      </div>
      {fieldError(weight.error)}
      {scaled && (
        <>
          <div className="field-row">
            <div className="field">
              <label htmlFor={`${prefix}-start`}>Start value</label>
              <input
                id={`${prefix}-start`}
                className="input"
                inputMode="decimal"
                aria-invalid={start.error ? true : undefined}
                {...start.props}
              />
            </div>
            <div className="field">
              <label htmlFor={`${prefix}-target`}>Target value</label>
              <input
                id={`${prefix}-target`}
                className="input"
                inputMode="decimal"
                aria-invalid={target.error ? true : undefined}
                {...target.props}
              />
            </div>
            {kr.kind !== 'percentage' && (
              <div className="field narrow">
                <label htmlFor={`${prefix}-unit`}>
                  {kr.kind === 'currency' ? 'Currency' : 'Unit'}
                </label>
                <input
                  id={`${prefix}-unit`}
                  className="input"
                  maxLength={16}
                  placeholder={kr.kind === 'currency' ? 'EUR' : 'e.g. users'}
                  aria-invalid={unit.error ? true : undefined}
                  {...unit.props}
                />
              </div>
            )}
          </div>
          {fieldError(start.error)}
          {fieldError(target.error)}
          {fieldError(unit.error)}
        </>
      )}
      {kr.kind === 'boolean' && <p className="hint">Done or not done: progress is 0% or 100%.</p>}
      {fieldError(formError)}
      <div className="form-actions">
        <button type="submit" className="button primary">
          Save key result
        </button>
        <button type="button" className="button" onClick={cancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** A new check-in: value (or milestones, or done), confidence 1–10 and a comment. */
function CheckInForm({
  goalId,
  kr,
  onDone,
}: {
  readonly goalId: string;
  readonly kr: KeyResult;
  readonly onDone: () => void;
}) {
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
          <div className="field">
            <label htmlFor={`${prefix}-value`}>Done?</label>
            <select
              id={`${prefix}-value`}
              className="select"
              value={value === '1' ? '1' : '0'}
              onChange={(event) => setValue(event.target.value)}
            >
              <option value="0">Not yet</option>
              <option value="1">Done</option>
            </select>
          </div>
        ) : kr.kind === 'milestones' ? null : (
          <div className="field">
            <label htmlFor={`${prefix}-value`}>New value{kr.unit ? ` (${kr.unit})` : ''}</label>
            <input
              id={`${prefix}-value`}
              className="input"
              inputMode="decimal"
              value={value}
              autoFocus
              aria-invalid={errors.value ? true : undefined}
              onChange={(event) => setValue(event.target.value)}
            />
          </div>
        )}
        <div className="field">
          <label htmlFor={`${prefix}-confidence`}>Confidence (1–10)</label>
          <input
            id={`${prefix}-confidence`}
            className="input"
            type="number"
            min={1}
            max={10}
            step={1}
            value={confidence}
            aria-invalid={errors.confidence ? true : undefined}
            onChange={(event) => setConfidence(event.target.value)}
          />
        </div>
      </div>
      <FieldError errors={errors} name="value" />
      <FieldError errors={errors} name="confidence" />
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
          <FieldError errors={errors} name="milestones" />
        </fieldset>
      )}
      <div className="field">
        <label htmlFor={`${prefix}-comment`}>Comment</label>
        <textarea
          id={`${prefix}-comment`}
          className="textarea short"
          value={comment}
          maxLength={2000}
          placeholder="What changed, what is in the way"
          onChange={(event) => setComment(event.target.value)}
        />
        <FieldError errors={errors} name="comment" />
      </div>
      <FieldError errors={errors} name="form" />
      <div className="form-actions">
        <button type="submit" className="button primary">
          Save check-in
        </button>
        <button type="button" className="button" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}
