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

  it('keeps each kind apart: automatic and manual per hour and day, every safety backup for the month', () => {
    const at = (hoursAgo: number) => now - hoursAgo * HOUR;
    const items = [
      { id: 'auto-new', createdAt: at(0.1), bytes: 1, reason: 'change' },
      { id: 'auto-old', createdAt: at(0.2), bytes: 1, reason: 'quit' },
      { id: 'manual-new', createdAt: at(0.3), bytes: 1, reason: 'manual' },
      { id: 'manual-old', createdAt: at(0.4), bytes: 1, reason: 'export' },
      { id: 'safety-1', createdAt: at(0.25), bytes: 1, reason: 'before-delete' },
      { id: 'safety-2', createdAt: at(0.35), bytes: 1, reason: 'before-restore' },
      { id: 'day-auto', createdAt: at(48), bytes: 1, reason: 'change' },
      { id: 'day-manual', createdAt: at(48.1), bytes: 1, reason: 'manual' },
      { id: 'day-safety', createdAt: at(48.2), bytes: 1, reason: 'before-delete' },
      { id: 'old-safety', createdAt: at(31 * 24), bytes: 1, reason: 'before-restore' },
    ];
    expect(backupsToDelete(items, now).sort()).toEqual(['auto-old', 'manual-old', 'old-safety']);
  });
});
