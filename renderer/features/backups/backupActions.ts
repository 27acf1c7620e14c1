/**
 * What the Backups screen does, outside React: list and read backups, export the open workspace
 * (a workspace file, or Markdown as a folder on the desktop and a zip in the browser), check a
 * file before anything is changed, and restore a workspace file as a new workspace or in place of
 * the open one. Documents and databases stay in here; components get plain results.
 */
import { formatForPerson } from '../../components/personTime';
import { downloadFile } from '../../platform/download';
import { confirmPlainExport } from '../../components/plainExport';
import * as Y from 'yjs';
import { zipSync, strToU8 } from 'fflate';
import { fromBase64, toBase64 } from 'lib0/buffer';
import { fail, ok, type Result } from '../../../shared/result';
import { newId } from '../../../shared/core/ids';
import { renameWorkspace, workspaceName } from '../../../shared/model';
import type { BackupList } from '../../../shared/ipc/backupsContract';
import {
  countRecords,
  decodeWorkspaceFile,
  protectionOf,
  readWorkspaceFileHeader,
  rootStateOf,
  verifyWorkspaceFile,
  type FileSealer,
  type WorkspaceFile,
  type WorkspaceFileHeader,
} from '../../../shared/storage/workspaceFile';
import { fileSealer } from '../../../shared/storage/sealedRows';
import {
  decodePassphraseWorkspaceFile,
  encodePassphraseWorkspaceFile,
  needsPassphrase,
} from '../../../shared/storage/passphraseFile';
import { workspaceAtRestKey, workspaceRowCodec } from '../../sync/atRestKeys';
import { workspaceAsMarkdownFrom } from '../../../shared/storage/markdownExport';
import { bundleOf } from '../../../shared/storage/workspaceBundle';
import { getOutpostApi } from '../../platform/outpostApi';
import { activeSession, useAppStore, writeAsLocalPerson } from '../../store';
import { WORKSPACE_DB_PREFIX, type WorkspaceEntry } from '../../sync/localState';
import { workspaceFileFor } from '../../sync/storage/backupScheduler';
import { storeRestoredWorkspace } from '../../sync/storage/restoredWorkspace';
import { workspaceStorage } from '../../sync/storage/workspaceStorage';
import { openWorkspaceDb, readSetAside, type SetAsideEntry } from '../../sync/storage/idb';
import { LAZY_DOCS_DB_PREFIX, openLazyDocsDb, readAside } from '../../sync/storage/lazyDocDb';
import { hasBodiesLayout } from '../../sync/storage/bodiesMigration';

/** Largest file the import accepts (a 10,000-note workspace is a few MB). */
export const MAX_IMPORT_BYTES = 200 * 1024 * 1024;

export interface CheckedFile {
  readonly header: WorkspaceFileHeader;
  readonly file: WorkspaceFile;
  readonly fileName: string;
}

export async function listBackups(workspaceId: string): Promise<Result<BackupList>> {
  return getOutpostApi().invoke('backups:list', { workspaceId });
}

/** Calls `listener` whenever the main process wrote (and pruned) backups of the workspace. */
export function onBackupsChanged(workspaceId: string, listener: () => void): () => void {
  return getOutpostApi().on('backups:changed', (event) => {
    if (event.workspaceId === workspaceId) listener();
  });
}

export async function backupNow(): Promise<Result<{ written: boolean }>> {
  const id = useAppStore.getState().activeWorkspaceId;
  const storage = id ? workspaceStorage(id) : undefined;
  if (!storage) return fail('closed', 'No workspace is open.');
  try {
    return await storage.backupNow();
  } catch (error) {
    return fail('closed', error instanceof Error ? error.message : String(error));
  }
}

/** Reads and fully checks a backup kept by the main process. */
export async function readBackup(workspaceId: string, id: string): Promise<Result<CheckedFile>> {
  const read = await getOutpostApi().invoke('backups:read', { workspaceId, id });
  if (!read.ok) return read;
  return checkFile(fromBase64(read.value.file), id);
}

/**
 * The workspace's own key for a sealed backup of it (a backup opens only on the device, and in
 * the workspace, that wrote it).
 */
