import { describe, expect, it } from 'vitest';
import { backupsToDelete, DEFAULT_RETENTION } from '../../../shared/storage/retention';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const now = Date.UTC(2026, 5, 15, 12, 30);

describe('backup retention', () => {
  it('keeps one per hour for a day, one per day for a month, and nothing older', () => {
    // One backup every 10 minutes for 40 days.
    const items = Array.from({ length: 40 * 24 * 6 }, (_, i) => ({
      id: `b${i}`,
      createdAt: now - i * 10 * 60 * 1000,
      bytes: 1000,
    }));
    const deleted = new Set(backupsToDelete(items, now));
    const kept = items.filter((item) => !deleted.has(item.id));
    expect(kept[0]!.id).toBe('b0');
    const hourly = kept.filter((item) => now - item.createdAt < DAY);
    const daily = kept.filter((item) => now - item.createdAt >= DAY);
    expect(hourly.length).toBeGreaterThanOrEqual(24);
    expect(hourly.length).toBeLessThanOrEqual(25);
    expect(daily.length).toBeGreaterThanOrEqual(29);
    expect(daily.length).toBeLessThanOrEqual(31);
    expect(kept.every((item) => now - item.createdAt < 30 * DAY)).toBe(true);
    // Each kept hourly backup is the newest of its hour.
    for (const item of hourly) {
      const sameHour = items.filter(
        (other) => Math.floor(other.createdAt / HOUR) === Math.floor(item.createdAt / HOUR),
      );
      expect(Math.max(...sameHour.map((other) => other.createdAt))).toBe(item.createdAt);
    }
  });

  it('drops the oldest to fit the size cap but always keeps the newest', () => {
    const items = Array.from({ length: 10 }, (_, i) => ({
      id: `b${i}`,
      createdAt: now - i * HOUR,
      bytes: 100,
    }));
    const deleted = backupsToDelete(items, now, { ...DEFAULT_RETENTION, maxBytes: 350 });
    expect(deleted).toEqual(['b9', 'b8', 'b7', 'b6', 'b5', 'b4', 'b3']);
    const huge = backupsToDelete([{ id: 'only', createdAt: now, bytes: 10_000 }], now, {
      ...DEFAULT_RETENTION,
      maxBytes: 1,
    });
    expect(huge).toEqual([]);
  });

  it('keeps a backup dated in the future (clock changed) rather than losing it', () => {
    const deleted = backupsToDelete(
      [
        { id: 'future', createdAt: now + 5 * DAY, bytes: 1 },
        { id: 'now', createdAt: now, bytes: 1 },
      ],
      now,
    );
    expect(deleted).toEqual([]);
  });
});
