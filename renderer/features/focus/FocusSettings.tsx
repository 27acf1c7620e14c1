/**
 * The timer's settings, every field of the engine's config plus sound. Each change is saved as
 * typed (SAVE_DELAY_MS after the last keystroke) and when a field is left; the focus service checks it with the engine's own rules, and an
 * impossible value is refused with the engine's sentence beside the field while what the person
 * typed stays in the form to fix (nothing is lost, nothing half-saved). Saves go out one after
 * another, and a saved config never replaces the form while one of its saves is on its way: what
 * the person typed or clicked in the meantime stays.
 */
import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { FocusConfig, TimeRange } from '../../../shared/focus';
import { DAY_NAMES, WEEKDAYS, type Weekday } from '../../../shared/time/calendar';
import type { FocusPreferences } from '../../../shared/ipc/focusContract';
import { useAppStore } from '../../store';
import { useFocusStore } from './focusStore';
import { SAVE_DELAY_MS } from '../../components/draftField';
import { registerPendingEdit } from '../../sync/pendingEdits';
import { Field } from '../../components/Field';
import { describeTimeZone } from '../../../shared/time/zoneSearch';

/** Each number: its label, and the unit beside the input in the singular and the plural. */
const NUMBER_FIELDS = [
  ['focusMinutes', 'Focus', ['minute', 'minutes']],
  ['shortBreakMinutes', 'Short break', ['minute', 'minutes']],
  ['longBreakMinutes', 'Long break', ['minute', 'minutes']],
  ['longBreakEvery', 'Long break every', ['focus block', 'focus blocks']],
  ['breakNoticeSeconds', 'Break notice', ['second before', 'seconds before']],
  ['postponeMinutes', 'Postpone by', ['minute', 'minutes']],
  ['maxPostpones', 'Postpones per break', ['time at most', 'times at most']],
  ['idleMinutes', 'Pause when idle for', ['minute', 'minutes']],
] as const;
type NumberField = (typeof NUMBER_FIELDS)[number][0];

const plural = new Intl.PluralRules('en');
/** "1 minute" but "0.5 minutes" and "25 minutes": the unit word for what is typed. */
function unitFor(text: string, [one, other]: readonly [string, string]): string {
  const value = Number(text);
  return text.trim() !== '' && plural.select(value) === 'one' ? one : other;
}

type Days = Record<Weekday, TimeRange[]>;

interface Draft {
  numbers: Record<NumberField, string>;
  microOn: boolean;
  microEvery: string;
  microDuration: string;
  autoStart: boolean;
  sound: boolean;
  breakScreen: boolean;
  strict: boolean;
  hoursOn: boolean;
  days: Days;
}

function defaultDays(): Days {
  const day = () => [{ start: '09:00', end: '17:30' }];
  return { mon: day(), tue: day(), wed: day(), thu: day(), fri: day(), sat: [], sun: [] };
}

function draftFrom(config: FocusConfig, preferences: FocusPreferences): Draft {
  const numbers = {} as Record<NumberField, string>;
  for (const [key] of NUMBER_FIELDS) numbers[key] = String(config[key]);
  return {
    numbers,
    microOn: config.microBreaks !== null,
    microEvery: String(config.microBreaks?.everyMinutes ?? 20),
    microDuration: String(config.microBreaks?.durationSeconds ?? 20),
    autoStart: config.autoStartNextPhase,
    sound: preferences.sound,
    breakScreen: preferences.breakScreen,
    strict: config.strictBreaks,
    hoursOn: config.workingHours !== null,
    days: config.workingHours
      ? (Object.fromEntries(
          WEEKDAYS.map((day) => [day, config.workingHours![day].map((range) => ({ ...range }))]),
        ) as Days)
      : defaultDays(),
  };
}

/** A typed number; an empty or non-numeric field becomes NaN so the engine's message explains it. */
function numberOf(text: string): number {
  return text.trim() === '' ? Number.NaN : Number(text);
}

