// @vitest-environment happy-dom
/**
 * The records slice writes through the one write gateway: a record created, changed, archived,
 * trashed, restored and purged as the local person, and every write refused with the same result
 * shape while the workspace is read-only or still opening.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { useAppStore } from '../../../renderer/store';
import { makeReadOnly, openWorkspaces, person, resetAppStore } from '../storeHarness';

const state = () => useAppStore.getState();

/** The note as the open workspace's snapshot shows it, once the snapshot has caught up. */
async function noteInSnapshot(id: string) {
  await Promise.resolve();
  return state().snapshot?.notes.items.find((note) => note.id === id);
}

describe('the records slice', () => {
  beforeEach(async () => {
    await openWorkspaces();
  });
  afterEach(resetAppStore);

  it('creates a record as the local person, selects it and answers with its id', async () => {
    expect(state().workspaceStatus).toEqual({ state: 'ready', readOnly: false });
    const created = state().createRecord('note', 'Plan');
    expect(created.ok).toBe(true);
    if (!created.ok) return;
    expect(Object.keys(created.value)).toEqual(['id']);
    expect(state().selected.note).toBe(created.value.id);
    const note = await noteInSnapshot(created.value.id);
    expect(note?.title).toBe('Plan');
    expect(note?.createdBy).toBe(person.memberId);
  });

  it('answers an update with the record as stored', () => {
    const created = state().createRecord('goal', 'Ship');
    if (!created.ok) throw new Error(created.error.message);
    const updated = state().updateRecord('goal', created.value.id, { title: '  Ship it  ' });
    expect(updated.ok && updated.value.title).toBe('Ship it');
    expect(updated.ok && updated.value.updatedBy).toBe(person.memberId);
  });

  it('archives, trashes, restores and purges through the same path', async () => {
    const created = state().createRecord('decision', 'Pick a database');
    if (!created.ok) throw new Error(created.error.message);
    const id = created.value.id;
    expect(state().setArchived('decision', id, true).ok).toBe(true);
    expect(state().trashRecord('decision', id).ok).toBe(true);
    expect(state().restoreRecord('decision', id).ok).toBe(true);
    expect(state().trashRecord('decision', id).ok).toBe(true);
    expect(state().purgeRecord('decision', id).ok).toBe(true);
    await Promise.resolve();
    expect(state().snapshot?.decisions.items.some((item) => item.id === id)).toBe(false);
  });

  it('refuses every write while the workspace is read-only, naming the reason', async () => {
    const created = state().createRecord('note', 'Before');
    if (!created.ok) throw new Error(created.error.message);
    makeReadOnly('Saved by a newer Outpost.');
    const refused = {
      ok: false,
      error: { code: 'read-only', message: 'Saved by a newer Outpost.' },
    };
    expect(state().createRecord('note', 'After')).toEqual(refused);
    expect(state().updateRecord('note', created.value.id, { title: 'Changed' })).toEqual(refused);
    expect(state().setArchived('note', created.value.id, true)).toEqual(refused);
    expect(state().trashRecord('note', created.value.id)).toEqual(refused);
    expect(state().restoreRecord('note', created.value.id)).toEqual(refused);
    expect(state().purgeRecord('note', created.value.id)).toEqual(refused);
    expect((await noteInSnapshot(created.value.id))?.title).toBe('Before');
    expect(state().snapshot?.notes.items).toHaveLength(1);
  });

  it('refuses while the workspace is still opening', () => {
    useAppStore.setState({ workspaceStatus: { state: 'loading' } });
    expect(state().createRecord('note', 'Early')).toEqual({
      ok: false,
      error: { code: 'closed', message: 'The workspace is still opening.' },
    });
  });
});
