// @vitest-environment happy-dom
/**
 * The notes actions in a schema-2 session (note bodies as documents of their own): the real store,
 * write gateway and session, whose `bodies` is its real lazy document store over fake-indexeddb.
 * New notes' records carry no body and their bodies are in the store, as a second store on the
 * same database reads them (what a reload finds); a body that cannot be stored takes its notes
 * back with a notice; copies, templates and Markdown exports read bodies from their documents and
 * release them; notes deleted forever take their bodies with them (the session's part).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { useAppStore } from '../../../renderer/store';
import {
  createFromTemplate,
  duplicate,
  emptyTrash,
  importMarkdown,
  markdownFiles,
  saveAsTemplate,
} from '../../../renderer/features/notes/notesActions';
import {
  finishVaultImport,
  startVaultImport,
  useVaultImport,
  type PickedFile,
} from '../../../renderer/features/notes/vaultImportActions';
import { openLazyDocStore, type LazyDocStore } from '../../../renderer/sync/storage/lazyDocStore';
import { workspaceAtRestKey } from '../../../renderer/sync/atRestKeys';
import { deleteLazyDocsDb, LAZY_DOCS_DB_PREFIX } from '../../../renderer/sync/storage/lazyDocDb';
import { bodyFragment } from '../../../shared/model/bodyDocuments';
import { notes, NOTE_BODY_KEY } from '../../../shared/model';
import { readBodyTree, writeBodyTree } from '../../../shared/model/notesBody';
import { openWorkspaces, resetAppStore } from '../storeHarness';
import { addSampleNow, removeSampleNow } from '../../../renderer/features/onboarding/sampleActions';

const FIXTURE = join(import.meta.dirname, '../../fixtures/obsidian-vault');

const state = () => useAppStore.getState();
const stores: LazyDocStore[] = [];

/** A lazy store on the open workspace's database (a second one is what a reload opens). */
function lazyStore(): LazyDocStore {
  const store = openLazyDocStore(state().session!.id, {
    key: workspaceAtRestKey(state().session!.id),
    accepts: () => true,
    onProblem: () => undefined,
  });
  stores.push(store);
  return store;
}

/** Note `id`'s body as a reload reads it: from a new store on the same database. */
async function storedText(id: string): Promise<string> {
  await (state().session!.bodies as LazyDocStore).flush();
  const reloaded = lazyStore();
  return reloaded.read(id, (doc) => JSON.stringify(readBodyTree(bodyFragment(doc))));
}

function recordHasBody(id: string): boolean {
  return notes.map(state().session!.doc, id)?.has(NOTE_BODY_KEY) ?? false;
}

function markdownFile(name: string, text: string) {
  const bytes = new TextEncoder().encode(text);
  return { name, size: bytes.length, bytes: async () => bytes };
}

function picked(dir = FIXTURE): PickedFile[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return picked(path);
    const bytes = new Uint8Array(readFileSync(path));
    return [
      { path: `vault/${relative(FIXTURE, path)}`, size: bytes.length, bytes: async () => bytes },
    ];
  });
}

let store: LazyDocStore;
beforeEach(async () => {
  await openWorkspaces();
  // The session's own body store (a workspace opens in schema 2).
  store = state().session!.bodies as LazyDocStore;
  expect(store).not.toBeNull();
});
afterEach(async () => {
  const id = state().session?.id;
  useVaultImport.setState({ current: { stage: 'idle' } });
  for (const opened of stores.splice(0)) await opened.close();
  await resetAppStore();
  if (id) await deleteLazyDocsDb(LAZY_DOCS_DB_PREFIX + id);
});

describe('new notes in a schema-2 session', () => {
  it('a blank note has no body in its record and no body document until it is written', async () => {
    const created = state().createRecord('note', 'Blank');
    if (!created.ok) throw new Error(created.error.message);
    expect(recordHasBody(created.value.id)).toBe(false);
    expect(await store.vector(created.value.id)).toBeNull();
    // The editor's first load gives an empty body; its first edit creates the stored document.
    const doc = await store.load(created.value.id);
    expect(bodyFragment(doc).length).toBe(0);
    writeBodyTree(bodyFragment(doc), [
      { type: 'paragraph', content: [{ type: 'text', text: 'typed' }] },
    ]);
    store.release(created.value.id);
    expect(await storedText(created.value.id)).toContain('typed');
  });

  it('Markdown imports store each body as its own document, with links resolved', async () => {
    const result = await importMarkdown(
      [
        markdownFile('alpha.md', '# Alpha\n\nSee [[Beta]] first.\n'),
        markdownFile('beta.md', '# Beta\n\nSecond step.\n'),
      ],
      false,
    );
    if (!result.ok) throw new Error(result.error.message);
    const [alpha, beta] = result.value;
    expect(result.value.map((note) => recordHasBody(note.id))).toEqual([false, false]);
    expect(await storedText(beta!.id)).toContain('Second step.');
    const alphaText = await storedText(alpha!.id);
    expect(alphaText).toContain('first.');
    expect(alphaText).toContain(`"noteId":"${beta!.id}"`);
    expect(state().selected.note).toBe(alpha!.id);
  });

  it('a template becomes a note whose body document holds the template', async () => {
    const result = await createFromTemplate({
      id: 'tpl-1',
      name: 'Standup',
      title: 'Standup',
      markdown: '## Yesterday\n\nShipped the editor.\n',
      builtIn: false,
    });
    if (!result.ok) throw new Error(result.error.message);
    expect(recordHasBody(result.value.id)).toBe(false);
    expect(await storedText(result.value.id)).toContain('Shipped the editor.');
  });

  it('a body that cannot be stored takes its notes back and tells the person', async () => {
    const before = notes.list(state().session!.doc).items.length;
    // The store closes under the import (the workspace closing, the database gone): writes fail.
    await store.close();
    const result = await importMarkdown([markdownFile('lost.md', '# Lost\n\nText.\n')], false);
    expect(result).toMatchObject({ ok: false, error: { code: 'storage-failed' } });
    expect(notes.list(state().session!.doc).items).toHaveLength(before);
    expect(state().notices.at(-1)).toMatchObject({
      tone: 'error',
      message: expect.stringContaining('The note was not kept'),
    });
  });
});

