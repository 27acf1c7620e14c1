import { describe, expect, it } from 'vitest';
import {
  isWithinWorkingHours,
  nextWorkingHoursChange,
  outsideHoursStreak,
} from '../../../shared/focus';
import { localDateTime, zonedTimeToEpoch } from '../../../shared/time/zonedTime';
import { HOUR, MIN, makeConfig } from './fakeClock';

const Z = (iso: string) => Date.parse(`${iso}Z`);

describe('working hours', () => {
  const config = makeConfig({
    workingHours: {
      mon: [
        { start: '09:00', end: '12:00' },
        { start: '13:00', end: '17:30' },
      ],
      tue: [{ start: '09:00', end: '17:30' }],
      fri: [{ start: '20:00', end: '24:00' }],
      sat: [{ start: '00:00', end: '02:00' }],
    },
  });

  it('treats starts as inside and ends as outside, with several ranges a day', () => {
    // Monday 10 June 2024, Berlin = UTC+2.
    expect(isWithinWorkingHours(config, Z('2024-06-10T06:59:59'))).toBe(false);
    expect(isWithinWorkingHours(config, Z('2024-06-10T07:00:00'))).toBe(true);
    expect(isWithinWorkingHours(config, Z('2024-06-10T10:00:00'))).toBe(false); // 12:00 lunch
    expect(isWithinWorkingHours(config, Z('2024-06-10T11:00:00'))).toBe(true);
    expect(isWithinWorkingHours(config, Z('2024-06-10T15:30:00'))).toBe(false);
    expect(nextWorkingHoursChange(config, Z('2024-06-10T08:00:00'))).toEqual({
      at: Z('2024-06-10T10:00:00'),
      kind: 'end',
    });
    expect(nextWorkingHoursChange(config, Z('2024-06-10T10:00:00'))).toEqual({
      at: Z('2024-06-10T11:00:00'),
      kind: 'start',
    });
  });

  it('merges Friday until 24:00 with Saturday from 00:00 and finds changes across the week', () => {
    const friday2330 = Z('2024-06-14T21:30:00');
    expect(isWithinWorkingHours(config, friday2330)).toBe(true);
    expect(nextWorkingHoursChange(config, friday2330)).toEqual({
      at: Z('2024-06-15T00:00:00'),
      kind: 'end',
    });
    // Saturday 02:00 → the next start is Monday 09:00.
    expect(nextWorkingHoursChange(config, Z('2024-06-15T00:00:00'))).toEqual({
      at: Z('2024-06-17T07:00:00'),
      kind: 'start',
    });
  });

  it('is always on when working hours are off', () => {
    const always = makeConfig({ workingHours: null });
    expect(isWithinWorkingHours(always, Z('2024-06-16T03:00:00'))).toBe(true);
    expect(nextWorkingHoursChange(always, Z('2024-06-16T03:00:00'))).toBeNull();
  });
});

