import { useEffect, useState, useSyncExternalStore } from 'react';
import {
  breakCounts,
  dateKey,
  focusMinutesByDay,
  localDate,
  longestFocusStretch,
  nextWorkingHoursChange,
  remainingMs,
  type FocusState,
} from '../../../shared/focus';
import { useAppStore } from '../../store';
import { describeEvent, useFocusStore, type FocusAction } from './focusStore';

const PHASE_LABEL: Record<FocusState['phase'], string> = {
  idle: 'Ready',
  focus: 'Focus',
  shortBreak: 'Short break',
  longBreak: 'Long break',
  paused: 'Paused',
  outsideWorkingHours: 'Outside working hours',
};

const PAUSES: ReadonlyArray<[string, number | 'until-tomorrow']> = [
  ['30 min', 30 * 60_000],
  ['1 hour', 60 * 60_000],
  ['2 hours', 120 * 60_000],
  ['Until tomorrow', 'until-tomorrow'],
];

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const dayFormat = new Intl.DateTimeFormat(undefined, {
  weekday: 'short',
  hour: '2-digit',
  minute: '2-digit',
});

function useNow(intervalMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(id);
  }, [intervalMs]);
  return now;
}

function clockText(ms: number): string {
  const total = Math.ceil(ms / 1000);
  const minutes = Math.floor(total / 60);
  const seconds = total % 60;
  return `${String(minutes).padStart(2, '0')}:${String(seconds).padStart(2, '0')}`;
}

const subscribePermission = (callback: () => void) => {
  const id = setInterval(callback, 1000);
  return () => clearInterval(id);
};
const readPermission = () =>
  typeof Notification === 'undefined' ? 'unsupported' : Notification.permission;

/** Focus: the timer, its controls, today's stats and the timer's settings. */
export function FocusView() {
  const timeZone = useAppStore((state) => state.profile?.timeZone ?? 'UTC');
  const notify = useAppStore((state) => state.notify);
  const { config, state, log, lastEvent, loadProblem, act } = useFocusStore();
  const now = useNow(1000);
  const permission = useSyncExternalStore(subscribePermission, readPermission);

  useEffect(() => {
    if (loadProblem) notify('warning', loadProblem);
  }, [loadProblem, notify]);

  const run = (action: FocusAction) => {
    const result = act(action);
    if (!result.ok) notify('error', result.error.message);
  };

  const remaining = remainingMs(state, now);
  const running =
    state.phase === 'focus' || state.phase === 'shortBreak' || state.phase === 'longBreak';
  const onBreak = state.phase === 'shortBreak' || state.phase === 'longBreak';
  const today = dateKey(localDate(now, timeZone));
  const minutesToday = Math.round(focusMinutesByDay(log, timeZone)[today] ?? 0);
  const todayStart = log.filter((entry) => dateKey(localDate(entry.start, timeZone)) === today);
  const counts = breakCounts(todayStart);
  const stretch = longestFocusStretch(todayStart);
  const change = state.phase === 'outsideWorkingHours' ? nextWorkingHoursChange(config, now) : null;

  return (
    <div className="page">
      <h1>Focus</h1>
      <p className="lede">
        {config.focusMinutes} minutes of focus, then a {config.shortBreakMinutes}-minute break; a{' '}
        {config.longBreakMinutes}-minute break after every {config.longBreakEvery} blocks.
      </p>
      <section className={`card focus-card phase-${state.phase}`} aria-labelledby="timer-phase">
        <div className="focus-phase" id="timer-phase">
          {PHASE_LABEL[state.phase]}
          {state.phase === 'idle' && state.waitingFor && state.waitingFor !== 'focus'
            ? ' — your break is due'
            : ''}
        </div>
        <div className="focus-clock" role="timer" aria-live="off" aria-label="Time remaining">
          {remaining === null ? '--:--' : clockText(remaining)}
        </div>
        <div className="focus-until">
          {running && 'endsAt' in state && `until ${timeFormat.format(state.endsAt)}`}
          {state.phase === 'paused' &&
            (state.until ? `paused until ${dayFormat.format(state.until)}` : 'paused')}
          {change?.kind === 'start' && `starts again ${dayFormat.format(change.at)}`}
        </div>
        <div className="focus-controls">
          {(state.phase === 'idle' || state.phase === 'outsideWorkingHours') && (
            <button type="button" className="button primary" onClick={() => run({ type: 'start' })}>
              {state.phase === 'idle' && state.waitingFor && state.waitingFor !== 'focus'
                ? 'Start break'
                : 'Start focus'}
            </button>
          )}
          {running && (
            <button type="button" className="button" onClick={() => run({ type: 'pause' })}>
              Pause
            </button>
          )}
          {state.phase === 'paused' && (
            <button
              type="button"
              className="button primary"
              onClick={() => run({ type: 'resume' })}
            >
              Resume
            </button>
          )}
          {(state.phase === 'focus' || onBreak) && (
            <button type="button" className="button" onClick={() => run({ type: 'postpone' })}>
              Postpone break
            </button>
          )}
          {(state.phase === 'focus' || onBreak) && (
            <button type="button" className="button" onClick={() => run({ type: 'skip' })}>
              {onBreak ? 'Skip the rest of this break' : 'Skip next break'}
            </button>
          )}
          {state.phase !== 'idle' && (
            <button type="button" className="button" onClick={() => run({ type: 'reset' })}>
              Reset
            </button>
          )}
        </div>
        {(running || state.phase === 'paused') && (
          <div className="focus-pauses" role="group" aria-label="Pause for a while">
            <span className="record-meta">Pause for</span>
            {PAUSES.map(([label, duration]) => (
              <button
                key={label}
                type="button"
                className="tab"
                onClick={() => run({ type: 'pauseFor', duration })}
              >
                {label}
              </button>
            ))}
          </div>
        )}
        {lastEvent && (
          <p className="record-meta" role="status">
            Last reminder: {describeEvent(lastEvent).title} ({timeFormat.format(lastEvent.at)})
          </p>
        )}
      </section>

      {permission === 'default' && (
        <section className="card">
          <p>Outpost can remind you when a break starts, even while you work in another window.</p>
          <button
            type="button"
            className="button"
            onClick={() => void Notification.requestPermission()}
          >
            Allow desktop notifications
          </button>
        </section>
      )}
      {permission === 'denied' && (
        <section className="card">
          <p>
            Desktop notifications are blocked, so reminders only show here. Allow them in your
            system settings.
          </p>
        </section>
      )}

      <section className="card" aria-labelledby="focus-today">
        <h2 id="focus-today">Today</h2>
        <dl className="kv">
          <dt>Focus time</dt>
          <dd data-testid="focus-minutes-today">{minutesToday} min</dd>
          <dt>Breaks</dt>
          <dd>
            {counts.taken} taken · {counts.skipped} skipped · {counts.postponed} postponed
          </dd>
          <dt>Longest stretch without a break</dt>
          <dd>{stretch ? `${Math.round(stretch.focusMs / 60_000)} min` : '—'}</dd>
        </dl>
      </section>

      <FocusSettings />
    </div>
  );
}

