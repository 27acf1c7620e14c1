/**
 * A decision's context (rich text in the decision's Y.XmlFragment, StarterKit's schema) as
 * Markdown, through the same writer and reader as notes (bodyToMarkdown.ts, markdownToBody.ts),
 * so notes and decision records share one Markdown pipeline.
 */
import type * as Y from 'yjs';
import { getSchema, type JSONContent } from '@tiptap/core';
import StarterKit from '@tiptap/starter-kit';
import { prosemirrorJSONToYXmlFragment } from '@tiptap/y-tiptap';
import { bodyToMarkdown } from './bodyToMarkdown';
import { readMarkdown } from './markdownToBody';
import { readBodyTree, type BodyNode } from './notesBody';

let schema: ReturnType<typeof getSchema> | null = null;
function contextSchema(): ReturnType<typeof getSchema> {
  // The context editor adds only behaviour to StarterKit, never schema.
  schema ??= getSchema([StarterKit]);
  return schema;
}

function isEmptyParagraph(node: BodyNode | undefined): boolean {
  return node?.type === 'paragraph' && !node.content?.length;
}

/**
 * The context as Markdown, '' when it holds nothing. The editor keeps an empty paragraph at the
 * end (and at the start of an untouched context); those are not part of what was written.
 */
export function contextToMarkdown(fragment: Y.XmlFragment): string {
  const tree = readBodyTree(fragment);
  while (isEmptyParagraph(tree[0])) tree.shift();
  while (isEmptyParagraph(tree.at(-1))) tree.pop();
  return bodyToMarkdown(tree).trim();
}

/**
 * Maps a note body tree onto the context's schema: marks become ProseMirror's mark list; what
 * notes have and StarterKit has not keeps its text (a task item is a list item starting `[ ]` or
 * `[x]`, a note link its `[[Title]]`).
 */
function toContextJson(node: BodyNode): JSONContent {
  if (node.type === 'text') {
    const marks = Object.entries(node.marks ?? {}).map(([type, attrs]) =>
      attrs && Object.keys(attrs).length > 0 ? { type, attrs } : { type },
    );
    return marks.length > 0
      ? { type: 'text', text: node.text, marks }
      : { type: 'text', text: node.text };
  }
  if (node.type === 'noteLink') return { type: 'text', text: `[[${String(node.attrs?.label)}]]` };
  const content = (node.content ?? []).map(toContextJson);
  if (node.type === 'taskItem') {
    const box = { type: 'text', text: node.attrs?.checked === true ? '[x] ' : '[ ] ' };
    const [first, ...rest] = content;
    const paragraph = { ...first, content: [box, ...(first?.content ?? [])] };
    return { type: 'listItem', content: [paragraph, ...rest] };
  }
  const type = node.type === 'taskList' ? 'bulletList' : node.type;
  return {
    type,
    ...(node.attrs && type !== 'bulletList' ? { attrs: { ...node.attrs } } : {}),
    ...(content.length > 0 ? { content } : {}),
  };
}

/** Context Markdown read and checked against the schema; throws when it does not fit. */
export interface ContextFromMarkdown {
  readonly json: JSONContent;
  /** Links to addresses Outpost would never open, kept as plain text. */
  readonly unopenableLinks: number;
}

/** Reads context Markdown and checks it fits the context's schema (throws when it does not). */
export function contextFromMarkdown(markdown: string): ContextFromMarkdown {
  const { body, unopenableLinks } = readMarkdown(markdown);
  const json: JSONContent = {
    type: 'doc',
    content: body.length > 0 ? body.map(toContextJson) : [{ type: 'paragraph' }],
  };
  contextSchema().nodeFromJSON(json).check();
  return { json, unopenableLinks };
}

/** Writes checked context JSON into a decision's (empty) context, inside the caller's transaction. */
export function writeContext(json: JSONContent, fragment: Y.XmlFragment): void {
  prosemirrorJSONToYXmlFragment(contextSchema(), json, fragment);
}
