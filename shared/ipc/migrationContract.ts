/**
 * IPC schema of the desktop's one-time move of IndexedDB from the file:// origin (builds before
 * the app:// scheme) to app:// (electron/main/migration/). The main process keeps the export; the
 * page takes it at start, before it reads anything stored, and says when it is in.
 */
import { z } from 'zod';

/** The export as the old origin wrote it (JSON, see electron/main/migration/exportScript.ts). */
export const PendingMigration = z.object({ exported: z.string() }).nullable();

export const MigrationFinished = z
  .object({
    /** Databases created here from the export. */
    imported: z.array(z.string().max(200)).max(10_000),
    /** Databases left out because this origin already had one of that name. */
    skipped: z.array(z.string().max(200)).max(10_000),
  })
  .strict();
