/**
 * Note bodies as the notes features reach them, wherever they live: inside their records
 * (schema 1, `noteBody`) or as documents of their own (schema 2, `session.bodies`, see
 * shared/model/bodyDocuments.ts). The features ask for one body at a time and never hold a body
 * document longer than one read, except the editor, which loads and releases (useNoteBody.ts).
 *
 * In schema 2 a new note is written in two steps: its record into the workspace document (the
 * model, in one transaction), then its body document into the lazy store (asynchronous). When the
 * second step fails, the records of the first are taken back and the person is told, so no note
 * is left whose text was silently lost.
 */
import * as Y from 'yjs';
import { MODEL_ORIGIN, notes, noteBody } from '../../../shared/model';
import { bodyFragment, bodyUpdate, type BodyDocuments } from '../../../shared/model/bodyDocuments';
import type { SeparateBody } from '../../../shared/model/notes';
import { copyBody, writeBodyTree } from '../../../shared/model/notesBody';
import { fail, ok, type Result } from '../../../shared/result';
import type { WorkspaceSession } from '../../sync/workspaceSession';
import { writeAsLocalPerson } from '../../store';

/** What these functions need of a session: its root document and where its bodies live. */
export type BodySession = Pick<WorkspaceSession, 'doc' | 'bodies'>;

function messageOf(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).slice(0, 200);
}

/**
 * Runs `fn` on the body of note `id`, or fails when there is no such readable note. In schema 2
 * the body document is loaded for the call only (unloaded after unless the editor holds it).
 */
export async function readNoteBody<T>(
  session: BodySession,
  id: string,
  fn: (fragment: Y.XmlFragment) => T,
): Promise<Result<T>> {
  if (!session.bodies) {
    const fragment = noteBody(session.doc, id);
    return fragment ? ok(fn(fragment)) : fail('not-found', 'This note has no readable body.');
  }
  if (!notes.map(session.doc, id))
    return fail('not-found', 'Note not found. It may have been deleted on another device.');
  try {
    return ok(await session.bodies.read(id, (doc) => fn(bodyFragment(doc))));
  } catch (error) {
    return fail('unreadable', `This note’s text could not be read (${messageOf(error)}).`);
  }
}

/** A copy of `source` in a document of its own, for showing read-only or duplicating. */
export function detachedCopy(source: Y.XmlFragment): Y.XmlFragment {
  const copy = new Y.Doc();
  const fragment = bodyFragment(copy);
  copy.transact(() => copyBody(source, fragment));
  return fragment;
}

/** The first content of a body document holding a copy of `source` (a duplicate's body). */
export function copiedBodyUpdate(source: Y.XmlFragment): Uint8Array {
  const fragment = detachedCopy(source);
  const doc = fragment.doc!;
  try {
    return Y.encodeStateAsUpdate(doc);
  } finally {
    doc.destroy();
  }
}

/**
 * Takes back notes just created whose bodies could not be stored (deleted forever; nobody saw
 * them yet). False when the workspace refused (it became read-only meanwhile).
 */
function discardNotes(ids: readonly string[]): boolean {
  const result = writeAsLocalPerson((doc, ctx) => {
    doc.transact(() => {
      for (const id of ids) notes.purge(doc, ctx, id);
    });
    return ok(null);
  });
  return result.ok;
}

/**
 * Stores the body documents of notes just created (all in one transaction: all or none). When
 * that fails the notes are taken back, and the failure says so for the caller to report.
 */
export async function storeNewBodies(
  bodies: BodyDocuments,
  created: readonly SeparateBody[],
  initial: (entry: SeparateBody) => Uint8Array = (entry) => bodyUpdate(entry.body),
): Promise<Result<null>> {
  if (created.length === 0) return ok(null);
  try {
    await bodies.createMany(created.map((entry) => [entry.id, initial(entry)] as const));
    return ok(null);
  } catch (error) {
    const discarded = discardNotes(created.map((entry) => entry.id));
    const one = created.length === 1;
    const what = one ? 'The note was' : `The ${created.length} notes were`;
    const outcome = discarded ? 'not kept' : `created without ${one ? 'its' : 'their'} text`;
    return fail(
      'storage-failed',
      `${what} ${outcome}: the text could not be stored on this device (${messageOf(error)}).`,
    );
  }
}

/**
 * Replaces the stored body of note `id` by `body` (a vault note imported again), as one change
 * that peers merge like any edit.
 */
export async function replaceBody(
  bodies: BodyDocuments,
  id: string,
  body: SeparateBody['body'],
): Promise<Result<null>> {
  try {
    await bodies.read(id, (doc) => {
      const fragment = bodyFragment(doc);
      doc.transact(() => {
        fragment.delete(0, fragment.length);
        writeBodyTree(fragment, body);
      }, MODEL_ORIGIN);
    });
    return ok(null);
  } catch (error) {
    return fail('storage-failed', `A note’s text could not be replaced (${messageOf(error)}).`);
  }
}