async function backupKeyOf(bytes: Uint8Array): Promise<FileSealer | undefined> {
  const header = readWorkspaceFileHeader(bytes);
  if (!header.ok || protectionOf(header.value.header) !== 'sealed') return undefined;
  const codec = workspaceRowCodec(header.value.header.workspaceId);
  await codec.ready;
  return fileSealer(codec);
}

/** Checks bytes as a workspace file; nothing is changed. */
export async function checkFile(bytes: Uint8Array, fileName: string): Promise<Result<CheckedFile>> {
  if (bytes.length > MAX_IMPORT_BYTES)
    return fail('too-large', `“${fileName}” is too large to be an Outpost workspace file.`);
  const sealer = await backupKeyOf(bytes);
  const decoded = decodeWorkspaceFile(bytes, () => sealer ?? null);
  if (!decoded.ok)
    return fail(decoded.error.code, `“${fileName}” was not imported: ${decoded.error.message}`);
  return ok({ header: decoded.value.header, file: decoded.value, fileName });
}

/** A picked workspace file that opens only with its passphrase (version 3), already checked. */
export interface LockedFile {
  readonly bytes: Uint8Array;
  readonly fileName: string;
  readonly header: WorkspaceFileHeader;
}

/**
 * Checks a file the person picked. An encrypted export comes back locked: its length and
 * checksum are checked now (a damaged file is reported before a passphrase is asked for) and
 * {@link openLockedFile} reads it with the passphrase.
 */
export async function checkPickedFile(
  file: File,
): Promise<Result<{ checked: CheckedFile } | { locked: LockedFile }>> {
  if (file.size > MAX_IMPORT_BYTES)
    return fail('too-large', `“${file.name}” is too large to be an Outpost workspace file.`);
  const bytes = new Uint8Array(await file.arrayBuffer());
  const verified = verifyWorkspaceFile(bytes);
  if (verified.ok && needsPassphrase(verified.value.header))
    return ok({ locked: { bytes, fileName: file.name, header: verified.value.header } });
  const checked = await checkFile(bytes, file.name);
  return checked.ok ? ok({ checked: checked.value }) : checked;
}

/** Opens an encrypted export with `passphrase`; a wrong one is reported and changes nothing. */
export async function openLockedFile(
  locked: LockedFile,
  passphrase: string,
): Promise<Result<CheckedFile>> {
  const decoded = await decodePassphraseWorkspaceFile(locked.bytes, passphrase);
  if (!decoded.ok) return decoded;
  // The header names no workspace (it is readable without the passphrase); the data does.
  const doc = new Y.Doc();
  Y.applyUpdate(doc, rootStateOf(decoded.value));
  const header = { ...decoded.value.header, workspaceName: workspaceName(doc) ?? '' };
  doc.destroy();
  return ok({ header, file: decoded.value, fileName: locked.fileName });
}

/**
 * Stores a checked workspace file as the only data of a workspace on this device (its root and
 * body documents for a bundle), sealed with that workspace's key like any row.
 */
async function writeAsOnlyData(
  workspaceId: string,
  file: WorkspaceFile,
  replacing: boolean,
): Promise<void> {
  await storeRestoredWorkspace(
    {
      workspaceId,
      codec: workspaceRowCodec(workspaceId),
      key: workspaceAtRestKey(workspaceId),
      replacing,
    },
    file,
  );
}

function dateLabel(ms: number): string {
  return formatForPerson(ms, { dateStyle: 'medium', timeStyle: 'short' });
}

/** Adds the file's workspace to this device as a new workspace and opens it. */
export async function restoreAsNew(checked: CheckedFile): Promise<Result<WorkspaceEntry>> {
  const id = newId();
  const base = checked.header.workspaceName || 'Workspace';
  const name = `${base.slice(0, 50)} (restored ${new Date(checked.header.createdAt).toISOString().slice(0, 10)})`;
  try {
    await writeAsOnlyData(id, checked.file, false);
  } catch (error) {
    return fail('restore-failed', `The workspace could not be stored: ${String(error)}`);
  }
  const entry: WorkspaceEntry = {
    id,
    name,
    kind: 'local',
    createdAt: Date.now(),
    relays: [],
    turn: null,
  };
  await useAppStore.getState().setWorkspaces((current) => [...current, entry]);
  await useAppStore.getState().openWorkspace(id);
  if (activeSession()?.id === id) writeAsLocalPerson((doc) => renameWorkspace(doc, name));
  await useAppStore
    .getState()
    .setWorkspaces((current) => current.map((item) => (item.id === id ? { ...item, name } : item)));
  return ok(entry);
}

