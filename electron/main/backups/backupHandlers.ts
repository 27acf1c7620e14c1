/**
 * The backups:* IPC handlers: writing, listing and reading backups through the backup service,
 * and saving a workspace file or a Markdown folder where the person chooses in a native dialog
 * (desktop only; web mode downloads in the browser instead). Plain Node, no Electron import.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { IpcUserError } from '../../../shared/ipc/dispatch';
import type { IpcHandlers } from '../../../shared/ipc/dispatch';
import type { ChooseFolder } from '../notesExport';
import { BackupError, type BackupService } from './backupService';

export interface BackupHandlerDeps {
  readonly service?: BackupService;
  readonly chooseFolder?: ChooseFolder;
}

type BackupChannels =
  'backups:write' | 'backups:list' | 'backups:read' | 'backups:saveFile' | 'backups:saveMarkdown';

// eslint-disable-next-line no-control-regex -- control characters are refused in file names
const INVALID_NAME = /[\\/:*?"<>|\u0000-\u001f]/g;

/** A file or folder name every desktop file system accepts. */
export function safeName(name: string, fallback: string): string {
  const cleaned = name
    .replace(INVALID_NAME, '-')
    .replace(/^[.\s]+|[.\s]+$/g, '')
    .slice(0, 100);
  return cleaned || fallback;
}

/** A relative path inside an export folder, or null when it would leave it. */
export function safeRelativePath(relative: string): string | null {
  const parts = relative.split('/');
  if (parts.some((part) => part === '' || part === '.' || part === '..')) return null;
  return parts.map((part) => safeName(part, '_')).join(path.sep);
}

async function unusedPath(folder: string, name: string, extension: string): Promise<string> {
  const { access } = await import('node:fs/promises');
  for (let n = 1; n < 1000; n++) {
    const candidate = path.join(
      folder,
      n === 1 ? `${name}${extension}` : `${name} (${n})${extension}`,
    );
    try {
      await access(candidate);
    } catch {
      return candidate;
    }
  }
  throw new IpcUserError('export-failed', `Too many files named like “${name}” in ${folder}.`);
}

function describeWriteError(error: unknown, what: string): IpcUserError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOSPC' || code === 'EDQUOT')
    return new IpcUserError('disk-full', `The disk is full, so ${what} could not be written.`);
  return new IpcUserError(
    'export-failed',
    `${what} could not be written (${code ?? String(error)}).`,
  );
}

function rethrow(error: unknown): never {
  if (error instanceof BackupError) throw new IpcUserError(error.code, error.message);
  throw error;
}

/** Builds the backups:* handlers. */
export function createBackupHandlers(deps: BackupHandlerDeps): Pick<IpcHandlers, BackupChannels> {
  const service = (): BackupService => {
    if (!deps.service) throw new IpcUserError('unavailable', 'Backups are not available here.');
    return deps.service;
  };
  const folder = async (title: string): Promise<string | null> => {
    if (!deps.chooseFolder)
      throw new IpcUserError(
        'unsupported',
        'Saving to a folder needs the desktop app; the web app downloads instead.',
      );
    return deps.chooseFolder({ title, buttonLabel: 'Save here' });
  };
  return {
    'backups:write': async ({ file }) => {
      try {
        return await service().write(Buffer.from(file, 'base64'));
      } catch (error) {
        return rethrow(error);
      }
    },
    'backups:list': async ({ workspaceId }) => {
      try {
        return await service().list(workspaceId);
      } catch (error) {
        return rethrow(error);
      }
    },
    'backups:read': async ({ workspaceId, id }) => {
      try {
        const bytes = await service().read(workspaceId, id);
        return { file: Buffer.from(bytes).toString('base64') };
      } catch (error) {
        return rethrow(error);
      }
    },
    'backups:saveFile': async ({ file, fileName }) => {
      const chosen = await folder('Export workspace');
      if (!chosen) return { canceled: true };
      const stem = safeName(fileName.replace(/\.outpost$/i, ''), 'workspace');
      const target = await unusedPath(chosen, stem, '.outpost');
      try {
        await writeFile(target, Buffer.from(file, 'base64'), { flag: 'wx' });
      } catch (error) {
        throw describeWriteError(error, `“${path.basename(target)}”`);
      }
      return { canceled: false, path: target };
    },
    'backups:saveMarkdown': async ({ folderName, files }) => {
      const chosen = await folder('Export workspace as Markdown');
      if (!chosen) return { canceled: true };
      const root = await unusedPath(chosen, safeName(folderName, 'Outpost export'), '');
      const planned = files.map((file) => ({ ...file, relative: safeRelativePath(file.path) }));
      const bad = planned.find((file) => file.relative === null);
      if (bad)
        throw new IpcUserError(
          'invalid-argument',
          `“${bad.path}” is not a path inside the export.`,
        );
      let written = 0;
      try {
        for (const file of planned) {
          const target = path.join(root, file.relative!);
          await mkdir(path.dirname(target), { recursive: true });
          await writeFile(target, file.content, { encoding: 'utf8', flag: 'wx' });
          written++;
        }
      } catch (error) {
        throw describeWriteError(
          error,
          `The export (${written} of ${files.length} files written to ${root})`,
        );
      }
      return { canceled: false, path: root };
    },
  };
}
