/**
 * The person's own stats (never shared): focus minutes today and this week, breaks taken vs
 * skipped or postponed, the longest stretch without a break, a chart of the last seven days and
 * a gentle word when they keep working outside their hours.
 */
import { useMemo } from 'react';
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import {
  breakCounts,
  focusMinutesByDay,
  focusMinutesByWeek,
  longestFocusStretch,
  outsideHoursStreak,
  splitByLocalDay,
  type SessionRecord,
} from '../../../shared/focus';
import {
  addDays,
  dateKey,
  isoWeekKey,
  localDate,
  parseDateKey,
} from '../../../shared/time/zonedTime';
import { useFocusStore } from './focusStore';
import { useServiceNow } from './useServiceNow';

/** Days in a row outside working hours before the notice shows. */
export const STREAK_NOTICE_DAYS = 3;

function minutesText(minutes: number): string {
  const rounded = Math.round(minutes);
  if (minutes > 0 && rounded === 0) return 'under 1 min';
  if (rounded < 60) return `${rounded} min`;
  return `${Math.floor(rounded / 60)} h ${String(rounded % 60).padStart(2, '0')} min`;
}

/** The records that touch a set of local days (a record spanning midnight counts on both). */
function onDays(records: readonly SessionRecord[], zone: string, days: Set<string>) {
  return records.filter(
    (record) =>
      splitByLocalDay(zone, { start: record.start, end: Math.max(record.start, record.end) }).some(
        (piece) => days.has(piece.day),
      ) || days.has(dateKey(localDate(record.start, zone))),
  );
}

export function FocusStats() {
  const snapshot = useFocusStore((state) => state.snapshot);
  const records = useFocusStore((state) => state.records);
  const now = useServiceNow(30_000);
  const zone = snapshot?.config.timeZone ?? 'UTC';

  const stats = useMemo(() => {
    const today = localDate(now, zone);
    const todayKey = dateKey(today);
    const weekKey = isoWeekKey(today);
    const byDay = focusMinutesByDay(records, zone);
    const byWeek = focusMinutesByWeek(records, zone);
    const weekDays = new Set(
      Array.from({ length: 7 }, (_, i) => addDays(today, -i))
        .filter((date) => isoWeekKey(date) === weekKey)
        .map(dateKey),
    );
    const todayRecords = onDays(records, zone, new Set([todayKey]));
    const weekRecords = onDays(records, zone, weekDays);
    const chart = Array.from({ length: 7 }, (_, i) => addDays(today, i - 6)).map((date) => {
      const key = dateKey(date);
      const parsed = parseDateKey(key);
      const label = parsed
        ? new Intl.DateTimeFormat(undefined, { weekday: 'short', timeZone: 'UTC' }).format(
            Date.UTC(parsed.year, parsed.month - 1, parsed.day),
          )
        : key;
      return { day: label, minutes: Math.round((byDay[key] ?? 0) * 10) / 10 };
    });
    return {
      today: {
        minutes: byDay[todayKey] ?? 0,
        counts: breakCounts(todayRecords),
        stretch: longestFocusStretch(todayRecords),
      },
      week: {
        minutes: byWeek[weekKey] ?? 0,
        counts: breakCounts(weekRecords),
        stretch: longestFocusStretch(weekRecords),
      },
      chart,
    };
  }, [records, zone, now]);

  return (
    <section className="card" aria-labelledby="focus-stats">
      <h2 id="focus-stats">Your stats</h2>
      <p className="record-meta">Only you see these; they stay on this device.</p>
      <div className="focus-stats-grid">
        {(['today', 'week'] as const).map((period) => {
          const { minutes, counts, stretch } = stats[period];
          return (
            <dl className="kv" key={period} aria-label={period === 'today' ? 'Today' : 'This week'}>
              <dt className="focus-stats-period">{period === 'today' ? 'Today' : 'This week'}</dt>
              <dd />
              <dt>Focus time</dt>
              <dd data-testid={`focus-minutes-${period}`}>{minutesText(minutes)}</dd>
              <dt>Breaks</dt>
              <dd data-testid={`focus-breaks-${period}`}>
                {counts.taken} taken · {counts.skipped} skipped · {counts.postponed} postponed
              </dd>
              <dt>Longest stretch without a break</dt>
              <dd>{stretch ? minutesText(stretch.focusMs / 60_000) : '—'}</dd>
            </dl>
          );
        })}
      </div>
      <figure className="focus-chart" aria-label="Focus minutes over the last seven days">
        <ResponsiveContainer width="100%" height={180}>
          <BarChart data={stats.chart} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
            <CartesianGrid vertical={false} stroke="var(--border)" />
            <XAxis dataKey="day" stroke="var(--text-muted)" tickLine={false} />
            <YAxis stroke="var(--text-muted)" allowDecimals={false} tickLine={false} />
            <Tooltip
              cursor={{ fill: 'var(--bg-hover)' }}
              contentStyle={{
                background: 'var(--bg-elevated)',
                border: '1px solid var(--border)',
                color: 'var(--text)',
              }}
              formatter={(value) => [`${String(value)} min`, 'Focus']}
            />
            <Bar
              dataKey="minutes"
              fill="var(--accent)"
              radius={[4, 4, 0, 0]}
              isAnimationActive={false}
            />
          </BarChart>
        </ResponsiveContainer>
        <figcaption className="record-meta">Focus minutes, last seven days</figcaption>
      </figure>
    </section>
  );
}

/** A gentle word after several days in a row of work outside working hours. */
export function OutsideHoursNotice() {
  const snapshot = useFocusStore((state) => state.snapshot);
  const records = useFocusStore((state) => state.records);
  const now = useServiceNow(60_000);
  const streak = useMemo(() => {
    if (!snapshot?.config.workingHours) return 0;
    const activity = records
      .filter((record) => record.phase === 'focus' && record.end > record.start)
      .map((record) => ({ start: record.start, end: record.end }));
    return outsideHoursStreak(snapshot.config, activity, now);
  }, [snapshot, records, now]);
  if (streak < STREAK_NOTICE_DAYS) return null;
  return (
    <section className="card focus-gentle" role="note" aria-label="Working hours">
      <p>
        You have focused outside your working hours on {streak} days in a row. Rest is part of the
        work — consider stopping at the end of your hours, or change them below if they have moved.
      </p>
    </section>
  );
}
