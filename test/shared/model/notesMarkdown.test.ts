import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { notes, noteBody } from '../../../shared/model';
import { createNotesFromSeeds } from '../../../shared/model/notes';
import {
  inspectBody,
  readBodyTree,
  writeBodyTree,
  type BodyNode,
} from '../../../shared/model/notesBody';
import {
  bodyToMarkdown,
  decodeMarkdownFile,
  markdownFileName,
  markdownToBody,
  noteToMarkdown,
  parseNoteMarkdown,
} from '../../../shared/model/notesMarkdown';

const ctx = { actor: 'member-1', now: () => 1_760_000_000_000 };
const bold = { bold: {} };

/** A body using every node and mark the editor offers. */
const RICH: BodyNode[] = [
  { type: 'heading', attrs: { level: 1 }, content: [{ type: 'text', text: 'Weekly update' }] },
  {
    type: 'paragraph',
    content: [
      { type: 'text', text: 'Plain, ' },
      { type: 'text', text: 'bold', marks: bold },
      { type: 'text', text: ' and ' },
      { type: 'text', text: 'bold italic', marks: { bold: {}, italic: {} } },
      { type: 'text', text: ', ' },
      { type: 'text', text: 'struck', marks: { strike: {} } },
      { type: 'text', text: ', ' },
      { type: 'text', text: 'a `tick`', marks: { code: {} } },
      { type: 'text', text: ' and a ' },
      { type: 'text', text: 'link', marks: { link: { href: 'https://example.org/a?b=1' } } },
      { type: 'text', text: '. Specials: 2 * 3 _x_ [y] <z> & #1 ~tilde~' },
    ],
  },
  {
    type: 'paragraph',
    content: [
      { type: 'text', text: 'See ' },
      { type: 'noteLink', attrs: { noteId: 'target-note-1', label: 'Old title' } },
      { type: 'text', text: ' then' },
      { type: 'hardBreak' },
      { type: 'text', text: 'a new line' },
    ],
  },
  { type: 'heading', attrs: { level: 3 }, content: [{ type: 'text', text: '# not a heading' }] },
  {
    type: 'bulletList',
    content: [
      {
        type: 'listItem',
        content: [{ type: 'paragraph', content: [{ type: 'text', text: 'one' }] }],
      },
      {
        type: 'listItem',
        content: [
          { type: 'paragraph', content: [{ type: 'text', text: 'two' }] },
          {
            type: 'orderedList',
            attrs: { start: 3 },
            content: [
              {
                type: 'listItem',
                content: [{ type: 'paragraph', content: [{ type: 'text', text: 'three' }] }],
              },
              {
                type: 'listItem',
                content: [{ type: 'paragraph', content: [{ type: 'text', text: '4. four' }] }],
              },
            ],
          },
        ],
      },
    ],
  },
  {
    type: 'taskList',
    content: [
      {
        type: 'taskItem',
        attrs: { checked: true },
        content: [{ type: 'paragraph', content: [{ type: 'text', text: 'done' }] }],
      },
      {
        type: 'taskItem',
        attrs: { checked: false },
        content: [{ type: 'paragraph', content: [{ type: 'text', text: 'open', marks: bold }] }],
      },
    ],
  },
  {
    type: 'blockquote',
    content: [
      { type: 'paragraph', content: [{ type: 'text', text: 'quoted' }] },
      { type: 'paragraph', content: [{ type: 'text', text: '- still quoted' }] },
    ],
  },
  {
    type: 'codeBlock',
    attrs: { language: 'ts' },
    content: [{ type: 'text', text: 'const a = `x`;\n\n```\nnested fence\n```' }],
  },
  { type: 'horizontalRule' },
  { type: 'paragraph', content: [{ type: 'text', text: 'The end.' }] },
];

function roundTrip(tree: BodyNode[]): BodyNode[] {
  const doc = new Y.Doc();
  const fragment = doc.getXmlFragment('body');
  doc.transact(() => writeBodyTree(fragment, tree));
  const markdown = bodyToMarkdown(readBodyTree(fragment), (id) =>
    id === 'target-note-1' ? 'Target note' : undefined,
  );
  return markdownToBody(markdown);
}

