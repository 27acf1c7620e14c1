// @vitest-environment happy-dom
/**
 * Workspace files of schema-2 workspaces with real stores (fake-indexeddb being the browser's
 * database): a workspace migrated on this device is exported from its root and lazy documents
 * (plain, sealed with its key, with a passphrase), imported as a new workspace or in place of
 * one (restoredWorkspace.ts), and opens with the same records and the same text; old files (one
 * document, schema 1) import as schema-1 workspaces that migrate; the Markdown export of the
 * schema-2 workspace equals the schema-1 one's; a backup scheduler of a schema-2 workspace
 * writes version 4 and backs up edits made to bodies only.
 */
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { fromBase64 } from 'lib0/buffer';
import {
  deriveAtRestKey,
  newDataKey,
  workspaceKeyInfo,
  type AtRestKey,
} from '../../../../shared/protocol/atRest';
import { noteBody, notes } from '../../../../shared/model';
import { bodyFragment } from '../../../../shared/model/bodyDocs';
import type { BodyDocuments } from '../../../../shared/model/bodyDocuments';
import { readBodyTree } from '../../../../shared/model/notesBody';
import { ROOT } from '../../../../shared/model/roots';
import {
  workspaceAsMarkdown,
  workspaceAsMarkdownFrom,
} from '../../../../shared/storage/markdownExport';
import {
  decodePassphraseWorkspaceFile,
  encodePassphraseWorkspaceFile,
} from '../../../../shared/storage/passphraseFile';
import { fileSealer, type RowCodec } from '../../../../shared/storage/sealedRows';
import { bundleOf } from '../../../../shared/storage/workspaceBundle';
import {
  countRecords,
  decodeWorkspaceFile,
  encodeWorkspaceFile,
  type WorkspaceFile,
} from '../../../../shared/storage/workspaceFile';
import { ok } from '../../../../shared/result';
import {
  hasBodiesLayout,
  migrateToBodyDocuments,
} from '../../../../renderer/sync/storage/bodiesMigration';
import {
  startBackupScheduler,
  workspaceFileFor,
} from '../../../../renderer/sync/storage/backupScheduler';
import { openDurableStorage } from '../../../../renderer/sync/storage/durableStorage';
import { WORKSPACE_DB_PREFIX } from '../../../../renderer/sync/storage/idb';
import { openLazyDocStore } from '../../../../renderer/sync/storage/lazyDocStore';
import type { LazyDocStore } from '../../../../renderer/sync/storage/lazyDocTypes';
import { storeRestoredWorkspace } from '../../../../renderer/sync/storage/restoredWorkspace';
import { buildWorkspace, codecOf, liveIds, storeWorkspace } from './schema1Workspace';

const NOW = Date.UTC(2026, 11, 5);
const PASSPHRASE = 'tram 28 to the castle';
const dataKey = newDataKey();
let count = 0;

function freshId(): string {
  count += 1;
  return `files-${count}-abcdef`;
}

function keyOf(id: string): Promise<AtRestKey> {
  return deriveAtRestKey(dataKey, workspaceKeyInfo(id));
}

async function rowCodec(id: string): Promise<RowCodec> {
  return codecOf(await keyOf(id), WORKSPACE_DB_PREFIX + id);
}

function lazyStore(id: string, key: AtRestKey): LazyDocStore {
  return openLazyDocStore(id, { key, accepts: () => true, onProblem: () => undefined });
}

async function loadRoot(id: string): Promise<Y.Doc> {
  const doc = new Y.Doc();
  const durable = openDurableStorage(WORKSPACE_DB_PREFIX + id, doc, { codec: await rowCodec(id) });
  const report = await durable.whenLoaded;
  expect(report.setAside).toHaveLength(0);
  await durable.destroy();
  return doc;
}

/** A schema-1 workspace of `notes` notes stored on this device and migrated to schema 2. */
async function schema2Workspace(
  size: number,
  seed: number,
): Promise<{ id: string; source: Y.Doc; key: AtRestKey }> {
  const id = freshId();
  const key = await keyOf(id);
  const source = buildWorkspace(size, seed);
  await storeWorkspace(id, key, source);
  const migrated = await migrateToBodyDocuments(id, { key });
  expect(migrated.status).toBe('migrated');
  return { id, source, key };
}

