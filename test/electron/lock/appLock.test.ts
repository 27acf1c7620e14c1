/**
 * The app lock's main-process part, as the running app wires it: startOutpost with the fake
 * Electron surface (notifications, powerMonitor, systemPreferences) and a fake clock; the IPC
 * dispatch, the focus service and its notifications run for real.
 */
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { appPathsFrom, startOutpost, type OutpostInstance } from '../../../electron/main/app';
import { TOUCH_ID_REASON } from '../../../electron/main/lock/appLock';
import { LOCKED_NOTICE } from '../../../shared/ipc/lockContract';
import { createFakeElectron } from '../fakeElectron';
import { FakeClock } from '../focus/fakeClock';
import { useTmpDir } from '../tmpDir';

const makeTmpDir = useTmpDir();
const running: OutpostInstance[] = [];
afterEach(async () => {
  for (const instance of running.splice(0)) {
    instance.focus.close();
    await instance.focus.flush();
    await instance.windowState.flush();
    await instance.syncNetwork.close();
  }
});

const paths = appPathsFrom(path.resolve('/opt/Outpost/app/out/main'), null);
// A Monday 09:00 in UTC, inside the focus timer's default working hours.
const MONDAY_NINE = Date.UTC(2024, 5, 10, 9, 0);

async function launch(platform: NodeJS.Platform = 'linux') {
  const clock = new FakeClock(MONDAY_NINE);
  const fake = createFakeElectron({ userData: await makeTmpDir(), now: clock.now });
  const instance = await startOutpost(fake.surface, {
    paths,
    platform,
    windowStateDebounceMs: 60_000,
    clock,
    syncNetwork: { host: '127.0.0.1', port: 0, discovery: false },
  });
  if (!instance) throw new Error('Outpost did not start');
  running.push(instance);
  const window = fake.windows[0]!;
  const sender = { sender: window.webContents, senderFrame: window.webContents.mainFrame };
  const invoke = (channel: string, input?: unknown) =>
    fake.ipcMain.invoke(channel, sender, input) as Promise<{
      ok: boolean;
      value?: unknown;
      error?: { code: string; message: string };
    }>;
  return { clock, fake, window, invoke };
}

describe('the app lock in the main process', () => {
  it('shows focus reminders without their content while the page is locked, and with it again after', async () => {
    const { clock, fake, invoke } = await launch();
    await invoke('focus:updateConfig', { config: { timeZone: 'UTC', breakNoticeSeconds: 60 } });
    expect((await invoke('focus:act', { type: 'start' })).ok).toBe(true);
    expect(await invoke('lock:setLocked', { locked: true })).toEqual({ ok: true, value: null });

    // The break notice of a 25-minute focus block comes a minute before it ends.
    clock.advanceBy(24 * 60_000 + 1_000);
    const whileLocked = fake.notifications.map((notice) => notice.options);
    expect(whileLocked.length).toBeGreaterThan(0);
    for (const options of whileLocked) {
      expect(options.title).toBe(LOCKED_NOTICE.title);
      expect(options.body).toBe(LOCKED_NOTICE.body);
    }

    await invoke('lock:setLocked', { locked: false });
    fake.notifications.splice(0);
    clock.advanceBy(60_000);
    expect(fake.notifications.length).toBeGreaterThan(0);
    expect(fake.notifications[0]!.options.title).not.toBe(LOCKED_NOTICE.title);
  });

  it('tells the page when the system sleeps or locks its screen', async () => {
    const { fake, window } = await launch();
    fake.powerMonitor.emit('lock-screen');
    fake.powerMonitor.emit('suspend');
    expect(
      window.webContents.sent
        .filter((message) => message.channel === 'lock:systemLocked')
        .map((message) => message.args[0]),
    ).toEqual([{ reason: 'lock-screen' }, { reason: 'suspend' }]);
  });

  it('asks Touch ID on macOS where it can prompt, and says when it refused', async () => {
    const { fake, invoke } = await launch('darwin');
    fake.systemPreferences.available = true;
    expect(await invoke('lock:osAvailable')).toEqual({ ok: true, value: { available: true } });
    expect(await invoke('lock:osUnlock')).toEqual({ ok: true, value: { outcome: 'unlocked' } });
    fake.systemPreferences.answer = 'refuse';
    const refused = await invoke('lock:osUnlock');
    expect(refused.value).toMatchObject({ outcome: 'refused', message: /Touch ID did not/ });
    expect(fake.systemPreferences.prompts).toEqual([TOUCH_ID_REASON, TOUCH_ID_REASON]);
  });

  it('offers no OS check elsewhere, even where a Touch ID prompt would answer', async () => {
    const { fake, invoke } = await launch('linux');
    fake.systemPreferences.available = true;
    expect(await invoke('lock:osAvailable')).toEqual({ ok: true, value: { available: false } });
    const answer = await invoke('lock:osUnlock');
    expect(answer.value).toMatchObject({ outcome: 'unavailable' });
    expect(fake.systemPreferences.prompts).toEqual([]);
  });

  it('refuses a lock state that is not a boolean', async () => {
    const { invoke } = await launch();
    const answer = await invoke('lock:setLocked', { locked: 'yes' });
    expect(answer.ok).toBe(false);
  });
});
