// @vitest-environment happy-dom
/**
 * Every feature's actions write through the one write gateway: notes, decisions and goals write
 * as the local person when the workspace is writable and are refused, with the gateway's result,
 * while it is read-only; nothing reaches the document then.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { useAppStore } from '../../../renderer/store';
import {
  createLinkedNote,
  duplicate,
  emptyTrash,
  importMarkdown,
} from '../../../renderer/features/notes/notesActions';
import {
  importDecisionFiles,
  updateDecision,
  voteOnDecision,
} from '../../../renderer/features/decisions/decisionActions';
import * as goalActions from '../../../renderer/features/goals/goalActions';
import { makeReadOnly, openWorkspaces, person, resetAppStore } from '../storeHarness';
import * as Y from 'yjs';
import { fromBase64 } from 'lib0/buffer';
import { notes } from '../../../shared/model';
import { fail } from '../../../shared/result';
import { decodeWorkspaceFile, rootStateOf } from '../../../shared/storage/workspaceFile';
import type { OutpostApi } from '../../../shared/ipc/contract';
import { getOutpostApi } from '../../../renderer/platform/outpostApi';

// The page's API object is shared by every test of the file; a test that wraps a call puts it back.
let originalInvoke: OutpostApi['invoke'] | null = null;
afterEach(() => {
  if (originalInvoke) getOutpostApi().invoke = originalInvoke;
  originalInvoke = null;
});

const state = () => useAppStore.getState();
const READ_ONLY = 'Saved by a newer Outpost.';
const refused = { ok: false, error: { code: 'read-only', message: READ_ONLY } };

function created(kind: 'note' | 'goal' | 'decision', title: string): string {
  const result = state().createRecord(kind, title);
  if (!result.ok) throw new Error(result.error.message);
  return result.value.id;
}

function markdownFile(name: string, text: string) {
  const bytes = new TextEncoder().encode(text);
  return { name, size: bytes.length, bytes: async () => bytes };
}

beforeEach(async () => {
  await openWorkspaces();
});
afterEach(resetAppStore);

describe('notes actions', () => {
  it('duplicate a note as the local person and open the copy', async () => {
    const id = created('note', 'Original');
    const copy = await duplicate(id);
    expect(copy.ok).toBe(true);
    if (!copy.ok) return;
    expect(copy.value.id).not.toBe(id);
    expect(copy.value.createdBy).toBe(person.memberId);
    expect(state().selected.note).toBe(copy.value.id);
  });

  it('empty the trash after a backup marked "before-delete" that still holds the notes', async () => {
    const id = created('note', 'Old');
    state().trashRecord('note', id);
    const written: string[] = [];
    const api = getOutpostApi();
    const invoke = (originalInvoke = api.invoke);
    api.invoke = (async (channel: string, input: { file: string }) => {
      if (channel === 'backups:write') {
        const file = decodeWorkspaceFile(fromBase64(input.file));
        if (!file.ok) throw new Error(file.error.message);
        const doc = new Y.Doc();
        Y.applyUpdate(doc, rootStateOf(file.value));
        written.push(
          `${file.value.header.reason}:${notes.list(doc, { includeDeleted: true }).items.length}`,
        );
      }
      return invoke(channel as never, input as never);
    }) as OutpostApi['invoke'];
    expect(await emptyTrash()).toEqual({ ok: true, value: 1 });
    expect(written).toEqual(['before-delete:1']);
    expect(state().notices.at(-1)?.message).toBe('Deleted 1 note forever.');
  });

  it('keep the trash when the backup before deleting cannot be written', async () => {
    const id = created('note', 'Old');
    state().trashRecord('note', id);
    const api = getOutpostApi();
    originalInvoke = api.invoke;
    api.invoke = (async () =>
      fail('disk-full', 'The disk is full.')) as unknown as OutpostApi['invoke'];
    const result = await emptyTrash();
    expect(result).toMatchObject({ ok: false, error: { code: 'disk-full' } });
    expect(state().notices.at(-1)?.message).toContain('Nothing was deleted');
    const session = state().session!;
    expect(notes.get(session.doc, id)).toMatchObject({ ok: true });
  });

  it('import Markdown files as notes in one write', async () => {
    const result = await importMarkdown(
      [markdownFile('plan.md', '# Plan\n\nFirst step.\n')],
      false,
    );
    expect(result).toMatchObject({ ok: true, value: [{ createdBy: person.memberId }] });
    await Promise.resolve();
    expect(state().snapshot?.notes.items).toHaveLength(1);
  });

  it('are refused while read-only, with the gateway’s result and a notice', async () => {
    const id = created('note', 'Kept');
    state().trashRecord('note', id);
    makeReadOnly(READ_ONLY);
    expect(createLinkedNote('Linked')).toEqual(refused);
    expect(await duplicate(id)).toEqual(refused);
    expect(await emptyTrash()).toEqual(refused);
    expect(await importMarkdown([markdownFile('a.md', '# A\n')], false)).toEqual(refused);
    expect(state().notices.at(-1)).toMatchObject({ tone: 'error', message: READ_ONLY });
    await Promise.resolve();
    expect(state().snapshot?.notes.items.map((note) => note.title)).toEqual(['Kept']);
  });
});

describe('decision actions', () => {
  it('update a decision and cast a vote as the local person', () => {
    const id = created('decision', 'Pick a database');
    const updated = updateDecision(id, { title: 'Pick Postgres', status: 'proposed' });
    expect(updated).toMatchObject({
      ok: true,
      value: { title: 'Pick Postgres', status: 'proposed' },
    });
    const vote = voteOnDecision(id, 'agree', 'Boring is good.');
    expect(vote).toMatchObject({ ok: true, value: { member: person.memberId, choice: 'agree' } });
  });

  it('are refused while read-only; an import reports the refusal per file', async () => {
    const id = created('decision', 'Pick a database');
    makeReadOnly(READ_ONLY);
    expect(updateDecision(id, { title: 'Changed' })).toEqual(refused);
    expect(voteOnDecision(id, 'agree', '')).toEqual(refused);
    const file = new File(['# Use Postgres\n\n## Status\n\naccepted\n'], '0001-postgres.md');
    const report = await importDecisionFiles([file]);
    expect(report).toEqual({ imported: [], updated: 0, errors: [READ_ONLY], warnings: [] });
  });
});

describe('goal actions', () => {
  it('add a key result and check in as the local person', () => {
    const goal = created('goal', 'Ship');
    const added = goalActions.addKeyResult(goal, {
      title: 'Users',
      kind: 'number',
      start: 0,
      target: 10,
    });
    expect(added).toMatchObject({ ok: true });
    if (!added.ok) return;
    const checked = goalActions.checkIn(goal, added.value.id, { value: 3, confidence: 7 });
    expect(checked).toMatchObject({ ok: true });
  });

  it('keep the field a model failure names', () => {
    const goal = created('goal', 'Ship');
    const added = goalActions.addKeyResult(goal, { title: 'Users', kind: 'number', target: 10 });
    expect(added.ok).toBe(false);
    if (added.ok) return;
    expect(added.error.fields).toEqual({ start: 'Give a start value.' });
  });

  it('are refused while read-only, the reason shown on the form as a whole', () => {
    const goal = created('goal', 'Ship');
    makeReadOnly(READ_ONLY);
    expect(goalActions.addKeyResult(goal, { title: 'Users', kind: 'number' })).toEqual({
      ok: false,
      error: { code: 'read-only', message: READ_ONLY, fields: { form: READ_ONLY } },
    });
    expect(goalActions.setLink(goal, null, { kind: 'note', id: 'x'.repeat(12) }, true)).toEqual({
      ok: false,
      error: { code: 'read-only', message: READ_ONLY, fields: { form: READ_ONLY } },
    });
  });
});

describe('the session slice', () => {
  it('writes a changed name into the member list only while the workspace is writable', async () => {
    expect(state().updateProfile({ displayName: 'Ada Renamed' }).ok).toBe(true);
    await Promise.resolve();
    const me = () => state().snapshot?.members.items.find((m) => m.id === person.memberId);
    expect(me()?.name).toBe('Ada Renamed');
    makeReadOnly(READ_ONLY);
    expect(state().updateProfile({ displayName: 'Ada Again' }).ok).toBe(true);
    await Promise.resolve();
    expect(state().profile?.displayName).toBe('Ada Again');
    expect(me()?.name).toBe('Ada Renamed');
  });
});

describe('the workspace slice', () => {
  it('renames the open workspace through the gateway, and not while read-only', async () => {
    expect(state().renameWorkspace('Team notes')).toEqual({ ok: true, value: 'Team notes' });
    await Promise.resolve();
    expect(state().snapshot?.name).toBe('Team notes');
    makeReadOnly(READ_ONLY);
    expect(state().renameWorkspace('Other')).toEqual(refused);
    await Promise.resolve();
    expect(state().snapshot?.name).toBe('Team notes');
  });
});
