/**
 * Moving a workspace stored on this device in schema 1 (each note's body inside its record in the
 * workspace document) to schema 2 (each body a lazy document of its own, the workspace document a
 * lean root without bodies; issue 18, docs/PROTOCOL.md §6.8). Automatic, resumable, and safe at
 * every step: the page may close at any moment, and the workspace then opens as it was (schema 1)
 * until the one transaction that swaps its rows has committed, after which it opens as schema 2.
 *
 * 1. The schema-1 document is loaded from the workspace's rows by durable storage (with its codec,
 *    damaged rows set aside, the unsaved journal applied and stored as a row).
 * 2. That state is kept as the legacy document, in a database of its own (`outpost-legacy-<id>`,
 *    laid out like the workspace's so durable storage opens it, sealed in a scope of its own):
 *    devices that have not upgraded still send that layout, and carrying their changes into the
 *    new one (`carryLegacyUpdate`) needs it. Written before anything else changes.
 * 3. Every body is cut (`bodyCutter`: one walk over the document, every Yjs id kept) into the
 *    lazy document store, a batch of notes at a time so no more than a batch of cuts is held;
 *    after each batch is committed, the legacy database records how far the cutting got, so a
 *    second run continues there. Cuts keep ids, so a batch written twice (the page closed before
 *    its record) merges into the same text.
 * 4. `meta.schemaVersion` 2 is set in the document (origin {@link BODIES_MIGRATION_ORIGIN}) and
 *    its lean root (`cutRoot`) replaces every workspace row in one IndexedDB transaction, which
 *    also records the row's digest (VERIFIED_KEY, so the next load trusts it, as after a
 *    compaction) and the layout marker {@link LAYOUT_KEY}.
 *
 * Which layout this device's rows are in is told by {@link LAYOUT_KEY} alone, never by
 * `meta.schemaVersion`: that value syncs, so a device that has not upgraded can hold a document
 * saying 2 with every body still inside it (it heard of the new layout from a peer), and its rows
 * must still be migrated when it upgrades.
 */
import * as Y from 'yjs';
import type { AtRestKey } from '../../../shared/protocol/atRest';
import { bodyCutter, cutRoot, type BodyCutter } from '../../../shared/model/bodyDocs';
import { schemaVersionOf } from '../../../shared/model/migrations';
import { ROOT } from '../../../shared/model/roots';
import { applyStoredRows } from '../../../shared/storage/recovery';
import {
  PLAIN_ROWS,
  rowScope,
  sealedRows,
  type RowCodec,
} from '../../../shared/storage/sealedRows';
import { openDurableStorage } from './durableStorage';
import type { SetAsideSummary } from './durableTypes';
import {
  CUSTOM_STORE,
  UPDATES_STORE,
  WORKSPACE_DB_PREFIX,
  deleteDatabase,
  digestHex,
  openWorkspaceDb,
  requestDone,
  transactionDone,
  writeStateRow,
} from './idb';
import { openLazyDocStore } from './lazyDocStore';
import type { LazyDocStore } from './lazyDocTypes';
import { openRowsNow } from './openedRows';
import { JOURNAL_PREFIX, openUnsavedJournal } from './unsavedJournal';

/** A workspace's legacy document (schema 1, bodies inside) is kept in this database + its id. */
export const LEGACY_DB_PREFIX = 'outpost-legacy-';
/** Deletes a workspace's legacy document (with the workspace); false when it could not be. */
export function deleteLegacyDb(workspaceId: string): Promise<boolean> {
  return deleteDatabase(LEGACY_DB_PREFIX + workspaceId);
}

/** The schema whose bodies are lazy documents of their own. */
export const BODIES_SCHEMA_VERSION = 2;
/** Origin of the transaction that writes `meta.schemaVersion` 2 into the lean root. */
export const BODIES_MIGRATION_ORIGIN = 'outpost:bodies-migration';
/**
 * Key (in the workspace database's `custom` store) of the marker saying its rows hold the lean
 * root: `{ schemaVersion: 2, at }`, written in the transaction that swaps the rows.
 */
export const LAYOUT_KEY = 'outpost.layout';
/** Key (in the legacy database's `custom` store) of how far cutting bodies got. */
export const PROGRESS_KEY = 'outpost.bodiesMigration';
/**
 * Notes cut per batch, unless told: the document's structs are sorted by note in one walk
 * (`bodyCutter`), and each batch holds its cuts (~1 KB a body) until stored and records its
 * progress once, so a batch is a twentieth of the notes, at least {@link MIN_BATCH_NOTES} and at
 * most {@link MAX_BATCH_NOTES}: a few MB of cuts at a time at 100,000 notes.
 */
