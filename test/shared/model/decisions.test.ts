import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { ROOT, decisions } from '../../../shared/model';

const ctx = { actor: 'member-aaaa', now: () => 10 };

describe('decisions', () => {
  it('starts as a draft and can be renamed and moved through statuses', () => {
    const doc = new Y.Doc();
    const created = decisions.create(doc, ctx, { title: 'Adopt async stand-ups' });
    if (!created.ok) throw new Error(created.error.message);
    expect(created.value.status).toBe('draft');
    const updated = decisions.update(doc, ctx, created.value.id, {
      title: 'Adopt async updates',
      status: 'proposed',
    });
    expect(updated.ok && updated.value).toMatchObject({
      title: 'Adopt async updates',
      status: 'proposed',
    });
  });

  it('rejects unknown statuses and unknown fields', () => {
    const doc = new Y.Doc();
    const created = decisions.create(doc, ctx, { title: 'X' });
    if (!created.ok) throw new Error(created.error.message);
    const badStatus = decisions.update(doc, ctx, created.value.id, { status: 'maybe' } as never);
    expect(badStatus.ok).toBe(false);
    const extra = decisions.update(doc, ctx, created.value.id, { owner: 'x' } as never);
    expect(!extra.ok && extra.error.code).toBe('invalid-input');
  });

  it('shows a record with an unknown status from a newer or buggy peer as damaged', () => {
    const doc = new Y.Doc();
    const created = decisions.create(doc, ctx, { title: 'X' });
    if (!created.ok) throw new Error(created.error.message);
    const record = doc.getMap<Y.Map<unknown>>(ROOT.decisions).get(created.value.id);
    record?.set('status', 'vetoed');
    const listed = decisions.list(doc);
    expect(listed.items).toHaveLength(0);
    expect(listed.damaged[0]).toMatchObject({ id: created.value.id, kind: 'decision' });
    expect(listed.damaged[0]?.problems.join()).toMatch(/status/);
  });
});
