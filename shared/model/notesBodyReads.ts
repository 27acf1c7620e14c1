/**
 * What the live notes (notesLive.ts) take from a body kept as a document of its own (schema 2,
 * docs/PROTOCOL.md §1.4.2): the body digested while its document is loaded for one read, as plain
 * data that outlives the document, and a stamp of what was stored of it then, so that a stored
 * index can later tell, without loading anything, which bodies changed since (§6.5).
 *
 * A body document comes from peers like the rest of a workspace, so it may hold anything: the
 * digest never throws, and whatever is not rich text is reported as a body problem.
 */
import * as Y from 'yjs';
import { bodyFragment, type BodyDocuments, type StoredBodyVersion } from './bodyDocuments';
import { BODY_FRAGMENT } from './bodyDocs';
import { digestBody, inspectBody } from './notesBody';
import { oneLine } from '../core/text';
import { toBase64Url } from '../protocol/bytes';
import { describeThrown } from './damage';

export const BODY_NOT_RICH_TEXT = 'the body is not rich text';
export const BODY_LOOSE_TEXT = 'the body has text outside any paragraph';

/** What search, snippets, links and problems need from one body, as plain data. */
export interface DigestedBody {
  /** The body's text on one line (what the index holds; a snippet is its start). */
  readonly text: string;
  readonly links: readonly string[];
  readonly problems: readonly string[];
}

const EMPTY: DigestedBody = { text: '', links: [], problems: [] };

/** Whether the body root holds keyed values (a map written where rich text belongs). */
function holdsKeys(fragment: Y.XmlFragment): boolean {
  for (const item of fragment._map.values()) if (!item.deleted) return true;
  return false;
}

/**
 * Whether text sits at the top of the body, outside any block. The editor's document holds only
 * blocks there, and its binding drops what it cannot map: such a body must open read-only. (The
 * embedded path's `inspectBody` does not look for this; it could, for both layouts.)
 */
function holdsLooseText(fragment: Y.XmlFragment): boolean {
  return fragment.toArray().some((child) => child instanceof Y.XmlText);
}

/** Digests the body of a loaded body document; never throws. */
export function digestBodyDoc(doc: Y.Doc): DigestedBody {
  try {
    // A document with no body root yet (created before its first content arrived) is empty.
    if (!doc.share.has(BODY_FRAGMENT)) return EMPTY;
    const fragment = bodyFragment(doc);
    if (holdsKeys(fragment)) return { ...EMPTY, problems: [BODY_NOT_RICH_TEXT] };
    const body = digestBody(fragment);
    const problems = inspectBody(fragment);
    if (holdsLooseText(fragment)) problems.push(BODY_LOOSE_TEXT);
    return { text: oneLine(body.text), links: body.links, problems };
  } catch (error) {
    // Whatever a peer stored in one body, the other notes are still listed and indexed.
    return { ...EMPTY, problems: [describeThrown(error)] };
  }
}

/** What a body that could not be read at all (storage failed) leaves in the index. */
export function unreadableBody(error: unknown): DigestedBody {
  const message = error instanceof Error ? error.message : String(error);
  return { ...EMPTY, problems: [`the body could not be read: ${message.slice(0, 200)}`] };
}

/** A stamp no stored body has: the body is read again at the next open. */
export const UNKNOWN_STAMP = '?';

/** Whether a store tells deletions apart (the stamp then includes them). */
const tellsDeletions = (bodies: BodyDocuments) => typeof bodies.stored === 'function';

/**
 * The stamp of what is stored of a body: its state vector and, when the store keeps one, the
 * fingerprint of its deletions (text deleted moves no vector). Null: nothing is stored.
 */
export function bodyStamp(version: StoredBodyVersion | null, withDeletes: boolean): string | null {
  if (!version) return null;
  const vector = toBase64Url(version.vector);
  return withDeletes && version.deletes ? `${vector}.${toBase64Url(version.deletes)}` : vector;
}

/** The stamp of what is stored of body `id` now, without loading it. */
export async function storedStamp(bodies: BodyDocuments, id: string): Promise<string | null> {
  if (bodies.stored) return bodyStamp(await bodies.stored(id), true);
  const vector = await bodies.vector(id);
  return vector ? bodyStamp({ vector }, false) : null;
}

/** Every stored body's stamp, from the store's listing of vectors (no body is loaded). */
export async function listStamps(bodies: BodyDocuments): Promise<Map<string, string>> {
  const withDeletes = tellsDeletions(bodies);
  const stamps = new Map<string, string>();
  for await (const page of bodies.vectors())
    for (const entry of page) stamps.set(entry.id, bodyStamp(entry, withDeletes)!);
  return stamps;
}
