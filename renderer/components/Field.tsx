/**
 * One labelled form field: the label, the control, a hint and the reason a value was refused, laid
 * out as every form of the app lays them out (`.field`). The field gives its control the id the
 * label points at, marks it invalid while there is an error, and has the hint and the error
 * describe it, so each form need not wire these by hand (and get one of them wrong).
 *
 * The control stays the caller's: a plain input saved on submit, a select saved on change, or a
 * text field saved as the person types (`useSavedField`, see SavedTextarea).
 */
import { cloneElement, type ReactElement, type ReactNode } from 'react';

/** What Field sets on its control. */
interface FieldControlProps {
  id?: string;
  'aria-invalid'?: boolean;
  'aria-describedby'?: string;
}

interface FieldProps {
  /** The control's id, and the stem of the hint's and error's ids. */
  readonly id: string;
  readonly label: ReactNode;
  /** The input, text area or select. */
  readonly children: ReactElement<FieldControlProps>;
  readonly hint?: ReactNode;
  /** Why the value was refused, shown under the control. */
  readonly error?: string | null;
  /**
   * The control is invalid though its error is shown elsewhere (under a row of fields, where one
   * message lines up with the row rather than with one narrow field).
   */
  readonly invalid?: boolean;
  /** `narrow` for short values (a weight, a unit); `wide` for text areas. */
  readonly size?: 'narrow' | 'wide';
  /** Shown right under the control: its datalist, or a message a form lays out its own way. */
  readonly below?: ReactNode;
}

export function Field({ id, label, children, hint, error, invalid, size, below }: FieldProps) {
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ');
  return (
    <div className={size ? `field ${size}` : 'field'}>
      <label htmlFor={id}>{label}</label>
      {cloneElement(children, {
        id,
        // Only what Field knows: a control may mark itself invalid by a form's own rules.
        ...((invalid || error) && { 'aria-invalid': true }),
        ...(describedBy && { 'aria-describedby': describedBy }),
      })}
      {below}
      {hint && (
        <span id={hintId} className="hint">
          {hint}
        </span>
      )}
      <FieldError id={errorId} message={error} />
    </div>
  );
}

/** Why a value (or a whole form) was refused; nothing when it was not. */
export function FieldError({
  message,
  id,
}: {
  readonly message: string | null | undefined;
  readonly id?: string;
}) {
  return message ? (
    <p id={id} className="field-error" role="alert">
      {message}
    </p>
  ) : null;
}
