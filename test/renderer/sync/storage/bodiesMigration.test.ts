// @vitest-environment happy-dom
/**
 * Moving a workspace stored in schema 1 to schema 2 on this device (bodiesMigration.ts), over
 * fake-indexeddb (the browser's database being the edge), with rows stored plain and sealed: the
 * workspace rows become a lean root with the same records, every body a lazy document with the
 * same text, the legacy database the original document; interrupted after any step and run again,
 * it ends in the same state; a body that cannot be stored stops it with the workspace untouched.
 */
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { deriveAtRestKey, newDataKey, type AtRestKey } from '../../../../shared/protocol/atRest';
import { notes, noteBody } from '../../../../shared/model';
import { bodyFragment } from '../../../../shared/model/bodyDocs';
import { schemaVersionOf } from '../../../../shared/model/migrations';
import { readBodyTree, writeBodyTree } from '../../../../shared/model/notesBody';
import { ROOT } from '../../../../shared/model/roots';
import type { RowCodec } from '../../../../shared/storage/sealedRows';
import {
  BODIES_SCHEMA_VERSION,
  BodiesMigrationError,
  LAYOUT_KEY,
  LEGACY_DB_PREFIX,
  hasBodiesLayout,
  migrateToBodyDocuments,
  type BodiesMigrationOptions,
  type BodiesMigrationStep,
} from '../../../../renderer/sync/storage/bodiesMigration';
import { openDurableStorage } from '../../../../renderer/sync/storage/durableStorage';
import {
  CUSTOM_STORE,
  SET_ASIDE_PREFIX,
  UPDATES_STORE,
  VERIFIED_KEY,
  WORKSPACE_DB_PREFIX,
  openWorkspaceDb,
  requestDone,
  transactionDone,
} from '../../../../renderer/sync/storage/idb';
import {
  JOURNAL_PREFIX,
  openUnsavedJournal,
} from '../../../../renderer/sync/storage/unsavedJournal';
import { openLazyDocStore } from '../../../../renderer/sync/storage/lazyDocStore';
import type { LazyDocStore } from '../../../../renderer/sync/storage/lazyDocTypes';
import {
  buildWorkspace,
  codecOf,
  ctx,
  liveIds,
  richBody,
  storeWorkspace,
} from './schema1Workspace';

let workspaceCount = 0;

function freshWorkspace(): string {
  workspaceCount += 1;
  return `migrate-${workspaceCount}`;
}

async function loadDoc(
  database: string,
  codec: RowCodec,
): Promise<{ doc: Y.Doc; rows: number; setAside: number }> {
  const doc = new Y.Doc();
  const durable = openDurableStorage(database, doc, { codec });
  const report = await durable.whenLoaded;
  await durable.destroy();
  return { doc, rows: report.rows, setAside: report.setAside.length };
}

/** Records as plain values, bodies aside. */
function recordsOf(doc: Y.Doc): Record<string, Record<string, unknown>> {
  const records = doc.getMap(ROOT.notes).toJSON() as Record<string, Record<string, unknown>>;
  for (const record of Object.values(records)) delete record.body;
  return records;
}

/** Every value of a store of a database, as stored, with its keys. */
async function raw(database: string, store: string): Promise<[unknown[], unknown[]]> {
  const db = await openWorkspaceDb(database);
  try {
    const tx = db.transaction([store], 'readonly');
    return await Promise.all([
      requestDone(tx.objectStore(store).getAllKeys()),
      requestDone(tx.objectStore(store).getAll()),
    ]);
  } finally {
    db.close();
  }
}

function lazyStore(id: string, key: AtRestKey | null): LazyDocStore {
  return openLazyDocStore(id, { key, accepts: () => true, onProblem: () => undefined });
}

