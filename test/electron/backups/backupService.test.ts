import { describe, expect, it } from 'vitest';
import * as fsPromises from 'node:fs/promises';
import { readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as Y from 'yjs';
import { notes, renameWorkspace } from '../../../shared/model';
import {
  countRecords,
  decodeWorkspaceFile,
  encodeWorkspaceFile,
  type BackupReason,
} from '../../../shared/storage/workspaceFile';
import {
  BackupError,
  createBackupService,
  type BackupFs,
} from '../../../electron/main/backups/backupService';
import { damage, randomBytes, seededRandom } from '../../shared/storage/seeded';
import { useTmpDir } from '../tmpDir';

const WS = 'workspace-0001';
const ctx = { actor: 'member-1', now: () => 1 };
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

function backupOf(doc: Y.Doc, reason: BackupReason = 'change', workspaceId = WS): Uint8Array {
  return encodeWorkspaceFile({
    workspaceId,
    workspaceName: 'Team',
    createdAt: 0,
    reason,
    state: Y.encodeStateAsUpdate(doc),
    counts: countRecords(doc),
  });
}

function docWith(count: number): Y.Doc {
  const doc = new Y.Doc();
  renameWorkspace(doc, 'Team');
  for (let i = 0; i < count; i++) notes.create(doc, ctx, { title: `Note ${i}` });
  return doc;
}

describe('backup service', () => {
  const tmp = useTmpDir();

  it('writes, lists and reads back backups, skipping one identical to the newest', async () => {
    const dir = await tmp();
    let clock = Date.UTC(2026, 0, 10, 9);
    const service = createBackupService({ dir, now: () => clock });
    const doc = docWith(3);
    const first = await service.write(backupOf(doc));
    expect(first.written).toBe(true);
    clock += 60_000;
    expect((await service.write(backupOf(doc))).written).toBe(false);
    notes.create(doc, ctx, { title: 'Another' });
    clock += HOUR;
    const second = await service.write(backupOf(doc, 'quit'));
    expect(second.written).toBe(true);
    const list = await service.list(WS);
    expect(list.entries.map((e) => [e.reason, e.counts.notes])).toEqual([
      ['quit', 4],
      ['change', 3],
    ]);
    expect(list.entries[0]!.id).toMatch(/^20260110T100100000Z-quit\.outpost$/);
    expect(list.folder).toBe(path.join(dir, WS));
    const read = decodeWorkspaceFile(await service.read(WS, list.entries[1]!.id));
    expect(read.ok && read.value.header.counts.notes).toBe(3);
    // A fresh service (after a restart) still recognises the newest content.
    const restarted = createBackupService({ dir, now: () => clock + 1000 });
    expect((await restarted.write(backupOf(doc))).written).toBe(false);
  });

  it('keeps hourly backups for a day and daily ones for a month as time passes', async () => {
    const dir = await tmp();
    const start = Date.UTC(2026, 0, 1);
    let clock = start;
    const service = createBackupService({ dir, now: () => clock });
    const doc = docWith(1);
    // A change every 11 hours for 38 days, then every 40 minutes for the last 30 hours.
    const times: number[] = [];
    for (let t = 0; t < 38 * DAY; t += 11 * HOUR) times.push(t);
    for (let t = 38 * DAY; t < 38 * DAY + 30 * HOUR; t += 40 * 60_000) times.push(t);
    for (const t of times) {
      clock = start + t;
      notes.create(doc, ctx, { title: `n${t}` });
      await service.write(backupOf(doc));
    }
    const { entries } = await service.list(WS);
    const ages = entries.map((e) => clock - e.createdAt);
    expect(ages.every((age) => age < 30 * DAY)).toBe(true);
    expect(ages.filter((age) => age < DAY).length).toBeLessThanOrEqual(25);
    expect(ages.filter((age) => age < DAY).length).toBeGreaterThanOrEqual(23);
    expect(entries.length).toBeGreaterThan(30);
    expect(entries.length).toBeLessThanOrEqual(25 + 31);
  }, 30_000);

  it('reports a full disk clearly, leaves no partial file, and writes again once there is room', async () => {
    const dir = await tmp();
    let full = true;
    const fs: BackupFs = {
      ...fsPromises,
      open: (async (file: string, flags?: string, mode?: number) => {
        const handle = await fsPromises.open(file, flags, mode);
        // Only the backup file is opened for writing ('wx', a fresh temporary file).
        if (!flags?.startsWith('w') || !full) return handle;
        return Object.assign(Object.create(handle) as fsPromises.FileHandle, {
          writeFile: async () => {
            throw Object.assign(new Error('ENOSPC: no space left on device, write'), {
              code: 'ENOSPC',
            });
          },
          close: () => handle.close(),
        });
      }) as BackupFs['open'],
    };
    const service = createBackupService({ dir, fs });
    const doc = docWith(2);
    const failure = await service.write(backupOf(doc)).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(BackupError);
    expect((failure as BackupError).code).toBe('disk-full');
    expect((failure as BackupError).message).toMatch(/disk is full.*still saved in Outpost/);
    expect(await readdir(path.join(dir, WS))).toEqual([]);
    full = false;
    expect((await service.write(backupOf(doc))).written).toBe(true);
  });

  it('refuses a damaged backup without writing anything', async () => {
    const dir = await tmp();
    const service = createBackupService({ dir });
    const good = backupOf(docWith(1));
    const failure = await service.write(good.slice(0, good.length - 3)).catch((e: unknown) => e);
    expect((failure as BackupError).code).toBe('invalid-backup');
    expect((failure as BackupError).message).toMatch(/incomplete/);
    await expect(readdir(dir)).resolves.toEqual([]);
  });

  it('lists around 200 seeded random or damaged backup files without failing, and none of them restores', async () => {
    const seed = Number(process.env.OUTPOST_SEED ?? 4242);
    const random = seededRandom(seed);
    const dir = await tmp();
    const service = createBackupService({ dir, now: () => Date.UTC(2026, 0, 1) });
    const good = backupOf(docWith(2));
    await service.write(good);
    const folder = path.join(dir, WS);
    for (let i = 0; i < 200; i++) {
      const bytes = i % 2 === 0 ? randomBytes(random, 400) : damage(random, good);
      await writeFile(
        path.join(folder, `20250101T0000${String(i).padStart(5, '0')}Z-change.outpost`),
        bytes,
      );
    }
    const list = await service.list(WS);
    expect(list.entries.length + list.damaged.length, `seed ${seed}`).toBe(201);
    expect(list.entries.some((entry) => entry.counts.notes === 2)).toBe(true);
    for (const entry of [...list.entries, ...list.damaged]) {
      const bytes = await service.read(WS, entry.id);
      const decoded = decodeWorkspaceFile(bytes);
      if (decoded.ok) expect(bytes, `seed ${seed} ${entry.id}`).toEqual(good);
    }
  });
});
