/**
 * Moves what builds before the app:// scheme stored in IndexedDB into the app:// origin, once.
 *
 * IndexedDB belongs to an origin, and those builds loaded the page from file://, so an upgraded
 * app would otherwise open empty while every workspace and the device's identity and team keys
 * sit untouched under the old origin. On the first start with no record of this move, before the
 * app's window exists, a hidden window (sandboxed, no preload) opens an empty page of the file://
 * origin and reads every `outpost-*` database (exportScript.ts); the main process keeps that
 * export as a private file (0600 in a 0700 folder) and records `exported`. The app's page takes it
 * over IPC before it reads anything stored (renderer/platform/originImport.ts), creates each
 * database the new origin does not have yet — its stores, indexes and rows in the one
 * transaction that creates it, so a database is in whole or not at all — and reports; the record
 * then says `done` and the export file goes (kept when a database was left out because the new
 * origin already had one of its name). Each step can be interrupted and is simply done again at
 * the next start; the old origin's databases are only read, never changed.
 *
 * Rows keep their sealing: the data key lives in the keychain file, not in the origin.
 */
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BrowserWindowConstructorOptions } from 'electron';
import type { IpcHandlers } from '../../../shared/ipc/dispatch';
import { errorMessage, writeFileAtomic } from '../jsonFile';
import { EXPORT_FORMAT, EXPORT_SCRIPT } from './exportScript';

export type MigrationState = 'none' | 'exported' | 'done';

export interface OriginMigration {
  state(): MigrationState;
  /** Keeps the old origin's export (EXPORT_SCRIPT's answer) and records `exported`. */
  saveExport(exported: string): Promise<void>;
  readonly handlers: Pick<IpcHandlers, 'migration:pending' | 'migration:finish'>;
}

const MARKER = 'origin-migration.json';
const EXPORT_FILE = path.join('migration', 'file-origin.json');

function countDatabases(exported: string): number {
  const parsed = JSON.parse(exported) as { format?: unknown; v?: unknown; databases?: unknown };
  if (parsed.format !== EXPORT_FORMAT || parsed.v !== 1 || !Array.isArray(parsed.databases))
    throw new Error('The old origin answered with something that is not an Outpost export.');
  return parsed.databases.length;
}

/** Reads the record of the move in `dataDir` (none yet when there is no record). */
export async function createOriginMigration(options: {
  readonly dataDir: string;
  log(message: string): void;
}): Promise<OriginMigration> {
  const markerPath = path.join(options.dataDir, MARKER);
  const exportPath = path.join(options.dataDir, EXPORT_FILE);
  let state: MigrationState = 'none';
  try {
    const stored = JSON.parse(await readFile(markerPath, 'utf8')) as { state?: unknown };
    if (stored.state === 'exported' || stored.state === 'done') state = stored.state;
  } catch {
    // No record (or one that cannot be read): the export runs again; it only reads the old origin.
  }
  const record = async (next: MigrationState, detail: Record<string, unknown> = {}) => {
    await writeFileAtomic(
      markerPath,
      `${JSON.stringify({ v: 1, state: next, at: new Date().toISOString(), ...detail })}\n`,
    );
    state = next;
  };

  return {
    state: () => state,
    async saveExport(exported) {
      const databases = countDatabases(exported);
      // Nothing under the old origin (a new install): nothing to hand over.
      if (databases === 0) return record('done', { databases: 0 });
      await writeFileAtomic(exportPath, exported);
      await record('exported', { databases });
    },
    handlers: {
      'migration:pending': async () => {
        if (state !== 'exported') return null;
        try {
          return { exported: await readFile(exportPath, 'utf8') };
        } catch (error) {
          options.log(
            `The export of the old file:// origin could not be read: ${errorMessage(error)}`,
          );
          return null;
        }
      },
      'migration:finish': async ({ imported, skipped }) => {
        if (state !== 'exported') return null;
        await record('done', { imported: imported.length, skipped });
        if (skipped.length === 0) await rm(exportPath, { force: true });
        else
          options.log(
            `Kept ${exportPath}: ${skipped.join(', ')} already existed under app:// and were not replaced.`,
          );
        return null;
      },
    },
  };
}

/** The hidden window the export runs in, as far as it is used (Electron's BrowserWindow). */
export interface ExportWindow {
  readonly webContents: { executeJavaScript?(code: string): Promise<unknown> };
  loadURL(url: string): Promise<void>;
  close(): unknown;
  isDestroyed(): boolean;
}

/**
 * Runs the old origin's export when no record of the move exists (see the module comment).
 * Never throws: a failure is logged and the export is tried again at the next start.
 */
export async function exportOldOrigin(options: {
  readonly migration: OriginMigration;
  readonly dataDir: string;
  readonly BrowserWindow: new (options: BrowserWindowConstructorOptions) => ExportWindow;
  readonly webPreferences: BrowserWindowConstructorOptions['webPreferences'];
  log(message: string): void;
  /** How long the old origin may take to answer. */
  readonly timeoutMs?: number;
}): Promise<void> {
  if (options.migration.state() !== 'none') return;
  const page = path.join(options.dataDir, 'migration', 'old-origin.html');
  let window: ExportWindow | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    await writeFileAtomic(page, '<!doctype html><meta charset="utf-8"><title>Outpost</title>\n');
    window = new options.BrowserWindow({
      show: false,
      webPreferences: options.webPreferences,
    });
    await window.loadURL(pathToFileURL(page).href);
    const run = window.webContents.executeJavaScript;
    if (!run) throw new Error('This Electron cannot run the export.');
    const answer = await Promise.race([
      run.call(window.webContents, EXPORT_SCRIPT),
      new Promise((_resolve, reject) => {
        timer = setTimeout(
          () => reject(new Error('The old origin did not answer in time.')),
          options.timeoutMs ?? 60_000,
        );
      }),
    ]);
    if (typeof answer !== 'string') throw new Error('The old origin gave no export.');
    await options.migration.saveExport(answer);
  } catch (error) {
    options.log(
      `Outpost could not read what earlier versions stored under file:// (tried again at the next start): ${errorMessage(error)}`,
    );
  } finally {
    clearTimeout(timer);
    if (window && !window.isDestroyed()) window.close();
  }
}