function FocusSettings() {
  const config = useFocusStore((state) => state.config);
  const updateConfig = useFocusStore((state) => state.updateConfig);
  const [errors, setErrors] = useState<Readonly<Record<string, string>>>({});
  const fields: ReadonlyArray<[keyof typeof config & string, string]> = [
    ['focusMinutes', 'Focus (minutes)'],
    ['shortBreakMinutes', 'Short break (minutes)'],
    ['longBreakMinutes', 'Long break (minutes)'],
    ['longBreakEvery', 'Long break every (blocks)'],
  ];
  const save = (patch: Record<string, unknown>) => {
    const result = updateConfig(patch);
    setErrors(result.ok ? {} : result.fieldErrors);
  };
  return (
    <section className="card" aria-labelledby="focus-settings">
      <h2 id="focus-settings">Timer settings</h2>
      <div className="field-row">
        {fields.map(([key, label]) => (
          <div className="field" key={key}>
            <label htmlFor={`focus-${key}`}>{label}</label>
            <input
              id={`focus-${key}`}
              className="input"
              type="number"
              min={1}
              defaultValue={String(config[key])}
              aria-invalid={Boolean(errors[key])}
              onBlur={(event) => save({ [key]: Number(event.target.value) })}
            />
            {errors[key] && (
              <span className="field-error" role="alert">
                {errors[key]}
              </span>
            )}
          </div>
        ))}
      </div>
      <label className="toggle-row">
        <input
          type="checkbox"
          checked={config.workingHours !== null}
          onChange={(event) => save({ workingHours: event.target.checked ? undefined : null })}
        />
        Only during working hours (Monday to Friday, 09:00–17:30,{' '}
        {config.timeZone.replace(/_/g, ' ')})
      </label>
    </section>
  );
}
