/**
 * Stored rows on their way into durable storage (durableStorage.ts), opened with the workspace's
 * codec (shared/storage/sealedRows.ts): what opens is applied, a row that looks sealed but does not
 * open is set aside, and whatever is set aside is kept as it was stored — sealed — never as it
 * was opened. Also the set-aside rows an earlier version kept plain, sealed in place.
 */
import {
  rowBytes,
  rowSize,
  type SetAsideRow,
  type StoredRow,
} from '../../../shared/storage/recovery';
import type { RowCodec } from '../../../shared/storage/sealedRows';
import { SET_ASIDE_PREFIX, requestDone } from './idb';

/** Yjs's encoding of an empty update: y-indexeddb's start-up row of the empty stand-in. */
function isEmptyUpdate(value: unknown): boolean {
  const bytes = rowBytes(value);
  return bytes !== null && bytes.length === 2 && bytes[0] === 0 && bytes[1] === 0;
}

export interface OpenedRows {
  /** Rows to apply, with their opened content. */
  readonly rows: StoredRow[];
  /** Rows that do not open, as stored. */
  readonly setAside: SetAsideRow[];
  /** How many rows held content stored plain while `codec` seals (a migration is due). */
  readonly plainRows: number;
  /** Every row as stored, by key. */
  readonly stored: ReadonlyMap<number, unknown>;
}

function sorted(
  codec: RowCodec,
  keys: readonly number[],
  values: readonly unknown[],
  opened: readonly Awaited<ReturnType<RowCodec['open']>>[],
): OpenedRows {
  const rows: StoredRow[] = [];
  const setAside: SetAsideRow[] = [];
  let plainRows = 0;
  keys.forEach((key, index) => {
    const value = values[index];
    const row = opened[index]!;
    if (!row.ok) {
      setAside.push({
        key,
        value,
        bytes: rowSize(value),
        problem: 'not-authentic',
        detail: 'sealed row',
      });
      return;
    }
    if (row.plain && codec.sealing && !isEmptyUpdate(value)) plainRows++;
    rows.push({ key, value: row.value });
  });
  const stored = new Map(keys.map((key, index) => [key, values[index]]));
  return { rows, setAside, plainRows, stored };
}

/** Opens rows read at load (WebCrypto, all at once). */
export async function openRows(
  codec: RowCodec,
  keys: readonly number[],
  values: readonly unknown[],
): Promise<OpenedRows> {
  return sorted(codec, keys, values, await Promise.all(values.map((value) => codec.open(value))));
}

/** Opens rows synchronously (inside a transaction, which an await would let commit). */
export function openRowsNow(
  codec: RowCodec,
  keys: readonly number[],
  values: readonly unknown[],
): OpenedRows {
  return sorted(
    codec,
    keys,
    values,
    values.map((value) => codec.openSync('row', value)),
  );
}

/** A row `applyStoredRows` set aside, as it is stored (sealed), not as it was opened. */
export function asStored(row: SetAsideRow, stored: ReadonlyMap<number, unknown>): SetAsideRow {
  const value = stored.get(row.key);
  return { ...row, value, bytes: rowSize(value) };
}

/**
 * Seals, in `tx` (readwrite over the `custom` store), the bytes of set-aside rows an earlier
 * version kept plain. Synchronous sealing and request callbacks only, so `tx` stays active.
 */
export async function sealSetAside(
  tx: IDBTransaction,
  store: string,
  codec: RowCodec,
): Promise<void> {
  if (!codec.sealing) return;
  const custom = tx.objectStore(store);
  const range = IDBKeyRange.bound(SET_ASIDE_PREFIX, SET_ASIDE_PREFIX + '\uffff');
  const [keys, values] = await Promise.all([
    requestDone(custom.getAllKeys(range)),
    requestDone(custom.getAll(range)),
  ]);
  values.forEach((entry, index) => {
    if (typeof entry !== 'object' || entry === null) return;
    const bytes = rowBytes((entry as { value?: unknown }).value);
    const opened = bytes && codec.openSync('row', bytes);
    if (!bytes || !opened || !opened.ok || !opened.plain) return;
    custom.put({ ...entry, value: codec.seal('update', bytes) }, keys[index]!);
  });
}
