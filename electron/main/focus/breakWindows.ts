/**
 * Breaks that happen on the desktop (Stretchly's anchor): while a break runs, an always-on-top
 * window covers each display with the break, its idea and when it ends, so a second monitor does
 * not become the place to keep working. Postpone and Skip are offered within the configured limits
 * (none with strict breaks); the app window shows its own break screen with the live countdown.
 *
 * The page is a static document written here (a data: URL, no script, no preload, no IPC): a
 * break window can do nothing but show text and ask for one of two navigations, which this module
 * intercepts (`will-navigate`) and turns into the service's postpone or skip. Everything else is
 * refused by the app's hardening like any navigation. The Electron pieces are passed in, so tests
 * drive it with the fake Electron surface while the focus service runs for real.
 */
import type { BrowserWindowConstructorOptions } from 'electron';
import { breakIdea, clockIn, PHASE_LABELS, type FocusState } from '../../../shared/focus';
import type { FocusSnapshot } from '../../../shared/ipc/focusContract';
import { minutesText } from '../../../shared/time/durations';
import type { FocusService } from './focusService';

interface Rect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** The parts of a BrowserWindow a break window uses. */
export interface BreakWindowLike {
  readonly webContents: {
    on(
      event: 'will-navigate',
      listener: (event: { preventDefault(): void }, url: string) => void,
    ): unknown;
  };
  loadURL(url: string): Promise<void>;
  show(): void;
  close(): unknown;
  isDestroyed(): boolean;
}

export interface BreakWindowsOptions {
  readonly service: FocusService;
  readonly BrowserWindow: new (options: BrowserWindowConstructorOptions) => BreakWindowLike;
  readonly screen: {
    getAllDisplays(): ReadonlyArray<{ readonly workArea: Rect; readonly bounds?: Rect }>;
  };
  /** Told when a break window fails to load or an action is refused. */
  readonly log?: (message: string) => void;
}

export interface BreakWindows {
  /** The windows open now (one per display during a break). */
  readonly open: () => readonly BreakWindowLike[];
  dispose(): void;
}

/** The host of the two links a break window may follow; nothing is ever loaded from it. */
const ACTION_ORIGIN = 'https://break.outpost.invalid';

const escape = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

type Running = Extract<FocusState, { phase: 'shortBreak' | 'longBreak' }>;

function runningBreak(snapshot: FocusSnapshot): Running | null {
  const { state } = snapshot;
  return state.phase === 'shortBreak' || state.phase === 'longBreak' ? state : null;
}

/** The break window's whole page: static text and at most two links. */
export function breakPage(snapshot: FocusSnapshot, state: Running): string {
  const { config } = snapshot;
  const postponesLeft = Math.max(0, config.maxPostpones - state.postponesUsed);
  const links = config.strictBreaks
    ? '<p class="rule">Strict breaks are on: this break cannot be postponed or skipped.</p>'
    : [
        postponesLeft > 0
          ? `<a href="${ACTION_ORIGIN}/postpone">Postpone ${escape(minutesText(config.postponeMinutes))}</a>`
          : '',
        `<a href="${ACTION_ORIGIN}/skip">Skip break</a>`,
      ].join('');
  const body = `<main><h1>${escape(PHASE_LABELS[state.phase])}</h1><p class="until">until ${escape(clockIn(state.endsAt, config.timeZone))}</p><p class="idea">${escape(breakIdea(state.phase, state.startedAt))}</p><nav>${links}</nav></main>`;
  const style = `:root{color-scheme:light dark;font-family:system-ui,sans-serif}body{margin:0;min-height:100vh;display:grid;place-items:center;background:light-dark(#e4e9f7,#161b26);color:light-dark(#1f2328,#e6e6e3)}main{max-width:36rem;text-align:center;padding:2rem}h1{font-size:2rem;margin:0 0 .5rem}.until{opacity:.75;margin:0 0 1.5rem}.idea{font-size:1.25rem;line-height:1.5}nav{display:flex;gap:.75rem;justify-content:center;margin-top:2rem}a{padding:.5rem 1rem;border:1px solid currentColor;border-radius:8px;color:inherit;text-decoration:none}.rule{opacity:.75}`;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'"><title>Break</title><style>${style}</style></head><body>${body}</body></html>`;
}

/** Opens a break window on each display while a break runs, and closes them when it ends. */
export function attachBreakWindows(options: BreakWindowsOptions): BreakWindows {
  const { service } = options;
  let windows: BreakWindowLike[] = [];
  /** The page the open windows show, so an unchanged break is not reloaded on every push. */
  let shown: string | null = null;

  const closeAll = (): void => {
    for (const window of windows) if (!window.isDestroyed()) window.close();
    windows = [];
    shown = null;
  };

  const perform = (action: 'postpone' | 'skip'): void => {
    void service.act({ type: action }).then((result) => {
      if (!result.ok) options.log?.(`Break window: ${result.error.message}`);
    });
  };

  const openOn = (area: Rect, url: string): BreakWindowLike => {
    const window = new options.BrowserWindow({
      ...area,
      show: false,
      frame: false,
      alwaysOnTop: true,
      skipTaskbar: true,
      resizable: false,
      movable: false,
      minimizable: false,
      fullscreenable: false,
      focusable: true,
      title: 'Break',
      // No preload and no Node: the page is static text and two links.
      webPreferences: {
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        webviewTag: false,
        javascript: false,
      },
    });
    window.webContents.on('will-navigate', (event, target) => {
      event.preventDefault();
      if (target === `${ACTION_ORIGIN}/postpone`) perform('postpone');
      else if (target === `${ACTION_ORIGIN}/skip`) perform('skip');
    });
    window.loadURL(url).then(
      () => {
        if (!window.isDestroyed()) window.show();
      },
      (error: unknown) => options.log?.(`A break window could not be shown: ${String(error)}`),
    );
    return window;
  };

  const follow = (snapshot: FocusSnapshot): void => {
    const state = runningBreak(snapshot);
    if (!state || !snapshot.preferences.breakScreen) {
      closeAll();
      return;
    }
    const page = breakPage(snapshot, state);
    if (page === shown && windows.length > 0) return;
    closeAll();
    shown = page;
    const url = `data:text/html;charset=utf-8,${encodeURIComponent(page)}`;
    windows = options.screen
      .getAllDisplays()
      .map((display) => openOn(display.bounds ?? display.workArea, url));
  };

  const unsubscribe = service.subscribe((change) => follow(change.snapshot));
  follow(service.snapshot());

  return {
    open: () => windows.filter((window) => !window.isDestroyed()),
    dispose() {
      unsubscribe();
      closeAll();
    },
  };
}
