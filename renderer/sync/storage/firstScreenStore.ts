/**
 * Where a workspace's notes list keeps its first screen between sessions (shared/model/
 * notesFirstScreen.ts), so that the next open paints the list while the workspace's document is
 * still being read (seconds at 100,000 notes): a second row, `first-screen`, in the workspace's
 * index database (`outpost-index-<id>`, storage/notesIndexStore.ts), sealed with the workspace's
 * at-rest key in a scope of its own (`outpost-ws-<id>/first-screen`) and with its own format
 * version (docs/PROTOCOL.md §6.6).
 *
 * It is only ever a picture: a row that is missing, does not open, is damaged or of another
 * format is not used, and the person sees nothing about it; the list read from the document
 * replaces it the moment the document is read.
 */
import { z } from 'zod';
import {
  SEALED_PURPOSE,
  looksSealed,
  open,
  seal,
  type AtRestKey,
} from '../../../shared/protocol/atRest';
import type { FirstScreen } from '../../../shared/model/notesFirstScreen';
import { rowScope } from '../../../shared/storage/sealedRows';
import { WORKSPACE_DB_PREFIX, requestDone, transactionDone } from './idb';
import { FIRST_SCREEN_KEY, INDEX_ROWS_STORE, NOTES_INDEX_DB_PREFIX, openIndexDb } from './indexDb';

export { FIRST_SCREEN_KEY };

/** The document name in the sealing scope: a row sealed for anything else does not open. */
export const FIRST_SCREEN_DOCUMENT = 'first-screen';
/** Bumped whenever what is stored changes meaning: rows of any other format are not used. */
export const FIRST_SCREEN_FORMAT = 1;

export type FirstScreenRead =
  | { readonly ok: true; readonly value: FirstScreen }
  | {
      readonly ok: false;
      readonly problem: 'missing' | 'unreadable' | 'damaged' | 'other-format';
      readonly detail?: string;
    };

export interface FirstScreenStore {
  read(): Promise<FirstScreenRead>;
  write(screen: FirstScreen): Promise<void>;
  close(): void;
}

// Bounded like anything read back from disk: a row past these limits is damaged, not shown.
const StoredShape = z.object({
  format: z.literal(FIRST_SCREEN_FORMAT),
  total: z.number().int().nonnegative(),
  rows: z
    .array(
      z.object({
        id: z.string().min(1).max(64),
        title: z.string().max(200),
        pinned: z.boolean(),
        updatedAt: z.number().int().nonnegative(),
        tags: z.array(z.string().max(40)).max(4),
        snippet: z.string().max(400),
      }),
    )
    .max(200),
});

/**
 * The first-screen store of workspace `workspaceId`. `key` seals and opens its row (null: this
 * device keeps data unencrypted, and the row is stored plain).
 */
export function openFirstScreenStore(
  workspaceId: string,
  key: Promise<AtRestKey> | null,
): FirstScreenStore {
  const scope = rowScope(WORKSPACE_DB_PREFIX + workspaceId, FIRST_SCREEN_DOCUMENT);
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
      const value: unknown = await requestDone(
        tx.objectStore(INDEX_ROWS_STORE).get(FIRST_SCREEN_KEY),
      );
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
      if (format !== FIRST_SCREEN_FORMAT)
        return { ok: false, problem: 'other-format', detail: `format ${String(format)}` };
      const parsed = StoredShape.safeParse(json);
      if (!parsed.success)
        return { ok: false, problem: 'damaged', detail: parsed.error.issues[0]?.message };
      const { total, rows } = parsed.data;
      if (total < rows.length)
        return { ok: false, problem: 'damaged', detail: 'fewer notes than rows' };
      return { ok: true, value: { total, rows } };
    },
    async write(screen) {
      if (closed) return;
      const json = JSON.stringify({
        format: FIRST_SCREEN_FORMAT,
        total: screen.total,
        rows: screen.rows,
      });
      const plain = new TextEncoder().encode(json);
      const value = key ? await seal(await key, SEALED_PURPOSE.state, scope, plain) : plain;
      const database = await db;
      if (closed) return;
      const tx = database.transaction(INDEX_ROWS_STORE, 'readwrite');
      const done = transactionDone(tx);
      tx.objectStore(INDEX_ROWS_STORE).put(value, FIRST_SCREEN_KEY);
      await done;
    },
    close() {
      closed = true;
      void db.then((database) => database.close()).catch(() => undefined);
    },
  };
}

/**
 * The stored first screen of a workspace being opened, or null when there is none that can be
 * shown, for whatever reason: it is only a picture of the list, so nothing is reported.
 */
export async function readFirstScreen(
  workspaceId: string,
  key: Promise<AtRestKey> | null,
): Promise<FirstScreen | null> {
  const store = openFirstScreenStore(workspaceId, key);
  try {
    const read = await store.read();
    return read.ok ? read.value : null;
  } catch {
    return null;
  } finally {
    store.close();
  }
}
