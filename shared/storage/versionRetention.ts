/**
 * How many versions of notes and decisions a device keeps (version history): the newest
 * `perRecord` of each record, and, across the workspace, no more than `maxBytes`, dropping the
 * oldest versions first but never a record's newest. Pure: the caller lists what is stored.
 */

export interface VersionRetentionPolicy {
  /** Versions kept per note or decision. */
  readonly perRecord: number;
  /** Bytes all versions of one workspace may take. */
  readonly maxBytes: number;
}

export const DEFAULT_VERSION_RETENTION: VersionRetentionPolicy = {
  perRecord: 50,
  maxBytes: 50 * 1024 * 1024,
};

export interface StoredVersionInfo {
  readonly id: number;
  /** `note:<id>` or `decision:<id>`. */
  readonly record: string;
  readonly takenAt: number;
  readonly size: number;
}

/** The ids of versions to delete under the policy, oldest first. */
export function versionsToDrop(
  versions: readonly StoredVersionInfo[],
  policy: VersionRetentionPolicy = DEFAULT_VERSION_RETENTION,
): number[] {
  // Newest first; the store's ids grow with time, so they break ties between equal times.
  const newestFirst = [...versions].sort((a, b) => b.takenAt - a.takenAt || b.id - a.id);
  const seen = new Map<string, number>();
  const drop = new Set<number>();
  const newestOfRecord = new Set<number>();
  for (const version of newestFirst) {
    const count = (seen.get(version.record) ?? 0) + 1;
    seen.set(version.record, count);
    if (count === 1) newestOfRecord.add(version.id);
    if (count > policy.perRecord) drop.add(version.id);
  }
  let total = newestFirst.reduce((sum, v) => (drop.has(v.id) ? sum : sum + v.size), 0);
  for (let i = newestFirst.length - 1; i >= 0 && total > policy.maxBytes; i--) {
    const version = newestFirst[i]!;
    if (drop.has(version.id) || newestOfRecord.has(version.id)) continue;
    drop.add(version.id);
    total -= version.size;
  }
  return newestFirst
    .filter((v) => drop.has(v.id))
    .reverse()
    .map((v) => v.id);
}
