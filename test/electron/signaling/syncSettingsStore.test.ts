import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  createSyncSettingsStore,
  SyncSettingsError,
} from '../../../electron/main/signaling/syncSettingsStore';
import { DEFAULT_SYNC_SETTINGS, type SyncSettings } from '../../../shared/ipc/syncContract';
import { useTmpDir } from '../tmpDir';

const makeTmpDir = useTmpDir();

async function open(file: string) {
  const problems: string[] = [];
  const store = await createSyncSettingsStore(file, {
    onProblem: (message) => problems.push(message),
  });
  const heard: SyncSettings[] = [];
  store.subscribe((settings) => heard.push(settings));
  return { store, problems, heard };
}

const turn = { urls: 'turn:turn.example.org:3478', username: 'ana', credential: 's3cret' };

describe('sync settings', () => {
  it('start from the defaults (LAN server on, nothing public) and write nothing until changed', async () => {
    const dir = await makeTmpDir();
    const { store, problems } = await open(path.join(dir, 'sync-settings.json'));
    expect(store.get()).toEqual(DEFAULT_SYNC_SETTINGS);
    expect(store.get().signalingServers).toEqual([]);
    expect(store.get().iceServers).toEqual([]);
    expect(problems).toEqual([]);
    expect(await readdir(dir)).toEqual([]);
  });

  it('save a change, tell subscribers, and read it back; the file is private to the account', async () => {
    const file = path.join(await makeTmpDir(), 'sync-settings.json');
    const { store, heard } = await open(file);
    const next = await store.update({
      signalingServers: ['  wss://signal.example.org  '],
      iceServers: [turn],
    });
    expect(next).toEqual({
      ...DEFAULT_SYNC_SETTINGS,
      signalingServers: ['wss://signal.example.org'],
      iceServers: [turn],
    });
    expect(heard).toEqual([next]);
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual(next);
    if (process.platform !== 'win32') expect((await stat(file)).mode & 0o777).toBe(0o600);
    // What callers get is a copy; changing it changes nothing stored.
    store.get().signalingServers.push('wss://sneaky.example.org');
    next.iceServers.length = 0;
    expect(store.get()).toEqual(heard[0]);
    expect((await open(file)).store.get()).toEqual(heard[0]);
  });

  it('refuse invalid changes with a readable message, keeping settings and file as they were', async () => {
    const file = path.join(await makeTmpDir(), 'sync-settings.json');
    const { store, heard } = await open(file);
    await store.update({ lanServer: { enabled: true, port: 50_000 } });
    const saved = await readFile(file, 'utf8');
    const invalid: Array<[unknown, RegExp]> = [
      [{ lanServer: { enabled: true, port: 70_000 } }, /lanServer\.port/],
      [{ lanServer: { enabled: true, port: -1 } }, /lanServer\.port/],
      [{ lanServer: { enabled: true, port: 80.5 } }, /lanServer\.port/],
      [{ lanServer: { enabled: true } }, /lanServer\.port/],
      [{ signalingServers: ['https://signal.example.org'] }, /starts with wss:\/\//],
      [{ signalingServers: ['wss://'] }, /starts with wss:\/\//],
      [{ signalingServers: Array(17).fill('wss://a.example.org') }, /signalingServers/],
      [{ iceServers: [{ urls: 'turn:turn.example.org' }] }, /TURN server needs a username/],
      [{ iceServers: [{ urls: 'http://stun.example.org' }] }, /starts with stun:/],
      [{ theme: 'dark' }, /theme|Unrecognized key/i],
      [null, /not valid/],
    ];
    for (const [patch, message] of invalid) {
      const attempt = store.update(patch as never);
      await expect(attempt).rejects.toBeInstanceOf(SyncSettingsError);
      await expect(attempt).rejects.toThrow(/^These sync settings are not valid: /);
      await expect(attempt).rejects.toThrow(message);
    }
    expect(store.get().lanServer).toEqual({ enabled: true, port: 50_000 });
    expect(await readFile(file, 'utf8')).toBe(saved);
    expect(heard).toHaveLength(1);
    // A refused change does not block the next one.
    expect((await store.update({ lanServer: { enabled: false, port: 50_000 } })).lanServer).toEqual(
      { enabled: false, port: 50_000 },
    );
  });

  it('apply concurrent changes one after another, none lost', async () => {
    const file = path.join(await makeTmpDir(), 'sync-settings.json');
    const { store } = await open(file);
    await Promise.all([
      store.update({ signalingServers: ['wss://one.example.org'] }),
      store.update({ iceServers: [{ urls: 'stun:stun.example.org' }] }),
      store.update({ lanServer: { enabled: false, port: 0 } }),
    ]);
    const expected = {
      lanServer: { enabled: false, port: 0 },
      lanDiscovery: true,
      signalingServers: ['wss://one.example.org'],
      iceServers: [{ urls: 'stun:stun.example.org' }],
    };
    expect(store.get()).toEqual(expected);
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual(expected);
  });

  it('read a file holding only some settings, the rest from the defaults', async () => {
    const file = path.join(await makeTmpDir(), 'sync-settings.json');
    await writeFile(file, JSON.stringify({ signalingServers: ['wss://kept.example.org'] }));
    const { store, problems } = await open(file);
    expect(store.get()).toEqual({
      ...DEFAULT_SYNC_SETTINGS,
      signalingServers: ['wss://kept.example.org'],
    });
    expect(problems).toEqual([]);
  });

  for (const [damage, content, reason] of [
    ['not JSON', '{"lanServer": {"enabled": tr', 'it is not valid JSON'],
    ['JSON null', 'null', 'it holds unexpected values'],
    [
      'a value of the wrong kind',
      JSON.stringify({ lanServer: { enabled: 'yes', port: 47_413 }, signalingServers: [] }),
      'it holds unexpected values (lanServer.enabled',
    ],
    [
      'a TURN server without its password',
      JSON.stringify({ iceServers: [{ urls: 'turn:t.example.org', username: 'a' }] }),
      'it holds unexpected values (iceServers.0: A TURN server needs a username',
    ],
  ] as const) {
    it(`keep a damaged file (${damage}) aside, say so, and work from the defaults`, async () => {
      const dir = await makeTmpDir();
      const file = path.join(dir, 'sync-settings.json');
      await writeFile(file, content);
      const { store, problems } = await open(file);
      expect(store.get()).toEqual(DEFAULT_SYNC_SETTINGS);
      const files = await readdir(dir);
      expect(files).toHaveLength(1);
      expect(files[0]).toMatch(/^sync-settings\.json\.corrupt-/);
      expect(await readFile(path.join(dir, files[0]!), 'utf8')).toBe(content);
      expect(problems).toHaveLength(1);
      expect(problems[0]).toContain(`Your sync settings (${file}) could not be used: ${reason}`);
      expect(problems[0]).toContain(
        `It was kept as ${files[0]}; default sync settings are in use.`,
      );
      // The next change writes a fresh file; the kept one stays.
      await store.update({ lanServer: { enabled: false, port: 47_413 } });
      expect((await readdir(dir)).sort()).toEqual([files[0], 'sync-settings.json'].sort());
    });
  }

  it('say so when a change cannot be saved, and keep the settings in effect', async () => {
    const dir = await makeTmpDir();
    await writeFile(path.join(dir, 'not-a-folder'), '');
    const { store, heard } = await open(path.join(dir, 'not-a-folder', 'sync-settings.json'));
    const attempt = store.update({ signalingServers: ['wss://signal.example.org'] });
    await expect(attempt).rejects.toBeInstanceOf(SyncSettingsError);
    await expect(attempt).rejects.toThrow(/^Your sync settings could not be saved: /);
    expect(store.get()).toEqual(DEFAULT_SYNC_SETTINGS);
    expect(heard).toEqual([]);
  });
});
