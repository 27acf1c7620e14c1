/**
 * The device's data key (shared/protocol/atRest.ts) kept by the OS keychain: Electron's
 * safeStorage (macOS Keychain, Windows DPAPI, a Linux secret service) seals it into
 * `<userData>/device-key.bin`, and the page asks for it once per start over IPC.
 *
 * Where the keychain protects nothing — safeStorage unavailable, or Linux's `basic_text` backend
 * (a hard-coded password) — this store says so and keeps no key: the page then asks the person
 * for a passphrase or their explicit "not encrypted" instead. A key file that exists but does not
 * open is an error, never replaced: a new key would make every workspace sealed with the old one
 * unreadable.
 */
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import type { DataKeyAnswer } from '../../../shared/ipc/atRestContract';
import { IpcUserError } from '../../../shared/ipc/dispatch';
import { fromBase64Url, toBase64Url } from '../../../shared/protocol/bytes';
import { newDataKey } from '../../../shared/protocol/atRest';

/** The part of Electron's safeStorage used here (tests pass a fake of it). */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux only: which secret store backs it (`basic_text` means none). */
  getSelectedStorageBackend?(): string;
}

export interface DataKeyStore {
  /** The data key, created on first use; or why there is no keychain to keep one. */
  get(): Promise<DataKeyAnswer>;
}

export const DATA_KEY_FILE = 'device-key.bin';

/** Why `safeStorage` does not protect a key here, or null when it does. */
function unprotected(safeStorage: SafeStorageLike | undefined, platform: string): string | null {
  if (!safeStorage) return 'This runs without a desktop keychain (web mode).';
  if (!safeStorage.isEncryptionAvailable())
    return 'The operating system offers no keychain to Outpost.';
  if (platform === 'linux') {
    const backend = safeStorage.getSelectedStorageBackend?.() ?? 'unknown';
    if (backend === 'basic_text' || backend === 'unknown')
      return 'No secret service (GNOME Keyring, KWallet) is running, so the keychain would store the key unprotected.';
  }
  return null;
}

export function createDataKeyStore(options: {
  readonly dataDir: string;
  readonly safeStorage?: SafeStorageLike | undefined;
  readonly platform?: string;
}): DataKeyStore {
  const file = path.join(options.dataDir, DATA_KEY_FILE);
  const platform = options.platform ?? process.platform;
  let creating: Promise<DataKeyAnswer> | null = null;

  async function readOrCreate(safeStorage: SafeStorageLike): Promise<DataKeyAnswer> {
    let sealed: Buffer | null = null;
    try {
      sealed = await fsp.readFile(file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    if (sealed) {
      let key: Uint8Array | undefined;
      try {
        key = fromBase64Url(safeStorage.decryptString(sealed));
      } catch {
        key = undefined;
      }
      if (!key || key.length !== 32)
        throw new IpcUserError(
          'data-key-unreadable',
          `The keychain could not open this device's data key (${file}). Your workspaces stay as they are; sign in to the same user account, or restore from an exported workspace file.`,
        );
      return { protection: 'keychain', key: toBase64Url(key) };
    }
    const key = newDataKey();
    await fsp.mkdir(options.dataDir, { recursive: true, mode: 0o700 });
    const temporary = `${file}.${process.pid}.tmp`;
    const handle = await fsp.open(temporary, 'wx', 0o600);
    try {
      await handle.writeFile(safeStorage.encryptString(toBase64Url(key)));
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fsp.rename(temporary, file);
    return { protection: 'keychain', key: toBase64Url(key) };
  }

  return {
    get() {
      const reason = unprotected(options.safeStorage, platform);
      if (reason !== null || !options.safeStorage)
        return Promise.resolve({ protection: 'unavailable', reason: reason ?? '' });
      const safeStorage = options.safeStorage;
      // Two early calls must not each create a key.
      creating ??= readOrCreate(safeStorage).finally(() => {
        creating = null;
      });
      return creating;
    },
  };
}
