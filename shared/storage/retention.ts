/**
 * Which backups to keep: the newest of each hour for a day, the newest of each day for a month,
 * and nothing older; then, if they still take more room than the cap, the oldest go first. The
 * newest backup is always kept, whatever its size or age. Pure: the clock is an argument.
 *
 * Backups come in three kinds, and one never takes another's place: automatic ones (after
 * changes, on quit), ones the person asked for ("Back up now", an export), and safety backups
 * written just before a restore or a large deletion. An hour (or a day) keeps the newest
 * automatic backup and the newest manual one; every safety backup is kept for the whole month,
 * since it holds what a restore or a deletion took away.
 */

export interface RetentionPolicy {
  /** Keep one backup per hour for this long (ms). */
  readonly hourlyForMs: number;
  /** Keep one backup per day for this long (ms). */
  readonly dailyForMs: number;
  /** Total bytes the backups of one workspace may take. */
  readonly maxBytes: number;
}

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;

export const DEFAULT_RETENTION: RetentionPolicy = {
  hourlyForMs: DAY,
  dailyForMs: 30 * DAY,
  maxBytes: 500 * 1024 * 1024,
};

export interface RetainedItem {
  readonly id: string;
  readonly createdAt: number;
  readonly bytes: number;
  /** Why it was written (shared/storage/workspaceFile.ts `BackupReason`); automatic if absent. */
  readonly reason?: string;
}

type BackupKind = 'automatic' | 'manual' | 'safety';

/** Which kind of backup a reason makes. */
export function backupKind(reason: string | undefined): BackupKind {
  if (reason === 'manual' || reason === 'export') return 'manual';
  if (reason === 'before-restore' || reason === 'before-delete') return 'safety';
  return 'automatic';
}

/** The ids to delete under the policy, oldest first. */
export function backupsToDelete(
  items: readonly RetainedItem[],
  now: number,
  policy: RetentionPolicy = DEFAULT_RETENTION,
): string[] {
  const newestFirst = [...items].sort(
    (a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1),
  );
  const keep = new Set<string>();
  const buckets = new Set<string>();
  newestFirst.forEach((item, index) => {
    const period = bucketOf(item.createdAt, now, policy);
    const kind = backupKind(item.reason);
    // A safety backup is its own bucket: none replaces another.
    const bucket = kind === 'safety' ? `safety:${item.id}` : `${kind}:${period}`;
    if (index > 0 && (period === 'expired' || buckets.has(bucket))) return;
    buckets.add(bucket);
    keep.add(item.id);
  });
  // Size cap: drop the oldest kept backups (never the newest) until the rest fit.
  let total = newestFirst.filter((item) => keep.has(item.id)).reduce((s, i) => s + i.bytes, 0);
  for (let i = newestFirst.length - 1; i > 0 && total > policy.maxBytes; i--) {
    const item = newestFirst[i]!;
    if (!keep.has(item.id)) continue;
    keep.delete(item.id);
    total -= item.bytes;
  }
  return newestFirst
    .filter((item) => !keep.has(item.id))
    .reverse()
    .map((item) => item.id);
}

function bucketOf(createdAt: number, now: number, policy: RetentionPolicy): string {
  const age = now - createdAt;
  // A backup from the future (clock changed) counts as recent rather than being lost.
  if (age < policy.hourlyForMs) return `h${Math.floor(createdAt / HOUR)}`;
  if (age < policy.dailyForMs) return `d${Math.floor(createdAt / DAY)}`;
  return 'expired';
}