/**
 * Replaces the open workspace's data on this device by the file's. A backup of the current state
 * is written first (reason "before-restore"), so the replacement can itself be undone.
 */
export async function replaceCurrent(checked: CheckedFile): Promise<Result<null>> {
  const session = activeSession();
  if (!session) return fail('closed', 'No workspace is open.');
  const safety = await backupNowFor('before-restore');
  if (!safety.ok)
    return fail(
      safety.error.code,
      `Nothing was replaced: a backup of the current data could not be written first (${safety.error.message}).`,
    );
  let failure: string | null = null;
  await useAppStore.getState().reopenWorkspace(async () => {
    try {
      await writeAsOnlyData(session.id, checked.file, true);
    } catch (error) {
      failure = String(error);
    }
  });
  return failure
    ? fail('restore-failed', `The workspace could not be replaced: ${failure}`)
    : ok(null);
}

/**
 * Writes a backup of the open workspace now, marked as taken before a restore or a large
 * deletion: retention keeps such backups beside the hour's newest (shared/storage/retention.ts).
 */
export async function backupNowFor(
  reason: 'before-restore' | 'before-delete',
): Promise<Result<unknown>> {
  const session = activeSession();
  if (!session) return fail('closed', 'No workspace is open.');
  const codec = workspaceStorage(session.id)?.durable.codec;
  let file: Uint8Array;
  try {
    file = await workspaceFileFor(
      session.doc,
      session.bodies,
      session.id,
      'Workspace',
      reason,
      Date.now(),
      codec && fileSealer(codec),
    );
  } catch (error) {
    return fail('backup-failed', error instanceof Error ? error.message : String(error));
  }
  return getOutpostApi().invoke('backups:write', { file: toBase64(file) });
}

function download(bytes: Uint8Array, fileName: string, type: string): void {
  downloadFile(fileName, bytes, type);
}

