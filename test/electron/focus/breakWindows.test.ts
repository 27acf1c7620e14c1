/**
 * Break windows on the desktop, as the running app makes them: startOutpost with the fake
 * Electron surface (two displays) and a fake clock; the focus service, its file and the IPC
 * dispatch run for real. A break opens an always-on-top window on each display, its links
 * postpone or skip the break, strict breaks offer neither, and the windows close when the break
 * is over.
 */
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { appPathsFrom, startOutpost, type OutpostInstance } from '../../../electron/main/app';
import { createFakeElectron, FakeEvent, type FakeWindow } from '../fakeElectron';
import { useTmpDir } from '../tmpDir';
import { FakeClock } from './fakeClock';

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
/** Monday 7 December 2026, 10:00 UTC. */
const START = Date.UTC(2026, 11, 7, 10, 0);
const paths = appPathsFrom(path.resolve('/opt/Outpost/app/out/main'), null);
const DISPLAYS = [
  { x: 0, y: 0, width: 1920, height: 1040 },
  { x: 1920, y: 0, width: 2560, height: 1400 },
];

async function launch(settings: Record<string, unknown> = {}) {
  const userData = await makeTmpDir();
  const clock = new FakeClock(START);
  const fake = createFakeElectron({ userData, now: clock.now, workAreas: DISPLAYS });
  const instance = await startOutpost(fake.surface, {
    paths,
    platform: 'linux',
    windowStateDebounceMs: 60_000,
    clock,
    idlePollMs: 15_000,
  });
  if (!instance) throw new Error('Outpost did not start');
  running.push(instance);
  const saved = await instance.focus.updateConfig({
    config: { timeZone: 'UTC', workingHours: null, ...settings },
  });
  expect(saved.saved).toBe(true);
  const appWindow = fake.windows[0]!;
  /** The break windows open now: every window but the app's that is not closed. */
  const breakWindows = () => fake.windows.filter((w) => w !== appWindow && !w.destroyed);
  return { clock, fake, instance, breakWindows };
}

/** The page a break window shows, decoded from its data: URL. */
function pageOf(window: FakeWindow): string {
  const url = window.loaded.at(-1)?.target ?? '';
  return decodeURIComponent(url.replace(/^data:text\/html;charset=utf-8,/, ''));
}

/** A click on one of the page's links, as Electron reports it before navigating. */
function follow(window: FakeWindow, url: string): boolean {
  const event = new FakeEvent();
  window.webContents.emit('will-navigate', event, url);
  return event.defaultPrevented;
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('break windows on every display', () => {
  it('open always on top on each display at the break, and Postpone and Skip work', async () => {
    const { clock, instance, breakWindows } = await launch();
    expect((await instance.focus.act({ type: 'start' })).ok).toBe(true);
    clock.advanceTo(START + 24 * MIN);
    expect(breakWindows()).toEqual([]);

    clock.advanceTo(START + 25 * MIN);
    await settle();
    const windows = breakWindows();
    expect(windows).toHaveLength(2);
    expect(windows.map((w) => w.bounds)).toEqual(DISPLAYS);
    for (const window of windows) {
      expect(window.options).toMatchObject({ alwaysOnTop: true, frame: false, skipTaskbar: true });
      expect(window.options.webPreferences).toMatchObject({
        sandbox: true,
        contextIsolation: true,
        nodeIntegration: false,
        javascript: false,
      });
      expect(window.options.webPreferences?.preload).toBeUndefined();
      expect(window.visible).toBe(true);
    }
    const page = pageOf(windows[0]!);
    expect(page).toContain('<h1>Short break</h1>');
    expect(page).toContain('until 10:30');
    expect(page).toContain('Postpone 5 minutes');
    expect(page).toContain('Skip break');

    // Postpone from the second display: focus goes on for 5 minutes, every break window closes.
    expect(follow(windows[1]!, 'https://break.outpost.invalid/postpone')).toBe(true);
    await settle();
    expect(instance.focus.snapshot().state).toMatchObject({
      phase: 'focus',
      endsAt: START + 30 * MIN,
    });
    expect(breakWindows()).toEqual([]);

    // Back at 10:30; Skip ends the break and the windows go again.
    clock.advanceTo(START + 30 * MIN);
    await settle();
    expect(breakWindows()).toHaveLength(2);
    // Any other navigation is refused and does nothing.
    expect(follow(breakWindows()[0]!, 'https://example.com/')).toBe(true);
    expect(instance.focus.snapshot().state.phase).toBe('shortBreak');
    follow(breakWindows()[0]!, 'https://break.outpost.invalid/skip');
    await settle();
    expect(instance.focus.snapshot().state.phase).toBe('focus');
    expect(breakWindows()).toEqual([]);
  });

  it('offer neither link with strict breaks, and close by themselves when the break ends', async () => {
    const { clock, instance, breakWindows } = await launch({ strictBreaks: true });
    await instance.focus.act({ type: 'start' });
    clock.advanceTo(START + 25 * MIN);
    await settle();
    const page = pageOf(breakWindows()[0]!);
    expect(page).toContain('Strict breaks are on');
    expect(page).not.toContain('Postpone');
    expect(page).not.toContain('Skip');
    // A crafted navigation is refused by the service too: the break goes on.
    follow(breakWindows()[0]!, 'https://break.outpost.invalid/skip');
    await settle();
    expect(instance.focus.snapshot().state.phase).toBe('shortBreak');

    clock.advanceTo(START + 30 * MIN);
    await settle();
    expect(instance.focus.snapshot().state.phase).toBe('focus');
    expect(breakWindows()).toEqual([]);
  });

  it('stay away when the break screen is turned off', async () => {
    const { clock, instance, breakWindows } = await launch();
    await instance.focus.updateConfig({ preferences: { breakScreen: false } });
    await instance.focus.act({ type: 'start' });
    clock.advanceTo(START + 25 * MIN);
    await settle();
    expect(instance.focus.snapshot().state.phase).toBe('shortBreak');
    expect(breakWindows()).toEqual([]);
  });
});
