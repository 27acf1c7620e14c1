// @vitest-environment happy-dom
/**
 * The note editor in a schema-2 session, rendered for real (React, TipTap, y-tiptap, happy-dom as
 * the DOM) over the session's real lazy document store (fake-indexeddb): it shows the loading state until the
 * body document is loaded, never an empty editable text; typing goes into the body document and is
 * stored, as a second store on the same database (a reload) reads; closing the note releases the
 * document, and switching notes faster than they load leaves exactly the open note held.
 */
import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Editor } from '@tiptap/core';
import * as Y from 'yjs';
import { useAppStore } from '../../../renderer/store';
import { NoteEditor } from '../../../renderer/features/notes/NoteEditor';
import { importMarkdown } from '../../../renderer/features/notes/notesActions';
import { openLazyDocStore, type LazyDocStore } from '../../../renderer/sync/storage/lazyDocStore';
import { workspaceAtRestKey } from '../../../renderer/sync/atRestKeys';
import { deleteLazyDocsDb, LAZY_DOCS_DB_PREFIX } from '../../../renderer/sync/storage/lazyDocDb';
import { bodyFragment } from '../../../shared/model/bodyDocuments';
import { readBodyTree } from '../../../shared/model/notesBody';
import { openWorkspaces, resetAppStore } from '../storeHarness';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

const state = () => useAppStore.getState();
const stores: LazyDocStore[] = [];
let store: LazyDocStore;
let root: Root | null = null;
let container: HTMLElement;

function lazyStore(): LazyDocStore {
  const opened = openLazyDocStore(state().session!.id, {
    key: workspaceAtRestKey(state().session!.id),
    accepts: () => true,
    onProblem: () => undefined,
  });
  stores.push(opened);
  return opened;
}

/** A load the test lets finish when it wants: what a slow disk does. */
function gatedLoads(target: LazyDocStore) {
  const gates: Array<() => void> = [];
  const original = target.load.bind(target);
  const load = vi.spyOn(target, 'load').mockImplementation(async (id: string) => {
    await new Promise<void>((resolve) => gates.push(resolve));
    return original(id);
  });
  const release = vi.spyOn(target, 'release');
  return {
    load,
    release,
    /** Lets every load asked for so far go on. */
    openAll: () => gates.splice(0).forEach((open) => open()),
  };
}

async function noteWith(title: string, text: string): Promise<string> {
  const bytes = new TextEncoder().encode(`# ${title}\n\n${text}\n`);
  const result = await importMarkdown(
    [{ name: `${title}.md`, size: bytes.length, bytes: async () => bytes }],
    false,
  );
  if (!result.ok) throw new Error(result.error.message);
  return result.value[0]!.id;
}

async function render(noteId: string): Promise<void> {
  await act(async () => {
    root!.render(<NoteEditor key={noteId} noteId={noteId} mode="live" editable />);
  });
}

/** Lets loads settle (the store's reads done, when it is open) and React commit what they show. */
async function settle(open = true): Promise<void> {
  await act(async () => {
    if (open) await store.flush();
    await new Promise((resolve) => setTimeout(resolve, 0));
  });
}

const editable = () => container.querySelector('[contenteditable="true"]');
const loading = () => container.querySelector('[role="status"]')?.textContent ?? null;

beforeEach(async () => {
  await openWorkspaces();
  // The session's own body store (a workspace opens in schema 2).
  store = state().session!.bodies as LazyDocStore;
  expect(store).not.toBeNull();
  container = document.createElement('div');
  document.body.append(container);
  root = createRoot(container);
});
afterEach(async () => {
  const id = state().session?.id;
  await act(async () => root?.unmount());
  root = null;
  container.remove();
  for (const opened of stores.splice(0)) await opened.close();
  await resetAppStore();
  if (id) await deleteLazyDocsDb(LAZY_DOCS_DB_PREFIX + id);
});

describe('the note editor over body documents', () => {
  it('shows the loading state until the body is there, then the body, editable', async () => {
    const id = await noteWith('Loaded', 'Stored words.');
    const gate = gatedLoads(store);
    await render(id);
    expect(loading()).toBe('Loading the editor…');
    expect(editable()).toBeNull();
    gate.openAll();
    await settle();
    await expect.poll(() => editable()?.textContent ?? '').toContain('Stored words.');
    expect(loading()).toBeNull();
    expect(gate.load).toHaveBeenCalledTimes(1);
    expect(gate.release).not.toHaveBeenCalled();
  });

  it('stores typing in the body document, and releases it when the note closes', async () => {
    const id = await noteWith('Typed', 'Before.');
    const release = vi.spyOn(store, 'release');
    await render(id);
    await settle();
    await expect.poll(() => editable()?.textContent ?? '').toContain('Before.');
    const editor = (container.querySelector('.ProseMirror') as unknown as { editor: Editor })
      .editor;
    await act(async () => {
      editor.chain().focus('end').insertContent(' Typed after.').run();
    });
    // What a reload a moment later reads: a new store on the same database.
    await store.flush();
    const reloaded = lazyStore();
    const text = await reloaded.read(id, (doc) => JSON.stringify(readBodyTree(bodyFragment(doc))));
    expect(text).toContain('Typed after.');
    await act(async () => root!.render(<></>));
    expect(release).toHaveBeenCalledTimes(1);
    expect(release).toHaveBeenCalledWith(id);
  });

  it('switching notes faster than they load holds only the open note, and shows its body', async () => {
    const ids = [
      await noteWith('First', 'One.'),
      await noteWith('Second', 'Two.'),
      await noteWith('Third', 'Three.'),
    ];
    const gate = gatedLoads(store);
    for (const id of ids) await render(id);
    expect(gate.load).toHaveBeenCalledTimes(3);
    gate.openAll();
    await settle();
    await expect.poll(() => editable()?.textContent ?? '').toContain('Three.');
    // The two notes left before they loaded were released as their loads finished.
    expect(gate.release.mock.calls.map(([id]) => id).sort()).toEqual([ids[0], ids[1]].sort());
    await act(async () => root!.render(<></>));
    expect(gate.release.mock.calls.map(([id]) => id).sort()).toEqual([...ids].sort());
  });

  it('a body with content the editor cannot show opens read-only and stays as stored', async () => {
    const id = await noteWith('Newer', 'Known text.');
    await store.read(id, (doc) => bodyFragment(doc).insert(0, [new Y.XmlElement('mystery')]));
    await render(id);
    await settle();
    await expect
      .poll(() => container.querySelector('[role="alert"]')?.textContent ?? '')
      .toContain('unknown block “mystery”');
    await expect
      .poll(() => container.querySelector('.ProseMirror')?.textContent ?? '')
      .toContain('Known text.');
    expect(editable()).toBeNull();
    await store.flush();
    const text = await lazyStore().read(id, (doc) => bodyFragment(doc).toString());
    expect(text).toContain('<mystery>');
  });

  it('a body that cannot be loaded says so instead of showing an empty editor', async () => {
    const id = await noteWith('Broken', 'Unreachable.');
    await store.close();
    await render(id);
    await settle(false);
    await expect
      .poll(() => container.querySelector('[role="alert"]')?.textContent ?? '')
      .toContain('could not be opened');
    expect(editable()).toBeNull();
  });
});
