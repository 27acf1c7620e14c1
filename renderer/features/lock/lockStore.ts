/**
 * The app lock's state in the page: whether Outpost is locked, its settings, and wrong attempts.
 *
 * While locked, App renders the lock screen in place of everything else, so the page holds none
 * of the workspace (not covered: not there); the stores, sync and reminders keep running, and
 * notifications say only that there is one (renderer/platform/notify.ts, and the main process's
 * own through `lock:setLocked`). Unlocking takes the passphrase of the device's data key when it
 * has one, else the lock's own passphrase (lockSettings.ts), or the OS user where Electron offers
 * it (Touch ID on macOS). Each wrong attempt doubles the wait before the next (1 s, 2 s, 4 s, … at
 * most 5 minutes); the count is kept in localStorage, so reloading the page does not reset it.
 */
import { create } from 'zustand';
import { fail, ok, type Result } from '../../../shared/result';
import { getOutpostApi } from '../../platform/outpostApi';
import { setNotificationsPrivate } from '../../platform/notify';
import { atRestStatus, isDataPassphrase, passphraseProblem } from '../../sync/atRestKeys';
import { flushPendingEdits } from '../../sync/pendingEdits';
import {
  makeLockVerifier,
  matchesLockVerifier,
  saveLockSettings,
  startupLockSettings,
  type LockAfterMinutes,
  type LockSettings,
} from './lockSettings';

/** What unlocks this device: its data key's passphrase, or the lock's own. */
export type UnlockMethod = 'data-passphrase' | 'lock-passphrase';

const ATTEMPTS_KEY = 'outpost.lockAttempts';
const MAX_WAIT_MS = 5 * 60_000;

/** How long to wait after the `failures`-th wrong attempt in a row. */
export function retryDelayMs(failures: number): number {
  if (failures <= 0) return 0;
  return Math.min(MAX_WAIT_MS, 1000 * 2 ** Math.min(failures - 1, 20));
}

/** "3 seconds", "2 minutes": how long a wait is, for the person. */
export function describeWait(ms: number): string {
  const seconds = Math.max(1, Math.ceil(ms / 1000));
  if (seconds < 60) return seconds === 1 ? '1 second' : `${seconds} seconds`;
  const minutes = Math.ceil(seconds / 60);
  return minutes === 1 ? '1 minute' : `${minutes} minutes`;
}

interface Attempts {
  readonly failures: number;
  readonly retryAt: number;
}

function readAttempts(): Attempts {
  try {
    const value: unknown = JSON.parse(localStorage.getItem(ATTEMPTS_KEY) ?? 'null');
    if (typeof value === 'object' && value !== null) {
      const { failures, retryAt } = value as Record<string, unknown>;
      if (typeof failures === 'number' && typeof retryAt === 'number') return { failures, retryAt };
    }
  } catch {
    // A damaged count starts again from none: it only ever slows attempts down.
  }
  return { failures: 0, retryAt: 0 };
}

function writeAttempts(attempts: Attempts): void {
  if (attempts.failures === 0) localStorage.removeItem(ATTEMPTS_KEY);
  else localStorage.setItem(ATTEMPTS_KEY, JSON.stringify(attempts));
}

/** How `settings` are unlocked here, or null when nothing could unlock them (no lock then). */
export function unlockMethodFor(settings: LockSettings): UnlockMethod | null {
  const status = atRestStatus();
  if (status.state === 'ready' && status.protection === 'passphrase') return 'data-passphrase';
  return settings.verifier ? 'lock-passphrase' : null;
}

export function lockEnabled(settings: LockSettings): boolean {
  return settings.afterMinutes > 0 || settings.onSleep;
}

/** What the person changes in Settings. */
export interface LockChange {
  readonly afterMinutes: LockAfterMinutes;
  readonly onSleep: boolean;
  /** A new lock passphrase (typed twice), where the data key has none. */
  readonly passphrase?: { readonly value: string; readonly repeated: string };
}

