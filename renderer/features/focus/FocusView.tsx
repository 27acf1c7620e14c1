import { useEffect, useSyncExternalStore } from 'react';
import {
  isWithinWorkingHours,
  nextWorkingHoursChange,
  reminderFor,
  remainingMs,
} from '../../../shared/focus';
import { minutesText } from '../../../shared/time/durations';
import { describeTimeZone } from '../../../shared/time/zoneSearch';
import { describeWorkingHours } from './TeamFocus';
import { breakDueOf, clockText, phaseText } from './timerText';
import type { FocusAction } from '../../../shared/ipc/focusContract';
import { useAppStore } from '../../store';
import { useFocusStore } from './focusStore';
import { FocusSettings } from './FocusSettings';
import { FocusStats, OutsideHoursNotice } from './FocusStats';
import { TeamFocus } from './TeamFocus';
import { useServiceNow } from './useServiceNow';
import './focus.css';

const PAUSES: ReadonlyArray<[string, number | 'until-tomorrow']> = [
  ['30 min', 30 * 60_000],
  ['1 hour', 60 * 60_000],
  ['2 hours', 120 * 60_000],
  ['Until tomorrow', 'until-tomorrow'],
];

function timeIn(timeZone: string, at: number, withDay = false): string {
  return new Intl.DateTimeFormat(undefined, {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    ...(withDay ? { weekday: 'short' } : {}),
  }).format(at);
}

const subscribePermission = (callback: () => void) => {
  const id = setInterval(callback, 1000);
  return () => clearInterval(id);
};
const readPermission = () =>
  typeof Notification === 'undefined' ? 'unsupported' : Notification.permission;

/** Focus: the timer and its controls, stats, the team's focus status and the timer's settings. */
export function FocusView() {
  const notify = useAppStore((state) => state.notify);
  const shell = useAppStore((state) => state.appInfo?.shell ?? 'web');
  const snapshot = useFocusStore((state) => state.snapshot);
  const error = useFocusStore((state) => state.error);
  const act = useFocusStore((state) => state.act);
  const now = useServiceNow();
  const permission = useSyncExternalStore(subscribePermission, readPermission);
  const problem = snapshot?.problem ?? null;

  useEffect(() => {
    if (!problem) return;
    notify('warning', problem);
    void act({ type: 'dismissProblem' });
  }, [problem, notify, act]);

  if (!snapshot) {
    return (
      <div className="page">
        <h1>Focus</h1>
        <p className={error ? 'field-error' : 'record-meta'} role="status">
          {error ?? 'Loading the focus timer…'}
        </p>
      </div>
    );
  }

  const { config, state } = snapshot;
  const zone = config.timeZone;
  const run = async (action: FocusAction) => {
    const result = await act(action);
    if (!result.ok) notify('error', result.error.message);
    else if (
      // Judged at the time the timer started the block, by its answer: the page's own estimate of
      // the timer's clock is only as fresh as the last snapshot it saw.
      action.type === 'start' &&
      result.value.config.workingHours !== null &&
      !isWithinWorkingHours(result.value.config, result.value.now)
    ) {
      // Said once, when it happens: the block runs; the timer will not start by itself later.
      notify(
        'info',
        `Focus started outside your working hours (${describeWorkingHours({ timeZone: zone, days: config.workingHours })}, ${describeTimeZone(zone)}).`,
      );
    }
  };

  const remaining = remainingMs(state, now);
  const running =
    state.phase === 'focus' || state.phase === 'shortBreak' || state.phase === 'longBreak';
  const onBreak = state.phase === 'shortBreak' || state.phase === 'longBreak';
  const breakDue = breakDueOf(state) !== null;
  const change = state.phase === 'outsideWorkingHours' ? nextWorkingHoursChange(config, now) : null;
  const lastReminder = snapshot.lastEvent ? reminderFor(snapshot.lastEvent, zone) : null;

  return (
    <div className="page focus-page">
      <h1>Focus</h1>
      <p className="lede">
        {minutesText(config.focusMinutes)} of focus, then a {config.shortBreakMinutes}-minute break;
        a {config.longBreakMinutes}-minute break after every{' '}
        {config.longBreakEvery === 1 ? 'block' : `${config.longBreakEvery} blocks`}. Times in{' '}
        {describeTimeZone(zone)}.
      </p>
      <section className={`card focus-card phase-${state.phase}`} aria-labelledby="timer-phase">
        <div className="focus-phase" id="timer-phase">
          {phaseText(state)}
        </div>
        <div className="focus-clock" role="timer" aria-live="off" aria-label="Time remaining">
          {remaining === null ? '--:--' : clockText(remaining)}
        </div>
        <div className="focus-until">
          {running && `until ${timeIn(zone, state.endsAt)}`}
          {state.phase === 'paused' &&
            (state.until
              ? `paused until ${timeIn(zone, state.until, true)}`
              : state.reason === 'idle'
                ? 'paused while you were away'
                : 'paused')}
          {change?.kind === 'start' && `starts again ${timeIn(zone, change.at, true)}`}
        </div>
        <div className="focus-controls">
          {(state.phase === 'idle' || state.phase === 'outsideWorkingHours') && (
            <button
              type="button"
              className="button primary"
              onClick={() => void run({ type: 'start' })}
            >
              {breakDue ? 'Start break' : 'Start focus'}
            </button>
          )}
          {running && (
            <button type="button" className="button" onClick={() => void run({ type: 'pause' })}>
              Pause
            </button>
          )}
          {state.phase === 'paused' && (
            <button
              type="button"
              className="button primary"
              onClick={() => void run({ type: 'resume' })}
            >
              Resume
            </button>
          )}
          {!config.strictBreaks && (state.phase === 'focus' || onBreak || breakDue) && (
            <button type="button" className="button" onClick={() => void run({ type: 'postpone' })}>
              Postpone break
            </button>
          )}
          {!config.strictBreaks && (state.phase === 'focus' || onBreak || breakDue) && (
            <button type="button" className="button" onClick={() => void run({ type: 'skip' })}>
              {onBreak
                ? 'Skip the rest of this break'
                : breakDue
                  ? 'Skip this break'
                  : 'Skip next break'}
            </button>
          )}
          {state.phase !== 'idle' && (
            <button type="button" className="button" onClick={() => void run({ type: 'reset' })}>
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
                onClick={() => void run({ type: 'pauseFor', duration })}
              >
                {label}
              </button>
            ))}
          </div>
        )}
        {lastReminder && snapshot.lastEvent && (
          <p className="record-meta" role="status" data-testid="last-reminder">
            Last reminder: {lastReminder.title} ({timeIn(zone, snapshot.lastEvent.at)})
          </p>
        )}
      </section>

      {shell === 'web' && permission === 'default' && (
        <section className="card">
          <p>Outpost can remind you when a break starts, even while you work in another tab.</p>
          <button
            type="button"
            className="button"
            onClick={() => void Notification.requestPermission()}
          >
            Allow desktop notifications
          </button>
        </section>
      )}
      {shell === 'web' && permission === 'denied' && (
        <section className="card">
          <p>
            Notifications are blocked for this page, so reminders only show here. Allow them in your
            browser&apos;s site settings.
          </p>
        </section>
      )}

      <OutsideHoursNotice />
      <FocusStats />
      <TeamFocus />
      <FocusSettings />
    </div>
  );
}
