/**
 * The main process's part of the app lock (the page, renderer/features/lock/, decides when to
 * lock and checks what unlocks it). Here: whether the page is locked now, so notifications the
 * main process shows itself (the focus timer's) carry no content meanwhile; the system going to
 * sleep or locking its screen, told to the page; and the operating system's own check of its
 * user where Electron offers one (Touch ID on macOS). Plain Node: Electron's systemPreferences
 * and powerMonitor come in as arguments, so tests pass fakes.
 */
import type { IpcEvent } from '../../../shared/ipc/channels';
import type { IpcEventPayload } from '../../../shared/ipc/contract';
import type { IpcHandlers } from '../../../shared/ipc/dispatch';

/** Electron's systemPreferences, as far as the lock uses it (macOS only). */
export interface TouchIdLike {
  canPromptTouchID(): boolean;
  promptTouchID(reason: string): Promise<void>;
}

export type LockHandlers = Pick<
  IpcHandlers,
  'lock:setLocked' | 'lock:osAvailable' | 'lock:osUnlock'
>;

export interface AppLock {
  /** True from the page saying it locked until it says it unlocked. */
  isLocked(): boolean;
  readonly handlers: LockHandlers;
}

export interface AppLockOptions {
  readonly platform: NodeJS.Platform;
  /** Electron's systemPreferences; the web companion has none. */
  readonly systemPreferences?: TouchIdLike | undefined;
}

/** The reason the macOS Touch ID prompt shows ("Outpost is trying to …"). */
export const TOUCH_ID_REASON = 'unlock Outpost';

function touchIdAvailable(options: AppLockOptions): boolean {
  if (options.platform !== 'darwin' || !options.systemPreferences) return false;
  try {
    return options.systemPreferences.canPromptTouchID();
  } catch {
    return false;
  }
}

export function createAppLock(options: AppLockOptions): AppLock {
  let locked = false;
  return {
    isLocked: () => locked,
    handlers: {
      'lock:setLocked': ({ locked: next }) => {
        locked = next;
        return null;
      },
      'lock:osAvailable': () => ({ available: touchIdAvailable(options) }),
      'lock:osUnlock': async () => {
        if (!touchIdAvailable(options) || !options.systemPreferences)
          return {
            outcome: 'unavailable',
            message: 'This computer cannot confirm you with Touch ID. Use your passphrase.',
          };
        try {
          await options.systemPreferences.promptTouchID(TOUCH_ID_REASON);
          return { outcome: 'unlocked' };
        } catch {
          // Electron rejects both a cancelled prompt and a failed match, without telling them apart.
          return {
            outcome: 'refused',
            message: 'Touch ID did not confirm you. Try again or use your passphrase.',
          };
        }
      },
    },
  };
}

/** Electron's powerMonitor, as far as the lock listens to it. */
export interface SystemLockEvents {
  on(event: 'suspend' | 'lock-screen', listener: () => void): unknown;
}

/** Tells the page when the system sleeps or locks its screen; the page locks if set to. */
export function forwardSystemLocks(
  powerMonitor: SystemLockEvents,
  broadcast: <E extends IpcEvent>(event: E, payload: IpcEventPayload<E>) => void,
): void {
  powerMonitor.on('suspend', () => broadcast('lock:systemLocked', { reason: 'suspend' }));
  powerMonitor.on('lock-screen', () => broadcast('lock:systemLocked', { reason: 'lock-screen' }));
}
