/**
 * Small JSON files the main process owns (settings, window state): atomic writes so a crash or
 * power cut never leaves half a file, and reads that tell a missing file from a damaged one so a
 * damaged file can be kept aside for the person instead of being overwritten.
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
  await fsp.mkdir(path.dirname(filePath), { recursive: true });
  const temporary = temporaryPathFor(filePath);
  try {
    const handle = await fsp.open(temporary, 'wx', 0o600);
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
  fs.mkdirSync(path.dirname(filePath), { recursive: true });
  const temporary = temporaryPathFor(filePath);
  try {
    const fd = fs.openSync(temporary, 'wx', 0o600);
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
