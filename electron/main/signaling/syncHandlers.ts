/** IPC handlers of the sync channels (shared/ipc/syncContract.ts). */
import type { IpcEvent } from '../../../shared/ipc/channels';
import type { IpcEventPayload } from '../../../shared/ipc/contract';
import { IpcUserError, type IpcHandlers } from '../../../shared/ipc/dispatch';
import { DEFAULT_SYNC_SETTINGS } from '../../../shared/ipc/syncContract';
import type { SyncNetworkService } from './lanSync';
import { SyncSettingsError, type SyncSettingsStore } from './syncSettingsStore';

type SyncChannels = 'sync:getNetwork' | 'sync:getSettings' | 'sync:updateSettings';

export interface SyncHandlerDeps {
  readonly network: SyncNetworkService;
  readonly settings: SyncSettingsStore;
  broadcast<E extends IpcEvent>(event: E, payload: IpcEventPayload<E>): void;
}

/** Without sync services (tests of other parts) the network reads as all off and settings fail. */
export function createSyncHandlers(
  deps: SyncHandlerDeps | undefined,
): Pick<IpcHandlers, SyncChannels> {
  return {
    'sync:getNetwork': () =>
      deps?.network.get() ?? {
        localServer: { state: 'off', port: null, url: null, error: null },
        discovery: 'off',
        lanServers: [],
      },
    'sync:getSettings': () => deps?.settings.get() ?? structuredClone(DEFAULT_SYNC_SETTINGS),
    'sync:updateSettings': async (patch) => {
      if (!deps) throw new IpcUserError('unavailable', 'Sync settings are not available here.');
      try {
        const next = await deps.settings.update(patch);
        deps.broadcast('sync:settingsChanged', next);
        return next;
      } catch (error) {
        if (error instanceof SyncSettingsError)
          throw new IpcUserError('sync-settings', error.message);
        throw error;
      }
    },
  };
}
