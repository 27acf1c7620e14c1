/**
 * Automatic backups of workspaces, kept by the main process (and by the web-mode companion) in
 * `<userData>/backups/<workspace id>/`. The renderer hands over complete workspace files
 * (shared/storage/workspaceFile.ts); this service checks them, writes them atomically (temporary
 * file, fsync, rename), skips a backup identical to the newest one, and prunes by the retention
 * policy. A full disk is reported as a `disk-full` error, never a crash. Plain Node: the folder,
 * the clock and the file system are passed in, so tests use a real temporary folder and can
 * simulate a full disk.
 */
import { createHash } from 'node:crypto';
import * as fsPromises from 'node:fs/promises';
import path from 'node:path';
import {
  readWorkspaceFileHeader,
  verifyWorkspaceFile,
  WORKSPACE_FILE_EXTENSION,
  type WorkspaceFileHeader,
} from '../../../shared/storage/workspaceFile';
import {
  backupKind,
  backupsToDelete,
  DEFAULT_RETENTION,
  type RetentionPolicy,
} from '../../../shared/storage/retention';
import type { BackupEntry, BackupList } from '../../../shared/ipc/backupsContract';
import { ID_PATTERN } from '../../../shared/core/ids';
import { ensurePrivateFolder, PRIVATE_FILE_MODE } from '../jsonFile';

/** The file operations the service uses (node:fs/promises; tests may wrap them). */
export type BackupFs = Pick<
  typeof fsPromises,
  'mkdir' | 'readdir' | 'readFile' | 'rename' | 'rm' | 'stat' | 'open' | 'chmod'
>;

export interface BackupServiceDeps {
  /** The folder holding one sub-folder per workspace. */
  readonly dir: string;
  readonly now?: () => number;
  readonly policy?: RetentionPolicy;
  readonly fs?: BackupFs;
  readonly log?: (message: string) => void;
}

/** An expected failure with a message for the person. */
export class BackupError extends Error {
  constructor(
    readonly code: 'invalid-backup' | 'disk-full' | 'backup-failed' | 'not-found',
    message: string,
  ) {
    super(message);
    this.name = 'BackupError';
  }
}

export interface DamagedBackup {
  readonly id: string;
  readonly bytes: number;
  readonly problem: string;
}

export interface BackupService {
  readonly dir: string;
  /** Writes a backup unless the newest one holds the same content. */
  write(file: Uint8Array): Promise<{ written: boolean; entry: BackupEntry }>;
  list(workspaceId: string): Promise<BackupList & { damaged: DamagedBackup[] }>;
  read(workspaceId: string, id: string): Promise<Uint8Array>;
  /** Resolves after the next write call settles, written or not (the quit flush waits on it). */
  nextWrite(): Promise<void>;
  /**
   * Calls `listener` with a workspace's id after a backup of it was written and old ones pruned,
   * so a list on screen is never stale; returns an unsubscribe function.
   */
  subscribe(listener: (workspaceId: string) => void): () => void;
}

const HEADER_BYTES = 16 * 1024;

/** 2026-01-15T10:30:00.123Z → 20260115T103000123Z (sorts by time, safe on every file system). */
export function backupStamp(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:.]/g, '');
}

/** When the service wrote a backup, from its file name (falling back to the header's time). */
function writtenAt(id: string, header: WorkspaceFileHeader): number {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(\d{3})Z/.exec(id);
  if (!match) return header.createdAt;
  const [, y, mo, d, h, mi, s, ms] = match.map(Number) as number[];
  return Date.UTC(y!, mo! - 1, d!, h!, mi!, s!, ms!);
}

function entryOf(id: string, bytes: number, header: WorkspaceFileHeader): BackupEntry {
  return {
    id,
    workspaceId: header.workspaceId,
    workspaceName: header.workspaceName,
    createdAt: writtenAt(id, header),
    reason: header.reason,
    bytes,
    counts: header.counts,
  };
}

