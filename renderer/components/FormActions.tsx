/** The end of a form that saves on submit: why it was refused, then its submit and Cancel buttons. */
import { FieldError } from './Field';

export function FormActions({
  error,
  submit,
  onCancel,
}: {
  /** Why the form as a whole was refused; null when it was not. */
  readonly error: string | null | undefined;
  /** The submit button's label: what the form does ("Add key result"). */
  readonly submit: string;
  readonly onCancel: () => void;
}) {
  return (
    <>
      <FieldError message={error} />
      <div className="form-actions">
        <button type="submit" className="button primary">
          {submit}
        </button>
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </>
  );
}
