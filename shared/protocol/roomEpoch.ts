/**
 * Signaling room names that change every week (issue 16). A fixed room name lets anyone who sees
 * signaling traffic (a LAN neighbour on a plain `ws://` server, a server's operator) recognise the
 * same team day after day; a room named after the key *and* the ISO week cannot be linked to the
 * next week's without the key. Specified in docs/PROTOCOL.md §5.2.
 *
 * Peers whose clocks straddle a week boundary must still meet, so during the first
 * {@link ROOM_GRACE_MS} of a week a peer also stays in last week's room: a peer still in the old
 * week is found there. The grace is longer than the 30 minutes of clock skew signaling already
 * tolerates (signalFreshness.ts); peers further apart cannot talk anyway.
 */
import { toHex } from './bytes';
import { hmacSha256 } from './keys';

/** Prefix of the HMAC message; the ISO week (`2026-W49`) follows it. */
export const ROOM_EPOCH_LABEL = 'outpost/room/v2/';
/** How long into a new week a peer also stays in the previous week's room. */
export const ROOM_GRACE_MS = 60 * 60 * 1000;

const DAY_MS = 24 * 60 * 60 * 1000;
const WEEK_MS = 7 * DAY_MS;

/** One week's room: its ISO week label and the UTC instants it starts and ends. */
export interface RoomEpoch {
  /** ISO 8601 week, `YYYY-Www` (the week-numbering year, which can differ from the calendar's). */
  readonly week: string;
  /** Monday 00:00 UTC, ms since the Unix epoch. */
  readonly start: number;
  /** The next Monday 00:00 UTC. */
  readonly end: number;
}

/**
 * The ISO week holding `ms`, in UTC. Written out rather than taken from a date library because
 * the protocol fixes UTC, while date libraries number weeks in the device's time zone.
 */
export function roomEpochAt(ms: number): RoomEpoch {
  const day = Math.floor(ms / DAY_MS);
  // 1970-01-01 was a Thursday: (day + 3) mod 7 is 0 on Mondays.
  const weekday = (((day + 3) % 7) + 7) % 7;
  const monday = day - weekday;
  // A week belongs to the year holding its Thursday; week 1 holds that year's first Thursday.
  const thursday = new Date((monday + 3) * DAY_MS);
  const year = thursday.getUTCFullYear();
  const firstDayOfYear = Date.UTC(year, 0, 1) / DAY_MS;
  const number = Math.floor((monday + 3 - firstDayOfYear) / 7) + 1;
  const start = monday * DAY_MS;
  return {
    week: `${String(year).padStart(4, '0')}-W${String(number).padStart(2, '0')}`,
    start,
    end: start + WEEK_MS,
  };
}

/**
 * The weeks whose rooms a peer is in at `ms`: the current one, and during the first
 * {@link ROOM_GRACE_MS} of a week the previous one as well (current first).
 */
export function roomEpochsAt(ms: number): RoomEpoch[] {
  const current = roomEpochAt(ms);
  return ms - current.start < ROOM_GRACE_MS ? [current, roomEpochAt(current.start - 1)] : [current];
}

/** When the set of rooms of {@link roomEpochsAt} next changes (end of grace, or of the week). */
export function nextRoomChangeAt(ms: number): number {
  const current = roomEpochAt(ms);
  const graceEnd = current.start + ROOM_GRACE_MS;
  return ms < graceEnd ? graceEnd : current.end;
}

/**
 * A week's room name: lower-case hex of HMAC-SHA-256(secretKey, "outpost/room/v2/" + week),
 * 64 characters. Without the key, two weeks' names of one team look unrelated.
 */
export async function deriveEpochRoomName(secretKey: Uint8Array, week: string): Promise<string> {
  if (!/^\d{4}-W\d{2}$/.test(week)) throw new RangeError('A week is written like 2026-W49.');
  return toHex(await hmacSha256(secretKey, ROOM_EPOCH_LABEL + week));
}

/** The room names a peer is in at `ms` (see {@link roomEpochsAt}), current week first. */
export async function roomNamesAt(secretKey: Uint8Array, ms: number): Promise<string[]> {
  return Promise.all(roomEpochsAt(ms).map((epoch) => deriveEpochRoomName(secretKey, epoch.week)));
}

/**
 * The room of the week holding `ms` (default now): what a client that joins one room, such as
 * stock y-webrtc, passes as its room name (and joins again when the week changes).
 */
export async function deriveRoomName(secretKey: Uint8Array, ms = Date.now()): Promise<string> {
  return deriveEpochRoomName(secretKey, roomEpochAt(ms).week);
}
