/**
 * The payload of a version-4 workspace file (docs/PROTOCOL.md §6.2): a workspace whose note
 * bodies are documents of their own (schema 2) as its root and each body document, one after the
 * other, so that a file can be written from stored updates one body at a time, and read without
 * ever holding every body as a document:
 *
 *   varUint8Array root update · varUint n · n × (varString body id · varUint8Array body update)
 *
 * (lib0 encoding: var-uint lengths, strings as UTF-8.) Reading checks everything before the
 * caller changes anything: the root applies to an empty document, each body id is a valid id,
 * named once and a note of the root, each body's update is at most {@link MAX_BODY_UPDATE_BYTES}
 * and applies to an empty document, and nothing follows the last body.
 */
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';
import { fail, ok, type Result } from '../result';
import { ID_PATTERN } from '../core/ids';
import { ROOT } from '../model/roots';
import { encodedBody, type BodyDocuments } from '../model/bodyDocuments';

/** A workspace in schema 2: its root (no bodies in its records) and its body documents. */
export interface WorkspaceBundle {
  /** Yjs update (v1) of the root. */
  readonly root: Uint8Array;
  /** Each body document with content: its note's id and its Yjs update (v1). */
  readonly bodies: readonly BundledBody[];
}

export interface BundledBody {
  readonly id: string;
  readonly update: Uint8Array;
}

/** The largest body a file may hold (the bound a peer's update has, peer/lazyWire.ts). */
export const MAX_BODY_UPDATE_BYTES = 16 * 1024 * 1024;
/** The most body documents a file may hold (ten times the largest workspace we plan for). */
export const MAX_BUNDLE_BODIES = 1_000_000;
/** The fewest bytes one body takes: an id of 8 characters with its length, and an update length. */
const MIN_BODY_BYTES = 1 + 8 + 1;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The ids of the root's note records (the bodies a bundle of it may hold), in sorted order. */
export function bundleNoteIds(root: Y.Doc): string[] {
  const ids: string[] = [];
  root.getMap<unknown>(ROOT.notes).forEach((value, id) => {
    if (value instanceof Y.Map) ids.push(id);
  });
  return ids.sort();
}

/**
 * Writes a bundle of `root` (the root document's update) and the body of each note in `ids`, as
 * `bodyOf` gives it (null: that note's body document holds nothing, and is left out). Bodies are
 * asked for one at a time, so only their bytes are held, never their documents.
 */
export async function encodeBundle(
  root: Uint8Array,
  ids: Iterable<string>,
  bodyOf: (id: string) => Promise<Uint8Array | null>,
): Promise<Uint8Array> {
  const entries = encoding.createEncoder();
  let count = 0;
  for (const id of ids) {
    const update = await bodyOf(id);
    if (update === null) continue;
    encoding.writeVarString(entries, id);
    encoding.writeVarUint8Array(entries, update);
    count++;
  }
  const head = encoding.createEncoder();
  encoding.writeVarUint8Array(head, root);
  encoding.writeVarUint(head, count);
  const first = encoding.toUint8Array(head);
  const rest = encoding.toUint8Array(entries);
  const bundle = new Uint8Array(first.length + rest.length);
  bundle.set(first, 0);
  bundle.set(rest, first.length);
  return bundle;
}

/**
 * The bundle of a schema-2 workspace as it is now: its root document and every note's body
 * document, read from storage one at a time after what was typed is committed.
 */
export async function bundleOf(root: Y.Doc, bodies: BodyDocuments): Promise<Uint8Array> {
  await bodies.flush();
  return encodeBundle(Y.encodeStateAsUpdate(root), bundleNoteIds(root), (id) =>
    encodedBody(bodies, id),
  );
}

function damaged(detail: string): Result<never> {
  return fail(
    'damaged',
    `The workspace data in the file is damaged and cannot be read (${detail}); nothing was changed.`,
  );
}

function remaining(decoder: decoding.Decoder): number {
  return decoder.arr.length - decoder.pos;
}

/** `length` bytes at the decoder, or null when fewer are left (a cut-off file). */
function readBytes(decoder: decoding.Decoder, length: number): Uint8Array | null {
  // A copy, not a view into the file: a view stored in IndexedDB (a plain row) would store
  // the whole file with it, once per body.
  return length > remaining(decoder) ? null : decoding.readUint8Array(decoder, length).slice();
}

/** Applies `update` to an empty document: null when it applies, what went wrong otherwise. */
function applyProblem(update: Uint8Array): string | null {
  const doc = new Y.Doc();
  try {
    Y.applyUpdate(doc, update);
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    doc.destroy();
  }
}

/**
 * Reads a bundle and checks all of it (see the module comment). The bodies returned are views
 * into `bytes`, not copies.
 */
export function decodeBundle(bytes: Uint8Array): Result<WorkspaceBundle> {
  const decoder = decoding.createDecoder(bytes);
  try {
    const root = readBytes(decoder, decoding.readVarUint(decoder));
    if (!root) return damaged('it ends inside the workspace root');
    const rootDoc = new Y.Doc();
    let notes: Set<string>;
    try {
      Y.applyUpdate(rootDoc, root);
      notes = new Set(bundleNoteIds(rootDoc));
    } catch (error) {
      return damaged(
        `the workspace root: ${error instanceof Error ? error.message : String(error)}`,
      );
    } finally {
      rootDoc.destroy();
    }
    const count = decoding.readVarUint(decoder);
    if (count > MAX_BUNDLE_BODIES || count * MIN_BODY_BYTES > remaining(decoder))
      return damaged(`it claims ${count} note bodies, more than it can hold`);
    const bodies: BundledBody[] = [];
    const seen = new Set<string>();
    for (let index = 0; index < count; index++) {
      const body = readBody(decoder, index, notes, seen);
      if (!body.ok) return body;
      bodies.push(body.value);
    }
    if (remaining(decoder) > 0)
      return damaged(`${remaining(decoder)} bytes follow the last note body`);
    return ok({ root, bodies });
  } catch (error) {
    // lib0 throws when a length or number runs past the end.
    return damaged(
      `it ends too early or holds a number that is too large (${error instanceof Error ? error.message : String(error)})`,
    );
  }
}

function utf8Text(bytes: Uint8Array): string | null {
  try {
    return utf8.decode(bytes);
  } catch {
    return null;
  }
}

/** Reads and checks the `index`th body (its id unseen so far and a note of the root). */
function readBody(
  decoder: decoding.Decoder,
  index: number,
  notes: ReadonlySet<string>,
  seen: Set<string>,
): Result<BundledBody> {
  const idLength = decoding.readVarUint(decoder);
  const idBytes = idLength > 64 ? null : readBytes(decoder, idLength);
  const id = idBytes && utf8Text(idBytes);
  if (id === null || !ID_PATTERN.test(id))
    return damaged(`note body ${index + 1} is not named by a valid id`);
  if (seen.has(id)) return damaged(`the body of note ${id} is in it twice`);
  seen.add(id);
  if (!notes.has(id)) return damaged(`it holds a body for note ${id}, which it does not hold`);
  const length = decoding.readVarUint(decoder);
  if (length > MAX_BODY_UPDATE_BYTES)
    return damaged(`the body of note ${id} is ${length} bytes, more than ${MAX_BODY_UPDATE_BYTES}`);
  const update = readBytes(decoder, length);
  if (!update) return damaged(`it ends inside the body of note ${id}`);
  const problem = applyProblem(update);
  if (problem !== null) return damaged(`the body of note ${id} does not decode: ${problem}`);
  return ok({ id, update });
}
