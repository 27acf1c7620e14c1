import { describe, expect, it } from 'vitest';
import {
  advance,
  focusStatus,
  initialFocusState,
  pause,
  pauseFor,
  postpone,
  remainingMs,
  reportActive,
  reportIdle,
  reset,
  resume,
  skip,
  start,
  type FocusEvent,
} from '../../../shared/focus';
import { HOUR, MIN, apply, makeConfig, must, runFrom, runUntil } from './fakeClock';

// Monday 10 June 2024 in Berlin is CEST (UTC+2): local h:m is Date.UTC(…, h - 2, m).
const MON = (h: number, m = 0, s = 0) => Date.UTC(2024, 5, 10, h - 2, m, s);
const day = (d: number, h: number, m = 0) => Date.UTC(2024, 5, 10 + d, h - 2, m);
const hm = (t: number) => new Date(t + 2 * HOUR).toISOString().slice(11, 19).replace(/:00$/, '');
const describeEvent = (e: FocusEvent) =>
  `${hm(e.at)} ${e.type}${'breakKind' in e ? ` ${e.breakKind}` : ''}${'away' in e && e.away ? ' away' : ''}`;

describe('a full working day of cycles', () => {
  it('runs 25/5 ×3 then a 15-minute long break, with notices 60 s ahead, until working hours end', () => {
    const config = makeConfig();
    const run = runFrom(must(start(config, initialFocusState(MON(9)), MON(9))), MON(9));
    runUntil(config, run, MON(23));

    // Independent model of the day: blocks of 25 min, every 4th break long, cut at 17:30.
    const expected: string[] = [];
    const hoursEnd = MON(17, 30);
    let t = MON(9);
    for (let block = 1; ; block++) {
      const breakAt = t + 25 * MIN;
      if (breakAt >= hoursEnd) break;
      const kind = block % 4 === 0 ? 'longBreak' : 'shortBreak';
      expected.push(
        `${hm(breakAt - MIN)} breakNotice ${kind}`,
        `${hm(breakAt)} breakStart ${kind}`,
      );
      const breakEnd = breakAt + (kind === 'longBreak' ? 15 : 5) * MIN;
      if (breakEnd >= hoursEnd) break;
      expected.push(`${hm(breakEnd)} breakEnd`);
      t = breakEnd;
    }
    expected.push('17:30 workingHoursEnded');

    expect(run.events.map(describeEvent)).toEqual(expected);
    // Spot-check the hand-computed beginning and end of the day.
    expect(expected.slice(0, 12)).toEqual([
      '09:24 breakNotice shortBreak',
      '09:25 breakStart shortBreak',
      '09:30 breakEnd',
      '09:54 breakNotice shortBreak',
      '09:55 breakStart shortBreak',
      '10:00 breakEnd',
      '10:24 breakNotice shortBreak',
      '10:25 breakStart shortBreak',
      '10:30 breakEnd',
      '10:54 breakNotice longBreak',
      '10:55 breakStart longBreak',
      '11:10 breakEnd',
    ]);
    expect(expected.slice(-3)).toEqual([
      '17:24 breakNotice longBreak',
      '17:25 breakStart longBreak',
      '17:30 workingHoursEnded',
    ]);
    expect(run.state.phase).toBe('outsideWorkingHours');
    expect(advance(config, run.state, MON(23)).nextEventAt).toBe(day(1, 9));

    // 4 cycles of 4 blocks minus the last long break, all logged.
    const focus = run.records.filter((r) => r.phase === 'focus');
    expect(focus).toHaveLength(16);
    expect(focus.every((r) => r.outcome === 'completed' && r.end - r.start === 25 * MIN)).toBe(
      true,
    );
    expect(run.records.filter((r) => r.phase === 'longBreak').map((r) => hm(r.start))).toEqual([
      '10:55',
      '13:05',
      '15:15',
      '17:25',
    ]);
    expect(run.records.at(-1)).toEqual({
      phase: 'longBreak',
      start: MON(17, 25),
      end: MON(17, 30),
      outcome: 'completed',
    });
  });

  it('starts a fresh cycle when working hours begin the next morning', () => {
    const config = makeConfig();
    const run = runFrom(must(start(config, initialFocusState(MON(9)), MON(9))), MON(9));
    runUntil(config, run, day(1, 10));
    const tuesday = run.events.filter((e) => e.at >= day(1, 0)).map(describeEvent);
    expect(tuesday).toEqual([
      '09:00 workingHoursStarted',
      '09:24 breakNotice shortBreak',
      '09:25 breakStart shortBreak',
      '09:30 breakEnd',
      '09:54 breakNotice shortBreak',
      '09:55 breakStart shortBreak',
      '10:00 breakEnd',
    ]);
    expect(run.state).toMatchObject({ phase: 'focus', completedFocusBlocks: 2 });
  });

  it('waits for the person between phases when auto-start is off', () => {
    const config = makeConfig({ autoStartNextPhase: false });
    const run = runFrom(must(start(config, initialFocusState(MON(9)), MON(9))), MON(9));
    runUntil(config, run, MON(9, 40));
    expect(run.events.map(describeEvent)).toEqual([
      '09:24 breakNotice shortBreak',
      '09:25 breakStart shortBreak',
    ]);
    expect(run.events[1]).toMatchObject({ started: false, endsAt: null });
    expect(run.state).toMatchObject({ phase: 'idle', waitingFor: 'shortBreak' });
    expect(advance(config, run.state, MON(9, 40)).nextEventAt).toBeNull();

    apply(run, must(start(config, run.state, MON(9, 40))), MON(9, 40));
    expect(run.state).toMatchObject({ phase: 'shortBreak', endsAt: MON(9, 45) });
    runUntil(config, run, MON(10));
    expect(run.events.at(-1)).toMatchObject({ type: 'breakEnd', at: MON(9, 45), started: false });
    expect(run.state).toMatchObject({ phase: 'idle', waitingFor: 'focus' });
  });

  it('gives micro-breaks inside focus blocks but never right before a break', () => {
    const config = makeConfig({
      focusMinutes: 60,
      microBreaks: { everyMinutes: 20, durationSeconds: 20 },
    });
    const run = runFrom(must(start(config, initialFocusState(MON(9)), MON(9))), MON(9));
    runUntil(config, run, MON(10, 1));
    expect(run.events.map(describeEvent)).toEqual([
      '09:20 microBreak',
      '09:40 microBreak',
      '09:59 breakNotice shortBreak',
      '10:00 breakStart shortBreak',
    ]);
    expect(run.events[0]).toMatchObject({ durationMs: 20_000 });

    const pomodoro = makeConfig({ microBreaks: { everyMinutes: 20, durationSeconds: 20 } });
    const short = runFrom(must(start(pomodoro, initialFocusState(MON(9)), MON(9))), MON(9));
    runUntil(pomodoro, short, MON(9, 26));
    expect(short.events.map(describeEvent)).toEqual([
      '09:20 microBreak',
      '09:24 breakNotice shortBreak',
      '09:25 breakStart shortBreak',
    ]);
  });
});

