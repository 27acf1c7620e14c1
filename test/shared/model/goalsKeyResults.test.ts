import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  addKeyResult,
  addMilestone,
  checkIn,
  goals,
  goalsLinkingTo,
  setGoalLink,
  setKeyResultDeleted,
  updateKeyResult,
} from '../../../shared/model';
import { KEY_RESULT_PREFIX } from '../../../shared/model/goalsLayout';

let clock = 1_000;
const ctx = { actor: 'member-aaaa', now: () => clock };

function setup() {
  const doc = new Y.Doc();
  const created = goals.create(doc, ctx, { title: 'Grow the community' });
  if (!created.ok) throw new Error(created.error.message);
  return { doc, goalId: created.value.id };
}

function must<T>(result: { ok: true; value: T } | { ok: false; error: { message: string } }): T {
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

const goalOf = (doc: Y.Doc, id: string) => {
  const read = goals.get(doc, id);
  if (!read?.ok) throw new Error('goal not readable');
  return read.value;
};

describe('key results', () => {
  it('adds key results of every kind with their start, target and unit', () => {
    const { doc, goalId } = setup();
    const members = must(
      addKeyResult(doc, ctx, goalId, {
        title: 'Members',
        kind: 'number',
        start: 100,
        target: 250,
        unit: 'people',
      }),
    );
    expect(members).toMatchObject({ start: 100, target: 250, unit: 'people', weight: 1 });
    const share = must(
      addKeyResult(doc, ctx, goalId, { title: 'Share', kind: 'percentage', start: 10, target: 30 }),
    );
    expect(share.unit).toBe('%');
    const revenue = must(
      addKeyResult(doc, ctx, goalId, {
        title: 'Revenue',
        kind: 'currency',
        start: 0,
        target: 5000,
        unit: 'eur',
        weight: 2,
      }),
    );
    expect(revenue).toMatchObject({ unit: 'EUR', weight: 2 });
    const launched = must(addKeyResult(doc, ctx, goalId, { title: 'Launched', kind: 'boolean' }));
    expect(launched).toMatchObject({ start: 0, target: 1 });
    const steps = must(
      addKeyResult(doc, ctx, goalId, {
        title: 'Steps',
        kind: 'milestones',
        milestones: ['Draft', 'Review', 'Ship'],
      }),
    );
    expect(steps.milestones.map((m) => m.title)).toEqual(['Draft', 'Review', 'Ship']);
    const goal = goalOf(doc, goalId);
    expect(goal.keyResults.map((kr) => kr.title)).toEqual([
      'Members',
      'Share',
      'Revenue',
      'Launched',
      'Steps',
    ]);
    expect(goal.damagedParts).toEqual([]);
  });

  it('refuses bad input with a message per field and saves nothing', () => {
    const { doc, goalId } = setup();
    const cases: Array<[Parameters<typeof addKeyResult>[3], Record<string, string>]> = [
      [
        { title: 'Flat', kind: 'number', start: 5, target: 5 },
        {
          target: 'The target must differ from the start value, or there is no progress to make.',
        },
      ],
      [
        { title: 'NaN', kind: 'number', start: Number.NaN, target: 5 },
        { start: 'Start must be a number, like 12 or 3.5.' },
      ],
      [
        { title: 'Inf', kind: 'number', start: 0, target: Number.POSITIVE_INFINITY },
        { target: 'Target must be a number, like 12 or 3.5.' },
      ],
      [{ title: 'Missing', kind: 'number' }, { start: 'Give a start value.' }],
      [
        { title: 'Pct', kind: 'percentage', start: 0, target: 150 },
        { target: 'A percentage goes from 0 to 100.' },
      ],
      [
        { title: 'Money', kind: 'currency', start: 0, target: 10, unit: 'euros' },
        { unit: 'Use a three-letter currency code such as EUR or USD.' },
      ],
      [{ title: 'Steps', kind: 'milestones' }, { milestones: 'Add at least one milestone.' }],
      [
        { title: 'Heavy', kind: 'number', start: 0, target: 1, weight: 0 },
        { weight: 'Weight must be more than 0.' },
      ],
      [{ title: '  ', kind: 'number', start: 0, target: 1 }, { title: 'Title cannot be empty.' }],
    ];
    for (const [input, fields] of cases) {
      const result = addKeyResult(doc, ctx, goalId, input);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error.fields).toMatchObject(fields);
    }
    expect(goalOf(doc, goalId).keyResults).toEqual([]);
  });

  it('updates fields, keeps the kind, and refuses a target equal to the start', () => {
    const { doc, goalId } = setup();
    const kr = must(
      addKeyResult(doc, ctx, goalId, { title: 'Calls', kind: 'number', start: 0, target: 10 }),
    );
    clock = 2_000;
    expect(
      must(updateKeyResult(doc, ctx, goalId, kr.id, { target: 20, title: 'Customer calls' })),
    ).toMatchObject({ target: 20, title: 'Customer calls' });
    expect(goalOf(doc, goalId)).toMatchObject({ updatedAt: 2_000, updatedBy: 'member-aaaa' });
    const flat = updateKeyResult(doc, ctx, goalId, kr.id, { start: 20 });
    expect(flat.ok).toBe(false);
    expect(goalOf(doc, goalId).keyResults[0]).toMatchObject({ start: 0, target: 20 });
    const bool = must(addKeyResult(doc, ctx, goalId, { title: 'Done', kind: 'boolean' }));
    expect(updateKeyResult(doc, ctx, goalId, bool.id, { target: 2 }).ok).toBe(false);
  });

  it('records check-ins, validates them, and keeps a deleted key result with its check-ins', () => {
    const { doc, goalId } = setup();
    const kr = must(
      addKeyResult(doc, ctx, goalId, { title: 'Calls', kind: 'number', start: 0, target: 10 }),
    );
    clock = 3_000;
    const first = must(
      checkIn(doc, ctx, goalId, kr.id, { value: 4, confidence: 8, comment: ' ok ' }),
    );
    expect(first).toMatchObject({
      value: 4,
      confidence: 8,
      comment: 'ok',
      authorId: 'member-aaaa',
    });
    for (const [input, field] of [
      [{ value: 5, confidence: 0 }, 'confidence'],
      [{ value: 5, confidence: 11 }, 'confidence'],
      [{ value: 5, confidence: 6.5 }, 'confidence'],
      [{ value: Number.NaN, confidence: 5 }, 'value'],
      [{ confidence: 5 }, 'value'],
    ] as const) {
      const result = checkIn(doc, ctx, goalId, kr.id, input);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(Object.keys(result.error.fields)).toContain(field);
    }
    expect(goalOf(doc, goalId).keyResults[0]!.checkIns).toHaveLength(1);

    must(setKeyResultDeleted(doc, ctx, goalId, kr.id, true));
    expect(checkIn(doc, ctx, goalId, kr.id, { value: 5, confidence: 5 })).toMatchObject({
      ok: false,
      error: { message: 'This key result was deleted. Restore it to check in.' },
    });
    const restored = must(setKeyResultDeleted(doc, ctx, goalId, kr.id, false));
    expect(restored.checkIns.map((c) => c.id)).toEqual([first.id]);
  });

  it('checks milestones in and out through a check-in', () => {
    const { doc, goalId } = setup();
    const kr = must(
      addKeyResult(doc, ctx, goalId, {
        title: 'Steps',
        kind: 'milestones',
        milestones: ['A', 'B'],
      }),
    );
    const more = must(addMilestone(doc, ctx, goalId, kr.id, 'C'));
    expect(more.milestones).toHaveLength(3);
    const [a, , c] = more.milestones;
    const entry = must(
      checkIn(doc, ctx, goalId, kr.id, { confidence: 6, milestonesDone: [a!.id, c!.id] }),
    );
    expect(entry.value).toBe(2);
    const after = goalOf(doc, goalId).keyResults[0]!;
    expect(after.milestones.map((m) => m.done)).toEqual([true, false, true]);
    expect(
      checkIn(doc, ctx, goalId, kr.id, { confidence: 6, milestonesDone: ['nonexistent-id'] }).ok,
    ).toBe(false);
  });

  it('links an objective and a key result to notes and decisions as a set', () => {
    const { doc, goalId } = setup();
    const kr = must(addKeyResult(doc, ctx, goalId, { title: 'Done', kind: 'boolean' }));
    const note = { kind: 'note' as const, id: 'note-0000001' };
    const decision = { kind: 'decision' as const, id: 'decision-0001' };
    must(setGoalLink(doc, ctx, goalId, null, note, true));
    must(setGoalLink(doc, ctx, goalId, null, note, true));
    must(setGoalLink(doc, ctx, goalId, kr.id, decision, true));
    let goal = goalOf(doc, goalId);
    expect(goal.links).toEqual([note]);
    expect(goal.keyResults[0]!.links).toEqual([decision]);
    expect(goalsLinkingTo([goal], decision)).toEqual([
      { goalId, goalTitle: 'Grow the community', keyResultId: kr.id, keyResultTitle: 'Done' },
    ]);
    expect(goalsLinkingTo([goal], note)).toHaveLength(1);
    must(setGoalLink(doc, ctx, goalId, null, note, false));
    goal = goalOf(doc, goalId);
    expect(goal.links).toEqual([]);
    expect(setGoalLink(doc, ctx, goalId, null, { kind: 'note', id: 'bad id!' }, true).ok).toBe(
      false,
    );
  });

  it('refuses writes to a trashed or missing goal', () => {
    const { doc, goalId } = setup();
    goals.remove(doc, ctx, goalId);
    expect(addKeyResult(doc, ctx, goalId, { title: 'x', kind: 'boolean' })).toMatchObject({
      ok: false,
      error: { message: 'This goal is in the trash. Restore it to change it.' },
    });
    expect(addKeyResult(doc, ctx, 'missing-goal-id', { title: 'x', kind: 'boolean' }).ok).toBe(
      false,
    );
  });

  it('reports damaged key results, check-ins and links from a peer and keeps the rest', () => {
    const { doc, goalId } = setup();
    const kr = must(
      addKeyResult(doc, ctx, goalId, { title: 'Calls', kind: 'number', start: 0, target: 10 }),
    );
    must(checkIn(doc, ctx, goalId, kr.id, { value: 3, confidence: 7 }));
    const record = goals.map(doc, goalId)!;
    doc.transact(() => {
      record.set(`${KEY_RESULT_PREFIX}broken-kr-01`, 'not a map');
      const bad = new Y.Map<unknown>();
      record.set(`${KEY_RESULT_PREFIX}badfields-01`, bad);
      bad.set('title', 42);
      const checkIns = (record.get(KEY_RESULT_PREFIX + kr.id) as Y.Map<unknown>).get(
        'checkIns',
      ) as Y.Map<unknown>;
      checkIns.set('hostile-check-in', { value: 'lots', confidence: 99 });
      record.set('link:note:', true);
    }, 'remote');
    const goal = goalOf(doc, goalId);
    expect(goal.keyResults).toHaveLength(1);
    expect(goal.keyResults[0]!.checkIns).toHaveLength(1);
    expect(goal.damagedParts.map((part) => [part.part, part.id])).toEqual([
      ['check-in', 'hostile-check-in'],
      ['key result', 'badfields-01'],
      ['key result', 'broken-kr-01'],
      ['link', 'link:note:'],
    ]);
    // The goal stays writable around the damage.
    expect(checkIn(doc, ctx, goalId, kr.id, { value: 4, confidence: 7 }).ok).toBe(true);
  });
});
