import { describe, expect, it } from 'vitest';
import { describeFocusStatus, reminderFor } from '../../../shared/focus';

// Monday 10 June 2024 in Berlin is CEST (UTC+2).
const BERLIN_0925 = Date.UTC(2024, 5, 10, 7, 25);

describe('focus messages', () => {
  it('words reminders in the person’s zone and offers the buttons that make sense', () => {
    expect(
      reminderFor(
        { type: 'breakNotice', at: 0, breakKind: 'shortBreak', breakAt: BERLIN_0925 },
        'Europe/Berlin',
      ),
    ).toEqual({
      title: 'Break coming up',
      body: 'Your short break starts at 09:25. Wrap up what you are doing.',
      actions: ['postpone'],
    });
    expect(
      reminderFor(
        { type: 'breakStart', at: 0, breakKind: 'longBreak', started: false, endsAt: null },
        'UTC',
      )?.actions,
    ).toEqual(['startBreak', 'postpone']);
    expect(reminderFor({ type: 'workingHoursEnded', at: 0, nextStartAt: null }, 'UTC')).toBeNull();
  });

  it('describes a teammate’s status in the reader’s zone', () => {
    expect(describeFocusStatus({ kind: 'focus', until: BERLIN_0925 }, 'Europe/Lisbon')).toBe(
      'in focus until 08:25',
    );
    expect(describeFocusStatus({ kind: 'break' }, 'UTC')).toBe('on a break');
    expect(describeFocusStatus({ kind: 'outside-hours', until: BERLIN_0925 }, 'UTC')).toBe(
      'outside working hours',
    );
  });
});