describe('postpone and skip', () => {
  it('postpones a break at most twice, re-sending the notice each time, then refuses', () => {
    const config = makeConfig();
    const run = runFrom(must(start(config, initialFocusState(MON(9)), MON(9))), MON(9));
    runUntil(config, run, MON(9, 24, 30));
    expect(run.events.map(describeEvent)).toEqual(['09:24 breakNotice shortBreak']);

    apply(run, must(postpone(config, run.state, MON(9, 24, 30))), MON(9, 24, 30));
    expect(run.state).toMatchObject({ phase: 'focus', endsAt: MON(9, 30), postponesUsed: 1 });
    runUntil(config, run, MON(9, 29, 10));
    expect(run.events.at(-1)).toMatchObject({
      type: 'breakNotice',
      at: MON(9, 29),
      breakAt: MON(9, 30),
    });

    apply(run, must(postpone(config, run.state, MON(9, 29, 10))), MON(9, 29, 10));
    expect(run.state).toMatchObject({ endsAt: MON(9, 35), postponesUsed: 2 });

    const third = postpone(config, run.state, MON(9, 34, 30));
    expect(third).toMatchObject({ ok: false, error: { code: 'postpone-limit' } });
    if (!third.ok)
      expect(third.error.message).toBe(
        'This break has already been postponed 2 times; take it or skip it.',
      );

    runUntil(config, run, MON(9, 45));
    expect(run.events.map(describeEvent).slice(-3)).toEqual([
      '09:34 breakNotice shortBreak',
      '09:35 breakStart shortBreak',
      '09:40 breakEnd',
    ]);
    expect(run.records.filter((r) => r.outcome === 'postponed')).toHaveLength(2);
    // The focus stretch ran through both postpones and completed as one block.
    expect(run.records.filter((r) => r.phase === 'focus')).toEqual([
      { phase: 'focus', start: MON(9), end: MON(9, 35), outcome: 'completed' },
    ]);
    // Taking the break restores the allowance for the next one.
    expect(run.state).toMatchObject({ phase: 'focus', postponesUsed: 0, completedFocusBlocks: 1 });
    expect(postpone(config, run.state, MON(9, 50)).ok).toBe(true);
  });

  it('postponing a break that has started returns to focus, then brings back the same break', () => {
    const config = makeConfig({ longBreakEvery: 1 });
    const run = runFrom(must(start(config, initialFocusState(MON(9)), MON(9))), MON(9));
    runUntil(config, run, MON(9, 26));
    expect(run.state).toMatchObject({ phase: 'longBreak' });
    apply(run, must(postpone(config, run.state, MON(9, 26))), MON(9, 26));
    expect(run.state).toMatchObject({ phase: 'focus', endsAt: MON(9, 31), extension: true });
    expect(run.records.at(-1)).toEqual({
      phase: 'longBreak',
      start: MON(9, 25),
      end: MON(9, 26),
      outcome: 'postponed',
    });
    runUntil(config, run, MON(9, 32));
    expect(run.events.map(describeEvent).slice(-2)).toEqual([
      '09:30 breakNotice longBreak',
      '09:31 breakStart longBreak',
    ]);
    // The extension did not count as another focus block.
    expect(run.state).toMatchObject({
      phase: 'longBreak',
      completedFocusBlocks: 1,
      endsAt: MON(9, 46),
    });
  });

  it('refuses postponing when the limit is 0 or there is no break to postpone', () => {
    const config = makeConfig({ maxPostpones: 0 });
    const running = must(start(config, initialFocusState(MON(9)), MON(9))).state;
    expect(postpone(config, running, MON(9, 10))).toMatchObject({
      ok: false,
      error: {
        code: 'postpone-limit',
        message: 'Breaks cannot be postponed with your settings; take it or skip it.',
      },
    });
    expect(postpone(config, initialFocusState(MON(9)), MON(9))).toMatchObject({
      ok: false,
      error: { code: 'nothing-to-postpone' },
    });
  });

  it('skipping a running break starts focus at once and logs the skip', () => {
    const config = makeConfig();
    const run = runFrom(must(start(config, initialFocusState(MON(9)), MON(9))), MON(9));
    runUntil(config, run, MON(9, 26));
    apply(run, must(skip(config, run.state, MON(9, 26))), MON(9, 26));
    expect(run.state).toMatchObject({ phase: 'focus', startedAt: MON(9, 26), endsAt: MON(9, 51) });
    expect(run.records.at(-1)).toEqual({
      phase: 'shortBreak',
      start: MON(9, 25),
      end: MON(9, 26),
      outcome: 'skipped',
    });
    expect(skip(config, initialFocusState(MON(9)), MON(9))).toMatchObject({
      ok: false,
      error: { code: 'nothing-to-skip' },
    });
  });

  it('skipping during focus skips the coming break silently and keeps a skipped long break due', () => {
    const config = makeConfig({ longBreakEvery: 1 });
    const run = runFrom(must(start(config, initialFocusState(MON(9)), MON(9))), MON(9));
    apply(run, must(skip(config, run.state, MON(9, 10))), MON(9, 10));
    runUntil(config, run, MON(9, 50));
    // No notice or break events for the skipped break; the next block's break is long again.
    expect(run.events.map(describeEvent)).toEqual([
      '09:49 breakNotice longBreak',
      '09:50 breakStart longBreak',
    ]);
    expect(run.records).toEqual([
      { phase: 'focus', start: MON(9), end: MON(9, 25), outcome: 'completed' },
      { phase: 'longBreak', start: MON(9, 25), end: MON(9, 25), outcome: 'skipped' },
      { phase: 'focus', start: MON(9, 25), end: MON(9, 50), outcome: 'completed' },
    ]);
  });
});

