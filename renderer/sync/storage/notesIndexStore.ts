/**
 * Where a workspace's notes search index is kept between sessions, so that search answers as
 * soon as the workspace opens instead of after every note body has been read again (minutes at
 * 100,000 notes): an IndexedDB database of its own per workspace (`outpost-index-<id>`), apart
 * from the workspace's database, whose layout it never touches (docs/PROTOCOL.md §6.5).
 *
 * One row holds the whole index: MiniSearch's own serialisation of it, each note's entry, links
 * and body problems (shared/model/notesLive.ts), and the Yjs snapshot of the document it reflects,
 * so that an open can tell which notes changed since (shared/model/notesChangedSince.ts); when
 * bodies are documents of their own, also the stamp of each body as read (notesBodyReads.ts). It is
 * sealed with the workspace's at-rest key like the workspace's rows (purpose `state`, scope
 * `outpost-ws-<id>/notes-index`). The index is derived data: a row that is missing, does not
 * open, is damaged or was written by another format version is reported as such, and the caller
 * builds the index again from the document. Nothing here is ever shown to the person as an error.
 */
import { z } from 'zod';
import type { AtRestKey } from '../../../shared/protocol/atRest';
import { fromBase64Url, toBase64Url } from '../../../shared/protocol/bytes';
import type { SavedNotesIndex } from '../../../shared/model/notesLive';
import { NOTES_INDEX_DB_PREFIX } from './indexDb';
import { openSealedJsonRow, type RowRead } from './sealedJsonRow';

export { NOTES_INDEX_DB_PREFIX };
/** The document name in the sealing scope: a row sealed for anything else does not open. */
export const NOTES_INDEX_DOCUMENT = 'notes-index';
const NOTES_INDEX_KEY = 'notes-index';
/** Bumped whenever what is stored changes meaning: rows of any other format are rebuilt. */
export const NOTES_INDEX_FORMAT = 1;

/** A stored index and the snapshot of the document it reflects (Yjs `encodeSnapshot`). */
export interface StoredNotesIndex {
  readonly snapshot: Uint8Array;
  readonly saved: SavedNotesIndex;
}

export type NotesIndexRead = RowRead<StoredNotesIndex>;

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
  // Schema 2 only (body documents): each body's stamp as read. Absent in rows of schema 1.
  bodies: z.array(z.tuple([z.string(), z.string()])).optional(),
});

/**
 * The notes index store of workspace `workspaceId`. `key` seals and opens its row (null: this
 * device keeps data unencrypted, and the row is stored plain).
 */
export function openNotesIndexStore(
  workspaceId: string,
  key: Promise<AtRestKey> | null,
): NotesIndexStore {
  const row = openSealedJsonRow(workspaceId, key, {
    key: NOTES_INDEX_KEY,
    document: NOTES_INDEX_DOCUMENT,
    format: NOTES_INDEX_FORMAT,
  });
  return {
    async read() {
      const read = await row.read();
      if (!read.ok) return read;
      const parsed = StoredShape.safeParse(read.value);
      if (!parsed.success)
        return { ok: false, problem: 'damaged', detail: parsed.error.issues[0]?.message };
      const snapshot = fromBase64Url(parsed.data.snapshot);
      if (!snapshot) return { ok: false, problem: 'damaged', detail: 'snapshot is not base64url' };
      const { index, links, problems, bodies } = parsed.data;
      // MiniSearch checks the rest of its own serialisation as it loads it.
      const search = index.search as unknown as SavedNotesIndex['index']['search'];
      const saved: SavedNotesIndex = { index: { ...index, search }, links, problems };
      return { ok: true, value: { snapshot, saved: bodies ? { ...saved, bodies } : saved } };
    },
    write: (stored) => row.write({ snapshot: toBase64Url(stored.snapshot), ...stored.saved }),
    close: () => row.close(),
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
