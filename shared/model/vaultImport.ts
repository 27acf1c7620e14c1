/**
 * Writing an imported vault (obsidianVault.ts) into a workspace, in one transaction: images first
 * (within the workspace's cap), then notes, created or — when the same file was imported before
 * and the person chose to — updated in place, then links resolved to the notes' ids. A note
 * remembers where it came from in its `source` field (docs/PROTOCOL.md §1.4), which is how a
 * second import of the same file finds it. Where bodies are documents of their own (schema 2) the
 * transaction writes the records only and hands the bodies back for the caller to store.
 */
import type * as Y from 'yjs';
import type { ModelContext } from './collection';
import { MODEL_ORIGIN, ROOT } from './roots';
import { notes, noteBody, NoteCreateInput, separateBodies, type SeparateBody } from './notes';
import { writeBodyTree, type BodyNode } from './notesBody';
import { mapNodes } from './obsidianVaultBody';
import {
  ATTACHMENT_MAX_BYTES,
  attachmentsUsage,
  hasAttachment,
  putAttachment,
  workspaceFullProblem,
  WORKSPACE_ATTACHMENTS_MAX_BYTES,
} from './attachments';
import type { FileReport, VaultPlan } from './obsidianVault';
import { recordsBySource, SOURCE_FIELD, SOURCE_MAX } from './importSources';
import { fail, ok, type Result } from '../result';

/** Notes of the plan that were imported before and are still live, by source. */
export function previouslyImported(doc: Y.Doc, plan: VaultPlan): string[] {
  const known = recordsBySource(doc, ROOT.notes);
  return plan.notes.filter((note) => known.has(note.source)).map((note) => note.source);
}

export interface VaultImportResult {
  readonly created: number;
  readonly updated: number;
  readonly images: number;
  /** The id of the first note written, to open. */
  readonly firstId: string | null;
  /** What could not be written (images over the workspace's cap), per file. */
  readonly report: readonly FileReport[];
  /** Schema 2: every note's body, to store (new notes) or to replace the stored one (`replaces`). */
  readonly bodies: readonly VaultBody[];
}

export interface VaultBody extends SeparateBody {
  /** The note was imported before: its stored body document is replaced by this one. */
  readonly replaces: boolean;
}

/**
 * Writes a vault plan. With `update`, notes imported before from the same files are replaced
 * (title, tags, body; their version history keeps what they held); otherwise every note is new.
 */
export function applyVaultImport(
  doc: Y.Doc,
  ctx: ModelContext,
  plan: VaultPlan,
  options: { readonly update: boolean },
): Result<VaultImportResult> {
  for (const note of plan.notes) {
    const input = NoteCreateInput.safeParse({ title: note.title, tags: [...note.tags] });
    if (!input.success)
      return fail(
        'invalid-input',
        `“${note.path}”: ${input.error.issues[0]?.message ?? 'invalid'}`,
      );
    if (note.source.length > SOURCE_MAX)
      return fail('invalid-input', `“${note.path.slice(0, 80)}…” has too long a path.`);
  }
  const now = (ctx.now ?? Date.now)();
  const known = options.update ? recordsBySource(doc, ROOT.notes) : new Map<string, string>();
  const report: FileReport[] = [];
  const kept = new Set<string>();
  let used = attachmentsUsage(doc);
  let images = 0;
  const ids = new Map<string, string>();
  let created = 0;
  let updated = 0;
  let failure: Result<VaultImportResult> | null = null;
  const bodies: VaultBody[] = [];
  const replaced = new Set<string>();
  doc.transact(() => {
    for (const image of plan.images) {
      if (hasAttachment(doc, image.key)) {
        kept.add(image.key);
        continue;
      }
      if (image.bytes.byteLength > ATTACHMENT_MAX_BYTES) continue;
      if (used + image.bytes.byteLength > WORKSPACE_ATTACHMENTS_MAX_BYTES) {
        report.push({
          path: image.path,
          items: [`${workspaceFullProblem(image.name)} The embeds stay as text.`],
        });
        continue;
      }
      putAttachment(doc, ctx.actor, now, image.key, image.name, image.bytes);
      used += image.bytes.byteLength;
      kept.add(image.key);
      images += 1;
    }
    for (const note of plan.notes) {
      const existing = known.get(note.source);
      if (existing) {
        const read = notes.get(doc, existing);
        if (read?.ok) {
          const result = notes.update(doc, ctx, existing, {
            title: note.title,
            addTags: [...note.tags],
            removeTags: read.value.tags.filter((tag) => !note.tags.includes(tag)),
          });
          if (!result.ok) {
            failure = result;
            return;
          }
          const body = noteBody(doc, existing);
          if (body) body.delete(0, body.length);
          replaced.add(existing);
          ids.set(note.source, existing);
          updated += 1;
          continue;
        }
      }
      const result = notes.create(doc, ctx, { title: note.title, tags: [...note.tags] });
      if (!result.ok) {
        failure = result;
        return;
      }
      const record = notes.map(doc, result.value.id)!;
      record.set(SOURCE_FIELD, note.source);
      if (note.createdAt !== null) record.set('createdAt', note.createdAt);
      if (note.updatedAt !== null) record.set('updatedAt', note.updatedAt);
      ids.set(note.source, result.value.id);
      created += 1;
    }
    const byTitle = new Map<string, string>();
    for (const item of notes.list(doc).items) byTitle.set(item.title.toLowerCase(), item.id);
    for (const note of plan.notes) {
      const body = mapNodes(note.body, (node): BodyNode | BodyNode[] => {
        if (node.type === 'image') {
          const key = node.attrs?.attachment;
          if (typeof key === 'string' && kept.has(key)) return node;
          return [{ type: 'text', text: `![[${String(node.attrs?.name ?? 'image')}]]` }];
        }
        if (node.type !== 'noteLink') return node;
        const { source, ...attrs } = node.attrs ?? {};
        const label = typeof attrs.label === 'string' ? attrs.label : '';
        const id =
          (typeof source === 'string' ? ids.get(source) : undefined) ??
          byTitle.get(label.toLowerCase());
        return { ...node, attrs: { ...attrs, noteId: id ?? '' } };
      });
      const id = ids.get(note.source)!;
      if (separateBodies(ctx)) bodies.push({ id, body, replaces: replaced.has(id) });
      else writeBodyTree(noteBody(doc, id)!, body);
    }
  }, MODEL_ORIGIN);
  if (failure) return failure;
  const firstId = plan.notes[0] ? (ids.get(plan.notes[0].source) ?? null) : null;
  return ok({ created, updated, images, firstId, report, bodies });
}
