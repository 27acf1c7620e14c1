/**
 * One row of a workspace's index database (indexDb.ts) holding UTF-8 JSON with a `format` number,
 * sealed with the workspace's at-rest key (purpose `state`) in a scope of its own,
 * `outpost-ws-<id>/<document>`, so it opens as nothing else; on a device that keeps data
 * unencrypted (no key) it is stored plain. What the notes search index and the notes list's first
 * screen share. Reading says why a row cannot be used (missing, does not open, not JSON, another
 * format) instead of throwing; what the JSON holds beyond its format is each caller's to check.
 */
import {
  SEALED_PURPOSE,
  looksSealed,
  open,
  seal,
  type AtRestKey,
} from '../../../shared/protocol/atRest';
import { rowScope } from '../../../shared/storage/sealedRows';
import { WORKSPACE_DB_PREFIX, requestDone, transactionDone } from './idb';
import { INDEX_ROWS_STORE, NOTES_INDEX_DB_PREFIX, openIndexDb } from './indexDb';

export type RowRead<T> =
  | { readonly ok: true; readonly value: T }
  | {
      readonly ok: false;
      readonly problem: 'missing' | 'unreadable' | 'damaged' | 'other-format';
      readonly detail?: string;
    };

export interface SealedJsonRow {
  /** The row's JSON once it opened, parsed and has the format (nothing else checked). */
  read(): Promise<RowRead<unknown>>;
  /** Writes `fields` after the format, sealed; nothing once closed. */
  write(fields: object): Promise<void>;
  close(): void;
}

export interface SealedJsonRowName {
  /** The row's key in the database's `rows` store. */
  readonly key: string;
  /** The document name in the sealing scope. */
  readonly document: string;
  /** The format this code writes and reads; a row of any other is not used. */
  readonly format: number;
}

/** Row `name` of workspace `workspaceId`'s index database; `key` seals it (null: plain). */
export function openSealedJsonRow(
  workspaceId: string,
  key: Promise<AtRestKey> | null,
  name: SealedJsonRowName,
): SealedJsonRow {
  const scope = rowScope(WORKSPACE_DB_PREFIX + workspaceId, name.document);
  const db = openIndexDb(NOTES_INDEX_DB_PREFIX + workspaceId);
  // Kept from failing unobserved: every use below awaits it and reports its error there.
  db.catch(() => undefined);
  let closed = false;

  async function unseal(value: unknown): Promise<Uint8Array | null> {
    if (!(value instanceof Uint8Array)) return null;
    // A plain row on a device that seals is not what this device wrote: it is not trusted.
    if (!key) return looksSealed(value) ? null : value;
    return open(await key, SEALED_PURPOSE.state, scope, value);
  }

  return {
    async read() {
      const database = await db;
      const tx = database.transaction(INDEX_ROWS_STORE, 'readonly');
      const value: unknown = await requestDone(tx.objectStore(INDEX_ROWS_STORE).get(name.key));
      if (value === undefined) return { ok: false, problem: 'missing' };
      const bytes = await unseal(value);
      if (!bytes) return { ok: false, problem: 'unreadable' };
      let json: unknown;
      try {
        json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
      } catch (error) {
        return { ok: false, problem: 'damaged', detail: String(error) };
      }
      const format = (json as { format?: unknown } | null)?.format;
      if (format !== name.format)
        return { ok: false, problem: 'other-format', detail: `format ${String(format)}` };
      return { ok: true, value: json };
    },
    async write(fields) {
      if (closed) return;
      const plain = new TextEncoder().encode(JSON.stringify({ format: name.format, ...fields }));
      const value = key ? await seal(await key, SEALED_PURPOSE.state, scope, plain) : plain;
      const database = await db;
      if (closed) return;
      const tx = database.transaction(INDEX_ROWS_STORE, 'readwrite');
      const done = transactionDone(tx);
      tx.objectStore(INDEX_ROWS_STORE).put(value, name.key);
      await done;
    },
    close() {
      closed = true;
      void db.then((database) => database.close()).catch(() => undefined);
    },
  };
}
