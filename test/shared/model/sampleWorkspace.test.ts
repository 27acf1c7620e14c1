import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { decisions, goals, noteBody, notes } from '../../../shared/model';
import { createNotesFromSeeds } from '../../../shared/model/notes';
import { digestBody } from '../../../shared/model/notesBody';
import { addSample, removeSample, sampleCount } from '../../../shared/model/sampleWorkspace';

const ctx = { actor: 'member-aaaa', now: () => 1_000 };

describe('the first-run sample', () => {
  it('adds two notes, a goal and a decision that link to each other, each marked as a sample', () => {
    const doc = new Y.Doc();
    const added = addSample(doc, ctx);
    if (!added.ok) throw new Error(added.error.message);
    const [welcome, plan] = added.value.notes;
    expect(
      notes
        .list(doc)
        .items.map((note) => note.title)
        .sort(),
    ).toEqual(['Sample · Offsite plan', 'Sample · Welcome to Outpost']);
    expect(digestBody(noteBody(doc, welcome!)!).links).toEqual([plan]);
    expect(digestBody(noteBody(doc, plan!)!).links).toEqual([welcome]);
    const goal = goals.get(doc, added.value.goal);
    expect(goal?.ok && goal.value.links).toEqual(
      expect.arrayContaining([
        { kind: 'note', id: plan },
        { kind: 'decision', id: added.value.decision },
      ]),
    );
    const decision = decisions.get(doc, added.value.decision);
    expect(decision?.ok && decision.value.links).toEqual(
      expect.arrayContaining([`goal:${added.value.goal}`, `note:${plan}`]),
    );
    expect(sampleCount(doc)).toBe(4);
  });

  it('removes only the sample: the person’s own records stay, also those linking to it', () => {
    const doc = new Y.Doc();
    const before = notes.create(doc, ctx, { title: 'My own note' });
    const added = addSample(doc, ctx);
    if (!added.ok || !before.ok) throw new Error('setup');
    const linking = createNotesFromSeeds(doc, ctx, [
      {
        title: 'Mine, linking the sample',
        body: [
          {
            type: 'paragraph',
            content: [{ type: 'noteLink', attrs: { noteId: added.value.notes[0], label: 'x' } }],
          },
        ],
      },
    ]);
    const goal = goals.create(doc, ctx, { title: 'My own goal' });
    if (!linking.ok || !goal.ok) throw new Error('setup');
    expect(removeSample(doc, ctx)).toEqual({ ok: true, value: 4 });
    expect(
      notes
        .list(doc)
        .items.map((note) => note.title)
        .sort(),
    ).toEqual(['Mine, linking the sample', 'My own note']);
    expect(goals.list(doc).items.map((item) => item.title)).toEqual(['My own goal']);
    expect(decisions.list(doc).items).toEqual([]);
    expect(sampleCount(doc)).toBe(0);
    expect(removeSample(doc, ctx)).toEqual({ ok: true, value: 0 });
  });
});
