/**
 * Versions of notes and decisions for version history: what a version holds, how it is stored
 * (a small encoded Yjs state, see docs/ARCHITECTURE.md "Version history") and how one is put
 * back. The workspace document keeps Yjs's garbage collection on, so earlier states cannot be
 * rebuilt from it with `Y.snapshot`; a version is instead a copy of the record's text taken at
 * the time, encoded on its own (a fresh document: no deleted items, no history of its own) and
 * deflated (prose shrinks to about half).
 *
 * A version holds the body as a tree whatever the workspace's layout, so versions kept while a
 * note's body was inside its record (schema 1) read and restore the same once bodies are
 * documents of their own (schema 2, `bodyDocuments.ts`): there the body is read from and written
 * to the note's body document, and the title still lives in the record.
 */
import * as Y from 'yjs';
import { deflateSync, inflateSync } from 'fflate';
import { decisions, DECISION_CONTEXT_KEY } from './decisions';
import { notes, noteBody, NOTE_BODY_KEY } from './notes';
import { readBodyTree, writeBodyTree, type BodyNode } from './notesBody';
import { bodyToMarkdown, type TitleOf } from './bodyToMarkdown';
import { MODEL_ORIGIN } from './roots';
import { bodyFragment, type BodyDocuments } from './bodyDocuments';
import type { ModelContext } from './collection';
import { fail, ok, type Result } from '../result';

/** The kinds of record that keep versions. */
export type VersionedKind = 'note' | 'decision';

/** The plain text fields of a decision a version keeps (and a restore writes back). */
export const DECISION_VERSION_FIELDS = ['drivers', 'proposal', 'outcome'] as const;
type DecisionTextField = (typeof DECISION_VERSION_FIELDS)[number];

/** What one version of a record holds. */
export interface VersionContent {
  readonly title: string;
  /** A note's body or a decision's context. */
  readonly body: readonly BodyNode[];
  /** A decision's text fields; empty for notes. */
  readonly fields: Readonly<Partial<Record<DecisionTextField, string>>>;
}

const BODY = 'body';
const FIELDS = 'fields';
/** Largest version this build decodes, stored or inflated (a version is a few KB). */
const MAX_VERSION_BYTES = 4 * 1024 * 1024;

/**
 * A body document's rich text, or undefined when the document cannot give it (its root `body`
 * was already taken as another type in this copy: nothing to read, nowhere to write).
 */
function bodyDocFragment(bodyDoc: Y.Doc): Y.XmlFragment | undefined {
  try {
    return bodyFragment(bodyDoc);
  } catch {
    return undefined;
  }
}

function recordBody(
  doc: Y.Doc,
  kind: VersionedKind,
  id: string,
  bodyDoc?: Y.Doc,
): Y.XmlFragment | undefined {
  if (kind === 'note') return bodyDoc ? bodyDocFragment(bodyDoc) : noteBody(doc, id);
  const value = decisions.map(doc, id)?.get(DECISION_CONTEXT_KEY);
  return value instanceof Y.XmlFragment ? value : undefined;
}

/**
 * The content of a record as it is now, or null when the record is missing or damaged. `bodyDoc`:
 * a note's body document (schema 2), read instead of the record's embedded body.
 */
export function currentVersion(
  doc: Y.Doc,
  kind: VersionedKind,
  id: string,
  bodyDoc?: Y.Doc,
): VersionContent | null {
  const body = recordBody(doc, kind, id, bodyDoc);
  if (kind === 'note') {
    const read = notes.get(doc, id);
    if (!read?.ok) return null;
    return { title: read.value.title, body: body ? readBodyTree(body) : [], fields: {} };
  }
  const read = decisions.get(doc, id);
  if (!read?.ok) return null;
  const fields: Partial<Record<DecisionTextField, string>> = {};
  for (const name of DECISION_VERSION_FIELDS) fields[name] = read.value[name];
  return { title: read.value.title, body: body ? readBodyTree(body) : [], fields };
}

/**
 * {@link currentVersion} in a workspace whose note bodies are documents of their own (`bodies`;
 * null: embedded, read as today). A note's body document is read (loaded only for the read unless
 * something else holds it). Null too when the note's body has not reached this device: its
 * document holds nothing and nothing of it is stored (a device that just joined has the titles
 * before the bodies), so no version of a note without its text is taken.
 */
export async function readCurrentVersion(
  doc: Y.Doc,
  bodies: BodyDocuments | null,
  kind: VersionedKind,
  id: string,
): Promise<VersionContent | null> {
  if (kind !== 'note' || !bodies) return currentVersion(doc, kind, id);
  // A missing or damaged record is answered without touching storage.
  if (!notes.get(doc, id)?.ok) return null;
  const read = await bodies.read(id, (bodyDoc) => ({
    content: currentVersion(doc, kind, id, bodyDoc),
    blank: bodyDoc.store.clients.size === 0,
  }));
  if (read.blank && (await bodies.vector(id)) === null) return null;
  return read.content;
}