function exportBaseName(doc: Y.Doc): string {
  const name = (workspaceName(doc) ?? 'Workspace').replace(/[\\/:*?"<>|]/g, '-');
  return `${name} ${new Date().toISOString().slice(0, 10)}`;
}

const isWeb = () => useAppStore.getState().appInfo?.shell !== 'electron';

/** How an exported workspace file is protected: a passphrase (version 3), or not at all. */
export type ExportProtection = { readonly passphrase: string } | { readonly plain: true };

/**
 * Exports the open workspace as one .outpost file: sealed with the person's passphrase, or
 * plain after the unencrypted-export warning (either opens on any device: the device's own key
 * does not travel with it).
 */
export async function exportWorkspaceFile(protection: ExportProtection): Promise<Result<string>> {
  const session = activeSession();
  if (!session) return fail('closed', 'No workspace is open.');
  let bytes: Uint8Array;
  try {
    if ('plain' in protection) {
      if (!(await confirmPlainExport('This workspace file'))) return ok('');
      bytes = await workspaceFileFor(
        session.doc,
        session.bodies,
        session.id,
        'Workspace',
        'export',
        Date.now(),
      );
    } else {
      // Schema 2: the root and every body document (version 4); schema 1: the one document.
      const bodies = session.bodies;
      bytes = await encodePassphraseWorkspaceFile(
        {
          workspaceId: session.id,
          workspaceName: '',
          createdAt: Date.now(),
          reason: 'export',
          state: bodies ? await bundleOf(session.doc, bodies) : Y.encodeStateAsUpdate(session.doc),
          counts: countRecords(session.doc),
          bundle: bodies !== null,
        },
        protection.passphrase,
      );
    }
  } catch (error) {
    return fail(
      'export-failed',
      `The workspace file could not be made: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const fileName = `${exportBaseName(session.doc)}.outpost`;
  if (isWeb()) {
    download(bytes, fileName, 'application/octet-stream');
    return ok(`Downloading ${fileName}.`);
  }
  const saved = await getOutpostApi().invoke('backups:saveFile', {
    file: toBase64(bytes),
    fileName,
  });
  if (!saved.ok) return saved;
  return ok(saved.value.canceled ? '' : `Saved ${saved.value.path}`);
}

/** Exports every note, goal and decision as Markdown (a folder, or a zip in the browser). */
export async function exportMarkdown(): Promise<Result<string>> {
  const session = activeSession();
  if (!session) return fail('closed', 'No workspace is open.');
  if (!(await confirmPlainExport('Every note, goal and decision of this workspace'))) return ok('');
  let files: Awaited<ReturnType<typeof workspaceAsMarkdownFrom>>;
  try {
    files = await workspaceAsMarkdownFrom(session.doc, Date.now(), session.bodies);
  } catch (error) {
    return fail(
      'export-failed',
      `The notes could not be exported: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const folderName = `${exportBaseName(session.doc)} Markdown`;
  if (isWeb()) {
    const entries: Record<string, Uint8Array> = {};
    for (const file of files) entries[`${folderName}/${file.path}`] = strToU8(file.content);
    download(zipSync(entries, { level: 6 }), `${folderName}.zip`, 'application/zip');
    return ok(`Downloading ${folderName}.zip (${files.length} files).`);
  }
  const saved = await getOutpostApi().invoke('backups:saveMarkdown', { folderName, files });
  if (!saved.ok) return saved;
  return ok(saved.value.canceled ? '' : `Exported ${files.length} files to ${saved.value.path}`);
}

/** Downloads a kept backup (web mode's way to take a backup elsewhere). */
export async function downloadBackup(workspaceId: string, id: string): Promise<Result<string>> {
  const read = await getOutpostApi().invoke('backups:read', { workspaceId, id });
  if (!read.ok) return read;
  if (!isWeb()) {
    const saved = await getOutpostApi().invoke('backups:saveFile', {
      file: read.value.file,
      fileName: id,
    });
    if (!saved.ok) return saved;
    return ok(saved.value.canceled ? '' : `Saved ${saved.value.path}`);
  }
  download(fromBase64(read.value.file), id, 'application/octet-stream');
  return ok(`Downloading ${id}.`);
}

/**
 * Rows of a workspace that were set aside because they could not be read: its own, and its note
 * bodies' (each a document of its own, in a database beside it), newest first.
 */
export async function listSetAside(workspaceId: string): Promise<SetAsideEntry[]> {
  const [own, bodies] = await Promise.all([rootSetAside(workspaceId), bodiesSetAside(workspaceId)]);
  return [...own, ...bodies].sort((a, b) => b.at - a.at);
}

async function rootSetAside(workspaceId: string): Promise<SetAsideEntry[]> {
  const storage = workspaceStorage(workspaceId);
  if (storage) return storage.durable.setAside();
  const db = await openWorkspaceDb(WORKSPACE_DB_PREFIX + workspaceId);
  try {
    return await readSetAside(db);
  } finally {
    db.close();
  }
}

/** Only a workspace whose bodies are documents has their database (opening would create it). */
async function bodiesSetAside(workspaceId: string): Promise<SetAsideEntry[]> {
  if (!(await hasBodiesLayout(workspaceId))) return [];
  const db = await openLazyDocsDb(LAZY_DOCS_DB_PREFIX + workspaceId);
  try {
    return (await readAside(db)).map(({ doc, rowKey, at, bytes, problem, detail, value }) => ({
      id: `body:${doc}:${rowKey}`,
      document: doc,
      rowKey,
      at,
      bytes,
      problem,
      detail,
      value,
    }));
  } finally {
    db.close();
  }
}

export function downloadSetAside(entry: SetAsideEntry): void {
  const value = entry.value;
  const bytes =
    value instanceof Uint8Array
      ? value
      : new TextEncoder().encode(JSON.stringify(value ?? null, null, 2));
  download(bytes, `set-aside-${entry.rowKey}-${entry.at}.bin`, 'application/octet-stream');
}

export { dateLabel };
