/**
 * Reading an Obsidian vault (a folder of Markdown notes and the files they embed) into what an
 * import writes: notes with their front matter, inline tags, tables, `[[links|aliases]]` resolved
 * to the vault's own notes, images kept by content hash, and, per file, a sentence for everything
 * that did not come over as written. Pure: it reads bytes and writes nothing (vaultImport.ts
 * writes the plan into a workspace).
 */
import { parse as parseYaml } from 'yaml';
import { Tag } from '../schema/records';
import { oneLine } from '../core/text';
import type { BodyElement, BodyNode } from './notesBody';
import { readMarkdown } from './markdownToBody';
import { decodeMarkdownFile, MARKDOWN_EXTENSIONS, MAX_IMPORT_FILE_BYTES } from './notesMarkdown';
import { attachmentKey, attachmentProblem } from './attachments';
import { inlineTags, mapNodes, unsupportedFeatures } from './obsidianVaultBody';

/** One file of the chosen folder: its path inside the folder (the folder's name first) and bytes. */
export interface VaultFile {
  readonly path: string;
  readonly size: number;
  /** The bytes, or null when the file was too large to read. */
  readonly bytes: Uint8Array | null;
}

/** A note the import creates or updates. */
export interface VaultNote {
  /** Where it came from, remembered on the note so a second import can update it. */
  readonly source: string;
  readonly path: string;
  readonly title: string;
  readonly tags: readonly string[];
  readonly createdAt: number | null;
  readonly updatedAt: number | null;
  /** Note links carry `source` (the linked vault note's source) until the import resolves them. */
  readonly body: readonly BodyElement[];
}

export interface VaultImage {
  readonly key: string;
  readonly path: string;
  readonly name: string;
  readonly bytes: Uint8Array;
}

/** What did not come over from one file, one sentence each. */
export interface FileReport {
  readonly path: string;
  readonly items: readonly string[];
}

export interface VaultPlan {
  readonly notes: readonly VaultNote[];
  readonly images: readonly VaultImage[];
  readonly report: readonly FileReport[];
}

const IMAGE_EXTENSIONS = ['.png', '.jpg', '.jpeg', '.gif', '.webp'];

