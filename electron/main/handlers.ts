/**
 * The IPC handlers, one per channel of shared/ipc. Plain Node with no Electron import and no
 * window: the desktop main process and the web-mode companion (electron/web) both use them.
 * Arguments arrive already validated by the dispatcher (shared/ipc/dispatch.ts).
 */
import type { IpcEvent } from '../../shared/ipc/channels';
import type { AppInfo, IpcEventPayload } from '../../shared/ipc/contract';
import { IpcUserError, type IpcHandlers } from '../../shared/ipc/dispatch';
import { toSafeExternalUrl } from './externalUrl';
import { createFocusHandlers } from './focus/focusHandlers';
import type { FocusService } from './focus/focusService';
import { SettingsStoreError, type SettingsStore } from './settingsStore';
import { createSyncHandlers, type SyncHandlerDeps } from './signaling/syncHandlers';
import { createMarkdownExporter, type ChooseFolder } from './notesExport';
import { createBackupHandlers } from './backups/backupHandlers';
import type { BackupService } from './backups/backupService';
import type { DataKeyStore } from './atRest/dataKeyStore';
import { createAppLock, type AppLock } from './lock/appLock';
import type { OriginMigration } from './migration/originMigration';

export interface HandlerDeps {
  /** Name, version and platform of the running app. */
  readonly info: AppInfo;
  readonly settings: SettingsStore;
  /** Opens a validated http(s)/mailto URL outside the app (Electron's shell.openExternal). */
  openExternal(url: string): Promise<void>;
  /** Sends an event to the renderer (every window, or every connected web client). */
  broadcast<E extends IpcEvent>(event: E, payload: IpcEventPayload<E>): void;
  /** The focus timer; its channels answer "unavailable" without it. */
  readonly focus?: FocusService;
  /** Sync settings, the LAN signaling server and mDNS discovery; "all off" without them. */
  readonly sync?: Omit<SyncHandlerDeps, 'broadcast'>;
  /** The native folder picker for exports; web mode has none (the renderer downloads instead). */
  readonly chooseFolder?: ChooseFolder;
  /** Workspace backups on disk; the backups:* channels answer "unavailable" without it. */
  readonly backups?: BackupService;
  /** The data key the OS keychain keeps; without it the page hears that there is no keychain. */
  readonly dataKey?: DataKeyStore;
  /** The app lock's state and the OS check of its user; without it, a lock of its own. */
  readonly lock?: AppLock;
  /** The move from the file:// origin; without it there is never anything to take over. */
  readonly migration?: OriginMigration;
}

function schemeOf(raw: string): string {
  const match = /^([a-z][a-z0-9+.-]*):/i.exec(raw.trim());
  return match?.[1] ? `${match[1].toLowerCase()}:` : 'no scheme';
}

/** Builds the handler for every channel of the contract. */
export function createHandlers(deps: HandlerDeps): IpcHandlers {
  return {
    'app:getInfo': () => ({ ...deps.info }),

    'settings:get': () => deps.settings.get(),

    'settings:update': async (patch) => {
      let next;
      try {
        next = await deps.settings.update(patch);
      } catch (error) {
        if (error instanceof SettingsStoreError)
          throw new IpcUserError('settings-not-saved', error.message);
        throw error;
      }
      deps.broadcast('settings:changed', next);
      return next;
    },

    'shell:openExternal': async ({ url }) => {
      const safe = toSafeExternalUrl(url);
      if (!safe) {
        throw new IpcUserError(
          'invalid-url',
          `Outpost opens only web (http, https) and e-mail (mailto) links; this link (${schemeOf(url)}) was not opened.`,
        );
      }
      await deps.openExternal(safe);
      return null;
    },

    ...createFocusHandlers(deps.focus),

    ...createSyncHandlers(deps.sync && { ...deps.sync, broadcast: deps.broadcast }),

    'notes:exportMarkdown': createMarkdownExporter(
      deps.chooseFolder ? { chooseFolder: deps.chooseFolder } : {},
    ),

    'atRest:dataKey': () =>
      deps.dataKey?.get() ?? {
        protection: 'unavailable',
        reason: 'This runs without a desktop keychain.',
      },

    ...(deps.lock ?? createAppLock({ platform: deps.info.platform as NodeJS.Platform })).handlers,

    ...(deps.migration?.handlers ?? {
      'migration:pending': () => null,
      'migration:finish': () => null,
    }),

    ...createBackupHandlers({
      ...(deps.backups ? { service: deps.backups } : {}),
      ...(deps.chooseFolder ? { chooseFolder: deps.chooseFolder } : {}),
    }),
  };
}
