import { describe, expect, it } from 'vitest';
import {
  MAX_EVENTS_PER_ADVANCE,
  STALE_EVENT_GRACE_MS,
  advance,
  focusStatus,
  reset,
  type FocusState,
  initialFocusState,
  remainingMs,
  start,
  type FocusEvent,
} from '../../../shared/focus';
import { HOUR, MIN, makeConfig, must, runFrom, runUntil } from './fakeClock';

const Z = (iso: string) => Date.parse(`${iso}Z`);
// Monday 10 June 2024, Berlin = UTC+2.
const MON = (h: number, m = 0) => Date.UTC(2024, 5, 10, h - 2, m);

describe('sleep and wake', () => {
  const config = makeConfig();

  it('waking from 2 h of sleep during focus gives one event: the time away counted as a break', () => {
    const running = must(start(config, initialFocusState(MON(9)), MON(9))).state;
    const woke = advance(config, running, MON(11, 10));
    expect(woke.events).toEqual([
      { type: 'breakEnd', at: MON(11, 10), started: true, focusEndsAt: MON(11, 35), away: true },
    ]);
    expect(woke.records).toEqual([
      // The person is taken to have left by the first missed event, the 09:24 notice.
      { phase: 'focus', start: MON(9), end: MON(9, 24), outcome: 'interrupted' },
      { phase: 'longBreak', start: MON(9, 24), end: MON(11, 10), outcome: 'completed', away: true },
    ]);
    expect(woke.state).toMatchObject({
      phase: 'focus',
      startedAt: MON(11, 10),
      completedFocusBlocks: 0,
    });
    expect(woke.nextEventAt).toBe(MON(11, 34));
  });

  it('a short sleep past the notice drops the stale notice and keeps the block', () => {
    const early = makeConfig({ breakNoticeSeconds: 180 });
    const running = must(start(early, initialFocusState(MON(9)), MON(9))).state;
    // Woken within the grace window after the 09:22 notice: it is still worth giving.
    expect(advance(early, running, MON(9, 22) + 30_000).events).toMatchObject([
      { type: 'breakNotice', at: MON(9, 22) },
    ]);
    const late = advance(early, running, MON(9, 22) + STALE_EVENT_GRACE_MS + 1);
    expect(late.events).toEqual([]);
    expect(late.state).toMatchObject({ phase: 'focus', endsAt: MON(9, 25), noticeAt: null });
    expect(late.nextEventAt).toBe(MON(9, 25));
  });

  it('a sleep shorter than a break across the break start announces the break once, at wake', () => {
    const running = must(start(config, initialFocusState(MON(9)), MON(9))).state;
    const atNotice = advance(config, running, MON(9, 24)).state;
    const woke = advance(config, atNotice, MON(9, 28));
    expect(woke.events).toEqual([
      {
        type: 'breakStart',
        at: MON(9, 28),
        breakKind: 'shortBreak',
        started: true,
        endsAt: MON(9, 30),
      },
    ]);
    expect(woke.state).toMatchObject({ phase: 'shortBreak', endsAt: MON(9, 30) });
    expect(remainingMs(woke.state, MON(9, 28))).toBe(2 * MIN);
  });

  it('waking long after a break should have ended starts focus once', () => {
    const run = runFrom(must(start(config, initialFocusState(MON(9)), MON(9))), MON(9));
    runUntil(config, run, MON(9, 26));
    const woke = advance(config, run.state, MON(12));
    expect(woke.events).toEqual([
      { type: 'breakEnd', at: MON(12), started: true, focusEndsAt: MON(12, 25), away: true },
    ]);
    expect(woke.records).toEqual([
      { phase: 'shortBreak', start: MON(9, 25), end: MON(12), outcome: 'completed', away: true },
    ]);
    expect(woke.state).toMatchObject({ completedFocusBlocks: 0 });
  });

  it('sleeping overnight from a running block gives at most one event the next morning', () => {
    const running = must(start(config, initialFocusState(MON(17)), MON(17))).state;
    const night = advance(config, running, MON(23));
    expect(night.events).toEqual([]);
    expect(night.state).toMatchObject({ phase: 'outsideWorkingHours' });
    expect(night.records).toEqual([
      { phase: 'focus', start: MON(17), end: MON(17, 24), outcome: 'interrupted' },
    ]);

    const tuesday = MON(24 + 10, 30);
    const woke = advance(config, running, tuesday);
    expect(woke.events).toEqual([
      { type: 'workingHoursStarted', at: tuesday, focusEndsAt: tuesday + 25 * MIN },
    ]);
    expect(woke.state).toMatchObject({ phase: 'focus', completedFocusBlocks: 0 });
    // The night is not logged as a break taken.
    expect(woke.records.filter((r) => r.phase !== 'focus')).toEqual([]);
  });

  it('waking in the evening after the working day ended is silent', () => {
    const run = runFrom(must(start(config, initialFocusState(MON(9)), MON(9))), MON(9));
    runUntil(config, run, MON(16));
    const woke = advance(config, run.state, MON(21));
    expect(woke.events).toEqual([]);
    expect(woke.state.phase).toBe('outsideWorkingHours');
    expect(woke.nextEventAt).toBe(MON(24 + 9));
  });

  it('a clock that runs backwards keeps the remaining time', () => {
    const running = must(start(config, initialFocusState(MON(9, 30)), MON(9, 30))).state;
    const later = advance(config, running, MON(9, 40));
    const back = advance(config, later.state, MON(9, 20));
    expect(back.events).toEqual([]);
    expect(remainingMs(back.state, MON(9, 20))).toBe(15 * MIN);
    expect(back.nextEventAt).toBe(MON(9, 34));
  });

  it('never returns more than the bounded number of events, even with tiny durations', () => {
    const tiny = makeConfig({
      focusMinutes: 0.1,
      shortBreakMinutes: 0.05,
      longBreakMinutes: 0.1,
      breakNoticeSeconds: 2,
      workingHours: null,
    });
    const running = must(start(tiny, initialFocusState(MON(9)), MON(9))).state;
    for (const late of [10_000, 30_000, 59_000, 61_000, HOUR]) {
      const t = advance(tiny, running, MON(9) + late);
      expect(t.events.length).toBeLessThanOrEqual(MAX_EVENTS_PER_ADVANCE);
      expect(t.nextEventAt).toBeGreaterThan(MON(9) + late);
    }
  });
});

