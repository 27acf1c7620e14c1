// @vitest-environment happy-dom
/**
 * Opening a workspace through the store moves it to body documents first (bodiesLayout.ts): a
 * new workspace opens in schema 2, a workspace stored in schema 1 is moved before its session
 * opens (every note and body still there, the bodies now documents of their own), the move
 * happens once, and a workspace whose move fails opens as it was, with a notice.
 */
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { useAppStore } from '../../../renderer/store';
import { readBodyTree } from '../../../shared/model/notesBody';
import { bodyFragment } from '../../../shared/model/bodyDocuments';
import { noteBody, notes, schemaVersionOf } from '../../../shared/model';
import { hasBodiesLayout } from '../../../renderer/sync/storage/bodiesMigration';
import { openWorkspaces, person, resetAppStore, installOutpostApi } from '../storeHarness';
import { buildWorkspace, liveIds, storeWorkspace } from './storage/schema1Workspace';
import type { WorkspaceEntry } from '../../../renderer/sync/localState';
import { onStorageEvent } from '../../../renderer/sync/storage/events';

const state = () => useAppStore.getState();

async function listAndOpen(id: string): Promise<void> {
  installOutpostApi();
  const entry: WorkspaceEntry = {
    id,
    name: 'Stored before the update',
    kind: 'local',
    createdAt: 1_700_000_000_000,
    relays: [],
    turn: null,
  };
  useAppStore.setState({ profile: person });
  await state().setWorkspaces(() => [entry]);
  await state().openWorkspace(id);
}

describe('the layout a workspace opens in', () => {
  beforeEach(() => localStorage.clear());
  afterEach(resetAppStore);

  it('opens a new workspace with its bodies as documents of their own (schema 2)', async () => {
    const [entry] = await openWorkspaces();
    const session = state().session!;
    expect(session.bodies).not.toBeNull();
    expect(schemaVersionOf(session.doc)).toBe(2);
    expect(state().workspaceStatus).toEqual({ state: 'ready', readOnly: false });
    expect(await hasBodiesLayout(entry!.id)).toBe(true);
  });

  it('moves a workspace stored in schema 1 before it opens, once, keeping every body', async () => {
    const id = 'layout-move-test-01';
    const source = buildWorkspace(60, 7);
    await storeWorkspace(id, null, source);
    const expected = new Map(
      liveIds(source).map((note) => [note, JSON.stringify(readBodyTree(noteBody(source, note)!))]),
    );
    const progress: number[] = [];
    const stop = onStorageEvent((event) => {
      if (event.type === 'progress' && event.progress.phase === 'upgrading')
        progress.push(event.progress.rowsDone);
    });
    await listAndOpen(id);
    stop();
    const session = state().session!;
    expect(state().workspaceStatus).toEqual({ state: 'ready', readOnly: false });
    expect(schemaVersionOf(session.doc)).toBe(2);
    expect(progress.at(-1)).toBeGreaterThan(0);
    // The lean root: every note, none holding a body; each body in its own document.
    expect(liveIds(session.doc).sort()).toEqual([...expected.keys()].sort());
    for (const note of liveIds(session.doc)) expect(noteBody(session.doc, note)).toBeUndefined();
    for (const [note, body] of expected) {
      const moved = await session.bodies!.read(note, (doc) =>
        JSON.stringify(readBodyTree(bodyFragment(doc))),
      );
      expect(moved, note).toBe(body);
    }
    expect(state().snapshot?.notes.items.length).toBe(
      notes.list(source, { includeArchived: true, includeDeleted: true }).items.length,
    );

    // Opened again: already moved, so no move runs.
    await resetAppStore();
    progress.length = 0;
    const again = onStorageEvent((event) => {
      if (event.type === 'progress' && event.progress.phase === 'upgrading')
        progress.push(event.progress.rowsDone);
    });
    await listAndOpen(id);
    again();
    expect(progress).toEqual([]);
    expect(state().session?.bodies).not.toBeNull();
    expect(liveIds(state().session!.doc).length).toBe(expected.size);
  });

  it('opens a workspace whose move fails as it was, read-write, with a notice', async () => {
    const id = 'layout-move-test-02';
    const source = buildWorkspace(10, 3);
    // A record under a key no document may be named by stops the move (bodiesMigration.ts).
    source.getMap('notes').set('not a document id!', new Y.Map());
    await storeWorkspace(id, null, source);
    await listAndOpen(id);
    const session = state().session!;
    expect(session.bodies).toBeNull();
    expect(state().workspaceStatus).toEqual({ state: 'ready', readOnly: false });
    expect(schemaVersionOf(session.doc)).toBe(1);
    expect(
      state()
        .notices.map((notice) => notice.message)
        .join('\n'),
    ).toMatch(/could not be moved to the faster storage.*nothing was lost/);
    expect(liveIds(session.doc).length).toBe(liveIds(source).length);
    expect(await hasBodiesLayout(id)).toBe(false);
  });
});
