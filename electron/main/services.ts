/**
 * The one composition root of the main process's services: settings, the focus timer, sync
 * settings with the LAN signaling server and mDNS, backups, and the IPC handlers over them. The
 * desktop app (app.ts) and the web companion (electron/web/server.ts) both build their services
 * here and differ only in the edges they pass in: how events reach the page, how links and folder
 * pickers open, where problems are shown. Before this module each built them itself, and the two
 * copies had begun to drift (see docs/ARCHITECTURE.md, "Main process").
 */
import path from 'node:path';
import type { AppInfo } from '../../shared/ipc/contract';
import { deviceTimeZone } from '../../shared/time/zonedTime';
import type { IpcHandlers } from '../../shared/ipc/dispatch';
import { createBackupService, type BackupService } from './backups/backupService';
import { createFocusService, type FocusService, type FocusTimers } from './focus/focusService';
import { createHandlers, type HandlerDeps } from './handlers';
import type { ChooseFolder } from './notesExport';
import { createSettingsStore, type SettingsStore } from './settingsStore';
import {
  startSyncNetwork,
  type SyncNetworkOptions,
  type SyncNetworkService,
} from './signaling/lanSync';
import { createSyncSettingsStore, type SyncSettingsStore } from './signaling/syncSettingsStore';
import type { StartHostedServer } from './signaling/serverHost';
import { createDataKeyStore, type SafeStorageLike } from './atRest/dataKeyStore';
import { createAppLock, type AppLock, type TouchIdLike } from './lock/appLock';
import { createOriginMigration, type OriginMigration } from './migration/originMigration';

/** The clock the focus timer runs on (tests pass a fake one). */
export interface ServiceClock {
  now(): number;
  readonly timers: FocusTimers;
}

/** Where the LAN signaling server binds and whether mDNS runs (tests use a namespace). */
export type SyncNetworkPlacement = Pick<
  SyncNetworkOptions,
  'host' | 'discovery' | 'discoveryOptions' | 'port'
>;

/** What differs between the desktop app and the web companion. */
export interface ServiceEdges {
  /** The folder holding settings.json, focus.json, sync-settings.json and backups/. */
  readonly dataDir: string;
  readonly info: AppInfo;
  readonly clock?: ServiceClock | undefined;
  readonly syncNetwork?: SyncNetworkPlacement | undefined;
  /**
   * Where the LAN signaling server runs: the desktop app gives it a utility process of its own;
   * the web companion (a Node process with nothing else as urgent) runs it in-process.
   */
  readonly startSignalingServer?: StartHostedServer | undefined;
  /** A file of the app's own was damaged and reset; the person should hear of it. */
  onProblem(message: string): void;
  /** Diagnostics of the LAN server, mDNS and backups. */
  log(message: string): void;
  readonly broadcast: HandlerDeps['broadcast'];
  openExternal(url: string): Promise<void>;
  /** The native folder picker; the web companion has none (the page downloads instead). */
  readonly chooseFolder?: ChooseFolder | undefined;
  /** The OS keychain (Electron's safeStorage); the web companion has none. */
  readonly safeStorage?: SafeStorageLike | undefined;
  /** Electron's systemPreferences (Touch ID for the app lock on macOS); the companion has none. */
  readonly systemPreferences?: TouchIdLike | undefined;
}

export interface MainServices {
  readonly settings: SettingsStore;
  readonly focus: FocusService;
  readonly syncSettings: SyncSettingsStore;
  /** The LAN signaling server and mDNS discovery. */
  readonly syncNetwork: SyncNetworkService;
  /** Workspace backups in `<dataDir>/backups`. */
  readonly backups: BackupService;
  /** Whether the page is locked (app lock), for notifications the main process shows. */
  readonly lock: AppLock;
  /** The one-time move of IndexedDB from the file:// origin (desktop builds before app://). */
  readonly migration: OriginMigration;
  /** One handler per channel of the IPC contract, over the services above. */
  readonly handlers: IpcHandlers;
  /**
   * Stops the timer and writes it at once, and starts closing the LAN server (sending the mDNS
   * goodbye); for Electron's before-quit, which cannot wait for a promise.
   */
  closeNow(): void;
  /** Closes everything and resolves once the LAN server is closed and the timer is on disk. */
  close(): Promise<void>;
}

/** Real time and Node's timers. */
export const systemClock: ServiceClock = {
  now: () => Date.now(),
  timers: {
    setTimeout: (callback: () => void, delayMs: number) => setTimeout(callback, delayMs),
    clearTimeout: (handle: unknown) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  },
};

/** Loads the stored settings and timer, starts the LAN server as the sync settings say. */
export async function createMainServices(edges: ServiceEdges): Promise<MainServices> {
  const { dataDir, broadcast } = edges;
  const settings = await createSettingsStore(path.join(dataDir, 'settings.json'), {
    onProblem: edges.onProblem,
  });
  const clock = edges.clock ?? systemClock;
  // The timer runs in the main process (or the companion), not in the page, so a hidden window
  // or a background tab cannot delay a break.
  const focus = await createFocusService({
    filePath: path.join(dataDir, 'focus.json'),
    now: () => clock.now(),
    timers: clock.timers,
    defaultTimeZone: deviceTimeZone(),
    onProblem: edges.onProblem,
  });
  focus.subscribe((change) => broadcast('focus:changed', change));
  const syncSettings = await createSyncSettingsStore(path.join(dataDir, 'sync-settings.json'), {
    onProblem: edges.onProblem,
  });
  const syncNetwork = await startSyncNetwork({
    settings: syncSettings.get(),
    ...edges.syncNetwork,
    ...(edges.startSignalingServer ? { startServer: edges.startSignalingServer } : {}),
    log: edges.log,
  });
  syncSettings.subscribe((next) => void syncNetwork.apply(next));
  syncNetwork.subscribe((network) => broadcast('sync:networkChanged', network));
  const backups = createBackupService({ dir: path.join(dataDir, 'backups'), log: edges.log });
  backups.subscribe((workspaceId) => broadcast('backups:changed', { workspaceId }));
  const migration = await createOriginMigration({ dataDir, log: edges.log });
  const lock = createAppLock({
    platform: edges.info.platform as NodeJS.Platform,
    systemPreferences: edges.systemPreferences,
  });
  const handlers = createHandlers({
    info: edges.info,
    settings,
    openExternal: edges.openExternal,
    broadcast,
    focus,
    sync: { network: syncNetwork, settings: syncSettings },
    backups,
    ...(edges.chooseFolder ? { chooseFolder: edges.chooseFolder } : {}),
    dataKey: createDataKeyStore({ dataDir, safeStorage: edges.safeStorage }),
    lock,
    migration,
  });

  return {
    settings,
    focus,
    syncSettings,
    syncNetwork,
    backups,
    lock,
    migration,
    handlers,
    closeNow() {
      focus.close();
      focus.flushSync();
      void syncNetwork.close();
    },
    async close() {
      await syncNetwork.close();
      focus.close();
      await focus.flush();
    },
  };
}
