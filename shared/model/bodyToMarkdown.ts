/**
 * Writing a rich-text tree (a note's body, a decision's context) as CommonMark + GFM: the one
 * Markdown writer of Outpost; markdownToBody.ts is its reader. Export then import gives back the
 * same text and structure, empty paragraphs and whitespace included (see `EMPTY_PARAGRAPH` and
 * `serializeInline` for how Markdown is made to keep them). Note links become `[[Title]]`.
 */
import type { BodyMarkType, BodyMarks, BodyNode } from './notesBody';

/** Looks up the current title of a linked note (undefined when it no longer exists). */
export type TitleOf = (noteId: string) => string | undefined;

const MARK_ORDER: readonly BodyMarkType[] = ['link', 'bold', 'italic', 'strike'];

interface Segment {
  text: string;
  /** Marks outside `code`, in MARK_ORDER. */
  marks: Array<[BodyMarkType, Record<string, unknown>]>;
  code: boolean;
  /** A pre-rendered inline atom (note link, hard break). */
  atom?: string;
}

/**
 * Escapes text so Markdown reads it back as itself. marked turns a tab in a list item into
 * spaces, so a tab is written as the character reference `&#9;`.
 */
function escapeText(text: string): string {
  return text
    .replace(/[\\`*_[\]<>~&|]/g, '\\$&')
    .replace(/\t/g, '&#9;')
    .replace(/^(\s*)([#>+=-]|\d+[.)])/gm, (_m, space: string, mark: string) =>
      /^\d/.test(mark) ? `${space}${mark.slice(0, -1)}\\${mark.slice(-1)}` : `${space}\\${mark}`,
    );
}

function sameMark(a: [BodyMarkType, Record<string, unknown>], b: [BodyMarkType, unknown]): boolean {
  return a[0] === b[0] && (a[0] !== 'link' || JSON.stringify(a[1]) === JSON.stringify(b[1]));
}

function commonPrefix(a: Segment['marks'], b: Segment['marks']): number {
  let i = 0;
  while (i < a.length && i < b.length && sameMark(a[i]!, b[i]!)) i++;
  return i;
}

function codeSpan(text: string): string {
  let fence = '`';
  while (text.includes(fence)) fence += '`';
  const pad = text.startsWith('`') || text.endsWith('`') || /^ .* $/.test(text) ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

function linkTarget(attrs: Record<string, unknown>): string {
  const href = typeof attrs.href === 'string' ? attrs.href : '';
  return /[\s()<>]/.test(href) ? `<${href.replace(/[<>]/g, encodeURIComponent)}>` : href;
}

function segmentsOf(nodes: readonly BodyNode[], titleOf: TitleOf): Segment[] {
  const out: Segment[] = [];
  for (const node of nodes) {
    if (node.type === 'text') {
      const marks = (node.marks ?? {}) as BodyMarks;
      out.push({
        text: node.text.replace(/\n/g, ' '),
        code: 'code' in marks,
        marks: MARK_ORDER.filter((name) => name in marks).map((name) => [name, marks[name] ?? {}]),
      });
    } else if (node.type === 'hardBreak') {
      out.push({ text: '', marks: [], code: false, atom: '\\\n' });
    } else if (node.type === 'image') {
      out.push({ text: '', marks: [], code: false, atom: imageMarkdown(node.attrs ?? {}) });
    } else if (node.type === 'noteLink') {
      const id = typeof node.attrs?.noteId === 'string' ? node.attrs.noteId : '';
      const label = typeof node.attrs?.label === 'string' ? node.attrs.label : '';
      const title = (id ? titleOf(id) : undefined) ?? label;
      const clean = (text: string) => text.replace(/[[\]|\n]/g, ' ').trim();
      const alias = typeof node.attrs?.alias === 'string' ? clean(node.attrs.alias) : '';
      out.push({
        text: '',
        marks: [],
        code: false,
        atom: `[[${clean(title) || 'Untitled'}${alias ? `|${alias}` : ''}]]`,
      });
    }
  }
  // Whitespace at a boundary where marks change moves outside the marks that change, so that
  // delimiters always touch text (CommonMark's flanking rules).
  const split: Segment[] = [];
  out.forEach((segment, index) => {
    if (segment.atom !== undefined || segment.code) {
      split.push(segment);
      return;
    }
    const prev = out[index - 1];
    const next = out[index + 1];
    const lead = /^\s*/.exec(segment.text)![0];
    const core = segment.text.slice(lead.length).replace(/\s*$/, '');
    const trail = segment.text.slice(lead.length + core.length);
    const shared = (other: Segment | undefined) =>
      other && other.atom === undefined && !other.code
        ? segment.marks.slice(0, commonPrefix(segment.marks, other.marks))
        : [];
    if (lead) split.push({ text: lead, marks: shared(prev), code: false });
    if (core) split.push({ ...segment, text: core });
    if (trail) split.push({ text: trail, marks: core ? shared(next) : shared(prev), code: false });
  });
  return split;
}

function serializeInline(nodes: readonly BodyNode[], titleOf: TitleOf, oneLine = false): string {
  let out = '';
  const stack: Segment['marks'] = [];
  const close = (downTo: number) => {
    while (stack.length > downTo) {
      const [name, attrs] = stack.pop()!;
      if (name === 'link') out += `](${linkTarget(attrs)})`;
      else if (name === 'bold') out += '**';
      else if (name === 'italic') out += '*';
      else if (name === 'strike') out += '~~';
    }
  };
  for (const segment of segmentsOf(nodes, titleOf)) {
    if (segment.atom !== undefined) {
      close(0);
      out += segment.atom;
      continue;
    }
    close(commonPrefix(stack, segment.marks));
    for (const mark of segment.marks.slice(stack.length)) {
      stack.push(mark);
      if (mark[0] === 'link') out += '[';
      else if (mark[0] === 'bold') out += '**';
      else if (mark[0] === 'italic') out += '*';
      else if (mark[0] === 'strike') out += '~~';
    }
    out += segment.code ? codeSpan(segment.text) : escapeText(segment.text);
  }
  close(0);
  // Markdown forgets the whitespace a block's lines start or end with (four spaces would even
  // make an indented code block; marked also trims a non-breaking space there), and a
  // whitespace-only paragraph would read as a blank line; so the first and the last whitespace
  // character of a line is written as a character reference (`&#32;`, `&#160;`), which renders
  // as the same character everywhere.
  out = out
    .replace(/(^|\n)([^\S\n])/g, (_m, start: string, space: string) => `${start}${entity(space)}`)
    .replace(/[^\S\n](?=\\\n|$)/g, entity);
  // A backslash hard break must be followed by more of the block; the hard breaks that end the
  // block, and any in a one-line block (a heading), are written as HTML's `<br>` on the line they
  // end, which CommonMark renders as the same line break and the importer reads back as a hard
  // break. (Only hard-break atoms put a backslash right before a newline: text never holds a
  // newline, and its own backslashes are escaped in pairs.)
  return oneLine
    ? out.replace(/\\\n/g, '<br>')
    : out.replace(/(?:\\\n)+$/, (breaks) => '<br>'.repeat(breaks.length / 2));
}

function entity(character: string): string {
  return `&#${character.charCodeAt(0)};`;
}

function indent(text: string, width: number): string {
  const pad = ' '.repeat(width);
  return text
    .split('\n')
    .map((line, index) => (index === 0 || line === '' ? line : pad + line))
    .join('\n');
}

/**
 * An empty paragraph (a blank line a person left between blocks, an empty list item or quote, a
 * body that is only an empty paragraph) is written as a paragraph holding only `&nbsp;`, because
 * Markdown has no empty paragraph: blank lines only separate blocks, so writing nothing loses it.
 * `&nbsp;` is what TipTap's own Markdown support (@tiptap/markdown) writes and reads for one, it
 * renders in any CommonMark tool (Obsidian, GitHub) as the empty-looking paragraph it is, and it
 * keeps an empty task item a task item (`- [ ] &nbsp;`; `- [ ] ` alone is not one). It cannot be
 * mistaken for anything a person wrote: their `&` is escaped (`\&nbsp;`), and a non-breaking
 * space they typed is written as itself or, at the start or end of a line, as `&#160;`, both of
 * which the importer keeps as text (TipTap also reads a lone U+00A0 as an empty paragraph; we do
 * not). A lone `<br>` was the other candidate, but it already means a hard break that ends a
 * paragraph (see serializeInline), and it shows as raw HTML where HTML is turned off.
 */
const EMPTY_PARAGRAPH = '&nbsp;';

function serializeBlock(node: BodyNode, titleOf: TitleOf, alternate = false): string | null {
  if (node.type === 'text') return escapeText(node.text);
  const content = node.content ?? [];
  switch (node.type) {
    case 'paragraph':
      return serializeInline(content, titleOf) || EMPTY_PARAGRAPH;
    case 'heading': {
      const level = Math.min(6, Math.max(1, Number(node.attrs?.level) || 1));
      return `${'#'.repeat(level)} ${serializeInline(content, titleOf, true)}`.trimEnd();
    }
    case 'blockquote':
      return serializeBlocks(content, titleOf)
        .split('\n')
        .map((line) => (line === '' ? '>' : `> ${line}`))
        .join('\n');
    case 'bulletList':
    case 'orderedList':
    case 'taskList': {
      const start = Number(node.attrs?.start ?? 1) || 1;
      return content
        .map((item, index) => {
          // A list right after another list uses the other bullet, or the two would merge.
          const bullet = alternate ? '*' : '-';
          let marker = `${bullet} `;
          if (node.type === 'orderedList') marker = `${start + index}${alternate ? ')' : '.'} `;
          if (node.type === 'taskList')
            marker =
              item.type !== 'text' && item.attrs?.checked === true
                ? `${bullet} [x] `
                : `${bullet} [ ] `;
          const body = item.type === 'text' ? '' : serializeBlocks(item.content ?? [], titleOf);
          const width = node.type === 'orderedList' ? marker.length : 2;
          return marker + indent(body, width);
        })
        .join('\n');
    }
    case 'codeBlock': {
      const text = content.map((child) => (child.type === 'text' ? child.text : '')).join('');
      let fence = '```';
      while (text.includes(fence)) fence += '`';
      const language = typeof node.attrs?.language === 'string' ? node.attrs.language : '';
      return `${fence}${language}\n${text}\n${fence}`;
    }
    case 'horizontalRule':
      return '---';
    case 'table':
      return serializeTable(content, titleOf);
    default:
      return serializeInline([node], titleOf) || null;
  }
}

/**
 * An image kept in the workspace, as Obsidian writes an embed: `![[file name|alt]]`. The file
 * itself is not written beside the note by this writer.
 */
function imageMarkdown(attrs: Readonly<Record<string, unknown>>): string {
  const clean = (value: unknown) =>
    typeof value === 'string' ? value.replace(/[[\]|\n]/g, ' ').trim() : '';
  const name = clean(attrs.name) || 'image';
  const alt = clean(attrs.alt);
  return `![[${name}${alt && alt !== name ? `|${alt}` : ''}]]`;
}

/**
 * A table as a GFM table: the first row is the header row (GFM has no table without one); each
 * cell's paragraphs go on one line, apart by `<br>`, which the reader takes back as line breaks.
 */
function serializeTable(rows: readonly BodyNode[], titleOf: TitleOf): string | null {
  const lines = rows.map((row) =>
    (row.type === 'text' ? [] : (row.content ?? [])).map((cell) =>
      (cell.type === 'text' ? [] : (cell.content ?? []))
        .map((block) =>
          block.type === 'text'
            ? escapeText(block.text)
            : serializeInline(/List$/.test(block.type) ? [] : (block.content ?? []), titleOf, true),
        )
        .filter((text) => text !== '')
        .join('<br>')
        // A cell ends at a bare `|`: the alias bar of a link or embed is escaped, as Obsidian does.
        // (Text brackets are escaped, so an unescaped `[[` is always a link's or embed's.)
        .replace(/(\[\[[^\]|]*)\|/g, '$1\\|'),
    ),
  );
  const width = Math.max(0, ...lines.map((cells) => cells.length));
  if (width === 0) return null;
  const line = (cells: readonly string[]) =>
    `| ${Array.from({ length: width }, (_, i) => cells[i] ?? '').join(' | ')} |`;
  return [
    line(lines[0]!),
    line(Array.from({ length: width }, () => '---')),
    ...lines.slice(1).map(line),
  ].join('\n');
}

function serializeBlocks(nodes: readonly BodyNode[], titleOf: TitleOf): string {
  const parts: string[] = [];
  let alternate = false;
  let previousWasList = false;
  for (const node of nodes) {
    const isList = /List$/.test(node.type);
    alternate = isList && previousWasList ? !alternate : false;
    const text = serializeBlock(node, titleOf, alternate);
    if (text !== null) {
      parts.push(text);
      previousWasList = isList;
    }
  }
  return parts.join('\n\n');
}

/** Serializes a body tree as Markdown; note links become `[[current title]]`. */
export function bodyToMarkdown(nodes: readonly BodyNode[], titleOf: TitleOf = () => undefined) {
  const text = serializeBlocks(nodes, titleOf);
  return text ? `${text}\n` : '';
}
