/**
 * The team view: everyone in the workspace (its members, and whoever is present through awareness)
 * with their local time, their working hours and what they are doing — "in focus until 14:30",
 * "on a break", "outside working hours". A time-zone view for a team spread over the world.
 */
import { useMemo } from 'react';
import { clockIn, describeFocusStatus } from '../../../shared/focus';
import { SHORT_DAY_NAMES, WEEKDAYS, type Weekday } from '../../../shared/time/calendar';
import { useAppStore } from '../../store';
import { usePresentPeople, type PresentPerson, type SharedWorkingHours } from './teamPresence';
import { useServiceNow } from './useServiceNow';
import { TeamDayStrip } from './TeamDayStrip';
import { describeTimeZone } from '../../../shared/time/zoneSearch';

/** "Mon–Fri 09:00–17:30, Sat 10:00–12:00": consecutive days with the same ranges grouped. */
export function describeWorkingHours(hours: SharedWorkingHours): string {
  if (!hours.days) return 'no set hours';
  const groups: { from: Weekday; to: Weekday; text: string }[] = [];
  for (const day of WEEKDAYS) {
    const ranges = hours.days[day];
    if (ranges.length === 0) continue;
    const text = ranges.map((range) => `${range.start}–${range.end}`).join(', ');
    const last = groups.at(-1);
    const previousDay = WEEKDAYS[WEEKDAYS.indexOf(day) - 1];
    if (last && last.text === text && last.to === previousDay) last.to = day;
    else groups.push({ from: day, to: day, text });
  }
  if (groups.length === 0) return 'no working days';
  return groups
    .map(
      (group) =>
        `${SHORT_DAY_NAMES[group.from]}${group.from === group.to ? '' : `–${SHORT_DAY_NAMES[group.to]}`} ${group.text}`,
    )
    .join('; ');
}

interface Row {
  readonly key: string;
  readonly name: string;
  readonly color: string;
  readonly isSelf: boolean;
  readonly timeZone: string | null;
  readonly person: PresentPerson | null;
}

export function TeamFocus() {
  const members = useAppStore((state) => state.snapshot?.members.items);
  const damaged = useAppStore((state) => state.snapshot?.members.damaged);
  const profile = useAppStore((state) => state.profile);
  const present = usePresentPeople();
  const now = useServiceNow(15_000);
  const viewerZone = profile?.timeZone ?? 'UTC';

  const rows = useMemo(() => {
    const byMember = new Map<string, PresentPerson>();
    for (const person of present) {
      // One person on two devices: their own device's entry (or the first seen) speaks for them.
      if (!byMember.has(person.id) || person.isSelf) byMember.set(person.id, person);
    }
    const result: Row[] = [];
    for (const member of members ?? []) {
      const person = byMember.get(member.id) ?? null;
      byMember.delete(member.id);
      result.push({
        key: member.id,
        name: member.name,
        color: member.color,
        isSelf: member.id === profile?.memberId,
        timeZone: person?.timeZone ?? member.timeZone,
        person,
      });
    }
    for (const person of byMember.values()) {
      result.push({
        key: person.id,
        name: person.name,
        color: person.color,
        isSelf: person.id === profile?.memberId,
        timeZone: person.timeZone,
        person,
      });
    }
    return result.sort(
      (a, b) =>
        Number(b.isSelf) - Number(a.isSelf) ||
        Number(Boolean(b.person)) - Number(Boolean(a.person)) ||
        a.name.localeCompare(b.name),
    );
  }, [members, present, profile?.memberId]);

  const others = rows.filter((row) => !row.isSelf);

  return (
    <section className="card" aria-labelledby="team-focus">
      <h2 id="team-focus">Team</h2>
      <p className="record-meta">
        Who is heads-down right now, with everyone&apos;s local time and working hours. Only your
        status and hours are shared, never your stats.
      </p>
      <table className="team-focus">
        <thead>
          <tr>
            <th scope="col">Person</th>
            <th scope="col">Local time</th>
            <th scope="col">Working hours</th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => {
            const status = row.person?.focus
              ? describeFocusStatus(row.person.focus, viewerZone)
              : row.person
                ? 'here'
                : 'not here right now';
            return (
              <tr key={row.key} data-testid={`team-row-${row.name}`}>
                <th scope="row">
                  <span className="team-dot" style={{ background: row.color }} aria-hidden="true" />
                  {row.name}
                  {row.isSelf && <span className="record-meta"> (you)</span>}
                </th>
                <td>
                  {row.timeZone ? (
                    <>
                      <span className="team-clock">{clockIn(now, row.timeZone)}</span>{' '}
                      <span className="record-meta">{describeTimeZone(row.timeZone)}</span>
                    </>
                  ) : (
                    '—'
                  )}
                </td>
                <td>
                  {row.person?.workingHours ? (
                    <>
                      {describeWorkingHours(row.person.workingHours)}
                      {row.person.workingHours.days &&
                        row.person.workingHours.timeZone !== row.timeZone && (
                          <span className="record-meta">
                            {' '}
                            ({row.person.workingHours.timeZone.replace(/_/g, ' ')})
                          </span>
                        )}
                    </>
                  ) : (
                    '—'
                  )}
                </td>
                <td
                  className={`team-status status-${row.person?.focus?.kind ?? 'away'}`}
                  data-testid="team-status"
                >
                  {status}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <TeamDayStrip
        viewerZone={viewerZone}
        now={now}
        people={rows.map((row) => ({
          key: row.key,
          name: row.isSelf ? `${row.name} (you)` : row.name,
          color: row.color,
          hours: row.person?.workingHours ?? null,
        }))}
      />
      {damaged && damaged.length > 0 && (
        // An entry a device wrote that cannot be read (a bug, or a hostile peer): shown, not hidden.
        <div className="damaged" role="status">
          <strong>
            {damaged.length} damaged member entr{damaged.length === 1 ? 'y' : 'ies'}
          </strong>{' '}
          — left as stored; nothing was changed.
          <ul className="damaged-list">
            {damaged.map((record) => (
              <li key={record.id}>
                ⚠ {record.id.length > 24 ? `${record.id.slice(0, 24)}…` : record.id}:{' '}
                {record.problems[0]}
              </li>
            ))}
          </ul>
        </div>
      )}
      {others.length === 0 && (
        <p className="record-meta">
          Teammates appear here once they join this workspace; their status shows while they are
          online with you.
        </p>
      )}
    </section>
  );
}