function stripChecksum(entry: BackupEntry & { checksum: string }): BackupEntry {
  const { id, workspaceId, workspaceName, createdAt, reason, bytes, counts } = entry;
  return { id, workspaceId, workspaceName, createdAt, reason, bytes, counts };
}

function isDiskFull(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return code === 'ENOSPC' || code === 'EDQUOT';
}

/** Creates the service; nothing touches the disk until the first call. */
export function createBackupService(deps: BackupServiceDeps): BackupService {
  const fs = deps.fs ?? fsPromises;
  const now = deps.now ?? Date.now;
  const policy = deps.policy ?? DEFAULT_RETENTION;
  const log = deps.log ?? ((message: string) => console.warn(message));
  const newestChecksum = new Map<string, { id: string; checksum: string; entry: BackupEntry }>();
  let waiters: Array<() => void> = [];
  const listeners = new Set<(workspaceId: string) => void>();

  const folderOf = (workspaceId: string): string => {
    if (!ID_PATTERN.test(workspaceId))
      throw new BackupError('invalid-backup', 'That is not a workspace id.');
    return path.join(deps.dir, workspaceId);
  };

  async function readHeader(
    file: string,
  ): Promise<{ header: WorkspaceFileHeader; bytes: number } | string> {
    const handle = await fs.open(file, 'r');
    try {
      const { size } = await handle.stat();
      const buffer = new Uint8Array(Math.min(size, HEADER_BYTES));
      await handle.read(buffer, 0, buffer.length, 0);
      const parsed = readWorkspaceFileHeader(buffer);
      if (!parsed.ok) {
        // A header longer than what was read is not ours anyway; anything else is reported.
        return parsed.error.message;
      }
      if (size - parsed.value.payloadOffset !== parsed.value.header.payloadBytes)
        return 'The backup file has the wrong length: it was cut off or changed.';
      return { header: parsed.value.header, bytes: size };
    } finally {
      await handle.close();
    }
  }

  async function scan(workspaceId: string) {
    const folder = folderOf(workspaceId);
    let names: string[];
    try {
      names = await fs.readdir(folder);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT')
        return { folder, entries: [] as Array<BackupEntry & { checksum: string }>, damaged: [] };
      throw error;
    }
    const entries: Array<BackupEntry & { checksum: string }> = [];
    const damaged: DamagedBackup[] = [];
    for (const name of names.filter((n) => n.endsWith(WORKSPACE_FILE_EXTENSION)).sort()) {
      try {
        const read = await readHeader(path.join(folder, name));
        if (typeof read === 'string') {
          const { size } = await fs.stat(path.join(folder, name));
          damaged.push({ id: name, bytes: size, problem: read });
        } else
          entries.push({
            ...entryOf(name, read.bytes, read.header),
            checksum: read.header.checksum,
          });
      } catch (error) {
        damaged.push({ id: name, bytes: 0, problem: String(error) });
      }
    }
    entries.sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1));
    return { folder, entries, damaged };
  }

  async function writeAtomically(folder: string, name: string, file: Uint8Array): Promise<void> {
    const target = path.join(folder, name);
    const temporary = path.join(folder, `.${name}.tmp`);
    let handle: fsPromises.FileHandle | null = null;
    try {
      // A backup is a whole workspace: only this account may list or read it.
      await ensurePrivateFolder(deps.dir, fs);
      await ensurePrivateFolder(folder, fs);
      // A temporary file left by a crash keeps its old mode through 'w'; start it afresh.
      await fs.rm(temporary, { force: true });
      handle = await fs.open(temporary, 'wx', PRIVATE_FILE_MODE);
      await handle.writeFile(file);
      await handle.sync();
      await handle.close();
      handle = null;
      await fs.rename(temporary, target);
    } catch (error) {
      await handle?.close().catch(() => undefined);
      await fs.rm(temporary, { force: true }).catch(() => undefined);
      throw error;
    }
  }

  return {
    dir: deps.dir,

    async write(file) {
      try {
        return await writeBackup(file);
      } finally {
        const pending = waiters;
        waiters = [];
        for (const resolve of pending) resolve();
      }
    },

    async list(workspaceId) {
      const { folder, entries, damaged } = await scan(workspaceId);
      return {
        entries: entries.map(stripChecksum),
        damaged,
        totalBytes: entries.reduce((sum, entry) => sum + entry.bytes, 0),
        maxBytes: policy.maxBytes,
        folder,
      };
    },

    async read(workspaceId, id) {
      if (path.basename(id) !== id || !id.endsWith(WORKSPACE_FILE_EXTENSION))
        throw new BackupError('not-found', 'No such backup.');
      try {
        return new Uint8Array(await fs.readFile(path.join(folderOf(workspaceId), id)));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT')
          throw new BackupError(
            'not-found',
            'That backup no longer exists (it may have been pruned).',
          );
        throw error;
      }
    },

    nextWrite() {
      return new Promise((resolve) => waiters.push(resolve));
    },

    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };

  async function writeBackup(file: Uint8Array): Promise<{ written: boolean; entry: BackupEntry }> {
    const verified = verifyWorkspaceFile(file);
    if (!verified.ok)
      throw new BackupError(
        'invalid-backup',
        `The backup was not written: ${verified.error.message}`,
      );
    const { header } = verified.value;
    const folder = folderOf(header.workspaceId);
    let newest = newestChecksum.get(header.workspaceId);
    if (!newest) {
      const first = (await scan(header.workspaceId)).entries[0];
      if (first) {
        const stored = verifyWorkspaceFile(
          new Uint8Array(
            await fs.readFile(path.join(folder, first.id)).catch(() => new Uint8Array()),
          ),
        );
        const entry = stripChecksum(first);
        if (stored.ok) newest = { id: first.id, checksum: contentKey(stored.value.state), entry };
      }
    }
    // Written times differ, so compare what the workspace holds: the payload. An automatic
    // backup of the same content is not needed; one the person asked for, or one taken before a
    // restore or deletion, is written unless the newest is of its kind, so that retention (which
    // never lets one kind replace another) keeps it.
    const kind = backupKind(header.reason);
    if (
      newest &&
      newest.checksum === contentKey(verified.value.state) &&
      (kind === 'automatic' || kind === backupKind(newest.entry.reason))
    ) {
      return { written: false, entry: newest.entry };
    }
    const createdAt = now();
    let name = `${backupStamp(createdAt)}-${header.reason}${WORKSPACE_FILE_EXTENSION}`;
    const existing = new Set(await fs.readdir(folder).catch(() => [] as string[]));
    for (let n = 1; existing.has(name); n++)
      name = `${backupStamp(createdAt + n)}-${header.reason}${WORKSPACE_FILE_EXTENSION}`;
    try {
      await writeAtomically(folder, name, file);
    } catch (error) {
      if (isDiskFull(error)) {
        throw new BackupError(
          'disk-full',
          `The disk is full, so the backup of “${header.workspaceName}” could not be written. Your work is still saved in Outpost; free some disk space and the next backup will be written.`,
        );
      }
      throw new BackupError(
        'backup-failed',
        `The backup of “${header.workspaceName}” could not be written (${(error as NodeJS.ErrnoException).code ?? String(error)}). Your work is still saved in Outpost.`,
      );
    }
    const entry = entryOf(name, file.length, header);
    newestChecksum.set(header.workspaceId, {
      id: name,
      checksum: contentKey(verified.value.state),
      entry,
    });
    await prune(header.workspaceId).catch((error: unknown) =>
      log(`[backups] pruning failed: ${String(error)}`),
    );
    for (const listener of listeners) listener(header.workspaceId);
    return { written: true, entry };
  }

  async function prune(workspaceId: string): Promise<void> {
    const { folder, entries } = await scan(workspaceId);
    for (const id of backupsToDelete(entries, now(), policy))
      await fs.rm(path.join(folder, id), { force: true });
  }
}

/** What identifies a backup's content (its payload), independent of when it was written. */
function contentKey(state: Uint8Array): string {
  return createHash('sha256').update(state).digest('hex');
}
