/**
 * The rich-text body of a note as stored in Yjs, read and written without an editor: the layout is
 * the one the TipTap/ProseMirror Yjs binding (@tiptap/y-tiptap) uses, so a body written here opens
 * in the editor and a body typed in the editor is read here. See docs/PROTOCOL.md §1.4.1.
 *
 * - A block or inline node (other than text) is a `Y.XmlElement` named after its node type, with
 *   its attributes as XML attributes (numbers and booleans stay numbers and booleans).
 * - Runs of text are `Y.XmlText`; a mark is a formatting attribute named after the mark type whose
 *   value is the mark's attributes (`{}` for bold). The binding may name a mark `bold--<hash>`.
 */
import * as Y from 'yjs';
import { safeLinkUrl } from './notesLinks';
import { oneLine } from './text';

/** Block and inline node types a body may contain. */
export const BODY_NODE_TYPES = [
  'paragraph',
  'heading',
  'blockquote',
  'bulletList',
  'orderedList',
  'listItem',
  'taskList',
  'taskItem',
  'codeBlock',
  'horizontalRule',
  'hardBreak',
  'noteLink',
] as const;
export type BodyNodeType = (typeof BODY_NODE_TYPES)[number];

/** Marks text may carry. */
export const BODY_MARK_TYPES = ['bold', 'italic', 'strike', 'code', 'link'] as const;
export type BodyMarkType = (typeof BODY_MARK_TYPES)[number];

/** The inline node that links to another note; see docs/PROTOCOL.md §1.4.1. */
export const NOTE_LINK_NODE = 'noteLink';

export type BodyMarks = Partial<Record<BodyMarkType, Record<string, unknown>>>;

/** A plain tree of a body, shaped like ProseMirror's JSON, used by import, export and tests. */
export type BodyNode =
  | { readonly type: 'text'; readonly text: string; readonly marks?: BodyMarks }
  | {
      readonly type: BodyNodeType;
      readonly attrs?: Readonly<Record<string, unknown>>;
      readonly content?: readonly BodyNode[];
    };
export type BodyElement = Exclude<BodyNode, { type: 'text' }>;

const NODE_SET = new Set<string>(BODY_NODE_TYPES);
const MARK_SET = new Set<string>(BODY_MARK_TYPES);
const BLOCKS_SEPARATED = new Set(['paragraph', 'heading', 'codeBlock', 'listItem', 'taskItem']);

/** The binding names overlapping marks of one type `name--hash`; this returns `name`. */
export function markNameOf(attribute: string): string {
  const cut = attribute.indexOf('--');
  return cut === -1 ? attribute : attribute.slice(0, cut);
}

function readText(text: Y.XmlText): BodyNode[] {
  const out: BodyNode[] = [];
  for (const op of text.toDelta() as Array<{ insert: unknown; attributes?: object }>) {
    if (typeof op.insert !== 'string' || op.insert === '') continue;
    const marks: Record<string, Record<string, unknown>> = {};
    for (const [name, value] of Object.entries(op.attributes ?? {})) {
      marks[markNameOf(name)] =
        typeof value === 'object' && value !== null ? { ...(value as object) } : {};
    }
    out.push(
      Object.keys(marks).length > 0
        ? { type: 'text', text: op.insert, marks: marks as BodyMarks }
        : { type: 'text', text: op.insert },
    );
  }
  return out;
}

function readChildren(parent: Y.XmlFragment | Y.XmlElement): BodyNode[] {
  const out: BodyNode[] = [];
  for (const child of parent.toArray()) {
    if (child instanceof Y.XmlText) out.push(...readText(child));
    else if (child instanceof Y.XmlElement) {
      const attrs = child.getAttributes() as Record<string, unknown>;
      out.push({
        type: child.nodeName as BodyNodeType,
        ...(Object.keys(attrs).length > 0 ? { attrs } : {}),
        ...(child.length > 0 || !isLeaf(child.nodeName) ? { content: readChildren(child) } : {}),
      });
    }
  }
  return out;
}

function isLeaf(type: string): boolean {
  return type === 'horizontalRule' || type === 'hardBreak' || type === 'noteLink';
}

/** Reads a body into a plain tree. */
export function readBodyTree(fragment: Y.XmlFragment): BodyNode[] {
  return readChildren(fragment);
}

function writeChildren(parent: Y.XmlFragment | Y.XmlElement, nodes: readonly BodyNode[]): void {
  const items: Array<Y.XmlElement | Y.XmlText> = [];
  const pendingText: Array<[Y.XmlText, Array<{ insert: string; attributes?: object }>]> = [];
  const pendingElements: Array<[Y.XmlElement, readonly BodyNode[]]> = [];
  let run: Array<{ insert: string; attributes?: object }> = [];
  const endRun = () => {
    if (run.length === 0) return;
    const text = new Y.XmlText();
    items.push(text);
    pendingText.push([text, run]);
    run = [];
  };
  for (const node of nodes) {
    if (node.type === 'text') {
      if (node.text === '') continue;
      run.push(node.marks ? { insert: node.text, attributes: node.marks } : { insert: node.text });
      continue;
    }
    endRun();
    const element = new Y.XmlElement(node.type);
    for (const [key, value] of Object.entries(node.attrs ?? {})) {
      if (value !== null && value !== undefined)
        element.setAttribute(key, value as unknown as string);
    }
    items.push(element);
    pendingElements.push([element, node.content ?? []]);
  }
  endRun();
  // Yjs fills preliminary types once they are part of the document, so insert first, then fill.
  parent.insert(parent.length, items);
  for (const [text, delta] of pendingText) text.applyDelta(delta);
  for (const [element, content] of pendingElements) writeChildren(element, content);
}