/** The database holds one row, and the record that lets the next load trust it names it. */
async function expectOneTrustedRow(database: string): Promise<void> {
  const [keys] = await raw(database, UPDATES_STORE);
  expect(keys).toHaveLength(1);
  const [customKeys, custom] = await raw(database, CUSTOM_STORE);
  const verified = custom[customKeys.indexOf(VERIFIED_KEY)] as { key: number } | undefined;
  expect(verified?.key).toBe(keys[0]);
}

/** The workspace opens as schema 1, with `original`'s content, every body inside. */
async function expectSchema1(id: string, key: AtRestKey | null, original: Y.Doc): Promise<void> {
  expect(await hasBodiesLayout(id)).toBe(false);
  const name = WORKSPACE_DB_PREFIX + id;
  const { doc } = await loadDoc(name, codecOf(key, name));
  expect(Y.encodeSnapshot(Y.snapshot(doc))).toEqual(Y.encodeSnapshot(Y.snapshot(original)));
  expect(doc.getMap(ROOT.notes).toJSON()).toEqual(original.getMap(ROOT.notes).toJSON());
}

/** Everything a finished migration must leave, checked against the original document. */
async function expectMigrated(id: string, key: AtRestKey | null, original: Y.Doc): Promise<void> {
  await expectOneTrustedRow(WORKSPACE_DB_PREFIX + id);
  const root = await loadDoc(WORKSPACE_DB_PREFIX + id, codecOf(key, WORKSPACE_DB_PREFIX + id));
  expect(root.setAside).toBe(0);
  expect(schemaVersionOf(root.doc)).toBe(BODIES_SCHEMA_VERSION);
  expect(recordsOf(root.doc)).toEqual(recordsOf(original));
  root.doc.getMap(ROOT.notes).forEach((record) => {
    expect((record as Y.Map<unknown>).has('body')).toBe(false);
  });
  expect(await hasBodiesLayout(id)).toBe(true);

  const lazy = lazyStore(id, key);
  try {
    for (const note of liveIds(original)) {
      const expected = readBodyTree(noteBody(original, note)!);
      const body = await lazy.read(note, (doc) => readBodyTree(bodyFragment(doc)));
      expect(body, note).toEqual(expected);
      expect(await lazy.stored(note), note).not.toBeNull();
    }
  } finally {
    await lazy.close();
  }

  const legacyName = LEGACY_DB_PREFIX + id;
  await expectOneTrustedRow(legacyName);
  const legacy = await loadDoc(legacyName, codecOf(key, legacyName));
  expect(Y.encodeSnapshot(Y.snapshot(legacy.doc))).toEqual(Y.encodeSnapshot(Y.snapshot(original)));
  expect(legacy.doc.getMap(ROOT.notes).toJSON()).toEqual(original.getMap(ROOT.notes).toJSON());
  expect(schemaVersionOf(legacy.doc)).toBe(schemaVersionOf(original));
}

/** What the workspace's rows, its lazy documents' metadata and the legacy rows hold, as stored. */
async function storedState(id: string): Promise<unknown> {
  const lazy = await raw(`outpost-docs-${id}`, 'meta').catch(() => null);
  return {
    rows: await raw(WORKSPACE_DB_PREFIX + id, UPDATES_STORE),
    custom: await raw(WORKSPACE_DB_PREFIX + id, CUSTOM_STORE),
    legacy: await raw(LEGACY_DB_PREFIX + id, UPDATES_STORE),
    lazy,
  };
}

const CODECS: Array<[string, () => Promise<AtRestKey | null>]> = [
  ['plain', () => Promise.resolve(null)],
  ['sealed at rest', () => deriveAtRestKey(newDataKey(), 'workspace:migrate')],
];

