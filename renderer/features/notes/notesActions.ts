/**
 * What the notes screens do, outside React: writes run shared/model functions through the write
 * gateway (store/writeGateway.ts), so components never touch Y types; Markdown export and import;
 * templates kept on this device. The notes-only UI state is in notesStore.ts.
 */
import { downloadFile } from '../../platform/download';
import { confirmPlainExport } from '../../components/plainExport';
import type * as Y from 'yjs';
import { newId } from '../../../shared/core/ids';
import { notes, noteBody } from '../../../shared/model';
import {
  duplicateNote,
  emptyNotesTrash,
  seedNotes,
  touchNote,
  type NoteSeed,
} from '../../../shared/model/notes';
import { readBodyTree } from '../../../shared/model/notesBody';
import {
  BUILT_IN_TEMPLATES,
  SavedTemplate,
  templateTitle,
  type NoteTemplate,
} from '../../../shared/model/notesTemplates';
import { fail, ok, type Result } from '../../../shared/result';
import type { Note } from '../../../shared/schema/records';
import { activeSession, useAppStore, writeAsLocalPerson } from '../../store';
import { saveTemplates, useNotesStore } from './notesStore';
import { getOutpostApi } from '../../platform/outpostApi';
import { backupNowFor } from '../backups/backupActions';
import { copiedBodyUpdate, detachedCopy, readNoteBody, storeNewBodies } from './noteBodies';

/**
 * Markdown conversion (marked): templates, export and import. Loaded on first use, and fetched
 * shortly after start-up (App.tsx), so it is not part of what runs before the list paints.
 */
export const markdownModule = () => import('../../../shared/model/notesMarkdown');

function report<T>(result: Result<T>): Result<T> {
  if (!result.ok) useAppStore.getState().notify('error', result.error.message);
  return result;
}