/** Records as plain values, bodies aside. */
function recordsOf(doc: Y.Doc): Record<string, Record<string, unknown>> {
  const records = doc.getMap(ROOT.notes).toJSON() as Record<string, Record<string, unknown>>;
  for (const record of Object.values(records)) delete record.body;
  return records;
}

/** Workspace `id` is in schema 2 on this device, with `source`'s records and text. */
async function expectSameWorkspace(id: string, source: Y.Doc): Promise<void> {
  expect(await hasBodiesLayout(id)).toBe(true);
  const root = await loadRoot(id);
  expect(recordsOf(root)).toEqual(recordsOf(source));
  const lazy = lazyStore(id, await keyOf(id));
  try {
    let withText = 0;
    for (const note of liveIds(source)) {
      const expected = readBodyTree(noteBody(source, note)!);
      if (expected.length > 0) withText++;
      expect(await lazy.read(note, (doc) => readBodyTree(bodyFragment(doc))), note).toEqual(
        expected,
      );
    }
    expect(withText).toBeGreaterThan(10);
    // Markdown from the body documents equals the schema-1 workspace's.
    expect(await workspaceAsMarkdownFrom(root, NOW, lazy)).toEqual(
      workspaceAsMarkdown(source, NOW),
    );
  } finally {
    await lazy.close();
  }
}

async function restore(id: string, file: WorkspaceFile, replacing: boolean): Promise<void> {
  await storeRestoredWorkspace(
    { workspaceId: id, codec: await rowCodec(id), key: await keyOf(id), replacing },
    file,
  );
}

async function storedIds(lazy: LazyDocStore): Promise<string[]> {
  const ids: string[] = [];
  for await (const page of lazy.vectors()) for (const entry of page) ids.push(entry.id);
  return ids.sort();
}