describe.each(CODECS)('moving note bodies into documents of their own (%s)', (_, makeKey) => {
  it('turns the rows into a lean root, every body into its document, and keeps the original', async () => {
    const key = await makeKey();
    const id = freshWorkspace();
    const original = buildWorkspace(60, 1);
    await storeWorkspace(id, key, original);
    const seen: Array<[number, number]> = [];
    const result = await migrateToBodyDocuments(id, {
      key,
      batchNotes: 16,
      onProgress: ({ notesDone, notesTotal }) => seen.push([notesDone, notesTotal]),
    });
    const total = liveIds(original).length;
    expect(result).toMatchObject({ status: 'migrated', notes: total, resumedAt: 0 });
    expect(seen[0]).toEqual([0, total]);
    expect(seen.at(-1)).toEqual([total, total]);
    expect(seen.length).toBe(Math.ceil(total / 16) + 1);
    await expectMigrated(id, key, original);

    // Run again: nothing changes.
    const before = await storedState(id);
    expect(await migrateToBodyDocuments(id, { key })).toEqual({ status: 'already' });
    expect(await storedState(id)).toEqual(before);
  });

  const steps: Array<[BodiesMigrationStep, number]> = [
    ['loaded', 1],
    ['legacy-kept', 1],
    ['batch-stored', 1],
    ['batch-stored', 3],
    ['rows-replaced', 1],
  ];
  it.each(steps)('interrupted after %s (#%i) and run again, ends the same', async (step, nth) => {
    const key = await makeKey();
    const id = freshWorkspace();
    const original = buildWorkspace(60, 2);
    await storeWorkspace(id, key, original);
    let passes = 0;
    const interrupt: BodiesMigrationOptions['afterStep'] = (at) => {
      if (at === step && ++passes === nth) throw new Error('page closed');
    };
    await expect(
      migrateToBodyDocuments(id, { key, batchNotes: 16, afterStep: interrupt }),
    ).rejects.toThrow('page closed');

    if (step === 'rows-replaced') expect(await hasBodiesLayout(id)).toBe(true);
    else await expectSchema1(id, key, original);

    const again = await migrateToBodyDocuments(id, { key, batchNotes: 16 });
    if (step === 'rows-replaced') expect(again).toEqual({ status: 'already' });
    else
      expect(again).toMatchObject({
        status: 'migrated',
        resumedAt: step === 'batch-stored' ? nth * 16 : 0,
      });
    await expectMigrated(id, key, original);
  });

  it('starts over from the state now when the workspace changed after an interruption', async () => {
    const key = await makeKey();
    const id = freshWorkspace();
    const original = buildWorkspace(40, 3);
    await storeWorkspace(id, key, original);
    await expect(
      migrateToBodyDocuments(id, {
        key,
        batchNotes: 8,
        afterStep: (at) => {
          if (at === 'batch-stored') throw new Error('page closed');
        },
      }),
    ).rejects.toThrow('page closed');

    // Opened as schema 1 and edited: a body cut already and a new note.
    const name = WORKSPACE_DB_PREFIX + id;
    const doc = new Y.Doc();
    const durable = openDurableStorage(name, doc, { codec: codecOf(key, name) });
    await durable.whenLoaded;
    const first = liveIds(doc)[0]!;
    doc.transact(() => writeBodyTree(noteBody(doc, first)!, richBody(999, null)));
    const created = notes.create(doc, ctx, { title: 'Written between' });
    if (!created.ok) throw new Error(created.error.message);
    doc.transact(() => writeBodyTree(noteBody(doc, created.value.id)!, richBody(1000, first)));
    Y.applyUpdate(original, Y.encodeStateAsUpdate(doc, Y.encodeStateVector(original)));
    await durable.flush();
    await durable.destroy();

    expect(await migrateToBodyDocuments(id, { key, batchNotes: 8 })).toMatchObject({
      status: 'migrated',
      resumedAt: 0,
    });
    await expectMigrated(id, key, original);
  });

  it('stops without touching the rows when a body cannot be stored', async () => {
    const key = await makeKey();
    const id = freshWorkspace();
    const original = buildWorkspace(40, 4);
    await storeWorkspace(id, key, original);
    const lazy = lazyStore(id, key);
    let batches = 0;
    const failing: LazyDocStore = {
      ...lazy,
      createMany: (docs) =>
        ++batches === 2 ? Promise.reject(new Error('disk full')) : lazy.createMany(docs),
    };
    const run = migrateToBodyDocuments(id, { key, batchNotes: 8, lazyDocs: failing });
    await expect(run).rejects.toBeInstanceOf(BodiesMigrationError);
    await expect(run).rejects.toThrow(/could not be stored \(disk full\)/);
    await lazy.close();
    await expectSchema1(id, key, original);

    // Once storing works again, the same run finishes.
    expect(await migrateToBodyDocuments(id, { key, batchNotes: 8 })).toMatchObject({
      status: 'migrated',
      resumedAt: 8,
    });
    await expectMigrated(id, key, original);
  });
});