describe('DST: 09:00–17:00 stays 09:00–17:00 local', () => {
  const sundays = (timeZone: string) =>
    makeConfig({
      timeZone,
      workingHours: {
        sat: [{ start: '09:00', end: '17:00' }],
        sun: [{ start: '09:00', end: '17:00' }],
      },
    });

  it.each([
    // zone, Saturday start, Sunday (DST day) start and end, all in UTC
    [
      'Europe/Berlin spring forward',
      'Europe/Berlin',
      '2024-03-30T08:00',
      '2024-03-31T07:00',
      '2024-03-31T15:00',
    ],
    [
      'Europe/Berlin fall back',
      'Europe/Berlin',
      '2024-10-26T07:00',
      '2024-10-27T08:00',
      '2024-10-27T16:00',
    ],
    [
      'America/New_York spring forward',
      'America/New_York',
      '2024-03-09T14:00',
      '2024-03-10T13:00',
      '2024-03-10T21:00',
    ],
    [
      'America/New_York fall back',
      'America/New_York',
      '2024-11-02T13:00',
      '2024-11-03T14:00',
      '2024-11-03T22:00',
    ],
  ])('%s', (_label, timeZone, saturdayStart, sundayStart, sundayEnd) => {
    const config = sundays(timeZone);
    expect(nextWorkingHoursChange(config, Z(`${saturdayStart}:00`) - HOUR)).toEqual({
      at: Z(`${saturdayStart}:00`),
      kind: 'start',
    });
    const saturdayNight = Z(`${saturdayStart}:00`) + 12 * HOUR;
    expect(nextWorkingHoursChange(config, saturdayNight)).toEqual({
      at: Z(`${sundayStart}:00`),
      kind: 'start',
    });
    expect(nextWorkingHoursChange(config, Z(`${sundayStart}:00`))).toEqual({
      at: Z(`${sundayEnd}:00`),
      kind: 'end',
    });
    expect(localDateTime(Z(`${sundayStart}:00`), timeZone)).toMatchObject({
      hour: 9,
      minute: 0,
      weekday: 0,
    });
    expect(localDateTime(Z(`${sundayEnd}:00`), timeZone)).toMatchObject({ hour: 17, minute: 0 });
  });

  it('moves a skipped wall time forward and takes the first of a repeated one', () => {
    // Berlin 2024-03-31 02:30 does not exist → 03:30 CEST; 2024-10-27 02:30 happens twice → the CEST one.
    expect(zonedTimeToEpoch('Europe/Berlin', { year: 2024, month: 3, day: 31 }, 150)).toBe(
      Z('2024-03-31T01:30:00'),
    );
    expect(zonedTimeToEpoch('Europe/Berlin', { year: 2024, month: 10, day: 27 }, 150)).toBe(
      Z('2024-10-27T00:30:00'),
    );
    expect(zonedTimeToEpoch('America/New_York', { year: 2024, month: 3, day: 10 }, 150)).toBe(
      Z('2024-03-10T07:30:00'),
    );
    expect(zonedTimeToEpoch('America/New_York', { year: 2024, month: 11, day: 3 }, 90)).toBe(
      Z('2024-11-03T05:30:00'),
    );
    expect(zonedTimeToEpoch('Asia/Kolkata', { year: 2024, month: 1, day: 1 }, 24 * 60)).toBe(
      Z('2024-01-01T18:30:00'),
    );
  });

  it('drops a working range that lies wholly inside the skipped hour', () => {
    const config = makeConfig({
      workingHours: {
        sun: [
          { start: '02:00', end: '03:00' },
          { start: '09:00', end: '10:00' },
        ],
      },
    });
    expect(nextWorkingHoursChange(config, Z('2024-03-30T23:00:00'))).toEqual({
      at: Z('2024-03-31T07:00:00'),
      kind: 'start',
    });
  });
});

describe('working outside working hours several days in a row', () => {
  const config = makeConfig();
  // Berlin summer: local 19:00 = 17:00Z.
  const evening = (date: string, minutes: number) => ({
    start: Z(`${date}T17:00:00`),
    end: Z(`${date}T17:00:00`) + minutes * MIN,
  });

  it('counts consecutive days ending today or yesterday', () => {
    const activity = [
      { start: Z('2024-06-10T07:00:00'), end: Z('2024-06-10T15:00:00') }, // inside hours: does not count
      evening('2024-06-11', 60),
      evening('2024-06-12', 30),
      evening('2024-06-13', 90),
    ];
    expect(outsideHoursStreak(config, activity, Z('2024-06-13T20:00:00'))).toBe(3);
    expect(outsideHoursStreak(config, activity, Z('2024-06-14T10:00:00'))).toBe(3); // today not over yet
    expect(outsideHoursStreak(config, activity, Z('2024-06-15T10:00:00'))).toBe(0);
  });

  it('ignores a few minutes over and counts weekend work', () => {
    const activity = [
      evening('2024-06-12', 10),
      { start: Z('2024-06-15T08:00:00'), end: Z('2024-06-15T09:00:00') }, // Saturday
      { start: Z('2024-06-16T08:00:00'), end: Z('2024-06-16T08:20:00') }, // Sunday
    ];
    expect(outsideHoursStreak(config, activity, Z('2024-06-16T20:00:00'))).toBe(2);
    expect(outsideHoursStreak(config, activity, Z('2024-06-12T20:00:00'))).toBe(0);
    expect(outsideHoursStreak(config, activity, Z('2024-06-12T20:00:00'), { minMinutes: 5 })).toBe(
      1,
    );
  });

  it('splits activity across local midnight', () => {
    const lateNight = [{ start: Z('2024-06-11T21:00:00'), end: Z('2024-06-11T23:00:00') }]; // 23:00–01:00 local
    expect(outsideHoursStreak(config, lateNight, Z('2024-06-12T08:00:00'))).toBe(2);
  });
});
