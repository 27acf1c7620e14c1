// @vitest-environment happy-dom
/**
 * Workspace sessions through the store: opening one makes it ready with a snapshot, switching
 * closes the previous one and keeps what was written in it, reopening runs work while closed, and
 * a closed session's data opens again from storage.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { useAppStore } from '../../../renderer/store';
import { loadActiveWorkspaceId } from '../../../renderer/sync/localState';
import { openWorkspaceSession } from '../../../renderer/sync/workspaceSession';
import { notes } from '../../../shared/model';
import { openWorkspaces, person, resetAppStore } from '../storeHarness';

const state = () => useAppStore.getState();

describe('workspace sessions', () => {
  beforeEach(() => {
    localStorage.clear();
  });
  afterEach(resetAppStore);

  it('opens a workspace: ready, a snapshot, this person in its members, remembered as open', async () => {
    const [first] = await openWorkspaces();
    expect(state().session?.id).toBe(first!.id);
    expect(state().workspaceStatus).toEqual({ state: 'ready', readOnly: false });
    expect(state().snapshot?.members.items.map((member) => member.id)).toEqual([person.memberId]);
    expect((await loadActiveWorkspaceId()).value).toBe(first!.id);
  });

  it('switches: the previous session closes, the selection clears, its data stays', async () => {
    const [first, second] = await openWorkspaces(2);
    const previous = state().session!;
    const created = state().createRecord('note', 'Only in the first');
    expect(created.ok).toBe(true);
    await state().openWorkspace(second!.id);
    expect(previous.doc.isDestroyed).toBe(true);
    expect(state().session?.id).toBe(second!.id);
    expect(state().selected).toEqual({});
    expect(state().snapshot?.notes.items).toEqual([]);

    await state().openWorkspace(first!.id);
    expect(state().snapshot?.notes.items.map((note) => note.title)).toEqual(['Only in the first']);
  });

  it('reopens: the work runs while no session is open, then the same workspace opens again', async () => {
    const [first] = await openWorkspaces();
    const before = state().session;
    let duringWork: unknown = 'not run';
    await state().reopenWorkspace(async () => {
      duringWork = state().session;
    });
    expect(duringWork).toBeNull();
    expect(state().session).not.toBe(before);
    expect(state().session?.id).toBe(first!.id);
    expect(state().workspaceStatus.state).toBe('ready');
  });

  it('closes a session with its changes stored, and opens them again', async () => {
    const id = 'session-close-test-1';
    const session = openWorkspaceSession(id, person, () => undefined);
    await session.ready;
    const created = notes.create(session.doc, { actor: person.memberId }, { title: 'Kept' });
    expect(created.ok).toBe(true);
    await session.destroy();
    expect(session.doc.isDestroyed).toBe(true);

    const snapshots: string[][] = [];
    const again = openWorkspaceSession(id, person, (snapshot) =>
      snapshots.push(snapshot.notes.items.map((note) => note.title)),
    );
    await again.ready;
    expect(snapshots.at(-1)).toEqual(['Kept']);
    await again.destroy();
  });
});
