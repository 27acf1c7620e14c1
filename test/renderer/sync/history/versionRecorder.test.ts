/**
 * The version recorder against a real Yjs document, real IndexedDB (fake-indexeddb) and a fake
 * clock: versions are taken when a record's changes go quiet, named after whoever made them
 * (this person, or a peer whose update arrived), never twice for the same content, and bounded;
 * in a schema-2 workspace, the same with note bodies in a real lazy document store.
 */
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { noteBody, notes } from '../../../../shared/model';
import { touchNote } from '../../../../shared/model/notes';
import { writeBodyTree } from '../../../../shared/model/notesBody';
import {
  decodeVersion,
  readCurrentVersion,
  restoreVersion,
  versionText,
} from '../../../../shared/model/versions';
import { cutBodies, cutRoot } from '../../../../shared/model/bodyDocs';
import { bodyFragment, type BodyDocuments } from '../../../../shared/model/bodyDocuments';
import {
  openLazyDocStore,
  type LazyDocStore,
} from '../../../../renderer/sync/storage/lazyDocStore';
import { LazyReceipt } from '../../../../renderer/sync/peer/lazyPeer';
import { newId } from '../../../../shared/core/ids';
import {
  openVersionStore,
  type VersionStore,
} from '../../../../renderer/sync/history/versionStore';
import {
  startVersionRecorder,
  type VersionRecorder,
} from '../../../../renderer/sync/history/versionRecorder';
import { FakeClock } from '../../../sync/fakeClock';

const ME = 'member-local-0001';
const PEER = 'member-peer-00002';
const LOAD = Symbol('load');
const QUIET = 30_000;

let opened: Array<{ recorder: VersionRecorder; store: VersionStore }> = [];
afterEach(() => {
  for (const { recorder, store } of opened) {
    recorder.destroy();
    store.close();
  }
  opened = [];
});

function setUp(policy?: { perRecord: number; maxBytes: number }) {
  const doc = new Y.Doc();
  const clock = new FakeClock();
  const store = openVersionStore(newId(), policy);
  const recorder = startVersionRecorder({
    doc,
    store,
    localMember: ME,
    ignoreOrigin: LOAD,
    clock,
    quietMs: QUIET,
  });
  opened.push({ recorder, store });
  const kept: string[] = [];
  recorder.subscribe((entry) => kept.push(`${entry.trigger}:${entry.authors.join(',')}`));
  return { doc, clock, store, recorder, kept };
}

function typeInto(doc: Y.Doc, id: string, text: string): void {
  doc.transact(() =>
    writeBodyTree(noteBody(doc, id)!, [{ type: 'paragraph', content: [{ type: 'text', text }] }]),
  );
}

async function texts(store: VersionStore, id: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await store.list('note', id)) {
    const bytes = await store.read(entry.id);
    out.push(versionText(decodeVersion(bytes!)!).trim().replace(/\n+/g, ' | '));
  }
  return out;
}

