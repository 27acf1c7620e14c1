/**
 * A whole workspace as a folder of Markdown files: an index, and every note, goal and decision in
 * the same format its own feature exports (notes with front matter and their rich-text body, goals
 * with key results and check-ins, decisions as MADR), plus a list of damaged records with what is
 * stored, so the export holds everything the workspace holds in a form any editor can read. In a
 * workspace whose bodies are documents of their own (schema 2) each body is read from its
 * document, one at a time.
 */
import type * as Y from 'yjs';
import { notes, noteBody } from '../model/notes';
import { readBodyTree, type BodyNode } from '../model/notesBody';
import { bodyFragment, type BodyDocuments } from '../model/bodyDocuments';
import { noteToMarkdown } from '../model/notesMarkdown';
import { goals } from '../model/goals';
import { goalToMarkdown, type ExportNames } from '../model/goalsExport';
import { decisions } from '../model/decisions';
import { exportMadr } from '../model/decisionsMadr';
import { listMembers } from '../model/members';
import { workspaceName } from '../model/workspace';
import type { DamagedRecord } from '../schema/records';

export interface ExportedFile {
  /** Relative path with `/` separators, e.g. `notes/trip-plan-abc123.md`. */
  readonly path: string;
  readonly content: string;
}

const everything = { includeArchived: true, includeDeleted: true } as const;

/** A file-name-safe, readable slug with a piece of the id so names never collide. */
function slugFor(title: string, id: string): string {
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

function escapeInline(text: string): string {
  return text.replace(/[\\`*_[\]<>~]/g, '\\$&');
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
 * `now` dates the index. Bodies are read from the note records (schema 1).
 */
export function workspaceAsMarkdown(doc: Y.Doc, now: number): ExportedFile[] {
  const parts = partsOf(doc);
  return assemble(doc, now, parts, (note) => {
    const body = noteBody(doc, note.id);
    return noteMarkdown(note, body ? readBodyTree(body) : [], parts.titles);
  });
}

/**
 * {@link workspaceAsMarkdown} of a workspace whose bodies are documents of their own (schema 2,
 * `doc` its root), reading each body from `bodies` one at a time; with `bodies` null, the same as
 * {@link workspaceAsMarkdown}. A body that cannot be read is exported as a line saying so, and
 * every other note as it is.
 */
export async function workspaceAsMarkdownFrom(
  doc: Y.Doc,
  now: number,
  bodies: BodyDocuments | null,
): Promise<ExportedFile[]> {
  if (!bodies) return workspaceAsMarkdown(doc, now);
  const parts = partsOf(doc);
  const contents = new Map<string, string>();
  for (const note of parts.noteList.items)
    contents.set(note.id, noteMarkdown(note, await bodyTreeOf(bodies, note.id), parts.titles));
  return assemble(doc, now, parts, (note) => contents.get(note.id) ?? '');
}

/** A body document's rich text as a tree, or a paragraph saying why it cannot be read. */
async function bodyTreeOf(bodies: BodyDocuments, id: string): Promise<BodyNode[]> {
  try {
    return await bodies.read(id, (bodyDoc) => readBodyTree(bodyFragment(bodyDoc)));
  } catch (error) {
    const reason = (error instanceof Error ? error.message : String(error)).slice(0, 200);
    return [
      {
        type: 'paragraph',
        content: [{ type: 'text', text: `(The text of this note could not be read: ${reason})` }],
      },
    ];
  }
}

type Note = ReturnType<typeof notes.list>['items'][number];

function noteMarkdown(
  note: Note,
  body: readonly BodyNode[],
  titles: ReadonlyMap<string, string>,
): string {
  return noteToMarkdown(
    {
      title: note.title,
      tags: note.tags,
      pinned: note.pinned,
      createdAt: note.createdAt,
      updatedAt: note.updatedAt,
    },
    body,
    (target) => titles.get(target),
  );
}

/** What every part of the export reads from the workspace document. */
function partsOf(doc: Y.Doc) {
  const noteList = notes.list(doc, everything);
  const goalList = goals.list(doc, everything);
  const decisionList = decisions.list(doc, everything);
  const members = listMembers(doc).items;
  const titles = new Map<string, string>();
  for (const item of [...noteList.items, ...goalList.items, ...decisionList.items])
    titles.set(item.id, item.title);
  return { noteList, goalList, decisionList, members, titles };
}

function assemble(
  doc: Y.Doc,
  now: number,
  parts: ReturnType<typeof partsOf>,
  noteContent: (note: Note) => string,
): ExportedFile[] {
  const { noteList, goalList, decisionList, members, titles } = parts;
  const name = workspaceName(doc) ?? 'Workspace';
  const names: ExportNames = {
    member: (id) =>
      id === null ? 'No owner' : (members.find((m) => m.id === id)?.name ?? 'a former member'),
    goalTitle: (id) => titles.get(id),
    linkTitle: (ref) => titles.get(ref.id),
  };
  const files: ExportedFile[] = [];
  const index: string[] = [
    `# ${name}`,
    '',
    `Exported from Outpost on ${new Date(now).toISOString()}: ${noteList.items.length} notes, ${goalList.items.length} goals, ${decisionList.items.length} decisions.`,
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

  section(
    'Notes',
    noteList.items.map((note) => {
      const path = `notes/${slugFor(note.title, note.id)}.md`;
      files.push({ path, content: noteContent(note) });
      return { path, title: note.title, state: stateOf(note) };
    }),
  );

  section(
    'Goals',
    goalList.items.map((goal) => {
      const path = `goals/${slugFor(goal.title, goal.id)}.md`;
      files.push({ path, content: goalToMarkdown(goal, names) });
      return { path, title: goal.title, state: stateOf(goal) };
    }),
  );

  section(
    'Decisions',
    decisionList.items.map((decision) => {
      const path = `decisions/${slugFor(decision.title, decision.id)}.md`;
      files.push({
        path,
        content: exportMadr(doc, decision, members, decisionList.items).markdown,
      });
      return { path, title: decision.title, state: stateOf(decision) };
    }),
  );

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
