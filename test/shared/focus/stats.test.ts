import { describe, expect, it } from 'vitest';
import {
  breakCounts,
  focusMinutesByDay,
  focusMinutesByWeek,
  longestFocusStretch,
  type SessionRecord,
} from '../../../shared/focus';

const MIN = 60_000;
// Berlin in winter is UTC+1: local h:m on a date.
const B = (date: string, h: number, m = 0) =>
  Date.parse(`${date}T00:00:00Z`) + (h - 1) * 60 * MIN + m * MIN;
const focus = (
  start: number,
  minutes: number,
  outcome: SessionRecord['outcome'] = 'completed',
): SessionRecord => ({
  phase: 'focus',
  start,
  end: start + minutes * MIN,
  outcome,
});
const rest = (
  start: number,
  minutes: number,
  outcome: SessionRecord['outcome'] = 'completed',
): SessionRecord => ({
  phase: 'shortBreak',
  start,
  end: start + minutes * MIN,
  outcome,
});

// Sunday 29 Dec 2024 … Tuesday 31 Dec 2024: ISO week 2024-W52 ends on Sunday; Monday 30 Dec is 2025-W01.
const log: SessionRecord[] = [
  focus(B('2024-12-29', 23, 40), 30), // 20 min on Sunday, 10 min on Monday
  focus(B('2024-12-30', 9), 25),
  rest(B('2024-12-30', 9, 25), 5),
  focus(B('2024-12-30', 9, 30), 25),
  rest(B('2024-12-30', 9, 55), 0, 'skipped'),
  focus(B('2024-12-30', 9, 55), 10, 'interrupted'),
  // a 3-minute pause, not a break
  focus(B('2024-12-30', 10, 8), 17),
  rest(B('2024-12-30', 10, 25), 0, 'postponed'),
  rest(B('2024-12-30', 10, 25), 0, 'postponed'),
  focus(B('2024-12-30', 10, 25), 10, 'completed'),
  {
    phase: 'longBreak',
    start: B('2024-12-30', 10, 35),
    end: B('2024-12-30', 11, 30),
    outcome: 'completed',
    away: true,
  },
  focus(B('2024-12-31', 14), 25),
  {
    phase: 'longBreak',
    start: B('2024-12-31', 14, 25),
    end: B('2024-12-31', 14, 30),
    outcome: 'skipped',
  },
];

describe('focus stats', () => {
  it('adds focus minutes per local day, splitting a block across midnight', () => {
    expect(focusMinutesByDay(log, 'Europe/Berlin')).toEqual({
      '2024-12-29': 20,
      '2024-12-30': 10 + 25 + 25 + 10 + 17 + 10,
      '2024-12-31': 25,
    });
    // The same log read in New York (UTC-5): the late Sunday block no longer crosses midnight.
    expect(focusMinutesByDay(log, 'America/New_York')).toEqual({
      '2024-12-29': 30,
      '2024-12-30': 87,
      '2024-12-31': 25,
    });
  });

  it('adds focus minutes per ISO week across the year boundary', () => {
    expect(focusMinutesByWeek(log, 'Europe/Berlin')).toEqual({
      '2024-W52': 20,
      '2025-W01': 97 + 25,
    });
  });

  it('counts breaks taken vs skipped vs postponed', () => {
    expect(breakCounts(log)).toEqual({ taken: 2, skipped: 2, postponed: 2 });
    expect(breakCounts([])).toEqual({ taken: 0, skipped: 0, postponed: 0 });
  });

  it('finds the longest stretch of focus without a break taken', () => {
    // 09:30 → 10:35: a skipped break, a 3-minute pause and two postpones do not end it.
    expect(longestFocusStretch(log)).toEqual({
      start: B('2024-12-30', 9, 30),
      end: B('2024-12-30', 10, 35),
      focusMs: (25 + 10 + 17 + 10) * MIN,
    });
    // Counting 3-minute pauses as rest splits it at 10:05.
    expect(longestFocusStretch(log, { restMs: 3 * MIN })).toEqual({
      start: B('2024-12-30', 9, 30),
      end: B('2024-12-30', 10, 5),
      focusMs: 35 * MIN,
    });
    expect(longestFocusStretch([rest(0, 5)])).toBeNull();
  });

  it('does not depend on the order of the log', () => {
    const shuffled = [...log].reverse();
    expect(longestFocusStretch(shuffled)).toEqual(longestFocusStretch(log));
    expect(focusMinutesByDay(shuffled, 'Europe/Berlin')).toEqual(
      focusMinutesByDay(log, 'Europe/Berlin'),
    );
  });
});
