import { describe, expect, it } from 'vitest';
import { defaultFocusConfig, parseFocusConfig } from '../../../shared/focus';

function fieldErrors(input: unknown): Record<string, string> {
  const parsed = parseFocusConfig(input);
  if (parsed.ok) throw new Error('expected the settings to be refused');
  expect(parsed.error.code).toBe('invalid-config');
  return { ...parsed.fieldErrors };
}

describe('focus settings', () => {
  it('fills in the defaults: 25/5/15, long break every 4, Mon–Fri 09:00–17:30', () => {
    const config = defaultFocusConfig('America/New_York');
    expect(config).toMatchObject({
      timeZone: 'America/New_York',
      focusMinutes: 25,
      shortBreakMinutes: 5,
      longBreakMinutes: 15,
      longBreakEvery: 4,
      microBreaks: null,
      breakNoticeSeconds: 60,
      postponeMinutes: 5,
      maxPostpones: 2,
      idleMinutes: 5,
      autoStartNextPhase: true,
    });
    expect(config.workingHours?.mon).toEqual([{ start: '09:00', end: '17:30' }]);
    expect(config.workingHours?.sat).toEqual([]);
    expect(() => defaultFocusConfig('Nowhere/Special')).toThrow(/not a time zone/);
  });

  it('accepts several ranges a day, micro-breaks and working hours turned off', () => {
    const parsed = parseFocusConfig({
      timeZone: 'Asia/Tokyo',
      microBreaks: { everyMinutes: 20, durationSeconds: 20 },
      workingHours: {
        mon: [
          { start: '08:00', end: '12:00' },
          { start: '13:00', end: '24:00' },
        ],
      },
    });
    expect(parsed.ok).toBe(true);
    expect(parseFocusConfig({ timeZone: 'UTC', workingHours: null }).ok).toBe(true);
  });

  it('refuses zero and negative durations with a message per field', () => {
    expect(
      fieldErrors({
        timeZone: 'Europe/Berlin',
        focusMinutes: 0,
        shortBreakMinutes: -5,
        longBreakMinutes: 'soon',
        idleMinutes: 0,
      }),
    ).toEqual({
      focusMinutes: 'A focus block must be more than 0 minutes.',
      shortBreakMinutes: 'A short break must be more than 0 minutes.',
      longBreakMinutes: 'A long break must be a number of minutes.',
      idleMinutes: 'The idle threshold must be more than 0 minutes.',
    });
  });

  it('refuses a long-break interval below 1, a negative postpone limit and a negative notice', () => {
    expect(
      fieldErrors({
        timeZone: 'Europe/Berlin',
        longBreakEvery: 0,
        maxPostpones: -1,
        breakNoticeSeconds: -1,
      }),
    ).toEqual({
      longBreakEvery: 'A long break must come after at least 1 focus block.',
      maxPostpones: 'The postpone limit cannot be negative.',
      breakNoticeSeconds: 'The break notice lead time cannot be negative.',
    });
    expect(fieldErrors({ timeZone: 'Europe/Berlin', longBreakEvery: 2.5 })).toEqual({
      longBreakEvery: 'The long-break interval must be a whole number of focus blocks.',
    });
  });

  it('refuses working hours that end before they start or overlap, and a week without any', () => {
    expect(
      fieldErrors({
        timeZone: 'Europe/Berlin',
        workingHours: {
          mon: [{ start: '17:00', end: '09:00' }],
          tue: [{ start: '09:00', end: '09:00' }],
          wed: [
            { start: '09:00', end: '12:30' },
            { start: '12:00', end: '17:00' },
          ],
          thu: [{ start: '9am', end: '17:00' }],
        },
      }),
    ).toEqual({
      'workingHours.mon.0.end':
        "Monday's working hours 17:00–09:00 end before they start; split a range that crosses midnight into two days.",
      'workingHours.tue.0.end':
        "Tuesday's working hours 09:00–09:00 end before they start; split a range that crosses midnight into two days.",
      'workingHours.wed.1': "Wednesday's working hours 09:00–12:30 and 12:00–17:00 overlap.",
      'workingHours.thu.0.start': 'Use a 24-hour time like 09:00 (24:00 means the end of the day).',
    });
    expect(fieldErrors({ timeZone: 'Europe/Berlin', workingHours: {} })).toEqual({
      workingHours: 'Choose at least one working day, or turn working hours off.',
    });
  });

  it('refuses an unknown or missing time zone', () => {
    expect(fieldErrors({ timeZone: 'Mars/Olympus_Mons' })).toEqual({
      timeZone:
        '"Mars/Olympus_Mons" is not a time zone this computer knows; use an IANA name such as Europe/Berlin.',
    });
    expect(fieldErrors({})).toEqual({
      timeZone: 'Choose a time zone (an IANA name such as Europe/Berlin).',
    });
  });

  it('refuses settings that cannot work together', () => {
    expect(fieldErrors({ timeZone: 'UTC', focusMinutes: 1, breakNoticeSeconds: 60 })).toEqual({
      breakNoticeSeconds:
        'The break notice (60 s ahead) must come after the 1-minute focus block has started.',
    });
    expect(
      fieldErrors({
        timeZone: 'UTC',
        focusMinutes: 25,
        microBreaks: { everyMinutes: 30, durationSeconds: 20 },
      }),
    ).toEqual({
      'microBreaks.everyMinutes':
        'Micro-breaks every 30 min would never happen within a 25-minute focus block.',
    });
    expect(
      fieldErrors({ timeZone: 'UTC', microBreaks: { everyMinutes: 0.25, durationSeconds: 20 } }),
    ).toEqual({
      'microBreaks.durationSeconds':
        'A micro-break must be shorter than the time between micro-breaks.',
    });
  });

  it('puts every field message into one readable summary and rejects unknown settings', () => {
    const parsed = parseFocusConfig({ timeZone: 'UTC', focusMinutes: -1, colour: 'blue' });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.error.message).toContain('A focus block must be more than 0 minutes.');
      expect(Object.keys(parsed.fieldErrors)).toContain('focusMinutes');
      expect(parsed.error.message).toMatch(/colour/);
    }
  });
});