describe('pause', () => {
  it('pauses and resumes with the remaining time kept', () => {
    const config = makeConfig();
    const run = runFrom(must(start(config, initialFocusState(MON(9)), MON(9))), MON(9));
    apply(run, must(pause(config, run.state, MON(9, 10))), MON(9, 10));
    expect(run.state).toMatchObject({ phase: 'paused', until: null });
    expect(remainingMs(run.state, MON(11))).toBe(15 * MIN);
    expect(advance(config, run.state, MON(11)).nextEventAt).toBeNull();
    apply(run, must(resume(config, run.state, MON(11))), MON(11));
    expect(run.state).toMatchObject({ phase: 'focus', endsAt: MON(11, 15), noticeAt: MON(11, 14) });
    expect(resume(config, run.state, MON(11))).toMatchObject({
      ok: false,
      error: { code: 'not-paused' },
    });
    expect(run.records).toEqual([
      { phase: 'focus', start: MON(9), end: MON(9, 10), outcome: 'interrupted' },
    ]);
  });

  it.each([
    ['30 min', 30 * MIN],
    ['1 h', HOUR],
    ['2 h', 2 * HOUR],
  ])('pauses for %s and resumes by itself with one pauseEnded event', (_label, duration) => {
    const config = makeConfig();
    const run = runFrom(must(start(config, initialFocusState(MON(9)), MON(9))), MON(9));
    apply(run, must(pauseFor(config, run.state, duration, MON(9, 10))), MON(9, 10));
    expect(advance(config, run.state, MON(9, 10)).nextEventAt).toBe(MON(9, 10) + duration);
    runUntil(config, run, MON(9, 10) + duration + 5 * MIN);
    expect(run.events).toEqual([
      {
        type: 'pauseEnded',
        at: MON(9, 10) + duration,
        resumed: 'focus',
        endsAt: MON(9, 25) + duration,
      },
    ]);
    expect(run.state).toMatchObject({ phase: 'focus', endsAt: MON(9, 25) + duration });
  });

  it('pauses until the next working day, skipping the weekend, and starts a fresh cycle', () => {
    const config = makeConfig();
    const friday = (h: number, m = 0) => day(4, h, m);
    const run = runFrom(must(start(config, initialFocusState(friday(9)), friday(9))), friday(9));
    runUntil(config, run, friday(10, 40));
    expect(run.state).toMatchObject({ phase: 'focus', completedFocusBlocks: 3 });
    apply(run, must(pauseFor(config, run.state, 'until-tomorrow', friday(10, 40))), friday(10, 40));
    const monday = day(7, 9);
    expect(advance(config, run.state, friday(12)).nextEventAt).toBe(monday);
    runUntil(config, run, monday + MIN);
    expect(run.events.filter((e) => e.at > friday(10, 40))).toEqual([
      { type: 'pauseEnded', at: monday, resumed: 'focus', endsAt: monday + 25 * MIN },
    ]);
    expect(run.state).toMatchObject({ phase: 'focus', completedFocusBlocks: 0 });
  });

  it('without working hours, "until tomorrow" ends quietly at local midnight with the timer waiting', () => {
    const config = makeConfig({ workingHours: null });
    const running = must(start(config, initialFocusState(MON(22)), MON(22))).state;
    const paused = must(pauseFor(config, running, 'until-tomorrow', MON(22, 10)));
    expect(paused.nextEventAt).toBe(day(1, 0));
    const midnight = advance(config, paused.state, day(1, 0));
    expect(midnight.events).toEqual([]);
    expect(midnight.state).toMatchObject({
      phase: 'idle',
      waitingFor: null,
      completedFocusBlocks: 0,
    });
    expect(midnight.nextEventAt).toBeNull();
  });

  it('choosing another pause length while paused moves the end of the pause', () => {
    const config = makeConfig();
    const running = must(start(config, initialFocusState(MON(9)), MON(9))).state;
    const paused = must(pause(config, running, MON(9, 10))).state;
    const timed = must(pauseFor(config, paused, HOUR, MON(9, 20)));
    expect(timed.nextEventAt).toBe(MON(10, 20));
    expect(remainingMs(timed.state, MON(9, 20))).toBe(15 * MIN);
  });

  it('a timed pause that ends outside working hours waits for them quietly', () => {
    const config = makeConfig();
    const run = runFrom(must(start(config, initialFocusState(MON(17)), MON(17))), MON(17));
    apply(run, must(pauseFor(config, run.state, HOUR, MON(17, 5))), MON(17, 5));
    runUntil(config, run, day(1, 9, 1));
    expect(run.events.map(describeEvent)).toEqual(['09:00 workingHoursStarted']);
    expect(run.state).toMatchObject({ phase: 'focus', startedAt: day(1, 9) });
  });

  it('refuses a pause of no length and a pause with nothing running', () => {
    const config = makeConfig();
    const running = must(start(config, initialFocusState(MON(9)), MON(9))).state;
    expect(pauseFor(config, running, 0, MON(9, 1))).toMatchObject({
      ok: false,
      error: { code: 'invalid-argument', message: 'A pause must last more than 0 minutes.' },
    });
    expect(pauseFor(config, running, -5, MON(9, 1)).ok).toBe(false);
    expect(pause(config, initialFocusState(MON(9)), MON(9))).toMatchObject({
      ok: false,
      error: { code: 'not-running' },
    });
  });
});

