/**
 * The week as Outpost names it: weekday keys (Monday first, as working hours and the check-in
 * reminder store them), their names for people, the Sunday-first numbering of `Date#getUTCDay`
 * mapped onto those keys, and `HH:MM` clock times. Focus, the goals reminder and the UI all read
 * the week from here, so a day is spelled and counted one way.
 */
import { weekdayOf, type LocalDate } from './zonedTime';

/** Weekday keys, Monday first. */
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** "Monday" … "Sunday", for messages and pickers. */
export const DAY_NAMES: Readonly<Record<Weekday, string>> = {
  mon: 'Monday',
  tue: 'Tuesday',
  wed: 'Wednesday',
  thu: 'Thursday',
  fri: 'Friday',
  sat: 'Saturday',
  sun: 'Sunday',
};

/** "Mon" … "Sun", where space is short ("Mon–Fri 09:00–17:30"). */
export const SHORT_DAY_NAMES: Readonly<Record<Weekday, string>> = {
  mon: 'Mon',
  tue: 'Tue',
  wed: 'Wed',
  thu: 'Thu',
  fri: 'Fri',
  sat: 'Sat',
  sun: 'Sun',
};

// weekdayOf counts from Sunday, as Date#getUTCDay does.
const SUNDAY_FIRST: readonly Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

/** The weekday key of a calendar date. */
export function weekdayKeyOf(date: LocalDate): Weekday {
  return SUNDAY_FIRST[weekdayOf(date)]!;
}

/** Minutes after midnight of a validated `HH:MM` clock time. */
export function clockToMinutes(clock: string): number {
  const [hours, minutes] = clock.split(':');
  return Number(hours) * 60 + Number(minutes);
}