export const MIN_BATCH_NOTES = 1000;
export const MAX_BATCH_NOTES = 5000;

function batchSize(total: number, asked: number | undefined): number {
  if (asked !== undefined) return Math.max(1, Math.floor(asked));
  return Math.min(MAX_BATCH_NOTES, Math.max(MIN_BATCH_NOTES, Math.ceil(total / 20)));
}

/** The points a migration passes, in order (a test interrupts it after any of them). */
export type BodiesMigrationStep = 'loaded' | 'legacy-kept' | 'batch-stored' | 'rows-replaced';

export interface BodiesMigrationProgress {
  readonly notesDone: number;
  readonly notesTotal: number;
}

export interface BodiesMigrationOptions {
  /** The workspace's at-rest key (the same as its rows'); null: this device stores plain. */
  readonly key: AtRestKey | Promise<AtRestKey> | null;
  /** The workspace's lazy document store, when open; otherwise one is opened and closed here. */
  readonly lazyDocs?: LazyDocStore;
  /** Notes cut per batch (default: see {@link MIN_BATCH_NOTES}). */
  readonly batchNotes?: number;
  /** Notes cut so far of all (after loading, and after each batch is stored). */
  readonly onProgress?: (progress: BodiesMigrationProgress) => void;
  /** Called after each step has committed; what it throws stops the migration there. */
  readonly afterStep?: (step: BodiesMigrationStep) => void | Promise<void>;
  readonly now?: () => number;
}

export type BodiesMigrationResult =
  | { readonly status: 'already' }
  | {
      readonly status: 'migrated';
      readonly notes: number;
      /** Notes whose bodies had content (the others got an empty document). */
      readonly bodies: number;
      /** Notes already cut by an earlier, interrupted run. */
      readonly resumedAt: number;
      /** Rows of the workspace that could not be read (kept aside, as at any load). */
      readonly setAside: readonly SetAsideSummary[];
    };

/** Why a migration stopped; the workspace's rows are as they were (schema 1). */
export class BodiesMigrationError extends Error {
  constructor(
    message: string,
    readonly noteId: string | null = null,
  ) {
    super(message);
    this.name = 'BodiesMigrationError';
  }
}

/** What the legacy database records of a migration under way. */
interface Progress {
  /** Which schema-1 state the legacy copy and the cuts are of (see {@link stateIdentity}). */
  readonly identity: string;
  /** The last note id (in sorted order) whose body is stored; null: none yet. */
  readonly cutThrough: string | null;
}

function asProgress(value: unknown): Progress | null {
  if (typeof value !== 'object' || value === null) return null;
  const record = value as Record<string, unknown>;
  return typeof record.identity === 'string' &&
    (record.cutThrough === null || typeof record.cutThrough === 'string')
    ? { identity: record.identity, cutThrough: record.cutThrough }
    : null;
}

/**
 * A fingerprint of a document's state: its snapshot (state vector and deletions) names exactly
 * what it holds, without encoding the whole document.
 */