describe('idle', () => {
  it('does nothing before the idle threshold', () => {
    const config = makeConfig();
    const running = must(start(config, initialFocusState(MON(9)), MON(9))).state;
    const t = reportIdle(config, running, MON(9, 6), MON(9, 10));
    expect(t.state).toMatchObject({ phase: 'focus', startedAt: MON(9), endsAt: MON(9, 25) });
    expect(t.records).toEqual([]);
  });

  it('pauses as of when the person left, and resumes the block after a short absence', () => {
    const config = makeConfig();
    const running = must(start(config, initialFocusState(MON(9)), MON(9))).state;
    const idle = reportIdle(config, running, MON(9, 5), MON(9, 10));
    expect(idle.state).toMatchObject({ phase: 'paused', reason: 'idle', pausedAt: MON(9, 5) });
    expect(idle.records).toEqual([
      { phase: 'focus', start: MON(9), end: MON(9, 5), outcome: 'interrupted' },
    ]);
    expect(idle.nextEventAt).toBeNull();
    expect(focusStatus(config, idle.state, MON(9, 10))).toEqual({ kind: 'paused' });

    // Back after 4 minutes away: shorter than a break, so the block carries on with 20 min left.
    const back = reportActive(config, idle.state, MON(9, 9));
    expect(back.state).toMatchObject({ phase: 'focus', endsAt: MON(9, 29) });
    expect(back.events).toEqual([
      { type: 'pauseEnded', at: MON(9, 9), resumed: 'focus', endsAt: MON(9, 29) },
    ]);
  });

  it('counts an absence at least a break long as the break taken', () => {
    const config = makeConfig();
    const running = must(start(config, initialFocusState(MON(9)), MON(9))).state;
    const idle = reportIdle(config, running, MON(9, 5), MON(9, 10));
    const back = reportActive(config, idle.state, MON(9, 12));
    expect(back.events).toEqual([
      { type: 'breakEnd', at: MON(9, 12), started: true, focusEndsAt: MON(9, 37), away: true },
    ]);
    expect(back.records).toEqual([
      { phase: 'shortBreak', start: MON(9, 5), end: MON(9, 12), outcome: 'completed', away: true },
    ]);
    expect(back.state).toMatchObject({
      phase: 'focus',
      startedAt: MON(9, 12),
      completedFocusBlocks: 0,
    });

    // Away for a long break's length resets the cycle.
    const late = reportActive(config, { ...idle.state, completedFocusBlocks: 3 }, MON(9, 30));
    expect(late.records[0]).toMatchObject({ phase: 'longBreak', away: true });
    expect(late.state).toMatchObject({ completedFocusBlocks: 0 });
  });

  it('lets a break run on while the person is idle', () => {
    const config = makeConfig();
    const run = runFrom(must(start(config, initialFocusState(MON(9)), MON(9))), MON(9));
    runUntil(config, run, MON(9, 26));
    const t = reportIdle(config, run.state, MON(9, 20), MON(9, 27));
    expect(t.state.phase).toBe('shortBreak');
    expect(t.nextEventAt).toBe(MON(9, 30));
  });
});

