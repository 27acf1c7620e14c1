/**
 * Writes exported notes (Markdown files rendered by the renderer) into a folder the person picks
 * in a native dialog. Plain Node: the dialog is passed in, so tests use a fake dialog and a real
 * temporary folder. Files that already exist are never overwritten: the new one gets " (2)".
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { IpcUserError } from '../../shared/ipc/dispatch';
import type { MarkdownExportResult } from '../../shared/ipc/notesContract';

/** Asks the person for a folder; resolves null when they cancel. */
export type ChooseFolder = (options: {
  title: string;
  buttonLabel: string;
}) => Promise<string | null>;

export interface MarkdownExporterDeps {
  /** The native folder picker; absent where there is none (web mode downloads instead). */
  readonly chooseFolder?: ChooseFolder;
}

async function writeNew(folder: string, name: string, content: string): Promise<string> {
  const stem = name.slice(0, -'.md'.length);
  for (let n = 1; n < 1000; n++) {
    const candidate = n === 1 ? name : `${stem} (${n}).md`;
    try {
      await writeFile(path.join(folder, candidate), content, { encoding: 'utf8', flag: 'wx' });
      return candidate;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  throw new Error(`too many files named like ${name}`);
}

/** Builds the `notes:exportMarkdown` handler. */
export function createMarkdownExporter(deps: MarkdownExporterDeps) {
  return async (input: {
    files: ReadonlyArray<{ name: string; content: string }>;
  }): Promise<MarkdownExportResult> => {
    if (!deps.chooseFolder)
      throw new IpcUserError('unsupported', 'Exporting to a folder needs the desktop app.');
    const folder = await deps.chooseFolder({
      title: input.files.length === 1 ? 'Export note as Markdown' : 'Export notes as Markdown',
      buttonLabel: 'Export here',
    });
    if (!folder) return { canceled: true };
    let written = 0;
    for (const file of input.files) {
      // The contract already refuses separators; this keeps the write inside the folder regardless.
      if (path.basename(file.name) !== file.name)
        throw new IpcUserError('invalid-argument', `“${file.name}” is not a plain file name.`);
      try {
        await writeNew(folder, file.name, file.content);
        written++;
      } catch (error) {
        const reason = (error as NodeJS.ErrnoException).code ?? String(error);
        throw new IpcUserError(
          'export-failed',
          `Could not write “${file.name}” to ${folder} (${reason}). ${written} of ${input.files.length} files were written.`,
        );
      }
    }
    return { canceled: false, folder, written };
  };
}
