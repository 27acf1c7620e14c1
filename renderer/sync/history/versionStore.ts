/**
 * Where this device keeps versions of a workspace's notes and decisions: an IndexedDB database of
 * its own per workspace (`outpost-history-<id>`), apart from the workspace's document, because
 * versions are this device's record of what it saw and are never synced. Each row is one version
 * (shared/model/versions.ts encodes its content); retention is shared/storage/versionRetention.ts.
 *
 * A version's content is sealed with the workspace's at-rest key like the workspace's own rows
 * (shared/storage/sealedRows.ts, scope `outpost-ws-<id>/history`, so a version does not open as a
 * workspace row or the other way round). What stays plain is bookkeeping that retention and the
 * list need without a key: record ids, times, why, author member ids, sizes. Rows an earlier
 * version stored plain still read; on the first open with a key they are rewritten sealed, one
 * transaction over all rows, so an interrupted run is simply done again at the next open.
 */
import type { VersionedKind } from '../../../shared/model/versions';
import {
  DEFAULT_VERSION_RETENTION,
  versionsToDrop,
  type StoredVersionInfo,
  type VersionRetentionPolicy,
} from '../../../shared/storage/versionRetention';
import { PLAIN_ROWS, type RowCodec } from '../../../shared/storage/sealedRows';
import { looksSealed } from '../../../shared/protocol/atRest';
import { requestDone, transactionDone } from '../storage/idb';

export const HISTORY_DB_PREFIX = 'outpost-history-';
const VERSIONS = 'versions';
const BY_RECORD = 'record';

/** Why a version was taken. */
export type VersionTrigger = 'edit' | 'sync' | 'open' | 'before-restore';

export interface VersionEntry {
  readonly id: number;
  readonly kind: VersionedKind;
  readonly recordId: string;
  readonly takenAt: number;
  readonly trigger: VersionTrigger;
  /** Member ids of the people whose changes this version is the first to hold. */
  readonly authors: readonly string[];
  readonly size: number;
}

interface Row extends Omit<VersionEntry, 'id'> {
  readonly id?: number;
  readonly record: string;
  readonly bytes: Uint8Array;
}

export interface VersionStore {
  add(entry: Omit<VersionEntry, 'id' | 'size'>, bytes: Uint8Array): Promise<VersionEntry>;
  /** The versions of one record, newest first. */
  list(kind: VersionedKind, recordId: string): Promise<VersionEntry[]>;
  /** A version's stored bytes, or null when it was pruned. */
  read(id: number): Promise<Uint8Array | null>;
  /** What all versions take on this device. */
  usage(): Promise<{ versions: number; bytes: number }>;
  close(): void;
}

export function recordKey(kind: VersionedKind, recordId: string): string {
  return `${kind}:${recordId}`;
}

function openHistoryDb(name: string): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(name, 1);
    request.onupgradeneeded = () => {
      const store = request.result.createObjectStore(VERSIONS, {
        keyPath: 'id',
        autoIncrement: true,
      });
      store.createIndex(BY_RECORD, 'record');
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error(`Could not open ${name}`));
    request.onblocked = () => reject(new Error(`Opening ${name} was blocked by another tab.`));
  });
}

function entryOf(row: Row): VersionEntry {
  return {
    id: row.id!,
    kind: row.kind,
    recordId: row.recordId,
    takenAt: row.takenAt,
    trigger: row.trigger,
    authors: row.authors,
    size: row.size,
  };
}

/** Reads every row's bookkeeping (not its bytes' meaning) for retention. */
async function allInfo(db: IDBDatabase): Promise<StoredVersionInfo[]> {
  const rows = (await requestDone(
    db.transaction(VERSIONS).objectStore(VERSIONS).getAll(),
  )) as Row[];
  return rows.map((row) => ({
    id: row.id!,
    record: row.record,
    takenAt: row.takenAt,
    size: row.size,
  }));
}

/** The document name of versions in a workspace's row scope (see the module comment). */
export const HISTORY_DOCUMENT = 'history';

/** Rewrites every row whose bytes are still plain with them sealed (see the module comment). */
async function sealPlainRows(database: IDBDatabase, codec: RowCodec): Promise<number> {
  const tx = database.transaction(VERSIONS, 'readwrite');
  const done = transactionDone(tx);
  let count = 0;
  const cursor = tx.objectStore(VERSIONS).openCursor();
  cursor.onsuccess = () => {
    const at = cursor.result;
    if (!at) return;
    const row = at.value as Row;
    if (row.bytes instanceof Uint8Array && !looksSealed(row.bytes)) {
      at.update({ ...row, bytes: codec.seal('state', row.bytes) });
      count++;
    }
    at.continue();
  };
  await done;
  return count;
}