describe('the version recorder', () => {
  it('takes a version of this person’s edits once they have been quiet for a while', async () => {
    const { doc, clock, store, recorder, kept } = setUp();
    const created = notes.create(doc, { actor: ME }, { title: 'Plan' });
    if (!created.ok) throw new Error(created.error.message);
    const id = created.value.id;
    typeInto(doc, id, 'one');
    clock.advance(QUIET - 1);
    typeInto(doc, id, 'two');
    clock.advance(QUIET - 1);
    // Still waiting for quiet: the timer has not fired, so no version is being taken.
    expect(clock.pendingTimers).toBe(1);
    clock.advance(1);
    expect(clock.pendingTimers).toBe(0);
    // With nothing pending, flush waits for the version the timer started.
    await recorder.flush('note', id);
    expect(kept).toEqual([`edit:${ME}`]);
    expect(await texts(store, id)).toEqual(['# Plan | one | two']);
  });

  it('takes a version of a peer’s changes as "sync", named after the peer', async () => {
    const { doc, clock, store, recorder, kept } = setUp();
    const peer = new Y.Doc();
    const created = notes.create(peer, { actor: PEER }, { title: 'Shared' });
    if (!created.ok) throw new Error(created.error.message);
    typeInto(peer, created.value.id, 'from the peer');
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(peer), 'a peer connection');
    clock.advance(QUIET);
    await recorder.flush('note', created.value.id);
    expect(kept).toEqual([`sync:${PEER}`]);
    expect(await texts(store, created.value.id)).toEqual(['# Shared | from the peer']);
  });

  it('ignores stored data being loaded and keeps no version equal to the newest', async () => {
    const { doc, clock, recorder, store, kept } = setUp();
    const other = new Y.Doc();
    const created = notes.create(other, { actor: ME }, { title: 'Loaded' });
    if (!created.ok) throw new Error(created.error.message);
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(other), LOAD);
    expect(clock.pendingTimers).toBe(0);
    const id = created.value.id;
    expect(await recorder.capture('note', id, 'open')).not.toBeNull();
    expect(await recorder.capture('note', id, 'open')).toBeNull();
    // A change undone before it went quiet leaves the same content: nothing new is kept.
    notes.update(doc, { actor: ME }, id, { title: 'Renamed' });
    notes.update(doc, { actor: ME }, id, { title: 'Loaded' });
    clock.advance(QUIET);
    await recorder.flush('note', id);
    expect(kept).toEqual(['open:']);
    expect(await store.list('note', id)).toHaveLength(1);
  });

  it('takes pending edits at once when asked (history opened, note left, workspace closed)', async () => {
    const { doc, recorder, kept } = setUp();
    // A note just made, still empty, has nothing to go back to: no version.
    const empty = notes.create(doc, { actor: ME }, { title: '' });
    if (!empty.ok) throw new Error(empty.error.message);
    await recorder.flush('note', empty.value.id);
    await recorder.capture('note', empty.value.id, 'open');
    expect(kept).toEqual([]);
    const created = notes.create(doc, { actor: ME }, { title: 'Now' });
    if (!created.ok) throw new Error(created.error.message);
    typeInto(doc, created.value.id, 'x');
    await recorder.flush('note', created.value.id);
    expect(kept).toEqual([`edit:${ME}`]);
    typeInto(doc, created.value.id, 'y');
    await recorder.flushAll();
    expect(kept).toEqual([`edit:${ME}`, `edit:${ME}`]);
  });

  it('keeps the record as it was when the version was asked for, not once the store answers', async () => {
    const { doc, store, recorder, kept } = setUp();
    // A new note is opened (empty: nothing to keep) and its title typed at once, before the
    // store has answered whether a version exists: the opening must not keep the typed title.
    const created = notes.create(doc, { actor: ME }, { title: '' });
    if (!created.ok) throw new Error(created.error.message);
    const id = created.value.id;
    const opening = recorder.capture('note', id, 'open');
    notes.update(doc, { actor: ME }, id, { title: 'Tr' });
    expect(await opening).toBeNull();
    notes.update(doc, { actor: ME }, id, { title: 'Trip plan' });
    typeInto(doc, id, 'Take the train.');
    await recorder.flush('note', id);
    expect(kept).toEqual([`edit:${ME}`]);
    expect(await texts(store, id)).toEqual(['# Trip plan | Take the train.']);
  });

  it('keeps at most the newest versions of a record the policy allows', async () => {
    const { doc, recorder, store } = setUp({ perRecord: 3, maxBytes: Infinity });
    const created = notes.create(doc, { actor: ME }, { title: 'Busy' });
    if (!created.ok) throw new Error(created.error.message);
    for (const word of ['a', 'b', 'c', 'd', 'e']) {
      typeInto(doc, created.value.id, word);
      await recorder.flush('note', created.value.id);
    }
    expect(await texts(store, created.value.id)).toEqual([
      '# Busy | a | b | c | d | e',
      '# Busy | a | b | c | d',
      '# Busy | a | b | c',
    ]);
  });
});

