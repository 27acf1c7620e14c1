/**
 * The screen before anything stored is read, when this device has no keychain: the person
 * chooses a passphrase or explicitly keeps data unencrypted (first start), or types their
 * passphrase (every start after). Nothing of the workspaces is shown or loaded until it is done.
 */
import { useState } from 'react';
import { Field, FieldError } from '../../components/Field';
import { NewPassphraseFields } from './NewPassphraseFields';
import {
  chooseNotEncrypted,
  choosePassphrase,
  unlockWithPassphrase,
  type AtRestStatus,
} from '../../sync/atRestKeys';

export function AtRestGate(props: {
  readonly status: Extract<AtRestStatus, { state: 'choose' | 'locked' | 'failed' }>;
  readonly onReady: () => void;
}) {
  const { status, onReady } = props;
  const [passphrase, setPassphrase] = useState('');
  const [repeated, setRepeated] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  if (status.state === 'failed')
    return (
      <main className="onboarding at-rest-gate">
        <div className="at-rest-panel" role="alert">
          <h1>Outpost cannot open this device&apos;s data</h1>
          <p>{status.message}</p>
        </div>
      </main>
    );

  const submit = (run: () => Promise<{ ok: boolean; error?: { message: string } }>) => {
    setBusy(true);
    setError(null);
    void run().then(
      (result) => {
        setBusy(false);
        if (result.ok) onReady();
        else setError(result.error?.message ?? 'That did not work.');
      },
      (failure: unknown) => {
        setBusy(false);
        setError(failure instanceof Error ? failure.message : String(failure));
      },
    );
  };

  if (status.state === 'locked')
    return (
      <main className="onboarding at-rest-gate">
        <form
          onSubmit={(event) => {
            event.preventDefault();
            submit(() => unlockWithPassphrase(passphrase));
          }}
        >
          <h1>Unlock Outpost</h1>
          <p>Your notes, goals and decisions on this device are encrypted with your passphrase.</p>
          <Field id="at-rest-passphrase" label="Passphrase" error={error}>
            <input
              className="input"
              type="password"
              autoFocus
              autoComplete="current-password"
              value={passphrase}
              onChange={(event) => setPassphrase(event.target.value)}
            />
          </Field>
          <button type="submit" className="button primary" disabled={busy || passphrase === ''}>
            {busy ? 'Unlocking…' : 'Unlock'}
          </button>
        </form>
      </main>
    );

  return (
    <main className="onboarding at-rest-gate">
      <form
        onSubmit={(event) => {
          event.preventDefault();
          submit(() => choosePassphrase(passphrase, repeated));
        }}
      >
        <h1>Protect your data on this device</h1>
        <p>
          Outpost encrypts what it stores, so a lost laptop leaks nothing. There is no system
          keychain to keep the key here. {status.reason}
        </p>
        <p>
          Choose a passphrase; Outpost asks for it at every start. It cannot be recovered: without
          it, the data on this device stays unreadable (teammates and exported files still have
          their copies).
        </p>
        <NewPassphraseFields
          id="at-rest-passphrase"
          label="Passphrase"
          autoFocus
          passphrase={passphrase}
          repeated={repeated}
          onPassphrase={setPassphrase}
          onRepeated={setRepeated}
        />
        <FieldError message={error} />
        <div className="at-rest-actions">
          <button type="submit" className="button primary" disabled={busy}>
            {busy ? 'Encrypting…' : 'Encrypt with this passphrase'}
          </button>
          <button
            type="button"
            className="button"
            disabled={busy}
            onClick={() =>
              submit(async () => {
                await chooseNotEncrypted();
                return { ok: true };
              })
            }
          >
            Keep data unencrypted
          </button>
        </div>
        <p className="record-meta">
          Unencrypted, anyone who gets this laptop can read your workspaces and your teams&apos;
          keys. You can add a passphrase later in Settings.
        </p>
      </form>
    </main>
  );
}
