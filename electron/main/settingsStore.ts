/**
 * The app's own settings (theme, close-to-tray) as one JSON file in the user data folder.
 * Plain Node with no Electron import: the web-mode companion uses it too.
 */
import {
  AppSettings,
  AppSettingsPatch,
  DEFAULT_SETTINGS,
  type AppSettings as AppSettingsValue,
  type AppSettingsPatch as AppSettingsPatchValue,
} from '../../shared/ipc/contract';
import {
  describeSchemaIssues,
  errorMessage,
  keepAsideAndSay,
  readJsonFile,
  writeFileAtomic,
} from './jsonFile';

export interface SettingsStore {
  /** The current settings (defaults until something was saved). */
  get(): AppSettingsValue;
  /** Validates, saves and applies a patch; resolves with the new settings once they are on disk. */
  update(patch: AppSettingsPatchValue): Promise<AppSettingsValue>;
  /** Calls `listener` after every successful update; returns the unsubscribe function. */
  subscribe(listener: (settings: AppSettingsValue) => void): () => void;
}

export interface SettingsStoreOptions {
  /** Receives a sentence for the person when the stored settings could not be used. */
  onProblem: (message: string) => void;
}

/** Thrown by `update` when the settings could not be saved; the message is readable as is. */
export class SettingsStoreError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SettingsStoreError';
  }
}

// A file written by an older version may lack settings added since; those take their defaults.
// A value of the wrong type, though, means the file is damaged.
const StoredSettings = AppSettings.partial();

/** Loads the settings file (or defaults) and returns the store. */
export async function createSettingsStore(
  filePath: string,
  options: SettingsStoreOptions,
): Promise<SettingsStore> {
  let current: AppSettingsValue = { ...DEFAULT_SETTINGS };
  const listeners = new Set<(settings: AppSettingsValue) => void>();

  const stored = await readJsonFile(filePath, StoredSettings);
  if (stored.kind === 'ok') {
    current = AppSettings.parse({ ...DEFAULT_SETTINGS, ...stored.value });
  } else if (stored.kind === 'invalid') {
    const kept = await keepAsideAndSay(filePath, { leftAsIs: true });
    options.onProblem(
      `Your Outpost settings file (${filePath}) could not be used: ${stored.reason}. ${kept}; default settings are in use.`,
    );
  }

  // Updates run one after another so two quick changes can never save out of order.
  let queue: Promise<unknown> = Promise.resolve();

  async function applyPatch(patch: AppSettingsPatchValue): Promise<AppSettingsValue> {
    const checkedPatch = AppSettingsPatch.safeParse(patch);
    if (!checkedPatch.success) {
      throw new SettingsStoreError(
        `These settings are not valid: ${describeSchemaIssues(checkedPatch.error)}`,
      );
    }
    const next = AppSettings.parse({ ...current, ...checkedPatch.data });
    try {
      await writeFileAtomic(filePath, `${JSON.stringify(next, null, 2)}\n`);
    } catch (error) {
      throw new SettingsStoreError(`Your settings could not be saved: ${errorMessage(error)}`, {
        cause: error,
      });
    }
    current = next;
    for (const listener of [...listeners]) {
      try {
        listener(next);
      } catch (error) {
        console.error('A settings listener failed:', error);
      }
    }
    return next;
  }

  return {
    get: () => ({ ...current }),
    update(patch) {
      const result = queue.then(() => applyPatch(patch));
      queue = result.catch(() => undefined);
      return result.then((settings) => ({ ...settings }));
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
  };
}
