/**
 * Hands the main process a backup of a workspace after it changes (debounced: after a quiet spell,
 * and at least every few minutes while edits keep coming), when the page is being hidden or
 * closed, and when the main process asks on quit; text still being typed is written into the
 * document first. The backup is a complete workspace file; the main process skips one identical
 * to the newest. A failed backup (a full disk) is reported once
 * until a backup succeeds again; it never affects editing.
 */
import * as Y from 'yjs';
import { toBase64 } from 'lib0/buffer';
import { workspaceName } from '../../../shared/model';
import {
  countRecords,
  encodeWorkspaceFile,
  type FileSealer,
  type BackupReason,
} from '../../../shared/storage/workspaceFile';
import { fail, type Result } from '../../../shared/result';
import type { BodyDocuments } from '../../../shared/model/bodyDocuments';
import { bundleOf } from '../../../shared/storage/workspaceBundle';
import type { BackupWriteResult } from '../../../shared/ipc/backupsContract';

export interface BackupSink {
  write(file: string): Promise<Result<BackupWriteResult>>;
  onFlushRequest(listener: () => void): () => void;
}

export interface BackupSchedulerOptions {
  readonly workspaceId: string;
  readonly doc: Y.Doc;
  /** Origin of loads (applying stored data is not a change). */
  readonly ignoreOrigin: unknown;
  readonly sink: BackupSink;
  readonly fallbackName: () => string;
  readonly onResult: (ok: boolean, message: string) => void;
  /**
   * Writes text still being typed into the document (fields save a moment after the last
   * keystroke), so a backup taken now, and above all the last one on quit, holds it.
   */
  readonly settle?: () => void;
  readonly quietMs?: number;
  readonly maxWaitMs?: number;
  readonly now?: () => number;
  /** Seals the backups (the workspace's at-rest key); without it they are written plain. */
  readonly sealer?: FileSealer | undefined;
  /**
   * The workspace's body documents when it is in schema 2 (`doc` is then its root): backups are
   * then bundles of the root and every body (version 4), and a change to a body is a change.
   */
  readonly bodies?: BodyDocuments | null;
}

export interface BackupScheduler {
  /** Writes a backup now (also when nothing changed: a manual backup). */
  backupNow(reason: BackupReason): Promise<Result<BackupWriteResult>>;
  destroy(): void;
}

/** Builds a workspace file from the document as it is now. */
export function workspaceFileOf(
  doc: Y.Doc,
  workspaceId: string,
  fallbackName: string,
  reason: BackupReason,
  createdAt: number,
  sealer?: FileSealer,
): Uint8Array {
  return encodeWorkspaceFile(
    {
      workspaceId,
      workspaceName: workspaceName(doc) ?? fallbackName,
      createdAt,
      reason,
      state: Y.encodeStateAsUpdate(doc),
      counts: countRecords(doc),
    },
    sealer,
  );
}

/**
 * Builds a workspace file of a workspace as it is now: of its one document (schema 1, `bodies`
 * null), or a bundle of its root and every body document (schema 2), read one body at a time.
 */
export async function workspaceFileFor(
  doc: Y.Doc,
  bodies: BodyDocuments | null,
  workspaceId: string,
  fallbackName: string,
  reason: BackupReason,
  createdAt: number,
  sealer?: FileSealer,
): Promise<Uint8Array> {
  if (!bodies) return workspaceFileOf(doc, workspaceId, fallbackName, reason, createdAt, sealer);
  return encodeWorkspaceFile(
    {
      workspaceId,
      workspaceName: workspaceName(doc) ?? fallbackName,
      createdAt,
      reason,
      state: await bundleOf(doc, bodies),
      counts: countRecords(doc),
      bundle: true,
    },
    sealer,
  );
}

export function startBackupScheduler(options: BackupSchedulerOptions): BackupScheduler {
  const quietMs = options.quietMs ?? 20_000;
  const maxWaitMs = options.maxWaitMs ?? 5 * 60_000;
  const now = options.now ?? Date.now;
  let dirtySince: number | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let destroyed = false;
  let failing = false;
  let running: Promise<Result<BackupWriteResult>> | null = null;

  const backupNow = async (reason: BackupReason): Promise<Result<BackupWriteResult>> => {
    options.settle?.();
    if (timer !== null) clearTimeout(timer);
    timer = null;
    await running?.catch(() => undefined);
    dirtySince = null;
    running = workspaceFileFor(
      options.doc,
      options.bodies ?? null,
      options.workspaceId,
      options.fallbackName(),
      reason,
      now(),
      options.sealer,
    ).then(
      (file) => options.sink.write(toBase64(file)),
      // A body that could not be read: reported like a failed write, and tried again later.
      (error: unknown) =>
        fail<BackupWriteResult>(
          'backup-failed',
          `The backup could not be made: ${error instanceof Error ? error.message : String(error)}`,
        ),
    );
    const result = await running;
    running = null;
    if (!result.ok) {
      if (!failing) options.onResult(false, result.error.message);
      failing = true;
    } else {
      if (failing || reason === 'manual')
        options.onResult(true, result.value.written ? 'Backup written.' : 'Backup is up to date.');
      failing = false;
    }
    return result;
  };

  const schedule = () => {
    if (destroyed) return;
    const at = now();
    dirtySince ??= at;
    if (timer !== null) clearTimeout(timer);
    const wait = Math.max(0, Math.min(quietMs, dirtySince + maxWaitMs - at));
    timer = setTimeout(() => void backupNow('change'), wait);
  };

  const onUpdate = (_update: Uint8Array, origin: unknown) => {
    if (origin !== options.ignoreOrigin) schedule();
  };
  options.doc.on('update', onUpdate);
  // In schema 2 the text is in the body documents: every change there (typed here or received)
  // is a change to back up.
  const offBodies = options.bodies?.onUpdate(() => schedule()) ?? (() => undefined);

  const flushIfDirty = (reason: BackupReason) => {
    if (!destroyed) options.settle?.();
    if (dirtySince !== null && !destroyed) void backupNow(reason);
  };
  const onHide = () => {
    if (document.visibilityState === 'hidden') flushIfDirty('change');
  };
  const onPageHide = () => flushIfDirty('quit');
  document.addEventListener('visibilitychange', onHide);
  window.addEventListener('pagehide', onPageHide);
  const offFlush = options.sink.onFlushRequest(() => {
    if (!destroyed) void backupNow('quit');
  });

  return {
    backupNow,
    destroy() {
      if (destroyed) return;
      // A change not yet backed up is handed over as the workspace closes.
      flushIfDirty('change');
      destroyed = true;
      if (timer !== null) clearTimeout(timer);
      options.doc.off('update', onUpdate);
      offBodies();
      document.removeEventListener('visibilitychange', onHide);
      window.removeEventListener('pagehide', onPageHide);
      offFlush();
    },
  };
}
