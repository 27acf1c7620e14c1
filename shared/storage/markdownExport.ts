/**
 * A whole workspace as a folder of Markdown files: an index, one file per note (with its rich-text
 * body), one per goal and one per decision, and a list of damaged records with what is stored, so
 * the export holds everything the workspace holds in a form any editor can read. Fields this
 * module does not know by name (added by newer features) are still written, as a field list.
 */
import * as Y from 'yjs';
import { notes, NOTE_BODY_KEY } from '../model/notes';
import { goals } from '../model/goals';
import { decisions } from '../model/decisions';
import { listMembers } from '../model/members';
import { workspaceName } from '../model/workspace';
import { ROOT } from '../model/roots';
import type { DamagedRecord } from '../schema/records';

export interface ExportedFile {
  /** Relative path with `/` separators, e.g. `notes/trip-plan-abc123.md`. */
  readonly path: string;
  readonly content: string;
}

const everything = { includeArchived: true, includeDeleted: true } as const;
const BASE_FIELDS = new Set([
  'id',
  'kind',
  'title',
  'createdAt',
  'createdBy',
  'updatedAt',
  'updatedBy',
  'archived',
  'deletedAt',
]);

/** A file-name-safe, readable slug with a piece of the id so names never collide. */
export function slugFor(title: string, id: string): string {
  const base = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  const tail = id.replace(/[^A-Za-z0-9]/g, '').slice(0, 8) || 'record';
  return base ? `${base}-${tail}` : tail;
}

function iso(ms: number | null | undefined): string {
  return typeof ms === 'number' && Number.isFinite(ms) ? new Date(ms).toISOString() : '';
}

function yamlString(value: string): string {
  return JSON.stringify(value);
}

function frontMatter(fields: Record<string, unknown>): string {
  const lines = Object.entries(fields)
    .filter(([, value]) => value !== undefined && value !== null && value !== '')
    .map(([key, value]) => {
      if (Array.isArray(value))
        return `${key}: [${value.map((v) => yamlString(String(v))).join(', ')}]`;
      if (typeof value === 'string') return `${key}: ${yamlString(value)}`;
      return `${key}: ${JSON.stringify(value)}`;
    });
  return `---\n${lines.join('\n')}\n---\n\n`;
}

function escapeInline(text: string): string {
  return text.replace(/[\\`*_[\]<>~]/g, '\\$&');
}

function markName(attribute: string): string {
  const cut = attribute.indexOf('--');
  return cut === -1 ? attribute : attribute.slice(0, cut);
}

function inlineText(text: Y.XmlText): string {
  let out = '';
  for (const op of text.toDelta() as Array<{ insert: unknown; attributes?: object }>) {
    if (typeof op.insert !== 'string') continue;
    const marks = new Map<string, unknown>();
    for (const [name, value] of Object.entries(op.attributes ?? {}))
      marks.set(markName(name), value);
    let piece = marks.has('code') ? `\`${op.insert.replace(/`/g, 'ˋ')}\`` : escapeInline(op.insert);
    if (marks.has('bold')) piece = `**${piece}**`;
    if (marks.has('italic')) piece = `*${piece}*`;
    if (marks.has('strike')) piece = `~~${piece}~~`;
    const link = marks.get('link') as { href?: unknown } | undefined;
    if (link && typeof link.href === 'string') piece = `[${piece}](${link.href})`;
    out += piece;
  }
  return out;
}

function inline(parent: Y.XmlElement | Y.XmlFragment, titleOf: (id: string) => string): string {
  let out = '';
  for (const child of parent.toArray()) {
    if (child instanceof Y.XmlText) out += inlineText(child);
    else if (child instanceof Y.XmlElement) {
      if (child.nodeName === 'hardBreak') out += '  \n';
      else if (child.nodeName === 'noteLink') {
        const id = String(child.getAttribute('noteId') ?? child.getAttribute('id') ?? '');
        const title = titleOf(id) || String(child.getAttribute('title') ?? id);
        out += `[[${title}]]`;
      } else out += inline(child, titleOf);
    }
  }
  return out;
}