/** Note links come back by title (ids are resolved on import), so compare labels only. */
function withoutIds(tree: readonly BodyNode[]): BodyNode[] {
  return tree.map((node) => {
    if (node.type === 'text') return node;
    if (node.type === 'noteLink') return { type: 'noteLink', attrs: { label: node.attrs?.label } };
    return node.content ? { ...node, content: withoutIds(node.content) } : node;
  });
}

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Text a person may type that Markdown could mistake for an empty paragraph, or lose. */
const PLAIN_PIECES = [
  'word',
  'two words',
  ' ',
  '  ',
  '\t',
  '\u00a0',
  '&nbsp;',
  '&#32;',
  'a\u00a0b',
  '    indented',
  'trailing ',
  '<br>',
  '\\',
  '# hash',
  '- dash',
  '1. one',
  '[ ] box',
];
const MARKED_PIECES: BodyNode[] = [
  { type: 'text', text: 'bold', marks: bold },
  { type: 'text', text: 'it', marks: { italic: {} } },
  { type: 'text', text: 'x = 1', marks: { code: {} } },
  { type: 'text', text: 'gone', marks: { strike: {} } },
  { type: 'text', text: 'site', marks: { link: { href: 'https://example.org/' } } },
];

/**
 * Random bodies in the shape the importer gives back (neighbouring text runs merged, no `content`
 * on an empty paragraph or heading), with empty paragraphs in every position a person can leave
 * one: first, last, consecutive, alone, in list and task items and in quotes.
 */
function randomBody(random: () => number): BodyNode[] {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const count = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  const inlineContent = (): BodyNode[] => {
    const out: BodyNode[] = [];
    let lastMarked = false;
    for (let n = count(0, 4); n > 0; n--) {
      const roll = random();
      if (roll < 0.2) {
        out.push({ type: 'hardBreak' });
        lastMarked = false;
      } else if (roll < 0.45 && !lastMarked) {
        out.push(pick(MARKED_PIECES));
        lastMarked = true;
      } else {
        const text = pick(PLAIN_PIECES);
        const last = out[out.length - 1];
        if (last?.type === 'text' && !last.marks)
          out[out.length - 1] = { type: 'text', text: last.text + text };
        else out.push({ type: 'text', text });
        lastMarked = false;
      }
    }
    return out;
  };
  const paragraph = (empty = random() < 0.4): BodyNode => {
    const content = empty ? [] : inlineContent();
    return content.length ? { type: 'paragraph', content } : { type: 'paragraph' };
  };
  const list = (depth: number): BodyNode => {
    const kind = pick(['bulletList', 'orderedList', 'taskList'] as const);
    const items = Array.from({ length: count(1, 3) }, (): BodyNode => {
      const content = [paragraph()];
      for (let n = count(0, 2); n > 0; n--)
        content.push(depth < 2 && random() < 0.3 ? list(depth + 1) : paragraph());
      return kind === 'taskList'
        ? { type: 'taskItem', attrs: { checked: random() < 0.5 }, content }
        : { type: 'listItem', content };
    });
    return kind === 'orderedList'
      ? { type: kind, attrs: { start: count(1, 3) }, content: items }
      : { type: kind, content: items };
  };
  const block = (depth: number): BodyNode => {
    const roll = random();
    if (roll < 0.35) return paragraph(true);
    if (roll < 0.55) return paragraph(false);
    if (roll < 0.62) {
      const content = inlineContent();
      return {
        type: 'heading',
        attrs: { level: count(1, 3) },
        ...(content.length ? { content } : {}),
      };
    }
    if (roll < 0.8) return list(depth);
    if (roll < 0.9 && depth < 2)
      return {
        type: 'blockquote',
        content: Array.from({ length: count(1, 3) }, () => block(depth + 1)),
      };
    if (roll < 0.95) return { type: 'codeBlock', content: [{ type: 'text', text: 'let a;' }] };
    return { type: 'horizontalRule' };
  };
  return Array.from({ length: count(1, 6) }, () => block(0));
}

