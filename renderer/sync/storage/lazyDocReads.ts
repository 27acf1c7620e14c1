/**
 * What sync reads of a workspace's lazy documents (renderer/sync/peer/lazyDocs.ts), straight from
 * storage: every document's vector from the metadata in pages, and what one document holds beyond
 * a vector from its rows alone. Neither loads a Y.Doc, and neither holds more than one page or one
 * document's rows at a time.
 */
import * as Y from 'yjs';
import { rowBytes } from '../../../shared/storage/recovery';
import type { RowCodec } from '../../../shared/storage/sealedRows';
import { isLazyDocId, type LazyDocVector } from '../peer/lazyDocs';
import { requestDone } from './idb';
import { META_STORE, ROWS_STORE, readDocRows } from './lazyDocDb';
import { EMPTY_META, asLazyDocMeta, holdsNothing, type LazyDocMeta } from './lazyDocMeta';
import { openRows } from './openedRows';

/**
 * A stored document's vector and the fingerprint of its deletions (lazyDocMeta.ts): documents
 * whose vectors are equal may still differ in what they deleted.
 */
export interface StoredLazyDocVector extends LazyDocVector {
  readonly deletes: Uint8Array;
}

/** How many vectors one page of `vectors()` lists. */
export const VECTOR_PAGE = 2000;

/**
 * Every stored document's vector, in pages of at most {@link VECTOR_PAGE}, in id order. An entry
 * whose metadata is not readable is worked out again from its rows (`rebuild`).
 */
export async function* listVectors(
  database: IDBDatabase,
  rebuild: (id: string) => Promise<LazyDocMeta>,
): AsyncGenerator<readonly StoredLazyDocVector[]> {
  let after: string | null = null;
  for (;;) {
    const tx = database.transaction([META_STORE], 'readonly');
    const store = tx.objectStore(META_STORE);
    const range: IDBKeyRange | undefined =
      after === null ? undefined : IDBKeyRange.lowerBound(after, true);
    const [keys, values]: [IDBValidKey[], unknown[]] = await Promise.all([
      requestDone(store.getAllKeys(range, VECTOR_PAGE)),
      requestDone(store.getAll(range, VECTOR_PAGE)),
    ]);
    const page: StoredLazyDocVector[] = [];
    for (let i = 0; i < keys.length; i++) {
      const id = keys[i];
      // Keys another program wrote that are no document id are not listed to anyone.
      if (!isLazyDocId(id)) continue;
      const meta = asLazyDocMeta(values[i]) ?? (await rebuild(id));
      page.push({ id, vector: meta.vector, deletes: meta.deletes });
    }
    if (page.length > 0) yield page;
    if (keys.length < VECTOR_PAGE) return;
    after = String(keys[keys.length - 1]);
  }
}

/**
 * What document `id` holds beyond `vector` (a v1 update), or null when nothing: no change past
 * the vector, and no deletion or the same deletions as the asker's fingerprint `deletes` (a
 * vector cannot say which deletions a peer has seen; without a fingerprint, or with another, a
 * document with any deletion answers with its delete set). Rejects for a vector that does not
 * decode (sync checks it before asking). A document whose metadata shows nothing beyond `vector`
 * and no other deletions is answered from the metadata alone; otherwise its rows are merged,
 * leaving out rows that do not open or decode (loading or compaction sets them aside).
 */
export async function diffRows(
  database: IDBDatabase,
  codec: RowCodec,
  id: string,
  vector: Uint8Array,
  deletes?: Uint8Array,
): Promise<Uint8Array | null> {
  let theirs: Map<number, number>;
  try {
    theirs = Y.decodeStateVector(vector);
  } catch {
    throw new Error(`A state vector for lazy document ${id} does not decode.`);
  }
  const tx = database.transaction([ROWS_STORE, META_STORE], 'readonly');
  const meta = asLazyDocMeta(await requestDone(tx.objectStore(META_STORE).get(id)));
  if (meta && holdsNoMore(meta, theirs, deletes)) return null;
  const { keys, values } = await readDocRows(tx, id);
  if (keys.length === 0) return null;
  const opened = await openRows(codec, keys, values);
  const updates = opened.rows.map((row) => rowBytes(row.value)).filter(isUpdate);
  if (updates.length === 0) return null;
  let missing: Uint8Array;
  try {
    missing = Y.diffUpdate(updates.length === 1 ? updates[0]! : Y.mergeUpdates(updates), vector);
  } catch (error) {
    // Our own damage, not the asker's: nothing is answered for it, and loading sets it aside.
    console.error(`The stored rows of lazy document ${id} do not merge`, error);
    return null;
  }
  return holdsNothing(missing) ? null : missing;
}

/**
 * Whether `meta` shows nothing a holder of `theirs` and `deletes` lacks: no change past the
 * vector, and no deletion or the same ones (a local deletion leaves a fingerprint that matches
 * nothing until compaction, so it is answered).
 */
function holdsNoMore(
  meta: LazyDocMeta,
  theirs: ReadonlyMap<number, number>,
  deletes: Uint8Array | undefined,
): boolean {
  if (meta.gaps) return false;
  const sameDeletes =
    equalBytes(meta.deletes, EMPTY_META.deletes) ||
    (deletes !== undefined && equalBytes(meta.deletes, deletes));
  if (!sameDeletes) return false;
  for (const [client, clock] of Y.decodeStateVector(meta.vector))
    if (clock > (theirs.get(client) ?? 0)) return false;
  return true;
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, index) => byte === b[index]);
}

function isUpdate(bytes: Uint8Array | null): bytes is Uint8Array {
  if (!bytes) return false;
  try {
    Y.decodeUpdate(bytes);
    return true;
  } catch {
    return false;
  }
}
