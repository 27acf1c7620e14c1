/**
 * Rows put straight into a workspace's lazy document database, past the store: what a damaged
 * disk, another version or another tab leaves there for the store to find when it loads.
 */
import { transactionDone } from '../../../../renderer/sync/storage/idb';
import {
  LAZY_DOCS_DB_PREFIX,
  ROWS_STORE,
  openLazyDocsDb,
} from '../../../../renderer/sync/storage/lazyDocDb';

/** Stores `values` as rows of document `id` of workspace `workspace`, as they are. */
export async function addRawLazyRows(
  workspace: string,
  id: string,
  values: readonly unknown[],
): Promise<void> {
  const db = await openLazyDocsDb(LAZY_DOCS_DB_PREFIX + workspace);
  try {
    const tx = db.transaction([ROWS_STORE], 'readwrite');
    const done = transactionDone(tx);
    for (const value of values) tx.objectStore(ROWS_STORE).add({ doc: id, row: value });
    await done;
  } finally {
    db.close();
  }
}
