/**
 * The focus timer's desktop surface: native notifications for the service's events (with Start
 * break / Postpone buttons where the platform shows them), the remaining time and phase in the
 * tray, the system's idle time read every few seconds to pause a focus block, and sleep/wake.
 * The Electron pieces are passed in, so tests use a fake of them while the service runs for real.
 */
import {
  PHASE_LABELS,
  reminderFor,
  remainingMs,
  type FocusEvent,
  type ReminderAction,
} from '../../../shared/focus';
import type { FocusSnapshot } from '../../../shared/ipc/focusContract';
import { LOCKED_NOTICE } from '../../../shared/ipc/lockContract';
import type { FocusService, FocusTimers } from './focusService';

export interface NotificationOptionsLike {
  title: string;
  body: string;
  silent: boolean;
  actions?: { type: 'button'; text: string }[];
  urgency?: 'normal' | 'critical' | 'low';
}

/** The parts of an Electron Notification used here. */
export interface NotificationLike {
  on(event: 'click', listener: () => void): unknown;
  on(event: 'close', listener: () => void): unknown;
  on(event: 'action', listener: (details: unknown, actionIndex?: number) => void): unknown;
  show(): void;
}

/** Electron's Notification class and powerMonitor, as far as focus uses them. */
export interface FocusElectron {
  readonly Notification: {
    new (options: NotificationOptionsLike): NotificationLike;
    isSupported(): boolean;
  };
  readonly powerMonitor: {
    /** Seconds since the last keyboard or mouse input. */
    getSystemIdleTime(): number;
    on(
      event: 'suspend' | 'resume' | 'lock-screen' | 'unlock-screen',
      listener: () => void,
    ): unknown;
  };
}

/** What the tray shows about the timer. */
export interface FocusTrayTarget {
  setToolTip(toolTip: string): void;
  setTitle?(title: string): void;
}

export interface FocusDesktopOptions {
  readonly service: FocusService;
  readonly electron: FocusElectron;
  readonly platform: NodeJS.Platform;
  readonly timers: FocusTimers;
  readonly now: () => number;
  /** True while the app is locked: notifications then say only that there is a reminder. */
  readonly isLocked?: () => boolean;
  readonly tray: () => FocusTrayTarget | null;
  /** Shows the app window (a click on a notification). */
  readonly showWindow: () => void;
  /** How often to read the idle time and refresh the tray (default 15 s). */
  readonly pollMs?: number;
}

export interface FocusDesktop {
  /** Reads the idle time and refreshes the tray now (also done every `pollMs`). */
  poll(): void;
  dispose(): void;
}

const ACTION_LABEL: Record<ReminderAction, string> = {
  startBreak: 'Start break',
  postpone: 'Postpone',
};

/** Remaining whole minutes, rounded up, as the tray shows them. */
function minutesLeft(ms: number): number {
  return Math.max(0, Math.ceil(ms / 60_000));
}

/**
 * The tray's tooltip and (macOS menu bar) title for a snapshot: "Outpost — Focus, 12 min left";
 * just "Outpost" while the timer is not running.
 */
export function trayText(snapshot: FocusSnapshot, now: number): { toolTip: string; title: string } {
  const { state } = snapshot;
  const left = remainingMs(state, now);
  if (state.phase === 'idle' && left === null) {
    const due = state.waitingFor && state.waitingFor !== 'focus';
    return due
      ? { toolTip: 'Outpost — your break is due', title: 'Break due' }
      : { toolTip: 'Outpost', title: '' };
  }
  const phase = PHASE_LABELS[state.phase];
  if (left === null) return { toolTip: `Outpost — ${phase}`, title: '' };
  const minutes = minutesLeft(left);
  return {
    toolTip: `Outpost — ${phase}, ${minutes} min left`,
    title: `${state.phase === 'paused' ? 'Paused' : phase} ${minutes}m`,
  };
}

