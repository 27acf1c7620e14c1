import { useState } from 'react';
import { PROFILE_COLORS } from '../../shared/schema/profile';
import { useAppStore } from '../store';

/** First run: who are you? Everything else is created for you. */
export function Onboarding() {
  const completeOnboarding = useAppStore((state) => state.completeOnboarding);
  const [name, setName] = useState('');
  // A random preselected color, so teammates who never pick one still tell each other's cursors apart.
  const [color, setColor] = useState<string>(
    () => PROFILE_COLORS[Math.floor(Math.random() * PROFILE_COLORS.length)] ?? PROFILE_COLORS[0],
  );
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

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
        <h1>Welcome to Outpost</h1>
        <p>
          Your notes, goals and decisions live on this device and work offline. Teammates see the
          name and color you choose here.
        </p>
        <div className="field">
          <label htmlFor="onboarding-name">Your name</label>
          <input
            id="onboarding-name"
            className="input"
            autoFocus
            maxLength={60}
            value={name}
            onChange={(event) => setName(event.target.value)}
            placeholder="e.g. Ana"
          />
        </div>
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
                aria-label={option}
                style={{ background: option }}
                onClick={() => setColor(option)}
              />
            ))}
          </div>
        </div>
        <p className="record-meta">
          Time zone: {timeZone.replace(/_/g, ' ')} (change it later in Settings)
        </p>
        {error && (
          <p className="field-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="button primary" disabled={busy}>
          Get started
        </button>
      </form>
    </main>
  );
}
