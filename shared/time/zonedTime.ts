/**
 * Wall-clock arithmetic in an IANA time zone using only the built-in Intl API, so shared/ needs no
 * date library. Instants are epoch milliseconds; a local calendar date is `{ year, month, day }`.
 * Converting a local time to an instant handles DST: a wall time that does not exist (the hour
 * skipped in spring) moves forward by the gap, and one that happens twice (autumn) takes the first.
 */

/** A calendar date in some time zone (month 1–12). */
export interface LocalDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

/** A calendar date plus wall-clock time; `weekday` is 0 for Sunday … 6 for Saturday. */
export interface LocalDateTime extends LocalDate {
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly weekday: number;
}

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The time zone this device is set to ('UTC' where the engine cannot tell). */
export function deviceTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/** True when this JavaScript engine knows `timeZone` as an IANA zone name. */
export function isKnownTimeZone(timeZone: string): boolean {
  if (timeZone.trim() === '') return false;
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The wall-clock date and time of `epochMs` in `timeZone`. */
export function localDateTime(epochMs: number, timeZone: string): LocalDateTime {
  const fields: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(epochMs)) {
    if (part.type !== 'literal') fields[part.type] = Number(part.value);
  }
  const year = fields['year'] ?? 1970;
  const month = fields['month'] ?? 1;
  const day = fields['day'] ?? 1;
  return {
    year,
    month,
    day,
    // Some engines print midnight as 24 even with h23; normalise it.
    hour: (fields['hour'] ?? 0) % 24,
    minute: fields['minute'] ?? 0,
    second: fields['second'] ?? 0,
    weekday: new Date(Date.UTC(year, month - 1, day)).getUTCDay(),
  };
}

/** The zone's offset from UTC at `epochMs`, in milliseconds (e.g. +3_600_000 for CET). */
export function zoneOffsetMs(epochMs: number, timeZone: string): number {
  const whole = Math.floor(epochMs / 1000) * 1000;
  const local = localDateTime(whole, timeZone);
  const asUtc = Date.UTC(
    local.year,
    local.month - 1,
    local.day,
    local.hour,
    local.minute,
    local.second,
  );
  return asUtc - whole;
}

/** The local calendar date of `epochMs` in `timeZone`. */
export function localDate(epochMs: number, timeZone: string): LocalDate {
  const { year, month, day } = localDateTime(epochMs, timeZone);
  return { year, month, day };
}

/** The date `days` calendar days after `date` (negative goes back). */
export function addDays(date: LocalDate, days: number): LocalDate {
  const shifted = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return {
    year: shifted.getUTCFullYear(),
    month: shifted.getUTCMonth() + 1,
    day: shifted.getUTCDate(),
  };
}

/** 0 for Sunday … 6 for Saturday. */
export function weekdayOf(date: LocalDate): number {
  return new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay();
}

/** `YYYY-MM-DD`. */
export function dateKey(date: LocalDate): string {
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return `${pad(date.year, 4)}-${pad(date.month)}-${pad(date.day)}`;
}

/** Parses `YYYY-MM-DD`; undefined when it is not a real calendar date. */
export function parseDateKey(key: string): LocalDate | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(key);
  if (!match) return undefined;
  const date = { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) };
  return dateKey(addDays(date, 0)) === key ? date : undefined;
}

/** Whole days from `a` to `b` (positive when `b` is later). */
export function daysBetween(a: LocalDate, b: LocalDate): number {
  return Math.round(
    (Date.UTC(b.year, b.month - 1, b.day) - Date.UTC(a.year, a.month - 1, a.day)) / DAY_MS,
  );
}

/**
 * The instant at which the wall clock in `timeZone` shows `minuteOfDay` minutes after midnight on
 * `date` (1440 means the following midnight). Skipped wall times move forward by the DST gap;
 * repeated wall times resolve to their first occurrence.
 */
export function zonedTimeToEpoch(timeZone: string, date: LocalDate, minuteOfDay: number): number {
  const wall = Date.UTC(date.year, date.month - 1, date.day) + minuteOfDay * MINUTE_MS;
  // Any real zone has at most one transition within a day on either side, so the offsets one day
  // before and after are the only candidates.
  const before = zoneOffsetMs(wall - DAY_MS, timeZone);
  const after = zoneOffsetMs(wall + DAY_MS, timeZone);
  const valid = [wall - before, wall - after].filter((t) => t + zoneOffsetMs(t, timeZone) === wall);
  if (valid.length > 0) return Math.min(...valid);
  return wall - before;
}

/** Midnight at the start of `date` in `timeZone`, as an instant. */
export function startOfLocalDay(timeZone: string, date: LocalDate): number {
  return zonedTimeToEpoch(timeZone, date, 0);
}

/** ISO 8601 week of a calendar date, as `YYYY-Www` (weeks start on Monday). */
export function isoWeekKey(date: LocalDate): string {
  const weekday = weekdayOf(date) || 7;
  const thursday = addDays(date, 4 - weekday);
  const jan1 = { year: thursday.year, month: 1, day: 1 };
  const week = Math.floor(daysBetween(jan1, thursday) / 7) + 1;
  return `${thursday.year}-W${String(week).padStart(2, '0')}`;
}