describe('reset and status', () => {
  it('reset logs the running stretch and forgets the cycle', () => {
    const config = makeConfig();
    const run = runFrom(must(start(config, initialFocusState(MON(9)), MON(9))), MON(9));
    runUntil(config, run, MON(10, 10));
    const t = reset(config, run.state, MON(10, 10));
    expect(t.state).toEqual(initialFocusState(MON(10, 10)));
    expect(t.records).toEqual([
      { phase: 'focus', start: MON(10), end: MON(10, 10), outcome: 'interrupted' },
    ]);
    expect(t.nextEventAt).toBeNull();
  });

  it('summarises the state for teammates', () => {
    const config = makeConfig();
    const idle = initialFocusState(MON(9));
    expect(focusStatus(config, idle, MON(9))).toEqual({ kind: 'idle' });
    expect(focusStatus(config, idle, MON(20))).toEqual({ kind: 'outside-hours', until: day(1, 9) });
    const running = must(start(config, idle, MON(14, 5))).state;
    expect(focusStatus(config, running, MON(14, 10))).toEqual({
      kind: 'focus',
      until: MON(14, 30),
    });
    // Pure: a stale state is advanced on the fly.
    expect(focusStatus(config, running, MON(14, 31))).toEqual({
      kind: 'break',
      until: MON(14, 35),
    });
    const paused = must(pauseFor(config, running, 30 * MIN, MON(14, 10))).state;
    expect(focusStatus(config, paused, MON(14, 20))).toEqual({
      kind: 'paused',
      until: MON(14, 40),
    });
    // A person can always start focus: outside working hours the block runs all the same.
    const evening = must(start(config, idle, MON(19))).state;
    expect(evening.phase).toBe('focus');
    expect(focusStatus(config, evening, MON(19))).toEqual({ kind: 'focus', until: MON(19, 25) });
  });

  it('refuses to start a running timer and resumes a paused one on start', () => {
    const config = makeConfig();
    const running = must(start(config, initialFocusState(MON(9)), MON(9))).state;
    expect(start(config, running, MON(9, 1))).toMatchObject({
      ok: false,
      error: { code: 'already-running' },
    });
    const paused = must(pause(config, running, MON(9, 5))).state;
    expect(must(start(config, paused, MON(9, 8))).state).toMatchObject({
      phase: 'focus',
      endsAt: MON(9, 28),
    });
  });
});

