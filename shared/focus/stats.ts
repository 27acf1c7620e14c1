/**
 * Stats as pure functions over the append-only log of {@link SessionRecord}s the engine emits.
 * Nothing is stored besides the log, so stats can be recomputed for any time zone or period, and
 * a record that spans local midnight is split between the two days.
 */
import type { BreakKind, SessionRecord } from './state';
import { splitByLocalDay } from './workingHours';
import { isoWeekKey } from '../time/zonedTime';

const MINUTE_MS = 60_000;

/** Breaks by what the person did with them. */
export interface BreakCounts {
  /** Breaks taken in full, including time away that counted as a break. */
  readonly taken: number;
  readonly skipped: number;
  /** Postpones (one break postponed twice counts twice). */
  readonly postponed: number;
}

/** A run of focus with no break taken in between. */
export interface FocusStretch {
  readonly start: number;
  readonly end: number;
  /** Focus time within the stretch (pauses shorter than a break do not end it but do not count). */
  readonly focusMs: number;
}

function isBreak(phase: SessionRecord['phase']): phase is BreakKind {
  return phase === 'shortBreak' || phase === 'longBreak';
}

function addTo(totals: Record<string, number>, key: string, value: number): void {
  totals[key] = (totals[key] ?? 0) + value;
}

/** Focus minutes per local day (`YYYY-MM-DD` in `timeZone`), whatever each block's outcome. */
export function focusMinutesByDay(
  log: readonly SessionRecord[],
  timeZone: string,
): Record<string, number> {
  const totals: Record<string, number> = {};
  for (const entry of log) {
    if (entry.phase !== 'focus' || entry.end <= entry.start) continue;
    for (const piece of splitByLocalDay(timeZone, { start: entry.start, end: entry.end })) {
      addTo(totals, piece.day, (piece.interval.end - piece.interval.start) / MINUTE_MS);
    }
  }
  return totals;
}

/** Focus minutes per ISO week (`YYYY-Www`, weeks starting Monday, local dates in `timeZone`). */
export function focusMinutesByWeek(
  log: readonly SessionRecord[],
  timeZone: string,
): Record<string, number> {
  const totals: Record<string, number> = {};
  for (const [day, minutes] of Object.entries(focusMinutesByDay(log, timeZone))) {
    const [year, month, date] = day.split('-').map(Number);
    addTo(totals, isoWeekKey({ year: year ?? 1970, month: month ?? 1, day: date ?? 1 }), minutes);
  }
  return totals;
}

/** Breaks taken vs skipped vs postponed over the log (or the part of it the caller passes). */
export function breakCounts(log: readonly SessionRecord[]): BreakCounts {
  let taken = 0;
  let skipped = 0;
  let postponed = 0;
  for (const entry of log) {
    if (!isBreak(entry.phase)) continue;
    if (entry.outcome === 'completed') taken += 1;
    else if (entry.outcome === 'skipped') skipped += 1;
    else if (entry.outcome === 'postponed') postponed += 1;
  }
  return { taken, skipped, postponed };
}

/**
 * The longest stretch of focus without a break: focus records chained together until a break is
 * taken (a completed break record) or a gap of at least `restMs` (default 5 min) separates them.
 * Skipped and postponed breaks do not end a stretch. Null when the log has no focus.
 */
export function longestFocusStretch(
  log: readonly SessionRecord[],
  options: { readonly restMs?: number } = {},
): FocusStretch | null {
  const restMs = options.restMs ?? 5 * MINUTE_MS;
  const sorted = [...log].sort((a, b) => a.start - b.start || a.end - b.end);
  let best: FocusStretch | null = null;
  let current: FocusStretch | null = null;
  const close = () => {
    if (current && (!best || current.end - current.start > best.end - best.start)) best = current;
    current = null;
  };
  for (const entry of sorted) {
    if (isBreak(entry.phase)) {
      if (entry.outcome === 'completed') close();
      continue;
    }
    if (entry.end <= entry.start) continue;
    if (current !== null && entry.start - (current as FocusStretch).end < restMs) {
      const open: FocusStretch = current;
      current = {
        start: open.start,
        end: Math.max(open.end, entry.end),
        focusMs: open.focusMs + (entry.end - entry.start),
      };
    } else {
      close();
      current = { start: entry.start, end: entry.end, focusMs: entry.end - entry.start };
    }
  }
  close();
  return best;
}
