/**
 * What the lazy document store (lazyDocStore.ts) promises the rest of the app: its options, the
 * problems it reports and its interface beyond sync's `LazyDocs` port. Kept apart so the session
 * and the storage events can name these without importing the storage itself.
 */
import type * as Y from 'yjs';
import type { AtRestKey } from '../../../shared/protocol/atRest';
import type { SetAsideRow } from '../../../shared/storage/recovery';
import type { LazyDocs } from '../peer/lazyDocs';
import type { LazyAsideEntry } from './lazyDocDb';
import type { LazyDocMeta } from './lazyDocMeta';
import type { StoredLazyDocVector } from './lazyDocReads';
import type { JournalPage } from './unsavedJournal';

/** Something the person's data went through that is worth a line in the log or a notice. */
export type LazyDocProblem =
  | {
      readonly type: 'set-aside';
      readonly id: string;
      readonly rows: readonly Omit<SetAsideRow, 'value'>[];
    }
  | { readonly type: 'write-failed'; readonly id: string; readonly message: string };

export interface LazyDocStoreOptions {
  /** The workspace's at-rest key (rows sealed per document); null: this device stores plain. */
  readonly key: AtRestKey | Promise<AtRestKey> | null;
  /** Whether a peer may write `id` (the app: a note of the root not deleted forever). */
  readonly accepts: (id: string) => boolean;
  /** Documents nobody holds that are kept loaded at most (default 32). */
  readonly maxLoaded?: number;
  /** How long a document nobody holds stays loaded (default 10 s). */
  readonly graceMs?: number;
  /** How long after a document's compaction fell due it runs (default 2 s). */
  readonly compactDelayMs?: number;
  readonly maxUpdateBytes?: number;
  readonly onProblem?: (problem: LazyDocProblem) => void;
  /**
   * Every edit whose write was refused is stored now (retried): what the root's save state says
   * as `saved` once its saves recover.
   */
  readonly onSavesRecovered?: (at: number) => void;
  /**
   * The page's localStorage and window, for the journal of edits not yet confirmed stored
   * (unsavedDocsJournal.ts); default the page's own, null outside a page.
   */
  readonly page?: JournalPage;
  readonly schedule?: (run: () => void, delayMs: number) => unknown;
  readonly cancel?: (handle: unknown) => void;
  readonly now?: () => number;
}

export interface LazyDocStore extends LazyDocs {
  /** {@link LazyDocs.vector}, from the metadata alone. */
  vector(id: string): Promise<Uint8Array | null>;
  /** {@link LazyDocs.vectors}, each with the fingerprint of its document's deletions. */
  vectors(): AsyncIterable<readonly StoredLazyDocVector[]>;
  /** The database's name. */
  readonly name: string;
  /** The origin of transactions that apply stored rows to a loaded document (not changes). */
  readonly origin: unknown;
  /** Document `id`, loaded; each call must be matched by one `release(id)`. */
  load(id: string): Promise<Y.Doc>;
  release(id: string): void;
  /** Runs `fn` on document `id` loaded, unloading it after unless someone else holds it. */
  read<T>(id: string, fn: (doc: Y.Doc) => T | Promise<T>): Promise<T>;
  /** Stores a new document (listed to peers from now on), with its first content if given. */
  create(id: string, initialUpdate?: Uint8Array): Promise<void>;
  /**
   * {@link create} for many documents in one transaction (moving a workspace's bodies out of its
   * document): all are checked first and stored together, or none is.
   */
  createMany(docs: Iterable<readonly [string, Uint8Array | undefined]>): Promise<void>;
  /** Deletes document `id` forever: its rows, set-aside rows and metadata; unloads it. */
  delete(id: string): Promise<void>;
  /** Compacts document `id` now (normally automatic). */
  compact(id: string): Promise<void>;
  /** Document `id`'s stored metadata, null when nothing is stored. */
  stored(id: string): Promise<LazyDocMeta | null>;
  /** Rows set aside (of `id`, or of every document). */
  setAside(id?: string): Promise<LazyAsideEntry[]>;
  /** Resolves once every change made so far is committed. */
  flush(): Promise<void>;
  /**
   * Document `id` as one Yjs update (v1): a loaded one's state, otherwise the merge of its stored
   * rows without loading it (null: nothing stored). Exports and backups read bodies with it.
   */
  encoded(id: string): Promise<Uint8Array | null>;
  /** How many documents are loaded now. */
  loadedCount(): number;
  close(): Promise<void>;
}
