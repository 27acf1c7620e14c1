/**
 * The lifecycle rules that make a decision read right: accepting needs an outcome, rejected and
 * superseded decisions are history (read-only, still readable, still movable through their
 * lifecycle), and the poll type changes only on a draft nobody has voted on.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { castVote, decisions, type DecisionPatch } from '../../../shared/model';
import type { Decision } from '../../../shared/schema/records';

let clock = 1_000_000;
// Each write a millisecond later, so the history's order is the order of the writes.
const ctx = { actor: 'member-aaaa', now: () => (clock += 1) };

function made(doc: Y.Doc, title: string, ...patches: DecisionPatch[]): Decision {
  const created = decisions.create(doc, ctx, { title });
  if (!created.ok) throw new Error(created.error.message);
  let value = created.value;
  for (const patch of patches) {
    const result = decisions.update(doc, ctx, value.id, patch);
    if (!result.ok) throw new Error(result.error.message);
    value = result.value;
  }
  return value;
}

function refusal(doc: Y.Doc, id: string, patch: DecisionPatch): string | null {
  const result = decisions.update(doc, ctx, id, patch);
  return result.ok ? null : result.error.message;
}

describe('decision lifecycle rules', () => {
  it('refuses to accept without an outcome, and accepts with one', () => {
    const doc = new Y.Doc();
    const decision = made(doc, 'Four-day week', { status: 'proposed' });
    expect(refusal(doc, decision.id, { status: 'accepted' })).toBe(
      'Write the outcome first: what was decided, and why.',
    );
    expect(refusal(doc, decision.id, { status: 'accepted', outcome: '   ' })).toBe(
      'Write the outcome first: what was decided, and why.',
    );
    expect(decisions.get(doc, decision.id)).toMatchObject({ value: { status: 'proposed' } });
    // An outcome saved earlier (typed before deciding) is enough.
    made(doc, 'unused');
    expect(refusal(doc, decision.id, { outcome: 'Fridays off from March.' })).toBeNull();
    expect(refusal(doc, decision.id, { status: 'accepted' })).toBeNull();
    // Rejecting needs no outcome.
    const other = made(doc, 'Five-day week', { status: 'proposed' });
    expect(refusal(doc, other.id, { status: 'rejected' })).toBeNull();
  });

  it('keeps a rejected decision read-only until it is reopened', () => {
    const doc = new Y.Doc();
    const decision = made(
      doc,
      'Use Slack',
      { addOption: { title: 'Slack' } },
      { status: 'proposed' },
      { status: 'rejected' },
    );
    const rejected =
      'This decision was rejected and is kept as it was decided. Reopen it (Status → Proposed) to change it.';
    expect(refusal(doc, decision.id, { title: 'Use Teams' })).toBe(rejected);
    expect(refusal(doc, decision.id, { outcome: 'Changed later' })).toBe(rejected);
    expect(refusal(doc, decision.id, { addTags: ['chat'] })).toBe(rejected);
    expect(refusal(doc, decision.id, { removeOption: decision.options[0]!.id })).toBe(rejected);
    expect(decisions.get(doc, decision.id)).toMatchObject({
      value: { title: 'Use Slack', options: [{ title: 'Slack' }], tags: [] },
    });
    expect(refusal(doc, decision.id, { status: 'proposed' })).toBeNull();
    expect(refusal(doc, decision.id, { title: 'Use Teams' })).toBeNull();
  });

  it('keeps a superseded decision read-only and lets it move back to accepted', () => {
    const doc = new Y.Doc();
    const old = made(
      doc,
      'Weekly call',
      { status: 'proposed' },
      { status: 'accepted', outcome: 'Mondays' },
    );
    const next = made(doc, 'Written updates');
    expect(refusal(doc, old.id, { status: 'superseded', supersededBy: next.id })).toBeNull();
    expect(refusal(doc, old.id, { proposal: 'Tuesdays' })).toBe(
      'This decision was superseded and is kept as history; it cannot be changed.',
    );
    expect(refusal(doc, old.id, { reviewOn: '2027-01-01' })).toMatch(/superseded and is kept/);
    expect(decisions.get(doc, old.id)).toMatchObject({
      value: {
        outcome: 'Mondays',
        history: [{ to: 'proposed' }, { to: 'accepted' }, { to: 'superseded' }],
      },
    });
    expect(refusal(doc, old.id, { status: 'accepted' })).toBeNull();
  });

  it('changes the poll type only on a draft that nobody has voted on', () => {
    const doc = new Y.Doc();
    const decision = made(doc, 'Offsite city', { pollType: 'choose' });
    expect(decision.pollType).toBe('choose');
    made(doc, 'ignored');
    expect(refusal(doc, decision.id, { status: 'proposed' })).toBeNull();
    expect(refusal(doc, decision.id, { pollType: 'score' })).toBe(
      'The poll type can change only while the decision is a draft (Status → Draft).',
    );
    const consent = made(doc, 'Consent first', { status: 'proposed' });
    castVote(doc, ctx, consent.id, { choice: 'agree' });
    expect(refusal(doc, consent.id, { status: 'draft' })).toBeNull();
    expect(refusal(doc, consent.id, { pollType: 'score' })).toBe(
      'People have already voted in this poll; its type can no longer change.',
    );
    expect(refusal(doc, consent.id, { pollType: 'ranked' as never })).toMatch(/pollType|Invalid/i);
  });
});
