import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  createWindowStateKeeper,
  DEFAULT_WINDOW_SIZE,
  MIN_WINDOW_SIZE,
  resolveWindowState,
  type DisplayLayout,
  type Rect,
} from '../../../electron/main/windowState';
import { FakeWindow } from '../fakeElectron';
import { useTmpDir } from '../tmpDir';

const makeTmpDir = useTmpDir();

const laptop: Rect = { x: 0, y: 0, width: 1920, height: 1040 };
const rightMonitor: Rect = { x: 1920, y: 0, width: 2560, height: 1400 };
const single: DisplayLayout = { workAreas: [laptop], primary: laptop };
const dual: DisplayLayout = { workAreas: [laptop, rightMonitor], primary: laptop };

const centredOnLaptop = {
  x: (1920 - DEFAULT_WINDOW_SIZE.width) / 2,
  y: (1040 - DEFAULT_WINDOW_SIZE.height) / 2,
  width: DEFAULT_WINDOW_SIZE.width,
  height: DEFAULT_WINDOW_SIZE.height,
};

describe('resolveWindowState', () => {
  it('centres the default size on the primary display when nothing was saved', () => {
    expect(resolveWindowState(null, single)).toEqual({
      bounds: centredOnLaptop,
      isMaximized: false,
    });
  });

  it('keeps saved bounds that a current display shows', () => {
    const saved = { bounds: { x: 2100, y: 100, width: 1400, height: 900 }, isMaximized: true };
    expect(resolveWindowState(saved, dual)).toEqual(saved);
  });

  it('falls back to the centred default when the saved display is gone', () => {
    const saved = { bounds: { x: 2100, y: 100, width: 1400, height: 900 }, isMaximized: false };
    expect(resolveWindowState(saved, single)).toEqual({
      bounds: centredOnLaptop,
      isMaximized: false,
    });
  });

  it('falls back when only a sliver or no title bar would be on screen', () => {
    const sliver = { bounds: { x: 1900, y: 100, width: 1000, height: 700 }, isMaximized: false };
    const titleBarAbove = {
      bounds: { x: 100, y: -300, width: 1000, height: 700 },
      isMaximized: false,
    };
    expect(resolveWindowState(sliver, single).bounds).toEqual(centredOnLaptop);
    expect(resolveWindowState(titleBarAbove, single).bounds).toEqual(centredOnLaptop);
  });

  it('shrinks a window too large for its display and keeps it inside', () => {
    const saved = { bounds: { x: 200, y: 50, width: 2500, height: 1400 }, isMaximized: false };
    expect(resolveWindowState(saved, single).bounds).toEqual({
      x: 0,
      y: 0,
      width: 1920,
      height: 1040,
    });
  });

  it('never goes below the minimum size', () => {
    const saved = { bounds: { x: 10, y: 10, width: 300, height: 200 }, isMaximized: false };
    const { bounds } = resolveWindowState(saved, single);
    expect(bounds.width).toBe(MIN_WINDOW_SIZE.width);
    expect(bounds.height).toBe(MIN_WINDOW_SIZE.height);
  });

  it('fits the default to a small primary display', () => {
    const small: Rect = { x: 0, y: 0, width: 1024, height: 700 };
    expect(resolveWindowState(null, { workAreas: [small], primary: small }).bounds).toEqual({
      x: 0,
      y: 0,
      width: 1024,
      height: 700,
    });
  });
});

describe('createWindowStateKeeper', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  async function keeper(dir: string, layout: DisplayLayout = dual, debounceMs = 500) {
    const problems: string[] = [];
    const keeperInstance = await createWindowStateKeeper({
      filePath: path.join(dir, 'window-state.json'),
      layout,
      onProblem: (message) => problems.push(message),
      debounceMs,
    });
    return { keeper: keeperInstance, problems };
  }

  it('saves where the window went and restores it next time', async () => {
    const dir = await makeTmpDir();
    const first = await keeper(dir);
    expect(first.keeper.initial.bounds).toEqual(centredOnLaptop);

    const window = new FakeWindow({});
    first.keeper.track(window);
    window.moveTo({ x: 2000.4, y: 40, width: 1500, height: 950 });
    window.maximized = true;
    window.emit('maximize');
    await first.keeper.flush();

    const second = await keeper(dir);
    expect(second.keeper.initial).toEqual({
      bounds: { x: 2000, y: 40, width: 1500, height: 950 },
      isMaximized: true,
    });
    expect(await readdir(dir)).toEqual(['window-state.json']);
  });

  it('debounces: many moves, one write of the last position', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const dir = await makeTmpDir();
    const { keeper: k } = await keeper(dir);
    const window = new FakeWindow({});
    k.track(window);
    for (let x = 0; x < 20; x += 1) window.moveTo({ x: 100 + x, y: 100, width: 1000, height: 700 });
    expect(await readdir(dir)).toEqual([]);
    vi.advanceTimersByTime(499);
    expect(await readdir(dir)).toEqual([]);
    vi.advanceTimersByTime(1);
    await k.flush();
    const saved = JSON.parse(await readFile(path.join(dir, 'window-state.json'), 'utf8'));
    expect(saved).toEqual({
      bounds: { x: 119, y: 100, width: 1000, height: 700 },
      isMaximized: false,
    });
  });

  it('saves at once when the window closes, and synchronously when asked', async () => {
    const dir = await makeTmpDir();
    const { keeper: k } = await keeper(dir, dual, 60_000);
    const window = new FakeWindow({});
    k.track(window);
    window.bounds = { x: 300, y: 200, width: 1000, height: 700 };
    window.close();
    await k.flush();
    const file = path.join(dir, 'window-state.json');
    expect(JSON.parse(await readFile(file, 'utf8')).bounds).toEqual(window.bounds);

    const other = new FakeWindow({});
    k.track(other);
    other.moveTo({ x: 10, y: 20, width: 900, height: 600 });
    k.flushSync();
    expect(JSON.parse(await readFile(file, 'utf8')).bounds).toEqual({
      x: 10,
      y: 20,
      width: 900,
      height: 600,
    });
  });

  it('ignores the odd bounds of a minimized window', async () => {
    const dir = await makeTmpDir();
    const { keeper: k } = await keeper(dir);
    const window = new FakeWindow({});
    k.track(window);
    window.moveTo({ x: 300, y: 200, width: 1000, height: 700 });
    window.minimized = true;
    window.moveTo({ x: -32000, y: -32000, width: 160, height: 28 });
    await k.flush();
    const saved = JSON.parse(await readFile(path.join(dir, 'window-state.json'), 'utf8'));
    expect(saved.bounds).toEqual({ x: 300, y: 200, width: 1000, height: 700 });
  });

  it('keeps a damaged file aside and opens at the default size', async () => {
    const dir = await makeTmpDir();
    await writeFile(path.join(dir, 'window-state.json'), '{"bounds": {"x": "left"}}');
    const { keeper: k, problems } = await keeper(dir, single);
    expect(k.initial).toEqual({ bounds: centredOnLaptop, isMaximized: false });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('bounds');
    const files = await readdir(dir);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^window-state\.json\.corrupt-/);
  });

  it('flushing with nothing pending writes nothing', async () => {
    const dir = await makeTmpDir();
    const { keeper: k } = await keeper(dir);
    await k.flush();
    k.flushSync();
    expect(await readdir(dir)).toEqual([]);
  });
});
