/** Short, human times for lists and metadata, using the platform's Intl formatting. */
import { formatForPerson } from './personTime';

const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
const ABSOLUTE: Intl.DateTimeFormatOptions = { dateStyle: 'medium', timeStyle: 'short' };
const absolute = { format: (time: number) => formatForPerson(time, ABSOLUTE) };

const STEPS: ReadonlyArray<[Intl.RelativeTimeFormatUnit, number]> = [
  ['second', 60],
  ['minute', 60],
  ['hour', 24],
  ['day', 7],
  ['week', 4.35],
  ['month', 12],
  ['year', Number.POSITIVE_INFINITY],
];

/** "just now", "5 minutes ago", "yesterday"… */
export function timeAgo(then: number, now: number = Date.now()): string {
  let value = (then - now) / 1000;
  if (Math.abs(value) < 45) return 'just now';
  for (const [unit, size] of STEPS) {
    if (Math.abs(value) < size) return relative.format(Math.round(value), unit);
    value /= size;
  }
  return absolute.format(then);
}

/** A full date and time, for tooltips. */
export function formatDateTime(time: number): string {
  return absolute.format(time);
}
