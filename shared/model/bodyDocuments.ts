/**
 * Note bodies kept as documents of their own (schema 2, docs/PROTOCOL.md §1.4.2), as the model and
 * the features see them. In a schema-2 workspace a note's record in the root holds no `body`; its
 * rich text is the fragment `body` of the document named by the note's id. The lazy document store
 * (renderer/sync/storage/lazyDocStore.ts) implements this; a schema-1 session has none (null) and
 * its bodies stay embedded in the records (`noteBody`).
 *
 * Everything here is asynchronous because a body is read from IndexedDB when nothing holds it: a
 * feature that needs a body for longer than one read (the editor) loads it and releases it.
 */
import * as Y from 'yjs';
import { bodyFragment } from './bodyDocs';
import { writeBodyTree, type BodyNode } from './notesBody';

export { bodyFragment };

/** What is stored of one body, told without loading it. */
export interface StoredBodyVersion {
  readonly vector: Uint8Array;
  /**
   * A fingerprint of the body's deletions, when the store keeps one: a deletion does not move a
   * state vector, so bodies with equal vectors can still differ. Equal wherever the same
   * deletions are held; a store may also give one that matches nothing (not worked out yet).
   */
  readonly deletes?: Uint8Array;
}

/** One stored body's state vector, as listed by {@link BodyDocuments.vectors}. */
export interface StoredBodyVector extends StoredBodyVersion {
  readonly id: string;
}

export interface BodyDocuments {
  /** Body document `id`, loaded and kept live; each call must be matched by one `release(id)`. */
  load(id: string): Promise<Y.Doc>;
  release(id: string): void;
  /** Runs `fn` on body document `id` loaded, unloading it after unless someone else holds it. */
  read<T>(id: string, fn: (doc: Y.Doc) => T | Promise<T>): Promise<T>;
  /** Stores a new body document (listed to peers from now on), with its first content if given. */
  create(id: string, initialUpdate?: Uint8Array): Promise<void>;
  /** {@link create} for many documents in one transaction: all or none. */
  createMany(docs: Iterable<readonly [string, Uint8Array | undefined]>): Promise<void>;
  /** Deletes body document `id` forever (its note was deleted forever). */
  delete(id: string): Promise<void>;
  /** State vector of what is stored of `id` (null: nothing), without loading it. */
  vector(id: string): Promise<Uint8Array | null>;
  /**
   * {@link vector} with the fingerprint of the body's deletions (as {@link vectors} lists it), for
   * stores that keep one; null when nothing is stored. The notes index compares the two to tell
   * which bodies changed since it was stored (docs/PROTOCOL.md §6.5).
   */
  stored?(id: string): Promise<StoredBodyVersion | null>;
  /** Pages of every stored body's state vector, without loading any. */
  vectors(): AsyncIterable<readonly StoredBodyVector[]>;
  /**
   * Every change to any body, from this device (a loaded document edited) or from a peer, with
   * its origin, after it is applied.
   */
  onUpdate(listener: (id: string, update: Uint8Array, origin: unknown) => void): () => void;
  /** Resolves once every change made so far is committed. */
  flush(): Promise<void>;
  /**
   * The whole of body document `id` as one Yjs update (v1), from what is stored, without loading
   * it when nothing holds it (null: nothing stored). Exports and backups read every body this
   * way; without it they use {@link read}.
   */
  encoded?(id: string): Promise<Uint8Array | null>;
}

/** Body document `id` as one update: {@link BodyDocuments.encoded}, or loaded and encoded. */
export async function encodedBody(bodies: BodyDocuments, id: string): Promise<Uint8Array | null> {
  if (bodies.encoded) return bodies.encoded(id);
  return bodies.read(id, (doc) =>
    doc.store.clients.size === 0 ? null : Y.encodeStateAsUpdate(doc),
  );
}

/** The first content of a new body document holding `body` (a template, an import, a copy). */
export function bodyUpdate(body: readonly BodyNode[]): Uint8Array {
  const doc = new Y.Doc();
  try {
    writeBodyTree(bodyFragment(doc), body);
    return Y.encodeStateAsUpdate(doc);
  } finally {
    doc.destroy();
  }
}
