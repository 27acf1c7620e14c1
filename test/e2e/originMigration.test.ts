/**
 * The desktop's move from the file:// origin to app://, across two real origins in Chromium:
 * Ana uses Outpost on one origin (a companion on one port, standing in for the old file://
 * page) with her data encrypted by a passphrase; the export script the main process runs in its
 * hidden old-origin window (electron/main/migration/exportScript.ts) reads that origin's
 * databases; a second companion (another port: another origin, standing in for app://) is handed
 * the export as the main process keeps it, and its page takes it over at start. Ana's
 * passphrase opens it, her note is there, and the record of the move says done. The Electron
 * orchestration itself is tested with the fake surface (test/electron/migration/).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import {
  SKIP_REASON,
  chromiumAvailable,
  onboard,
  startApp,
  unlock,
  type RunningApp,
  writeNote,
} from './harness';
import { EXPORT_SCRIPT } from '../../electron/main/migration/exportScript';
import { createOriginMigration } from '../../electron/main/migration/originMigration';

if (!chromiumAvailable()) console.warn(SKIP_REASON);

const PASSPHRASE = 'moving day passphrase';
const TEXT = 'The Porto flat keys are with Inês at the café';

describe.runIf(chromiumAvailable())('moving IndexedDB to a new origin in Chromium', () => {
  const apps: RunningApp[] = [];
  afterAll(async () => {
    for (const app of apps) await app.close();
  });

  it('takes over every database of the old origin at the first start of the new one', async () => {
    const old = await startApp();
    apps.push(old);
    await onboard(old.page, 'Ana', PASSPHRASE);
    await writeNote(old.page, 'Porto', TEXT);
    await old.page.getByRole('option', { name: /Porto/ }).waitFor();
    const exported = (await old.page.evaluate(EXPORT_SCRIPT)) as string;
    const names = (JSON.parse(exported) as { databases: { name: string }[] }).databases.map(
      (database) => database.name,
    );
    expect(names).toContain('outpost-device');
    expect(names.some((name) => name.startsWith('outpost-ws-'))).toBe(true);
    await old.browser.close();

    const moved = await startApp({
      prepareDataDir: async (dataDir) => {
        const migration = await createOriginMigration({ dataDir, log: () => {} });
        await migration.saveExport(exported);
      },
    });
    apps.push(moved);
    expect(new URL(moved.companion.url).origin).not.toBe(new URL(old.companion.url).origin);
    // The moved device state still says a passphrase protects it: its sealed rows came along.
    await unlock(moved.page, PASSPHRASE);
    await moved.page.getByRole('option', { name: /Porto/ }).click();
    await moved.page.getByLabel('Note body').getByText(TEXT).waitFor();

    const record = JSON.parse(
      await readFile(path.join(moved.dataDir, 'origin-migration.json'), 'utf8'),
    ) as { state: string; imported: number; skipped: string[] };
    expect(record).toMatchObject({ state: 'done', imported: names.length, skipped: [] });
    await expect(stat(path.join(moved.dataDir, 'migration', 'file-origin.json'))).rejects.toThrow();
    expect(moved.errors).toEqual([]);
  });
});