/** Encodes a version as the state of a document of its own (Yjs update format v2), deflated. */
export function encodeVersion(content: VersionContent): Uint8Array {
  const doc = new Y.Doc();
  doc.transact(() => {
    const fields = doc.getMap<string>(FIELDS);
    fields.set('title', content.title);
    for (const [name, value] of Object.entries(content.fields)) fields.set(name, value);
    writeBodyTree(doc.getXmlFragment(BODY), content.body);
  });
  const bytes = Y.encodeStateAsUpdateV2(doc);
  doc.destroy();
  return deflateSync(bytes, { level: 6 });
}

/** Reads a stored version; null when the bytes are not one (a damaged or foreign row). */
export function decodeVersion(stored: Uint8Array): VersionContent | null {
  if (stored.length > MAX_VERSION_BYTES) return null;
  const doc = new Y.Doc();
  try {
    const bytes = inflateSync(stored);
    if (bytes.length > MAX_VERSION_BYTES) return null;
    Y.applyUpdateV2(doc, bytes);
    const saved = doc.getMap<unknown>(FIELDS);
    const title = saved.get('title');
    if (typeof title !== 'string') return null;
    const fields: Partial<Record<DecisionTextField, string>> = {};
    for (const name of DECISION_VERSION_FIELDS) {
      const value = saved.get(name);
      if (typeof value === 'string') fields[name] = value;
    }
    return { title, body: readBodyTree(doc.getXmlFragment(BODY)), fields };
  } catch {
    return null;
  } finally {
    doc.destroy();
  }
}

/**
 * A version as text, for seeing what changed: the title, the body as Markdown (note links as
 * `[[Title]]`) and a decision's text fields under their names.
 */
export function versionText(content: VersionContent, titleOf: TitleOf = () => undefined): string {
  const parts = [`# ${content.title || 'Untitled'}`, bodyToMarkdown(content.body, titleOf).trim()];
  for (const name of DECISION_VERSION_FIELDS) {
    const value = content.fields[name];
    if (value) parts.push(`## ${name.charAt(0).toUpperCase()}${name.slice(1)}\n${value}`);
  }
  return `${parts.filter((part) => part !== '').join('\n\n')}\n`;
}

/** Whether two versions hold the same content (consecutive equal versions are not kept). */
export function sameVersion(a: VersionContent, b: VersionContent): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Puts a version back: the record's title, body and (for a decision) text fields become the
 * version's, in one transaction, as an edit by the actor. Peers merge it like any other edit.
 * Status, options, votes and tags are not part of a version and stay as they are.
 *
 * `bodyDoc`: a note's body document (schema 2), loaded by the caller. The body is written there
 * in a transaction of its own (origin MODEL_ORIGIN, an edit that syncs), inside the record's, so
 * both change in the same task or, when the record refuses the change, neither does.
 */
export function restoreVersion(
  doc: Y.Doc,
  ctx: ModelContext,
  kind: VersionedKind,
  id: string,
  content: VersionContent,
  bodyDoc?: Y.Doc,
): Result<null> {
  const collection = kind === 'note' ? notes : decisions;
  const read = collection.get(doc, id);
  if (!read) return fail('not-found', `This ${kind} no longer exists, so nothing was restored.`);
  if (!read.ok) return fail('damaged', `This ${kind} is damaged and read-only.`);
  if (read.value.deletedAt !== null)
    return fail('in-trash', `This ${kind} is in the trash. Restore it from the trash first.`);
  const target = bodyDoc && kind === 'note' ? bodyDocFragment(bodyDoc) : undefined;
  if (bodyDoc && kind === 'note' && !target)
    return fail(
      'damaged',
      'This note’s text cannot be written (its body document is damaged), so nothing was restored. Copy the version as a new note instead.',
    );
  const record = collection.map(doc, id)!;
  let result: Result<null> = ok(null);
  doc.transact(() => {
    const patch =
      kind === 'note'
        ? notes.update(doc, ctx, id, { title: content.title })
        : decisions.update(doc, ctx, id, {
            ...(content.title.trim() ? { title: content.title } : {}),
            ...content.fields,
          });
    if (!patch.ok) {
      result = patch;
      return;
    }
    if (target && bodyDoc) {
      bodyDoc.transact(() => replaceBody(target, content.body), MODEL_ORIGIN);
      return;
    }
    let body = recordBody(doc, kind, id);
    if (!body) {
      // A record whose body was unreadable gets a new one rather than refusing the restore.
      body = new Y.XmlFragment();
      record.set(kind === 'note' ? NOTE_BODY_KEY : DECISION_CONTEXT_KEY, body);
    }
    replaceBody(body, content.body);
  }, MODEL_ORIGIN);
  return result;
}

function replaceBody(body: Y.XmlFragment, tree: readonly BodyNode[]): void {
  if (body.length > 0) body.delete(0, body.length);
  writeBodyTree(body, tree);
}
