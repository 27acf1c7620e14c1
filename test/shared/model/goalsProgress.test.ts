import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  addKeyResult,
  buildGoalTree,
  checkIn,
  goals,
  healthOf,
  keyResultProgress,
  objectiveHealth,
  objectiveProgress,
  periodContains,
  periodLabel,
  periodScore,
  progressSeries,
  quarterOf,
  quarterRange,
  setKeyResultDeleted,
  type GoalTreeNode,
} from '../../../shared/model';
import type { Goal } from '../../../shared/schema/records';

let clock = 0;
const ctx = { actor: 'member-aaaa', now: () => clock };

function must<T>(result: { ok: true; value: T } | { ok: false; error: { message: string } }): T {
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

function read(doc: Y.Doc, id: string): Goal {
  const value = goals.get(doc, id);
  if (!value?.ok) throw new Error('unreadable');
  return value.value;
}

describe('goal progress', () => {
  it('computes key result progress from start to target, up or down, clamped', () => {
    const doc = new Y.Doc();
    clock = 100;
    const goal = must(goals.create(doc, ctx, { title: 'Faster' }));
    const up = must(
      addKeyResult(doc, ctx, goal.id, { title: 'Up', kind: 'number', start: 10, target: 20 }),
    );
    const down = must(
      addKeyResult(doc, ctx, goal.id, {
        title: 'Down',
        kind: 'number',
        start: 800,
        target: 200,
        unit: 'ms',
        weight: 3,
      }),
    );
    expect(keyResultProgress(up)).toBe(0);
    clock = 200;
    must(checkIn(doc, ctx, goal.id, up.id, { value: 15, confidence: 8 }));
    clock = 300;
    must(checkIn(doc, ctx, goal.id, down.id, { value: 350, confidence: 3 }));
    let current = read(doc, goal.id);
    expect(keyResultProgress(current.keyResults[0]!)).toBe(0.5);
    expect(keyResultProgress(current.keyResults[1]!)).toBe(0.75);
    // Weighted: (0.5·1 + 0.75·3) / 4
    expect(objectiveProgress(current)).toBeCloseTo(0.6875);
    expect(objectiveHealth(current)).toBe('off-track');
    clock = 400;
    must(checkIn(doc, ctx, goal.id, up.id, { value: 99, confidence: 10 }));
    current = read(doc, goal.id);
    expect(keyResultProgress(current.keyResults[0]!)).toBe(1);

    // A deleted key result no longer counts.
    must(setKeyResultDeleted(doc, ctx, goal.id, down.id, true));
    current = read(doc, goal.id);
    expect(objectiveProgress(current)).toBe(1);
    expect(objectiveHealth(current)).toBe('on-track');
  });

  it('maps confidence to health', () => {
    expect([1, 3, 4, 6, 7, 10].map(healthOf)).toEqual([
      'off-track',
      'off-track',
      'at-risk',
      'at-risk',
      'on-track',
      'on-track',
    ]);
  });

  it('builds a progress series over check-in times and scores the period end', () => {
    const doc = new Y.Doc();
    clock = 1_000;
    const goal = must(goals.create(doc, ctx, { title: 'Ship' }));
    const a = must(addKeyResult(doc, ctx, goal.id, { title: 'A', kind: 'boolean' }));
    const b = must(
      addKeyResult(doc, ctx, goal.id, { title: 'B', kind: 'percentage', start: 0, target: 100 }),
    );
    clock = 2_000;
    must(checkIn(doc, ctx, goal.id, b.id, { value: 40, confidence: 5 }));
    clock = 3_000;
    must(checkIn(doc, ctx, goal.id, a.id, { value: 1, confidence: 9 }));
    const series = progressSeries(read(doc, goal.id));
    expect(series).toEqual([
      { at: 1_000, objective: 0, [a.id]: 0, [b.id]: 0 },
      { at: 2_000, objective: 20, [a.id]: 0, [b.id]: 40 },
      { at: 3_000, objective: 70, [a.id]: 100, [b.id]: 40 },
    ]);
    expect(periodScore(read(doc, goal.id), 2_500)).toBe(0.2);
    expect(periodScore(read(doc, goal.id), 9_999)).toBe(0.7);
  });

  it('builds the alignment tree, rolls progress up, and survives a merged cycle', () => {
    const doc = new Y.Doc();
    const company = must(goals.create(doc, ctx, { title: 'Company' }));
    const team = must(goals.create(doc, ctx, { title: 'Team', parentId: company.id }));
    const kr = must(addKeyResult(doc, ctx, team.id, { title: 'x', kind: 'boolean' }));
    must(checkIn(doc, ctx, team.id, kr.id, { value: 1, confidence: 9 }));
    const tree = buildGoalTree([read(doc, company.id), read(doc, team.id)]);
    expect(tree).toHaveLength(1);
    expect(tree[0]).toMatchObject({ progress: 1, rolledUp: true });
    expect(tree[0]!.children[0]!.goal.id).toBe(team.id);

    // Two replicas each make a valid alignment that together form a cycle.
    const other = new Y.Doc();
    Y.applyUpdate(other, Y.encodeStateAsUpdate(doc));
    must(goals.update(doc, ctx, team.id, { parentId: null }));
    must(goals.update(doc, ctx, company.id, { parentId: team.id }));
    must(goals.update(other, ctx, team.id, { parentId: company.id }));
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(other));
    Y.applyUpdate(other, Y.encodeStateAsUpdate(doc));
    const merged = [read(doc, company.id), read(doc, team.id)];
    const count = (nodes: readonly GoalTreeNode[]): number =>
      nodes.reduce((sum, node) => sum + 1 + count(node.children), 0);
    expect(count(buildGoalTree(merged))).toBe(2);
  });

  it('labels quarters and custom periods', () => {
    expect(quarterRange({ year: 2026, quarter: 1 })).toEqual({
      start: '2026-01-01',
      end: '2026-03-31',
    });
    expect(quarterRange({ year: 2028, quarter: 1 }).end).toBe('2028-03-31');
    expect(quarterRange({ year: 2026, quarter: 4 }).end).toBe('2026-12-31');
    expect(quarterOf('2026-07-01', '2026-09-30')).toEqual({ year: 2026, quarter: 3 });
    expect(quarterOf('2026-07-02', '2026-09-30')).toBeNull();
    expect(periodLabel({ periodStart: '2026-04-01', periodEnd: '2026-06-30' })).toBe('Q2 2026');
    expect(periodLabel({ periodStart: '2026-04-03', periodEnd: '2026-05-30' })).toBe(
      '2026-04-03 – 2026-05-30',
    );
    expect(periodLabel({ periodStart: null, periodEnd: null })).toBe('No period');
    expect(
      periodContains({ periodStart: '2026-04-01', periodEnd: '2026-06-30' }, '2026-06-30'),
    ).toBe(true);
    expect(
      periodContains({ periodStart: '2026-04-01', periodEnd: '2026-06-30' }, '2026-07-01'),
    ).toBe(false);
  });
});
