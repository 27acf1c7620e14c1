/**
 * A parent's health rolls up from its active sub-objectives (the worst wins, achieved and
 * abandoned ones no longer count), and the chart's expected-pace line runs straight from 0% at the
 * period's start to 100% at its end, with the period's ends added as points.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addKeyResult, buildGoalTree, checkIn, goals, paceSeries } from '../../../shared/model';
import type { Goal } from '../../../shared/schema/records';

let clock = 1_000;
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

function withCheckIn(doc: Y.Doc, title: string, confidence: number, parentId?: string): Goal {
  const goal = must(goals.create(doc, ctx, { title, ...(parentId ? { parentId } : {}) }));
  const kr = must(addKeyResult(doc, ctx, goal.id, { title: 'x', kind: 'boolean' }));
  must(checkIn(doc, ctx, goal.id, kr.id, { value: 0, confidence }));
  return read(doc, goal.id);
}

describe('health roll-up', () => {
  it('takes the worst of a goal and its active sub-objectives, through every level', () => {
    const doc = new Y.Doc();
    const company = withCheckIn(doc, 'Company', 9);
    const team = withCheckIn(doc, 'Team', 8, company.id);
    const squad = withCheckIn(doc, 'Squad', 2, team.id);
    const reread = () => [company, team, squad].map((goal) => read(doc, goal.id));
    let [root] = buildGoalTree(reread());
    expect(root).toMatchObject({ health: 'off-track', healthRolledUp: true });
    expect(root!.children[0]).toMatchObject({ health: 'off-track', healthRolledUp: true });
    expect(root!.children[0]!.children[0]).toMatchObject({
      health: 'off-track',
      healthRolledUp: false,
    });
    // An abandoned sub-objective no longer pulls its parent down.
    must(goals.update(doc, ctx, squad.id, { status: 'abandoned' }));
    [root] = buildGoalTree(reread());
    expect(root).toMatchObject({ health: 'on-track', healthRolledUp: false });
  });

  it('gives a parent without key results the health of its children', () => {
    const doc = new Y.Doc();
    const parent = must(goals.create(doc, ctx, { title: 'Vision' }));
    withCheckIn(doc, 'A', 5, parent.id);
    withCheckIn(doc, 'B', 9, parent.id);
    const tree = buildGoalTree(goals.list(doc).items);
    expect(tree.find((node) => node.goal.id === parent.id)).toMatchObject({
      health: 'at-risk',
      healthRolledUp: true,
    });
  });
});

describe('expected pace', () => {
  it('runs from 0% at the start of the period to 100% at its end', () => {
    const doc = new Y.Doc();
    clock = 2_000;
    const goal = must(goals.create(doc, ctx, { title: 'Ship' }));
    const kr = must(
      addKeyResult(doc, ctx, goal.id, { title: 'x', kind: 'number', start: 0, target: 10 }),
    );
    clock = 6_000;
    must(checkIn(doc, ctx, goal.id, kr.id, { value: 2, confidence: 7 }));
    const series = paceSeries(read(doc, goal.id), 1_000, 11_000);
    expect(series.map(({ at, objective, expected }) => ({ at, objective, expected }))).toEqual([
      { at: 1_000, objective: null, expected: 0 },
      { at: 2_000, objective: 0, expected: 10 },
      { at: 6_000, objective: 20, expected: 50 },
      { at: 11_000, objective: null, expected: 100 },
    ]);
    // Check-ins outside the period are kept, with the pace clamped.
    expect(paceSeries(read(doc, goal.id), 3_000, 5_000).map((p) => p.expected)).toEqual([
      0, 0, 100, 100,
    ]);
  });

  it('has no pace without both ends of a period, or with an end before the start', () => {
    const doc = new Y.Doc();
    const goal = must(goals.create(doc, ctx, { title: 'Open' }));
    for (const [start, end] of [
      [null, 5_000],
      [1_000, null],
      [5_000, 1_000],
    ] as const)
      expect(paceSeries(read(doc, goal.id), start, end).every((p) => p.expected === null)).toBe(
        true,
      );
  });
});