describe('what else the rows hold', () => {
  it('stops at the swap when the rows changed meanwhile (another tab), and finishes when run again', async () => {
    const id = freshWorkspace();
    const original = buildWorkspace(30, 9);
    await storeWorkspace(id, null, original);
    const name = WORKSPACE_DB_PREFIX + id;
    let edited = false;
    const run = migrateToBodyDocuments(id, {
      key: null,
      batchNotes: 8,
      afterStep: async (step) => {
        if (step !== 'batch-stored' || edited) return;
        edited = true;
        const doc = new Y.Doc();
        const durable = openDurableStorage(name, doc, { codec: codecOf(null, name) });
        await durable.whenLoaded;
        const note = liveIds(doc).find((candidate) => noteBody(doc, candidate)!.length > 0)!;
        doc.transact(() => writeBodyTree(noteBody(doc, note)!, richBody(77, null)));
        Y.applyUpdate(original, Y.encodeStateAsUpdate(doc, Y.encodeStateVector(original)));
        await durable.flush();
        await durable.destroy();
      },
    });
    await expect(run).rejects.toThrow(/changed while its notes were being moved/);
    await expectSchema1(id, null, original);
    expect(await migrateToBodyDocuments(id, { key: null, batchNotes: 8 })).toMatchObject({
      status: 'migrated',
      resumedAt: 0,
    });
    await expectMigrated(id, null, original);
  });

  it('moves what could be read and keeps a damaged row aside', async () => {
    const id = freshWorkspace();
    const original = buildWorkspace(20, 10);
    await storeWorkspace(id, null, original);
    const db = await openWorkspaceDb(WORKSPACE_DB_PREFIX + id);
    const tx = db.transaction([UPDATES_STORE], 'readwrite');
    const done = transactionDone(tx);
    tx.objectStore(UPDATES_STORE).add(new Uint8Array([9, 9, 9, 9]));
    await done;
    db.close();

    const result = await migrateToBodyDocuments(id, { key: null });
    expect(result).toMatchObject({ status: 'migrated', setAside: [{ bytes: 4 }] });
    await expectMigrated(id, null, original);
    const [customKeys] = await raw(WORKSPACE_DB_PREFIX + id, CUSTOM_STORE);
    expect(customKeys.filter((key) => String(key).startsWith(SET_ASIDE_PREFIX))).toHaveLength(1);
  });

  it.each(CODECS)(
    'carries the journal a closed page left into every copy, and forgets it (%s)',
    async (_, makeKey) => {
      const key = await makeKey();
      const id = freshWorkspace();
      const original = buildWorkspace(20, 11);
      await storeWorkspace(id, key, original);
      const name = WORKSPACE_DB_PREFIX + id;
      // A change whose row never reached IndexedDB, only the journal.
      const edit = new Y.Doc();
      Y.applyUpdate(edit, Y.encodeStateAsUpdate(original));
      const changes: Uint8Array[] = [];
      edit.on('update', (update: Uint8Array) => changes.push(update));
      const note = liveIds(edit).find((candidate) => noteBody(edit, candidate)!.length > 0)!;
      edit.transact(() => writeBodyTree(noteBody(edit, note)!, richBody(55, null)));
      const journal = openUnsavedJournal(name, localStorage, null, codecOf(key, name));
      for (const change of changes) journal.add(change);
      journal.write();
      expect(localStorage.getItem(JOURNAL_PREFIX + name)).not.toBeNull();
      Y.applyUpdate(original, Y.encodeStateAsUpdate(edit));

      expect(await migrateToBodyDocuments(id, { key })).toMatchObject({ status: 'migrated' });
      await expectMigrated(id, key, original);
      expect(localStorage.getItem(JOURNAL_PREFIX + name)).toBeNull();
    },
  );
});

