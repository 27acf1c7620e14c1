/**
 * A text area saved as the person types (draftField.ts): a decision's proposal or outcome, an
 * option's pros and cons. Escape puts back what it held when they entered it; a refused save keeps
 * the text, with the reason beside it.
 */
import type { Result } from '../../shared/result';
import { Field } from './Field';
import { useSavedField } from './useSavedField';

interface SavedTextareaProps {
  readonly id: string;
  readonly label: string;
  readonly value: string;
  /** Writes the draft; returns the value as stored, or why it was refused. */
  readonly save: (draft: string) => Result<string>;
  readonly disabled?: boolean;
  readonly placeholder?: string;
  readonly rows?: number;
  readonly hint?: string;
}

export function SavedTextarea(props: SavedTextareaProps) {
  const { id, label, value, save, disabled, placeholder, rows = 3, hint } = props;
  const field = useSavedField(value, save, { multiline: true });
  return (
    <Field id={id} label={label} hint={hint} error={field.error} size="wide">
      <textarea
        className="textarea compact"
        rows={rows}
        placeholder={placeholder}
        readOnly={disabled}
        {...field.props}
      />
    </Field>
  );
}