function indent(text: string, prefix: string): string {
  return text
    .split('\n')
    .map((line, index) => (index === 0 || line === '' ? line : prefix + line))
    .join('\n');
}

function block(node: Y.XmlElement, titleOf: (id: string) => string): string {
  const children = node.toArray().filter((c): c is Y.XmlElement => c instanceof Y.XmlElement);
  switch (node.nodeName) {
    case 'heading': {
      const level = Math.min(6, Math.max(1, Number(node.getAttribute('level')) || 1));
      return `${'#'.repeat(level)} ${inline(node, titleOf)}`;
    }
    case 'codeBlock': {
      const language = String(node.getAttribute('language') ?? '');
      const code = node
        .toArray()
        .map((c) => (c instanceof Y.XmlText ? c.toString() : ''))
        .join('');
      return `\`\`\`${language === 'null' ? '' : language}\n${code}\n\`\`\``;
    }
    case 'blockquote':
      return blocks(node, titleOf)
        .split('\n')
        .map((line) => `> ${line}`)
        .join('\n');
    case 'horizontalRule':
      return '---';
    case 'bulletList':
      return children.map((item) => `- ${indent(blocks(item, titleOf), '  ')}`).join('\n');
    case 'orderedList': {
      const start = Number(node.getAttribute('start')) || 1;
      return children
        .map((item, index) => `${start + index}. ${indent(blocks(item, titleOf), '   ')}`)
        .join('\n');
    }
    case 'taskList':
      return children
        .map((item) => {
          const checked = item.getAttribute('checked') as unknown;
          const box = checked === true || checked === 'true' ? '[x]' : '[ ]';
          return `- ${box} ${indent(blocks(item, titleOf), '  ')}`;
        })
        .join('\n');
    case 'listItem':
    case 'taskItem':
      return blocks(node, titleOf);
    default:
      return inline(node, titleOf);
  }
}

function blocks(parent: Y.XmlElement | Y.XmlFragment, titleOf: (id: string) => string): string {
  const parts: string[] = [];
  for (const child of parent.toArray()) {
    if (child instanceof Y.XmlElement) parts.push(block(child, titleOf));
    else if (child instanceof Y.XmlText) parts.push(inlineText(child));
  }
  const tight = parent instanceof Y.XmlElement && /Item$/.test(parent.nodeName);
  return parts.join(tight ? '\n' : '\n\n');
}

/** A note body (Y.XmlFragment of the rich-text editor) as Markdown. */
export function bodyAsMarkdown(
  body: Y.XmlFragment,
  titleOf: (id: string) => string = () => '',
): string {
  return blocks(body, titleOf).trim();
}

function extraFields(record: Record<string, unknown>, known: ReadonlySet<string>): string {
  const lines: string[] = [];
  for (const [key, value] of Object.entries(record)) {
    if (BASE_FIELDS.has(key) || known.has(key) || value === undefined) continue;
    lines.push(`- **${key}**: ${typeof value === 'string' ? value : JSON.stringify(value)}`);
  }
  return lines.length > 0 ? `\n## Other fields\n\n${lines.join('\n')}\n` : '';
}

function stateOf(record: { archived: boolean; deletedAt: number | null }): string {
  return record.deletedAt !== null ? 'trash' : record.archived ? 'archived' : 'active';
}

function damagedSection(damaged: readonly DamagedRecord[]): string {
  return damaged
    .map(
      (record) =>
        `## ${record.kind} ${record.id}\n\nProblems: ${record.problems.join('; ')}\n\n\`\`\`json\n${record.preview}\n\`\`\``,
    )
    .join('\n\n');
}

/**
 * Every note, goal and decision of a workspace as Markdown files under a folder named after it.
 * `now` dates the index.
 */