describe('workspace files of schema-2 workspaces, with real stores', () => {
  it('export (plain, sealed, passphrase) and import as a new workspace keep every record and body', async () => {
    const { id, source, key } = await schema2Workspace(60, 11);
    const root = await loadRoot(id);
    const lazy = lazyStore(id, key);
    // An edit typed into a loaded body (stored as it happens) is in the file.
    const edited = liveIds(source).find((note) => noteBody(source, note)!.length > 0)!;
    const doc = await lazy.load(edited);
    const paragraph = new Y.XmlElement('paragraph');
    doc.transact(() => bodyFragment(doc).insert(0, [paragraph]));
    paragraph.insert(0, [new Y.XmlText('Typed before the export')]);
    const sourceBody = noteBody(source, edited)!;
    const sourceParagraph = new Y.XmlElement('paragraph');
    sourceBody.insert(0, [sourceParagraph]);
    sourceParagraph.insert(0, [new Y.XmlText('Typed before the export')]);
    lazy.release(edited);

    const sealer = fileSealer(await rowCodec(id))!;
    const plain = await workspaceFileFor(root, lazy, id, 'Workspace', 'export', NOW);
    const sealed = await workspaceFileFor(root, lazy, id, 'Workspace', 'change', NOW, sealer);
    const locked = await encodePassphraseWorkspaceFile(
      {
        workspaceId: id,
        workspaceName: '',
        createdAt: NOW,
        reason: 'export',
        state: await bundleOf(root, lazy),
        counts: countRecords(root),
        bundle: true,
      },
      PASSPHRASE,
      { iterations: 100_000 },
    );
    await lazy.close();

    const decoded = [
      decodeWorkspaceFile(plain),
      decodeWorkspaceFile(sealed, () => sealer),
      await decodePassphraseWorkspaceFile(locked, PASSPHRASE),
    ];
    for (const [index, result] of decoded.entries()) {
      expect(result.ok, `file ${index}`).toBe(true);
      if (!result.ok) continue;
      expect(result.value.header.version).toBe(4);
      expect(result.value.header.counts.notes).toBe(source.getMap(ROOT.notes).size);
      const target = freshId();
      await restore(target, result.value, false);
      await expectSameWorkspace(target, source);
    }
  });

  it('reads a stored body as one update without loading it, and a loaded one with its edits', async () => {
    const { id, source, key } = await schema2Workspace(10, 14);
    const lazy = lazyStore(id, key);
    try {
      const note = liveIds(source).find((one) => noteBody(source, one)!.length > 0)!;
      const textOf = (update: Uint8Array | null) => {
        const doc = new Y.Doc();
        if (update) Y.applyUpdate(doc, update);
        return readBodyTree(bodyFragment(doc));
      };
      const expected = readBodyTree(noteBody(source, note)!);
      expect(textOf(await lazy.encoded(note))).toEqual(expected);
      expect(lazy.loadedCount()).toBe(0);
      expect(await lazy.encoded('nothing-stored-here')).toBeNull();
      expect(await lazy.encoded('not an id')).toBeNull();
      const doc = await lazy.load(note);
      const paragraph = new Y.XmlElement('paragraph');
      doc.transact(() => bodyFragment(doc).insert(0, [paragraph]));
      const withEdit = textOf(await lazy.encoded(note));
      expect(withEdit).toHaveLength(expected.length + 1);
      expect(withEdit).toEqual(readBodyTree(bodyFragment(doc)));
      lazy.release(note);
    } finally {
      await lazy.close();
    }
  });

  it('Markdown from body documents equals Markdown of the same notes in schema 1', async () => {
    const { id, source, key } = await schema2Workspace(40, 12);
    const root = await loadRoot(id);
    const lazy = lazyStore(id, key);
    try {
      const files = await workspaceAsMarkdownFrom(root, NOW, lazy);
      expect(files).toEqual(workspaceAsMarkdown(source, NOW));
      expect(files.some((file) => file.content.includes('café ☕'))).toBe(true);
      // One body at a time: nothing stays loaded beyond the store's few idle documents.
      expect(lazy.loadedCount()).toBeLessThanOrEqual(32);
    } finally {
      await lazy.close();
    }
  });

  it('a body that is not rich text, or cannot be read, leaves the rest of the Markdown export as it was', async () => {
    const { id, source, key } = await schema2Workspace(12, 13);
    const root = await loadRoot(id);
    const lazy = lazyStore(id, key);
    try {
      const [notText, unreadable] = liveIds(source).filter(
        (note) => noteBody(source, note)!.length > 0,
      ) as [string, string];
      // A peer's document whose `body` is a map: the note exports with no text, as an embedded
      // body that is not a fragment does.
      const hostile = new Y.Doc();
      hostile.getMap('body').set('not', 'text');
      await lazy.delete(notText);
      await lazy.create(notText, Y.encodeStateAsUpdate(hostile));
      // A body whose read fails (the database gone from under it): said so in its file.
      const failing: BodyDocuments = {
        ...lazy,
        read: (note, fn) =>
          note === unreadable ? Promise.reject(new Error('disk gone')) : lazy.read(note, fn),
      };
      const files = await workspaceAsMarkdownFrom(root, NOW, failing);
      const expected = workspaceAsMarkdown(source, NOW);
      expect(files.map((file) => file.path)).toEqual(expected.map((file) => file.path));
      const changed = files.filter((file, index) => file.content !== expected[index]!.content);
      expect(changed).toHaveLength(2);
      const titleOf = (note: string) => {
        const read = notes.get(root, note);
        return read?.ok ? read.value.title : '';
      };
      const broken = changed.find((file) => file.content.includes(titleOf(unreadable)))!;
      expect(broken.content).toContain('The text of this note could not be read: disk gone');
      // The other is what the same workspace with that body empty exports.
      const emptied = new Y.Doc();
      Y.applyUpdate(emptied, Y.encodeStateAsUpdate(source));
      const emptiedBody = noteBody(emptied, notText)!;
      emptiedBody.delete(0, emptiedBody.length);
      const withEmpty = workspaceAsMarkdown(emptied, NOW);
      const empty = changed.find((file) => file !== broken)!;
      expect(empty.content).toBe(withEmpty.find((file) => file.path === empty.path)!.content);
    } finally {
      await lazy.close();
    }
  });

  it('a restore in place replaces the root and every body, and leaves no old body behind', async () => {
    const from = await schema2Workspace(30, 21);
    const into = await schema2Workspace(25, 22);
    const root = await loadRoot(from.id);
    const lazy = lazyStore(from.id, from.key);
    const file = decodeWorkspaceFile(
      await workspaceFileFor(root, lazy, from.id, 'Workspace', 'export', NOW),
    );
    await lazy.close();
    expect(file.ok).toBe(true);
    if (!file.ok) return;
    await restore(into.id, file.value, true);
    await expectSameWorkspace(into.id, from.source);
    const after = lazyStore(into.id, into.key);
    try {
      expect(await storedIds(after)).toEqual(liveIds(from.source));
    } finally {
      await after.close();
    }
  });

  it('old files (one document, schema 1) import as schema 1, also in place of a schema-2 workspace, and then migrate', async () => {
    const source = buildWorkspace(30, 31);
    const old = decodeWorkspaceFile(
      encodeWorkspaceFile({
        workspaceId: 'old-workspace',
        workspaceName: 'Old',
        createdAt: NOW,
        reason: 'export',
        state: Y.encodeStateAsUpdate(source),
        counts: countRecords(source),
      }),
    );
    expect(old.ok && old.value.header.version).toBe(1);
    if (!old.ok) return;
    const into = await schema2Workspace(20, 32);
    for (const [target, replacing] of [
      [freshId(), false],
      [into.id, true],
    ] as const) {
      await restore(target, old.value, replacing);
      expect(await hasBodiesLayout(target)).toBe(false);
      const doc = await loadRoot(target);
      expect(doc.getMap(ROOT.notes).toJSON()).toEqual(source.getMap(ROOT.notes).toJSON());
      const lazy = lazyStore(target, await keyOf(target));
      expect(await storedIds(lazy)).toEqual([]);
      await lazy.close();
      // What the session does when it opens it.
      const migrated = await migrateToBodyDocuments(target, { key: await keyOf(target) });
      expect(migrated.status).toBe('migrated');
      await expectSameWorkspace(target, source);
    }
  });

  it('backs up a schema-2 workspace as version 4, also after an edit of a body alone', async () => {
    const { id, source, key } = await schema2Workspace(15, 41);
    const root = await loadRoot(id);
    const lazy = lazyStore(id, key);
    const written: string[] = [];
    let wrote: () => void = () => undefined;
    const scheduler = startBackupScheduler({
      workspaceId: id,
      doc: root,
      ignoreOrigin: 'load',
      sink: {
        write: (file) => {
          written.push(file);
          wrote();
          return Promise.resolve(ok({ written: true, entry: null as never }));
        },
        onFlushRequest: () => () => undefined,
      },
      fallbackName: () => 'Workspace',
      onResult: () => undefined,
      quietMs: 0,
      bodies: lazy,
    });
    try {
      await scheduler.backupNow('manual');
      const first = decodeWorkspaceFile(fromBase64(written[0]!));
      expect(first.ok && first.value.header.version).toBe(4);
      // A body edited (the root untouched) is backed up.
      const note = liveIds(source)[1]!;
      const next = new Promise<void>((resolve) => (wrote = resolve));
      const doc = await lazy.load(note);
      const paragraph = new Y.XmlElement('paragraph');
      doc.transact(() => bodyFragment(doc).insert(0, [paragraph]));
      lazy.release(note);
      await next;
      const second = decodeWorkspaceFile(fromBase64(written[1]!));
      expect(second.ok).toBe(true);
      if (!second.ok) return;
      const body = second.value.bundle!.bodies.find((entry) => entry.id === note)!;
      const copy = new Y.Doc();
      Y.applyUpdate(copy, body.update);
      expect(bodyFragment(copy).length).toBe(noteBody(source, note)!.length + 1);
    } finally {
      scheduler.destroy();
      await lazy.close();
    }
  });
});
