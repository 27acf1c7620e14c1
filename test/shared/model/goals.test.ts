import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { goals } from '../../../shared/model';

const ctx = { actor: 'member-aaaa', now: () => 10 };

function create(doc: Y.Doc, title: string) {
  const result = goals.create(doc, ctx, { title });
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

describe('goals', () => {
  it('creates a goal with defaults and updates its fields', () => {
    const doc = new Y.Doc();
    const goal = create(doc, 'Ship the beta');
    expect(goal).toMatchObject({
      status: 'active',
      description: '',
      parentId: null,
      ownerId: null,
    });
    const updated = goals.update(doc, ctx, goal.id, {
      description: 'Before the retreat',
      periodStart: '2026-10-01',
      periodEnd: '2026-12-31',
      ownerId: 'member-aaaa',
    });
    expect(updated.ok && updated.value).toMatchObject({
      periodEnd: '2026-12-31',
      ownerId: 'member-aaaa',
    });
  });

  it('refuses an empty title and a period that ends before it starts', () => {
    const doc = new Y.Doc();
    expect(goals.create(doc, ctx, { title: '   ' })).toMatchObject({
      ok: false,
      error: { message: 'title: Title cannot be empty.' },
    });
    expect(
      goals.create(doc, ctx, { title: 'x', periodStart: '2026-05-01', periodEnd: '2026-04-01' }),
    ).toMatchObject({
      ok: false,
      error: { message: 'periodEnd: The period ends before it starts.' },
    });
    const goal = create(doc, 'Later');
    goals.update(doc, ctx, goal.id, { periodStart: '2026-05-01' });
    expect(goals.update(doc, ctx, goal.id, { periodEnd: '2026-01-01' })).toMatchObject({
      ok: false,
      error: { message: 'The period ends before it starts.' },
    });
  });

  it('aligns under a parent but refuses cycles and missing parents', () => {
    const doc = new Y.Doc();
    const company = create(doc, 'Company');
    const team = create(doc, 'Team');
    const mine = create(doc, 'Mine');
    expect(goals.update(doc, ctx, team.id, { parentId: company.id }).ok).toBe(true);
    expect(goals.update(doc, ctx, mine.id, { parentId: team.id }).ok).toBe(true);
    expect(goals.update(doc, ctx, company.id, { parentId: mine.id })).toMatchObject({
      ok: false,
      error: { message: 'A goal cannot be aligned under itself or one of its own sub-goals.' },
    });
    expect(goals.update(doc, ctx, company.id, { parentId: company.id }).ok).toBe(false);
    expect(goals.update(doc, ctx, company.id, { parentId: 'missing-goal-id' })).toMatchObject({
      ok: false,
      error: { message: 'The parent goal does not exist.' },
    });
    expect(goals.get(doc, company.id)).toMatchObject({ ok: true, value: { parentId: null } });
  });
});
