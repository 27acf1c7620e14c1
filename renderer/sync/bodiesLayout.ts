/**
 * Which layout a workspace opens in on this device, moving it first when it must: a workspace
 * stored in schema 1 (note bodies inside its document) is moved to schema 2 (each body a document
 * of its own, docs/PROTOCOL.md §1.4.2, §6.8) before its session opens, once, with progress shown.
 * Nothing syncs while it moves (no session, no provider), so the move works on rows nobody else
 * writes; a failed move leaves the workspace as it was, and it opens in schema 1 with a notice.
 */
import { workspaceAtRestKey } from './atRestKeys';
import { hasBodiesLayout, migrateToBodyDocuments } from './storage/bodiesMigration';
import { publishStorageEvent } from './storage/events';

export interface BodiesLayout {
  /** The workspace's rows hold the lean root; its bodies are in the lazy document store. */
  readonly bodyDocuments: boolean;
  /** Why it still opens with embedded bodies (the move failed), for a notice. */
  readonly problem?: string;
}

/** Moves workspace `id` to body documents when it is not there yet (see the module comment). */
export async function prepareBodiesLayout(
  id: string,
  /** Runs before a move starts: whatever holds the workspace's rows open lets go of them. */
  beforeMove: () => Promise<void>,
): Promise<BodiesLayout> {
  const startedAt = performance.now();
  try {
    // A marker that cannot be read opens the workspace in schema 1: a lean root read that way
    // says schema 2 and opens read-only, never as a workspace whose bodies went missing.
    if (await hasBodiesLayout(id)) return { bodyDocuments: true };
    await beforeMove();
    await migrateToBodyDocuments(id, {
      key: workspaceAtRestKey(id),
      onProgress: ({ notesDone, notesTotal }) =>
        publishStorageEvent({
          type: 'progress',
          workspaceId: id,
          progress: {
            phase: 'upgrading',
            rowsDone: notesDone,
            rowsTotal: notesTotal,
            bytesDone: 0,
            bytesTotal: 0,
            startedAt,
          },
        }),
    });
    return { bodyDocuments: true };
  } catch (error) {
    console.error(`Could not move the notes of workspace ${id} into documents of their own`, error);
    return {
      bodyDocuments: false,
      problem: `This workspace's notes could not be moved to the faster storage of this version (${error instanceof Error ? error.message : String(error)}). It opens as before; nothing was lost.`,
    };
  }
}
