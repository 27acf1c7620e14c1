import { describe, expect, it } from 'vitest';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import * as Y from 'yjs';
import { notes, renameWorkspace } from '../../../shared/model';
import { countRecords, encodeWorkspaceFile } from '../../../shared/storage/workspaceFile';
import { createIpcDispatch } from '../../../shared/ipc/dispatch';
import { createHandlers } from '../../../electron/main/handlers';
import { createBackupService } from '../../../electron/main/backups/backupService';
import { installQuitBackup } from '../../../electron/main/backups/quitBackup';
import type { SettingsStore } from '../../../electron/main/settingsStore';
import { FakeEmitter, FakeEvent } from '../fakeElectron';
import { useTmpDir } from '../tmpDir';

const settings = {
  get: () => ({ theme: 'system', closeToTray: true }),
} as unknown as SettingsStore;

function workspaceFile(): string {
  const doc = new Y.Doc();
  renameWorkspace(doc, 'Team');
  notes.create(doc, { actor: 'm-1' }, { title: 'Hello' });
  const bytes = encodeWorkspaceFile({
    workspaceId: 'workspace-0001',
    workspaceName: 'Team',
    createdAt: 1,
    reason: 'manual',
    state: Y.encodeStateAsUpdate(doc),
    counts: countRecords(doc),
  });
  return Buffer.from(bytes).toString('base64');
}

describe('backups IPC', () => {
  const tmp = useTmpDir();

  async function setup(chosen: string | null) {
    const dir = await tmp();
    const dispatch = createIpcDispatch(
      createHandlers({
        info: { name: 'Outpost', version: '1', platform: 'linux', shell: 'electron' },
        settings,
        openExternal: async () => {},
        broadcast: () => {},
        backups: createBackupService({ dir: path.join(dir, 'backups') }),
        chooseFolder: async () => chosen,
      }),
      { isTrustedSender: () => true },
    );
    return { dir, dispatch };
  }

  it('writes, lists and reads a backup through the contract', async () => {
    const { dispatch } = await setup(null);
    const file = workspaceFile();
    const written = await dispatch('backups:write', null, { file });
    expect(written).toMatchObject({ ok: true, value: { written: true } });
    const list = await dispatch('backups:list', null, { workspaceId: 'workspace-0001' });
    expect(list.ok).toBe(true);
    const entries = (list as { value: { entries: Array<{ id: string }> } }).value.entries;
    expect(entries).toHaveLength(1);
    const read = await dispatch('backups:read', null, {
      workspaceId: 'workspace-0001',
      id: entries[0]!.id,
    });
    expect(read).toEqual({ ok: true, value: { file } });
    const bad = await dispatch('backups:write', null, {
      file: Buffer.from('hello').toString('base64'),
    });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid-backup' } });
    const traversal = await dispatch('backups:read', null, {
      workspaceId: 'workspace-0001',
      id: '../x.outpost',
    });
    expect(traversal).toMatchObject({ ok: false, error: { code: 'invalid-argument' } });
  });

  it('saves an export file and a Markdown folder into the chosen folder, never overwriting', async () => {
    const target = await tmp();
    const { dispatch } = await setup(target);
    const file = workspaceFile();
    const first = await dispatch('backups:saveFile', null, {
      file,
      fileName: 'Team 2026-01-01.outpost',
    });
    const second = await dispatch('backups:saveFile', null, {
      file,
      fileName: 'Team 2026-01-01.outpost',
    });
    expect(first).toMatchObject({ ok: true, value: { canceled: false } });
    expect((await readdir(target)).sort()).toEqual([
      'Team 2026-01-01 (2).outpost',
      'Team 2026-01-01.outpost',
    ]);
    expect(second.ok).toBe(true);
    const markdown = await dispatch('backups:saveMarkdown', null, {
      folderName: 'Team',
      files: [
        { path: 'README.md', content: '# Team' },
        { path: 'notes/hello-abc.md', content: 'Hello' },
      ],
    });
    expect(markdown).toMatchObject({
      ok: true,
      value: { canceled: false, path: path.join(target, 'Team') },
    });
    await expect(
      readFile(path.join(target, 'Team', 'notes', 'hello-abc.md'), 'utf8'),
    ).resolves.toBe('Hello');
    const escape = await dispatch('backups:saveMarkdown', null, {
      folderName: 'Team',
      files: [{ path: '../outside.md', content: 'x' }],
    });
    expect(escape).toMatchObject({ ok: false, error: { code: 'invalid-argument' } });
  });

  it('reports a cancelled dialog and answers web mode (no dialog) with a clear message', async () => {
    const { dispatch } = await setup(null);
    const canceled = await dispatch('backups:saveFile', null, {
      file: workspaceFile(),
      fileName: 'x',
    });
    expect(canceled).toEqual({ ok: true, value: { canceled: true } });
    const web = createIpcDispatch(
      createHandlers({
        info: { name: 'Outpost', version: '1', platform: 'linux', shell: 'web' },
        settings,
        openExternal: async () => {},
        broadcast: () => {},
      }),
      { isTrustedSender: () => true },
    );
    const unsupported = await web('backups:saveFile', null, {
      file: workspaceFile(),
      fileName: 'x',
    });
    expect(unsupported).toMatchObject({ ok: false, error: { code: 'unsupported' } });
    const unavailable = await web('backups:list', null, { workspaceId: 'workspace-0001' });
    expect(unavailable).toMatchObject({ ok: false, error: { code: 'unavailable' } });
  });

  it('holds a quit until the window has handed over its last backup', async () => {
    const dir = await tmp();
    const service = createBackupService({ dir });
    const app = Object.assign(new FakeEmitter(), {
      quits: 0,
      quit() {
        this.quits++;
      },
    });
    let asked = 0;
    installQuitBackup({
      app: app as never,
      service,
      requestBackup: () => {
        asked++;
        return true;
      },
      timeoutMs: 5000,
    });
    const event = new FakeEvent();
    app.emit('before-quit', event);
    expect(event.defaultPrevented).toBe(true);
    expect(asked).toBe(1);
    expect(app.quits).toBe(0);
    await service.write(Buffer.from(workspaceFile(), 'base64'));
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(app.quits).toBe(1);
    const again = new FakeEvent();
    app.emit('before-quit', again);
    expect(again.defaultPrevented).toBe(false);
  });
});
