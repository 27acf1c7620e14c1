// @vitest-environment happy-dom
/**
 * The history panel's actions in a workspace whose note bodies are documents of their own
 * (schema 2): the real app store and session (storeHarness), the session's `bodies` a real lazy
 * store and its recorder following it, as the workspace session wires them. The text now is read
 * from the body document, a restore writes the version's text there (after keeping what was
 * there), a copy gets a body document of its own, and a body that cannot be opened restores
 * nothing.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { useAppStore } from '../../../../renderer/store';
import {
  copyAsNewNote,
  currentContent,
  listVersions,
  readVersion,
  restore,
} from '../../../../renderer/features/history/historyActions';
import {
  openLazyDocStore,
  type LazyDocStore,
} from '../../../../renderer/sync/storage/lazyDocStore';
import {
  startVersionRecorder,
  type VersionRecorder,
} from '../../../../renderer/sync/history/versionRecorder';
import type { WorkspaceSession } from '../../../../renderer/sync/workspaceSession';
import { notes } from '../../../../shared/model';
import { bodyFragment, bodyUpdate } from '../../../../shared/model/bodyDocuments';
import { writeBodyTree, type BodyNode } from '../../../../shared/model/notesBody';
import { readCurrentVersion, type VersionContent } from '../../../../shared/model/versions';
import { openWorkspaces, person, resetAppStore } from '../../storeHarness';
import { FakeClock } from '../../../sync/fakeClock';

const paragraph = (text: string): BodyNode => ({
  type: 'paragraph',
  content: [{ type: 'text', text }],
});

let bodies: LazyDocStore;
let recorder: VersionRecorder;

beforeEach(async () => {
  await openWorkspaces();
  const session = useAppStore.getState().session!;
  bodies = openLazyDocStore(`${session.id}-bodies`, {
    key: null,
    accepts: () => true,
    onProblem: () => undefined,
  });
  recorder = startVersionRecorder({
    doc: session.doc,
    store: session.versions,
    localMember: person.memberId,
    ignoreOrigin: Symbol('load'),
    clock: new FakeClock(),
    bodies,
  });
  const schema2: WorkspaceSession = { ...session, bodies, history: () => recorder };
  useAppStore.setState({ session: schema2 });
});
afterEach(async () => {
  recorder.destroy();
  await bodies.close();
  await resetAppStore();
});

/** A note as schema 2 keeps it: its record without `body`, its text in a body document. */
async function leanNote(title: string, body: BodyNode[]): Promise<string> {
  const result = useAppStore.getState().createRecord('note', title);
  if (!result.ok) throw new Error(result.error.message);
  const id = result.value.id;
  const doc = useAppStore.getState().session!.doc;
  doc.transact(() => notes.map(doc, id)!.delete('body'));
  await bodies.create(id, bodyUpdate(body));
  return id;
}

async function versionOf(id: string): Promise<VersionContent> {
  const listed = await listVersions('note', id);
  if (!listed.ok || !listed.value[0]) throw new Error('no version');
  const read = await readVersion(listed.value[0]);
  if (!read.ok) throw new Error(read.error.message);
  return read.value;
}

describe('version history actions with body documents', () => {
  it('restore a version into the body document after keeping the text there as a version', async () => {
    const id = await leanNote('Draft', [paragraph('first words')]);
    await recorder.capture('note', id, 'open');
    const old = await versionOf(id);
    expect(old).toEqual({ title: 'Draft', body: [paragraph('first words')], fields: {} });
    await bodies.read(id, (doc) =>
      doc.transact(() => writeBodyTree(bodyFragment(doc), [paragraph('later')])),
    );
    expect((await currentContent('note', id))?.body).toEqual([
      paragraph('first words'),
      paragraph('later'),
    ]);
    const restored = await restore('note', id, old);
    expect(restored).toEqual({ ok: true, value: null });
    const doc = useAppStore.getState().session!.doc;
    expect(await currentContent('note', id)).toEqual(old);
    expect(notes.map(doc, id)!.has('body')).toBe(false);
    await bodies.flush();
    expect(await bodies.vector(id)).not.toBeNull();
    const listed = await listVersions('note', id);
    if (!listed.ok) throw new Error(listed.error.message);
    // Newest first: the restored text, the text before the restore, the note as it was made (its
    // body document's first content is this person's edit, kept when the note was opened).
    expect(listed.value.map((entry) => entry.trigger)).toEqual(['edit', 'edit', 'edit']);
    const before = await readVersion(listed.value[1]!);
    expect(before.ok && before.value.body).toEqual([paragraph('first words'), paragraph('later')]);
  });

  it('copy a version as a new note whose text is in a body document of its own', async () => {
    const id = await leanNote('Source', [paragraph('worth keeping')]);
    await recorder.capture('note', id, 'open');
    const old = await versionOf(id);
    const copied = await copyAsNewNote(old, 1_700_000_000_000);
    if (!copied.ok) throw new Error(copied.error.message);
    expect(copied.value.title).toMatch(/^Source \(version of /);
    const doc = useAppStore.getState().session!.doc;
    const now = await readCurrentVersion(doc, bodies, 'note', copied.value.id);
    expect(now?.body).toEqual([paragraph('worth keeping')]);
  });

  it('restore nothing, with a message, when the note’s text cannot be opened', async () => {
    const id = await leanNote('Kept', [paragraph('as it is')]);
    await recorder.capture('note', id, 'open');
    const old = await versionOf(id);
    const doc = useAppStore.getState().session!.doc;
    const rootBefore = Y.encodeStateVector(doc);
    await bodies.close();
    const restored = await restore('note', id, { ...old, title: 'Changed' });
    expect(restored).toMatchObject({ ok: false, error: { code: 'history-failed' } });
    expect(!restored.ok && restored.error.message).toMatch(/^Nothing was restored/);
    expect(Y.encodeStateVector(doc)).toEqual(rootBefore);
  });
});
