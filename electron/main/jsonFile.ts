/**
 * Small JSON files the main process owns (settings, window state): atomic writes so a crash or
 * power cut never leaves half a file, and reads that tell a missing file from a damaged one so a
 * damaged file can be kept aside for the person instead of being overwritten. Files are written
 * 0600 in 0700 folders: on a shared machine another account reads nothing of Outpost's (issue 17).
 */
import { randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import fs from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';

export type JsonReadResult<T> =
  | { readonly kind: 'missing' }
  | { readonly kind: 'ok'; readonly value: T }
  | { readonly kind: 'invalid'; readonly reason: string };

/** Owner read and write only: settings, backups and the companion's files. */
export const PRIVATE_FILE_MODE = 0o600;
/** Owner only: the folders holding them. */
export const PRIVATE_FOLDER_MODE = 0o700;

/** The parts of node:fs/promises ensurePrivateFolder uses (the backup service passes its own). */
export type PrivateFolderFs = Pick<typeof fsp, 'mkdir' | 'chmod'>;

/**
 * Creates `folder` (and any missing parents) as 0700, and narrows it to 0700 when it already
 * existed: a folder left by an older Outpost, or made by Electron or the person, may be readable
 * by every account. Windows has no such modes (its profile folders are private already).
 */
export async function ensurePrivateFolder(
  folder: string,
  fileSystem: PrivateFolderFs = fsp,
): Promise<void> {
  await fileSystem.mkdir(folder, { recursive: true, mode: PRIVATE_FOLDER_MODE });
  if (process.platform !== 'win32') await fileSystem.chmod(folder, PRIVATE_FOLDER_MODE);
}

/** The synchronous twin of ensurePrivateFolder, for writes while the app quits. */
export function ensurePrivateFolderSync(folder: string): void {
  fs.mkdirSync(folder, { recursive: true, mode: PRIVATE_FOLDER_MODE });
  if (process.platform !== 'win32') fs.chmodSync(folder, PRIVATE_FOLDER_MODE);
}

function temporaryPathFor(filePath: string): string {
  return `${filePath}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
}

export function describeSchemaIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) =>
      issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message,
    )
    .join('; ');
}

/** Reads and validates a JSON file; never throws for a missing, unreadable or malformed file. */
export async function readJsonFile<T>(
  filePath: string,
  schema: z.ZodType<T>,
): Promise<JsonReadResult<T>> {
  let text: string;
  try {
    text = await fsp.readFile(filePath, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing' };
    return { kind: 'invalid', reason: `it could not be read (${errorMessage(error)})` };
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return { kind: 'invalid', reason: 'it is not valid JSON' };
  }
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    return {
      kind: 'invalid',
      reason: `it holds unexpected values (${describeSchemaIssues(parsed.error)})`,
    };
  }
  return { kind: 'ok', value: parsed.data };
}

/** fsyncs the directory so the rename itself survives a crash; not possible on every platform. */
async function syncDirectory(directory: string): Promise<void> {
  let handle: fsp.FileHandle | undefined;
  try {
    handle = await fsp.open(directory, 'r');
    await handle.sync();
  } catch {
    // Windows cannot open a directory for syncing; its rename is already durable enough.
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

/** Writes `data` to a temporary file beside `filePath`, fsyncs it, then renames it into place. */
export async function writeFileAtomic(filePath: string, data: string): Promise<void> {
  await ensurePrivateFolder(path.dirname(filePath));
  const temporary = temporaryPathFor(filePath);
  try {
    const handle = await fsp.open(temporary, 'wx', PRIVATE_FILE_MODE);
    try {
      await handle.writeFile(data, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fsp.rename(temporary, filePath);
  } catch (error) {
    await fsp.rm(temporary, { force: true }).catch(() => undefined);
    throw error;
  }
  await syncDirectory(path.dirname(filePath));
}

/**
 * The synchronous twin of writeFileAtomic, for the last save while the app quits, when there is
 * no later turn of the event loop to wait for.
 */
export function writeFileAtomicSync(filePath: string, data: string): void {
  ensurePrivateFolderSync(path.dirname(filePath));
  const temporary = temporaryPathFor(filePath);
  try {
    const fd = fs.openSync(temporary, 'wx', PRIVATE_FILE_MODE);
    try {
      fs.writeFileSync(fd, data, 'utf8');
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(temporary, filePath);
  } catch (error) {
    fs.rmSync(temporary, { force: true });
    throw error;
  }
}

/**
 * Moves a damaged file aside as `<name>.corrupt-<timestamp>` (never deleting anything) and
 * returns the new path.
 */
export async function keepAside(filePath: string, now: Date = new Date()): Promise<string> {
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  for (let attempt = 0; ; attempt += 1) {
    const target = `${filePath}.corrupt-${stamp}${attempt === 0 ? '' : `-${attempt}`}`;
    try {
      // link + unlink instead of rename: rename would silently replace an earlier kept-aside file.
      await fsp.link(filePath, target);
      await fsp.unlink(filePath);
      return target;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST' && attempt < 100) continue;
      if (code === 'EPERM' || code === 'ENOTSUP' || code === 'EXDEV' || code === 'ENOSYS') {
        // Some file systems have no hard links; fall back to a rename to a name checked free.
        await fsp.rename(filePath, target);
        return target;
      }
      throw error;
    }
  }
}

/**
 * Moves a damaged file aside and says so for the person: "It was kept as <name>", or why it could
 * not be moved. `subject` names the file in the sentence; `leftAsIs` adds that it stays in place.
 */
export async function keepAsideAndSay(
  filePath: string,
  wording: { readonly subject?: string; readonly leftAsIs?: boolean } = {},
): Promise<string> {
  const subject = wording.subject ?? 'It';
  try {
    return `${subject} was kept as ${path.basename(await keepAside(filePath))}`;
  } catch (error) {
    return `${subject} could not be moved aside (${errorMessage(error)})${wording.leftAsIs ? ' and was left as it is' : ''}`;
  }
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
