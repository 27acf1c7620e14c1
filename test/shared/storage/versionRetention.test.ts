import { describe, expect, it } from 'vitest';
import { versionsToDrop, type StoredVersionInfo } from '../../../shared/storage/versionRetention';

function versions(record: string, count: number, firstId: number, size = 10): StoredVersionInfo[] {
  return Array.from({ length: count }, (_, i) => ({
    id: firstId + i,
    record,
    takenAt: 1_000 + (firstId + i) * 60_000,
    size,
  }));
}

describe('version retention', () => {
  it('keeps the newest versions of each record up to the limit and drops the oldest', () => {
    const all = [...versions('note:a', 60, 0), ...versions('note:b', 3, 100)];
    const drop = versionsToDrop(all, { perRecord: 50, maxBytes: Infinity });
    expect(drop).toEqual(Array.from({ length: 10 }, (_, i) => i));
  });

  it('drops the oldest versions across records to fit the size cap, never a record’s newest', () => {
    const all = [...versions('note:a', 5, 0, 100), ...versions('note:b', 1, 10, 1_000)];
    // 1,500 bytes stored; 450 allowed: b's only version stays though it is over the cap alone.
    const drop = versionsToDrop(all, { perRecord: 50, maxBytes: 450 });
    expect(drop).toEqual([0, 1, 2, 3]);
  });

  it('orders versions taken at the same time by id', () => {
    const same = [0, 1, 2].map((id) => ({ id, record: 'note:a', takenAt: 5, size: 1 }));
    expect(versionsToDrop(same, { perRecord: 1, maxBytes: Infinity })).toEqual([0, 1]);
  });
});
