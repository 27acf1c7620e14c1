/**
 * Remembers the window's size, position and maximized state between runs
 * (userData/window-state.json), and puts it back only where a current display can show it.
 */
import { z } from 'zod';
import {
  errorMessage,
  keepAsideAndSay,
  readJsonFile,
  writeFileAtomic,
  writeFileAtomicSync,
} from './jsonFile';

export const MIN_WINDOW_SIZE = { width: 880, height: 560 } as const;
export const DEFAULT_WINDOW_SIZE = { width: 1200, height: 800 } as const;

export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

const RectSchema = z.object({
  x: z.number().int().min(-100_000).max(100_000),
  y: z.number().int().min(-100_000).max(100_000),
  width: z.number().int().min(1).max(100_000),
  height: z.number().int().min(1).max(100_000),
});

export const WindowStateSchema = z.object({
  bounds: RectSchema,
  isMaximized: z.boolean(),
});
export type WindowState = z.infer<typeof WindowStateSchema>;

/** The displays' work areas (screen minus task bars and docks) at startup. */
export interface DisplayLayout {
  readonly workAreas: readonly Rect[];
  readonly primary: Rect;
}

// How much of the window must be on one display: enough of the top edge to grab and move it.
const MIN_VISIBLE_WIDTH = 120;
const MIN_VISIBLE_HEIGHT = 60;

function intersection(a: Rect, b: Rect): { width: number; height: number } {
  const width = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const height = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return { width: Math.max(0, width), height: Math.max(0, height) };
}

function isReachable(bounds: Rect, area: Rect): boolean {
  const overlap = intersection(bounds, area);
  const titleBarOnScreen =
    bounds.y >= area.y && bounds.y <= area.y + area.height - MIN_VISIBLE_HEIGHT;
  return (
    overlap.width >= MIN_VISIBLE_WIDTH && overlap.height >= MIN_VISIBLE_HEIGHT && titleBarOnScreen
  );
}

function fitSize(width: number, height: number, area: Rect): { width: number; height: number } {
  return {
    width: Math.max(MIN_WINDOW_SIZE.width, Math.min(width, area.width)),
    height: Math.max(MIN_WINDOW_SIZE.height, Math.min(height, area.height)),
  };
}

/** The default size, shrunk to fit a small screen, centred on the work area. */
export function centredBounds(area: Rect): Rect {
  const size = fitSize(DEFAULT_WINDOW_SIZE.width, DEFAULT_WINDOW_SIZE.height, area);
  return {
    x: Math.round(area.x + (area.width - size.width) / 2),
    y: Math.round(area.y + (area.height - size.height) / 2),
    ...size,
  };
}

/**
 * Where the window opens: the saved bounds if a current display can show them (shrunk to that
 * display if they have grown too large for it), else the default size centred on the primary display.
 */
export function resolveWindowState(saved: WindowState | null, layout: DisplayLayout): WindowState {
  if (saved) {
    const area = layout.workAreas.find((candidate) => isReachable(saved.bounds, candidate));
    if (area) {
      const size = fitSize(saved.bounds.width, saved.bounds.height, area);
      // Pull the window back inside the display if shrinking or a smaller display left it hanging over.
      const x = Math.min(Math.max(saved.bounds.x, area.x), area.x + area.width - size.width);
      const y = Math.min(Math.max(saved.bounds.y, area.y), area.y + area.height - size.height);
      return {
        bounds: { x: Math.max(x, area.x), y: Math.max(y, area.y), ...size },
        isMaximized: saved.isMaximized,
      };
    }
  }
  return { bounds: centredBounds(layout.primary), isMaximized: saved?.isMaximized ?? false };
}

/** The parts of a BrowserWindow the keeper watches. */
export interface TrackedWindow {
  // One overload per event, as Electron declares them, so a real BrowserWindow fits this type.
  on(event: 'resize', listener: () => void): unknown;
  on(event: 'move', listener: () => void): unknown;
  on(event: 'maximize', listener: () => void): unknown;
  on(event: 'unmaximize', listener: () => void): unknown;
  on(event: 'close', listener: () => void): unknown;
  getNormalBounds(): Rect;
  isMaximized(): boolean;
  isMinimized(): boolean;
  isDestroyed(): boolean;
}

export interface WindowStateKeeper {
  /** Where to open the window. */
  readonly initial: WindowState;
  /** Saves the window's state (debounced) whenever it moves, resizes or (un)maximizes. */
  track(window: TrackedWindow): void;
  /** Writes any pending change now. */
  flush(): Promise<void>;
  /** Writes any pending change now, synchronously: for the app's last moments while quitting. */
  flushSync(): void;
}

export interface WindowStateOptions {
  readonly filePath: string;
  readonly layout: DisplayLayout;
  readonly onProblem: (message: string) => void;
  readonly debounceMs?: number;
}

function rounded(rect: Rect): Rect {
  return {
    x: Math.round(rect.x),
    y: Math.round(rect.y),
    width: Math.round(rect.width),
    height: Math.round(rect.height),
  };
}

/** Loads the saved state (a damaged file is kept aside and defaults used) and returns the keeper. */
export async function createWindowStateKeeper(
  options: WindowStateOptions,
): Promise<WindowStateKeeper> {
  const { filePath } = options;
  const debounceMs = options.debounceMs ?? 500;

  const stored = await readJsonFile(filePath, WindowStateSchema);
  if (stored.kind === 'invalid') {
    const kept = await keepAsideAndSay(filePath);
    options.onProblem(
      `The saved window position (${filePath}) could not be used: ${stored.reason}. ${kept}; the window opens at its default size.`,
    );
  }
  const initial = resolveWindowState(stored.kind === 'ok' ? stored.value : null, options.layout);

  let pending: WindowState | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let writing: Promise<void> = Promise.resolve();

  const serialise = (state: WindowState): string => `${JSON.stringify(state, null, 2)}\n`;

  function takePending(): WindowState | null {
    if (timer) clearTimeout(timer);
    timer = null;
    const state = pending;
    pending = null;
    return state;
  }

  function flush(): Promise<void> {
    const state = takePending();
    if (!state) return writing;
    writing = writing
      .then(() => writeFileAtomic(filePath, serialise(state)))
      .catch((error: unknown) => {
        console.warn(`Could not save the window position: ${errorMessage(error)}`);
      });
    return writing;
  }

  function capture(window: TrackedWindow): void {
    // A minimized window reports odd bounds on some platforms; keep the last good state instead.
    if (window.isDestroyed() || window.isMinimized()) return;
    const next = WindowStateSchema.safeParse({
      bounds: rounded(window.getNormalBounds()),
      isMaximized: window.isMaximized(),
    });
    if (!next.success) return;
    pending = next.data;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => void flush(), debounceMs);
  }

  return {
    initial,
    track(window) {
      const onChange = (): void => capture(window);
      window.on('resize', onChange);
      window.on('move', onChange);
      window.on('maximize', onChange);
      window.on('unmaximize', onChange);
      // The window is about to go away: capture while it can still be asked, save right away.
      window.on('close', () => {
        capture(window);
        void flush();
      });
    },
    flush,
    flushSync() {
      const state = takePending();
      if (!state) return;
      try {
        writeFileAtomicSync(filePath, serialise(state));
      } catch (error) {
        console.warn(`Could not save the window position: ${errorMessage(error)}`);
      }
    },
  };
}