/**
 * Opens the version store of a workspace (the database is created on first use). `codec` seals
 * and opens versions' content: the workspace's (renderer/sync/atRestKeys.ts `workspaceRowCodec`
 * with {@link HISTORY_DOCUMENT}); plain when the device keeps data unencrypted.
 */
export function openVersionStore(
  workspaceId: string,
  policy: VersionRetentionPolicy = DEFAULT_VERSION_RETENTION,
  codec: RowCodec = PLAIN_ROWS,
): VersionStore {
  let opened: Promise<IDBDatabase> | null = null;
  const db = () =>
    (opened ??= (async () => {
      const database = await openHistoryDb(HISTORY_DB_PREFIX + workspaceId);
      await codec.ready;
      if (codec.sealing) await sealPlainRows(database, codec);
      return database;
    })());
  // Versions are added one at a time; pruning reads every row, so it runs after each add only
  // for that record and across the workspace every so often.
  let addsSinceFullPrune = Number.POSITIVE_INFINITY;

  const prune = async (record: string | null) => {
    const database = await db();
    let info: StoredVersionInfo[];
    if (record === null) info = await allInfo(database);
    else {
      const rows = (await requestDone(
        database.transaction(VERSIONS).objectStore(VERSIONS).index(BY_RECORD).getAll(record),
      )) as Row[];
      info = rows.map((row) => ({ id: row.id!, record, takenAt: row.takenAt, size: row.size }));
    }
    const drop = versionsToDrop(info, record === null ? policy : { ...policy, maxBytes: Infinity });
    if (drop.length === 0) return;
    const tx = database.transaction(VERSIONS, 'readwrite');
    const done = transactionDone(tx);
    for (const id of drop) tx.objectStore(VERSIONS).delete(id);
    await done;
  };

  return {
    async add(entry, bytes) {
      const database = await db();
      const record = recordKey(entry.kind, entry.recordId);
      // Size is the content's, not the sealed row's, so retention counts the same either way.
      const row: Row = { ...entry, record, bytes, size: bytes.length };
      const tx = database.transaction(VERSIONS, 'readwrite');
      const done = transactionDone(tx);
      const stored: Row = { ...row, bytes: codec.seal('state', bytes) };
      const id = (await requestDone(tx.objectStore(VERSIONS).add(stored))) as number;
      await done;
      addsSinceFullPrune++;
      if (addsSinceFullPrune > 50) {
        addsSinceFullPrune = 0;
        await prune(null);
      } else await prune(record);
      return entryOf({ ...row, id });
    },

    async list(kind, recordId) {
      const rows = (await requestDone(
        (await db())
          .transaction(VERSIONS)
          .objectStore(VERSIONS)
          .index(BY_RECORD)
          .getAll(recordKey(kind, recordId)),
      )) as Row[];
      return rows.map(entryOf).sort((a, b) => b.takenAt - a.takenAt || b.id - a.id);
    },

    async read(id) {
      const row = (await requestDone(
        (await db()).transaction(VERSIONS).objectStore(VERSIONS).get(id),
      )) as Row | undefined;
      if (!(row?.bytes instanceof Uint8Array)) return null;
      // A row that does not open (damaged, or sealed with another key) reads as no version.
      const content = await codec.open(row.bytes);
      return content.ok && content.value instanceof Uint8Array ? content.value : null;
    },

    async usage() {
      const info = await allInfo(await db());
      return { versions: info.length, bytes: info.reduce((sum, v) => sum + v.size, 0) };
    },

    close() {
      void opened?.then((database) => database.close()).catch(() => undefined);
      opened = null;
    },
  };
}

/** Deletes a workspace's versions from this device (when the workspace is removed). */
export function deleteVersionStore(workspaceId: string): Promise<boolean> {
  return new Promise((resolve) => {
    const request = indexedDB.deleteDatabase(HISTORY_DB_PREFIX + workspaceId);
    request.onsuccess = () => resolve(true);
    request.onerror = () => resolve(false);
    request.onblocked = () => resolve(false);
  });
}
