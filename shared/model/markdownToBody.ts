/**
 * Reading CommonMark + GFM (task lists, strikethrough, tables, `[[Title#heading|alias]]` note links,
 * and, when the caller resolves them, Obsidian `![[embeds]]` and images) into a rich-text
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
  /** The linked note's name (Obsidian: a file name or path without `.md`). */
  readonly text: string;
  /** The part after `#`: a heading (or `^block`) inside the target. */
  readonly heading: string;
  /** The part after `|`: the text the link shows. */
  readonly alias: string;
}

interface EmbedToken {
  readonly type: 'embed';
  readonly raw: string;
  readonly target: string;
  readonly alias: string;
}

// `[[target#heading|alias]]`; a `|` escaped as `\|` (inside a table cell) still separates the alias.
const WIKILINK = /^\[\[([^[\]\n|#]*?)(?:#([^[\]\n|]*?))?(?:\\?\|([^[\]\n]*))?\]\]/;

function startOf(marker: string) {
  return (src: string) => {
    const at = src.indexOf(marker);
    return at === -1 ? undefined : at;
  };
}

const markdown = new Marked({
  gfm: true,
  extensions: [
    {
      // Obsidian's `![[file]]` embed: an image or attachment kept beside the note.
      name: 'embed',
      level: 'inline',
      start: startOf('![['),
      tokenizer(src: string): EmbedToken | undefined {
        const match = /^!\[\[([^[\]\n|#]+?)(?:#[^[\]\n|]*?)?(?:\\?\|([^[\]\n]*))?\]\]/.exec(src);
        return match
          ? {
              type: 'embed',
              raw: match[0],
              target: match[1]!.trim(),
              alias: match[2]?.trim() ?? '',
            }
          : undefined;
      },
    },
    {
      name: 'wikilink',
      level: 'inline',
      start: startOf('[['),
      tokenizer(src: string): WikiLinkToken | undefined {
        const match = WIKILINK.exec(src);
        if (!match || !match[1]!.trim()) return undefined;
        return {
          type: 'wikilink',
          raw: match[0],
          text: match[1]!.trim(),
          heading: match[2]?.trim() ?? '',
          alias: match[3]?.trim() ?? '',
        };
      },
    },
  ],
});

/**
 * What the caller of `readMarkdown` does with an embedded file (`![[file]]`, `![alt](path)`): a
 * node to put in its place (an image), or null to keep what was written as text.
 */
export type EmbedResolver = (target: string, alt: string) => BodyNode | null;

interface ReadContext {
  readonly embed: EmbedResolver | null;
  /** Sentences about what was changed on the way in, for an import report (no repeats). */
  readonly notices: Set<string>;
}

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

function inline(
  ctx: ReadContext,
  tokens: readonly Token[] | undefined,
  marks: BodyMarks = {},
): BodyNode[] {
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
        if (t.tokens && t.tokens.length > 0) out.push(...inline(ctx, t.tokens, marks));
        else text(decodeEntities(t.text));
        break;
      }
      case 'escape':
        text((token as Tokens.Escape).text);
        break;
      case 'strong':
        out.push(...inline(ctx, (token as Tokens.Strong).tokens, { ...marks, bold: {} }));
        break;
      case 'em':
        out.push(...inline(ctx, (token as Tokens.Em).tokens, { ...marks, italic: {} }));
        break;
      case 'del':
        out.push(...inline(ctx, (token as Tokens.Del).tokens, { ...marks, strike: {} }));
        break;
      case 'codespan':
        text(decodeEntities((token as Tokens.Codespan).text), { code: {} });
        break;
      case 'link': {
        // A link Outpost would never open (javascript:, data:, file:, relative paths) is not
        // stored as one: its text stays, as plain text (see docs/PROTOCOL.md §1.4.1).
        const link = token as Tokens.Link;
        const safe = safeLinkUrl(link.href) !== null;
        out.push(
          ...inline(ctx, link.tokens, safe ? { ...marks, link: { href: link.href } } : marks),
        );
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
      case 'wikilink': {
        const link = token as unknown as WikiLinkToken;
        if (link.heading)
          ctx.notices.add(
            `a link to a heading (“${link.text}#${link.heading}”) opens the note, not the heading`,
          );
        // Obsidian shows `[[Note#Heading]]` as “Note > Heading”; an alias replaces either.
        const alias = link.alias || (link.heading ? `${link.text} › ${link.heading}` : '');
        out.push({
          type: 'noteLink',
          attrs: { noteId: '', label: link.text, ...(alias ? { alias } : {}) },
        });
        break;
      }
      case 'embed': {
        const embed = token as unknown as EmbedToken;
        const node = ctx.embed?.(embed.target, /^\d+(x\d+)?$/.test(embed.alias) ? '' : embed.alias);
        if (node) out.push(node);
        else text(embed.raw);
        break;
      }
      case 'image': {
        const image = token as Tokens.Image;
        const node = /^[a-z][a-z0-9+.-]*:/i.test(image.href)
          ? null
          : ctx.embed?.(safeDecode(image.href), image.text);
        if (node) out.push(node);
        else text(token.raw);
        break;
      }
      default:
        // Inline HTML and anything else stay as the text that was written.
        text(token.raw);
    }
  }
  return out;
}

function safeDecode(path: string): string {
  try {
    return decodeURI(path);
  } catch {
    return path;
  }
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

function listItems(ctx: ReadContext, list: Tokens.List, task: boolean): BodyElement[] {
  return list.items.map((item) => {
    const blocks = blocksOf(
      ctx,
      item.tokens.filter((token) => token.type !== 'checkbox'),
    );
    if (blocks[0]?.type !== 'paragraph') blocks.unshift(paragraph([]));
    return task
      ? { type: 'taskItem', attrs: { checked: item.checked === true }, content: blocks }
      : { type: 'listItem', content: blocks };
  });
}

function blocksOf(ctx: ReadContext, tokens: readonly Token[]): BodyElement[] {
  const out: BodyElement[] = [];
  for (const token of tokens) {
    switch (token.type) {
      case 'space':
      case 'def':
        break;
      case 'heading': {
        const heading = token as Tokens.Heading;
        const content = merged(inline(ctx, heading.tokens));
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
              : inline(ctx, (token as Tokens.Paragraph).tokens),
          ),
        );
        break;
      case 'text': {
        const t = token as Tokens.Text;
        if (isEmptyParagraph(t)) out.push(paragraph([]));
        else
          out.push(
            paragraph(
              t.tokens ? inline(ctx, t.tokens) : inline(ctx, [{ ...t, tokens: undefined }]),
            ),
          );
        break;
      }
      case 'blockquote': {
        const content = blocksOf(ctx, (token as Tokens.Blockquote).tokens);
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
            content: listItems(ctx, list, false),
          });
        } else if (list.items.every((item) => item.task)) {
          out.push({ type: 'taskList', content: listItems(ctx, list, true) });
        } else {
          out.push({ type: 'bulletList', content: listItems(ctx, list, false) });
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
        // A GFM table becomes the editor's table: the header row of header cells, then the rows.
        const table = token as Tokens.Table;
        const row = (cells: readonly Tokens.TableCell[], type: 'tableHeader' | 'tableCell') => ({
          type: 'tableRow' as const,
          content: cells.map((cell) => ({
            type,
            content: [paragraph(inline(ctx, cell.tokens))],
          })),
        });
        out.push({
          type: 'table',
          content: [
            row(table.header, 'tableHeader'),
            ...table.rows.map((cells) => row(cells, 'tableCell')),
          ],
        });
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
  /** Other things that did not come over as written, one sentence each (for an import report). */
  readonly notices: readonly string[];
}

/** How `readMarkdown` treats embedded files: by default they stay as the text that was written. */
export interface ReadMarkdownOptions {
  readonly embed?: EmbedResolver;
}

/** Parses Markdown (without front matter) into a body tree, counting the links it left out. */
export function readMarkdown(source: string, options: ReadMarkdownOptions = {}): ReadMarkdown {
  const tokens = markdown.lexer(source.replace(/\r\n?/g, '\n'));
  let unopenableLinks = 0;
  markdown.walkTokens(tokens, (token) => {
    if (token.type === 'link' && safeLinkUrl(token.href) === null) unopenableLinks += 1;
  });
  const ctx: ReadContext = { embed: options.embed ?? null, notices: new Set() };
  const body = blocksOf(ctx, tokens);
  return { body, unopenableLinks, notices: [...ctx.notices] };
}

/** Parses Markdown (without front matter) into a body tree that fits the editor's schema. */
export function markdownToBody(source: string): BodyElement[] {
  return readMarkdown(source).body;
}
