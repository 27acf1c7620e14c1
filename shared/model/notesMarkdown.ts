/**
 * Notes as Markdown files: one `.md` file per note, front matter with title, tags, pin and dates,
 * then the body in CommonMark + GFM (task lists, strikethrough) with `[[Title]]` note links.
 * Parsing uses marked's lexer; the tokens are mapped onto the editor's schema, so anything a
 * Markdown file can say either becomes the matching node or is kept as plain text — never dropped.
 * Export then import gives back the same text and structure, empty paragraphs and whitespace
 * included (see `EMPTY_PARAGRAPH` and `serializeInline` for how Markdown is made to keep them).
 */
import { Marked, type Token, type Tokens } from 'marked';
import { fail, ok, type Result } from '../result';
import { Tag } from '../schema/records';
import type { BodyElement, BodyMarkType, BodyMarks, BodyNode } from './notesBody';
import { oneLine } from '../core/text';
import { safeLinkUrl } from './notesLinks';

// ---------------------------------------------------------------------------------------------
// Serializing a body tree to Markdown

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
    } else if (node.type === 'noteLink') {
      const id = typeof node.attrs?.noteId === 'string' ? node.attrs.noteId : '';
      const label = typeof node.attrs?.label === 'string' ? node.attrs.label : '';
      const title = (id ? titleOf(id) : undefined) ?? label;
      out.push({
        text: '',
        marks: [],
        code: false,
        atom: `[[${title.replace(/[[\]|\n]/g, ' ').trim() || 'Untitled'}]]`,
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
    default:
      return serializeInline([node], titleOf) || null;
  }
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

// ---------------------------------------------------------------------------------------------
// Parsing Markdown into a body tree

interface WikiLinkToken {
  readonly type: 'wikilink';
  readonly raw: string;
  readonly text: string;
}

const markdown = new Marked({
  gfm: true,
  extensions: [
    {
      name: 'wikilink',
      level: 'inline',
      start: (src: string) => {
        const at = src.indexOf('[[');
        return at === -1 ? undefined : at;
      },
      tokenizer(src: string): WikiLinkToken | undefined {
        const match = /^\[\[([^[\]\n|]+)(?:\|[^[\]\n]*)?\]\]/.exec(src);
        return match ? { type: 'wikilink', raw: match[0], text: match[1]!.trim() } : undefined;
      },
    },
  ],
});

const ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
};

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name.startsWith('#')) {
      const code =
        name[1] === 'x' || name[1] === 'X'
          ? parseInt(name.slice(2), 16)
          : parseInt(name.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

function inline(tokens: readonly Token[] | undefined, marks: BodyMarks = {}): BodyNode[] {
  const out: BodyNode[] = [];
  const text = (value: string, extra: BodyMarks = {}) => {
    const all = { ...marks, ...extra };
    const clean = value.replace(/\n/g, ' ');
    if (!clean) return;
    out.push(
      Object.keys(all).length
        ? { type: 'text', text: clean, marks: all }
        : { type: 'text', text: clean },
    );
  };
  for (const token of tokens ?? []) {
    switch (token.type) {
      case 'text': {
        const t = token as Tokens.Text;
        if (t.tokens && t.tokens.length > 0) out.push(...inline(t.tokens, marks));
        else text(decodeEntities(t.text));
        break;
      }
      case 'escape':
        text((token as Tokens.Escape).text);
        break;
      case 'strong':
        out.push(...inline((token as Tokens.Strong).tokens, { ...marks, bold: {} }));
        break;
      case 'em':
        out.push(...inline((token as Tokens.Em).tokens, { ...marks, italic: {} }));
        break;
      case 'del':
        out.push(...inline((token as Tokens.Del).tokens, { ...marks, strike: {} }));
        break;
      case 'codespan':
        text(decodeEntities((token as Tokens.Codespan).text), { code: {} });
        break;
      case 'link': {
        // A link Outpost would never open (javascript:, data:, file:, relative paths) is not
        // stored as one: its text stays, as plain text (see docs/PROTOCOL.md §1.4.1).
        const link = token as Tokens.Link;
        const safe = safeLinkUrl(link.href) !== null;
        out.push(...inline(link.tokens, safe ? { ...marks, link: { href: link.href } } : marks));
        break;
      }
      case 'br':
        out.push({ type: 'hardBreak' });
        break;
      case 'checkbox':
        // A task item's box: its state is on the item. marked usually puts it beside the item's
        // blocks but inside the first paragraph of some items of loose nested task lists.
        break;
      case 'html':
        // `<br>` is how a hard break that ends a block is written (see serializeInline).
        if (HTML_BREAK.test(token.raw)) out.push({ type: 'hardBreak' });
        else text(token.raw);
        break;
      case 'wikilink':
        out.push({
          type: 'noteLink',
          attrs: { noteId: '', label: (token as unknown as WikiLinkToken).text },
        });
        break;
      default:
        // Images, inline HTML and anything else stay as the text that was written.
        text(token.raw);
    }
  }
  return out;
}

/** Joins neighbouring text runs with the same marks (the lexer splits at every escape). */
function merged(nodes: BodyNode[]): BodyNode[] {
  const out: BodyNode[] = [];
  for (const node of nodes) {
    const last = out[out.length - 1];
    if (
      node.type === 'text' &&
      last?.type === 'text' &&
      JSON.stringify(last.marks ?? {}) === JSON.stringify(node.marks ?? {})
    ) {
      out[out.length - 1] = { ...last, text: last.text + node.text };
    } else out.push(node);
  }
  return out;
}

const HTML_BREAK = /^<br\s*\/?>$/i;
const HTML_BREAKS = /^(?:<br\s*\/?>)+$/i;

/** A paragraph (or a tight list item's text) that says only `&nbsp;`: see EMPTY_PARAGRAPH. */
function isEmptyParagraph(token: Tokens.Paragraph | Tokens.Text): boolean {
  const inner = (token.tokens ?? [token]).filter((child) => child.type !== 'checkbox');
  return inner.length === 1 && /^[ \t]*&nbsp;[ \t\n]*$/.test(inner[0]!.raw);
}

function paragraph(content: BodyNode[]): BodyElement {
  content = merged(content);
  return content.length ? { type: 'paragraph', content } : { type: 'paragraph' };
}

function listItems(list: Tokens.List, task: boolean): BodyElement[] {
  return list.items.map((item) => {
    const blocks = blocksOf(item.tokens.filter((token) => token.type !== 'checkbox'));
    if (blocks[0]?.type !== 'paragraph') blocks.unshift(paragraph([]));
    return task
      ? { type: 'taskItem', attrs: { checked: item.checked === true }, content: blocks }
      : { type: 'listItem', content: blocks };
  });
}

function blocksOf(tokens: readonly Token[]): BodyElement[] {
  const out: BodyElement[] = [];
  for (const token of tokens) {
    switch (token.type) {
      case 'space':
      case 'def':
        break;
      case 'heading': {
        const heading = token as Tokens.Heading;
        const content = merged(inline(heading.tokens));
        out.push({
          type: 'heading',
          attrs: { level: heading.depth },
          ...(content.length ? { content } : {}),
        });
        break;
      }
      case 'paragraph':
        out.push(
          paragraph(
            isEmptyParagraph(token as Tokens.Paragraph)
              ? []
              : inline((token as Tokens.Paragraph).tokens),
          ),
        );
        break;
      case 'text': {
        const t = token as Tokens.Text;
        if (isEmptyParagraph(t)) out.push(paragraph([]));
        else
          out.push(paragraph(t.tokens ? inline(t.tokens) : inline([{ ...t, tokens: undefined }])));
        break;
      }
      case 'blockquote': {
        const content = blocksOf((token as Tokens.Blockquote).tokens);
        out.push({ type: 'blockquote', content: content.length ? content : [paragraph([])] });
        break;
      }
      case 'list': {
        const list = token as Tokens.List;
        if (list.ordered) {
          const start = Number(list.start) || 1;
          out.push({
            type: 'orderedList',
            attrs: { start },
            content: listItems(list, false),
          });
        } else if (list.items.every((item) => item.task)) {
          out.push({ type: 'taskList', content: listItems(list, true) });
        } else {
          out.push({ type: 'bulletList', content: listItems(list, false) });
        }
        break;
      }
      case 'code': {
        const code = token as Tokens.Code;
        const language = code.lang?.trim().split(/\s+/)[0] || null;
        out.push({
          type: 'codeBlock',
          ...(language ? { attrs: { language } } : {}),
          ...(code.text ? { content: [{ type: 'text', text: code.text }] } : {}),
        });
        break;
      }
      case 'hr':
        out.push({ type: 'horizontalRule' });
        break;
      case 'table': {
        const table = token as Tokens.Table;
        const rows = [table.header, ...table.rows];
        for (const row of rows) {
          const cells = merged(
            row.flatMap((cell, index) => [
              ...(index > 0 ? [{ type: 'text' as const, text: ' | ' }] : []),
              ...inline(cell.tokens),
            ]),
          );
          out.push(paragraph(cells));
        }
        break;
      }
      default: {
        // Raw HTML blocks and anything unknown stay as text so nothing a file says is lost; a
        // paragraph of only hard breaks was written as `<br>`s, which CommonMark reads as HTML.
        const raw = token.raw.replace(/\n+$/, '');
        if (HTML_BREAKS.test(raw.trim()))
          out.push(paragraph(Array.from(raw.matchAll(/<br/gi), () => ({ type: 'hardBreak' }))));
        else if (raw.trim()) out.push(paragraph([{ type: 'text', text: raw.replace(/\n/g, ' ') }]));
      }
    }
  }
  return out;
}

/** Parses Markdown (without front matter) into a body tree that fits the editor's schema. */
export function markdownToBody(source: string): BodyElement[] {
  return blocksOf(markdown.lexer(source.replace(/\r\n?/g, '\n')));
}

// ---------------------------------------------------------------------------------------------
// Files: front matter, names and input checks

export interface NoteFileMeta {
  readonly title: string;
  readonly tags: readonly string[];
  readonly pinned: boolean;
  readonly createdAt: number | null;
  readonly updatedAt: number | null;
}

export interface ParsedNoteFile extends NoteFileMeta {
  readonly body: BodyElement[];
}

/** Markdown files a person may import. */
export const MARKDOWN_EXTENSIONS = ['.md', '.markdown', '.mdown', '.txt'] as const;
/** The largest single file Outpost imports. */
export const MAX_IMPORT_FILE_BYTES = 5 * 1024 * 1024;

function quote(value: string): string {
  return JSON.stringify(value);
}

/** One note as a Markdown file with front matter. */
export function noteToMarkdown(meta: NoteFileMeta, body: readonly BodyNode[], titleOf?: TitleOf) {
  const lines = ['---', `title: ${quote(meta.title)}`];
  lines.push(`tags: [${meta.tags.join(', ')}]`);
  if (meta.pinned) lines.push('pinned: true');
  if (meta.createdAt !== null) lines.push(`created: ${new Date(meta.createdAt).toISOString()}`);
  if (meta.updatedAt !== null) lines.push(`updated: ${new Date(meta.updatedAt).toISOString()}`);
  lines.push('---', '');
  return `${lines.join('\n')}\n${bodyToMarkdown(body, titleOf)}`;
}

/** A safe, readable file name for a note title, unique among `taken` (lower-cased names). */
export function markdownFileName(title: string, taken: Set<string>): string {
  const base =
    title
      // eslint-disable-next-line no-control-regex -- control characters are unsafe in file names
      .replace(/[\\/:*?"<>|#^[\]\u0000-\u001f\u007f]/g, ' ')
      .replace(/\s+/g, ' ')
      .replace(/^[.\s]+|[.\s]+$/g, '')
      .slice(0, 80)
      .replace(/[.\s]+$/, '') || 'Untitled';
  let name = `${base}.md`;
  for (let n = 2; taken.has(name.toLowerCase()); n++) name = `${base} (${n}).md`;
  taken.add(name.toLowerCase());
  return name;
}

function unquote(raw: string): string {
  const value = raw.trim();
  if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) {
    try {
      return JSON.parse(value) as string;
    } catch {
      return value.slice(1, -1);
    }
  }
  if (value.startsWith("'") && value.endsWith("'") && value.length >= 2)
    return value.slice(1, -1).replace(/''/g, "'");
  return value;
}

function parseDate(raw: string | undefined): number | null | 'bad' {
  if (raw === undefined || raw.trim() === '') return null;
  const time = Date.parse(unquote(raw));
  return Number.isFinite(time) && time >= 0 ? time : 'bad';
}

/** Reads the simple YAML front matter Outpost and most Markdown tools write. */
function parseFrontMatter(lines: readonly string[]): Result<Map<string, string | string[]>> {
  const fields = new Map<string, string | string[]>();
  let listKey: string | null = null;
  for (const line of lines) {
    if (line.trim() === '' || line.trim().startsWith('#')) continue;
    const item = /^\s+-\s*(.*)$/.exec(line) ?? /^-\s+(.*)$/.exec(line);
    if (item && listKey) {
      (fields.get(listKey) as string[]).push(unquote(item[1]!));
      continue;
    }
    const field = /^([A-Za-z0-9_-]+)\s*:\s*(.*)$/.exec(line);
    if (!field)
      return fail('malformed', `the front matter line “${line.slice(0, 60)}” is not “key: value”`);
    const key = field[1]!.toLowerCase();
    const value = field[2]!.trim();
    listKey = null;
    if (value === '') {
      fields.set(key, []);
      listKey = key;
    } else if (value.startsWith('[')) {
      if (!value.endsWith(']'))
        return fail('malformed', `the list for “${key}” is not closed with ]`);
      const inner = value.slice(1, -1).trim();
      fields.set(key, inner ? inner.split(',').map((part) => unquote(part)) : []);
    } else fields.set(key, unquote(value));
  }
  return ok(fields);
}

/**
 * Checks and decodes an imported file. Refuses — with a sentence naming the file — what is not
 * Markdown text: a wrong extension, too large, empty, binary or not UTF-8.
 */
export function decodeMarkdownFile(name: string, bytes: Uint8Array): Result<string> {
  const lower = name.toLowerCase();
  if (!MARKDOWN_EXTENSIONS.some((ext) => lower.endsWith(ext)))
    return fail('not-markdown', `“${name}” is not a Markdown file (.md).`);
  if (bytes.byteLength > MAX_IMPORT_FILE_BYTES)
    return fail(
      'too-large',
      `“${name}” is ${(bytes.byteLength / 1024 / 1024).toFixed(0)} MB; Outpost imports Markdown files up to ${MAX_IMPORT_FILE_BYTES / 1024 / 1024} MB.`,
    );
  if (bytes.byteLength === 0) return fail('empty', `“${name}” is empty.`);
  if (bytes.includes(0)) return fail('binary', `“${name}” is a binary file, not Markdown text.`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return fail('not-utf8', `“${name}” is not UTF-8 text.`);
  }
  text = text.replace(/^\ufeff/, '');
  // eslint-disable-next-line no-control-regex -- counting control characters is the point
  const controls = text.match(/[\u0001-\u0008\u000e-\u001f]/g)?.length ?? 0;
  if (controls > 0 && controls > text.length / 100)
    return fail('binary', `“${name}” is a binary file, not Markdown text.`);
  if (text.trim() === '') return fail('empty', `“${name}” is empty.`);
  return ok(text);
}

/** Parses one imported Markdown file into note fields and a body tree. */
export function parseNoteMarkdown(name: string, text: string): Result<ParsedNoteFile> {
  const source = text.replace(/\r\n?/g, '\n');
  let body = source;
  let fields = new Map<string, string | string[]>();
  if (source.startsWith('---\n')) {
    const end = source.indexOf('\n---', 3);
    const after = end === -1 ? -1 : source.indexOf('\n', end + 4);
    const closing = end === -1 ? '' : source.slice(end + 4, after === -1 ? undefined : after);
    if (end === -1 || closing.trim() !== '')
      return fail('malformed', `“${name}” has front matter (---) that is never closed.`);
    const parsed = parseFrontMatter(source.slice(4, end).split('\n'));
    if (!parsed.ok) return fail('malformed', `“${name}”: ${parsed.error.message}.`);
    fields = parsed.value;
    body = after === -1 ? '' : source.slice(after + 1);
  }
  const rawTitle = fields.get('title');
  const fallback = name.replace(/\.[^.]+$/, '').replace(/\s*\(\d+\)$/, '');
  const title = oneLine(typeof rawTitle === 'string' ? rawTitle : fallback);
  if (title.length > 200)
    return fail('malformed', `“${name}” has a title longer than 200 characters.`);
  const rawTags = fields.get('tags') ?? [];
  const tagList = typeof rawTags === 'string' ? rawTags.split(/[\s,]+/).filter(Boolean) : rawTags;
  const tags: string[] = [];
  for (const raw of tagList) {
    const tag = Tag.safeParse(raw.replace(/^#/, ''));
    if (!tag.success)
      return fail('malformed', `“${name}” has a tag “${raw.slice(0, 40)}” that is not valid.`);
    if (!tags.includes(tag.data)) tags.push(tag.data);
  }
  if (tags.length > 100) return fail('malformed', `“${name}” has more than 100 tags.`);
  const created = parseDate(fields.get('created') as string | undefined);
  const updated = parseDate(fields.get('updated') as string | undefined);
  if (created === 'bad' || updated === 'bad')
    return fail('malformed', `“${name}” has a created or updated date that is not a date.`);
  const pinned = fields.get('pinned');
  return ok({
    title,
    tags,
    pinned: pinned === 'true',
    createdAt: created,
    updatedAt: updated,
    body: markdownToBody(body),
  });
}
