/**
 * Versions of notes and decisions for version history: what a version holds, how it is stored
 * (a small encoded Yjs state, see docs/ARCHITECTURE.md "Version history") and how one is put
 * back. The workspace document keeps Yjs's garbage collection on, so earlier states cannot be
 * rebuilt from it with `Y.snapshot`; a version is instead a copy of the record's text taken at
 * the time, encoded on its own (a fresh document: no deleted items, no history of its own) and
 * deflated (prose shrinks to about half).
 */
import * as Y from 'yjs';
import { deflateSync, inflateSync } from 'fflate';
import { decisions, DECISION_CONTEXT_KEY } from './decisions';
import { notes, noteBody, NOTE_BODY_KEY } from './notes';
import { readBodyTree, writeBodyTree, type BodyNode } from './notesBody';
import { bodyToMarkdown, type TitleOf } from './bodyToMarkdown';
import { MODEL_ORIGIN } from './roots';
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

function recordBody(doc: Y.Doc, kind: VersionedKind, id: string): Y.XmlFragment | undefined {
  if (kind === 'note') return noteBody(doc, id);
  const value = decisions.map(doc, id)?.get(DECISION_CONTEXT_KEY);
  return value instanceof Y.XmlFragment ? value : undefined;
}

/** The content of a record as it is now, or null when the record is missing or damaged. */
export function currentVersion(doc: Y.Doc, kind: VersionedKind, id: string): VersionContent | null {
  const body = recordBody(doc, kind, id);
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
 */
export function restoreVersion(
  doc: Y.Doc,
  ctx: ModelContext,
  kind: VersionedKind,
  id: string,
  content: VersionContent,
): Result<null> {
  const collection = kind === 'note' ? notes : decisions;
  const read = collection.get(doc, id);
  if (!read) return fail('not-found', `This ${kind} no longer exists, so nothing was restored.`);
  if (!read.ok) return fail('damaged', `This ${kind} is damaged and read-only.`);
  if (read.value.deletedAt !== null)
    return fail('in-trash', `This ${kind} is in the trash. Restore it from the trash first.`);
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
    let body = recordBody(doc, kind, id);
    if (!body) {
      // A record whose body was unreadable gets a new one rather than refusing the restore.
      body = new Y.XmlFragment();
      record.set(kind === 'note' ? NOTE_BODY_KEY : DECISION_CONTEXT_KEY, body);
    }
    if (body.length > 0) body.delete(0, body.length);
    writeBodyTree(body, content.body);
  }, MODEL_ORIGIN);
  return result;
}
