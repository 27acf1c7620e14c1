// @vitest-environment happy-dom
/**
 * The vault import's and the first-run sample's renderer actions, through the real store and
 * write gateway: a first import writes at once and reports; a second asks, then updates without
 * duplicating; a read-only workspace refuses with nothing written; the sample comes and goes
 * (after a backup) leaving the person's own note.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { useAppStore } from '../../../renderer/store';
import {
  finishVaultImport,
  startVaultImport,
  useVaultImport,
  type PickedFile,
} from '../../../renderer/features/notes/vaultImportActions';
import {
  addSampleNow,
  openSampleCount,
  removeSampleNow,
} from '../../../renderer/features/onboarding/sampleActions';
import { makeReadOnly, openWorkspaces, resetAppStore } from '../storeHarness';

const FIXTURE = join(import.meta.dirname, '../../fixtures/obsidian-vault');

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

const state = () => useAppStore.getState();
const titles = () => (state().snapshot?.notes.items ?? []).map((note) => note.title).sort();

beforeEach(async () => {
  await openWorkspaces();
});
afterEach(async () => {
  useVaultImport.setState({ current: { stage: 'idle' } });
  await resetAppStore();
});

describe('vault import actions', () => {
  it('imports at once the first time, then asks, and updating duplicates nothing', async () => {
    expect((await startVaultImport(picked())).ok).toBe(true);
    const done = useVaultImport.getState().current;
    expect(done).toMatchObject({ stage: 'done', summary: 'Imported 3 new notes, kept 2 images.' });
    await Promise.resolve();
    expect(titles()).toEqual(['Project Plan', 'Travel checklist', 'Welcome']);

    await startVaultImport(picked());
    const asked = useVaultImport.getState().current;
    if (asked.stage !== 'confirm') throw new Error(`expected a question, got ${asked.stage}`);
    expect(asked.known).toBe(3);
    await finishVaultImport(asked.plan, true);
    expect(useVaultImport.getState().current).toMatchObject({ summary: 'Updated 3 notes.' });
    await Promise.resolve();
    expect(titles()).toEqual(['Project Plan', 'Travel checklist', 'Welcome']);
  });

  it('refuses in a read-only workspace and writes nothing', async () => {
    makeReadOnly('Saved by a newer Outpost.');
    const result = await startVaultImport(picked());
    expect(result.ok).toBe(false);
    expect(useVaultImport.getState().current.stage).toBe('idle');
    expect(state().notices.at(-1)?.message).toBe('Nothing was imported: Saved by a newer Outpost.');
    expect(titles()).toEqual([]);
  });
});

describe('first-run sample actions', () => {
  it('adds the sample and removes only it, after a backup', async () => {
    const own = state().createRecord('note', 'My own note');
    expect(own.ok).toBe(true);
    expect(addSampleNow().ok).toBe(true);
    expect(openSampleCount()).toBe(4);
    const removed = await removeSampleNow();
    expect(removed).toEqual({ ok: true, value: 4 });
    await Promise.resolve();
    expect(titles()).toEqual(['My own note']);
    expect(openSampleCount()).toBe(0);
  });
});
