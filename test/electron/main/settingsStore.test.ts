import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../../shared/ipc/contract';
import { createSettingsStore, SettingsStoreError } from '../../../electron/main/settingsStore';
import { useTmpDir } from '../tmpDir';

const makeTmpDir = useTmpDir();

async function open(dir: string) {
  const problems: string[] = [];
  const store = await createSettingsStore(path.join(dir, 'settings.json'), {
    onProblem: (message) => problems.push(message),
  });
  return { store, problems };
}

describe('createSettingsStore', () => {
  it('starts from the defaults and writes nothing until something changes', async () => {
    const dir = await makeTmpDir();
    const { store, problems } = await open(dir);
    expect(store.get()).toEqual(DEFAULT_SETTINGS);
    expect(problems).toEqual([]);
    expect(await readdir(dir)).toEqual([]);
  });

  it('saves an update and reads it back in a new store', async () => {
    const dir = await makeTmpDir();
    const { store } = await open(dir);
    const next = await store.update({ theme: 'dark' });
    expect(next).toEqual({ theme: 'dark', closeToTray: true });
    expect(store.get()).toEqual(next);

    const reopened = await open(dir);
    expect(reopened.store.get()).toEqual({ theme: 'dark', closeToTray: true });
    expect(JSON.parse(await readFile(path.join(dir, 'settings.json'), 'utf8'))).toEqual(next);
  });

  it('writes atomically, leaving no temporary file behind', async () => {
    const dir = await makeTmpDir();
    const { store } = await open(dir);
    await store.update({ theme: 'light' });
    await store.update({ closeToTray: false });
    expect(await readdir(dir)).toEqual(['settings.json']);
  });

  it('keeps a file that is not JSON aside, uses defaults and says so', async () => {
    const dir = await makeTmpDir();
    const file = path.join(dir, 'settings.json');
    await writeFile(file, '{"theme": "dark", oops');
    const { store, problems } = await open(dir);

    expect(store.get()).toEqual(DEFAULT_SETTINGS);
    const files = await readdir(dir);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^settings\.json\.corrupt-\d{4}-\d\d-\d\dT[\d-]+Z$/);
    expect(await readFile(path.join(dir, files[0]!), 'utf8')).toBe('{"theme": "dark", oops');
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('not valid JSON');
    expect(problems[0]).toContain(files[0]);
    expect(problems[0]).toContain('default settings are in use');
  });

  it('keeps a file with invalid values aside and names the bad field', async () => {
    const dir = await makeTmpDir();
    await writeFile(
      path.join(dir, 'settings.json'),
      JSON.stringify({ theme: 'purple', closeToTray: true }),
    );
    const { store, problems } = await open(dir);
    expect(store.get()).toEqual(DEFAULT_SETTINGS);
    expect(problems[0]).toMatch(/theme/);
    expect((await readdir(dir)).some((name) => name.startsWith('settings.json.corrupt-'))).toBe(
      true,
    );
  });

  it('never overwrites an earlier kept-aside file', async () => {
    const dir = await makeTmpDir();
    const file = path.join(dir, 'settings.json');
    await writeFile(file, 'first');
    await open(dir);
    await writeFile(file, 'second');
    await open(dir);
    const kept = (await readdir(dir)).filter((name) => name.includes('.corrupt-'));
    expect(kept).toHaveLength(2);
    const contents = await Promise.all(kept.map((name) => readFile(path.join(dir, name), 'utf8')));
    expect(contents.sort()).toEqual(['first', 'second']);
  });

  it('fills settings missing from an older file with defaults, without complaint', async () => {
    const dir = await makeTmpDir();
    await writeFile(path.join(dir, 'settings.json'), JSON.stringify({ theme: 'light' }));
    const { store, problems } = await open(dir);
    expect(store.get()).toEqual({ theme: 'light', closeToTray: DEFAULT_SETTINGS.closeToTray });
    expect(problems).toEqual([]);
  });

  it('applies quick successive updates in order', async () => {
    const dir = await makeTmpDir();
    const { store } = await open(dir);
    const [first, second] = await Promise.all([
      store.update({ theme: 'dark' }),
      store.update({ closeToTray: false }),
    ]);
    expect(first).toEqual({ theme: 'dark', closeToTray: true });
    expect(second).toEqual({ theme: 'dark', closeToTray: false });
    expect((await open(dir)).store.get()).toEqual({ theme: 'dark', closeToTray: false });
  });

  it('refuses an invalid patch and keeps the settings as they were', async () => {
    const dir = await makeTmpDir();
    const { store } = await open(dir);
    await expect(store.update({ theme: 'neon' } as never)).rejects.toThrow(SettingsStoreError);
    await expect(store.update({ volume: 3 } as never)).rejects.toThrow(/volume/);
    expect(store.get()).toEqual(DEFAULT_SETTINGS);
    expect(await readdir(dir)).toEqual([]);
  });

  it('reports a failed save readably and keeps the old settings', async () => {
    const dir = await makeTmpDir();
    // The settings file's folder is a file, so nothing can be written there.
    await writeFile(path.join(dir, 'blocked'), '');
    const problems: string[] = [];
    const store = await createSettingsStore(path.join(dir, 'blocked', 'settings.json'), {
      onProblem: (message) => problems.push(message),
    });
    const failure = store.update({ theme: 'dark' });
    await expect(failure).rejects.toThrow(SettingsStoreError);
    await expect(failure).rejects.toThrow(/could not be saved/);
    expect(store.get()).toEqual(DEFAULT_SETTINGS);
    // A later update still runs (and fails for the same reason): one failure does not jam the queue.
    await expect(store.update({ theme: 'light' })).rejects.toThrow(SettingsStoreError);
  });

  it('tells subscribers about each saved change until they unsubscribe', async () => {
    const dir = await makeTmpDir();
    const { store } = await open(dir);
    const seen: unknown[] = [];
    const unsubscribe = store.subscribe((settings) => seen.push(settings));
    await store.update({ theme: 'dark' });
    unsubscribe();
    await store.update({ theme: 'light' });
    expect(seen).toEqual([{ theme: 'dark', closeToTray: true }]);
  });

  it('hands out copies, so callers cannot change the stored settings', async () => {
    const dir = await makeTmpDir();
    const { store } = await open(dir);
    const copy = store.get();
    copy.theme = 'dark';
    expect(store.get().theme).toBe('system');
  });
});
