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
import { safeLinkUrl } from './linkUrl';
import { oneLine } from '../core/text';

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
  'table',
  'tableRow',
  'tableHeader',
  'tableCell',
  'image',
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
const BLOCKS_SEPARATED = new Set([
  'paragraph',
  'heading',
  'codeBlock',
  'listItem',
  'taskItem',
  'tableRow',
]);

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

/**
 * How deep a body may nest before the rest of it is left out of plain reads (copies, export):
 * ProseMirror and the Markdown writer recurse per level, and a peer can nest thousands of levels.
 * `inspectBody` reports such a body, so it opens read-only.
 */
export const BODY_MAX_DEPTH = 64;

type MutableElement = { type: BodyNodeType; attrs?: Record<string, unknown>; content?: BodyNode[] };

/**
 * Reads a body into a plain tree, iteratively, leaving out whatever is nested more than
 * `BODY_MAX_DEPTH` levels deep.
 */
export function readBodyTree(fragment: Y.XmlFragment): BodyNode[] {
  const top: BodyNode[] = [];
  const pending: Array<{ from: Y.XmlFragment | Y.XmlElement; into: BodyNode[]; depth: number }> = [
    { from: fragment, into: top, depth: 0 },
  ];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const { from, into, depth } = next;
    for (const child of from.toArray()) {
      if (child instanceof Y.XmlText) into.push(...readText(child));
      else if (child instanceof Y.XmlElement) {
        const attrs = child.getAttributes() as Record<string, unknown>;
        const node: MutableElement = { type: child.nodeName as BodyNodeType };
        if (Object.keys(attrs).length > 0) node.attrs = attrs;
        if (child.length > 0 || !isLeaf(child.nodeName)) {
          node.content = [];
          if (depth < BODY_MAX_DEPTH)
            pending.push({ from: child, into: node.content, depth: depth + 1 });
        }
        into.push(node);
      }
    }
  }
  return top;
}

function isLeaf(type: string): boolean {
  return (
    type === 'horizontalRule' || type === 'hardBreak' || type === 'noteLink' || type === 'image'
  );
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
 * the editor's schema (markdownToBody.ts maps imported Markdown onto it).
 */
export function writeBodyTree(fragment: Y.XmlFragment, nodes: readonly BodyNode[]): void {
  writeChildren(fragment, nodes);
}

/**
 * Copies every node of one body to the end of another (inside the caller's transaction), through
 * the plain tree: Yjs's own `clone()` recurses per level, which a body nested thousands of levels
 * deep (from a hostile peer) overflows; the tree stops at `BODY_MAX_DEPTH`.
 */
export function copyBody(source: Y.XmlFragment, target: Y.XmlFragment): void {
  writeChildren(target, readBodyTree(source));
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
  // An explicit stack rather than recursion: a peer may nest a body thousands of levels deep.
  const stack: Array<{ children: unknown[]; next: number; name: string | null }> = [
    { children: fragment.toArray(), next: 0, name: null },
  ];
  while (stack.length > 0 && text.length < maxChars) {
    const frame = stack[stack.length - 1]!;
    if (frame.next >= frame.children.length) {
      stack.pop();
      if (frame.name !== null && BLOCKS_SEPARATED.has(frame.name) && !text.endsWith('\n'))
        text += '\n';
      continue;
    }
    const child = frame.children[frame.next++];
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
      } else if (name === 'hardBreak') text += '\n';
      else stack.push({ children: child.toArray(), next: 0, name });
    }
  }
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
 * True when rich text nests elements more than `BODY_MAX_DEPTH` levels deep, which editors and
 * exporters (recursive per level) cannot take. Walks only as deep as the limit.
 */
export function bodyTooDeep(fragment: Y.XmlFragment): boolean {
  const pending: Array<[Y.XmlFragment | Y.XmlElement, number]> = [[fragment, 0]];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [parent, depth] = next;
    for (const child of parent.toArray()) {
      if (!(child instanceof Y.XmlElement)) continue;
      if (depth + 1 > BODY_MAX_DEPTH) return true;
      pending.push([child, depth + 1]);
    }
  }
  return false;
}

/**
 * Problems that would stop the editor from showing a body faithfully: node or mark types this
 * version does not know (from a newer or buggy peer), and links to addresses Outpost never opens. The editor binding deletes content it cannot
 * map to its schema, so a body with problems must open read-only.
 */
export function inspectBody(fragment: Y.XmlFragment): string[] {
  const problems = new Set<string>();
  const visit = (parent: Y.XmlFragment | Y.XmlElement, depth: number) => {
    if (depth > BODY_MAX_DEPTH) {
      problems.add(`the body is nested more than ${BODY_MAX_DEPTH} levels deep`);
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
