// @vitest-environment happy-dom
/**
 * The page's focus store against the real focus service (a temporary file, a fake clock), with
 * only window.outpost between them faked: action answers come back when the test lets them, as a
 * fetch can in web mode while server-sent pushes keep arriving. An answer that arrives after a
 * newer push must not bring back the older state (seen in focusNomad.test.ts: a postponed break's
 * answer arrived after the next break's push, and the break screen vanished mid-break).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FakeClock } from '../../electron/focus/fakeClock';
import { createFocusService, type FocusService } from '../../../electron/main/focus/focusService';
import type { OutpostApi } from '../../../shared/ipc/contract';
import type { FocusChanged } from '../../../shared/ipc/focusContract';
import { ok } from '../../../shared/result';

const MIN = 60_000;
/** Monday 7 December 2026, 10:00 UTC: inside the default working hours. */
const START = Date.UTC(2026, 11, 7, 10, 0);

let dir: string;
let service: FocusService | undefined;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'outpost-focus-store-'));
});
afterEach(async () => {
  // A save may still be writing the file (the service saves after each change): wait for it, or
  // the folder is removed under it (ENOTEMPTY, seen under load).
  service?.close();
  await service?.flush();
  service = undefined;
  await rm(dir, { recursive: true, force: true });
});

/** A running service on the file, with a fake clock starting at `at`. */
async function runService(at: number) {
  const clock = new FakeClock(at);
  const running = await createFocusService({
    filePath: path.join(dir, 'focus.json'),
    now: clock.now,
    timers: clock.timers,
    defaultTimeZone: 'UTC',
  });
  return { clock, running };
}

/**
 * The service, and a page API whose action answers wait until `release()`. `restart()` replaces
 * the service with a new run on the same file, as a restarted main process; the page stays.
 */
async function setUp() {
  let { clock, running } = await runService(START);
  service = running;
  const listeners = new Set<(change: FocusChanged) => void>();
  const forward = (change: FocusChanged) => listeners.forEach((listener) => listener(change));
  running.subscribe(forward);
  const held: (() => void)[] = [];
  const api = {
    invoke: async (channel: string, input: unknown) => {
      if (channel === 'focus:getState') return ok(running.snapshot());
      if (channel === 'focus:stats') return ok({ records: [], truncated: false });
      if (channel === 'focus:act') {
        const answer = await running.act(input as Parameters<FocusService['act']>[0]);
        await new Promise<void>((resolve) => held.push(resolve));
        return answer;
      }
      throw new Error(`Unexpected call ${channel}`);
    },
    on: (_event: string, listener: (change: FocusChanged) => void) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  } as unknown as OutpostApi;
  (window as unknown as { outpost: OutpostApi }).outpost = api;
  vi.resetModules();
  const { useFocusStore } = await import('../../../renderer/features/focus/focusStore');
  await useFocusStore.getState().connect('electron');
  const page = {
    useFocusStore,
    held,
    get clock() {
      return clock;
    },
    state: () => useFocusStore.getState().snapshot!.state,
    async release() {
      for (const resolve of held.splice(0)) resolve();
      await vi.waitFor(() => expect(held).toEqual([]));
    },
    async act(action: Parameters<FocusService['act']>[0]) {
      const answer = useFocusStore.getState().act(action);
      await vi.waitFor(() => expect(held.length).toBe(1));
      await page.release();
      return answer;
    },
    async restart(at: number) {
      running.close();
      await running.flush();
      ({ clock, running } = await runService(at));
      service = running;
      running.subscribe(forward);
    },
  };
  return page;
}

describe('the focus store', () => {
  it('keeps a newer push over an action answer that arrives after it', async () => {
    const page = await setUp();
    await page.act({ type: 'start' });
    expect(page.state().phase).toBe('focus');

    // 10:25: the break. The person postpones it; the answer is held back.
    page.clock.advanceTo(START + 25 * MIN);
    expect(page.state().phase).toBe('shortBreak');
    const postponed = page.useFocusStore.getState().act({ type: 'postpone' });
    await vi.waitFor(() => expect(page.held.length).toBe(1));
    expect(page.state()).toMatchObject({ phase: 'focus', postponesUsed: 1 });

    // 10:30: the postponed break comes, pushed before the postpone's answer arrives.
    page.clock.advanceTo(START + 30 * MIN);
    expect(page.state()).toMatchObject({ phase: 'shortBreak', postponesUsed: 1 });
    await page.release();
    expect((await postponed).ok).toBe(true);
    // The late answer (focus until 10:30) does not replace the break that is on.
    expect(page.state()).toMatchObject({ phase: 'shortBreak', postponesUsed: 1 });
  });

  it('follows a restarted service although its count starts again', async () => {
    const page = await setUp();
    await page.act({ type: 'start' });
    page.clock.advanceTo(START + 25 * MIN);
    const before = page.useFocusStore.getState().snapshot!;
    expect(before.state.phase).toBe('shortBreak');
    expect(before.revision).toBeGreaterThan(1);

    // The main process restarts (the page stays); its pushes count from the start again.
    await page.restart(START + 40 * MIN);
    await page.act({ type: 'reset' });
    const after = page.useFocusStore.getState().snapshot!;
    expect(after.service).not.toBe(before.service);
    expect(after.revision).toBeLessThan(before.revision);
    expect(after.state.phase).toBe('idle');
  });
});