/**
 * Appends a plain tree to a body. Call inside a transaction; the caller guarantees the tree fits
 * the editor's schema (see `normalizeBodyTree` in notesMarkdown.ts for imported content).
 */
export function writeBodyTree(fragment: Y.XmlFragment, nodes: readonly BodyNode[]): void {
  writeChildren(fragment, nodes);
}

/** Replaces a body's content with a plain tree (inside the caller's transaction). */
export function replaceBody(fragment: Y.XmlFragment, nodes: readonly BodyNode[]): void {
  if (fragment.length > 0) fragment.delete(0, fragment.length);
  writeChildren(fragment, nodes);
}

/** Copies every node of one body to the end of another (inside the caller's transaction). */
export function copyBody(source: Y.XmlFragment, target: Y.XmlFragment): void {
  const clones = source
    .toArray()
    .filter((child) => child instanceof Y.XmlElement || child instanceof Y.XmlText)
    .map((child) => (child as Y.XmlElement | Y.XmlText).clone());
  target.insert(target.length, clones);
}

/** What search, snippets and backlinks need from a body. */
export interface BodyDigest {
  /** The body as plain text: one line per block, link labels inline. */
  readonly text: string;
  /** Ids of the notes this body links to, without repeats, in order of appearance. */
  readonly links: readonly string[];
}

/**
 * Walks a body once for its plain text and outgoing note links. `maxChars` stops collecting text
 * early (snippets need only the beginning); links are then those seen so far.
 */
export function digestBody(fragment: Y.XmlFragment, maxChars = Infinity): BodyDigest {
  let text = '';
  const links: string[] = [];
  const seen = new Set<string>();
  const visit = (parent: Y.XmlFragment | Y.XmlElement): boolean => {
    for (const child of parent.toArray()) {
      if (text.length >= maxChars) return false;
      if (child instanceof Y.XmlText) {
        for (const op of child.toDelta() as Array<{ insert: unknown }>) {
          if (typeof op.insert === 'string') text += op.insert;
        }
      } else if (child instanceof Y.XmlElement) {
        const name = child.nodeName;
        if (name === NOTE_LINK_NODE) {
          const id = child.getAttribute('noteId');
          if (typeof id === 'string' && id && !seen.has(id)) {
            seen.add(id);
            links.push(id);
          }
          const label = child.getAttribute('label');
          if (typeof label === 'string') text += label;
          continue;
        }
        if (name === 'hardBreak') {
          text += '\n';
          continue;
        }
        if (visit(child) === false) return false;
        if (BLOCKS_SEPARATED.has(name) && !text.endsWith('\n')) text += '\n';
      }
    }
    return true;
  };
  visit(fragment);
  const trimmed = text.replace(/\n+$/, '');
  return { text: maxChars === Infinity ? trimmed : trimmed.slice(0, maxChars), links };
}

/** A one-line preview of a body for lists. */
export function bodySnippet(fragment: Y.XmlFragment, maxChars = 160): string {
  return oneLine(digestBody(fragment, maxChars + 40).text).slice(0, maxChars);
}

/**
 * The address of a `link` mark that Outpost would not open (anything but http, https, mailto or a
 * bare domain), shortened for a message; null when the link is fine or has no address. Import and
 * the editor store nothing else, so such a link came from a buggy or hostile writer.
 */
function unopenableLink(attrs: unknown): string | null {
  const href =
    typeof attrs === 'object' && attrs !== null ? (attrs as { href?: unknown }).href : null;
  if (href === null || href === undefined) return null;
  if (typeof href !== 'string') return `a ${typeof href}`;
  if (safeLinkUrl(href) !== null) return null;
  const shown = oneLine(href);
  return `“${shown.length > 40 ? `${shown.slice(0, 40)}…` : shown}”`;
}

/**
 * Problems that would stop the editor from showing a body faithfully: node or mark types this
 * version does not know (from a newer or buggy peer), and links to addresses Outpost never opens. The editor binding deletes content it cannot
 * map to its schema, so a body with problems must open read-only.
 */
export function inspectBody(fragment: Y.XmlFragment): string[] {
  const problems = new Set<string>();
  const visit = (parent: Y.XmlFragment | Y.XmlElement, depth: number) => {
    if (depth > 64) {
      problems.add('the body is nested more than 64 levels deep');
      return;
    }
    for (const child of parent.toArray()) {
      if (child instanceof Y.XmlText) {
        for (const op of child.toDelta() as Array<{ insert: unknown; attributes?: object }>) {
          if (typeof op.insert !== 'string') problems.add('the body contains an embedded object');
          for (const [name, value] of Object.entries(op.attributes ?? {})) {
            const mark = markNameOf(name);
            if (!MARK_SET.has(mark)) problems.add(`unknown formatting “${mark}”`);
            else if (mark === 'link') {
              const bad = unopenableLink(value);
              if (bad) problems.add(`a link to ${bad}, which Outpost does not open`);
            }
          }
        }
      } else if (child instanceof Y.XmlElement) {
        if (!NODE_SET.has(child.nodeName)) problems.add(`unknown block “${child.nodeName}”`);
        else visit(child, depth + 1);
      } else {
        problems.add('the body contains an unexpected value');
      }
    }
  };
  visit(fragment, 0);
  return [...problems];
}
