/**
 * The version recorder against a real Yjs document, real IndexedDB (fake-indexeddb) and a fake
 * clock: versions are taken when a record's changes go quiet, named after whoever made them
 * (this person, or a peer whose update arrived), never twice for the same content, and bounded.
 */
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { noteBody, notes } from '../../../../shared/model';
import { writeBodyTree } from '../../../../shared/model/notesBody';
import { decodeVersion, versionText } from '../../../../shared/model/versions';
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
