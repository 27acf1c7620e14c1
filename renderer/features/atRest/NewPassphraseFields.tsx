/**
 * The two fields of a new passphrase (typed twice), as the start-up screen and Settings ask for
 * it; the form around them decides what happens on submit.
 */
import { Field } from '../../components/Field';
import { MIN_PASSPHRASE_LENGTH } from '../../sync/atRestKeys';

export function NewPassphraseFields(props: {
  /** Stem of the fields' ids. */
  readonly id: string;
  readonly label: string;
  readonly hint?: string;
  readonly passphrase: string;
  readonly repeated: string;
  onPassphrase(value: string): void;
  onRepeated(value: string): void;
  readonly autoFocus?: boolean;
}) {
  return (
    <>
      <Field
        id={`${props.id}-new`}
        label={props.label}
        hint={props.hint ?? `At least ${MIN_PASSPHRASE_LENGTH} characters.`}
      >
        <input
          className="input"
          type="password"
          autoFocus={props.autoFocus}
          autoComplete="new-password"
          value={props.passphrase}
          onChange={(event) => props.onPassphrase(event.target.value)}
        />
      </Field>
      <Field id={`${props.id}-repeat`} label="Repeat the passphrase">
        <input
          className="input"
          type="password"
          autoComplete="new-password"
          value={props.repeated}
          onChange={(event) => props.onRepeated(event.target.value)}
        />
      </Field>
    </>
  );
}
