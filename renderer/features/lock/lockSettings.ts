/**
 * The app lock's settings on this device, kept as one device value (renderer/sync/deviceStore.ts,
 * so sealed with the device's data key like the rest of the device state): when Outpost locks
 * itself and, where the device's data key has no passphrase, the verifier of the lock's own
 * passphrase.
 *
 * Why a passphrase of the lock's own: with the key in the OS keychain (or no encryption) there is
 * nothing the person types that Outpost could check, and Electron offers the OS user's own check
 * only on macOS (Touch ID, offered as well where it is available). The passphrase is never
 * stored: only a random value sealed with a key stretched from it (PBKDF2-SHA-256, 600,000
 * iterations, as the data key's passphrase), which opens only with the right one.
 *
 * Read before the app loads (renderer/main.tsx), so a device set to lock starts locked.
 */
import { toBase64Url } from '../../../shared/protocol/bytes';
import {
  PASSPHRASE_ITERATIONS,
  newDataKey,
  wrapWithPassphrase,
} from '../../../shared/protocol/atRest';
import { isStoredWrapped, unwrapStored } from '../../sync/atRestKeys';
import { DEVICE_KEY, readDeviceValue, writeDeviceValue } from '../../sync/deviceStore';

/** The idle times the person chooses from; 0 is off. */
export const LOCK_AFTER_CHOICES = [0, 1, 5, 15, 60] as const;
export type LockAfterMinutes = (typeof LOCK_AFTER_CHOICES)[number];

/** The lock passphrase's verifier (see the module comment). */
export interface LockVerifier {
  readonly iterations: number;
  readonly salt: string;
  readonly sealed: string;
}

export interface LockSettings {
  readonly v: 1;
  /** Lock after this many minutes without input on the page; 0: never. */
  readonly afterMinutes: LockAfterMinutes;
  /** Lock when the system sleeps or locks its screen (desktop only). */
  readonly onSleep: boolean;
  readonly verifier: LockVerifier | null;
}

export const DEFAULT_LOCK_SETTINGS: LockSettings = {
  v: 1,
  afterMinutes: 0,
  onSleep: false,
  verifier: null,
};

function asVerifier(value: unknown): LockVerifier | null {
  if (!isStoredWrapped(value)) return null;
  return { iterations: value.iterations, salt: value.salt, sealed: value.sealed };
}

/**
 * The stored settings, or the defaults with `damaged` set when what is stored cannot be used
 * (the lock is then off, and Settings says why, rather than Outpost locking with no way in).
 */
export function parseLockSettings(value: unknown): { settings: LockSettings; damaged: boolean } {
  if (value === undefined) return { settings: DEFAULT_LOCK_SETTINGS, damaged: false };
  if (typeof value !== 'object' || value === null)
    return { settings: DEFAULT_LOCK_SETTINGS, damaged: true };
  const record = value as Record<string, unknown>;
  const afterMinutes = LOCK_AFTER_CHOICES.find((choice) => choice === record.afterMinutes);
  const verifier = record.verifier === null ? null : asVerifier(record.verifier);
  if (
    record.v !== 1 ||
    afterMinutes === undefined ||
    typeof record.onSleep !== 'boolean' ||
    (record.verifier !== null && verifier === null)
  )
    return { settings: DEFAULT_LOCK_SETTINGS, damaged: true };
  return { settings: { v: 1, afterMinutes, onSleep: record.onSleep, verifier }, damaged: false };
}

let loaded: { settings: LockSettings; damaged: boolean } | null = null;

/** Reads the settings once per page (start-up calls this before the app loads). */
export async function loadLockSettings(): Promise<{ settings: LockSettings; damaged: boolean }> {
  loaded ??= parseLockSettings(await readDeviceValue(DEVICE_KEY.lock));
  return loaded;
}

/** The settings read at start-up (defaults when they were not read). */
export function startupLockSettings(): { settings: LockSettings; damaged: boolean } {
  return loaded ?? { settings: DEFAULT_LOCK_SETTINGS, damaged: false };
}

/** Stores the settings durably. */
export async function saveLockSettings(settings: LockSettings): Promise<void> {
  await writeDeviceValue(DEVICE_KEY.lock, settings);
  loaded = { settings, damaged: false };
}

/** A verifier of `passphrase` (see the module comment). */
export async function makeLockVerifier(
  passphrase: string,
  iterations = PASSPHRASE_ITERATIONS,
): Promise<LockVerifier> {
  const wrapped = await wrapWithPassphrase(newDataKey(), passphrase, iterations);
  return {
    iterations: wrapped.iterations,
    salt: toBase64Url(wrapped.salt),
    sealed: toBase64Url(wrapped.sealed),
  };
}

/** Whether `passphrase` is the one `verifier` was made from. */
export async function matchesLockVerifier(
  verifier: LockVerifier,
  passphrase: string,
): Promise<boolean> {
  return (await unwrapStored(verifier, passphrase)) !== null;
}
