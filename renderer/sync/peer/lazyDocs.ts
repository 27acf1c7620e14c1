/**
 * A workspace's lazy documents, as sync sees them (issue 18: a 100,000-note workspace opens as
 * fast as an empty one). Each note body becomes a Yjs document of its own, named by its note's id;
 * the workspace document (the root) keeps the small records. Lazy documents live in storage and
 * are loaded only when opened, searched or synced, so sync works on their stored updates and
 * state vectors and never needs every one of them in memory.
 *
 * The provider (peerSync.ts) is the consumer of this port; storage implements it
 * (renderer/sync/storage/lazyDocStore.ts). Sync exchanges them, after the root, with Outpost
 * peers whose hello says they speak lazy documents (docs/PROTOCOL.md §5.4).
 */

/** A lazy document's id: a record id (docs/PROTOCOL.md §1.2), 8–64 URL-safe characters. */
export const LAZY_DOC_ID = /^[A-Za-z0-9_-]{8,64}$/;

export function isLazyDocId(value: unknown): value is string {
  return typeof value === 'string' && LAZY_DOC_ID.test(value);
}

/** Bytes of a fingerprint of deletions (docs/PROTOCOL.md §5.4, "Deletions"). */
export const LAZY_DELETES_BYTES = 16;

/** One lazy document and its Yjs state vector (v1 encoding), as listed to a peer. */
export interface LazyDocVector {
  readonly id: string;
  readonly vector: Uint8Array;
  /**
   * The fingerprint of the document's delete set ({@link LAZY_DELETES_BYTES} bytes, PROTOCOL.md
   * §5.4): a deletion does not move a state vector, so without it a peer holding the same
   * document answers it (its delete set) at every connection. Absent when not known: the peer
   * then answers it whenever it has any deletion.
   */
  readonly deletes?: Uint8Array | undefined;
}

/**
 * What `LazyDocs.receive` rejects with when the update is the peer's fault: a malformed id, too
 * large, does not decode, a document this workspace does not take. Sync counts only this against
 * the peer; any other rejection is this device's own failure (storage closed, a write failed).
 */
export class LazyUpdateRefused extends Error {
  override readonly name = 'LazyUpdateRefused';
}

export interface LazyDocs {
  /**
   * Every lazy document this device holds, with its state vector, in pages (each at most a few
   * thousand entries, so a peer can be answered while the rest is still being read).
   */
  vectors(): AsyncIterable<readonly LazyDocVector[]>;
  /**
   * What this device holds of `id` beyond `vector` (a Yjs v1 update), or null when it holds
   * nothing the vector lacks (or does not hold `id` at all). `deletes` is the asker's fingerprint
   * of deletions when it listed one: when it equals this device's and the vector lacks no change,
   * the answer is null too (otherwise a document with any deletion is always answered, since a
   * diff carries the whole delete set). Rejects only for this device's own failure: sync checks
   * the vector decodes before asking.
   */
  diff(id: string, vector: Uint8Array, deletes?: Uint8Array): Promise<Uint8Array | null>;
  /**
   * Whether a peer may write `id`: a note of the root that has not been deleted forever. Updates
   * for any other id are not stored (a peer cannot fill the disk with documents nobody reads).
   */
  accepts(id: string): boolean;
  /**
   * Stores an update a peer sent for `id` (and applies it when that document is loaded). Rejects
   * with {@link LazyUpdateRefused} an update that is the peer's fault (malformed id, too large,
   * does not decode, not accepted), with anything else when this device could not store it;
   * nothing is stored then.
   */
  receive(id: string, update: Uint8Array, origin: unknown): Promise<void>;
  /**
   * Hears every update made to a lazy document on this device or received (`origin` is the
   * receiving side's origin for received ones, so sync does not echo them to their sender).
   */
  onUpdate(listener: (id: string, update: Uint8Array, origin: unknown) => void): () => void;
  /**
   * The state vector of what this device holds of `id` (null when it holds nothing), so a note
   * being opened is asked for with what is already here (`PeerSync.wantLazyDoc`). Optional:
   * without it the note is asked for whole.
   */
  vector?(id: string): Promise<Uint8Array | null>;
}
