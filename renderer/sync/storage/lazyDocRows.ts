/**
 * One lazy document's rows, written and rewritten inside one IndexedDB transaction each
 * (lazyDocDb.ts has the layout): appending a row with its metadata, working the metadata out again
 * from the rows, setting rows aside and compacting. Everything here runs on request callbacks and
 * synchronous sealing only, so a read-write transaction stays active from its first request to its
 * last and each of these is atomic: a crash leaves the rows and metadata of before or of after.
 */
import * as Y from 'yjs';
import { applyStoredRows, rowBytes, type SetAsideRow } from '../../../shared/storage/recovery';
import type { RowCodec } from '../../../shared/storage/sealedRows';
import { requestDone } from './idb';
import { ASIDE_STORE, META_STORE, ROWS_STORE, readDocRows, type LazyAsideEntry } from './lazyDocDb';
import {
  EMPTY_META,
  advanceVector,
  asLazyDocMeta,
  unknownDeletes,
  vectorOfMerged,
  type MergedShape,
  type UpdateShape,
  type LazyDocMeta,
} from './lazyDocMeta';
import { asStored, openRowsNow } from './openedRows';

/** A document has this many rows at most before it is compacted. */
const COMPACT_ROWS = 64;
/** ... or this many bytes written since its last compaction beyond the size it had then. */
const COMPACT_BYTES = 16 * 1024;

/** Whether `meta`'s rows are worth merging into one. */
export function compactionDue(meta: LazyDocMeta): boolean {
  if (meta.rows < 2) return false;
  return (
    meta.rows > COMPACT_ROWS ||
    meta.bytes - meta.stateBytes > Math.max(COMPACT_BYTES, meta.stateBytes)
  );
}

/** Document `id`'s metadata as stored in `tx`, or null when missing or not readable. */
export async function readMeta(tx: IDBTransaction, id: string): Promise<LazyDocMeta | null> {
  return asLazyDocMeta(await requestDone(tx.objectStore(META_STORE).get(id)));
}

/**
 * The metadata of `id` worked out from its stored rows (the ones that open and decode; others
 * are left to loading or compaction to set aside), within `tx`.
 */
export async function metaFromRows(
  tx: IDBTransaction,
  id: string,
  codec: RowCodec,
  stateBytes: number,
): Promise<LazyDocMeta> {
  const { keys, values } = await readDocRows(tx, id);
  const { rows } = openRowsNow(codec, keys, values);
  const updates: Uint8Array[] = [];
  for (const row of rows) {
    const bytes = rowBytes(row.value);
    if (!bytes) continue;
    try {
      Y.decodeUpdate(bytes);
      updates.push(bytes);
    } catch {
      // Not counted: loading or compaction sets it aside and reports it.
    }
  }
  let shape: MergedShape;
  try {
    shape = updates.length === 0 ? EMPTY_META : vectorOfMerged(Y.mergeUpdates(updates));
  } catch {
    // Rows that each decode but do not merge: the vector claims nothing, so peers send it all.
    shape = { vector: EMPTY_META.vector, gaps: true, deletes: unknownDeletes() };
  }
  const bytes = values.reduce<number>((sum, value) => sum + (rowBytes(value)?.length ?? 0), 0);
  return { ...shape, rows: keys.length, bytes, stateBytes };
}

/**
 * Appends `sealed` (an update of `id` of shape `shape`) as a row and moves its metadata on, within
 * `tx` (read-write over rows and meta). The row is added before anything is read, so it is part of
 * the transaction however the rest goes. A deletion makes the fingerprint of deletions unknown
 * until the next compaction, unless `exactDeletes` asks for it to be worked out from the rows now
 * (for a peer's update; a local one is written on the typing path). Resolves with the metadata.
 */
export async function appendRow(
  tx: IDBTransaction,
  id: string,
  sealed: Uint8Array,
  shape: UpdateShape,
  exactDeletes: boolean,
  codec: RowCodec,
): Promise<LazyDocMeta> {
  tx.objectStore(ROWS_STORE).add({ doc: id, row: sealed });
  const stored = await readMeta(tx, id);
  let next: LazyDocMeta;
  try {
    const vector =
      stored && !(shape.deletes && exactDeletes) ? advanceVector(stored, shape.runs) : null;
    next =
      stored && vector
        ? {
            vector,
            gaps: false,
            deletes: shape.deletes ? unknownDeletes() : stored.deletes,
            rows: stored.rows + 1,
            bytes: stored.bytes + sealed.length,
            stateBytes: stored.stateBytes,
          }
        : await metaFromRows(tx, id, codec, stored?.stateBytes ?? 0);
  } catch {
    // The row is kept whatever happens: a vector that claims less only makes peers send more.
    next = {
      vector: stored?.vector ?? EMPTY_META.vector,
      gaps: true,
      deletes: unknownDeletes(),
      rows: (stored?.rows ?? 0) + 1,
      bytes: (stored?.bytes ?? 0) + sealed.length,
      stateBytes: stored?.stateBytes ?? 0,
    };
  }
  tx.objectStore(META_STORE).put(next, id);
  return next;
}

/** Moves `rows` of `id` (as stored) from `rows` to `aside`, within `tx`. */
export function setAside(
  tx: IDBTransaction,
  id: string,
  rows: readonly SetAsideRow[],
  at: number,
): void {
  const stored = tx.objectStore(ROWS_STORE);
  const aside = tx.objectStore(ASIDE_STORE);
  for (const row of rows) {
    const entry: LazyAsideEntry = {
      doc: id,
      rowKey: row.key,
      at,
      bytes: row.bytes,
      problem: row.problem,
      detail: row.detail,
      value: row.value,
    };
    aside.add(entry);
    stored.delete(row.key);
  }
}

export interface Compacted {
  readonly rowsBefore: number;
  /** The merged state (opened), or null when no row could be read. */
  readonly state: Uint8Array | null;
  readonly meta: LazyDocMeta;
  readonly setAside: readonly SetAsideRow[];
}

/**
 * Replaces every row of `id` by one row of their merged state, within `tx` (read-write over all
 * three stores). Rows that do not open or apply are set aside, still sealed. The merge goes
 * through a Y.Doc of its own so deleted content is collected, as the workspace's compaction does.
 */
export async function compactRows(
  tx: IDBTransaction,
  id: string,
  codec: RowCodec,
  origin: unknown,
  at: number,
): Promise<Compacted> {
  const { keys, values } = await readDocRows(tx, id);
  const opened = openRowsNow(codec, keys, values);
  const merged = new Y.Doc();
  let state: Uint8Array | null = null;
  const aside = [...opened.setAside];
  try {
    const applied = applyStoredRows(merged, opened.rows, origin);
    aside.push(...applied.setAside.map((row) => asStored(row, opened.stored)));
    if (applied.applied > 0) state = Y.encodeStateAsUpdate(merged);
  } finally {
    merged.destroy();
  }
  setAside(tx, id, aside, at);
  const rows = tx.objectStore(ROWS_STORE);
  for (const key of keys) rows.delete(key);
  let meta: LazyDocMeta = EMPTY_META;
  if (state) {
    const sealed = codec.seal('state', state);
    rows.add({ doc: id, row: sealed });
    meta = { ...vectorOfMerged(state), rows: 1, bytes: sealed.length, stateBytes: sealed.length };
  }
  tx.objectStore(META_STORE).put(meta, id);
  return { rowsBefore: keys.length, state, meta, setAside: aside };
}
