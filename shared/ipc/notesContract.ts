/**
 * IPC schemas for notes: exporting Markdown files to a folder the person picks in a native dialog.
 * The renderer renders the files (it owns the documents); the main process only picks the folder
 * and writes them, never overwriting a file that is already there.
 */
import { z } from 'zod';

/** Largest single exported file and largest batch, generous for 10,000 notes. */
export const MAX_EXPORT_FILE_CHARS = 5 * 1024 * 1024;
export const MAX_EXPORT_FILES = 20_000;

/** A plain file name ending in .md: no folders, no characters Windows or macOS refuse. */
export const MarkdownFileName = z
  .string()
  .min(4)
  .max(120)
  .regex(
    // eslint-disable-next-line no-control-regex -- control characters are refused in file names
    /^(?![.\s])[^\\/:*?"<>|\u0000-\u001f]*[^\\/:*?"<>|\u0000-\u001f.\s]\.md$/,
    'must be a plain file name ending in .md',
  );

export const MarkdownExportInput = z
  .object({
    files: z
      .array(
        z
          .object({ name: MarkdownFileName, content: z.string().max(MAX_EXPORT_FILE_CHARS) })
          .strict(),
      )
      .min(1)
      .max(MAX_EXPORT_FILES)
      .refine(
        (files) => new Set(files.map((file) => file.name.toLowerCase())).size === files.length,
        'file names must be unique',
      ),
  })
  .strict();

export const MarkdownExportResult = z.discriminatedUnion('canceled', [
  z.object({ canceled: z.literal(true) }),
  z.object({ canceled: z.literal(false), folder: z.string(), written: z.number().int() }),
]);
export type MarkdownExportResult = z.infer<typeof MarkdownExportResult>;