function extensionOf(path: string): string {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  return dot <= 0 ? '' : name.slice(dot).toLowerCase();
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

function withoutExtension(path: string): string {
  const ext = extensionOf(path);
  return ext ? path.slice(0, -ext.length) : path;
}

/** The identity of a vault file across imports: the path inside the chosen folder. */
export function vaultSource(path: string): string {
  return `obsidian:${path}`;
}

/** How Obsidian finds a link's file: by path inside the vault, else by file name. */
class VaultIndex {
  private readonly byPath = new Map<string, string>();
  private readonly byName = new Map<string, string>();

  constructor(
    paths: readonly string[],
    private readonly root: string,
  ) {
    for (const path of paths) {
      const inside = this.inside(path).toLowerCase();
      this.byPath.set(inside, path);
      this.byPath.set(withoutExtension(inside), path);
      const name = baseName(inside);
      if (!this.byName.has(name)) this.byName.set(name, path);
      if (!this.byName.has(withoutExtension(name))) this.byName.set(withoutExtension(name), path);
    }
  }

  inside(path: string): string {
    return this.root && path.startsWith(`${this.root}/`) ? path.slice(this.root.length + 1) : path;
  }

  find(target: string): string | undefined {
    const key = target
      .trim()
      .replace(/^\.?\//, '')
      .toLowerCase();
    return this.byPath.get(key) ?? this.byName.get(baseName(key));
  }
}

interface FrontMatter {
  readonly fields: Record<string, unknown>;
  readonly body: string;
  readonly problem: string | null;
}

function splitFrontMatter(text: string): FrontMatter {
  const source = text.replace(/\r\n?/g, '\n');
  const match = /^---\n([\s\S]*?)\n---[ \t]*(?:\n|$)/.exec(source);
  if (!match) return { fields: {}, body: source, problem: null };
  try {
    const parsed: unknown = parseYaml(match[1]!);
    if (parsed === null || parsed === undefined)
      return { fields: {}, body: source.slice(match[0].length), problem: null };
    if (typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not a map');
    return {
      fields: parsed as Record<string, unknown>,
      body: source.slice(match[0].length),
      problem: null,
    };
  } catch {
    // Kept where it was, as text, so nothing is lost.
    return {
      fields: {},
      body: `\`\`\`yaml\n${match[1]}\n\`\`\`\n\n${source.slice(match[0].length)}`,
      problem: 'the front matter is not valid YAML; it is kept as a code block at the top',
    };
  }
}

function listOf(value: unknown): string[] {
  if (typeof value === 'string') return value.split(/[\s,]+/).filter(Boolean);
  if (Array.isArray(value))
    return value
      .filter((item): item is string | number => ['string', 'number'].includes(typeof item))
      .map(String);
  return [];
}

function dateOf(value: unknown): number | null | 'bad' {
  if (value === undefined || value === null || value === '') return null;
  const time =
    value instanceof Date ? value.getTime() : typeof value === 'string' ? Date.parse(value) : NaN;
  return Number.isFinite(time) && time >= 0 ? time : 'bad';
}

const KNOWN_FIELDS = new Set([
  'title',
  'tags',
  'tag',
  'aliases',
  'alias',
  'created',
  'date',
  'updated',
  'modified',
]);

interface NoteDraft {
  readonly path: string;
  readonly title: string;
  readonly aliases: readonly string[];
  readonly fields: Record<string, unknown>;
  readonly markdown: string;
  readonly items: string[];
}

/**
 * Reads a vault's files into an import plan. Files under `.obsidian` and other hidden folders
 * (settings, trash) are not notes and are passed over silently; every other file that is not
 * imported is in the report with the reason.
 */
export function planVault(files: readonly VaultFile[]): VaultPlan {
  const visible = files.filter(
    (file) => !file.path.split('/').some((part) => part.startsWith('.')),
  );
  const first = visible[0]?.path.split('/');
  const root =
    first && first.length > 1 && visible.every((file) => file.path.startsWith(`${first[0]}/`))
      ? first[0]!
      : '';
  const index = new VaultIndex(
    visible.map((file) => file.path),
    root,
  );
  const byPath = new Map(visible.map((file) => [file.path, file]));
  const reports = new Map<string, string[]>();
  const note = (path: string, item: string) => {
    const list = reports.get(path) ?? [];
    if (!list.includes(item)) list.push(item);
    reports.set(path, list);
  };

  // Notes first: titles and aliases are needed to resolve links between them.
  const drafts: NoteDraft[] = [];
  for (const file of visible) {
    const ext = extensionOf(file.path);
    if (!(MARKDOWN_EXTENSIONS as readonly string[]).includes(ext)) continue;
    const decoded = file.bytes
      ? decodeMarkdownFile(baseName(file.path), file.bytes)
      : decodeMarkdownFile(baseName(file.path), new Uint8Array(MAX_IMPORT_FILE_BYTES + 1));
    if (!decoded.ok) {
      note(file.path, `not imported: ${decoded.error.message}`);
      continue;
    }
    const front = splitFrontMatter(decoded.value);
    const items: string[] = front.problem ? [front.problem] : [];
    const rawTitle = front.fields.title;
    let title = oneLine(
      typeof rawTitle === 'string' ? rawTitle : withoutExtension(baseName(file.path)),
    );
    if (title.length > 200) {
      title = title.slice(0, 200);
      items.push('the title is longer than 200 characters and was cut');
    }
    const aliases = listOf(front.fields.aliases ?? front.fields.alias)
      .map(oneLine)
      .filter(Boolean);
    drafts.push({
      path: file.path,
      title,
      aliases,
      fields: front.fields,
      markdown: front.body,
      items,
    });
  }
  const noteByPath = new Map(drafts.map((draft) => [draft.path, draft]));
  const byAlias = new Map<string, NoteDraft>();
  for (const draft of drafts)
    for (const alias of draft.aliases)
      if (!byAlias.has(alias.toLowerCase())) byAlias.set(alias.toLowerCase(), draft);

  const images = new Map<string, VaultImage>();
  const embedded = new Set<string>();
  const notes: VaultNote[] = [];
  for (const draft of drafts) {
    const items = draft.items;
    const findNote = (target: string) => {
      const path = index.find(target);
      const found = path ? noteByPath.get(path) : undefined;
      return found ?? byAlias.get(target.trim().toLowerCase());
    };
    const read = readMarkdown(draft.markdown, {
      embed: (target, alt) => {
        const path = index.find(target);
        if (path) embedded.add(path);
        const linked = findNote(target);
        if (linked) {
          items.push(`the embedded note “${target}” is shown as a link to it`);
          return {
            type: 'noteLink',
            attrs: { noteId: '', label: linked.title, source: vaultSource(linked.path) },
          };
        }
        const file = path ? byPath.get(path) : undefined;
        if (!file || !path) {
          items.push(`“${target}” is embedded but is not in the vault; the embed stays as text`);
          return null;
        }
        if (!IMAGE_EXTENSIONS.includes(extensionOf(path))) {
          items.push(
            `“${index.inside(path)}” is embedded but only images are kept; the embed stays as text`,
          );
          return null;
        }
        const problem = file.bytes
          ? attachmentProblem(index.inside(path), file.bytes)
          : attachmentProblem(index.inside(path), new Uint8Array(file.size));
        if (problem || !file.bytes) {
          items.push(`${problem ?? 'the image could not be read'} The embed stays as text.`);
          return null;
        }
        const key = attachmentKey(file.bytes);
        if (!images.has(key))
          images.set(key, { key, path, name: baseName(path), bytes: file.bytes });
        return {
          type: 'image',
          attrs: {
            attachment: key,
            name: baseName(path),
            alt: alt || withoutExtension(baseName(path)),
          },
        };
      },
    });
    items.push(...read.notices);
    if (read.unopenableLinks > 0)
      items.push(
        `${read.unopenableLinks} link${read.unopenableLinks === 1 ? '' : 's'} to addresses Outpost does not open (file:, relative paths) kept as text`,
      );
    // Links to the vault's notes are resolved now; links to anything else are tried against the
    // workspace's notes by title when written, then stay as links to a missing note.
    const body = mapNodes(read.body, (node): BodyNode => {
      if (node.type !== 'noteLink') return node;
      const attrs = node.attrs ?? {};
      if (typeof attrs.source === 'string') return node;
      const label = typeof attrs.label === 'string' ? attrs.label : '';
      const target = findNote(label);
      if (!target) {
        const path = index.find(label);
        if (path && !noteByPath.has(path)) embedded.add(path);
        items.push(
          `[[${label}]] is not a note of the vault: it links to the workspace’s note of that title, or offers to create it`,
        );
        return node;
      }
      return {
        ...node,
        attrs: { ...attrs, label: target.title, source: vaultSource(target.path) },
      };
    }) as BodyElement[];
    items.push(...unsupportedFeatures(draft.markdown, body));

    const tags = new Set<string>();
    for (const raw of listOf(draft.fields.tags ?? draft.fields.tag)) {
      const tag = Tag.safeParse(raw.replace(/^#/, ''));
      if (tag.success) tags.add(tag.data);
      else
        items.push(
          `the tag “${raw.slice(0, 40)}” is not a valid tag (no spaces, commas, ≤ 40 characters)`,
        );
    }
    const inline = inlineTags(body);
    for (const tag of inline.tags) tags.add(tag);
    for (const raw of inline.invalid)
      items.push(`the tag “#${raw.slice(0, 40)}” is longer than 40 characters`);
    const tagList = [...tags].sort();
    if (tagList.length > 100) items.push(`only the first 100 of ${tagList.length} tags are kept`);

    const created = dateOf(draft.fields.created ?? draft.fields.date);
    const updated = dateOf(draft.fields.updated ?? draft.fields.modified);
    if (created === 'bad' || updated === 'bad')
      items.push('a created or updated date is not a date and was left out');
    if (draft.aliases.length > 0)
      items.push(
        `aliases (${draft.aliases.join(', ').slice(0, 80)}) are used for links on import but not kept`,
      );
    const others = Object.keys(draft.fields).filter((key) => !KNOWN_FIELDS.has(key.toLowerCase()));
    if (others.length > 0)
      items.push(
        `front matter field${others.length === 1 ? '' : 's'} ${others.map((key) => `“${key}”`).join(', ')} not kept`,
      );
    if (items.length > 0) for (const item of items) note(draft.path, item);
    notes.push({
      source: vaultSource(draft.path),
      path: draft.path,
      title: draft.title,
      tags: tagList.slice(0, 100),
      createdAt: typeof created === 'number' ? created : null,
      updatedAt: typeof updated === 'number' ? updated : null,
      body,
    });
  }

  for (const file of visible) {
    const ext = extensionOf(file.path);
    if ((MARKDOWN_EXTENSIONS as readonly string[]).includes(ext) || embedded.has(file.path))
      continue;
    if (ext === '.canvas')
      note(
        file.path,
        'not imported: Outpost has no canvas; the notes it shows are imported on their own',
      );
    else
      note(
        file.path,
        'not imported: no note embeds it, and only notes and the images they show are imported',
      );
  }
  const report = [...reports.entries()].map(([path, items]) => ({
    path: index.inside(path),
    items,
  }));
  return { notes, images: [...images.values()], report };
}
