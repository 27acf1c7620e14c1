/**
 * What an Obsidian note's body says beyond CommonMark, read after markdownToBody.ts has made the
 * tree: inline `#tags` (they become the note's tags and stay in the text), and the Obsidian
 * features Outpost has no form for (Dataview queries, callouts, highlights, comments), which stay
 * as the text or code that was written and are named in the import report.
 */
import { Tag } from '../schema/records';
import type { BodyNode } from './notesBody';

// Obsidian's tag: `#` after a space or the start of a line, letters, digits, `_`, `-` and `/`,
// not only digits (`#1` is an issue number, not a tag).
const INLINE_TAG = /(?:^|[\s(])#([\p{L}\p{N}_/-]+)/gu;

/** Tags written inline in the body's text, outside code; invalid ones are returned apart. */
export function inlineTags(body: readonly BodyNode[]): { tags: string[]; invalid: string[] } {
  const tags = new Set<string>();
  const invalid = new Set<string>();
  const pending: BodyNode[] = [...body];
  for (let node = pending.pop(); node; node = pending.pop()) {
    if (node.type === 'text') {
      if (node.marks?.code || node.marks?.link) continue;
      for (const match of node.text.matchAll(INLINE_TAG)) {
        const raw = match[1]!;
        if (/^[\p{N}/_-]+$/u.test(raw)) continue;
        const tag = Tag.safeParse(raw);
        if (tag.success) tags.add(tag.data);
        else invalid.add(raw);
      }
    } else if (node.type !== 'codeBlock') pending.push(...(node.content ?? []));
  }
  return { tags: [...tags].sort(), invalid: [...invalid] };
}

const QUERY_LANGUAGES = new Set(['dataview', 'dataviewjs', 'tasks', 'query']);

/** Sentences about Obsidian features in a note's source and tree that Outpost keeps only as text. */
export function unsupportedFeatures(source: string, body: readonly BodyNode[]): string[] {
  const found: string[] = [];
  const languages = new Set<string>();
  const pending: BodyNode[] = [...body];
  for (let node = pending.pop(); node; node = pending.pop()) {
    if (node.type === 'text') continue;
    if (node.type === 'codeBlock' && typeof node.attrs?.language === 'string')
      languages.add(node.attrs.language.toLowerCase());
    pending.push(...(node.content ?? []));
  }
  for (const language of languages)
    if (QUERY_LANGUAGES.has(language))
      found.push(
        `a ${language === 'query' ? 'search' : language === 'tasks' ? 'Tasks' : 'Dataview'} query is kept as its code; Outpost does not run queries`,
      );
  const prose = source.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '');
  if (/^>\s*\[![\w-]+\]/m.test(prose))
    found.push('callouts (> [!note]) are kept as quotes with their [!type] line');
  if (/==[^=\n]+==/.test(prose)) found.push('highlights (==text==) are kept as text with their ==');
  if (/%%[\s\S]*?%%/.test(prose)) found.push('comments (%% … %%) are kept as visible text');
  if (/^[\w-]+::\s/m.test(prose))
    found.push('Dataview fields (key:: value) are kept as text, not as fields');
  return found;
}

/** A node list with every node `replace` maps, top down; `replace` returns the node or its stand-ins. */
export function mapNodes(
  nodes: readonly BodyNode[],
  replace: (node: BodyNode) => BodyNode | readonly BodyNode[],
): BodyNode[] {
  return nodes.flatMap((node) => {
    const mapped = replace(node);
    if (Array.isArray(mapped)) return mapped as BodyNode[];
    const one = mapped as BodyNode;
    return one.type !== 'text' && one.content
      ? [{ ...one, content: mapNodes(one.content, replace) }]
      : [one];
  });
}