describe('a person can always start focus', () => {
  it('starts a block before working hours, runs its break, and the day ends as usual', () => {
    const config = makeConfig(); // Mon–Fri 09:00–17:30 Berlin
    const early = must(start(config, initialFocusState(MON(7)), MON(7)));
    expect(early.state).toMatchObject({ phase: 'focus', endsAt: MON(7, 25) });
    expect(early.nextEventAt).toBe(MON(7, 24)); // the break notice, not a wait for 09:00
    const run = runFrom(early, MON(7));
    runUntil(config, run, MON(18));
    expect(run.events.slice(0, 3).map(describeEvent)).toEqual([
      '07:24 breakNotice shortBreak',
      '07:25 breakStart shortBreak',
      '07:30 breakEnd',
    ]);
    expect(run.events.at(-1)).toMatchObject({ type: 'workingHoursEnded', at: MON(17, 30) });
    expect(run.state.phase).toBe('outsideWorkingHours');
  });

  it('starts at once after the timer stopped for the evening, and after a pause', () => {
    const config = makeConfig();
    const day1 = runFrom(must(start(config, initialFocusState(MON(17)), MON(17))), MON(17));
    runUntil(config, day1, MON(19));
    expect(day1.state.phase).toBe('outsideWorkingHours');
    const evening = must(start(config, day1.state, MON(19)));
    expect(evening.state).toMatchObject({ phase: 'focus', startedAt: MON(19) });
    const paused = must(pause(config, evening.state, MON(19, 10))).state;
    const resumed = must(resume(config, paused, MON(19, 40))).state;
    expect(resumed).toMatchObject({ phase: 'focus', endsAt: MON(19, 55) });
    expect(must(skip(config, resumed, MON(19, 41))).state.phase).toBe('focus');
  });
});

describe('strict breaks', () => {
  it('refuse postpone and skip with a sentence, before and during the break', () => {
    const config = makeConfig({ strictBreaks: true });
    const focus = must(start(config, initialFocusState(MON(9)), MON(9))).state;
    for (const action of [postpone, skip]) {
      expect(action(config, focus, MON(9, 20))).toMatchObject({
        ok: false,
        error: { code: 'strict-breaks', message: expect.stringContaining('Strict breaks are on') },
      });
    }
    const onBreak = advance(config, focus, MON(9, 26)).state;
    expect(onBreak.phase).toBe('shortBreak');
    expect(postpone(config, onBreak, MON(9, 27))).toMatchObject({ ok: false });
    expect(skip(config, onBreak, MON(9, 27))).toMatchObject({ ok: false });
    // Off again, the same break can be put off.
    expect(postpone(makeConfig(), onBreak, MON(9, 27))).toMatchObject({ ok: true });
  });
});