function today(): string {
  const now = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/**
 * Opens a note: shows the notes section, selects the note and shows the tab it lives in. With
 * `focusBody` (following a link) the caret goes into the note's body, ready to type.
 */
export function openNote(id: string, options: { focusBody?: boolean } = {}): void {
  if (options.focusBody) useNotesStore.setState({ focusBody: id });
  const state = useAppStore.getState();
  const note = state.snapshot?.notes.items.find((item) => item.id === id);
  state.setSection('notes');
  if (note) {
    state.setRecordView(
      'note',
      note.deletedAt !== null ? 'trash' : note.archived ? 'archived' : 'active',
    );
  }
  state.select('note', id);
}

/**
 * Copies a note and opens the copy. In schema 2 the body is read from its document first and the
 * copy's body document is stored before the copy opens (the copy is taken back if that fails).
 */
export async function duplicate(id: string): Promise<Result<Note>> {
  const session = activeSession();
  let copied: Uint8Array | null = null;
  if (session?.bodies) {
    const read = await readNoteBody(session, id, copiedBodyUpdate);
    if (!read.ok) return report(read);
    copied = read.value;
  }
  let result = report(writeAsLocalPerson((doc, ctx) => duplicateNote(doc, ctx, id)));
  if (result.ok && session?.bodies && copied) {
    const body = copied;
    const stored = await storeNewBodies(
      session.bodies,
      [{ id: result.value.id, body: [] }],
      () => body,
    );
    if (!stored.ok) result = report(stored);
  }
  if (result.ok) {
    openNote(result.value.id);
    useAppStore.getState().notify('info', 'Duplicated the note.');
  }
  return result;
}

export async function emptyTrash(): Promise<Result<number>> {
  // Deleting forever cannot be undone in the app, so a backup kept beside the hour's newest
  // comes first (shared/storage/retention.ts keeps "before-delete" backups).
  const backup = await backupNowFor('before-delete');
  if (!backup.ok)
    return report(
      fail(
        backup.error.code,
        `Nothing was deleted: a backup could not be written first (${backup.error.message}).`,
      ),
    );
  // Schema 2: the session deletes the body documents of notes deleted forever.
  const result = report(writeAsLocalPerson((doc, ctx) => emptyNotesTrash(doc, ctx)));
  if (result.ok) {
    useAppStore.getState().select('note', null);
    useAppStore
      .getState()
      .notify('info', `Deleted ${result.value} note${result.value === 1 ? '' : 's'} forever.`);
  }
  return result;
}

/** Records that the local person edited a note's body (sort order, "edited by"). */
export function markEdited(id: string): void {
  writeAsLocalPerson((doc, ctx) => touchNote(doc, ctx, id));
}

/** Creates a note and its first `[[link]]` target in one go (for "Create note …"). */
export function createLinkedNote(title: string): Result<Note> {
  return report(writeAsLocalPerson((doc, ctx) => notes.create(doc, ctx, { title })));
}

/**
 * Creates notes from seeds as the local person: the records in one write, then (schema 2) their
 * body documents in one transaction; when those cannot be stored the notes are taken back.
 */
async function createSeeded(seeds: readonly NoteSeed[]): Promise<Result<Note[]>> {
  const session = activeSession();
  const result = writeAsLocalPerson((doc, ctx) => seedNotes(doc, ctx, seeds));
  if (!result.ok) return result;
  if (session?.bodies) {
    const stored = await storeNewBodies(session.bodies, result.value.bodies);
    if (!stored.ok) return stored;
  }
  return ok(result.value.notes);
}

/** Creates a note from a template and opens it. */
export async function createFromTemplate(template: NoteTemplate): Promise<Result<Note>> {
  const { markdownToBody } = await markdownModule();
  const result = report(
    await createSeeded([
      { title: templateTitle(template, today()), body: markdownToBody(template.markdown) },
    ]),
  );
  if (!result.ok || !result.value[0]) return result.ok ? fail('internal', 'No note') : result;
  openNote(result.value[0].id);
  return ok(result.value[0]);
}

/** Every template: the built-in ones, then the person's own. */
export function allTemplates(saved: readonly NoteTemplate[]): NoteTemplate[] {
  return [...BUILT_IN_TEMPLATES, ...saved];
}

/** Saves a note as a template on this device. */
export async function saveAsTemplate(id: string, name: string): Promise<Result<NoteTemplate>> {
  const { bodyToMarkdown } = await markdownModule();
  const session = activeSession();
  const read = session ? notes.get(session.doc, id) : undefined;
  const body = session && read?.ok ? await readNoteBody(session, id, readBodyTree) : null;
  if (!read?.ok || !body?.ok)
    return fail('not-found', 'Only a readable note can become a template.');
  const parsed = SavedTemplate.safeParse({
    id: newId(),
    name,
    title: read.value.title,
    markdown: bodyToMarkdown(body.value),
  });
  if (!parsed.success)
    return fail('invalid-input', parsed.error.issues[0]?.message ?? 'Invalid template.');
  const template: NoteTemplate = { ...parsed.data, builtIn: false };
  const next = [...useNotesStore.getState().savedTemplates, template];
  try {
    saveTemplates(next);
  } catch {
    return fail('storage-full', 'The template could not be saved: this device’s storage is full.');
  }
  return ok(template);
}

export function deleteTemplate(id: string): void {
  saveTemplates(useNotesStore.getState().savedTemplates.filter((template) => template.id !== id));
}

// ---------------------------------------------------------------------------------------------
// Markdown export and import

export interface ExportFile {
  readonly name: string;
  readonly content: string;
}

/** Markdown files for the given notes (one per note, unique names; bodies read one at a time). */
export async function markdownFiles(ids: readonly string[]): Promise<ExportFile[]> {
  const { markdownFileName, noteToMarkdown } = await markdownModule();
  const session = activeSession();
  if (!session) return [];
  const byId = new Map(
    (useAppStore.getState().snapshot?.notes.items ?? []).map((note) => [note.id, note]),
  );
  const taken = new Set<string>();
  const files: ExportFile[] = [];
  for (const id of ids) {
    const note = byId.get(id);
    if (!note) continue;
    const body = await readNoteBody(session, id, readBodyTree);
    if (!body.ok) continue;
    files.push({
      name: markdownFileName(note.title, taken),
      content: noteToMarkdown(note, body.value, (target) => byId.get(target)?.title),
    });
  }
  return files;
}

function download(name: string, content: string): void {
  downloadFile(name, content, 'text/markdown;charset=utf-8');
}

/**
 * Exports notes as Markdown: to a folder picked in a native dialog in the desktop app; in the
 * browser each file is downloaded.
 */
export async function exportMarkdown(ids: readonly string[]): Promise<Result<string>> {
  const files = await markdownFiles(ids);
  if (files.length === 0) return report(fail('nothing', 'There are no notes to export.'));
  const what = files.length === 1 ? 'This note' : `These ${files.length} notes`;
  if (!(await confirmPlainExport(what))) return ok('');
  const { appInfo, notify } = useAppStore.getState();
  if (appInfo?.shell === 'web') {
    for (const file of files) download(file.name, file.content);
    const message = `Downloaded ${files.length} Markdown file${files.length === 1 ? '' : 's'}.`;
    notify('info', message);
    return ok(message);
  }
  const result = await getOutpostApi().invoke('notes:exportMarkdown', { files });
  if (!result.ok) return report(result);
  if (result.value.canceled) return ok('');
  const message = `Exported ${result.value.written} note${result.value.written === 1 ? '' : 's'} to ${result.value.folder}.`;
  notify('info', message);
  return ok(message);
}

/** A file picked for import: a name and a way to read its bytes. */
export interface ImportFile {
  readonly name: string;
  readonly size: number;
  bytes(): Promise<Uint8Array>;
}

/**
 * Imports Markdown files as new notes: all of them or, when one is bad, none (with a message that
 * names every bad file). Files in a picked folder that are not Markdown are skipped and counted.
 */
export async function importMarkdown(
  files: readonly ImportFile[],
  fromFolder: boolean,
): Promise<Result<Note[]>> {
  const { decodeMarkdownFile, MARKDOWN_EXTENSIONS, MAX_IMPORT_FILE_BYTES, parseNoteMarkdown } =
    await markdownModule();
  const candidates = fromFolder
    ? files.filter((file) =>
        MARKDOWN_EXTENSIONS.some((ext) => file.name.toLowerCase().endsWith(ext)),
      )
    : files;
  const skipped = files.length - candidates.length;
  if (candidates.length === 0)
    return report(
      fail('nothing', fromFolder ? 'That folder has no Markdown (.md) files.' : 'No file chosen.'),
    );
  const seeds: NoteSeed[] = [];
  const problems: string[] = [];
  for (const file of candidates) {
    if (file.size > MAX_IMPORT_FILE_BYTES) {
      const checked = decodeMarkdownFile(file.name, new Uint8Array(file.size));
      if (!checked.ok) problems.push(checked.error.message);
      continue;
    }
    const text = decodeMarkdownFile(file.name, await file.bytes());
    if (!text.ok) {
      problems.push(text.error.message);
      continue;
    }
    const parsed = parseNoteMarkdown(file.name, text.value);
    if (!parsed.ok) problems.push(parsed.error.message);
    else seeds.push(parsed.value);
  }
  if (problems.length > 0) {
    const shown = problems.slice(0, 3).join(' ');
    const more = problems.length > 3 ? ` (and ${problems.length - 3} more problems)` : '';
    return report(fail('bad-input', `Nothing was imported. ${shown}${more}`));
  }
  const result = report(await createSeeded(seeds));
  if (result.ok) {
    const count = result.value.length;
    useAppStore
      .getState()
      .notify(
        'info',
        `Imported ${count} note${count === 1 ? '' : 's'}${skipped ? `; skipped ${skipped} file${skipped === 1 ? '' : 's'} that ${skipped === 1 ? 'is' : 'are'} not Markdown` : ''}.`,
      );
    if (result.value[0]) openNote(result.value[0].id);
  }
  return result;
}

/**
 * A copy of a note's embedded body (schema 1) in a document of its own, for showing a damaged note
 * or a body with unknown content read-only: the editor binding may drop what it cannot show, and
 * it must never do that to the shared document. Schema 2's counterpart is in useNoteBody.ts.
 */
export function detachedBody(id: string): Y.XmlFragment | null {
  const session = activeSession();
  const source = session ? noteBody(session.doc, id) : undefined;
  return source ? detachedCopy(source) : null;
}

/** The live embedded body (schema 1) of a note for the editor binding, or null if it has none. */
export function liveBody(id: string): Y.XmlFragment | null {
  const session = activeSession();
  return (session && noteBody(session.doc, id)) ?? null;
}

/** The workspace's presence, for remote cursors. */
export function workspaceAwareness() {
  return activeSession()?.awareness ?? null;
}
