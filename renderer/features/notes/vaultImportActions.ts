/**
 * Importing an Obsidian vault from a picked folder: read the files a vault import needs (notes and
 * images; nothing else is read), plan the import (shared/model/obsidianVault.ts), ask whether to
 * update notes imported before from the same files, write, then show what did not come over.
 * The dialog (VaultImportDialog.tsx) shows this store's state; the folder picker works the same
 * in the browser and the desktop app (a file input with `webkitdirectory`). Where note bodies are
 * documents of their own (schema 2) the new notes' bodies are stored after the write, all or none,
 * and the bodies of notes imported before are replaced one at a time.
 */
import { create } from 'zustand';
import type { FileReport, VaultFile, VaultPlan } from '../../../shared/model/obsidianVault';
import type { VaultBody } from '../../../shared/model/vaultImport';
import { fail, ok, type Result } from '../../../shared/result';
import { activeSession, useAppStore, writeAsLocalPerson } from '../../store';
import { openNote } from './notesActions';
import { replaceBody, storeNewBodies } from './noteBodies';

/** Vault reading and writing (marked, yaml, hashing): loaded on first use. */
const vaultModule = () =>
  Promise.all([
    import('../../../shared/model/obsidianVault'),
    import('../../../shared/model/vaultImport'),
    import('../../../shared/model/notesMarkdown'),
  ]);

export type VaultImportStage =
  | { readonly stage: 'idle' }
  | { readonly stage: 'reading' }
  | { readonly stage: 'confirm'; readonly plan: VaultPlan; readonly known: number }
  | {
      readonly stage: 'done';
      readonly summary: string;
      readonly report: readonly FileReport[];
    };

export const useVaultImport = create<{ current: VaultImportStage }>()(() => ({
  current: { stage: 'idle' },
}));

function set(current: VaultImportStage): void {
  useVaultImport.setState({ current });
}

/** A file of the picked folder: its path inside the folder (folder name first) and its bytes. */
export interface PickedFile {
  readonly path: string;
  readonly size: number;
  bytes(): Promise<Uint8Array>;
}

const READ_EXTENSIONS = /\.(md|markdown|mdown|txt|png|jpe?g|gif|webp)$/i;

/** Reads and plans a picked vault; asks about notes imported before, or imports at once. */
export async function startVaultImport(picked: readonly PickedFile[]): Promise<Result<null>> {
  const { notify } = useAppStore.getState();
  if (picked.length === 0) {
    notify('error', 'That folder is empty.');
    return fail('nothing', 'That folder is empty.');
  }
  set({ stage: 'reading' });
  const [{ planVault }, { previouslyImported }, { MAX_IMPORT_FILE_BYTES }] = await vaultModule();
  const files: VaultFile[] = [];
  for (const file of picked) {
    const hidden = file.path.split('/').some((part) => part.startsWith('.'));
    const wanted = !hidden && READ_EXTENSIONS.test(file.path) && file.size <= MAX_IMPORT_FILE_BYTES;
    files.push({ path: file.path, size: file.size, bytes: wanted ? await file.bytes() : null });
  }
  const plan = planVault(files);
  if (plan.notes.length === 0) {
    set({ stage: 'idle' });
    notify('error', 'That folder has no Markdown (.md) notes to import.');
    return fail('nothing', 'No notes.');
  }
  const session = activeSession();
  const known = session ? previouslyImported(session.doc, plan).length : 0;
  if (known > 0) {
    set({ stage: 'confirm', plan, known });
    return ok(null);
  }
  return finishVaultImport(plan, false);
}

/** Writes the plan: with `update`, notes imported before from the same files are updated. */
export async function finishVaultImport(plan: VaultPlan, update: boolean): Promise<Result<null>> {
  const [, { applyVaultImport }] = await vaultModule();
  const result = writeAsLocalPerson((doc, ctx) => applyVaultImport(doc, ctx, plan, { update }));
  if (!result.ok) {
    set({ stage: 'idle' });
    useAppStore.getState().notify('error', `Nothing was imported: ${result.error.message}`);
    return result;
  }
  const { created, updated, images, firstId, report } = result.value;
  const stored = await storeBodies(result.value.bodies);
  if (!stored.ok) {
    set({ stage: 'idle' });
    useAppStore.getState().notify('error', stored.error.message);
    return stored;
  }
  const parts = [
    created > 0 ? `imported ${created} new note${created === 1 ? '' : 's'}` : '',
    updated > 0 ? `updated ${updated} note${updated === 1 ? '' : 's'}` : '',
    images > 0 ? `kept ${images} image${images === 1 ? '' : 's'}` : '',
  ].filter(Boolean);
  const summary = `${parts.join(', ').replace(/^./, (c) => c.toUpperCase()) || 'Nothing changed'}.`;
  set({ stage: 'done', summary, report: [...plan.report, ...report] });
  if (firstId) openNote(firstId);
  return ok(null);
}

/**
 * Schema 2: stores the bodies of the notes a vault import created (taken back if that fails) and
 * replaces those of notes imported before. A body that could not be replaced keeps its old text,
 * and the person is told which notes.
 */
async function storeBodies(bodies: readonly VaultBody[]): Promise<Result<null>> {
  const store = activeSession()?.bodies;
  if (!store || bodies.length === 0) return ok(null);
  const created = await storeNewBodies(
    store,
    bodies.filter((body) => !body.replaces),
  );
  if (!created.ok) return created;
  const kept: string[] = [];
  for (const body of bodies) {
    if (!body.replaces) continue;
    const replaced = await replaceBody(store, body.id, body.body);
    if (!replaced.ok) kept.push(body.id);
  }
  if (kept.length > 0)
    useAppStore
      .getState()
      .notify(
        'error',
        `${kept.length} note${kept.length === 1 ? '' : 's'} imported before kept ${kept.length === 1 ? 'its' : 'their'} old text: the new text could not be stored on this device.`,
      );
  return ok(null);
}

export function closeVaultImport(): void {
  set({ stage: 'idle' });
}
