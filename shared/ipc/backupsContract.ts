/**
 * IPC schemas for backups and whole-workspace exports. The renderer owns the documents: it hands
 * the main process a complete workspace file (shared/storage/workspaceFile.ts, base64 so the same
 * contract works over HTTP in web mode); the main process checks it, writes it to disk, lists
 * and reads backups, and writes exports where the person chooses.
 */
import { z } from 'zod';
import { BackupReason, RecordCounts } from '../storage/workspaceFile';
import { ID_PATTERN } from '../core/ids';

/** Largest workspace file accepted (base64 characters): far above a 10,000-note workspace. */
export const MAX_WORKSPACE_FILE_BASE64 = 256 * 1024 * 1024;
/** The IPC channels whose bodies carry a whole workspace (web mode allows them larger bodies). */
export const LARGE_BODY_CHANNELS: readonly string[] = [
  'backups:write',
  'backups:saveFile',
  'backups:saveMarkdown',
];

const WorkspaceId = z.string().regex(ID_PATTERN);
const Base64 = z
  .string()
  .max(MAX_WORKSPACE_FILE_BASE64)
  .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64');
/** A backup's file name as the service writes it. */
export const BackupId = z.string().regex(/^\d{8}T\d{6}\d{3}Z-[a-z-]{3,20}\.outpost$/);

export const BackupEntry = z.object({
  id: z.string(),
  workspaceId: z.string(),
  workspaceName: z.string(),
  createdAt: z.number(),
  reason: BackupReason,
  bytes: z.number().int().nonnegative(),
  counts: RecordCounts,
});
export type BackupEntry = z.infer<typeof BackupEntry>;

export const BackupWriteInput = z.object({ file: Base64 }).strict();
export const BackupWriteResult = z.object({
  /** False when the newest backup already holds exactly this content. */
  written: z.boolean(),
  entry: BackupEntry,
});
export type BackupWriteResult = z.infer<typeof BackupWriteResult>;

export const BackupListInput = z.object({ workspaceId: WorkspaceId }).strict();
export const BackupList = z.object({
  entries: z.array(BackupEntry),
  /** Bytes all of this workspace's backups take, and the cap. */
  totalBytes: z.number(),
  maxBytes: z.number(),
  folder: z.string(),
  /** Files in the folder that are not readable backups (kept, shown, never used). */
  damaged: z.array(z.object({ id: z.string(), bytes: z.number(), problem: z.string() })),
});
export type BackupList = z.infer<typeof BackupList>;

export const BackupReadInput = z.object({ workspaceId: WorkspaceId, id: BackupId }).strict();
export const BackupFile = z.object({ file: Base64 });

export const SaveWorkspaceFileInput = z
  .object({ file: Base64, fileName: z.string().min(1).max(120) })
  .strict();
export const SaveMarkdownInput = z
  .object({
    folderName: z.string().min(1).max(120),
    files: z
      .array(
        z
          .object({ path: z.string().min(1).max(300), content: z.string().max(5 * 1024 * 1024) })
          .strict(),
      )
      .min(1)
      .max(50_000),
  })
  .strict();
export const SavedResult = z.discriminatedUnion('canceled', [
  z.object({ canceled: z.literal(true) }),
  z.object({ canceled: z.literal(false), path: z.string() }),
]);
export type SavedResult = z.infer<typeof SavedResult>;

/** Main asks open windows to hand over a last backup (on quit). */
export const BackupFlushRequest = z.object({ reason: z.literal('quit') });

/** A backup of a workspace was written and old ones pruned: a list on screen should be read again. */
export const BackupsChanged = z.object({ workspaceId: z.string().regex(ID_PATTERN) });
