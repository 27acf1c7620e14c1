/**
 * Settings → "App lock": lock after some minutes without input, and (desktop) when the system
 * sleeps or locks its screen. Where the device's data key has a passphrase that passphrase
 * unlocks; otherwise the person chooses a passphrase for the lock when turning it on. Each change
 * is saved when made; "Lock now" locks at once.
 */
import { useState } from 'react';
import { Field, FieldError } from '../../components/Field';
import { NewPassphraseFields } from '../atRest/NewPassphraseFields';
import { useAppStore } from '../../store';
import { LOCK_AFTER_CHOICES, type LockAfterMinutes } from '../lock/lockSettings';
import { lockEnabled, unlockMethodFor, useLockStore, type LockChange } from '../lock/lockStore';

const AFTER_LABEL: Record<LockAfterMinutes, string> = {
  0: 'Never',
  1: 'After 1 minute',
  5: 'After 5 minutes',
  15: 'After 15 minutes',
  60: 'After 1 hour',
};

export function LockCard() {
  const settings = useLockStore((state) => state.settings);
  const damaged = useLockStore((state) => state.damaged);
  const update = useLockStore((state) => state.update);
  const lock = useLockStore((state) => state.lock);
  const shell = useAppStore((state) => state.appInfo?.shell);
  const [passphrase, setPassphrase] = useState('');
  const [repeated, setRepeated] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [pending, setPending] = useState<Omit<LockChange, 'passphrase'> | null>(null);
  const method = unlockMethodFor(settings);
  const needsPassphrase = method === null;

  const save = (change: Omit<LockChange, 'passphrase'>, withPassphrase: boolean) => {
    setBusy(true);
    setError(null);
    void update({
      ...change,
      ...(withPassphrase ? { passphrase: { value: passphrase, repeated } } : {}),
    }).then((result) => {
      setBusy(false);
      if (!result.ok) return setError(result.error.message);
      if (withPassphrase) {
        setPassphrase('');
        setRepeated('');
        setPending(null);
      }
    });
  };
  // Without a way to unlock yet, a change waits for the passphrase fields (the form's button).
  const change = (next: Omit<LockChange, 'passphrase'>) => {
    if (needsPassphrase && lockEnabled({ ...settings, ...next })) {
      setPending(next);
      return;
    }
    setPending(null);
    save(next, false);
  };
  const shown = pending ?? settings;

  return (
    <section className="card" aria-labelledby="lock-card-heading">
      <h2 id="lock-card-heading">App lock</h2>
      <p className="muted">
        Locked, Outpost shows nothing of your workspaces and its notifications say only that there
        is a reminder; sync and reminders keep running.{' '}
        {method === 'data-passphrase'
          ? 'Your data passphrase unlocks it.'
          : 'A passphrase you choose for the lock unlocks it; Outpost keeps only a check of it.'}
      </p>
      {damaged && (
        <p className="field-error" role="alert">
          The stored lock settings could not be read, so the lock is off. Choose them again.
        </p>
      )}
      <Field id="lock-after" label="Lock when idle">
        <select
          className="input"
          value={shown.afterMinutes}
          disabled={busy}
          onChange={(event) =>
            change({
              afterMinutes: Number(event.target.value) as LockAfterMinutes,
              onSleep: shown.onSleep,
            })
          }
        >
          {LOCK_AFTER_CHOICES.map((minutes) => (
            <option key={minutes} value={minutes}>
              {AFTER_LABEL[minutes]}
            </option>
          ))}
        </select>
      </Field>
      {shell === 'electron' ? (
        <label className="toggle-row">
          <input
            type="checkbox"
            checked={shown.onSleep}
            disabled={busy}
            onChange={(event) =>
              change({ afterMinutes: shown.afterMinutes, onSleep: event.target.checked })
            }
          />
          Lock when the computer sleeps or its screen locks
        </label>
      ) : (
        <p className="hint">
          In a browser Outpost knows only how long this page has had no input, not when the computer
          sleeps.
        </p>
      )}
      {pending && (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            save(pending, true);
          }}
        >
          <NewPassphraseFields
            id="lock-new-passphrase"
            label="Lock passphrase"
            hint="At least 10 characters. Outpost asks for it to unlock; it cannot be recovered, but turning the lock off here needs none."
            passphrase={passphrase}
            repeated={repeated}
            onPassphrase={setPassphrase}
            onRepeated={setRepeated}
          />
          <button type="submit" className="button primary" disabled={busy}>
            {busy ? 'Saving…' : 'Turn the lock on'}
          </button>
        </form>
      )}
      <FieldError message={error} />
      {lockEnabled(settings) && method && (
        <button type="button" className="button" onClick={lock}>
          Lock now
        </button>
      )}
    </section>
  );
}
