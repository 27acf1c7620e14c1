import { describe, expect, it } from 'vitest';
import { overlapOf, viewerDay, workingSpans, type TeamHours } from '../../../shared/focus';

const weekdays = (start: string, end: string) => {
  const day = [{ start, end }];
  return { mon: day, tue: day, wed: day, thu: day, fri: day, sat: [], sun: [] };
};

describe("a team's day on one strip", () => {
  // Monday 7 December 2026, seen from Lisbon (UTC+0 in winter).
  const now = Date.UTC(2026, 11, 7, 12, 0);
  const day = viewerDay('Europe/Lisbon', now);
  const lisbon: TeamHours = { timeZone: 'Europe/Lisbon', days: weekdays('09:00', '17:30') };
  const saigon: TeamHours = { timeZone: 'Asia/Ho_Chi_Minh', days: weekdays('09:00', '17:30') };
  const newYork: TeamHours = { timeZone: 'America/New_York', days: weekdays('09:00', '17:30') };
  const utc = (h: number, m = 0) => Date.UTC(2026, 11, 7, h, m);

  it("lays each teammate's hours over the viewer's day in the viewer's time", () => {
    expect(day).toEqual({ start: utc(0), end: utc(24) });
    expect(workingSpans(lisbon, day)).toEqual([{ start: utc(9), end: utc(17, 30) }]);
    // 09:00–17:30 in Ho Chi Minh City is 02:00–10:30 in Lisbon.
    expect(workingSpans(saigon, day)).toEqual([{ start: utc(2), end: utc(10, 30) }]);
    // New York's Monday 09:00–17:30 is 14:00–22:30 here; its Sunday brings nothing.
    expect(workingSpans(newYork, day)).toEqual([{ start: utc(14), end: utc(22, 30) }]);
    expect(workingSpans({ timeZone: 'UTC', days: null }, day)).toEqual([]);
  });

  it('finds the overlap for handoffs, or none', () => {
    const spans = [lisbon, saigon].map((hours) => workingSpans(hours, day));
    expect(overlapOf(spans)).toEqual([{ start: utc(9), end: utc(10, 30) }]);
    const all = [lisbon, saigon, newYork].map((hours) => workingSpans(hours, day));
    expect(overlapOf(all)).toEqual([]);
  });

  it("takes a teammate's day that crosses the viewer's midnight in two pieces", () => {
    // Tokyo 09:00–17:30 on Monday and Tuesday: seen from New York, it crosses midnight.
    const nyDay = viewerDay('America/New_York', now);
    const tokyo: TeamHours = { timeZone: 'Asia/Tokyo', days: weekdays('09:00', '17:30') };
    const spans = workingSpans(tokyo, nyDay);
    // Tuesday 09:00 Tokyo = Monday 19:00 New York; Monday's Tokyo hours ended at 03:30 NY.
    expect(spans).toEqual([
      { start: Date.UTC(2026, 11, 7, 5), end: Date.UTC(2026, 11, 7, 8, 30) },
      { start: Date.UTC(2026, 11, 8, 0), end: Date.UTC(2026, 11, 8, 5) },
    ]);
  });
});