describe('notes as Markdown', () => {
  it('round-trips every node and mark through Yjs, Markdown and back', () => {
    const back = roundTrip(RICH);
    const expected = withoutIds(RICH).map((node) =>
      node.type === 'paragraph' && node.content?.[1]?.type === 'noteLink'
        ? {
            ...node,
            content: node.content.map((child) =>
              child.type === 'noteLink'
                ? { type: 'noteLink' as const, attrs: { label: 'Target note' } }
                : child,
            ),
          }
        : node,
    );
    expect(withoutIds(back)).toEqual(expected);
  });

  it('round-trips random bodies with empty paragraphs and whitespace anywhere', () => {
    for (let seed = 1; seed <= 400; seed++) {
      const body = randomBody(rng(seed));
      try {
        expect(roundTrip(body)).toEqual(body);
      } catch (error) {
        console.error(`Markdown round trip failed with seed ${seed}:\n${bodyToMarkdown(body)}`);
        throw error;
      }
    }
  });

  it('keeps empty paragraphs, and never makes one out of what a person typed', () => {
    const empty: BodyNode = { type: 'paragraph' };
    const text = (value: string): BodyNode => ({
      type: 'paragraph',
      content: [{ type: 'text', text: value }],
    });
    const cases: BodyNode[][] = [
      [empty],
      [text('a'), empty, empty, text('b')],
      [text('\u00a0')],
      [text('&nbsp;')],
      [text(' ')],
      [{ type: 'paragraph', content: [{ type: 'hardBreak' }] }],
      [
        {
          type: 'taskList',
          content: [{ type: 'taskItem', attrs: { checked: false }, content: [empty] }],
        },
      ],
      [{ type: 'blockquote', content: [empty] }],
    ];
    for (const body of cases) expect(roundTrip(body)).toEqual(body);
    // The file reads naturally elsewhere: an empty paragraph is a paragraph of `&nbsp;`.
    expect(bodyToMarkdown([text('a'), empty, text('b')])).toBe('a\n\n&nbsp;\n\nb\n');
    expect(bodyToMarkdown(cases[6]!)).toBe('- [ ] &nbsp;\n');
    expect(bodyToMarkdown([text('&nbsp;')])).toBe('\\&nbsp;\n');
    expect(bodyToMarkdown([text(' ')])).toBe('&#32;\n');
  });

  it('writes the Markdown a person expects', () => {
    const doc = new Y.Doc();
    const fragment = doc.getXmlFragment('body');
    doc.transact(() => writeBodyTree(fragment, RICH));
    const markdown = bodyToMarkdown(readBodyTree(fragment), () => 'Target note');
    expect(markdown).toContain('# Weekly update\n');
    expect(markdown).toContain('**bold**');
    expect(markdown).toContain('***bold italic***');
    expect(markdown).toContain('[link](https://example.org/a?b=1)');
    expect(markdown).toContain('See [[Target note]] then\\\na new line');
    // A list right after another list switches bullets so the two stay separate lists.
    expect(markdown).toContain(
      '- one\n- two\n\n  3. three\n  4. 4\\. four\n\n* [x] done\n* [ ] **open**',
    );
    expect(markdown).toContain('````ts\nconst a');
  });

  it('keeps what a foreign Markdown file says even when the editor has no node for it', () => {
    const tree = markdownToBody(
      '| a | b |\n| - | - |\n| 1 | 2 |\n\n<div>html</div>\n\n![img](x.png)',
    );
    const text = JSON.stringify(tree);
    expect(text).toContain('html');
    expect(text).toContain('![img](x.png)');
    expect(text).toContain('1');
    // Every list item starts with a paragraph, as the editor's schema requires.
    const list = markdownToBody('- ```\n  code\n  ```');
    expect(list[0]).toEqual({
      type: 'bulletList',
      content: [
        {
          type: 'listItem',
          content: [
            { type: 'paragraph' },
            { type: 'codeBlock', content: [{ type: 'text', text: 'code' }] },
          ],
        },
      ],
    });
  });

  it('stores only links Outpost opens: the text of any other link stays as plain text', () => {
    const tree = markdownToBody(
      '[run](javascript:alert(1)) [page](data:text/html,hi) [disk](file:///etc/passwd) ' +
        '[up](../secret.md) [mail](mailto:ana@example.org) [site](https://example.org/x) ' +
        '<https://example.org/auto>',
    );
    expect(tree).toEqual([
      {
        type: 'paragraph',
        content: [
          { type: 'text', text: 'run page disk up ' },
          { type: 'text', text: 'mail', marks: { link: { href: 'mailto:ana@example.org' } } },
          { type: 'text', text: ' ' },
          { type: 'text', text: 'site', marks: { link: { href: 'https://example.org/x' } } },
          { type: 'text', text: ' ' },
          {
            type: 'text',
            text: 'https://example.org/auto',
            marks: { link: { href: 'https://example.org/auto' } },
          },
        ],
      },
    ]);
  });

  it('reports a stored link to an address Outpost never opens as a body problem', () => {
    const doc = new Y.Doc();
    const body = doc.getXmlFragment('body');
    const link = (href: unknown, text: string): BodyNode => ({
      type: 'text',
      text,
      marks: { link: { href } },
    });
    doc.transact(() =>
      writeBodyTree(body, [
        {
          type: 'paragraph',
          content: [link('https://example.org', 'fine'), link('mailto:a@example.org', 'mail')],
        },
      ]),
    );
    expect(inspectBody(body)).toEqual([]);
    doc.transact(() =>
      writeBodyTree(body, [
        {
          type: 'paragraph',
          content: [link('javascript:alert(1)', 'run'), link(42, 'number')],
        },
      ]),
    );
    expect(inspectBody(body)).toEqual([
      'a link to “javascript:alert(1)”, which Outpost does not open',
      'a link to a number, which Outpost does not open',
    ]);
  });

  it('round-trips a whole note file with front matter', () => {
    const file = noteToMarkdown(
      {
        title: 'Trip: "Lisbon" #1',
        tags: ['travel', 'q3'],
        pinned: true,
        createdAt: 1_700_000_000_000,
        updatedAt: 1_750_000_000_000,
      },
      RICH,
    );
    expect(file.startsWith('---\ntitle: "Trip: \\"Lisbon\\" #1"\ntags: [travel, q3]\n')).toBe(true);
    const parsed = parseNoteMarkdown('x.md', file);
    expect(parsed.ok && parsed.value).toMatchObject({
      title: 'Trip: "Lisbon" #1',
      tags: ['travel', 'q3'],
      pinned: true,
      createdAt: 1_700_000_000_000,
      updatedAt: 1_750_000_000_000,
    });
  });

  it('imports notes with [[links]] resolved to the notes created in the same import', () => {
    const doc = new Y.Doc();
    const a = parseNoteMarkdown('A.md', '# A\n\nlinks to [[B]] and [[Nowhere]]');
    const b = parseNoteMarkdown('B.md', '---\ntitle: B\ntags:\n  - x\n---\nbody of b');
    if (!a.ok || !b.ok) throw new Error('parse failed');
    const created = createNotesFromSeeds(doc, ctx, [a.value, b.value]);
    expect(created.ok).toBe(true);
    if (!created.ok) return;
    const [noteA, noteB] = created.value;
    expect(noteB).toMatchObject({ title: 'B', tags: ['x'] });
    const links = JSON.stringify(readBodyTree(noteBody(doc, noteA!.id)!));
    expect(links).toContain(`"noteId":"${noteB!.id}","label":"B"`);
    expect(links).toContain('"noteId":"","label":"Nowhere"');
  });

  it('refuses binary, empty, huge, non-UTF-8 and malformed files with a clear message', () => {
    const bytes = (text: string) => new TextEncoder().encode(text);
    expect(decodeMarkdownFile('a.md', new Uint8Array([137, 80, 78, 71, 0, 1]))).toMatchObject({
      ok: false,
      error: { code: 'binary', message: '“a.md” is a binary file, not Markdown text.' },
    });
    expect(decodeMarkdownFile('e.md', bytes('  \n'))).toMatchObject({ error: { code: 'empty' } });
    expect(decodeMarkdownFile('big.md', new Uint8Array(50 * 1024 * 1024))).toMatchObject({
      error: { code: 'too-large', message: expect.stringContaining('50 MB') },
    });
    expect(decodeMarkdownFile('l.md', new Uint8Array([0xc3, 0x28]))).toMatchObject({
      error: { code: 'not-utf8' },
    });
    expect(decodeMarkdownFile('p.png', bytes('# hi'))).toMatchObject({
      error: { code: 'not-markdown' },
    });
    expect(parseNoteMarkdown('f.md', '---\ntitle: x\n# never closed')).toMatchObject({
      error: { code: 'malformed', message: expect.stringContaining('never closed') },
    });
    expect(parseNoteMarkdown('t.md', '---\ntags: [ok, "not ok"]\n---\n')).toMatchObject({
      error: { code: 'malformed' },
    });
  });

  it('names files after titles, safely and uniquely', () => {
    const taken = new Set<string>();
    expect(markdownFileName('Plan: Q3/Q4?', taken)).toBe('Plan Q3 Q4.md');
    expect(markdownFileName('plan q3 q4', taken)).toBe('plan q3 q4 (2).md');
    expect(markdownFileName('', taken)).toBe('Untitled.md');
    expect(markdownFileName('../..', taken)).toBe('Untitled (2).md');
  });

  it('leaves a note list unchanged when one seed of an import is invalid', () => {
    const doc = new Y.Doc();
    const result = createNotesFromSeeds(doc, ctx, [
      { title: 'fine', body: [] },
      { title: 'x'.repeat(300), body: [] },
    ]);
    expect(result.ok).toBe(false);
    expect(notes.list(doc).items).toHaveLength(0);
  });
});
