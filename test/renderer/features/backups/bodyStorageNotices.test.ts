// @vitest-environment happy-dom
/**
 * A note body that cannot be stored or read reaches the person as a notice, as the workspace's own
 * storage problems do: the real store, session and lazy document store over fake-indexeddb, with
 * storage events followed as the app's start follows them. IndexedDB refusing a body's row (a full
 * disk) ends in an error notice naming the note, with its text still in the open document, and
 * once the retry stores it the save state says saved, as when the root's saves recover; a
 * damaged stored row of a body ends in a warning that it was set aside, the rest of the note open,
 * and the row is listed under Backups with the note it came from.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { useAppStore } from '../../../../renderer/store';
import {
  followStorageEvents,
  useStorageStore,
} from '../../../../renderer/features/backups/storageStore';
import { listSetAside } from '../../../../renderer/features/backups/backupActions';
import type { LazyDocStore } from '../../../../renderer/sync/storage/lazyDocStore';
import {
  LAZY_DOCS_DB_PREFIX,
  ROWS_STORE,
  deleteLazyDocsDb,
} from '../../../../renderer/sync/storage/lazyDocDb';
import { bodyFragment } from '../../../../shared/model/bodyDocuments';
import { readBodyTree, writeBodyTree } from '../../../../shared/model/notesBody';
import { openWorkspaces, resetAppStore } from '../../storeHarness';
import { addRawLazyRows } from '../../sync/storage/rawLazyRows';
import { refuseRows } from '../../sync/storage/refusedRows';
import { UPDATES_STORE, WORKSPACE_DB_PREFIX } from '../../../../renderer/sync/storage/idb';

const state = () => useAppStore.getState();
let store: LazyDocStore;

/** A new note titled `title`, its body not stored yet. */
function newNote(title: string): string {
  const created = state().createRecord('note', title);
  if (!created.ok) throw new Error(created.error.message);
  return created.value.id;
}

/** IndexedDB refusing new rows of a body document (the next `times`), as a full disk refuses them. */
function refuseBodyRows(times = Infinity) {
  return refuseRows(
    (rows) => rows.name === ROWS_STORE && rows.transaction.db.name.startsWith(LAZY_DOCS_DB_PREFIX),
    times,
  );
}

beforeEach(async () => {
  followStorageEvents();
  await openWorkspaces();
  store = state().session!.bodies as LazyDocStore;
  expect(store).not.toBeNull();
});
afterEach(async () => {
  vi.restoreAllMocks();
  const id = state().session?.id;
  await resetAppStore();
  if (id) await deleteLazyDocsDb(id);
});

describe('body storage problems shown to the person', () => {
  it('a body edit IndexedDB refuses ends in an error notice naming the note, its text kept open', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const id = newNote('Plan');
    const doc = await store.load(id);
    const refused = refuseBodyRows();
    writeBodyTree(bodyFragment(doc), [
      { type: 'paragraph', content: [{ type: 'text', text: 'typed on a full disk' }] },
    ]);
    await store.flush();

    expect(refused).toHaveBeenCalled();
    expect(state().notices).toEqual([
      expect.objectContaining({
        tone: 'error',
        message:
          'Changes to the note “Plan” in “Workspace 1” could not be saved on this device: The quota has been exceeded. Outpost keeps them and tries again; until they are saved, keep Outpost open, and export the workspace (Backups) to be safe.',
      }),
    ]);
    // Still logged for whoever reads the console.
    expect(logged).toHaveBeenCalledWith(
      expect.stringContaining(`The body of note ${id}`),
      expect.objectContaining({ type: 'write-failed', id }),
    );
    // The edit is not lost from the open note.
    expect(JSON.stringify(readBodyTree(bodyFragment(doc)))).toContain('typed on a full disk');
    store.release(id);
  });

  it('a change to the workspace IndexedDB refuses ends in an error notice saying it is kept and retried', async () => {
    const workspace = state().session!.id;
    refuseRows(
      (rows) =>
        rows.name === UPDATES_STORE && rows.transaction.db.name === WORKSPACE_DB_PREFIX + workspace,
      Infinity,
      'aborts',
    );
    newNote('Agenda');
    await vi.waitFor(() => expect(state().notices).toHaveLength(1));
    expect(state().notices).toEqual([
      expect.objectContaining({
        tone: 'error',
        message: expect.stringMatching(
          /^Changes could not be saved on this device: .+\. Outpost keeps them and tries again; until they are saved, keep Outpost open, and export the workspace \(Backups\) to be safe\.$/,
        ),
      }),
    ]);
    expect(useStorageStore.getState().save[workspace]).toMatchObject({ state: 'failed' });
  });

  it('a refused body edit is stored by the retry, and the save state then says saved, as when the root recovers', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const workspace = state().session!.id;
    const id = newNote('Budget');
    const doc = await store.load(id);
    await store.flush();
    refuseBodyRows(1);
    writeBodyTree(bodyFragment(doc), [
      { type: 'paragraph', content: [{ type: 'text', text: 'typed as the disk filled' }] },
    ]);
    await store.flush();
    expect(state().notices.at(-1)).toMatchObject({ tone: 'error' });
    // Whatever the root said last is forgotten: what follows is the body's retry.
    useStorageStore.setState({ save: {} });

    // The retry (2 s after the refusal) stores the edit with nothing typed since.
    await vi.waitFor(
      () => expect(useStorageStore.getState().save[workspace]).toMatchObject({ state: 'saved' }),
      { timeout: 10_000, interval: 100 },
    );
    store.release(id);
    await state().reopenWorkspace(() => Promise.resolve());
    store = state().session!.bodies as LazyDocStore;
    const reopened = await store.load(id);
    expect(JSON.stringify(readBodyTree(bodyFragment(reopened)))).toContain(
      'typed as the disk filled',
    );
    store.release(id);
  });

  it('a damaged stored row of a body ends in a warning that it was set aside, the rest opened', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const id = newNote('Minutes');
    const doc = await store.load(id);
    writeBodyTree(bodyFragment(doc), [
      { type: 'paragraph', content: [{ type: 'text', text: 'kept text' }] },
    ]);
    await store.flush();
    store.release(id);
    // Damaged on disk while the workspace was closed; the note's body is read on its next open.
    const workspace = state().session!.id;
    await state().reopenWorkspace(() =>
      addRawLazyRows(workspace, id, [Uint8Array.of(1, 2, 3, 250, 250, 250, 9)]),
    );
    store = state().session!.bodies as LazyDocStore;

    const reopened = await store.load(id);
    expect(JSON.stringify(readBodyTree(bodyFragment(reopened)))).toContain('kept text');
    expect(state().notices.at(-1)).toMatchObject({
      tone: 'warning',
      message: expect.stringMatching(
        /^The note “Minutes” in “Workspace 1”: 1 saved change \(7 B\) stored on this device was damaged \((cannot be decoded|does not decrypt with this device's key)\) and was set aside\. Everything else opened normally\./,
      ),
    });
    // Kept under Backups, as the notice says, named by its note.
    expect(await listSetAside(workspace)).toEqual([
      expect.objectContaining({
        document: id,
        bytes: 7,
        value: Uint8Array.of(1, 2, 3, 250, 250, 250, 9),
      }),
    ]);
    store.release(id);
  });
});