/** The recorder of a schema-2 workspace: notes' bodies in a real lazy store, titles in a root. */
describe('the version recorder with note bodies as documents of their own', () => {
  const EDITOR = Symbol('editor');
  let stores: LazyDocStore[] = [];
  afterEach(async () => {
    for (const bodies of stores) await bodies.close();
    stores = [];
  });

  function openBodies(workspace: string, clock: FakeClock): LazyDocStore {
    const bodies = openLazyDocStore(workspace, {
      key: null,
      accepts: () => true,
      onProblem: () => undefined,
      schedule: (run, ms) => clock.setTimeout(run, ms),
      cancel: (handle) => clock.clearTimeout(handle),
    });
    stores.push(bodies);
    return bodies;
  }

  /**
   * A workspace written in schema 1 and cut into schema 2 as the migration does (`cutBodies` into
   * the store, `cutRoot` as the root), then the recorder started on it.
   */
  async function setUpBodies(seeds: ReadonlyArray<{ title: string; text?: string }>) {
    const clock = new FakeClock();
    const workspace = `history-bodies-${newId()}`;
    const bodies = openBodies(workspace, clock);
    const legacy = new Y.Doc();
    const ids = seeds.map(({ title, text }) => {
      const created = notes.create(legacy, { actor: ME }, { title });
      if (!created.ok) throw new Error(created.error.message);
      if (text) typeInto(legacy, created.value.id, text);
      return created.value.id;
    });
    await bodies.createMany(cutBodies(legacy));
    const root = new Y.Doc();
    Y.applyUpdate(root, cutRoot(legacy), LOAD);
    const store = openVersionStore(newId());
    const recorder = startVersionRecorder({
      doc: root,
      store,
      localMember: ME,
      ignoreOrigin: LOAD,
      clock,
      quietMs: QUIET,
      bodies,
    });
    opened.push({ recorder, store });
    const kept: string[] = [];
    recorder.subscribe((entry) => kept.push(`${entry.trigger}:${entry.authors.join(',')}`));
    return { clock, workspace, bodies, legacy, root, ids, store, recorder, kept };
  }

  function typeIntoBody(bodyDoc: Y.Doc, text: string, origin: unknown = EDITOR): void {
    bodyDoc.transact(
      () =>
        writeBodyTree(bodyFragment(bodyDoc), [
          { type: 'paragraph', content: [{ type: 'text', text }] },
        ]),
      origin,
    );
  }

  async function bodyText(bodies: BodyDocuments, root: Y.Doc, id: string): Promise<string> {
    const now = await readCurrentVersion(root, bodies, 'note', id);
    return now ? versionText(now).trim().replace(/\n+/g, ' | ') : 'null';
  }

  it('keeps a version of typing in a body once it has been quiet, and holds no body', async () => {
    const { clock, bodies, ids, store, recorder, kept } = await setUpBodies([
      { title: 'Plan', text: 'one' },
    ]);
    const id = ids[0]!;
    // The record's ids were written before the recorder started: nothing is pending for them.
    expect(await store.list('note', id)).toEqual([]);
    const editor = await bodies.load(id);
    typeIntoBody(editor, 'two');
    clock.advance(QUIET - 1);
    typeIntoBody(editor, 'three');
    clock.advance(QUIET - 1);
    await bodies.flush();
    // Still within the quiet period after the last keystroke: nothing kept.
    expect(kept).toEqual([]);
    clock.advance(1);
    await recorder.flush('note', id);
    expect(kept).toEqual([`edit:${ME}`]);
    expect(await texts(store, id)).toEqual(['# Plan | one | two | three']);
    // The editor's hold is the only one: the recorder read the body without keeping it.
    bodies.release(id);
    clock.advance(60_000);
    expect(bodies.loadedCount()).toBe(0);
  });

  it('keeps a peer’s body edit as "sync", named after the peer, loading the body only to read it', async () => {
    const { clock, bodies, root, ids, store, recorder, kept } = await setUpBodies([
      { title: 'Shared', text: 'ours' },
    ]);
    const id = ids[0]!;
    // The peer holds the same note, types in its body and marks the record as edited by it;
    // sync brings the root's change first, then the body's.
    const peerBody = new Y.Doc();
    Y.applyUpdate(peerBody, await bodies.read(id, (doc) => Y.encodeStateAsUpdate(doc)));
    const before = Y.encodeStateVector(peerBody);
    typeIntoBody(peerBody, 'theirs', null);
    const peerRoot = new Y.Doc();
    Y.applyUpdate(peerRoot, Y.encodeStateAsUpdate(root));
    const rootBefore = Y.encodeStateVector(peerRoot);
    touchNote(peerRoot, { actor: PEER }, id);
    Y.applyUpdate(root, Y.encodeStateAsUpdate(peerRoot, rootBefore), 'a peer connection');
    await bodies.receive(id, Y.encodeStateAsUpdate(peerBody, before), new LazyReceipt('peer-1'));
    clock.advance(QUIET);
    await recorder.flush('note', id);
    expect(kept).toEqual([`sync:${PEER}`]);
    expect(await texts(store, id)).toEqual(['# Shared | ours | theirs']);
    expect(bodies.loadedCount()).toBe(0);
  });

  it('restores a version into the body document as an edit that is stored and sent to peers', async () => {
    const { clock, workspace, bodies, root, ids, store, recorder, kept } = await setUpBodies([
      { title: 'Draft', text: 'first words' },
    ]);
    const id = ids[0]!;
    expect(await recorder.capture('note', id, 'open')).not.toBeNull();
    const [entry] = await store.list('note', id);
    const old = decodeVersion((await store.read(entry!.id))!)!;
    const editor = await bodies.load(id);
    typeIntoBody(editor, 'rewritten');
    notes.update(root, { actor: ME }, id, { title: 'Final' });
    expect(await bodyText(bodies, root, id)).toBe('# Final | first words | rewritten');
    // As the history panel does: what is there now is kept first.
    await recorder.capture('note', id, 'before-restore');
    const sent: unknown[] = [];
    bodies.onUpdate((updated, _update, origin) => {
      if (updated === id) sent.push(origin);
    });
    const restored = await bodies.read(id, (bodyDoc) =>
      restoreVersion(root, { actor: ME }, 'note', id, old, bodyDoc),
    );
    expect(restored.ok).toBe(true);
    expect(await readCurrentVersion(root, bodies, 'note', id)).toEqual(old);
    // Reported as this device's change (not a peer's receipt), which peers are sent.
    expect(sent).toHaveLength(1);
    expect(sent[0]).not.toBeInstanceOf(LazyReceipt);
    // Stored: another opening of the same store reads the restored text.
    await bodies.flush();
    bodies.release(id);
    const reopened = openBodies(workspace, clock);
    expect(await bodyText(reopened, root, id)).toBe('# Draft | first words');
    // The restore is this person's edit, kept as a version once it is quiet.
    await recorder.flush('note', id);
    expect(kept).toEqual(['open:', `edit:${ME}`, `edit:${ME}`]);
    expect(await texts(store, id)).toEqual([
      '# Draft | first words',
      '# Final | first words | rewritten',
      '# Draft | first words',
    ]);
  });

  it('restores a version kept in schema 1 into the note’s body document after the cut', async () => {
    // Schema 1: the body inside the record, the version taken from there.
    const { doc, store, recorder } = setUp();
    const created = notes.create(doc, { actor: ME }, { title: 'Minutes' });
    if (!created.ok) throw new Error(created.error.message);
    const id = created.value.id;
    typeInto(doc, id, 'what we said');
    await recorder.flush('note', id);
    typeInto(doc, id, 'what we said later');
    // The migration: bodies cut into the lazy store, the lean root kept.
    const clock = new FakeClock();
    const bodies = openBodies(`history-cut-${newId()}`, clock);
    await bodies.createMany(cutBodies(doc));
    const root = new Y.Doc();
    Y.applyUpdate(root, cutRoot(doc), LOAD);
    expect(notes.map(root, id)?.has('body')).toBe(false);
    expect(await bodyText(bodies, root, id)).toBe('# Minutes | what we said | what we said later');
    const [entry] = await store.list('note', id);
    const old = decodeVersion((await store.read(entry!.id))!)!;
    const restored = await bodies.read(id, (bodyDoc) =>
      restoreVersion(root, { actor: ME }, 'note', id, old, bodyDoc),
    );
    expect(restored.ok).toBe(true);
    expect(await readCurrentVersion(root, bodies, 'note', id)).toEqual(old);
    expect(await bodyText(bodies, root, id)).toBe('# Minutes | what we said');
  });

  it('keeps no version of a note whose body has not arrived, and one once it has', async () => {
    const { clock, bodies, root, store, recorder, kept } = await setUpBodies([]);
    // A peer's note: its record reaches this device before its body does.
    const peerRoot = new Y.Doc();
    const created = notes.create(peerRoot, { actor: PEER }, { title: 'Arriving' });
    if (!created.ok) throw new Error(created.error.message);
    const id = created.value.id;
    const peerBody = new Y.Doc();
    typeIntoBody(peerBody, 'the text', null);
    const lean = new Y.Doc();
    Y.applyUpdate(lean, Y.encodeStateAsUpdate(peerRoot));
    notes.map(lean, id)!.delete('body');
    Y.applyUpdate(root, Y.encodeStateAsUpdate(lean), 'a peer connection');
    expect(await readCurrentVersion(root, bodies, 'note', id)).toBeNull();
    clock.advance(QUIET);
    await recorder.flush('note', id);
    expect(kept).toEqual([]);
    await bodies.receive(id, Y.encodeStateAsUpdate(peerBody), new LazyReceipt('peer-1'));
    clock.advance(QUIET);
    await recorder.flush('note', id);
    expect(kept).toEqual([`sync:${PEER}`]);
    expect(await texts(store, id)).toEqual(['# Arriving | the text']);
  });

  it('reads the bodies of many notes a peer changed at once one at a time', async () => {
    const seeds = Array.from({ length: 12 }, (_, n) => ({ title: `Note ${n}`, text: 'old' }));
    const { clock, workspace, root, ids, store } = await setUpBodies([]);
    // The recorder under test reads through a port that counts the reads running together.
    const bodies = openBodies(workspace, clock);
    const legacy = new Y.Doc();
    for (const { title, text } of seeds) {
      const created = notes.create(legacy, { actor: PEER }, { title });
      if (!created.ok) throw new Error(created.error.message);
      typeInto(legacy, created.value.id, text);
      ids.push(created.value.id);
    }
    await bodies.createMany(cutBodies(legacy));
    Y.applyUpdate(root, cutRoot(legacy), LOAD);
    let running = 0;
    let most = 0;
    const counted: BodyDocuments = {
      ...bodies,
      load: (id) => bodies.load(id),
      release: (id) => bodies.release(id),
      vector: (id) => bodies.vector(id),
      onUpdate: (listener) => bodies.onUpdate(listener),
      async read(id, fn) {
        running += 1;
        most = Math.max(most, running);
        try {
          return await bodies.read(id, fn);
        } finally {
          running -= 1;
        }
      },
    };
    const versions = openVersionStore(newId());
    const recorder = startVersionRecorder({
      doc: root,
      store: versions,
      localMember: ME,
      ignoreOrigin: LOAD,
      clock,
      quietMs: QUIET,
      bodies: counted,
    });
    opened.push({ recorder, store: versions });
    for (const id of ids) {
      const peerBody = new Y.Doc();
      typeIntoBody(peerBody, 'new', null);
      await bodies.receive(id, Y.encodeStateAsUpdate(peerBody), new LazyReceipt('peer-1'));
    }
    clock.advance(QUIET);
    await recorder.flushAll();
    for (const id of ids) await recorder.flush('note', id);
    expect(most).toBe(1);
    for (const id of ids) expect(await versions.list('note', id)).toHaveLength(1);
    expect(await store.list('note', ids[0]!)).toEqual([]);
    expect(bodies.loadedCount()).toBe(0);
  });

  it('reads a body document that holds no rich text as an empty body, without failing', async () => {
    const { clock, bodies, root, ids, store, recorder, kept } = await setUpBodies([
      { title: 'Odd' },
    ]);
    const id = ids[0]!;
    // A peer wrote other types under the body's name: map entries and plain text.
    const odd = new Y.Doc();
    odd.getMap('body').set('x', 1);
    const other = new Y.Doc();
    other.getText('body').insert(0, 'not rich text');
    await bodies.receive(id, Y.encodeStateAsUpdate(odd), new LazyReceipt('peer-1'));
    await bodies.receive(id, Y.encodeStateAsUpdate(other), new LazyReceipt('peer-1'));
    expect(await readCurrentVersion(root, bodies, 'note', id)).toEqual({
      title: 'Odd',
      body: [],
      fields: {},
    });
    clock.advance(QUIET);
    await recorder.flush('note', id);
    // Named after whoever the record says edited it last (the note's author here).
    expect(kept).toEqual([`sync:${ME}`]);
    expect(await texts(store, id)).toEqual(['# Odd']);
    // Restoring into it replaces what it held with the version's text.
    const content = { title: 'Odd', body: [{ type: 'paragraph' as const }], fields: {} };
    const restored = await bodies.read(id, (bodyDoc) =>
      restoreVersion(root, { actor: ME }, 'note', id, content, bodyDoc),
    );
    expect(restored.ok).toBe(true);
  });
});
