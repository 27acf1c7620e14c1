/**
 * The forms that add a key result (saved on submit) and edit one (each field saved as typed).
 * Both show the same fields, laid out once in KeyResultFields.
 */
import { useState, type FormEvent } from 'react';
import type { KeyResult, KeyResultKind } from '../../../shared/schema/records';
import * as goalActions from './goalActions';
import { useSavedField, type SavedField } from '../../components/useSavedField';
import { Field, FieldError } from '../../components/Field';
import { FormActions } from '../../components/FormActions';
import { fail, ok, type Result } from '../../../shared/result';
import type { KeyResultPatchInput } from '../../../shared/model';
import { KIND_LABEL, parseNumber } from './format';

type Errors = Readonly<Record<string, string>>;

type EditableField = 'title' | 'start' | 'target' | 'unit' | 'weight';

/** One text control of the form: what to spread on the input, and why its value was refused. */
interface FieldControl {
  readonly props: Pick<SavedField['props'], 'value' | 'onChange'> & Partial<SavedField['props']>;
  readonly error: string | null;
}

/**
 * The fields of a key result, from its title to how it is measured. The kind is chosen when it is
 * added (`onKindChange`) and shown, fixed, when it is edited.
 */
function KeyResultFields({
  prefix,
  kind,
  onKindChange,
  titlePlaceholder,
  fields,
}: {
  readonly prefix: string;
  readonly kind: KeyResultKind;
  readonly onKindChange?: (kind: KeyResultKind) => void;
  readonly titlePlaceholder?: string;
  readonly fields: Readonly<Record<EditableField, FieldControl>>;
}) {
  const { title, weight, start, target, unit } = fields;
  const scaled = kind === 'number' || kind === 'percentage' || kind === 'currency';
  return (
    <>
      <Field id={`${prefix}-title`} label="Key result" error={title.error}>
        <input
          className="input"
          autoFocus
          maxLength={200}
          placeholder={titlePlaceholder}
          {...title.props}
        />
      </Field>
      <div className="field-row">
        <Field id={`${prefix}-kind`} label="Measured as">
          {onKindChange ? (
            <select
              className="select"
              value={kind}
              onChange={(event) => onKindChange(event.target.value as KeyResultKind)}
            >
              {Object.entries(KIND_LABEL).map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </select>
          ) : (
            <select className="select" value={kind} disabled>
              <option value={kind}>{KIND_LABEL[kind]}</option>
            </select>
          )}
        </Field>
        <Field id={`${prefix}-weight`} label="Weight" size="narrow" invalid={!!weight.error}>
          <input className="input" inputMode="decimal" {...weight.props} />
        </Field>
      </div>
      <FieldError message={weight.error} />
      {scaled && (
        <>
          <div className="field-row">
            <Field id={`${prefix}-start`} label="Start value" invalid={!!start.error}>
              <input className="input" inputMode="decimal" {...start.props} />
            </Field>
            <Field id={`${prefix}-target`} label="Target value" invalid={!!target.error}>
              <input className="input" inputMode="decimal" {...target.props} />
            </Field>
            {kind !== 'percentage' && (
              <Field
                id={`${prefix}-unit`}
                label={kind === 'currency' ? 'Currency' : 'Unit'}
                size="narrow"
                invalid={!!unit.error}
              >
                <input
                  className="input"
                  maxLength={16}
                  placeholder={kind === 'currency' ? 'EUR' : 'e.g. users'}
                  {...unit.props}
                />
              </Field>
            )}
          </div>
          <FieldError message={start.error} />
          <FieldError message={target.error} />
          <FieldError message={unit.error} />
        </>
      )}
      {kind === 'boolean' && <p className="hint">Done or not done: progress is 0% or 100%.</p>}
    </>
  );
}

/**
 * Adds a key result; the kind is chosen here, once. Nothing exists until the person submits, so
 * this form saves on submit (editing an existing one saves as typed: KeyResultEditForm).
 */
export function KeyResultForm({
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
  const control = (name: EditableField, value: string, set: (value: string) => void) => ({
    props: { value, onChange: (event: { target: { value: string } }) => set(event.target.value) },
    error: errors[name] ?? null,
  });

  return (
    <form className="kr-form" aria-label="New key result" onSubmit={submit} noValidate>
      <KeyResultFields
        prefix={prefix}
        kind={kind}
        onKindChange={setKind}
        titlePlaceholder="e.g. Weekly active teams"
        fields={{
          title: control('title', title, setTitle),
          weight: control('weight', weight, setWeight),
          start: control('start', start, setStart),
          target: control('target', target, setTarget),
          unit: control('unit', unit, setUnit),
        }}
      />
      {kind === 'milestones' && (
        <Field
          id={`${prefix}-milestones`}
          label="Milestones, one per line"
          error={errors.milestones}
        >
          <textarea
            className="textarea short"
            value={milestones}
            onChange={(event) => setMilestones(event.target.value)}
          />
        </Field>
      )}
      <FormActions error={errors.form} submit="Add key result" onCancel={onDone} />
    </form>
  );
}

/** The value of one editable field of a key result, as the form shows it. */
function fieldText(kr: KeyResult, name: EditableField): string {
  return name === 'title' || name === 'unit' ? kr[name] : String(kr[name]);
}

/** The props of a form about one key result, which calls `onDone` when it closes. */
export interface KeyResultFormProps {
  readonly goalId: string;
  readonly kr: KeyResult;
  readonly onDone: () => void;
}

/**
 * Edits a key result, each field saved as the person types (components/draftField.ts), so a
 * reload or a quit keeps it; a value the model refuses stays in its field with the reason beside
 * it. Save closes the form; Cancel also puts back, in one write, the fields this form changed.
 */
export function KeyResultEditForm({ goalId, kr, onDone }: KeyResultFormProps) {
  const prefix = `kr-edit-${kr.id}`;
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
      <KeyResultFields
        prefix={prefix}
        kind={kr.kind}
        fields={{ title, weight, start, target, unit }}
      />
      <FormActions error={formError} submit="Save key result" onCancel={cancel} />
    </form>
  );
}
