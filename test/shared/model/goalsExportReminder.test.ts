import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  addKeyResult,
  checkIn,
  checkInsToCsv,
  goalToMarkdown,
  goals,
  keyResultsDue,
  markdownFileName,
  nextReminderAt,
  reminderMessage,
  setGoalLink,
  type ExportNames,
} from '../../../shared/model';
import { defaultFocusConfig } from '../../../shared/focus';
import type { Goal } from '../../../shared/schema/records';

function must<T>(result: { ok: true; value: T } | { ok: false; error: { message: string } }): T {
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

const names: ExportNames = {
  member: (id) => (id === 'member-ana' ? 'Ana' : 'nobody'),
  goalTitle: (id) => (id === 'parent-goal-1' ? 'Company' : undefined),
  linkTitle: (ref) => (ref.kind === 'note' ? 'Launch notes' : undefined),
};

function sample(): Goal {
  const doc = new Y.Doc();
  const ctx = { actor: 'member-ana', now: () => Date.UTC(2026, 6, 6, 9) };
  const goal = must(
    goals.create(doc, ctx, {
      title: 'Launch | in Lisbon',
      ownerId: 'member-ana',
      periodStart: '2026-07-01',
      periodEnd: '2026-09-30',
      description: 'Why it matters.',
    }),
  );
  const kr = must(
    addKeyResult(doc, ctx, goal.id, {
      title: 'Signups',
      kind: 'currency',
      start: 0,
      target: 1000,
      unit: 'EUR',
    }),
  );
  must(
    checkIn(doc, ctx, goal.id, kr.id, {
      value: 250,
      confidence: 6,
      comment: '=HYPERLINK("evil") and "quotes", commas',
    }),
  );
  must(setGoalLink(doc, ctx, goal.id, null, { kind: 'note', id: 'note-000001' }, true));
  const read = goals.get(doc, goal.id);
  if (!read?.ok) throw new Error('unreadable');
  return read.value;
}

describe('goal export', () => {
  it('writes one Markdown file per objective with front matter, key results and check-ins', () => {
    const goal = sample();
    const markdown = goalToMarkdown(goal, names);
    expect(markdownFileName(goal)).toMatch(/^launch-in-lisbon-[\w-]{6}\.md$/);
    expect(markdown).toContain('title: "Launch | in Lisbon"');
    expect(markdown).toContain('period: "Q3 2026"');
    expect(markdown).toContain('owner: "Ana"');
    expect(markdown).toContain('# Launch | in Lisbon');
    expect(markdown).toContain('- note: Launch notes');
    expect(markdown).toContain('- Start EUR 0 → target EUR 1000; now EUR 250');
    expect(markdown).toContain('- Progress: 25%; health: at risk');
    expect(markdown).toContain('| 2026-07-06T09:00:00Z | Ana | EUR 250 | 6/10 |');
  });

  it('writes check-ins as CSV with quoting and formula injection defused', () => {
    const csv = checkInsToCsv([sample()], names);
    const [header, row, end] = csv.split('\r\n');
    expect(header).toBe(
      'objective,objective_id,key_result,key_result_id,kind,unit,start,target,time,author,value,progress_percent,confidence,health,comment',
    );
    expect(row).toContain(',2026-07-06T09:00:00Z,Ana,250,25,6,at risk,');
    expect(row!.endsWith(`,"'=HYPERLINK(""evil"") and ""quotes"", commas"`)).toBe(true);
    expect(end).toBe('');
  });
});

describe('weekly check-in reminder', () => {
  const reminder = { enabled: true, weekday: 'mon', time: '09:30' } as const;

  it('is due at the next chosen weekday and time in the person’s zone', () => {
    // Wednesday 2026-07-01 12:00 UTC → next Monday 2026-07-06 09:30 in Lisbon (UTC+1).
    const now = Date.UTC(2026, 6, 1, 12);
    expect(nextReminderAt(reminder, 'Europe/Lisbon', now)).toBe(Date.UTC(2026, 6, 6, 8, 30));
    // Exactly at the time → the following week.
    expect(nextReminderAt(reminder, 'Europe/Lisbon', Date.UTC(2026, 6, 6, 8, 30))).toBe(
      Date.UTC(2026, 6, 13, 8, 30),
    );
    expect(nextReminderAt({ ...reminder, enabled: false }, 'UTC', now)).toBeNull();
  });

  it('waits for working hours when the chosen time is outside them', () => {
    const focus = defaultFocusConfig('UTC'); // Monday–Friday 09:00–17:30
    const early = { enabled: true, weekday: 'mon', time: '07:00' } as const;
    const now = Date.UTC(2026, 6, 1, 12);
    expect(nextReminderAt(early, 'UTC', now, focus)).toBe(Date.UTC(2026, 6, 6, 9, 0));
    const sunday = { enabled: true, weekday: 'sun', time: '10:00' } as const;
    expect(nextReminderAt(sunday, 'UTC', now, focus)).toBe(Date.UTC(2026, 6, 6, 9, 0));
    expect(nextReminderAt(early, 'UTC', now, { ...focus, workingHours: null })).toBe(
      Date.UTC(2026, 6, 6, 7, 0),
    );
  });

  it('names the key results that wait for a check-in', () => {
    const goal = sample();
    const checkedAt = goal.keyResults[0]!.checkIns[0]!.at;
    expect(keyResultsDue([goal], 'member-ana', checkedAt + 1000)).toEqual([]);
    const due = keyResultsDue([goal], 'member-ana', checkedAt + 7 * 86_400_000);
    expect(due.map((item) => item.keyResultTitle)).toEqual(['Signups']);
    expect(reminderMessage(due)).toEqual({
      title: 'Weekly check-in: 1 key result waiting',
      body: '“Signups” needs a check-in.',
    });
    expect(keyResultsDue([goal], 'someone-else', checkedAt + 7 * 86_400_000)).toEqual([]);
  });
});