describe('which workspaces are moved', () => {
  it('leaves rows that already hold the lean root alone', async () => {
    const id = freshWorkspace();
    await storeWorkspace(id, null, buildWorkspace(5, 5));
    const db = await openWorkspaceDb(WORKSPACE_DB_PREFIX + id);
    const tx = db.transaction([CUSTOM_STORE], 'readwrite');
    const done = transactionDone(tx);
    tx.objectStore(CUSTOM_STORE).put({ schemaVersion: BODIES_SCHEMA_VERSION, at: 1 }, LAYOUT_KEY);
    await done;
    db.close();
    const before = await storedState(id);
    expect(await migrateToBodyDocuments(id, { key: null })).toEqual({ status: 'already' });
    expect(await storedState(id)).toEqual(before);
  });

  it('moves the bodies of a workspace that says schema 2 but whose rows still hold them', async () => {
    // A device that had not upgraded heard `meta.schemaVersion` 2 from a peer.
    const id = freshWorkspace();
    const original = buildWorkspace(20, 6);
    original.getMap(ROOT.meta).set('schemaVersion', BODIES_SCHEMA_VERSION);
    await storeWorkspace(id, null, original);
    expect(await migrateToBodyDocuments(id, { key: null })).toMatchObject({ status: 'migrated' });
    await expectMigrated(id, null, original);
  });

  it('stops, naming it, at a note whose id cannot name a document, and changes nothing', async () => {
    // A peer may write a record under any key; a body document's id is LAZY_DOC_ID.
    const id = freshWorkspace();
    const original = buildWorkspace(10, 12);
    const record = new Y.Map<unknown>();
    original.transact(() => {
      original.getMap(ROOT.notes).set('odd', record);
      record.set('title', 'From a peer');
      const body = new Y.XmlFragment();
      record.set('body', body);
      writeBodyTree(body, richBody(3, null));
    });
    await storeWorkspace(id, null, original);
    const run = migrateToBodyDocuments(id, { key: null });
    await expect(run).rejects.toBeInstanceOf(BodiesMigrationError);
    await expect(run).rejects.toThrow(/"odd"/);
    await expectSchema1(id, null, original);
  });

  it('refuses a workspace of a newer schema and changes nothing', async () => {
    const id = freshWorkspace();
    const original = buildWorkspace(5, 7);
    original.getMap(ROOT.meta).set('schemaVersion', BODIES_SCHEMA_VERSION + 1);
    await storeWorkspace(id, null, original);
    await expect(migrateToBodyDocuments(id, { key: null })).rejects.toThrow(/newer than/);
    await expectSchema1(id, null, original);
  });

  it('moves 2,000 notes, sealed', async () => {
    const key = await deriveAtRestKey(newDataKey(), 'workspace:migrate');
    const id = freshWorkspace();
    const original = buildWorkspace(2000, 8);
    await storeWorkspace(id, key, original);
    const result = await migrateToBodyDocuments(id, { key, batchNotes: 500 });
    expect(result).toMatchObject({ status: 'migrated', notes: liveIds(original).length });
    await expectMigrated(id, key, original);
  }, 120_000);
});
