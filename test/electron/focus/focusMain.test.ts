/**
 * The focus timer in the main process, as the running app does it: startOutpost with a fake
 * Electron surface (notifications, tray, powerMonitor) and a fake clock; the focus service, its
 * file, the IPC dispatch and the engine run for real.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { appPathsFrom, startOutpost, type OutpostInstance } from '../../../electron/main/app';
import {
  initialFocusState,
  isWithinWorkingHours,
  parseFocusConfig,
  reminderFor,
  start as startEngine,
  type FocusConfig,
} from '../../../shared/focus';
import type { FocusSnapshot } from '../../../shared/ipc/focusContract';
import { runFrom, runUntil } from '../../shared/focus/fakeClock';
import { createFakeElectron, type FakeElectron } from '../fakeElectron';
import { useTmpDir } from '../tmpDir';
import { FakeClock } from './fakeClock';
import { TRAY_NOTICE } from '../../../electron/main/trayNotice';

const makeTmpDir = useTmpDir();
const running: OutpostInstance[] = [];
afterEach(async () => {
  for (const instance of running.splice(0)) {
    instance.focus.close();
    await instance.focus.flush();
    await instance.windowState.flush();
  }
});

const MIN = 60_000;
const HOUR = 60 * MIN;
const ZONE = 'Europe/Berlin';
// Monday 10 June 2024 in Berlin is CEST (UTC+2): local h:m is Date.UTC(…, h - 2, m).
const MON = (h: number, m = 0, s = 0) => Date.UTC(2024, 5, 10, h - 2, m, s);
const TUE = (h: number, m = 0) => Date.UTC(2024, 5, 11, h - 2, m);
const paths = appPathsFrom(path.resolve('/opt/Outpost/app/out/main'), null);

const SETTINGS = {
  timeZone: ZONE,
  focusMinutes: 25,
  shortBreakMinutes: 5,
  longBreakMinutes: 15,
  longBreakEvery: 4,
  breakNoticeSeconds: 60,
  microBreaks: null,
  idleMinutes: 5,
  autoStartNextPhase: true,
  workingHours: {
    mon: [{ start: '09:00', end: '17:30' }],
    tue: [{ start: '09:00', end: '17:30' }],
    wed: [{ start: '09:00', end: '17:30' }],
    thu: [{ start: '09:00', end: '17:30' }],
    fri: [{ start: '09:00', end: '17:30' }],
    sat: [],
    sun: [],
  },
};

function configOf(settings: Record<string, unknown>): FocusConfig {
  const parsed = parseFocusConfig(settings);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.value;
}

async function launch(options: {
  at: number;
  userData?: string;
  platform?: NodeJS.Platform;
  settings?: Record<string, unknown>;
  prepare?: (userData: string) => Promise<void>;
}) {
  const userData = options.userData ?? (await makeTmpDir());
  await options.prepare?.(userData);
  const clock = new FakeClock(options.at);
  const fake: FakeElectron = createFakeElectron({ userData, now: clock.now });
  const instance = await startOutpost(fake.surface, {
    paths,
    platform: options.platform ?? 'linux',
    windowStateDebounceMs: 60_000,
    clock,
    idlePollMs: 15_000,
  });
  if (!instance) throw new Error('Outpost did not start');
  running.push(instance);
  const window = fake.windows[0]!;
  const sender = { sender: window.webContents, senderFrame: window.webContents.mainFrame };
  const invoke = async (channel: string, input?: unknown) => {
    const result = (await fake.ipcMain.invoke(channel, sender, input)) as {
      ok: boolean;
      value?: unknown;
      error?: { code: string; message: string };
    };
    if (!result.ok) throw new Error(`${channel}: ${result.error?.message}`);
    return result.value;
  };
  if (options.settings) {
    const saved = (await invoke('focus:updateConfig', { config: options.settings })) as {
      saved: boolean;
    };
    expect(saved.saved).toBe(true);
  }
  const pushed = () =>
    window.webContents.sent
      .filter((message) => message.channel === 'focus:changed')
      .map((message) => message.args[0] as { snapshot: FocusSnapshot; events: { type: string }[] });
  return { clock, fake, instance, window, invoke, userData, pushed };
}

const shownOf = (fake: FakeElectron) =>
  fake.notifications.map((notification) => ({
    at: notification.shownAt,
    title: notification.options.title,
  }));

describe('focus in the main process', () => {
  it('notifies at exactly the engine’s event times while the window is hidden in the tray', async () => {
    const { clock, fake, window, invoke, pushed } = await launch({
      at: MON(9),
      settings: SETTINGS,
    });
    // Closing the window hides it to the tray; the page is not there to run any timer.
    expect(window.close().defaultPrevented).toBe(true);
    expect(window.visible).toBe(false);
    // The first close on a device explains the tray once (electron/main/trayNotice.ts); only the
    // focus reminders after it are counted here.
    expect(fake.notifications.map((notification) => notification.options.title)).toEqual([
      TRAY_NOTICE.title,
    ]);
    fake.notifications.splice(0);

    await invoke('focus:act', { type: 'start' });
    clock.advanceTo(MON(12));

    // The same day, computed by the pure engine alone.
    const config = configOf(SETTINGS);
    const run = runFrom(startEngineOrThrow(config, MON(9)), MON(9));
    runUntil(config, run, MON(12));
    const expected = run.events
      .map((event) => ({ at: event.at, reminder: reminderFor(event, ZONE) }))
      .filter((entry) => entry.reminder !== null)
      .map((entry) => ({ at: entry.at, title: entry.reminder!.title }));

    expect(expected.length).toBeGreaterThanOrEqual(12);
    expect(shownOf(fake)).toEqual(expected);
    expect(fake.notifications[0]).toMatchObject({
      shownAt: MON(9, 24),
      options: { title: 'Break coming up', body: expect.stringContaining('09:25') },
    });
    expect(fake.notifications.every((notification) => notification.options.silent === false)).toBe(
      true,
    );
    // The hidden window's page still got every change pushed, ready for when it is shown.
    expect(pushed().flatMap((change) => change.events.map((event) => event.type))).toEqual(
      run.events.map((event) => event.type),
    );
    // The tray follows the phase and the remaining time.
    const tray = fake.trays[0]!;
    expect(tray.toolTip).toMatch(/^Outpost — (Focus|Short break|Long break), \d+ min left$/);
    // A click on a notification brings the window back.
    fake.notifications.at(-1)!.click();
    expect(window.visible).toBe(true);
  });

  it('shows no reminder outside working hours and starts again when they begin', async () => {
    const shortDay = {
      ...SETTINGS,
      workingHours: { ...SETTINGS.workingHours, mon: [{ start: '09:00', end: '10:00' }] },
    };
    const { clock, fake, invoke, instance } = await launch({ at: MON(9), settings: shortDay });
    await invoke('focus:act', { type: 'start' });
    clock.advanceTo(TUE(8, 59));

    const config = configOf(shortDay);
    expect(fake.notifications.length).toBeGreaterThan(0);
    for (const notification of fake.notifications) {
      expect(isWithinWorkingHours(config, notification.shownAt!)).toBe(true);
    }
    expect(Math.max(...fake.notifications.map((n) => n.shownAt!))).toBeLessThan(MON(10));
    expect(instance.focus.snapshot().state.phase).toBe('outsideWorkingHours');
    expect(fake.trays[0]!.toolTip).toBe('Outpost — Outside working hours');

    const before = fake.notifications.length;
    clock.advanceTo(TUE(9, 1));
    expect(shownOf(fake).slice(before)).toEqual([{ at: TUE(9), title: 'Working hours started' }]);
    expect(instance.focus.snapshot().state.phase).toBe('focus');
  });

  it('pauses a focus block when the system has been idle past the threshold', async () => {
    const { clock, fake, instance, invoke } = await launch({ at: MON(9), settings: SETTINGS });
    await invoke('focus:act', { type: 'start' });
    // The person's last input was at 09:10; the system counts idle seconds from then.
    let lastInput = MON(9, 10);
    fake.powerMonitor.getSystemIdleTime = () => Math.floor((clock.now() - lastInput) / 1000);
    clock.advanceTo(MON(9, 14, 59));
    expect(instance.focus.snapshot().state.phase).toBe('focus');
    clock.advanceTo(MON(9, 15, 15));
    const paused = instance.focus.snapshot().state;
    expect(paused).toMatchObject({ phase: 'paused', reason: 'idle' });
    expect(paused.phase === 'paused' && paused.pausedAt).toBe(MON(9, 10));
    expect(fake.trays[0]!.toolTip).toBe('Outpost — Paused, 15 min left');

    // While away, the break notice that was due at 09:24 never comes.
    clock.advanceTo(MON(9, 50));
    expect(fake.notifications).toEqual([]);

    // Back at 09:50, after 40 minutes: long enough to count as a long break; a fresh block starts.
    lastInput = MON(9, 50);
    clock.advanceBy(15_000);
    const back = instance.focus.snapshot().state;
    expect(back.phase).toBe('focus');
    expect(back.phase === 'focus' && back.completedFocusBlocks).toBe(0);
    expect(back.phase === 'focus' && back.startedAt).toBe(MON(9, 50, 15));
    const stats = (await invoke('focus:stats', { since: MON(0) })) as {
      records: { phase: string; outcome: string; away?: boolean }[];
    };
    expect(stats.records).toContainEqual(
      expect.objectContaining({ phase: 'longBreak', outcome: 'completed', away: true }),
    );
  });

  it('never bursts reminders after the laptop slept through several events', async () => {
    const { clock, fake, instance, invoke } = await launch({ at: MON(9), settings: SETTINGS });
    await invoke('focus:act', { type: 'start' });
    clock.advanceTo(MON(9, 5));
    clock.sleep(2 * HOUR);
    fake.powerMonitor.emit('resume');
    clock.advanceBy(1_000);
    expect(fake.notifications.length).toBeLessThanOrEqual(1);
    const state = instance.focus.snapshot().state;
    expect(state.phase).toBe('focus');
    expect(state.phase === 'focus' && state.endsAt).toBeGreaterThan(clock.now());
  });

  it('offers Start break / Postpone buttons on macOS and Windows, and they work', async () => {
    const { clock, fake, instance, invoke } = await launch({
      at: MON(9),
      platform: 'darwin',
      settings: { ...SETTINGS, autoStartNextPhase: false },
    });
    await invoke('focus:act', { type: 'start' });
    clock.advanceTo(MON(9, 24));
    const notice = fake.notifications[0]!;
    expect(notice.options.actions).toEqual([{ type: 'button', text: 'Postpone' }]);
    notice.pressAction('Postpone');
    await instance.focus.flush();
    const postponed = instance.focus.snapshot().state;
    expect(postponed.phase === 'focus' && postponed.endsAt).toBe(MON(9, 30));

    clock.advanceTo(MON(9, 30));
    const due = fake.notifications.at(-1)!;
    expect(due.options.title).toBe('Your short break is due');
    expect(due.options.actions?.map((action) => action.text)).toEqual(['Start break', 'Postpone']);
    due.pressAction('Start break');
    await instance.focus.flush();
    expect(instance.focus.snapshot().state.phase).toBe('shortBreak');
    expect(fake.trays[0]!.title).toBe('Short break 5m');
  });

  it('shows reminders without buttons on Linux, silently when sound is off', async () => {
    const { clock, fake, invoke } = await launch({ at: MON(9), settings: SETTINGS });
    await invoke('focus:updateConfig', { preferences: { sound: false } });
    await invoke('focus:act', { type: 'start' });
    clock.advanceTo(MON(9, 25));
    expect(fake.notifications.map((n) => n.options.title)).toEqual([
      'Break coming up',
      'Time for a short break',
    ]);
    for (const notification of fake.notifications) {
      expect(notification.options.actions).toBeUndefined();
      expect(notification.options.silent).toBe(true);
    }
  });

  it('refuses impossible settings with a message per field and keeps the old ones', async () => {
    const { invoke, instance } = await launch({ at: MON(9), settings: SETTINGS });
    const refused = (await invoke('focus:updateConfig', {
      config: {
        focusMinutes: 0,
        workingHours: { ...SETTINGS.workingHours, mon: [{ start: '17:00', end: '09:00' }] },
      },
    })) as { saved: false; fieldErrors: Record<string, string> };
    expect(refused.saved).toBe(false);
    expect(refused.fieldErrors.focusMinutes).toBe('A focus block must be more than 0 minutes.');
    expect(refused.fieldErrors['workingHours.mon.0.end']).toContain('end before they start');
    expect(instance.focus.snapshot().config.focusMinutes).toBe(25);
    await expect(invoke('focus:act', { type: 'resume' })).rejects.toThrow(
      'The timer is not paused.',
    );
    await expect(invoke('focus:act', { type: 'pauseFor', duration: -5 })).rejects.toThrow(
      /more than 0 minutes/,
    );
  });

  it('keeps the timer, its settings and stats across a restart', async () => {
    const first = await launch({ at: MON(9), settings: { ...SETTINGS, focusMinutes: 50 } });
    await first.invoke('focus:act', { type: 'start' });
    first.clock.advanceTo(MON(10, 10));
    const before = first.instance.focus.snapshot();
    first.fake.app.emit('before-quit');

    const file = JSON.parse(await readFile(path.join(first.userData, 'focus.json'), 'utf8')) as {
      version: number;
    };
    expect(file.version).toBe(1);

    const second = await launch({ at: MON(10, 12), userData: first.userData });
    const after = second.instance.focus.snapshot();
    expect(after.config).toEqual(before.config);
    expect(after.state.phase).toBe(before.state.phase);
    expect(after.state.phase === 'focus' && after.state.endsAt).toBe(
      before.state.phase === 'focus' && before.state.endsAt,
    );
    const stats = (await second.invoke('focus:stats', { since: MON(0) })) as {
      records: unknown[];
    };
    expect(stats.records).toEqual(first.instance.focus.stats(MON(0)).records);
    expect(stats.records.length).toBeGreaterThan(0);
    expect(after.problem).toBeNull();
  });

  it('moves a damaged file aside, tells the person, and keeps the parts that were intact', async () => {
    const { instance, fake, userData, window } = await launch({
      at: MON(9),
      prepare: (dir) =>
        writeFile(
          path.join(dir, 'focus.json'),
          JSON.stringify({
            version: 1,
            config: { ...SETTINGS, focusMinutes: 40 },
            preferences: { sound: false },
            state: { phase: 'focus', endsAt: 'soon' },
            log: [
              { phase: 'focus', start: MON(8), end: MON(8, 40), outcome: 'completed' },
              { phase: 'nap', start: 1, end: 2, outcome: 'completed' },
            ],
          }),
        ),
    });
    const snapshot = instance.focus.snapshot();
    expect(snapshot.config.focusMinutes).toBe(40);
    expect(snapshot.preferences.sound).toBe(false);
    expect(snapshot.state.phase).toBe('idle');
    expect(instance.focus.stats(0).records).toHaveLength(1);
    expect(snapshot.problem).toMatch(/the running timer was damaged/);
    expect(snapshot.problem).toMatch(/1 damaged stats entry was left out/);
    const files = await readdir(userData);
    const aside = files.find((name) => name.startsWith('focus.json.corrupt-'));
    expect(aside).toBeDefined();
    expect(snapshot.problem).toContain(aside);
    // The original bytes are kept as they were.
    expect(await readFile(path.join(userData, aside!), 'utf8')).toContain('"nap"');
    // The window tells the person once it shows.
    window.emit('ready-to-show');
    expect(fake.dialogs[0]?.detail).toContain('focus timer file');

    // Not JSON at all: the same, with defaults.
    const broken = await launch({
      at: MON(9),
      prepare: (dir) => writeFile(path.join(dir, 'focus.json'), '{"version":1,'),
    });
    expect(broken.instance.focus.snapshot().problem).toMatch(/not valid JSON/);
    expect(broken.instance.focus.snapshot().state).toEqual(initialFocusState(MON(9)));
  });
});

function startEngineOrThrow(config: FocusConfig, at: number) {
  const result = startEngine(config, initialFocusState(at), at);
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}
