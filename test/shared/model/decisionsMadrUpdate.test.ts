import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { castVote, decisionContext, decisions, ROOT } from '../../../shared/model';
import { importMadr } from '../../../shared/model/decisionsMadr';
import { madrSource, recordsBySource } from '../../../shared/model/importSources';
import type { Member } from '../../../shared/schema/records';

const members: Member[] = [
  { id: 'member-ana1', name: 'Ana', color: '#2563eb', timeZone: 'UTC', updatedAt: 1 },
];
const ctx = { actor: 'member-ana1', now: () => Date.UTC(2026, 4, 1, 12) };

const FIRST = `---
status: proposed
---
# Use written updates

## Context and Problem Statement

We miss each other in calls.

## Considered Options

* Written updates
* Daily call
`;

const SECOND = `---
status: accepted
---
# Use written updates, weekly

## Context and Problem Statement

We miss each other in calls across five time zones.

## Considered Options

* Written updates
* Async video

## Pros and Cons of the Options

### Written updates

* Good, because searchable
`;

describe('MADR import: the same file twice', () => {
  it('remembers the file, then updates that decision in place, keeping options voted on', () => {
    const doc = new Y.Doc();
    const first = importMadr(doc, ctx, FIRST, '0001-updates.md', members);
    if (!first.ok) throw new Error(first.error.message);
    const id = first.value.decision.id;
    expect(recordsBySource(doc, ROOT.decisions).get(madrSource('0001-updates.md'))).toBe(id);
    const daily = first.value.decision.options.find((option) => option.title === 'Daily call')!;
    expect(castVote(doc, ctx, id, { choice: 'agree' }).ok).toBe(true);

    const again = importMadr(doc, ctx, SECOND, '0001-updates.md', members, id);
    if (!again.ok) throw new Error(again.error.message);
    expect(decisions.list(doc).items).toHaveLength(1);
    const decision = again.value.decision;
    expect(decision.id).toBe(id);
    expect(decision.title).toBe('Use written updates, weekly');
    expect(decision.options.map((option) => option.title).sort()).toEqual([
      'Async video',
      'Daily call',
      'Written updates',
    ]);
    expect(decision.options.find((option) => option.title === 'Written updates')?.pros).toBe(
      'searchable',
    );
    expect(decision.options.find((option) => option.id === daily.id)).toBeDefined();
    expect(decision.status).toBe('proposed');
    expect(decision.votes).toHaveLength(1);
    expect(again.value.warnings.join(' ')).toContain('Options no longer in the file are kept');
    expect(again.value.warnings.join(' ')).toContain('the decision stays “proposed”');
    const context = decisionContext(doc, id)!.toString();
    expect(context).toContain('across five time zones');
    expect(context).not.toContain('We miss each other in calls.<');
  });

  it('imports as a new decision when no update is asked for', () => {
    const doc = new Y.Doc();
    importMadr(doc, ctx, FIRST, '0001-updates.md', members);
    importMadr(doc, ctx, FIRST, '0001-updates.md', members);
    expect(decisions.list(doc).items).toHaveLength(2);
  });
});
