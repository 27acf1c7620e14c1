/**
 * Storing a checked workspace file (shared/storage/workspaceFile.ts) as a workspace's data on this
 * device, for an import or a restore: as a new workspace, or in place of one (the Backups
 * screen's actions, features/backups/backupActions.ts, call it with the workspace closed).
 *
 * - A file of one document (versions 1–3, bodies inside their notes: schema 1) becomes the
 *   workspace's only row, as it always did; the workspace opens in schema 1 and the session moves
 *   its bodies out when it opens it (bodiesMigration.ts).
 * - A bundle (version 4, schema 2) becomes what a migration leaves (docs/PROTOCOL.md §6.8): every
 *   body a lazy document, stored a batch at a time, and only then, in one transaction, the root
 *   as the only row beside the layout marker. A restore stopped before that transaction leaves
 *   the workspace's rows as they were.
 *
 * In place of a workspace, whatever this device kept of the old data beside its rows (its lazy
 * documents, the legacy copy a migration keeps) is deleted first: it belongs to the data being
 * replaced, and left there it would merge back into the restored notes. A before-restore backup
 * is written before any of this (backupActions.ts), so a replacement stopped half way is undone
 * from it.
 */
import type { AtRestKey } from '../../../shared/protocol/atRest';
import type { RowCodec } from '../../../shared/storage/sealedRows';
import { bundleNoteIds, type WorkspaceBundle } from '../../../shared/storage/workspaceBundle';
import type { WorkspaceFile } from '../../../shared/storage/workspaceFile';
import * as Y from 'yjs';
import { BODIES_SCHEMA_VERSION, LAYOUT_KEY, LEGACY_DB_PREFIX } from './bodiesMigration';
import { WORKSPACE_DB_PREFIX, openWorkspaceDb, writeStateRow } from './idb';
import { deleteLazyDocsDb } from './lazyDocDb';
import { openLazyDocStore } from './lazyDocStore';

/** Body documents stored per transaction (a migration's smallest batch). */
export const RESTORE_BATCH_BODIES = 1000;

export interface RestoreTarget {
  readonly workspaceId: string;
  /** How the workspace's rows are sealed (its at-rest codec). */
  readonly codec: RowCodec;
  /** The workspace's at-rest key, for its lazy documents (null: this device stores plain). */
  readonly key: AtRestKey | Promise<AtRestKey> | null;
  /** Whether a workspace is replaced (its other data on this device is deleted first). */
  readonly replacing: boolean;
  readonly now?: () => number;
}

/** Stores the workspace of a checked file as `target`'s only data on this device. */
export async function storeRestoredWorkspace(
  target: RestoreTarget,
  file: WorkspaceFile,
): Promise<void> {
  await target.codec.ready;
  if (target.replacing) await deleteKeptBeside(target.workspaceId);
  if (file.bundle) {
    try {
      await storeBodies(target, file.bundle);
    } catch (error) {
      // A new workspace keeps nothing of a restore that failed (it is never listed); one being
      // replaced keeps its rows, and its before-restore backup holds its bodies.
      if (!target.replacing) await deleteLazyDocsDb(target.workspaceId);
      throw error;
    }
    await writeOnlyRow(target, file.bundle.root, true);
  } else {
    await writeOnlyRow(target, file.state, false);
  }
}

function deleteDatabase(name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.deleteDatabase(name);
    request.onsuccess = () => resolve();
    request.onerror = () => reject(request.error ?? new Error(`${name} could not be deleted.`));
    request.onblocked = () => reject(new Error(`${name} is still open in another tab.`));
  });
}

/** The lazy documents and legacy copy of the data being replaced. */
async function deleteKeptBeside(workspaceId: string): Promise<void> {
  if (!(await deleteLazyDocsDb(workspaceId)))
    throw new Error('its note bodies are still open in another tab');
  await deleteDatabase(LEGACY_DB_PREFIX + workspaceId);
}

/**
 * Every body as a lazy document, and every note without one an empty document (as a migration
 * leaves them), a batch per transaction; committed when this resolves.
 */
async function storeBodies(target: RestoreTarget, bundle: WorkspaceBundle): Promise<void> {
  const lazy = openLazyDocStore(target.workspaceId, {
    key: target.key,
    accepts: () => true,
    onProblem: () => undefined,
  });
  try {
    const withBody = new Map(bundle.bodies.map((body) => [body.id, body.update] as const));
    const ids = noteIdsOf(bundle.root);
    for (let start = 0; start < ids.length; start += RESTORE_BATCH_BODIES) {
      const batch = ids.slice(start, start + RESTORE_BATCH_BODIES);
      await lazy.createMany(batch.map((id) => [id, withBody.get(id)] as const));
    }
    await lazy.flush();
  } finally {
    await lazy.close();
  }
}

function noteIdsOf(root: Uint8Array): string[] {
  const doc = new Y.Doc();
  try {
    Y.applyUpdate(doc, root);
    return bundleNoteIds(doc);
  } finally {
    doc.destroy();
  }
}

/**
 * `state` as the workspace's only row, trusted (as after a compaction), in one transaction that
 * also sets the layout marker (a root without bodies) or removes it.
 */
async function writeOnlyRow(
  target: RestoreTarget,
  state: Uint8Array,
  bodiesLayout: boolean,
): Promise<void> {
  const layout = bodiesLayout
    ? { schemaVersion: BODIES_SCHEMA_VERSION, at: (target.now ?? Date.now)() }
    : undefined;
  const db = await openWorkspaceDb(WORKSPACE_DB_PREFIX + target.workspaceId);
  try {
    await writeStateRow(db, state, {
      codec: target.codec,
      custom: new Map([[LAYOUT_KEY, layout]]),
    });
  } finally {
    db.close();
  }
}
