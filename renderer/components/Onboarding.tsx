import { useState } from 'react';
import { colorName } from './colorNames';
import { PROFILE_COLORS } from '../../shared/schema/profile';
import { deviceTimeZone } from '../../shared/time/zonedTime';
import { useAppStore } from '../store';
import { Field, FieldError } from './Field';

/**
 * First run: who are you? Everything else is created for you. When this device lost its profile
 * but still holds workspaces, the people those workspaces list are offered first ("I am Ana"), so
 * the person keeps their member id and their earlier changes stay theirs.
 */
export function Onboarding() {
  const completeOnboarding = useAppStore((state) => state.completeOnboarding);
  const recoverIdentity = useAppStore((state) => state.recoverIdentity);
  const candidates = useAppStore((state) => state.identityCandidates);
  const [name, setName] = useState('');
  // A random preselected color, so teammates who never pick one still tell each other's cursors apart.
  const [color, setColor] = useState<string>(
    () => PROFILE_COLORS[Math.floor(Math.random() * PROFILE_COLORS.length)] ?? PROFILE_COLORS[0],
  );
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const timeZone = deviceTimeZone();

  return (
    <main className="onboarding">
      <form
        onSubmit={(event) => {
          event.preventDefault();
          setBusy(true);
          void completeOnboarding({ displayName: name, color, timeZone }).then((result) => {
            setBusy(false);
            if (!result.ok) setError(result.error.message);
          });
        }}
      >
        <h1>{candidates.length > 0 ? 'Welcome back' : 'Welcome to Outpost'}</h1>
        {candidates.length > 0 && (
          <section className="identity-recovery" aria-labelledby="identity-heading">
            <h2 id="identity-heading">Is this you?</h2>
            <p>
              Outpost lost who you are on this device, but your workspaces are still here. Pick
              yourself so your earlier notes, goals and decisions stay yours.
            </p>
            <ul className="identity-list">
              {candidates.map((candidate) => (
                <li key={candidate.memberId}>
                  <button
                    type="button"
                    className="button identity-choice"
                    disabled={busy}
                    onClick={() => {
                      setBusy(true);
                      void recoverIdentity(candidate.memberId).then((result) => {
                        setBusy(false);
                        if (!result.ok) setError(result.error.message);
                      });
                    }}
                  >
                    <span
                      className="avatar"
                      style={{ background: candidate.color }}
                      aria-hidden="true"
                    >
                      {candidate.name.slice(0, 1).toUpperCase()}
                    </span>
                    <span>I am {candidate.name}</span>
                  </button>
                  <span className="record-meta">in {candidate.workspaces.join(', ')}</span>
                </li>
              ))}
            </ul>
            <h2>Someone new?</h2>
          </section>
        )}
        <p>
          Your notes, goals and decisions live on this device and work offline. Teammates see the
          name and color you choose here.
        </p>
        <Field id="onboarding-name" label="Your name">
          <input
            className="input"
            autoFocus
            maxLength={60}
            value={name}
            onChange={(event) => setName(event.target.value)}
            placeholder="e.g. Ana"
          />
        </Field>
        <div className="field">
          <span className="label" id="onboarding-color">
            Color
          </span>
          <div className="swatches" role="radiogroup" aria-labelledby="onboarding-color">
            {PROFILE_COLORS.map((option) => (
              <button
                key={option}
                type="button"
                role="radio"
                className="swatch"
                aria-checked={color === option}
                aria-label={colorName(option)}
                style={{ background: option }}
                onClick={() => setColor(option)}
              />
            ))}
          </div>
        </div>
        <p className="record-meta">
          Time zone: {timeZone.replace(/_/g, ' ')} (change it later in Settings)
        </p>
        <FieldError message={error} />
        <button type="submit" className="button primary" disabled={busy}>
          Get started
        </button>
      </form>
    </main>
  );
}
