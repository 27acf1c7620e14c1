/**
 * Notes as Markdown files: one `.md` file per note, front matter with title, tags, pin and dates,
 * then the body in CommonMark + GFM written by bodyToMarkdown.ts and read by markdownToBody.ts.
 */
import { fail, ok, type Result } from '../result';
import { Tag } from '../schema/records';
import type { BodyElement, BodyNode } from './notesBody';
import { bodyToMarkdown, type TitleOf } from './bodyToMarkdown';
import { markdownToBody } from './markdownToBody';
import { oneLine } from '../core/text';

// The renderer loads all of Markdown import and export lazily, as one chunk, through this module.
export { bodyToMarkdown, markdownToBody, type TitleOf };

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
