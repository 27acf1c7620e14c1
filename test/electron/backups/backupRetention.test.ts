/**
 * Backups keep history (issue 22): with a fake clock and a real folder, a manual backup never
 * takes an automatic one's place (nor the other way round), a backup written before a restore or
 * a deletion stays for the whole retention window beside each hour's newest, and a list on
 * screen hears of every write so it never offers a pruned backup.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { notes, renameWorkspace } from '../../../shared/model';
import {
  countRecords,
  encodeWorkspaceFile,
  type BackupReason,
} from '../../../shared/storage/workspaceFile';
import { createBackupService } from '../../../electron/main/backups/backupService';
import { useTmpDir } from '../tmpDir';

const WS = 'workspace-0001';
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

function backupOf(doc: Y.Doc, reason: BackupReason): Uint8Array {
  return encodeWorkspaceFile({
    workspaceId: WS,
    workspaceName: 'Team',
    createdAt: 0,
    reason,
    state: Y.encodeStateAsUpdate(doc),
    counts: countRecords(doc),
  });
}

describe('backup retention over time (fake clock)', () => {
  const tmp = useTmpDir();

  async function setUp() {
    const clock = { now: Date.UTC(2026, 2, 2, 9) };
    const service = createBackupService({ dir: await tmp(), now: () => clock.now });
    const doc = new Y.Doc();
    renameWorkspace(doc, 'Team');
    const changed: string[] = [];
    service.subscribe((workspaceId) => changed.push(workspaceId));
    let n = 0;
    const edit = () =>
      notes.create(doc, { actor: 'member-1', now: () => clock.now }, { title: `n${n++}` });
    const write = async (reason: BackupReason, after: number) => {
      clock.now += after;
      return service.write(backupOf(doc, reason));
    };
    const kept = async () =>
      (await service.list(WS)).entries.map(
        (e) => `${new Date(e.createdAt).toISOString().slice(5, 16)} ${e.reason}`,
      );
    return { clock, service, edit, write, kept, changed };
  }

  it('keeps a manual backup beside the hour’s newest automatic one, and a safety backup too', async () => {
    const { edit, write, kept, changed } = await setUp();
    edit();
    await write('change', 0); // 09:00
    // "Back up now" with nothing changed is still written: it is the person's own backup.
    expect((await write('manual', 10 * MINUTE)).written).toBe(true); // 09:10
    edit();
    await write('change', 10 * MINUTE); // 09:20 replaces 09:00 (same hour, same kind)
    expect(await kept()).toEqual(['03-02T09:20 change', '03-02T09:10 manual']);
    // Before emptying the trash: written though it holds what the newest holds.
    expect((await write('before-delete', 5 * MINUTE)).written).toBe(true); // 09:25
    edit();
    await write('change', 10 * MINUTE); // 09:35
    edit();
    await write('manual', 5 * MINUTE); // 09:40 replaces the 09:10 manual one
    edit();
    await write('change', 10 * MINUTE); // 09:50
    expect(await kept()).toEqual([
      '03-02T09:50 change',
      '03-02T09:40 manual',
      '03-02T09:25 before-delete',
    ]);
    // An automatic backup of content a backup already holds is still skipped.
    expect((await write('change', MINUTE)).written).toBe(false);
    expect(changed).toHaveLength(7);
  });

  it('keeps safety backups for the retention window, then lets them go', async () => {
    const { edit, write, kept } = await setUp();
    edit();
    await write('before-restore', 0); // 03-02 09:00
    edit();
    await write('before-restore', 20 * MINUTE); // 09:20: a second restore the same hour
    edit();
    await write('change', 20 * MINUTE); // 09:40
    // Two days on, one backup a day later: the hour's automatic backup is now a day's one, the
    // safety backups stay.
    edit();
    await write('change', 2 * DAY);
    expect(await kept()).toEqual([
      '03-04T09:40 change',
      '03-02T09:40 change',
      '03-02T09:20 before-restore',
      '03-02T09:00 before-restore',
    ]);
    edit();
    await write('change', 29 * DAY);
    expect(await kept()).toEqual(['04-02T09:40 change', '03-04T09:40 change']);
  });

  it('tells listeners only when a backup was written', async () => {
    const { edit, write, changed } = await setUp();
    edit();
    await write('change', 0);
    await write('change', MINUTE);
    expect(changed).toEqual([WS]);
  });
});
