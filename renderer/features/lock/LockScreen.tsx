/**
 * What Outpost shows while locked, in place of everything else: a form asking for the passphrase
 * (the data key's, or the lock's own), with the field focused, and Touch ID where the system
 * offers it. A wrong passphrase says so and how long to wait; the button waits with it.
 */
import { useEffect, useState } from 'react';
import { Field } from '../../components/Field';
import { getOutpostApi } from '../../platform/outpostApi';
import { describeWait, unlockMethodFor, useLockStore } from './lockStore';

/** Re-renders when `at` passes, so a wait ends on screen when it ends. */
function useNowAfter(at: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const left = at - Date.now();
    if (left <= 0) return;
    const timer = setTimeout(() => setNow(Date.now()), left);
    return () => clearTimeout(timer);
  }, [at]);
  return now;
}

export function LockScreen() {
  const settings = useLockStore((state) => state.settings);
  const retryAt = useLockStore((state) => state.retryAt);
  const unlock = useLockStore((state) => state.unlock);
  const unlockWithSystem = useLockStore((state) => state.unlockWithSystem);
  const [passphrase, setPassphrase] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [touchId, setTouchId] = useState(false);
  const now = useNowAfter(retryAt);
  const waiting = retryAt > now;
  const method = unlockMethodFor(settings);

  useEffect(() => {
    let live = true;
    void getOutpostApi()
      .invoke('lock:osAvailable', undefined)
      .then((answer) => {
        if (live && answer.ok) setTouchId(answer.value.available);
      });
    return () => {
      live = false;
    };
  }, []);

  const run = (attempt: () => Promise<{ ok: boolean; error?: { message: string } }>) => {
    setBusy(true);
    setError(null);
    void attempt().then(
      (result) => {
        setBusy(false);
        if (!result.ok) {
          setError(result.error?.message ?? 'That did not unlock Outpost.');
          setPassphrase('');
        }
      },
      (failure: unknown) => {
        setBusy(false);
        setError(failure instanceof Error ? failure.message : String(failure));
      },
    );
  };

  return (
    <main className="onboarding lock-screen">
      <form
        aria-labelledby="lock-heading"
        onSubmit={(event) => {
          event.preventDefault();
          run(() => unlock(passphrase));
        }}
      >
        <h1 id="lock-heading">Outpost is locked</h1>
        <p>
          {method === 'data-passphrase'
            ? 'Type the passphrase that protects your data on this device to go on where you were.'
            : 'Type the passphrase you chose for the lock to go on where you were.'}{' '}
          Sync and reminders keep running meanwhile.
        </p>
        <Field
          id="lock-passphrase"
          label={method === 'data-passphrase' ? 'Passphrase' : 'Lock passphrase'}
          error={error}
          hint={
            waiting && !error ? `You can try again in ${describeWait(retryAt - now)}.` : undefined
          }
        >
          <input
            className="input"
            type="password"
            autoFocus
            autoComplete="current-password"
            value={passphrase}
            onChange={(event) => setPassphrase(event.target.value)}
          />
        </Field>
        <div className="at-rest-actions">
          <button
            type="submit"
            className="button primary"
            disabled={busy || waiting || passphrase === ''}
          >
            {busy ? 'Checking…' : 'Unlock'}
          </button>
          {touchId && (
            <button
              type="button"
              className="button"
              disabled={busy}
              onClick={() => run(unlockWithSystem)}
            >
              Unlock with Touch ID
            </button>
          )}
        </div>
      </form>
    </main>
  );
}
