import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { prosemirrorJSONToYXmlFragment, yXmlFragmentToProsemirrorJSON } from '@tiptap/y-tiptap';
import { getSchema } from '@tiptap/core';
import StarterKit from '@tiptap/starter-kit';
import { castVote, decisionContext, decisions } from '../../../shared/model';
import { exportMadr, importMadr, madrFileName } from '../../../shared/model/decisionsMadr';
import { parseMadr } from '../../../shared/model/decisionsMadrParse';
import type { Decision, Member } from '../../../shared/schema/records';

const members: Member[] = [
  { id: 'member-ana1', name: 'Ana', color: '#2563eb', timeZone: 'UTC', updatedAt: 1 },
  { id: 'member-ben1', name: 'Ben', color: '#db2777', timeZone: 'UTC', updatedAt: 1 },
];
const ctx = { actor: 'member-ana1', now: () => Date.UTC(2026, 4, 1, 12) };

function sample(doc: Y.Doc): Decision {
  const created = decisions.create(doc, ctx, { title: 'Use written updates' });
  if (!created.ok) throw new Error(created.error.message);
  const id = created.value.id;
  const steps: Parameters<typeof decisions.update>[3][] = [
    {
      addOption: {
        id: 'option-written',
        title: 'Written updates',
        pros: 'Async\nSearchable',
        cons: 'Slower',
      },
    },
    { addOption: { id: 'option-calls1', title: 'Daily call', cons: 'Time zones' } },
    {
      proposedOptionId: 'option-written',
      drivers: 'Five time zones',
      proposal: 'Post by 10:00 local.',
      people: { 'member-ana1': 'decider', 'member-ben1': 'consulted' },
      addTags: ['process'],
      status: 'proposed',
    },
  ];
  steps.forEach((patch, index) => {
    const result = decisions.update(doc, { ...ctx, now: () => ctx.now() + index }, id, patch);
    if (!result.ok) throw new Error(result.error.message);
  });
  castVote(doc, { actor: 'member-ben1', now: () => ctx.now() + 10 }, id, { choice: 'agree' });
  decisions.update(doc, { ...ctx, now: () => ctx.now() + 20 }, id, {
    status: 'accepted',
    outcome: 'it works across time zones.',
    reviewOn: '2026-11-01',
  });
  const fragment = decisionContext(doc, id)!;
  prosemirrorJSONToYXmlFragment(
    getSchema([StarterKit]),
    {
      type: 'doc',
      content: [
        {
          type: 'paragraph',
          content: [
            { type: 'text', text: 'We miss each other in ' },
            { type: 'text', text: 'calls', marks: [{ type: 'bold' }] },
          ],
        },
      ],
    },
    fragment,
  );
  const read = decisions.get(doc, id);
  if (!read?.ok) throw new Error('read');
  return read.value;
}

