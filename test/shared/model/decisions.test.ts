import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  ROOT,
  decisionContext,
  decisions,
  decisionsLinkedTo,
  goals,
  notes,
  supersedeMakesCycle,
} from '../../../shared/model';
import type { Decision } from '../../../shared/schema/records';

let clock = 1_000_000;
const ctx = { actor: 'member-aaaa', now: () => clock };
const other = { actor: 'member-bbbb', now: () => clock };

function created(doc: Y.Doc, title = 'Adopt async stand-ups'): Decision {
  const result = decisions.create(doc, ctx, { title });
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

function updated(doc: Y.Doc, id: string, patch: Parameters<typeof decisions.update>[3]): Decision {
  const result = decisions.update(doc, ctx, id, patch);
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

describe('decisions', () => {
  it('starts as an empty draft with a rich-text context', () => {
    const doc = new Y.Doc();
    const decision = created(doc);
    expect(decision).toMatchObject({
      status: 'draft',
      proposal: '',
      options: [],
      votes: [],
      history: [],
      closesAt: null,
      problems: [],
    });
    expect(decisionContext(doc, decision.id)).toBeInstanceOf(Y.XmlFragment);
  });

  it('keeps options with pros and cons, the proposal, drivers, people, tags and links', () => {
    const doc = new Y.Doc();
    const goal = goals.create(doc, ctx, { title: 'Ship the beta' });
    const note = notes.create(doc, ctx, { title: 'Research' });
    if (!goal.ok || !note.ok) throw new Error('setup');
    const decision = created(doc);
    updated(doc, decision.id, { addOption: { id: 'option-aaaa', title: 'Written updates' } });
    clock += 1;
    updated(doc, decision.id, {
      addOption: { id: 'option-bbbb', title: 'Daily call', pros: 'Fast', cons: 'Time zones' },
    });
    const result = updated(doc, decision.id, {
      updateOption: { id: 'option-aaaa', pros: 'Async\nSearchable', cons: 'Slower' },
      proposedOptionId: 'option-aaaa',
      proposal: 'Post updates in writing by 10:00 local.',
      drivers: 'Five time zones\nFewer meetings',
      people: { 'member-aaaa': 'decider', 'member-bbbb': 'consulted' },
      addTags: ['Process'],
      addLinks: [`goal:${goal.value.id}`, `note:${note.value.id}`],
    });
    expect(result.options.map((option) => option.title)).toEqual(['Written updates', 'Daily call']);
    expect(result.options[0]).toMatchObject({ pros: 'Async\nSearchable', cons: 'Slower' });
    expect(result.proposedOptionId).toBe('option-aaaa');
    expect(result.people).toEqual([
      { member: 'member-aaaa', role: 'decider' },
      { member: 'member-bbbb', role: 'consulted' },
    ]);
    expect(result.tags).toEqual(['process']);
    expect(decisionsLinkedTo([result], `goal:${goal.value.id}`)).toEqual([
      { id: decision.id, title: decision.title, status: 'draft' },
    ]);
    const removed = updated(doc, decision.id, {
      removeOption: 'option-aaaa',
      people: { 'member-bbbb': null },
    });
    expect(removed.options.map((option) => option.id)).toEqual(['option-bbbb']);
    expect(removed.proposedOptionId).toBeNull();
    expect(removed.people).toHaveLength(1);
  });

  it('refuses links to records that do not exist and options that were removed', () => {
    const doc = new Y.Doc();
    const decision = created(doc);
    const link = decisions.update(doc, ctx, decision.id, { addLinks: ['goal:missing-goal-id'] });
    expect(!link.ok && link.error.message).toMatch(/linked goal does not exist/);
    const option = decisions.update(doc, ctx, decision.id, { proposedOptionId: 'gone-option' });
    expect(!option.ok && option.error.message).toMatch(/does not exist/);
  });

  it('records every status change with who and when, and enforces the lifecycle', () => {
    const doc = new Y.Doc();
    const decision = created(doc);
    const skip = decisions.update(doc, ctx, decision.id, { status: 'accepted' });
    expect(!skip.ok && skip.error.message).toBe(
      'A decision that is a draft cannot become accepted.',
    );
    clock = 2_000_000;
    updated(doc, decision.id, { status: 'proposed', closesAt: 5_000_000 });
    clock = 3_000_000;
    const accepted = decisions.update(doc, other, decision.id, {
      status: 'accepted',
      outcome: 'We go async.',
    });
    if (!accepted.ok) throw new Error(accepted.error.message);
    expect(accepted.value.history.map(({ from, to, by, at }) => ({ from, to, by, at }))).toEqual([
      { from: 'draft', to: 'proposed', by: 'member-aaaa', at: 2_000_000 },
      { from: 'proposed', to: 'accepted', by: 'member-bbbb', at: 3_000_000 },
    ]);
    // Accepting before the closing date closes the vote at that moment.
    expect(accepted.value.closesAt).toBe(3_000_000);
    expect(accepted.value.outcome).toBe('We go async.');
  });

  it('refuses a closing date in the past and keeps the old one', () => {
    const doc = new Y.Doc();
    const decision = created(doc);
    clock = 10_000_000;
    updated(doc, decision.id, { status: 'proposed', closesAt: 20_000_000 });
    const past = decisions.update(doc, ctx, decision.id, { closesAt: 9_000_000 });
    expect(!past.ok && past.error.message).toBe(
      'The closing date is in the past. Pick a time after now.',
    );
    expect(decisions.get(doc, decision.id)).toMatchObject({ value: { closesAt: 20_000_000 } });
  });

  it('supersedes with a link to the replacement, keeps the old one readable, refuses cycles', () => {
    const doc = new Y.Doc();
    const a = created(doc, 'Use Postgres');
    const b = created(doc, 'Use SQLite');
    const c = created(doc, 'Use files');
    for (const id of [a.id, b.id, c.id]) {
      updated(doc, id, { status: 'proposed' });
      updated(doc, id, { status: 'accepted', outcome: 'Chosen after a trial.' });
    }
    const missing = decisions.update(doc, ctx, a.id, { status: 'superseded' });
    expect(!missing.ok && missing.error.message).toBe('Pick the decision that replaces this one.');
    const self = decisions.update(doc, ctx, a.id, { status: 'superseded', supersededBy: a.id });
    expect(!self.ok && self.error.message).toBe('A decision cannot supersede itself.');
    expect(updated(doc, a.id, { status: 'superseded', supersededBy: b.id })).toMatchObject({
      status: 'superseded',
      supersededBy: b.id,
      title: 'Use Postgres',
    });
    updated(doc, b.id, { status: 'superseded', supersededBy: c.id });
    const cycle = decisions.update(doc, ctx, c.id, { status: 'superseded', supersededBy: a.id });
    expect(!cycle.ok && cycle.error.message).toMatch(/would make a loop/);
    expect(decisions.get(doc, c.id)).toMatchObject({ value: { status: 'accepted' } });
  });

  it('terminates on a supersede cycle merged from two replicas', () => {
    const left = new Y.Doc();
    const a = created(left, 'A');
    const b = created(left, 'B');
    for (const id of [a.id, b.id]) {
      updated(left, id, { status: 'proposed' });
      updated(left, id, { status: 'accepted', outcome: 'Chosen.' });
    }
    const right = new Y.Doc();
    Y.applyUpdate(right, Y.encodeStateAsUpdate(left));
    updated(left, a.id, { status: 'superseded', supersededBy: b.id });
    const onRight = decisions.update(right, ctx, b.id, {
      status: 'superseded',
      supersededBy: a.id,
    });
    expect(onRight.ok).toBe(true);
    Y.applyUpdate(right, Y.encodeStateAsUpdate(left));
    Y.applyUpdate(left, Y.encodeStateAsUpdate(right));
    expect(supersedeMakesCycle(left, a.id, b.id)).toBe(true);
    expect(decisions.list(left).items.map((item) => item.status)).toEqual([
      'superseded',
      'superseded',
    ]);
  });

  it('keeps concurrent status changes from two replicas in the history', () => {
    const left = new Y.Doc();
    const decision = created(left);
    updated(left, decision.id, { status: 'proposed' });
    const right = new Y.Doc();
    Y.applyUpdate(right, Y.encodeStateAsUpdate(left));
    clock += 10;
    updated(left, decision.id, { status: 'accepted', outcome: 'Chosen.' });
    const rejected = decisions.update(right, other, decision.id, { status: 'rejected' });
    expect(rejected.ok).toBe(true);
    Y.applyUpdate(right, Y.encodeStateAsUpdate(left));
    Y.applyUpdate(left, Y.encodeStateAsUpdate(right));
    const l = decisions.get(left, decision.id);
    const r = decisions.get(right, decision.id);
    expect(l).toEqual(r);
    expect(l?.ok && l.value.history.map((change) => change.to).sort()).toEqual([
      'accepted',
      'proposed',
      'rejected',
    ]);
  });

  it('reads records written before these fields existed with defaults', () => {
    const doc = new Y.Doc();
    doc.transact(() => {
      const record = new Y.Map<unknown>();
      doc.getMap(ROOT.decisions).set('old-decision-1', record);
      for (const [key, value] of Object.entries({
        title: 'Old',
        status: 'proposed',
        createdAt: 1,
        createdBy: 'member-aaaa',
        updatedAt: 1,
        updatedBy: 'member-aaaa',
        archived: false,
        deletedAt: null,
      }))
        record.set(key, value);
    });
    expect(decisions.get(doc, 'old-decision-1')).toMatchObject({
      ok: true,
      value: {
        options: [],
        votes: [],
        ballots: [],
        pollType: 'consent',
        history: [],
        proposal: '',
      },
    });
    expect(decisionContext(doc, 'old-decision-1')).toBeInstanceOf(Y.XmlFragment);
    updated(doc, 'old-decision-1', { addOption: { title: 'Keep going' } });
  });

  it('skips an unreadable vote with a problem instead of hiding the decision', () => {
    const doc = new Y.Doc();
    const decision = created(doc);
    const votes = doc.getMap<Y.Map<unknown>>(ROOT.decisions).get(decision.id)?.get('votes');
    (votes as Y.Array<unknown>).push([{ member: 'x', choice: 'veto' }]);
    const read = decisions.get(doc, decision.id);
    expect(read?.ok && read.value.problems[0]).toMatch(/Vote 1 is unreadable/);
  });

  it('rejects unknown statuses and unknown fields', () => {
    const doc = new Y.Doc();
    const decision = created(doc, 'X');
    const badStatus = decisions.update(doc, ctx, decision.id, { status: 'maybe' } as never);
    expect(badStatus.ok).toBe(false);
    const extra = decisions.update(doc, ctx, decision.id, { owner: 'x' } as never);
    expect(!extra.ok && extra.error.code).toBe('invalid-input');
  });

  it('shows a record with an unknown status from a newer or buggy peer as damaged', () => {
    const doc = new Y.Doc();
    const decision = created(doc, 'X');
    const record = doc.getMap<Y.Map<unknown>>(ROOT.decisions).get(decision.id);
    record?.set('status', 'vetoed');
    const listed = decisions.list(doc);
    expect(listed.items).toHaveLength(0);
    expect(listed.damaged[0]).toMatchObject({ id: decision.id, kind: 'decision' });
    expect(listed.damaged[0]?.problems.join()).toMatch(/status/);
  });
});