export function workspaceAsMarkdown(doc: Y.Doc, now: number): ExportedFile[] {
  const name = workspaceName(doc) ?? 'Workspace';
  const noteList = notes.list(doc, everything);
  const goalList = goals.list(doc, everything);
  const decisionList = decisions.list(doc, everything);
  const members = listMembers(doc);
  const memberName = (id: string | null | undefined) =>
    members.items.find((m) => m.id === id)?.name ?? id ?? '';
  const titles = new Map<string, string>();
  for (const item of [...noteList.items, ...goalList.items, ...decisionList.items])
    titles.set(item.id, item.title);
  const titleOf = (id: string) => titles.get(id) ?? '';
  const files: ExportedFile[] = [];
  const index: string[] = [
    `# ${name}`,
    '',
    `Exported from Outpost on ${iso(now)}: ${noteList.items.length} notes, ${goalList.items.length} goals, ${decisionList.items.length} decisions.`,
  ];

  const section = (
    title: string,
    entries: Array<{ path: string; title: string; state: string }>,
  ) => {
    index.push('', `## ${title}`, '');
    if (entries.length === 0) index.push('None.');
    for (const entry of entries)
      index.push(
        `- [${escapeInline(entry.title || 'Untitled')}](${encodeURI(entry.path)})${entry.state === 'active' ? '' : ` (${entry.state})`}`,
      );
  };

  const notesRoot = doc.getMap<unknown>(ROOT.notes);
  const noteEntries = noteList.items.map((note) => {
    const path = `notes/${slugFor(note.title, note.id)}.md`;
    const record = notesRoot.get(note.id);
    const body = record instanceof Y.Map ? record.get(NOTE_BODY_KEY) : undefined;
    const text = body instanceof Y.XmlFragment ? bodyAsMarkdown(body, titleOf) : '';
    files.push({
      path,
      content:
        frontMatter({
          title: note.title,
          tags: note.tags,
          pinned: note.pinned || undefined,
          state: stateOf(note),
          created: iso(note.createdAt),
          updated: iso(note.updatedAt),
          author: memberName(note.createdBy),
        }) +
        `# ${note.title || 'Untitled'}\n\n${text}\n` +
        extraFields(note as unknown as Record<string, unknown>, new Set(['pinned', 'tags'])),
    });
    return { path, title: note.title, state: stateOf(note) };
  });
  section('Notes', noteEntries);

  const goalEntries = goalList.items.map((goal) => {
    const path = `goals/${slugFor(goal.title, goal.id)}.md`;
    const parent = goal.parentId ? titles.get(goal.parentId) : undefined;
    files.push({
      path,
      content:
        frontMatter({
          title: goal.title,
          status: goal.status,
          owner: memberName(goal.ownerId),
          periodStart: goal.periodStart,
          periodEnd: goal.periodEnd,
          parent: parent ?? goal.parentId,
          state: stateOf(goal),
          created: iso(goal.createdAt),
          updated: iso(goal.updatedAt),
        }) +
        `# ${goal.title || 'Untitled goal'}\n\n${goal.description}\n` +
        extraFields(
          goal as unknown as Record<string, unknown>,
          new Set(['status', 'ownerId', 'periodStart', 'periodEnd', 'parentId', 'description']),
        ),
    });
    return { path, title: goal.title, state: stateOf(goal) };
  });
  section('Goals', goalEntries);

  const decisionEntries = decisionList.items.map((decision) => {
    const path = `decisions/${slugFor(decision.title, decision.id)}.md`;
    files.push({
      path,
      content:
        frontMatter({
          title: decision.title,
          status: decision.status,
          state: stateOf(decision),
          date: iso(decision.updatedAt).slice(0, 10),
          created: iso(decision.createdAt),
          author: memberName(decision.createdBy),
        }) +
        `# ${decision.title || 'Untitled decision'}\n\nStatus: ${decision.status}\n` +
        extraFields(decision as unknown as Record<string, unknown>, new Set(['status'])),
    });
    return { path, title: decision.title, state: stateOf(decision) };
  });
  section('Decisions', decisionEntries);

  const damaged = [...noteList.damaged, ...goalList.damaged, ...decisionList.damaged];
  if (damaged.length > 0) {
    files.push({
      path: 'damaged-records.md',
      content: `# Damaged records\n\nThese records failed validation; what is stored is shown as is.\n\n${damagedSection(damaged)}\n`,
    });
    index.push(
      '',
      `## Damaged records`,
      '',
      `${damaged.length} — see [damaged-records.md](damaged-records.md).`,
    );
  }
  files.unshift({ path: 'README.md', content: index.join('\n') + '\n' });
  return files;
}