describe('MADR export', () => {
  it('writes status, date, deciders, context, options with pros and cons, and the outcome', () => {
    const doc = new Y.Doc();
    const decision = sample(doc);
    const { fileName, markdown } = exportMadr(doc, decision, members, [decision]);
    expect(fileName).toBe('0001-use-written-updates.md');
    expect(markdown).toBe(`---
status: accepted
date: 2026-05-01
deciders: Ana
consulted: Ben
tags: process
review-date: 2026-11-01
---

# Use written updates

## Context and Problem Statement

We miss each other in **calls**

## Decision Drivers

* Five time zones

## Considered Options

* Written updates
* Daily call

## Proposal

Post by 10:00 local.

## Decision Outcome

Chosen option: "Written updates", because it works across time zones.

## Votes

1 agree, 0 abstain, 0 disagree, 0 block

* Ben: agree

## Pros and Cons of the Options

### Written updates

* Good, because Async
* Good, because Searchable
* Bad, because Slower

### Daily call

* Bad, because Time zones
`);
  });

  it('round-trips through import', () => {
    const doc = new Y.Doc();
    const decision = sample(doc);
    const { markdown } = exportMadr(doc, decision, members, [decision]);
    const target = new Y.Doc();
    const imported = importMadr(target, ctx, markdown, 'x.md', members);
    if (!imported.ok) throw new Error(imported.error.message);
    const copy = imported.value.decision;
    expect(copy).toMatchObject({
      title: decision.title,
      status: 'accepted',
      drivers: 'Five time zones',
      proposal: 'Post by 10:00 local.',
      outcome: 'it works across time zones.',
      reviewOn: '2026-11-01',
      tags: ['process'],
      people: decision.people,
    });
    expect(copy.options.map(({ title, pros, cons }) => ({ title, pros, cons }))).toEqual(
      decision.options.map(({ title, pros, cons }) => ({ title, pros, cons })),
    );
    expect(copy.options.find((option) => option.id === copy.proposedOptionId)?.title).toBe(
      'Written updates',
    );
    expect(copy.history[0]).toMatchObject({ from: null, to: 'accepted', at: Date.UTC(2026, 4, 1) });
    expect(decisionContext(target, copy.id)?.toString()).toContain('<bold>calls</bold>');
    expect(imported.value.warnings).toEqual([
      'Votes are not imported: each member votes in Outpost.',
    ]);
    expect(exportMadr(target, copy, members, [copy]).markdown).toContain(
      '## Context and Problem Statement\n\nWe miss each other in **calls**',
    );
  });

  it('imports a MADR 4 file from elsewhere, keeping unknown sections and unknown people', () => {
    const doc = new Y.Doc();
    const result = importMadr(
      doc,
      ctx,
      `---\r\nstatus: "superseded by ADR-0005"\r\ndecision-makers: Ana, Zoe\r\n---\r\n\r\n# Use Markdown ADRs\r\n\r\n## Context and Problem Statement\r\n\r\nWe want records.\r\n\r\n## Considered Options\r\n\r\n* MADR\r\n* Nygard\r\n\r\n## Decision Outcome\r\n\r\nChosen option: "MADR", because it is lean.\r\n\r\n### Consequences\r\n\r\n* Good, because structured\r\n\r\n## More Information\r\n\r\nSee the ADR site.\r\n`,
      '0001-madr.md',
      members,
    );
    if (!result.ok) throw new Error(result.error.message);
    const { decision, warnings } = result.value;
    expect(decision.status).toBe('accepted');
    expect(decision.people).toEqual([{ member: 'member-ana1', role: 'decider' }]);
    expect(decision.outcome).toContain('it is lean.');
    expect(decision.outcome).toContain('### Consequences');
    expect(warnings.join(' ')).toMatch(/superseded by ADR-0005/);
    expect(warnings.join(' ')).toMatch(/Zoe \(decider\)/);
    const context = decisionContext(doc, decision.id)!.toString();
    expect(context).toContain('See the ADR site.');
    expect(context).toContain('Zoe (decider)');
  });

  it('keeps links Outpost would never open as plain text, and says so', () => {
    const doc = new Y.Doc();
    const result = importMadr(
      doc,
      ctx,
      '# Links\n\n## Context and Problem Statement\n\n' +
        '[run](javascript:alert(1)), [page](data:text/html,hi), [disk](file:///etc/passwd), ' +
        '[up](../secret.md) and [site](https://example.org/adr).\n',
      'links.md',
      members,
    );
    if (!result.ok) throw new Error(result.error.message);
    const json = yXmlFragmentToProsemirrorJSON(decisionContext(doc, result.value.decision.id)!);
    const hrefs = JSON.stringify(json).match(/"href":"[^"]*"/g);
    expect(hrefs).toEqual(['"href":"https://example.org/adr"']);
    const text = decisionContext(doc, result.value.decision.id)!.toString();
    for (const word of ['run', 'page', 'disk', 'up', 'site']) expect(text).toContain(word);
    expect(result.value.warnings).toContain(
      '4 links to addresses Outpost does not open (only http, https and mailto) are kept as plain text.',
    );
  });

  it('reads the context with the notes Markdown reader, keeping what StarterKit lacks as text', () => {
    const doc = new Y.Doc();
    const result = importMadr(
      doc,
      ctx,
      '# Tasks\n\n## Context and Problem Statement\n\n- [ ] open\n- [x] done\n\nSee [[Roadmap]] and *why*.\n',
      'tasks.md',
      members,
    );
    if (!result.ok) throw new Error(result.error.message);
    const context = decisionContext(doc, result.value.decision.id)!;
    expect(context.toString()).toContain('[ ] open');
    expect(context.toString()).toContain('[x] done');
    expect(context.toString()).toContain('[[Roadmap]]');
    expect(
      exportMadr(doc, result.value.decision, members, [result.value.decision]).markdown,
    ).toContain(
      '## Context and Problem Statement\n\n- \\[ \\] open\n- \\[x\\] done\n\nSee \\[\\[Roadmap\\]\\] and *why*.\n',
    );
  });

  it('refuses malformed files with a clear message and writes nothing', () => {
    const cases: [string, RegExp][] = [
      ['---\nstatus: accepted\n# Title', /front matter that starts with "---" is never closed/],
      ['---\nstatus: accepted\n---\nNo heading here', /no title/],
      ['---\nstatus: maybe\n---\n# T', /unknown status "maybe"/],
      ['---\nstatus accepted\n---\n# T', /line 2 is not "key: value"/],
      ['---\ndate: 01/02/2026\n---\n# T', /not a date like 2026-01-31/],
      ['# T\u0000', /not a text file/],
      [`# ${'x'.repeat(201)}`, /longer than 200/],
    ];
    for (const [text, message] of cases) {
      const doc = new Y.Doc();
      const result = importMadr(doc, ctx, text, 'bad.md', members);
      expect(!result.ok && result.error.message).toMatch(message);
      expect(!result.ok && result.error.message).toMatch(/^bad\.md: /);
      expect(decisions.list(doc).items).toEqual([]);
    }
  });

  it('names files by number and slug', () => {
    expect(madrFileName({ title: 'Café über alles!' }, 12)).toBe('0012-cafe-uber-alles.md');
    expect(madrFileName({ title: '???' }, 1)).toBe('0001-decision.md');
    expect(parseMadr('# Only a title', 'a.md')).toMatchObject({
      ok: true,
      value: { status: 'proposed' },
    });
  });
});
