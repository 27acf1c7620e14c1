/**
 * Reading CommonMark + GFM (task lists, strikethrough, `[[Title]]` note links) into a rich-text
 * tree: the one Markdown reader of Outpost, used for notes and for MADR decision records;
 * bodyToMarkdown.ts is its writer. Parsing uses marked's lexer; the tokens are mapped onto the
 * note editor's schema, so anything a Markdown file can say either becomes the matching node or is
 * kept as plain text — never dropped. A link Outpost would never open keeps only its text.
 */
import { Marked, type Token, type Tokens } from 'marked';
import type { BodyElement, BodyMarks, BodyNode } from './notesBody';
import { safeLinkUrl } from './linkUrl';

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

/** What reading Markdown gave: the body, and how many links it kept as plain text. */
export interface ReadMarkdown {
  readonly body: BodyElement[];
  /** Links to addresses Outpost would never open, kept as their text (for an import report). */
  readonly unopenableLinks: number;
}

/** Parses Markdown (without front matter) into a body tree, counting the links it left out. */
export function readMarkdown(source: string): ReadMarkdown {
  const tokens = markdown.lexer(source.replace(/\r\n?/g, '\n'));
  let unopenableLinks = 0;
  markdown.walkTokens(tokens, (token) => {
    if (token.type === 'link' && safeLinkUrl(token.href) === null) unopenableLinks += 1;
  });
  return { body: blocksOf(tokens), unopenableLinks };
}

/** Parses Markdown (without front matter) into a body tree that fits the editor's schema. */
export function markdownToBody(source: string): BodyElement[] {
  return readMarkdown(source).body;
}