function stateIdentity(doc: Y.Doc): Promise<string> {
  return digestHex(Y.encodeSnapshot(Y.snapshot(doc)));
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Whether this device's rows of workspace `workspaceId` already hold the lean root. */
export async function hasBodiesLayout(workspaceId: string): Promise<boolean> {
  const db = await openWorkspaceDb(WORKSPACE_DB_PREFIX + workspaceId);
  try {
    return await readLayout(db);
  } finally {
    db.close();
  }
}

async function readLayout(db: IDBDatabase): Promise<boolean> {
  const tx = db.transaction([CUSTOM_STORE], 'readonly');
  const marker: unknown = await requestDone(tx.objectStore(CUSTOM_STORE).get(LAYOUT_KEY));
  return (
    typeof marker === 'object' &&
    marker !== null &&
    (marker as { schemaVersion?: unknown }).schemaVersion === BODIES_SCHEMA_VERSION
  );
}

/** Migrates workspace `workspaceId`'s rows on this device to schema 2 (see the module comment). */
export async function migrateToBodyDocuments(
  workspaceId: string,
  options: BodiesMigrationOptions,
): Promise<BodiesMigrationResult> {
  const name = WORKSPACE_DB_PREFIX + workspaceId;
  const legacyName = LEGACY_DB_PREFIX + workspaceId;
  const afterStep = options.afterStep ?? (() => undefined);
  const key = await options.key;
  const codec = key ? sealedRows(key, rowScope(name)) : PLAIN_ROWS;
  const legacyCodec = key ? sealedRows(key, rowScope(legacyName)) : PLAIN_ROWS;

  const db = await openWorkspaceDb(name);
  if (await readLayout(db).catch((error: unknown) => closing(db, error))) {
    db.close();
    return { status: 'already' };
  }
  // Durable storage takes the connection over and closes it.
  const { doc, setAside } = await loadLegacy(name, db, codec);
  const version = schemaVersionOf(doc);
  if (version > BODIES_SCHEMA_VERSION)
    throw new BodiesMigrationError(
      `This workspace uses data format ${version}, newer than this version of Outpost understands; nothing was changed.`,
    );
  await afterStep('loaded');

  const identity = await stateIdentity(doc);
  const legacy = await openWorkspaceDb(legacyName);
  let progress: Progress;
  try {
    const recorded = asProgress(await readCustom(legacy, PROGRESS_KEY));
    // The same state as the recorded run's: its legacy copy and its cuts stand. Otherwise (the
    // workspace was opened and changed in between) everything is done again from its state now.
    progress =
      recorded?.identity === identity
        ? recorded
        : await keepLegacy(legacy, legacyCodec, doc, { identity, cutThrough: null });
    await afterStep('legacy-kept');

    const lazy =
      options.lazyDocs ??
      openLazyDocStore(workspaceId, { key, accepts: () => true, onProblem: () => undefined });
    try {
      const cut = await cutAll(doc, lazy, legacy, progress, options, afterStep);
      await replaceRows(name, codec, doc, options.now ?? Date.now);
      await afterStep('rows-replaced');
      return { status: 'migrated', ...cut, setAside };
    } finally {
      if (!options.lazyDocs) await lazy.close();
    }
  } finally {
    legacy.close();
  }
}

function closing(db: IDBDatabase, error: unknown): never {
  db.close();
  throw error;
}

/** Step 1: the schema-1 document, loaded as the workspace loads it, storage closed after. */
async function loadLegacy(
  name: string,
  db: IDBDatabase,
  codec: RowCodec,
): Promise<{ doc: Y.Doc; setAside: readonly SetAsideSummary[] }> {
  const doc = new Y.Doc();
  const durable = openDurableStorage(name, doc, { codec, db });
  try {
    const report = await durable.whenLoaded;
    // The journal a previous page left is applied during the load and written as a row.
    await durable.flush();
    clearJournal(name, codec);
    return { doc, setAside: report.setAside };
  } finally {
    // Closed before anything below changes `doc`: nothing more of it is written as schema 1.
    await durable.destroy();
  }
}

async function readCustom(db: IDBDatabase, key: string): Promise<unknown> {
  const tx = db.transaction([CUSTOM_STORE], 'readonly');
  return requestDone(tx.objectStore(CUSTOM_STORE).get(key));
}

/** Step 2: the schema-1 state, as the legacy database's only row. */
async function keepLegacy(
  legacy: IDBDatabase,
  codec: RowCodec,
  doc: Y.Doc,
  progress: Progress,
): Promise<Progress> {
  await writeStateRow(legacy, Y.encodeStateAsUpdate(doc), {
    codec,
    custom: new Map([[PROGRESS_KEY, progress]]),
  });
  return progress;
}

/** Every note record's id, sorted (the order bodies are cut in, so progress is one id). */
function noteIds(doc: Y.Doc): string[] {
  const ids: string[] = [];
  doc.getMap<unknown>(ROOT.notes).forEach((value, id) => {
    if (value instanceof Y.Map) ids.push(id);
  });
  return ids.sort();
}

/** A batch's cuts; when the batch fails, each note alone, so the one that fails is named. */
function cutBatch(cutter: BodyCutter, batch: readonly string[]): Map<string, Uint8Array> {
  try {
    return cutter.cut(new Set(batch));
  } catch (error) {
    for (const id of batch) {
      try {
        cutter.cut(new Set([id]));
      } catch (single) {
        throw new BodiesMigrationError(
          `The body of note ${id} could not be moved (${messageOf(single)}); nothing was changed.`,
          id,
        );
      }
    }
    throw new BodiesMigrationError(
      `The bodies of notes ${batch[0]}…${batch.at(-1)} could not be moved (${messageOf(error)}); nothing was changed.`,
    );
  }
}

/** One walk over the document's structs for every batch (see {@link bodyCutter}). */
function cutterOf(doc: Y.Doc): BodyCutter {
  try {
    return bodyCutter(doc);
  } catch (error) {
    throw new BodiesMigrationError(
      `The note bodies could not be moved (${messageOf(error)}); nothing was changed.`,
    );
  }
}

/** Step 3: every body into the lazy document store, a batch at a time, recording progress. */
async function cutAll(
  doc: Y.Doc,
  lazy: LazyDocStore,
  legacy: IDBDatabase,
  progress: Progress,
  options: BodiesMigrationOptions,
  afterStep: (step: BodiesMigrationStep) => void | Promise<void>,
): Promise<{ notes: number; bodies: number; resumedAt: number }> {
  const ids = noteIds(doc);
  const batchNotes = batchSize(ids.length, options.batchNotes);
  const from = progress.cutThrough;
  let done = from === null ? 0 : ids.findIndex((id) => id > from);
  if (done < 0) done = ids.length;
  const resumedAt = done;
  let bodies = 0;
  options.onProgress?.({ notesDone: done, notesTotal: ids.length });
  const cutter = done < ids.length ? cutterOf(doc) : null;
  while (cutter && done < ids.length) {
    const batch = ids.slice(done, done + batchNotes);
    const cuts = cutBatch(cutter, batch);
    bodies += cuts.size;
    try {
      // Committed when it resolves; every note gets a document, empty when its body is.
      await lazy.createMany(batch.map((id) => [id, cuts.get(id)] as const));
    } catch (error) {
      throw new BodiesMigrationError(
        `The bodies of notes ${batch[0]}…${batch.at(-1)} could not be stored (${messageOf(error)}); nothing was changed.`,
      );
    }
    done += batch.length;
    await writeProgress(legacy, { identity: progress.identity, cutThrough: batch.at(-1)! });
    options.onProgress?.({ notesDone: done, notesTotal: ids.length });
    await afterStep('batch-stored');
  }
  await lazy.flush();
  return { notes: ids.length, bodies, resumedAt };
}

async function writeProgress(legacy: IDBDatabase, progress: Progress): Promise<void> {
  const tx = legacy.transaction([CUSTOM_STORE], 'readwrite');
  const done = transactionDone(tx);
  tx.objectStore(CUSTOM_STORE).put(progress, PROGRESS_KEY);
  await done;
}

/**
 * Step 4: `meta.schemaVersion` 2 in the document, and its lean root in place of every workspace
 * row. The transaction first applies the rows as they are now: if they hold anything the
 * document lacks (the workspace was opened and changed meanwhile), nothing is written and the
 * migration stops, to be run again from the state now.
 */
async function replaceRows(name: string, codec: RowCodec, doc: Y.Doc, now: () => number) {
  doc.transact(() => {
    doc.getMap<unknown>(ROOT.meta).set('schemaVersion', BODIES_SCHEMA_VERSION);
  }, BODIES_MIGRATION_ORIGIN);
  const before = Y.encodeSnapshot(Y.snapshot(doc));
  const root = cutRoot(doc);
  const db = await openWorkspaceDb(name);
  try {
    await writeStateRow(db, root, {
      codec,
      custom: new Map([[LAYOUT_KEY, { schemaVersion: BODIES_SCHEMA_VERSION, at: now() }]]),
      check: async (tx) => {
        const updates = tx.objectStore(UPDATES_STORE);
        const [keys, values] = await Promise.all([
          requestDone(updates.getAllKeys()),
          requestDone(updates.getAll()),
        ]);
        const opened = openRowsNow(codec, keys as number[], values);
        const applied = applyStoredRows(doc, opened.rows, BODIES_MIGRATION_ORIGIN);
        // Rows that do not open or apply (the load could not move them aside) are never cleared.
        if (opened.setAside.length > 0 || applied.setAside.length > 0)
          throw new BodiesMigrationError(
            "Some of this workspace's stored changes cannot be read and could not be set aside; its notes stay where they are.",
          );
        const after = Y.encodeSnapshot(Y.snapshot(doc));
        if (!sameBytes(before, after))
          throw new BodiesMigrationError(
            'The workspace changed while its notes were being moved; nothing was changed, and moving them starts again.',
          );
      },
    });
  } finally {
    db.close();
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, index) => byte === b[index]);
}

/**
 * The journal a previous page left holds schema-1 changes. The load applied it and stored it as a
 * row (flushed), so the rows hold it; forgotten now, before anything else, so that it is never
 * applied to the lean root at a load after the swap.
 */
function clearJournal(name: string, codec: RowCodec): void {
  const storage = typeof localStorage === 'undefined' ? null : localStorage;
  if (!storage?.getItem(JOURNAL_PREFIX + name)) return;
  const journal = openUnsavedJournal(name, storage, null, codec);
  // One that does not open with the key was never applied, and is left as it was.
  if (journal.left()) journal.clearLeft();
}