/** Wires the service to notifications, the tray, idle time and sleep/wake. */
export function attachFocusDesktop(options: FocusDesktopOptions): FocusDesktop {
  const { service, electron, timers, now } = options;
  const pollMs = options.pollMs ?? 15_000;
  const withActions = options.platform === 'darwin' || options.platform === 'win32';
  // Electron drops the handlers of a notification that was garbage collected; keep the recent ones.
  const live = new Set<NotificationLike>();
  let disposed = false;
  let pollHandle: unknown = null;

  const perform = (action: ReminderAction): void => {
    const request =
      action === 'startBreak' ? { type: 'start' as const } : { type: 'postpone' as const };
    void service.act(request).then((result) => {
      if (!result.ok)
        show('Outpost', result.error.message, [], service.snapshot().preferences.sound);
    });
  };

  function show(title: string, body: string, actions: readonly ReminderAction[], sound: boolean) {
    if (!electron.Notification.isSupported()) return;
    const shown = withActions ? actions : [];
    const locked = options.isLocked?.() ?? false;
    const notification = new electron.Notification({
      title: locked ? LOCKED_NOTICE.title : title,
      body: locked ? LOCKED_NOTICE.body : body,
      silent: !sound,
      ...(shown.length > 0
        ? {
            actions: shown.map((action) => ({
              type: 'button' as const,
              text: ACTION_LABEL[action],
            })),
          }
        : {}),
    });
    live.add(notification);
    if (live.size > 8) live.delete(live.values().next().value as NotificationLike);
    notification.on('click', () => {
      live.delete(notification);
      options.showWindow();
    });
    notification.on('close', () => live.delete(notification));
    notification.on('action', (details, legacyIndex) => {
      const index =
        typeof details === 'object' && details !== null && 'actionIndex' in details
          ? Number((details as { actionIndex: unknown }).actionIndex)
          : legacyIndex;
      const action = index === undefined ? undefined : shown[index];
      if (action) perform(action);
    });
    notification.show();
  }

  const notify = (event: FocusEvent, snapshot: FocusSnapshot): void => {
    const reminder = reminderFor(event, snapshot.config.timeZone);
    if (reminder) show(reminder.title, reminder.body, reminder.actions, snapshot.preferences.sound);
  };

  const updateTray = (snapshot: FocusSnapshot): void => {
    const tray = options.tray();
    if (!tray) return;
    const text = trayText(snapshot, now());
    tray.setToolTip(text.toolTip);
    if (options.platform === 'darwin') tray.setTitle?.(text.title);
  };

  const unsubscribe = service.subscribe((change) => {
    for (const event of change.events) notify(event, change.snapshot);
    updateTray(change.snapshot);
  });

  const poll = (): void => {
    if (disposed) return;
    const snapshot = service.snapshot();
    const idleMs = Math.max(0, electron.powerMonitor.getSystemIdleTime() * 1000);
    const thresholdMs = snapshot.config.idleMinutes * 60_000;
    const { state } = snapshot;
    if (idleMs >= thresholdMs) {
      if (state.phase === 'focus') service.reportIdle(now() - idleMs);
    } else if (state.phase === 'paused' && state.reason === 'idle') {
      service.reportActive();
    }
    updateTray(service.snapshot());
  };

  const schedulePoll = (): void => {
    if (disposed) return;
    pollHandle = timers.setTimeout(() => {
      poll();
      schedulePoll();
    }, pollMs);
  };

  // After sleep the timer's next event comes late; the engine collapses what was missed into one
  // coherent state instead of a burst of reminders.
  electron.powerMonitor.on('resume', () => {
    if (disposed) return;
    service.refresh();
    poll();
  });
  electron.powerMonitor.on('unlock-screen', () => poll());

  updateTray(service.snapshot());
  schedulePoll();

  return {
    poll,
    dispose() {
      disposed = true;
      unsubscribe();
      if (pollHandle !== null) timers.clearTimeout(pollHandle);
      live.clear();
    },
  };
}
