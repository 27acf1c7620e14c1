/**
 * The words a person reads about the timer: reminder titles and bodies (native notifications in
 * the desktop app, Web Notifications in web mode, the "last reminder" line) and the short status
 * teammates see. Times are written in the person's own time zone.
 */
import { secondsText } from '../time/durations';
import type { BreakKind, FocusEvent, FocusPhase, FocusStatus } from './state';

/** The timer's phase as the app and the tray name it. */
export const PHASE_LABELS: Readonly<Record<FocusPhase, string>> = {
  idle: 'Ready',
  focus: 'Focus',
  shortBreak: 'Short break',
  longBreak: 'Long break',
  paused: 'Paused',
  outsideWorkingHours: 'Outside working hours',
};

function clock(at: number | null | undefined, timeZone: string): string {
  if (at === null || at === undefined) return '';
  return new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(at);
}

/** What a reminder can offer as buttons, where the platform shows them. */
export type ReminderAction = 'startBreak' | 'postpone';

export interface Reminder {
  readonly title: string;
  readonly body: string;
  /** Buttons in the order they are shown. */
  readonly actions: readonly ReminderAction[];
}

const breakName = (kind: BreakKind) => (kind === 'longBreak' ? 'long break' : 'short break');

/**
 * The reminder for an event, or null when the event is not worth interrupting the person for
 * (the end of working hours: nothing is due then, and no reminder is ever shown outside them).
 */
export function reminderFor(event: FocusEvent, timeZone: string): Reminder | null {
  switch (event.type) {
    case 'breakNotice':
      return {
        title: event.breakKind === 'longBreak' ? 'Long break coming up' : 'Break coming up',
        body: `Your ${breakName(event.breakKind)} starts at ${clock(event.breakAt, timeZone)}. Wrap up what you are doing.`,
        actions: ['postpone'],
      };
    case 'breakStart':
      return event.started
        ? {
            title: `Time for a ${breakName(event.breakKind)}`,
            body: `Step away from the screen until ${clock(event.endsAt, timeZone)}.`,
            actions: ['postpone'],
          }
        : {
            title: `Your ${breakName(event.breakKind)} is due`,
            body: 'Start it when you are ready.',
            actions: ['startBreak', 'postpone'],
          };
    case 'breakEnd':
      return {
        title: event.away ? 'Welcome back' : 'Break is over',
        body: event.started
          ? `${event.away ? 'Your time away counted as a break. ' : ''}Focus until ${clock(event.focusEndsAt, timeZone)}.`
          : 'Start your next focus block when you are ready.',
        actions: [],
      };
    case 'microBreak':
      return {
        title: 'Micro-break',
        body: `Look away from the screen for ${secondsText(Math.round(event.durationMs / 1000))}.`,
        actions: [],
      };
    case 'pauseEnded':
      return {
        title: 'Pause is over',
        body: event.resumed
          ? `The timer runs again until ${clock(event.endsAt, timeZone)}.`
          : 'Start the timer when you are ready.',
        actions: [],
      };
    case 'workingHoursStarted':
      return {
        title: 'Working hours started',
        body: event.focusEndsAt
          ? `Focus until ${clock(event.focusEndsAt, timeZone)}.`
          : 'Start the timer when you are ready.',
        actions: [],
      };
    case 'workingHoursEnded':
      return null;
  }
}

/**
 * A teammate's status in words: "in focus until 14:30", "on a break until 10:05", "outside
 * working hours". `viewerTimeZone` is the zone the reader's clock times are shown in.
 */
export function describeFocusStatus(status: FocusStatus, viewerTimeZone: string): string {
  const until = status.until === undefined ? '' : ` until ${clock(status.until, viewerTimeZone)}`;
  switch (status.kind) {
    case 'focus':
      return `in focus${until}`;
    case 'break':
      return `on a break${until}`;
    case 'paused':
      return `timer paused${until}`;
    case 'idle':
      return 'available';
    case 'outside-hours':
      return 'outside working hours';
  }
}

/** `HH:MM` in `timeZone`, for "local time" columns. */
export function clockIn(at: number, timeZone: string): string {
  return clock(at, timeZone);
}
