/**
 * Working hours as instants. The table in the config is wall-clock times per weekday in the
 * person's IANA zone; here each local date's ranges become `[start, end)` instants (so 09:00–17:00
 * stays 09:00–17:00 local on a DST day, whatever its length in real hours), ranges that touch
 * (Monday until 24:00, Tuesday from 00:00) merge, and boundaries are looked up around an instant.
 */
import { clockToMinutes, weekdayKeyOf } from '../time/calendar';
import {
  addDays,
  dateKey,
  daysBetween,
  localDate,
  startOfLocalDay,
  zonedTimeToEpoch,
  type LocalDate,
} from '../time/zonedTime';
import type { FocusConfig, WorkingHours } from './config';

/** A half-open span of time `[start, end)` in epoch ms. */
export interface Interval {
  readonly start: number;
  readonly end: number;
}

/** A moment at which working hours start or end. */
export interface WorkingHoursChange {
  readonly at: number;
  readonly kind: 'start' | 'end';
}

const cache = new WeakMap<WorkingHours, Map<string, readonly Interval[]>>();

/** The working intervals of one local calendar date, sorted, as instants. */
export function workingIntervalsOn(config: FocusConfig, date: LocalDate): readonly Interval[] {
  const hours = config.workingHours;
  if (!hours) return [];
  let perDate = cache.get(hours);
  if (!perDate) {
    perDate = new Map();
    cache.set(hours, perDate);
  }
  const key = `${config.timeZone} ${dateKey(date)}`;
  const cached = perDate.get(key);
  if (cached) return cached;
  const ranges = hours[weekdayKeyOf(date)];
  const intervals = ranges
    .map((range) => ({
      start: zonedTimeToEpoch(config.timeZone, date, clockToMinutes(range.start)),
      end: zonedTimeToEpoch(config.timeZone, date, clockToMinutes(range.end)),
    }))
    // A range wholly inside a skipped DST hour has no real time at all.
    .filter((interval) => interval.end > interval.start)
    .sort((a, b) => a.start - b.start);
  perDate.set(key, intervals);
  return intervals;
}

/** Merged working intervals of the local dates `from` … `from + days - 1`. */
function intervalsFrom(config: FocusConfig, from: LocalDate, days: number): Interval[] {
  const merged: Interval[] = [];
  for (let offset = 0; offset < days; offset++) {
    for (const interval of workingIntervalsOn(config, addDays(from, offset))) {
      const last = merged[merged.length - 1];
      if (last && interval.start <= last.end) {
        merged[merged.length - 1] = { start: last.start, end: Math.max(last.end, interval.end) };
      } else {
        merged.push(interval);
      }
    }
  }
  return merged;
}

/** True when `now` falls inside the configured working hours (always true when they are off). */
export function isWithinWorkingHours(config: FocusConfig, now: number): boolean {
  if (!config.workingHours) return true;
  const today = localDate(now, config.timeZone);
  return intervalsFrom(config, addDays(today, -1), 3).some((i) => i.start <= now && now < i.end);
}

/**
 * The first moment after `now` at which working hours start or end, or null when working hours
 * are off. A configured week always has a working day, so a change is found within eight days.
 */
export function nextWorkingHoursChange(
  config: FocusConfig,
  now: number,
): WorkingHoursChange | null {
  if (!config.workingHours) return null;
  const today = localDate(now, config.timeZone);
  for (const interval of intervalsFrom(config, addDays(today, -1), 10)) {
    if (interval.start > now) return { at: interval.start, kind: 'start' };
    if (interval.end > now) return { at: interval.end, kind: 'end' };
  }
  return null;
}

/**
 * When "pause until tomorrow" ends: the first working-hours start on a later local date than
 * `now`, or the next local midnight when working hours are off.
 */
export function startOfNextWorkingDay(config: FocusConfig, now: number): number {
  const today = localDate(now, config.timeZone);
  if (!config.workingHours) return startOfLocalDay(config.timeZone, addDays(today, 1));
  const tomorrow = startOfLocalDay(config.timeZone, addDays(today, 1));
  const next = intervalsFrom(config, addDays(today, 1), 8).find((i) => i.start >= tomorrow);
  return next ? next.start : tomorrow;
}

/** Milliseconds of `span` that fall outside working hours. */
export function msOutsideWorkingHours(config: FocusConfig, span: Interval): number {
  if (!config.workingHours || span.end <= span.start) return 0;
  const first = addDays(localDate(span.start, config.timeZone), -1);
  const last = addDays(localDate(span.end, config.timeZone), 1);
  let inside = 0;
  for (const interval of intervalsFrom(config, first, daysBetween(first, last) + 1)) {
    inside += Math.max(0, Math.min(span.end, interval.end) - Math.max(span.start, interval.start));
  }
  return span.end - span.start - inside;
}

/** Options for {@link outsideHoursStreak}. */
export interface OutsideHoursStreakOptions {
  /** Minimum minutes outside working hours for a day to count (default 15). */
  readonly minMinutes?: number;
}

/**
 * How many local days in a row, ending today (or yesterday, since today is not over), the person
 * worked outside working hours, from a list of activity spans (e.g. focus records or active
 * periods). A day counts when at least `minMinutes` of its activity fell outside working hours.
 * The UI shows a gentle notice once this reaches a threshold of its choosing.
 */
export function outsideHoursStreak(
  config: FocusConfig,
  activity: readonly Interval[],
  now: number,
  options: OutsideHoursStreakOptions = {},
): number {
  const days = outsideHoursDays(config, activity, options);
  let cursor = localDate(now, config.timeZone);
  if (!days.has(dateKey(cursor))) cursor = addDays(cursor, -1);
  let streak = 0;
  while (days.has(dateKey(cursor))) {
    streak += 1;
    cursor = addDays(cursor, -1);
  }
  return streak;
}

/** The local dates (`YYYY-MM-DD`) on which at least `minMinutes` of activity fell outside working hours. */
export function outsideHoursDays(
  config: FocusConfig,
  activity: readonly Interval[],
  options: OutsideHoursStreakOptions = {},
): Set<string> {
  const minMs = (options.minMinutes ?? 15) * 60_000;
  const perDay = new Map<string, number>();
  for (const span of activity) {
    for (const piece of splitByLocalDay(config.timeZone, span)) {
      const outside = msOutsideWorkingHours(config, piece.interval);
      perDay.set(piece.day, (perDay.get(piece.day) ?? 0) + outside);
    }
  }
  return new Set([...perDay].filter(([, ms]) => ms > 0 && ms >= minMs).map(([day]) => day));
}

/** Cuts a span at local midnights, labelling each piece with its local date. */
export function splitByLocalDay(
  timeZone: string,
  span: Interval,
): { day: string; interval: Interval }[] {
  const pieces: { day: string; interval: Interval }[] = [];
  let start = span.start;
  while (start < span.end) {
    const date = localDate(start, timeZone);
    const nextMidnight = startOfLocalDay(timeZone, addDays(date, 1));
    const end = Math.min(span.end, nextMidnight);
    pieces.push({ day: dateKey(date), interval: { start, end } });
    if (end <= start) break;
    start = end;
  }
  return pieces;
}
