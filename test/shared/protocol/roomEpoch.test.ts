import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createWorkspaceSecrets } from '../../../shared/protocol/keys';
import {
  deriveEpochRoomName,
  deriveRoomName,
  nextRoomChangeAt,
  ROOM_GRACE_MS,
  roomEpochAt,
  roomEpochsAt,
  roomNamesAt,
} from '../../../shared/protocol/roomEpoch';

const vectorKey = Uint8Array.from({ length: 32 }, (_, i) => 0x20 + i);
const utc = (text: string) => Date.parse(text);

describe('ISO weeks in UTC', () => {
  it('numbers weeks as ISO 8601 does, across year ends and 53-week years', () => {
    const cases: Array<[string, string]> = [
      ['2026-12-03T18:00:00Z', '2026-W49'],
      ['2026-12-31T23:59:59Z', '2026-W53'], // 2026 starts on a Thursday: it has 53 weeks
      ['2027-01-03T12:00:00Z', '2026-W53'], // a Sunday still in the old year's last week
      ['2027-01-04T00:00:00Z', '2027-W01'],
      ['2019-12-30T00:00:00Z', '2020-W01'], // a Monday already in next year's first week
      ['2021-01-03T23:00:00Z', '2020-W53'],
      ['2024-12-30T00:00:00Z', '2025-W01'],
      ['1970-01-01T00:00:00Z', '1970-W01'],
      ['1969-12-29T00:00:00Z', '1970-W01'],
      ['1969-12-28T23:59:59Z', '1969-W52'],
    ];
    for (const [at, week] of cases) expect(roomEpochAt(utc(at)).week, at).toBe(week);
  });

  it('starts every week on Monday 00:00 UTC, whatever the device time zone', () => {
    const epoch = roomEpochAt(utc('2026-12-03T18:00:00Z'));
    expect(new Date(epoch.start).toISOString()).toBe('2026-11-30T00:00:00.000Z');
    expect(new Date(epoch.end).toISOString()).toBe('2026-12-07T00:00:00.000Z');
    expect(roomEpochAt(epoch.end - 1).week).toBe('2026-W49');
    expect(roomEpochAt(epoch.end).week).toBe('2026-W50');
  });

  it("stays in last week's room for the grace period only", () => {
    const monday = utc('2026-12-07T00:00:00Z');
    expect(roomEpochsAt(monday - 1).map((e) => e.week)).toEqual(['2026-W49']);
    expect(roomEpochsAt(monday).map((e) => e.week)).toEqual(['2026-W50', '2026-W49']);
    expect(roomEpochsAt(monday + ROOM_GRACE_MS - 1).map((e) => e.week)).toEqual([
      '2026-W50',
      '2026-W49',
    ]);
    expect(roomEpochsAt(monday + ROOM_GRACE_MS).map((e) => e.week)).toEqual(['2026-W50']);
    // The changes are announced: end of grace, then the next Monday.
    expect(nextRoomChangeAt(monday - 1)).toBe(monday);
    expect(nextRoomChangeAt(monday)).toBe(monday + ROOM_GRACE_MS);
    expect(nextRoomChangeAt(monday + ROOM_GRACE_MS)).toBe(utc('2026-12-14T00:00:00Z'));
  });
});

describe('weekly room names', () => {
  it('matches the test vectors of docs/PROTOCOL.md §5.2', async () => {
    expect(await deriveEpochRoomName(vectorKey, '2026-W49')).toBe(
      '9f6b4de5db07b03f633c6f411d02767e86960dce1a93c0a4e557e34ec5ad73d5',
    );
    expect(await deriveEpochRoomName(vectorKey, '2026-W53')).toBe(
      '34c5ec9de2d9b8ea1b9a84bd838919530ccbe585d4c3cdec7acc363502bce7d3',
    );
    expect(await deriveRoomName(vectorKey, utc('2027-01-04T09:00:00Z'))).toBe(
      'f97f5904a75ea30c1c5956250684d8e9be69d5582fbbda07076dd2dd6981537e',
    );
  });

  it('agrees with an independent HMAC and differs every week', async () => {
    const { secretKey } = createWorkspaceSecrets();
    const names = new Set<string>();
    for (let week = 1; week <= 12; week++) {
      const label = `2027-W${String(week).padStart(2, '0')}`;
      const name = await deriveEpochRoomName(secretKey, label);
      expect(name).toBe(
        createHmac('sha256', secretKey).update(`outpost/room/v2/${label}`).digest('hex'),
      );
      names.add(name);
    }
    expect(names.size).toBe(12);
  });

  it("gives this week's room first, then last week's during the grace period", async () => {
    const monday = utc('2026-12-07T00:20:00Z');
    expect(await roomNamesAt(vectorKey, monday)).toEqual([
      await deriveEpochRoomName(vectorKey, '2026-W50'),
      await deriveEpochRoomName(vectorKey, '2026-W49'),
    ]);
    expect(await roomNamesAt(vectorKey, monday + ROOM_GRACE_MS)).toEqual([
      await deriveEpochRoomName(vectorKey, '2026-W50'),
    ]);
  });

  it('refuses a week written otherwise and a key of the wrong length', async () => {
    await expect(deriveEpochRoomName(vectorKey, '2026-49')).rejects.toThrow(RangeError);
    await expect(deriveEpochRoomName(new Uint8Array(16).fill(1), '2026-W49')).rejects.toThrow(
      RangeError,
    );
  });
});
