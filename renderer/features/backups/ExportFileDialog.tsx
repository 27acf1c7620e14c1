/**
 * How "Export workspace file" asks what protects the file: a passphrase (the default; the file
 * then opens on any device with it and with nothing else) or nothing (the unencrypted-export
 * warning follows). A modal dialog; Escape or "Cancel" writes nothing.
 */
import { useState } from 'react';
import { FieldError } from '../../components/Field';
import { NewPassphraseFields } from '../atRest/NewPassphraseFields';
import { MIN_PASSPHRASE_LENGTH, passphraseProblem } from '../../sync/atRestKeys';
import type { ExportProtection } from './backupActions';
import { strengthHint } from './passphraseStrength';
import { ModalDialog } from '../../components/ModalDialog';

export function ExportFileDialog(props: {
  readonly open: boolean;
  readonly busy: boolean;
  onExport(protection: ExportProtection): void;
  onClose(): void;
}) {
  return (
    <ModalDialog
      open={props.open}
      labelledBy="export-file-heading"
      onCancel={() => {
        if (!props.busy) props.onClose();
      }}
    >
      {/* Mounted only while open, so no passphrase is kept for the next export. */}
      <ExportForm {...props} />
    </ModalDialog>
  );
}

function ExportForm(props: {
  readonly busy: boolean;
  onExport(protection: ExportProtection): void;
  onClose(): void;
}) {
  const { busy, onExport, onClose } = props;
  const [encrypt, setEncrypt] = useState(true);
  const [passphrase, setPassphrase] = useState('');
  const [repeated, setRepeated] = useState('');
  const [error, setError] = useState<string | null>(null);
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        if (!encrypt) return onExport({ plain: true });
        const problem = passphraseProblem(passphrase, repeated);
        setError(problem);
        if (!problem) onExport({ passphrase });
      }}
    >
      <h2 id="export-file-heading">Export workspace file</h2>
      <fieldset className="export-choice">
        <legend className="visually-hidden">Protection</legend>
        <label>
          <input
            type="radio"
            name="export-protection"
            checked={encrypt}
            onChange={() => setEncrypt(true)}
          />
          <span>
            <strong>Encrypt with a passphrase</strong>
            <span className="hint">
              Opens on any device, only with this passphrase. Outpost cannot recover it.
            </span>
          </span>
        </label>
        <label>
          <input
            type="radio"
            name="export-protection"
            checked={!encrypt}
            onChange={() => setEncrypt(false)}
          />
          <span>
            <strong>Export unencrypted</strong>
            <span className="hint">Anyone who gets a copy can read it.</span>
          </span>
        </label>
      </fieldset>
      {encrypt && (
        <>
          <NewPassphraseFields
            id="export-passphrase"
            label="Passphrase for this file"
            hint={`At least ${MIN_PASSPHRASE_LENGTH} characters. ${strengthHint(passphrase)}`}
            autoFocus
            passphrase={passphrase}
            repeated={repeated}
            onPassphrase={setPassphrase}
            onRepeated={setRepeated}
          />
          <FieldError message={error} />
        </>
      )}
      <div className="form-actions">
        <button type="submit" className="button primary" disabled={busy}>
          {busy
            ? encrypt
              ? 'Encrypting…'
              : 'Exporting…'
            : encrypt
              ? 'Export encrypted'
              : 'Continue'}
        </button>
        <button type="button" className="button" disabled={busy} onClick={onClose}>
          Cancel
        </button>
      </div>
    </form>
  );
}
