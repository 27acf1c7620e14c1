/**
 * What durable storage (durableStorage.ts) promises the rest of the app: its load report and
 * progress, its save state and its options. Kept apart so the UI's storage state and the storage
 * events can name these without importing the storage itself.
 */
import type { SetAsideRow } from '../../../shared/storage/recovery';
import type { CompactionScheduleOptions } from './compactionSchedule';
import type { SetAsideEntry } from './idb';
import type { RowCodec } from '../../../shared/storage/sealedRows';
import type { JournalPage } from './unsavedJournal';

/**
 * How far opening a workspace got. In the phase `upgrading` (its notes moving into body documents
 * of their own, once: bodiesMigration.ts) the rows counted are notes and no bytes are counted.
 */
export interface LoadProgress {
  readonly phase: 'reading' | 'applying' | 'checking' | 'upgrading' | 'done';
  readonly rowsDone: number;
  readonly rowsTotal: number;
  readonly bytesDone: number;
  readonly bytesTotal: number;
  /** performance.now() when loading started. */
  readonly startedAt: number;
}

export interface SetAsideSummary {
  readonly key: number;
  readonly bytes: number;
  readonly problem: SetAsideRow['problem'];
  readonly detail: string;
}

export interface LoadReport {
  readonly rows: number;
  readonly bytes: number;
  readonly setAside: readonly SetAsideSummary[];
  /** False when setting the rows aside could not be written (they stay in place, unread). */
  readonly setAsideKept: boolean;
  readonly ms: number;
  /** Only with `applyBeforeCheck`: the document must be dropped and the workspace opened again. */
  readonly abandoned?: true;
}

export type SaveState =
  | { readonly state: 'saving' }
  | { readonly state: 'saved'; readonly at: number }
  | { readonly state: 'failed'; readonly message: string };

export interface CompactionResult {
  readonly rowsBefore: number;
  readonly stateBytes: number;
  readonly setAside: number;
}

export interface DurableStorageOptions extends CompactionScheduleOptions {
  readonly onProgress?: (progress: LoadProgress) => void;
  /** Longest stretch of loading work before the page gets to paint. */
  readonly sliceMs?: number;
  readonly now?: () => number;
  /** An open connection to database `name` to use (and close on destroy) instead of opening one. */
  readonly db?: IDBDatabase;
  /**
   * Apply the row compaction recorded without waiting for its digest (checked meanwhile), for a
   * document nobody else holds yet: should that row fail, the load is `abandoned` instead of
   * setting it aside, and the document must be dropped (it may hold part of the row).
   */
  readonly applyBeforeCheck?: boolean;
  /**
   * How rows are sealed and opened (the workspace's at-rest key, shared/storage/sealedRows.ts);
   * without one they are stored plain, as on a device where the person chose "not encrypted".
   */
  readonly codec?: RowCodec;
  /**
   * The page's localStorage and window, for the journal of changes not yet confirmed stored
   * (unsavedJournal.ts); default the page's own, null outside a page.
   */
  readonly page?: JournalPage;
  /** The timer refused rows are written again on (refusedWrites.ts); default setTimeout. */
  readonly schedule?: (run: () => void, delayMs: number) => unknown;
  readonly cancel?: (handle: unknown) => void;
}

export interface DurableStorage {
  /** How its rows are sealed (ready once loaded); backups of the workspace use the same key. */
  readonly codec: RowCodec;
  /** The origin of transactions that apply stored data (they are not changes). */
  readonly origin: unknown;
  /** Resolves once every readable stored row is in the document. Never rejects for bad data. */
  readonly whenLoaded: Promise<LoadReport>;
  /** Resolves when every change made so far is committed to IndexedDB. */
  flush(): Promise<void>;
  saveState(): SaveState;
  onSaveState(listener: (state: SaveState) => void): () => void;
  /** Merges all rows into one now (normally automatic). */
  compact(): Promise<CompactionResult>;
  storedBytes(): Promise<{ rows: number; bytes: number }>;
  setAside(): Promise<SetAsideEntry[]>;
  destroy(): Promise<void>;
}