function configFrom(draft: Draft): Record<string, unknown> {
  const numbers = Object.fromEntries(
    NUMBER_FIELDS.map(([key]) => [key, numberOf(draft.numbers[key])]),
  );
  return {
    ...numbers,
    // The zone is not the form's: it follows the profile (useOneTimeZone).
    autoStartNextPhase: draft.autoStart,
    strictBreaks: draft.strict,
    microBreaks: draft.microOn
      ? { everyMinutes: numberOf(draft.microEvery), durationSeconds: numberOf(draft.microDuration) }
      : null,
    workingHours: draft.hoursOn ? draft.days : null,
  };
}

export function FocusSettings() {
  const snapshot = useFocusStore((state) => state.snapshot);
  if (!snapshot) return null;
  return <SettingsForm config={snapshot.config} preferences={snapshot.preferences} />;
}

function SettingsForm({
  config,
  preferences,
}: {
  config: FocusConfig;
  preferences: FocusPreferences;
}) {
  const updateConfig = useFocusStore((state) => state.updateConfig);
  const notify = useAppStore((state) => state.notify);
  const [draft, setDraft] = useState(() => draftFrom(config, preferences));
  const [errors, setErrors] = useState<Readonly<Record<string, string>>>({});
  const [status, setStatus] = useState<string | null>(null);
  // Saves of this form not yet answered. While there are any, the config the service pushes
  // (the answer to an earlier save, sent while the person kept editing) must not replace the
  // draft: it would undo a checkbox clicked or wipe a field typed since that save was sent.
  const [saving, setSaving] = useState(0);
  // Typed text waiting for its save (SAVE_DELAY_MS after the last keystroke) counts as a save on
  // its way: a pushed config does not replace it either.
  const [typedPending, setTypedPending] = useState(false);
  const typedTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const typedDraft = useRef<Draft | null>(null);
  const queue = useRef<Promise<void>>(Promise.resolve());
  // A new saved config from elsewhere (another window, the service) replaces the draft.
  const source = JSON.stringify([config, preferences]);
  const [syncedFrom, setSyncedFrom] = useState(source);
  if (syncedFrom !== source && saving === 0 && !typedPending) {
    setSyncedFrom(source);
    setDraft(draftFrom(config, preferences));
    setErrors({});
  }

  // One save at a time, in the order asked for, so an older draft never lands after a newer one.
  const save = (next: Draft): Promise<void> => {
    setDraft(next);
    setSaving((count) => count + 1);
    const done = queue.current.then(async () => {
      let result: Awaited<ReturnType<typeof updateConfig>>;
      try {
        result = await updateConfig({
          config: configFrom(next),
          preferences: { sound: next.sound, breakScreen: next.breakScreen },
        });
      } finally {
        setSaving((count) => count - 1);
      }
      if (!result.ok) {
        notify('error', result.error.message);
        return;
      }
      if (result.value.saved) {
        // The form already holds what was saved (and maybe newer edits): mark it synced.
        const { snapshot } = result.value;
        setSyncedFrom(JSON.stringify([snapshot.config, snapshot.preferences]));
        setErrors({});
        setStatus('Saved.');
      } else {
        setErrors(result.value.fieldErrors);
        setStatus(null);
      }
    });
    // A save that threw still lets the next one go.
    queue.current = done.catch(() => {});
    return done;
  };

  /** A keystroke: shown at once, saved as typed (a reload or a quit keeps it). */
  const type = (next: Draft) => {
    setDraft(next);
    setTypedPending(true);
    typedDraft.current = next;
    if (typedTimer.current !== null) clearTimeout(typedTimer.current);
    typedTimer.current = setTimeout(() => void saveNow(next), SAVE_DELAY_MS);
  };
  /** Leaving a field, Enter, or the typing pause: saves `next` and drops a save still waiting. */
  const saveNow = (next: Draft): Promise<void> => {
    if (typedTimer.current !== null) clearTimeout(typedTimer.current);
    typedTimer.current = null;
    typedDraft.current = null;
    setTypedPending(false);
    return save(next);
  };
  // The page's last moments (reload, quit) send typed text still waiting for its save.
  const flushTyped = useRef(() => {});
  useEffect(() => {
    flushTyped.current = () => {
      if (typedDraft.current) void saveNow(typedDraft.current);
    };
  });
  useEffect(() => registerPendingEdit({ flush: () => flushTyped.current() }), []);

  const shown = new Set<string>();
  const errorFor = (...keys: string[]): ReactNode => {
    const key = keys.find((candidate) => errors[candidate]);
    keys.forEach((candidate) => shown.add(candidate));
    if (!key) return null;
    return (
      <span className="field-error" role="alert">
        {errors[key]}
      </span>
    );
  };
  const invalid = (...keys: string[]) => keys.some((key) => Boolean(errors[key]));
  const setDays = (days: Days) => void save({ ...draft, days });

  // One setting per row: label, the number with its unit, and its own message beside it.
  const numberInput = (key: NumberField, label: string, unit: readonly [string, string]) => (
    <div className="setting-row" key={key}>
      <label htmlFor={`focus-${key}`}>{label}</label>
      <span className="setting-value">
        <input
          id={`focus-${key}`}
          className="input"
          type="number"
          step="any"
          inputMode="decimal"
          value={draft.numbers[key]}
          aria-invalid={invalid(key)}
          aria-describedby={`focus-${key}-unit${errors[key] ? ` focus-${key}-error` : ''}`}
          onChange={(event) =>
            type({ ...draft, numbers: { ...draft.numbers, [key]: event.target.value } })
          }
          onBlur={() => void saveNow(draft)}
          onKeyDown={(event) => {
            if (event.key === 'Enter') void saveNow(draft);
          }}
        />
        <span id={`focus-${key}-unit`}>{unitFor(draft.numbers[key], unit)}</span>
      </span>
      <span className="setting-message" id={`focus-${key}-error`}>
        {errorFor(key)}
      </span>
    </div>
  );

  const dayEditors = WEEKDAYS.map((day) => {
    const ranges = draft.days[day];
    return (
      <div className="focus-day" key={day} role="group" aria-label={DAY_NAMES[day]}>
        <span className="focus-day-name">{DAY_NAMES[day]}</span>
        <div className="focus-day-ranges">
          {ranges.length === 0 && <span className="record-meta">Not a working day</span>}
          {ranges.map((range, index) => {
            const edit = (patch: Partial<TimeRange>) =>
              type({
                ...draft,
                days: {
                  ...draft.days,
                  [day]: ranges.map((r, i) => (i === index ? { ...r, ...patch } : r)),
                },
              });
            const base = `workingHours.${day}.${index}`;
            return (
              <div className="focus-range" key={index}>
                <input
                  className="input focus-time"
                  aria-label={`${DAY_NAMES[day]} range ${index + 1} start`}
                  placeholder="09:00"
                  value={range.start}
                  aria-invalid={invalid(`${base}.start`, base)}
                  onChange={(event) => edit({ start: event.target.value })}
                  onBlur={() => void saveNow(draft)}
                />
                <span aria-hidden="true">–</span>
                <input
                  className="input focus-time"
                  aria-label={`${DAY_NAMES[day]} range ${index + 1} end`}
                  placeholder="17:30"
                  value={range.end}
                  aria-invalid={invalid(`${base}.end`, base)}
                  onChange={(event) => edit({ end: event.target.value })}
                  onBlur={() => void saveNow(draft)}
                />
                <button
                  type="button"
                  className="button"
                  aria-label={`Remove ${DAY_NAMES[day]} range ${index + 1}`}
                  onClick={() =>
                    setDays({ ...draft.days, [day]: ranges.filter((_, i) => i !== index) })
                  }
                >
                  ×
                </button>
                {errorFor(`${base}.start`, `${base}.end`, base)}
              </div>
            );
          })}
        </div>
        <button
          type="button"
          className="button"
          aria-label={`Add a range on ${DAY_NAMES[day]}`}
          onClick={() => {
            const last = ranges.at(-1);
            const added = last
              ? { start: last.end, end: '24:00' }
              : { start: '09:00', end: '17:30' };
            setDays({ ...draft.days, [day]: [...ranges, added] });
          }}
        >
          + Range
        </button>
      </div>
    );
  });

  const otherErrors = () =>
    Object.entries(errors)
      .filter(([key]) => !shown.has(key))
      .map(([key, message]) => (
        <span className="field-error" role="alert" key={key}>
          {message}
        </span>
      ));

  return (
    <section className="card focus-settings" aria-labelledby="focus-settings">
      <h2 id="focus-settings">Timer settings</h2>
      <div className="setting-rows">
        {NUMBER_FIELDS.map(([key, label, unit]) => numberInput(key, label, unit))}
      </div>

      <label className="toggle-row">
        <input
          type="checkbox"
          checked={draft.microOn}
          onChange={(event) => void save({ ...draft, microOn: event.target.checked })}
        />
        Micro-breaks: a short look away during focus
      </label>
      {draft.microOn && (
        <div className="field-row">
          <Field
            id="focus-micro-every"
            label="Every (minutes)"
            below={errorFor('microBreaks.everyMinutes')}
          >
            <input
              className="input"
              type="number"
              step="any"
              value={draft.microEvery}
              aria-invalid={invalid('microBreaks.everyMinutes')}
              onChange={(event) => type({ ...draft, microEvery: event.target.value })}
              onBlur={() => void saveNow(draft)}
            />
          </Field>
          <Field
            id="focus-micro-duration"
            label="For (seconds)"
            below={errorFor('microBreaks.durationSeconds', 'microBreaks')}
          >
            <input
              className="input"
              type="number"
              step="any"
              value={draft.microDuration}
              aria-invalid={invalid('microBreaks.durationSeconds')}
              onChange={(event) => type({ ...draft, microDuration: event.target.value })}
              onBlur={() => void saveNow(draft)}
            />
          </Field>
        </div>
      )}

      <label className="toggle-row">
        <input
          type="checkbox"
          checked={draft.autoStart}
          onChange={(event) => void save({ ...draft, autoStart: event.target.checked })}
        />
        Start breaks and focus blocks by themselves
      </label>
      <label className="toggle-row">
        <input
          type="checkbox"
          checked={draft.sound}
          onChange={(event) => void save({ ...draft, sound: event.target.checked })}
        />
        Play a sound with reminders
      </label>

      <label className="toggle-row">
        <input
          type="checkbox"
          checked={draft.breakScreen}
          onChange={(event) => void save({ ...draft, breakScreen: event.target.checked })}
        />
        Cover the window during breaks, with an idea for the break
      </label>
      <label className="toggle-row">
        <input
          type="checkbox"
          checked={draft.strict}
          onChange={(event) => void save({ ...draft, strict: event.target.checked })}
        />
        Strict breaks: no postponing or skipping
      </label>

      <label className="toggle-row">
        <input
          type="checkbox"
          checked={draft.hoursOn}
          onChange={(event) => void save({ ...draft, hoursOn: event.target.checked })}
        />
        Working hours: the timer starts by itself and nudges only within them (in{' '}
        {describeTimeZone(config.timeZone)}, your time zone; change it in Settings)
      </label>
      {draft.hoursOn && <div className="focus-days">{dayEditors}</div>}
      {errorFor('workingHours', '')}
      {otherErrors()}
      {status && Object.keys(errors).length === 0 && (
        <p className="record-meta" role="status">
          {status}
        </p>
      )}
    </section>
  );
}
