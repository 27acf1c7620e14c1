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
import type { AtRestKey } from '../../../shared/protocol/atRest';
import { TAG_BAR_TAGS, type FirstScreen } from '../../../shared/model/notesFirstScreen';
import { FIRST_SCREEN_KEY } from './indexDb';
import { openSealedJsonRow, type RowRead } from './sealedJsonRow';

export { FIRST_SCREEN_KEY };

/** The document name in the sealing scope: a row sealed for anything else does not open. */
export const FIRST_SCREEN_DOCUMENT = 'first-screen';
/** Bumped whenever what is stored changes meaning: rows of any other format are not used. */
export const FIRST_SCREEN_FORMAT = 1;

export type FirstScreenRead = RowRead<FirstScreen>;

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
  // Rows stored before the tag bar was have none; the preview then shows no bar.
  tags: z
    .array(z.tuple([z.string().min(1).max(40), z.number().int().positive()]))
    .max(TAG_BAR_TAGS)
    .default([]),
});

/**
 * The first-screen store of workspace `workspaceId`. `key` seals and opens its row (null: this
 * device keeps data unencrypted, and the row is stored plain).
 */
export function openFirstScreenStore(
  workspaceId: string,
  key: Promise<AtRestKey> | null,
): FirstScreenStore {
  const row = openSealedJsonRow(workspaceId, key, {
    key: FIRST_SCREEN_KEY,
    document: FIRST_SCREEN_DOCUMENT,
    format: FIRST_SCREEN_FORMAT,
  });
  return {
    async read() {
      const read = await row.read();
      if (!read.ok) return read;
      const parsed = StoredShape.safeParse(read.value);
      if (!parsed.success)
        return { ok: false, problem: 'damaged', detail: parsed.error.issues[0]?.message };
      const { total, rows, tags } = parsed.data;
      if (total < rows.length)
        return { ok: false, problem: 'damaged', detail: 'fewer notes than rows' };
      return { ok: true, value: { total, rows, tags } };
    },
    write: (screen) => row.write({ total: screen.total, rows: screen.rows, tags: screen.tags }),
    close: () => row.close(),
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
