/**
 * Settings → "Data on this device": which protection applies here (the OS keychain, a
 * passphrase, or none by the person's choice), and, without one, adding a passphrase. Outpost
 * then starts again so that what is stored is opened with the new key and sealed.
 */
import { useEffect, useState } from 'react';
import { FieldError } from '../../components/Field';
import { NewPassphraseFields } from '../atRest/NewPassphraseFields';
import {
  MIN_PASSPHRASE_LENGTH,
  atRestStatus,
  choosePassphrase,
  onAtRestStatus,
  type AtRestStatus,
} from '../../sync/atRestKeys';
import { flushPendingEdits } from '../../sync/pendingEdits';

function useAtRestStatus(): AtRestStatus {
  const [status, setStatus] = useState(atRestStatus);
  useEffect(() => onAtRestStatus(setStatus), []);
  return status;
}

function describe(status: AtRestStatus): { title: string; detail: string } {
  if (status.state !== 'ready')
    return { title: 'Not unlocked', detail: 'Outpost has not opened this device’s data.' };
  switch (status.protection) {
    case 'keychain':
      return {
        title: 'Encrypted, key in the system keychain',
        detail:
          'Workspaces, their automatic backups, the journal of unsaved changes and this device’s state (your teams’ keys among it) are stored encrypted. The key is kept by your operating system’s keychain and opens when you sign in to this user account.',
      };
    case 'passphrase':
      return {
        title: 'Encrypted with your passphrase',
        detail: `Workspaces, their automatic backups, the journal of unsaved changes and this device’s state (your teams’ keys among it) are stored encrypted; Outpost asks for your passphrase at every start. There is no system keychain here. ${status.reason ?? ''}`,
      };
    case 'none':
      return {
        title: 'Not encrypted',
        detail: `You chose to keep data on this device unencrypted: anyone who gets this device can read your workspaces and your teams’ keys. There is no system keychain here. ${status.reason ?? ''}`,
      };
  }
}

export function AtRestCard() {
  const status = useAtRestStatus();
  const [passphrase, setPassphrase] = useState('');
  const [repeated, setRepeated] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const { title, detail } = describe(status);
  const canAdd = status.state === 'ready' && status.protection === 'none';
  return (
    <section className="card" aria-labelledby="at-rest-heading">
      <h2 id="at-rest-heading">Data on this device</h2>
      <dl className="kv">
        <dt>Protection</dt>
        <dd data-testid="at-rest-protection">{title}</dd>
      </dl>
      <p className="muted">{detail}</p>
      <p className="muted">
        Exported workspace files are encrypted with a passphrase you choose at export, unless you
        export one unencrypted. Markdown, CSV and MADR exports are not encrypted: whoever has such a
        file can read it.
      </p>
      {canAdd && (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            setBusy(true);
            setError(null);
            flushPendingEdits();
            void choosePassphrase(passphrase, repeated).then((result) => {
              setBusy(false);
              if (!result.ok) return setError(result.error.message);
              // Open everything again with the new key: what is stored is sealed as it opens.
              window.location.reload();
            });
          }}
        >
          <NewPassphraseFields
            id="settings-passphrase"
            label="New passphrase"
            hint={`At least ${MIN_PASSPHRASE_LENGTH} characters. Outpost restarts and asks for it.`}
            passphrase={passphrase}
            repeated={repeated}
            onPassphrase={setPassphrase}
            onRepeated={setRepeated}
          />
          <FieldError message={error} />
          <button type="submit" className="button primary" disabled={busy}>
            {busy ? 'Encrypting…' : 'Encrypt with a passphrase'}
          </button>
        </form>
      )}
    </section>
  );
}
