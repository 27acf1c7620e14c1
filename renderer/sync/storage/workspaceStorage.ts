/**
 * Everything that keeps one open workspace safe on this device: durable IndexedDB storage (loading
 * around damaged rows, bounded by compaction, save state) and automatic backups to the main
 * process. The workspace session opens it; progress, set-aside rows, save state and backup
 * problems go to the UI as storage events.
 */
import type * as Y from 'yjs';
import { getOutpostApi } from '../../platform/outpostApi';
import { WORKSPACE_DB_PREFIX } from '../localState';
import { openDurableStorage } from './durableStorage';
import type { DurableStorage, LoadReport } from './durableTypes';
import { startBackupScheduler, type BackupScheduler, type BackupSink } from './backupScheduler';
import { publishStorageEvent } from './events';
import { flushPendingEdits } from '../pendingEdits';
import { workspaceRowCodec } from '../atRestKeys';
import { fileSealer } from '../../../shared/storage/sealedRows';
import type { BodyDocuments } from '../../../shared/model/bodyDocuments';

export interface WorkspaceStorage {
  readonly durable: DurableStorage;
  readonly whenLoaded: Promise<LoadReport>;
  backupNow(): ReturnType<BackupScheduler['backupNow']>;
  destroy(): Promise<void>;
}

const open = new Map<string, WorkspaceStorage>();

/** The storage of an open workspace (for the Backups screen's actions). */
export function workspaceStorage(id: string): WorkspaceStorage | undefined {
  return open.get(id);
}

function ipcSink(): BackupSink {
  const api = getOutpostApi();
  return {
    write: (file) => api.invoke('backups:write', { file }),
    onFlushRequest: (listener) => api.on('backups:flush', () => listener()),
  };
}

/** Opens the storage of workspace `id` for `doc`. */
export function openWorkspaceStorage(
  id: string,
  doc: Y.Doc,
  options: {
    readonly fallbackName: () => string;
    readonly sink?: BackupSink;
    /** `doc`'s durable storage, already opened (at start-up): taken over instead of opened. */
    readonly durable?: DurableStorage;
    /** The body documents of a schema-2 workspace (`doc` its root): backups hold them too. */
    readonly bodies?: BodyDocuments | null;
  } = {
    fallbackName: () => 'Workspace',
  },
): WorkspaceStorage {
  const durable =
    options.durable ??
    openDurableStorage(WORKSPACE_DB_PREFIX + id, doc, {
      codec: workspaceRowCodec(id),
      onProgress: (progress) =>
        publishStorageEvent({ type: 'progress', workspaceId: id, progress }),
    });
  const offSave = durable.onSaveState((state) =>
    publishStorageEvent({ type: 'save', workspaceId: id, state }),
  );
  let scheduler: BackupScheduler | null = null;
  const whenLoaded = durable.whenLoaded.then((report) => {
    publishStorageEvent({ type: 'loaded', workspaceId: id, report });
    if (open.get(id) === storage) {
      scheduler = startBackupScheduler({
        workspaceId: id,
        doc,
        ignoreOrigin: durable.origin,
        sink: options.sink ?? ipcSink(),
        fallbackName: options.fallbackName,
        settle: flushPendingEdits,
        sealer: fileSealer(durable.codec),
        bodies: options.bodies ?? null,
        onResult: (ok, message) =>
          publishStorageEvent({ type: 'backup', workspaceId: id, ok, message, at: Date.now() }),
      });
    }
    return report;
  });
  const storage: WorkspaceStorage = {
    durable,
    whenLoaded,
    backupNow: async () => {
      await whenLoaded;
      if (!scheduler) throw new Error('The workspace is closed.');
      return scheduler.backupNow('manual');
    },
    async destroy() {
      if (open.get(id) === storage) open.delete(id);
      scheduler?.destroy();
      offSave();
      await durable.destroy();
    },
  };
  open.set(id, storage);
  return storage;
}
