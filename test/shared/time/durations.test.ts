import { describe, expect, it } from 'vitest';
import { minutesText, secondsText } from '../../../shared/time/durations';
import { reminderFor } from '../../../shared/focus';

describe('durations in words', () => {
  it('uses the singular for one and the plural otherwise', () => {
    expect(minutesText(1)).toBe('1 minute');
    expect(minutesText(25)).toBe('25 minutes');
    expect(minutesText(0.5)).toBe('0.5 minutes');
    expect(secondsText(1)).toBe('1 second');
    expect(secondsText(20)).toBe('20 seconds');
  });

  it('reaches the micro-break reminder', () => {
    const one = reminderFor({ type: 'microBreak', at: 0, durationMs: 1000 }, 'UTC');
    expect(one?.body).toBe('Look away from the screen for 1 second.');
  });
});
