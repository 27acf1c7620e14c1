/**
 * Where a workspace's notes search index is kept between sessions, so that search answers as
 * soon as the workspace opens instead of after every note body has been read again (minutes at
 * 100,000 notes): an IndexedDB database of its own per workspace (`outpost-index-<id>`), apart
 * from the workspace's database, whose layout it never touches (docs/PROTOCOL.md §6.5).
 *
 * One row holds the whole index: MiniSearch's own serialisation of it, each note's entry, links
 * and body problems (shared/model/notesLive.ts), and the Yjs snapshot of the document it reflects,
 * so that an open can tell which notes changed since (shared/model/notesChangedSince.ts). It is
 * sealed with the workspace's at-rest key like the workspace's rows (purpose `state`, scope
 * `outpost-ws-<id>/notes-index`). The index is derived data: a row that is missing, does not
 * open, is damaged or was written by another format version is reported as such, and the caller
 * builds the index again from the document. Nothing here is ever shown to the person as an error.
 */
import { z } from 'zod';
import {
  SEALED_PURPOSE,
  looksSealed,
  open,
  seal,
  type AtRestKey,
} from '../../../shared/protocol/atRest';
import { fromBase64Url, toBase64Url } from '../../../shared/protocol/bytes';
import type { SavedNotesIndex } from '../../../shared/model/notesLive';
import { rowScope } from '../../../shared/storage/sealedRows';
import { WORKSPACE_DB_PREFIX, requestDone, transactionDone } from './idb';
import { INDEX_ROWS_STORE, NOTES_INDEX_DB_PREFIX, openIndexDb } from './indexDb';

export { NOTES_INDEX_DB_PREFIX };
/** The document name in the sealing scope: a row sealed for anything else does not open. */
export const NOTES_INDEX_DOCUMENT = 'notes-index';
const ROWS = INDEX_ROWS_STORE;
const NOTES_INDEX_KEY = 'notes-index';
/** Bumped whenever what is stored changes meaning: rows of any other format are rebuilt. */
export const NOTES_INDEX_FORMAT = 1;

/** A stored index and the snapshot of the document it reflects (Yjs `encodeSnapshot`). */
export interface StoredNotesIndex {
  readonly snapshot: Uint8Array;
  readonly saved: SavedNotesIndex;
}

export type NotesIndexRead =
  | { readonly ok: true; readonly value: StoredNotesIndex }
  | {
      readonly ok: false;
      readonly problem: 'missing' | 'unreadable' | 'damaged' | 'other-format';
      readonly detail?: string;
    };

export interface NotesIndexStore {
  read(): Promise<NotesIndexRead>;
  write(stored: StoredNotesIndex): Promise<void>;
  close(): void;
}

const idList = z.array(z.string());
const StoredShape = z.object({
  format: z.literal(NOTES_INDEX_FORMAT),
  snapshot: z.string(),
  index: z.object({
    // MiniSearch checks its own serialisation when loading it (shared/model/notesSearch.ts).
    search: z.looseObject({ serializationVersion: z.number() }),
    entries: z.array(z.tuple([z.string(), z.string(), z.string(), idList])),
    vocabulary: z.array(z.tuple([z.string(), z.number().int().positive()])),
  }),
  links: z.array(z.tuple([z.string(), idList])),
  problems: z.array(z.tuple([z.string(), idList])),
});

/**
 * The notes index store of workspace `workspaceId`. `key` seals and opens its row (null: this
 * device keeps data unencrypted, and the row is stored plain).
 */
export function openNotesIndexStore(
  workspaceId: string,
  key: Promise<AtRestKey> | null,
): NotesIndexStore {
  const scope = rowScope(WORKSPACE_DB_PREFIX + workspaceId, NOTES_INDEX_DOCUMENT);
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
      const tx = database.transaction(ROWS, 'readonly');
      const value: unknown = await requestDone(tx.objectStore(ROWS).get(NOTES_INDEX_KEY));
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
      if (format !== NOTES_INDEX_FORMAT)
        return { ok: false, problem: 'other-format', detail: `format ${String(format)}` };
      const parsed = StoredShape.safeParse(json);
      if (!parsed.success)
        return { ok: false, problem: 'damaged', detail: parsed.error.issues[0]?.message };
      const snapshot = fromBase64Url(parsed.data.snapshot);
      if (!snapshot) return { ok: false, problem: 'damaged', detail: 'snapshot is not base64url' };
      const { index, links, problems } = parsed.data;
      // MiniSearch checks the rest of its own serialisation as it loads it.
      const search = index.search as unknown as SavedNotesIndex['index']['search'];
      return {
        ok: true,
        value: { snapshot, saved: { index: { ...index, search }, links, problems } },
      };
    },
    async write(stored) {
      if (closed) return;
      const json = JSON.stringify({
        format: NOTES_INDEX_FORMAT,
        snapshot: toBase64Url(stored.snapshot),
        ...stored.saved,
      });
      const plain = new TextEncoder().encode(json);
      const value = key ? await seal(await key, SEALED_PURPOSE.state, scope, plain) : plain;
      const database = await db;
      if (closed) return;
      const tx = database.transaction(ROWS, 'readwrite');
      const done = transactionDone(tx);
      tx.objectStore(ROWS).put(value, NOTES_INDEX_KEY);
      await done;
    },
    close() {
      closed = true;
      void db.then((database) => database.close()).catch(() => undefined);
    },
  };
}

/** Deletes a workspace's notes index (with the workspace); false when it could not be. */
export function deleteNotesIndex(workspaceId: string): Promise<boolean> {
  return new Promise((resolve) => {
    const request = indexedDB.deleteDatabase(NOTES_INDEX_DB_PREFIX + workspaceId);
    request.onsuccess = () => resolve(true);
    request.onerror = () => resolve(false);
    request.onblocked = () => resolve(false);
  });
}