describe('reading and copying bodies in a schema-2 session', () => {
  /** A note with `text` as its body document. */
  async function noteWith(title: string, text: string): Promise<string> {
    const result = await importMarkdown(
      [markdownFile(`${title}.md`, `# ${title}\n\n${text}\n`)],
      false,
    );
    if (!result.ok) throw new Error(result.error.message);
    return result.value[0]!.id;
  }

  it('duplicating copies the body into a document of the copy, and releases the original', async () => {
    const id = await noteWith('Original', 'Body to copy.');
    const load = vi.spyOn(store, 'load');
    const release = vi.spyOn(store, 'release');
    const copy = await duplicate(id);
    if (!copy.ok) throw new Error(copy.error.message);
    expect(copy.value.title).toBe('Original (copy)');
    expect(recordHasBody(copy.value.id)).toBe(false);
    expect(await storedText(copy.value.id)).toContain('Body to copy.');
    expect(load.mock.calls.length).toBe(release.mock.calls.length);
    expect(state().selected.note).toBe(copy.value.id);
  });

  it('a note whose body cannot be read is not duplicated, and the person is told', async () => {
    const id = await noteWith('Unreadable', 'Gone.');
    await store.close();
    const before = notes.list(state().session!.doc).items.length;
    const copy = await duplicate(id);
    expect(copy).toMatchObject({ ok: false, error: { code: 'unreadable' } });
    expect(notes.list(state().session!.doc).items).toHaveLength(before);
    expect(state().notices.at(-1)?.tone).toBe('error');
  });

  it('Markdown export and templates read the body documents', async () => {
    const id = await noteWith('Exported', 'Exported text.');
    const files = await markdownFiles([id]);
    expect(files).toHaveLength(1);
    expect(files[0]!.content).toContain('Exported text.');
    const template = await saveAsTemplate(id, 'From note');
    expect(template).toMatchObject({
      ok: true,
      value: { markdown: expect.stringContaining('Exported text.') },
    });
  });
});

describe('deleting forever in a schema-2 session', () => {
  it('emptying the trash deletes the trashed notes’ body documents, and only theirs', async () => {
    const result = await importMarkdown(
      [markdownFile('gone.md', '# Gone\n\nOld.\n'), markdownFile('kept.md', '# Kept\n\nNew.\n')],
      false,
    );
    if (!result.ok) throw new Error(result.error.message);
    const [gone, kept] = result.value;
    expect(await store.vector(gone!.id)).not.toBeNull();
    state().trashRecord('note', gone!.id);
    expect(await emptyTrash()).toEqual({ ok: true, value: 1 });
    // The session deletes the body of a note deleted forever.
    await expect.poll(() => store.vector(gone!.id)).toBeNull();
    expect(await storedText(kept!.id)).toContain('New.');
  });

  it('the first-run sample stores its notes’ bodies, and removing it deletes them', async () => {
    expect(addSampleNow().ok).toBe(true);
    const sample = notes.list(state().session!.doc).items;
    expect(sample).toHaveLength(2);
    expect(sample.map((note) => recordHasBody(note.id))).toEqual([false, false]);
    const welcome = sample.find((note) => note.title.includes('Welcome'))!;
    await expect.poll(() => store.vector(welcome.id)).not.toBeNull();
    expect(await storedText(welcome.id)).toContain('noteLink');
    expect((await removeSampleNow()).ok).toBe(true);
    for (const note of sample) await expect.poll(() => store.vector(note.id)).toBeNull();
  });
});

describe('vault import in a schema-2 session', () => {
  it('stores new notes’ bodies, then replaces them when the vault is imported again', async () => {
    expect((await startVaultImport(picked())).ok).toBe(true);
    const list = () => notes.list(state().session!.doc).items;
    expect(list()).toHaveLength(3);
    const welcome = list().find((note) => note.title === 'Welcome')!;
    expect(recordHasBody(welcome.id)).toBe(false);
    const first = await storedText(welcome.id);
    expect(first.length).toBeGreaterThan(20);
    // Someone edits the imported note; importing the vault again with "update" replaces it.
    await store.read(welcome.id, (doc) =>
      writeBodyTree(bodyFragment(doc), [
        { type: 'paragraph', content: [{ type: 'text', text: 'local edit' }] },
      ]),
    );
    expect(await storedText(welcome.id)).toContain('local edit');
    await startVaultImport(picked());
    const asked = useVaultImport.getState().current;
    if (asked.stage !== 'confirm') throw new Error(`expected a question, got ${asked.stage}`);
    expect((await finishVaultImport(asked.plan, true)).ok).toBe(true);
    expect(list()).toHaveLength(3);
    const again = await storedText(welcome.id);
    expect(again).not.toContain('local edit');
    expect(again).toBe(first);
  });
});
