import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { decisions, goals, noteBody, notes, renameWorkspace } from '../../../shared/model';
import { workspaceAsMarkdown } from '../../../shared/storage/markdownExport';

const ctx = { actor: 'member-1', now: () => 1_700_000_000_000 };

describe('Markdown export of a workspace', () => {
  it('writes an index and one file per note, goal and decision, with note bodies', () => {
    const doc = new Y.Doc();
    renameWorkspace(doc, 'Nomads');
    const note = notes.create(doc, ctx, { title: 'Trip plan', tags: ['travel'] });
    if (!note.ok) throw new Error(note.error.message);
    const body = noteBody(doc, note.value.id)!;
    doc.transact(() => {
      const heading = new Y.XmlElement('heading');
      heading.setAttribute('level', 2 as unknown as string);
      const paragraph = new Y.XmlElement('paragraph');
      const list = new Y.XmlElement('taskList');
      const item = new Y.XmlElement('taskItem');
      item.setAttribute('checked', true as unknown as string);
      const itemParagraph = new Y.XmlElement('paragraph');
      body.insert(0, [heading, paragraph, list]);
      heading.insert(0, [new Y.XmlText('Day one')]);
      const text = new Y.XmlText();
      paragraph.insert(0, [text]);
      text.insert(0, 'Book the ');
      text.insert(9, 'train', { bold: true });
      list.insert(0, [item]);
      item.insert(0, [itemParagraph]);
      itemParagraph.insert(0, [new Y.XmlText('Pack')]);
    });
    goals.create(doc, ctx, { title: 'Ship the beta' });
    decisions.create(doc, ctx, { title: 'Adopt async updates' });
    const files = workspaceAsMarkdown(doc, Date.UTC(2026, 0, 2));
    const paths = files.map((f) => f.path);
    expect(paths[0]).toBe('README.md');
    expect(paths.some((p) => /^notes\/trip-plan-.+\.md$/.test(p))).toBe(true);
    expect(paths.some((p) => /^goals\/ship-the-beta-.+\.md$/.test(p))).toBe(true);
    expect(paths.some((p) => /^decisions\/adopt-async-updates-.+\.md$/.test(p))).toBe(true);
    const noteFile = files.find((f) => f.path.startsWith('notes/'))!;
    expect(noteFile.content).toContain('tags: [travel]');
    expect(noteFile.content).toContain('## Day one');
    expect(noteFile.content).toContain('Book the **train**');
    expect(noteFile.content).toContain('- [x] Pack');
    const goalFile = files.find((f) => f.path.startsWith('goals/'))!;
    expect(goalFile.content).toContain('title: "Ship the beta"');
    const decisionFile = files.find((f) => f.path.startsWith('decisions/'))!;
    expect(decisionFile.content).toContain('# Adopt async updates');
    expect(files[0]!.content).toContain('# Nomads');
    expect(files[0]!.content).toMatch(/1 notes, 1 goals, 1 decisions/);
  });

  it('lists damaged records instead of dropping them', () => {
    const doc = new Y.Doc();
    doc.getMap('notes').set('damaged-note-1', 'not a map');
    const files = workspaceAsMarkdown(doc, 0);
    const damaged = files.find((f) => f.path === 'damaged-records.md');
    expect(damaged?.content).toContain('damaged-note-1');
  });
});
