/**
 * The team's day on one strip (issue 21): today in the viewer's time zone, each teammate's
 * working hours as a bar at the hours they fall on here, a line at "now", and the stretch where
 * everyone's hours overlap — where a live handoff fits, and outside of which it goes async.
 */
import { overlapOf, viewerDay, workingSpans, type TeamHours } from '../../../shared/focus';
import type { Interval } from '../../../shared/focus/workingHours';
import { clockIn } from '../../../shared/focus/messages';
import { describeTimeZone } from '../../../shared/time/zoneSearch';

export interface StripPerson {
  readonly key: string;
  readonly name: string;
  readonly color: string;
  readonly hours: TeamHours | null;
}

const TICKS = [0, 6, 12, 18, 24];

/** "09:00–10:30, 14:00–24:00" in `zone`; a span running to the day's end reads 24:00. */
function spansText(spans: readonly Interval[], zone: string, dayEnd: number): string {
  return spans
    .map((s) => `${clockIn(s.start, zone)}–${s.end >= dayEnd ? '24:00' : clockIn(s.end, zone)}`)
    .join(', ');
}

export function TeamDayStrip({
  people,
  viewerZone,
  now,
}: {
  readonly people: readonly StripPerson[];
  readonly viewerZone: string;
  readonly now: number;
}) {
  const day = viewerDay(viewerZone, now);
  const length = day.end - day.start;
  const at = (t: number) => `${((t - day.start) / length) * 100}%`;
  const rows = people
    .filter((person) => person.hours?.days)
    .map((person) => ({ ...person, spans: workingSpans(person.hours!, day) }));
  if (rows.length === 0) return null;
  const overlap = rows.length > 1 ? overlapOf(rows.map((row) => row.spans)) : [];
  const bar = (span: Interval, className: string, color?: string) => (
    <span
      key={span.start}
      className={className}
      style={{
        left: at(span.start),
        width: at(day.start + span.end - span.start),
        background: color,
      }}
    />
  );
  return (
    <div className="day-strip" data-testid="team-day-strip">
      <h3>Today in your time ({describeTimeZone(viewerZone)})</h3>
      <ul>
        {rows.map((row) => (
          <li key={row.key} className="day-strip-row">
            <span className="day-strip-name">{row.name}</span>
            <span
              className="day-strip-track"
              role="img"
              aria-label={
                row.spans.length > 0
                  ? `${row.name} works ${spansText(row.spans, viewerZone, day.end)} your time`
                  : `${row.name} does not work today`
              }
            >
              {row.spans.map((span) => bar(span, 'day-strip-bar', row.color))}
              <span className="day-strip-now" style={{ left: at(now) }} />
            </span>
          </li>
        ))}
        {rows.length > 1 && (
          <li className="day-strip-row">
            <span className="day-strip-name">Everyone</span>
            <span
              className="day-strip-track"
              role="img"
              aria-label={
                overlap.length > 0
                  ? `Everyone works ${spansText(overlap, viewerZone, day.end)} your time`
                  : 'No hours shared by everyone today'
              }
            >
              {overlap.map((span) => bar(span, 'day-strip-bar overlap'))}
              <span className="day-strip-now" style={{ left: at(now) }} />
            </span>
          </li>
        )}
      </ul>
      <div className="day-strip-ticks" aria-hidden="true">
        <span />
        <span className="day-strip-scale">
          {TICKS.map((hour) => (
            <span key={hour} style={{ left: `${(hour / 24) * 100}%` }}>
              {String(hour).padStart(2, '0')}:00
            </span>
          ))}
        </span>
      </div>
      <p className="record-meta" data-testid="team-overlap">
        {rows.length < 2
          ? 'Teammates who share their working hours appear here beside yours.'
          : overlap.length > 0
            ? `Shared hours today: ${spansText(overlap, viewerZone, day.end)} your time — good for a live handoff.`
            : 'No hours shared by everyone today: hand work off in writing.'}
      </p>
    </div>
  );
}
