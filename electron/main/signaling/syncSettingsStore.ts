/**
 * The person's sync settings (LAN server, internet signaling servers, STUN/TURN) as one JSON file
 * beside the app's settings. A damaged file is kept aside and defaults are used, with a message.
 * TURN credentials are stored here in the user data folder, readable only by the person's account
 * (the same protection the workspace data has).
 */
import {
  DEFAULT_SYNC_SETTINGS,
  SyncSettings,
  SyncSettingsPatch,
} from '../../../shared/ipc/syncContract';
import {
  describeSchemaIssues,
  errorMessage,
  keepAsideAndSay,
  readJsonFile,
  writeFileAtomic,
} from '../jsonFile';

export interface SyncSettingsStore {
  get(): SyncSettings;
  update(patch: SyncSettingsPatch): Promise<SyncSettings>;
  subscribe(listener: (settings: SyncSettings) => void): () => void;
}

/** Thrown by `update`; the message is readable as is. */
export class SyncSettingsError extends Error {
  override name = 'SyncSettingsError';
}

const Stored = SyncSettings.partial();

export async function createSyncSettingsStore(
  filePath: string,
  options: { onProblem(message: string): void },
): Promise<SyncSettingsStore> {
  let current: SyncSettings = structuredClone(DEFAULT_SYNC_SETTINGS);
  const listeners = new Set<(settings: SyncSettings) => void>();
  const stored = await readJsonFile(filePath, Stored);
  if (stored.kind === 'ok') {
    current = SyncSettings.parse({ ...DEFAULT_SYNC_SETTINGS, ...stored.value });
  } else if (stored.kind === 'invalid') {
    const kept = await keepAsideAndSay(filePath);
    options.onProblem(
      `Your sync settings (${filePath}) could not be used: ${stored.reason}. ${kept}; default sync settings are in use.`,
    );
  }
  let queue: Promise<unknown> = Promise.resolve();
  async function apply(patch: SyncSettingsPatch): Promise<SyncSettings> {
    const checked = SyncSettingsPatch.safeParse(patch);
    if (!checked.success)
      throw new SyncSettingsError(
        `These sync settings are not valid: ${describeSchemaIssues(checked.error)}`,
      );
    const next = SyncSettings.parse({ ...current, ...checked.data });
    try {
      await writeFileAtomic(filePath, `${JSON.stringify(next, null, 2)}\n`);
    } catch (error) {
      throw new SyncSettingsError(`Your sync settings could not be saved: ${errorMessage(error)}`);
    }
    current = next;
    for (const listener of [...listeners]) listener(next);
    return next;
  }
  return {
    get: () => structuredClone(current),
    update(patch) {
      const result = queue.then(() => apply(patch));
      queue = result.catch(() => undefined);
      return result.then((settings) => structuredClone(settings));
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
