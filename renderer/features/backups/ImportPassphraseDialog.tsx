/**
 * The passphrase question for an encrypted workspace file (version 3) picked for import. A wrong
 * passphrase is said so under the field and the dialog stays; Escape or "Cancel" closes it and
 * nothing is imported. Once the file opens, the usual restore question follows.
 */
import { useRef, useState } from 'react';
import { Field } from '../../components/Field';
import { formatBytes } from '../../../shared/storage/recovery';
import { dateLabel, openLockedFile, type CheckedFile, type LockedFile } from './backupActions';
import { ModalDialog } from '../../components/ModalDialog';

export function ImportPassphraseDialog(props: {
  readonly locked: LockedFile | null;
  onOpened(checked: CheckedFile): void;
  onClose(): void;
}) {
  const { locked, onClose } = props;
  // Escape while the passphrase is being tried waits for the answer.
  const busy = useRef(false);
  return (
    <ModalDialog
      open={locked !== null}
      labelledBy="import-passphrase-heading"
      onCancel={() => {
        if (!busy.current) onClose();
      }}
    >
      {/* Keyed by the file, so each file asks afresh. */}
      {locked && (
        <PassphraseForm
          key={locked.fileName + locked.header.checksum}
          {...props}
          locked={locked}
          busyRef={busy}
        />
      )}
    </ModalDialog>
  );
}

function PassphraseForm(props: {
  readonly locked: LockedFile;
  readonly busyRef: { current: boolean };
  onOpened(checked: CheckedFile): void;
  onClose(): void;
}) {
  const { locked, onOpened, onClose, busyRef } = props;
  const [passphrase, setPassphrase] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusyState] = useState(false);
  const setBusy = (value: boolean) => {
    busyRef.current = value;
    setBusyState(value);
  };
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        setBusy(true);
        setError(null);
        void openLockedFile(locked, passphrase).then((opened) => {
          setBusy(false);
          if (opened.ok) onOpened(opened.value);
          else setError(opened.error.message);
        });
      }}
    >
      <h2 id="import-passphrase-heading">This file is encrypted</h2>
      <p>
        {locked.fileName} · saved {dateLabel(locked.header.createdAt)} ·{' '}
        {formatBytes(locked.header.payloadBytes)}. Type the passphrase it was exported with.
      </p>
      <Field id="import-passphrase" label="Passphrase" error={error}>
        <input
          className="input"
          type="password"
          autoFocus
          autoComplete="off"
          value={passphrase}
          onChange={(event) => setPassphrase(event.target.value)}
        />
      </Field>
      <div className="form-actions">
        <button type="submit" className="button primary" disabled={busy || passphrase === ''}>
          {busy ? 'Opening…' : 'Open'}
        </button>
        <button type="button" className="button" disabled={busy} onClick={onClose}>
          Cancel
        </button>
      </div>
    </form>
  );
}
