/**
 * The weekly check-in reminder: a weekday and a wall-clock time in the person's time zone. When
 * focus settings with working hours exist, a reminder that would fall outside them waits for the
 * next start of working hours. Pure and clock-free, so it is tested with any `now`.
 */
import { z } from 'zod';
import { isWithinWorkingHours, nextWorkingHoursChange, type FocusConfig } from '../focus';
import { WEEKDAYS, clockToMinutes, weekdayKeyOf } from '../time/calendar';
import { addDays, localDate, zonedTimeToEpoch } from '../time/zonedTime';
import type { Goal } from '../schema/goal';
import { latestCheckIn } from './goalsProgress';

export const CheckInReminder = z
  .object({
    enabled: z.boolean(),
    weekday: z.enum(WEEKDAYS, { error: 'Choose a day of the week.' }),
    time: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Give a time like 09:30.'),
  })
  .strict();
export type CheckInReminder = z.infer<typeof CheckInReminder>;

export const DEFAULT_REMINDER: CheckInReminder = { enabled: false, weekday: 'mon', time: '09:30' };

/**
 * The next moment strictly after `after` at which the reminder is due, or null when it is off.
 * With `focus` (and working hours set there), a time outside working hours moves to the next
 * start of working hours.
 */
export function nextReminderAt(
  reminder: CheckInReminder,
  timeZone: string,
  after: number,
  focus: FocusConfig | null = null,
): number | null {
  if (!reminder.enabled) return null;
  const minutes = clockToMinutes(reminder.time);
  const today = localDate(after, timeZone);
  for (let offset = 0; offset <= 8; offset++) {
    const date = addDays(today, offset);
    if (weekdayKeyOf(date) !== reminder.weekday) continue;
    const at = zonedTimeToEpoch(timeZone, date, minutes);
    if (at <= after) continue;
    if (focus?.workingHours && !isWithinWorkingHours(focus, at)) {
      const change = nextWorkingHoursChange(focus, at);
      return change?.kind === 'start' ? change.at : at;
    }
    return at;
  }
  return null;
}

/** Key results the person owns (through the objective's owner) without a check-in for 6 days. */
export function keyResultsDue(
  goals: readonly Goal[],
  memberId: string,
  now: number,
): { goal: Goal; keyResultTitle: string }[] {
  const due: { goal: Goal; keyResultTitle: string }[] = [];
  const week = 6 * 24 * 60 * 60 * 1000;
  for (const goal of goals) {
    if (goal.ownerId !== memberId || goal.status !== 'active') continue;
    if (goal.deletedAt !== null || goal.archived) continue;
    for (const kr of goal.keyResults) {
      if (kr.deletedAt !== null) continue;
      const latest = latestCheckIn(kr);
      if (!latest || now - latest.at >= week) due.push({ goal, keyResultTitle: kr.title });
    }
  }
  return due;
}

/** The notification's words. */
export function reminderMessage(due: ReturnType<typeof keyResultsDue>): {
  title: string;
  body: string;
} {
  if (due.length === 0)
    return {
      title: 'Weekly check-in',
      body: 'Time to look at your goals and check in on how they are going.',
    };
  const names = due.slice(0, 3).map((item) => `“${item.keyResultTitle}”`);
  const more = due.length > 3 ? ` and ${due.length - 3} more` : '';
  return {
    title: `Weekly check-in: ${due.length} key result${due.length === 1 ? '' : 's'} waiting`,
    body: `${names.join(', ')}${more} need${due.length === 1 ? 's' : ''} a check-in.`,
  };
}
