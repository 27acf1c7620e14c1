/**
 * What the main process (and the web companion, which builds the same services) writes to its data
 * folder is private to the account: files 0600, folders 0700, also when an older Outpost or the
 * person left the folder and a settings file readable by everyone (issue 17). POSIX modes only:
 * Windows keeps no such bits.
 */
import { chmod, mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { createMainServices } from '../../../electron/main/services';
import { writeFileAtomic, writeFileAtomicSync } from '../../../electron/main/jsonFile';
import { renameWorkspace } from '../../../shared/model';
import { countRecords, encodeWorkspaceFile } from '../../../shared/storage/workspaceFile';
import { useTmpDir } from '../tmpDir';

const posix = process.platform !== 'win32';

/** Every file and folder under `root` (root included) with its permission bits. */
async function modesUnder(root: string): Promise<Map<string, number>> {
  const modes = new Map<string, number>([['.', (await stat(root)).mode & 0o777]]);
  for (const entry of await readdir(root, { recursive: true })) {
    modes.set(entry, (await stat(path.join(root, entry))).mode & 0o777);
  }
  return modes;
}

function expectPrivate(modes: Map<string, number>, folders: ReadonlySet<string>): void {
  for (const [entry, mode] of modes) {
    const want = folders.has(entry) ? 0o700 : 0o600;
    expect(mode.toString(8), entry).toBe(want.toString(8));
  }
}

describe.runIf(posix)('file modes of what Outpost writes', () => {
  const tmp = useTmpDir();

  it('keeps settings, timer, sync settings and backups 0600 in 0700 folders', async () => {
    const dataDir = path.join(await tmp(), 'userData');
    // As an older Outpost (or a umask of 022) left them: readable by every account.
    await mkdir(path.join(dataDir, 'backups'), { recursive: true, mode: 0o755 });
    await chmod(dataDir, 0o755);
    await chmod(path.join(dataDir, 'backups'), 0o755);
    await writeFile(path.join(dataDir, 'settings.json'), '{}\n', { mode: 0o644 });

    const services = await createMainServices({
      dataDir,
      info: { name: 'Outpost', version: '0.0.0', platform: process.platform, shell: 'electron' },
      syncNetwork: { host: '127.0.0.1', port: 0, discovery: false },
      onProblem: () => undefined,
      log: () => undefined,
      broadcast: () => undefined,
      openExternal: () => Promise.resolve(),
    });
    try {
      await services.settings.update({ theme: 'dark' });
      await services.syncSettings.update({ iceServers: [] });
      services.focus.flushSync();
      const doc = new Y.Doc();
      renameWorkspace(doc, 'Team');
      await services.backups.write(
        encodeWorkspaceFile({
          workspaceId: 'workspace-0001',
          workspaceName: 'Team',
          createdAt: 0,
          reason: 'change',
          state: Y.encodeStateAsUpdate(doc),
          counts: countRecords(doc),
        }),
      );
    } finally {
      await services.close();
    }

    const modes = await modesUnder(dataDir);
    expect([...modes.keys()]).toEqual(
      expect.arrayContaining([
        'settings.json',
        'sync-settings.json',
        'focus.json',
        path.join('backups', 'workspace-0001'),
      ]),
    );
    const folders = new Set(['.', 'backups', path.join('backups', 'workspace-0001')]);
    expect(
      [...modes.keys()].filter((entry) => entry.startsWith(path.join('backups', 'workspace-0001'))),
    ).toHaveLength(2);
    expectPrivate(modes, folders);
  });

  it('creates missing folders 0700 for the atomic JSON writes, also the synchronous one', async () => {
    const root = await tmp();
    await writeFileAtomic(path.join(root, 'a', 'b', 'window-state.json'), '{}');
    writeFileAtomicSync(path.join(root, 'c', 'focus.json'), '{}');
    const modes = await modesUnder(root);
    modes.delete('.');
    expectPrivate(modes, new Set(['a', path.join('a', 'b'), 'c']));
  });
});