describe('DST days through the engine', () => {
  const labels = (events: readonly FocusEvent[], timeZone: string) => {
    const fmt = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    return events.map((e) => `${fmt.format(e.at)} ${e.type}`);
  };

  it.each([
    ['Europe/Berlin', '2024-03-31T07:00', '2024-03-31T15:00'],
    ['Europe/Berlin', '2024-10-27T08:00', '2024-10-27T16:00'],
    ['America/New_York', '2024-03-10T13:00', '2024-03-10T21:00'],
    ['America/New_York', '2024-11-03T14:00', '2024-11-03T22:00'],
  ])('%s working day starting %s UTC runs 09:00–17:00 local', (timeZone, startIso, endIso) => {
    const config = makeConfig({
      timeZone,
      workingHours: { sun: [{ start: '09:00', end: '17:00' }] },
    });
    const dayStart = Z(`${startIso}:00`);
    // Left waiting for working hours the evening before; the engine wakes itself at the local 09:00.
    const evening = dayStart - 12 * HOUR;
    const waiting: FocusState = {
      ...initialFocusState(evening),
      phase: 'outsideWorkingHours',
      since: evening,
      armed: true,
    };
    const armed = advance(config, waiting, evening);
    expect(armed.state.phase).toBe('outsideWorkingHours');
    expect(armed.nextEventAt).toBe(dayStart);
    const run = runFrom(armed, dayStart - 12 * HOUR);
    runUntil(config, run, dayStart + 12 * HOUR);
    const seen = labels(run.events, timeZone);
    expect(seen[0]).toBe('09:00 workingHoursStarted');
    expect(seen.at(-1)).toBe('17:00 workingHoursEnded');
    expect(run.events.at(-1)?.at).toBe(Z(`${endIso}:00`));
    // Every event inside working hours, with real-time durations unaffected by the shift.
    expect(run.events.every((e) => e.at >= dayStart && e.at <= Z(`${endIso}:00`))).toBe(true);
    expect(seen.slice(1, 4)).toEqual(['09:24 breakNotice', '09:25 breakStart', '09:30 breakEnd']);
  });

  it('a focus block across the 02:00 spring-forward lasts 25 real minutes', () => {
    const config = makeConfig({ workingHours: null });
    const before = Z('2024-03-31T00:50:00'); // 01:50 CET
    const running = must(start(config, initialFocusState(before), before));
    expect(running.state).toMatchObject({ phase: 'focus', endsAt: before + 25 * MIN });
    expect(
      new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Berlin', timeStyle: 'short' }).format(
        before + 25 * MIN,
      ),
    ).toBe('03:15');
  });
});

describe('time-zone change mid-day', () => {
  it('moving from Berlin to New York keeps the running block and reads working hours in the new zone', () => {
    const berlin = makeConfig({ timeZone: 'Europe/Berlin' });
    const newYork = makeConfig({ timeZone: 'America/New_York' });
    const t = MON(14, 5); // 14:05 Berlin = 08:05 New York: before working hours there
    const running = must(start(berlin, initialFocusState(MON(14)), MON(14))).state;
    const moved = advance(newYork, running, t);
    // The person's block is not cut short by the move, and nothing is replayed.
    expect(moved.events).toEqual([]);
    expect(moved.state).toMatchObject({ phase: 'focus', endsAt: MON(14, 25) });
    // Reset, the timer then waits for New York's working hours to start anything by itself.
    const stopped = reset(newYork, moved.state, t);
    expect(focusStatus(newYork, stopped.state, t)).toEqual({
      kind: 'outside-hours',
      until: Z('2024-06-10T13:00:00'), // 09:00 EDT
    });
  });

  it('moving to a zone where it is still working time keeps the block and moves the end of day', () => {
    const berlin = makeConfig({ timeZone: 'Europe/Berlin' });
    const lisbon = makeConfig({ timeZone: 'Europe/Lisbon' });
    const running = must(start(berlin, initialFocusState(MON(17, 20)), MON(17, 20))).state;
    const moved = advance(lisbon, running, MON(17, 21));
    expect(moved.events).toEqual([]);
    expect(moved.state).toMatchObject({ phase: 'focus', endsAt: MON(17, 45) });
    expect(moved.nextEventAt).toBe(MON(17, 44)); // notice; working hours there end at 18:30 Berlin time
  });
});
