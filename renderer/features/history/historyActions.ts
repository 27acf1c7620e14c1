/**
 * What the version history panel does, outside React: list a record's versions kept on this
 * device, read one, restore it (after keeping the current state as a version and writing a
 * backup marked "before a restore") and copy from it. Versions are taken by the workspace
 * session's recorder (renderer/sync/history/versionRecorder.ts).
 *
 * When the session's note bodies are documents of their own (`session.bodies`, schema 2), a
 * note's text now is read from its body document and a restore writes the version's text there;
 * the versions themselves are the same in both layouts.
 */
import type * as Y from 'yjs';
import { fail, ok, type Result } from '../../../shared/result';
import {
  decodeVersion,
  readCurrentVersion,
  restoreVersion,
  versionText,
  type VersionContent,
  type VersionedKind,
} from '../../../shared/model/versions';
import { createNotesFromSeeds, notes } from '../../../shared/model/notes';
import { bodyUpdate, type BodyDocuments } from '../../../shared/model/bodyDocuments';
import type { Note } from '../../../shared/schema/records';
import { activeSession, useAppStore, writeAsLocalPerson } from '../../store';
import type { VersionEntry } from '../../sync/history/versionStore';
import { backupNowFor } from '../backups/backupActions';

export type { VersionEntry } from '../../sync/history/versionStore';

/** The versions of a record, newest first, with any edits still settling taken first. */
export async function listVersions(
  kind: VersionedKind,
  id: string,
): Promise<Result<VersionEntry[]>> {
  const session = activeSession();
  if (!session) return fail('closed', 'No workspace is open.');
  try {
    await session.history()?.flush(kind, id);
    return ok(await session.versions.list(kind, id));
  } catch (error) {
    return fail('history-failed', `The versions could not be read (${String(error)}).`);
  }
}

/** Keeps the record as it is now when it is opened, so edits made next can be undone. */
export function keepOpenedVersion(kind: VersionedKind, id: string): void {
  void activeSession()
    ?.history()
    ?.capture(kind, id, 'open')
    .catch((error: unknown) => console.error('Could not keep a version', error));
}

/** Keeps edits to a record still settling as a version now (the person left the record). */
export function settleVersions(kind: VersionedKind, id: string): void {
  void activeSession()
    ?.history()
    ?.flush(kind, id)
    .catch((error: unknown) => console.error('Could not keep a version', error));
}

/** Calls `listener` whenever a version is kept in the open workspace. */
export function onVersionKept(listener: (entry: VersionEntry) => void): () => void {
  return activeSession()?.history()?.subscribe(listener) ?? (() => undefined);
}

export async function readVersion(entry: VersionEntry): Promise<Result<VersionContent>> {
  const session = activeSession();
  if (!session) return fail('closed', 'No workspace is open.');
  const bytes = await session.versions.read(entry.id).catch(() => null);
  if (!bytes)
    return fail('not-found', 'That version is no longer kept (only the newest are). Pick another.');
  const content = decodeVersion(bytes);
  return content ? ok(content) : fail('damaged', 'That version is damaged and cannot be read.');
}

/**
 * The record as it is now, in the same form as a version (to compare with); null when it is gone
 * or its text cannot be read here.
 */
export async function currentContent(
  kind: VersionedKind,
  id: string,
): Promise<VersionContent | null> {
  const session = activeSession();
  if (!session) return null;
  return readCurrentVersion(session.doc, session.bodies, kind, id).catch((error: unknown) => {
    console.error('Could not read the text now', error);
    return null;
  });
}

/** Titles of notes by id, for note links in a version's text. */
export function titleOf(noteId: string): string | undefined {
  return useAppStore.getState().snapshot?.notes.items.find((note) => note.id === noteId)?.title;
}

export function textOf(content: VersionContent): string {
  return versionText(content, titleOf);
}

/**
 * Puts a version back. The current state is kept as a version first and a backup marked
 * "before a restore" is written, so the restore itself can be undone either way.
 */
export async function restore(
  kind: VersionedKind,
  id: string,
  content: VersionContent,
): Promise<Result<null>> {
  const session = activeSession();
  if (!session) return fail('closed', 'No workspace is open.');
  try {
    await session.history()?.capture(kind, id, 'before-restore');
  } catch (error) {
    // Its text could not be read or kept: restoring would leave no way back.
    return fail(
      'history-failed',
      `Nothing was restored: the text now could not be kept as a version first (${String(error)}).`,
    );
  }
  const backup = await backupNowFor('before-restore');
  if (!backup.ok)
    return fail(
      backup.error.code,
      `Nothing was restored: a backup of the current data could not be written first (${backup.error.message}).`,
    );
  const write = (bodyDoc?: Y.Doc) =>
    writeAsLocalPerson((doc, ctx) => restoreVersion(doc, ctx, kind, id, content, bodyDoc));
  const bodies = session.bodies;
  // A note's text goes into its body document, loaded for the write (the store keeps the edit
  // as it is made, and sync sends it like any other).
  const restored =
    bodies && kind === 'note'
      ? await bodies
          .read(id, write)
          .catch((error: unknown) =>
            fail(
              'history-failed',
              `Nothing was restored: the note’s text could not be opened (${String(error)}).`,
            ),
          )
      : write();
  // The restored text is the newest version at once, so the list shows what was put back.
  if (restored.ok) await session.history()?.flush(kind, id);
  return restored;
}

/**
 * Makes a new note holding a version (to take parts of it without changing the record). With
 * body documents the note's record is made first and its body document after it, holding the
 * version's text.
 */
export async function copyAsNewNote(
  content: VersionContent,
  takenAt: number,
): Promise<Result<Note>> {
  const bodies = activeSession()?.bodies ?? null;
  const when = new Date(takenAt).toLocaleString(undefined, {
    dateStyle: 'medium',
    timeStyle: 'short',
  });
  const title = `${content.title || 'Untitled'} (version of ${when})`.slice(0, 200);
  if (bodies) return copyIntoBodyDocument(bodies, title, content);
  const result = writeAsLocalPerson((doc, ctx) =>
    createNotesFromSeeds(doc, ctx, [{ title, body: content.body }]),
  );
  if (!result.ok) return result;
  const note = result.value[0];
  return note ? ok(note) : fail('internal', 'The copy was not made.');
}

async function copyIntoBodyDocument(
  bodies: BodyDocuments,
  title: string,
  content: VersionContent,
): Promise<Result<Note>> {
  const made = writeAsLocalPerson((doc, ctx) => notes.create(doc, ctx, { title }));
  if (!made.ok) return made;
  try {
    await bodies.create(made.value.id, bodyUpdate(content.body));
  } catch (error) {
    return fail(
      'history-failed',
      `The note “${title}” was made, but the version’s text could not be stored in it (${String(error)}). Use “Copy text” instead.`,
    );
  }
  return made;
}

/** Puts a version's text (Markdown) on the clipboard. */
export async function copyText(content: VersionContent): Promise<Result<null>> {
  try {
    await navigator.clipboard.writeText(textOf(content));
    return ok(null);
  } catch {
    return fail('clipboard', 'The clipboard is not available here; select the text and copy it.');
  }
}