export interface LockStore {
  readonly settings: LockSettings;
  /** The stored settings could not be used (the lock is off until saved again). */
  readonly damaged: boolean;
  readonly locked: boolean;
  readonly failures: number;
  /** No attempt is checked before this time (ms since the epoch). */
  readonly retryAt: number;
  lock(): void;
  /** Checks `passphrase`; unlocks when it is right, else says why and how long to wait. */
  unlock(passphrase: string): Promise<Result<null>>;
  /** Unlocks with the operating system's check of its user (Touch ID). */
  unlockWithSystem(): Promise<Result<null>>;
  update(change: LockChange): Promise<Result<LockSettings>>;
}

function tellMain(locked: boolean): void {
  void getOutpostApi()
    .invoke('lock:setLocked', { locked })
    .catch(() => undefined);
}

export const useLockStore = create<LockStore>()((set, get) => {
  const startup = startupLockSettings();
  const attempts = readAttempts();
  // A device set to lock starts locked, unless its passphrase was just typed to open its data.
  const startsLocked =
    lockEnabled(startup.settings) && unlockMethodFor(startup.settings) === 'lock-passphrase';
  if (startsLocked) {
    setNotificationsPrivate(true);
    tellMain(true);
  }

  const unlocked = (): Result<null> => {
    writeAttempts({ failures: 0, retryAt: 0 });
    set({ locked: false, failures: 0, retryAt: 0 });
    setNotificationsPrivate(false);
    tellMain(false);
    return ok(null);
  };

  return {
    settings: startup.settings,
    damaged: startup.damaged,
    locked: startsLocked,
    failures: attempts.failures,
    retryAt: attempts.retryAt,

    lock() {
      const { settings, locked } = get();
      if (locked || !unlockMethodFor(settings)) return;
      // What the person was typing is on disk before the screens holding it go away.
      flushPendingEdits();
      setNotificationsPrivate(true);
      set({ locked: true });
      tellMain(true);
    },

    async unlock(passphrase) {
      const { settings, retryAt, failures } = get();
      const wait = retryAt - Date.now();
      if (wait > 0)
        return fail('wait', `Too many wrong attempts. Try again in ${describeWait(wait)}.`);
      const method = unlockMethodFor(settings);
      const right =
        method === 'data-passphrase'
          ? await isDataPassphrase(passphrase)
          : method === 'lock-passphrase' && settings.verifier
            ? await matchesLockVerifier(settings.verifier, passphrase)
            : false;
      if (right) return unlocked();
      const next = { failures: failures + 1, retryAt: Date.now() + retryDelayMs(failures + 1) };
      writeAttempts(next);
      set(next);
      return fail(
        'wrong-passphrase',
        `That passphrase is not right. You can try again in ${describeWait(retryDelayMs(next.failures))}.`,
      );
    },

    async unlockWithSystem() {
      const answer = await getOutpostApi().invoke('lock:osUnlock', undefined);
      if (!answer.ok) return answer;
      if (answer.value.outcome === 'unlocked') return unlocked();
      return fail(answer.value.outcome, answer.value.message);
    },

    async update(change) {
      const current = get().settings;
      let verifier = current.verifier;
      if (change.passphrase) {
        const problem = passphraseProblem(change.passphrase.value, change.passphrase.repeated);
        if (problem) return fail('invalid-passphrase', problem);
        verifier = await makeLockVerifier(change.passphrase.value);
      }
      const next: LockSettings = {
        v: 1,
        afterMinutes: change.afterMinutes,
        onSleep: change.onSleep,
        verifier,
      };
      if (lockEnabled(next) && !unlockMethodFor(next))
        return fail(
          'no-passphrase',
          'Choose a passphrase for the lock first: Outpost asks for it to unlock.',
        );
      try {
        await saveLockSettings(next);
      } catch (error) {
        return fail(
          'not-saved',
          `The lock settings could not be saved: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
      set({ settings: next, damaged: false });
      return ok(next);
    },
  };
});
