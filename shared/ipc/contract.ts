/**
 * The one IPC contract between the renderer and the main process (or the web-mode companion):
 * channel name → input schema → output schema, plus main → renderer events. The main process
 * registers handlers through it, the preload exposes only what it lists, and the renderer's
 * calls are typed from it.
 */
import { z } from 'zod';
import type { IpcChannel, IpcEvent } from './channels';
import type { Result } from '../result';
import {
  FocusActionSchema,
  FocusChangedSchema,
  FocusConfigUpdateResultSchema,
  FocusConfigUpdateSchema,
  FocusSnapshotSchema,
  FocusStatsQuerySchema,
  FocusStatsSchema,
} from './focusContract';
import { SyncNetwork, SyncSettings, SyncSettingsPatch } from './syncContract';
import { MarkdownExportInput, MarkdownExportResult } from './notesContract';
import {
  BackupFile,
  BackupFlushRequest,
  BackupsChanged,
  BackupList,
  BackupListInput,
  BackupReadInput,
  BackupWriteInput,
  BackupWriteResult,
  SavedResult,
  SaveMarkdownInput,
  SaveWorkspaceFileInput,
} from './backupsContract';
import { DataKeyAnswer } from './atRestContract';
import { MigrationFinished, PendingMigration } from './migrationContract';
import { LockStateInput, OsUnlockAvailability, OsUnlockResult, SystemLocked } from './lockContract';

export const ThemePreference = z.enum(['system', 'light', 'dark']);
export type ThemePreference = z.infer<typeof ThemePreference>;

export const AppSettings = z.object({
  theme: ThemePreference,
  /** Closing the window keeps Outpost running in the tray (timers and sync go on). */
  closeToTray: z.boolean(),
});
export type AppSettings = z.infer<typeof AppSettings>;

export const DEFAULT_SETTINGS: AppSettings = { theme: 'system', closeToTray: true };

export const AppSettingsPatch = AppSettings.partial().strict();
export type AppSettingsPatch = z.infer<typeof AppSettingsPatch>;

export const AppInfo = z.object({
  name: z.string(),
  version: z.string(),
  platform: z.string(),
  /** `electron` in the desktop app, `web` when the renderer runs in a browser beside the companion. */
  shell: z.enum(['electron', 'web']),
});
export type AppInfo = z.infer<typeof AppInfo>;

const NoInput = z.undefined();

export const ExternalUrl = z.object({ url: z.string().min(1).max(2048) }).strict();

export const ipcContract = {
  'app:getInfo': { input: NoInput, output: AppInfo },
  'settings:get': { input: NoInput, output: AppSettings },
  'settings:update': { input: AppSettingsPatch, output: AppSettings },
  'shell:openExternal': { input: ExternalUrl, output: z.null() },
  'focus:getState': { input: NoInput, output: FocusSnapshotSchema },
  'focus:act': { input: FocusActionSchema, output: FocusSnapshotSchema },
  'focus:updateConfig': { input: FocusConfigUpdateSchema, output: FocusConfigUpdateResultSchema },
  'focus:stats': { input: FocusStatsQuerySchema, output: FocusStatsSchema },
  'sync:getNetwork': { input: NoInput, output: SyncNetwork },
  'sync:getSettings': { input: NoInput, output: SyncSettings },
  'sync:updateSettings': { input: SyncSettingsPatch, output: SyncSettings },
  'notes:exportMarkdown': { input: MarkdownExportInput, output: MarkdownExportResult },
  'backups:write': { input: BackupWriteInput, output: BackupWriteResult },
  'backups:list': { input: BackupListInput, output: BackupList },
  'backups:read': { input: BackupReadInput, output: BackupFile },
  'backups:saveFile': { input: SaveWorkspaceFileInput, output: SavedResult },
  'backups:saveMarkdown': { input: SaveMarkdownInput, output: SavedResult },
  'atRest:dataKey': { input: NoInput, output: DataKeyAnswer },
  'lock:setLocked': { input: LockStateInput, output: z.null() },
  'lock:osAvailable': { input: NoInput, output: OsUnlockAvailability },
  'lock:osUnlock': { input: NoInput, output: OsUnlockResult },
  'migration:pending': { input: NoInput, output: PendingMigration },
  'migration:finish': { input: MigrationFinished, output: z.null() },
} satisfies Record<IpcChannel, { input: z.ZodType; output: z.ZodType }>;

export const ipcEvents = {
  'settings:changed': AppSettings,
  'focus:changed': FocusChangedSchema,
  'sync:networkChanged': SyncNetwork,
  'sync:settingsChanged': SyncSettings,
  'backups:flush': BackupFlushRequest,
  'backups:changed': BackupsChanged,
  'lock:systemLocked': SystemLocked,
} satisfies Record<IpcEvent, z.ZodType>;

export type IpcContract = typeof ipcContract;
export type IpcInput<K extends IpcChannel> = z.input<IpcContract[K]['input']>;
export type IpcOutput<K extends IpcChannel> = z.output<IpcContract[K]['output']>;
export type IpcEventPayload<E extends IpcEvent> = z.output<(typeof ipcEvents)[E]>;

/** The API the preload exposes as `window.outpost` (and web mode provides over HTTP). */
export interface OutpostApi {
  invoke<K extends IpcChannel>(channel: K, input: IpcInput<K>): Promise<Result<IpcOutput<K>>>;
  on<E extends IpcEvent>(event: E, listener: (payload: IpcEventPayload<E>) => void): () => void;
}
