import { useState } from 'react';
import { colorName } from './colorNames';
import { PROFILE_COLORS } from '../../shared/schema/profile';
import { deviceTimeZone } from '../../shared/time/zonedTime';
import {
  clockToMinutes,
  DAY_NAMES,
  SHORT_DAY_NAMES,
  WEEKDAYS,
  type Weekday,
} from '../../shared/time/calendar';
import { useAppStore } from '../store';
import { useFocusStore } from '../features/focus/focusStore';
import { Field, FieldError } from './Field';
import { TimeZonePicker } from './TimeZonePicker';
import { SectionsIntro } from '../features/onboarding/SectionsIntro';
import { addSampleNow } from '../features/onboarding/sampleActions';

interface HoursDraft {
  readonly on: boolean;
  readonly days: ReadonlySet<Weekday>;
  readonly start: string;
  readonly end: string;
}

const WEEKDAYS_ONLY: ReadonlySet<Weekday> = new Set(['mon', 'tue', 'wed', 'thu', 'fri']);

/** Why the hours cannot be saved as entered, or null. */
function hoursProblem(hours: HoursDraft): string | null {
  if (!hours.on) return null;
  if (hours.days.size === 0) return 'Choose at least one working day, or skip working hours.';
  if (!/^\d\d:\d\d$/.test(hours.start) || !/^\d\d:\d\d$/.test(hours.end))
    return 'Use a 24-hour time like 09:00.';
  if (clockToMinutes(hours.end) <= clockToMinutes(hours.start))
    return `Working hours ${hours.start}–${hours.end} end before they start.`;
  return null;
}

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
  const [timeZone, setTimeZone] = useState(deviceTimeZone);
  const [withSample, setWithSample] = useState(false);
  const [hours, setHours] = useState<HoursDraft>({
    on: true,
    days: WEEKDAYS_ONLY,
    start: '09:00',
    end: '17:30',
  });
  const hoursError = hoursProblem(hours);

  return (
    <main className="onboarding">
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (hoursError) return;
          setBusy(true);
          void completeOnboarding({ displayName: name, color, timeZone }).then(async (result) => {
            setBusy(false);
            if (!result.ok) {
              setError(result.error.message);
              return;
            }
            if (withSample) addSampleNow();
            // Working hours, in the zone just chosen, go to the focus timer with it.
            const workingHours = hours.on
              ? Object.fromEntries(
                  WEEKDAYS.map((day) => [
                    day,
                    hours.days.has(day) ? [{ start: hours.start, end: hours.end }] : [],
                  ]),
                )
              : null;
            const saved = await useFocusStore
              .getState()
              .updateConfig({ config: { timeZone, workingHours } });
            const problem = !saved.ok
              ? saved.error.message
              : saved.value.saved
                ? null
                : saved.value.message;
            if (problem) useAppStore.getState().notify('error', `Working hours: ${problem}`);
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
        <SectionsIntro />
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
        <TimeZonePicker
          id="onboarding-zone"
          label="Your time zone"
          value={timeZone}
          onChoose={setTimeZone}
        />
        <fieldset className="onboarding-hours">
          <legend>Working hours (optional)</legend>
          <p className="hint">
            In your local time. Outside them the timer never starts by itself and nudges wait; you
            can still start focus whenever you like.
          </p>
          <label className="toggle-row">
            <input
              type="checkbox"
              checked={hours.on}
              onChange={(event) => setHours({ ...hours, on: event.target.checked })}
            />
            I keep regular working hours
          </label>
          {hours.on && (
            <>
              <div className="day-toggles" role="group" aria-label="Working days">
                {WEEKDAYS.map((day) => (
                  <button
                    key={day}
                    type="button"
                    className="day-toggle"
                    aria-pressed={hours.days.has(day)}
                    aria-label={DAY_NAMES[day]}
                    onClick={() => {
                      const days = new Set(hours.days);
                      if (days.has(day)) days.delete(day);
                      else days.add(day);
                      setHours({ ...hours, days });
                    }}
                  >
                    {SHORT_DAY_NAMES[day]}
                  </button>
                ))}
              </div>
              <div className="hours-range">
                <Field id="onboarding-hours-start" label="From" size="narrow">
                  <input
                    className="input"
                    type="time"
                    value={hours.start}
                    onChange={(event) => setHours({ ...hours, start: event.target.value })}
                  />
                </Field>
                <Field id="onboarding-hours-end" label="To" size="narrow">
                  <input
                    className="input"
                    type="time"
                    value={hours.end}
                    onChange={(event) => setHours({ ...hours, end: event.target.value })}
                  />
                </Field>
              </div>
              <FieldError message={hoursError} />
            </>
          )}
        </fieldset>
        <label className="toggle-row onboarding-sample">
          <input
            type="checkbox"
            checked={withSample}
            onChange={(event) => setWithSample(event.target.checked)}
          />
          Start with a sample: two notes, a goal and a decision, linked (removable in one click)
        </label>
        <FieldError message={error} />
        <button type="submit" className="button primary" disabled={busy || hoursError !== null}>
          Get started
        </button>
      </form>
    </main>
  );
}
