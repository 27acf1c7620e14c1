import { afterEach, describe, expect, it } from 'vitest';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createMarkdownExporter } from '../../../electron/main/notesExport';
import { createIpcDispatch, IpcUserError } from '../../../shared/ipc/dispatch';
import { createHandlers } from '../../../electron/main/handlers';

const folders: string[] = [];
async function tmp(): Promise<string> {
  const folder = await mkdtemp(path.join(tmpdir(), 'outpost-export-'));
  folders.push(folder);
  return folder;
}
afterEach(async () => {
  await Promise.all(
    folders.splice(0).map((folder) => rm(folder, { recursive: true, force: true })),
  );
});

describe('notes:exportMarkdown', () => {
  it('writes every file into the folder picked in the dialog, never overwriting', async () => {
    const folder = await tmp();
    await writeFile(path.join(folder, 'Plan.md'), 'already here');
    const asked: string[] = [];
    const exporter = createMarkdownExporter({
      chooseFolder: async ({ title }) => {
        asked.push(title);
        return folder;
      },
    });
    const result = await exporter({
      files: [
        { name: 'Plan.md', content: '---\ntitle: "Plan"\n---\n\nnew' },
        { name: 'Trip.md', content: 'trip' },
      ],
    });
    expect(result).toEqual({ canceled: false, folder, written: 2 });
    expect(asked).toEqual(['Export notes as Markdown']);
    expect((await readdir(folder)).sort()).toEqual(['Plan (2).md', 'Plan.md', 'Trip.md']);
    await expect(readFile(path.join(folder, 'Plan.md'), 'utf8')).resolves.toBe('already here');
    await expect(readFile(path.join(folder, 'Plan (2).md'), 'utf8')).resolves.toContain('new');
  });

  it('writes nothing when the dialog is canceled', async () => {
    const exporter = createMarkdownExporter({ chooseFolder: async () => null });
    await expect(exporter({ files: [{ name: 'a.md', content: 'x' }] })).resolves.toEqual({
      canceled: true,
    });
  });

  it('reports a folder it cannot write to with a readable message', async () => {
    const folder = path.join(await tmp(), 'missing', 'deeper');
    const exporter = createMarkdownExporter({ chooseFolder: async () => folder });
    const error = await exporter({ files: [{ name: 'a.md', content: 'x' }] }).catch((e) => e);
    expect(error).toBeInstanceOf(IpcUserError);
    expect((error as IpcUserError).message).toMatch(/Could not write “a.md” .*ENOENT.*0 of 1/);
  });

  it('refuses path tricks and duplicate names before any dialog opens', async () => {
    let opened = 0;
    const handlers = createHandlers({
      info: { name: 'Outpost', version: 't', platform: 'linux', shell: 'electron' },
      settings: {} as never,
      openExternal: async () => {},
      broadcast: () => {},
      chooseFolder: async () => {
        opened++;
        return await tmp();
      },
    });
    const dispatch = createIpcDispatch(handlers, { isTrustedSender: () => true });
    for (const files of [
      [{ name: '../evil.md', content: 'x' }],
      [{ name: 'a/b.md', content: 'x' }],
      [{ name: 'noext', content: 'x' }],
      [{ name: '..md', content: 'x' }],
      [
        { name: 'Same.md', content: 'x' },
        { name: 'same.md', content: 'y' },
      ],
      [],
    ]) {
      const result = await dispatch('notes:exportMarkdown', {}, { files });
      expect(result).toMatchObject({ ok: false, error: { code: 'invalid-argument' } });
    }
    expect(opened).toBe(0);
  });

  it('answers "unsupported" where there is no folder picker (web mode downloads instead)', async () => {
    const exporter = createMarkdownExporter({});
    const error = await exporter({ files: [{ name: 'a.md', content: 'x' }] }).catch((e) => e);
    expect(error).toMatchObject({ code: 'unsupported' });
  });
});
