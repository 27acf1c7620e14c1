/**
 * A team's day on one strip: each teammate's working hours, written in their own time zone, laid
 * over the viewer's local day, and the stretch where everyone's hours overlap. This is what an
 * async handoff is planned with ("Lisbon and Ho Chi Minh City share 09:00–10:30 Lisbon time").
 */
import { clockToMinutes, weekdayKeyOf } from '../time/calendar';
import { addDays, localDate, startOfLocalDay, zonedTimeToEpoch } from '../time/zonedTime';
import type { WorkingHours } from './config';
import type { Interval } from './workingHours';

/** A person's working hours as shared with the team: ranges per weekday in `timeZone`. */
export interface TeamHours {
  readonly timeZone: string;
  readonly days: Pick<WorkingHours, keyof WorkingHours> | null;
}

/** The viewer's local day containing `now`, as instants. */
export function viewerDay(viewerZone: string, now: number): Interval {
  const today = localDate(now, viewerZone);
  return {
    start: startOfLocalDay(viewerZone, today),
    end: startOfLocalDay(viewerZone, addDays(today, 1)),
  };
}

/** The parts of `day` inside the person's working hours, sorted and merged. */
export function workingSpans(hours: TeamHours, day: Interval): Interval[] {
  if (!hours.days) return [];
  const spans: Interval[] = [];
  // Their local dates that can touch the viewer's day: a day either side covers any offset.
  const middle = localDate(day.start, hours.timeZone);
  for (let offset = -1; offset <= 1; offset++) {
    const date = addDays(middle, offset);
    for (const range of hours.days[weekdayKeyOf(date)]) {
      const start = zonedTimeToEpoch(hours.timeZone, date, clockToMinutes(range.start));
      const end = zonedTimeToEpoch(hours.timeZone, date, clockToMinutes(range.end));
      const clipped = { start: Math.max(start, day.start), end: Math.min(end, day.end) };
      if (clipped.end > clipped.start) spans.push(clipped);
    }
  }
  spans.sort((a, b) => a.start - b.start);
  const merged: Interval[] = [];
  for (const span of spans) {
    const last = merged.at(-1);
    if (last && span.start <= last.end)
      merged[merged.length - 1] = { ...last, end: Math.max(last.end, span.end) };
    else merged.push(span);
  }
  return merged;
}

/** Where every list of spans overlaps (empty when any list is empty). */
export function overlapOf(lists: readonly (readonly Interval[])[]): Interval[] {
  if (lists.length === 0) return [];
  let common: Interval[] = [...(lists[0] ?? [])];
  for (const list of lists.slice(1)) {
    const next: Interval[] = [];
    for (const a of common) {
      for (const b of list) {
        const start = Math.max(a.start, b.start);
        const end = Math.min(a.end, b.end);
        if (end > start) next.push({ start, end });
      }
    }
    common = next;
  }
  return common;
}
