import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { registerPendingEdit } from '../../../../renderer/sync/pendingEdits';
import {
  JOURNAL_PREFIX,
  openUnsavedJournal,
} from '../../../../renderer/sync/storage/unsavedJournal';
import { memoryStorage } from './refusedRows';

function pageHide(persisted = false): Event {
  return Object.assign(new Event('pagehide'), { persisted });
}

describe('the unsaved-changes journal', () => {
  it('writes the changes not confirmed on disk when the page hides, and the next page applies them', () => {
    const storage = memoryStorage();
    const window = new EventTarget();
    const doc = new Y.Doc();
    const journal = openUnsavedJournal('outpost-ws-a', storage, window);
    doc.on('update', (update: Uint8Array) => journal.add(update));
    doc.getMap('notes').set('one', 'stored');
    journal.confirm(journal.pending()); // the first change reached IndexedDB
    const onDisk = Y.encodeStateAsUpdate(doc);
    doc.getMap('notes').set('two', 'typed just before the reload');
    doc.getMap('notes').set('three', 'and this');
    window.dispatchEvent(pageHide());
    journal.dispose();

    // The next page loads what IndexedDB kept, then the journal: the document is whole again.
    const next = openUnsavedJournal('outpost-ws-a', storage, new EventTarget());
    const left = next.left();
    expect(left).not.toBeNull();
    const reloaded = new Y.Doc();
    Y.applyUpdate(reloaded, onDisk);
    expect(reloaded.getMap('notes').toJSON()).toEqual({ one: 'stored' });
    Y.applyUpdate(reloaded, left!);
    expect(reloaded.getMap('notes').toJSON()).toEqual({
      one: 'stored',
      two: 'typed just before the reload',
      three: 'and this',
    });
    next.clearLeft();
    expect(storage.items.has(`${JOURNAL_PREFIX}outpost-ws-a`)).toBe(false);
  });

  it('writes nothing when every change is confirmed, or when the page is only put in the back/forward cache', () => {
    const storage = memoryStorage();
    const window = new EventTarget();
    const journal = openUnsavedJournal('outpost-ws-b', storage, window);
    const change = Y.encodeStateAsUpdate(new Y.Doc());
    journal.add(change);
    window.dispatchEvent(pageHide(true));
    expect(storage.items.size).toBe(0);
    journal.confirm([change]);
    window.dispatchEvent(pageHide());
    expect(storage.items.size).toBe(0);
    journal.dispose();
    journal.add(Y.encodeStateAsUpdate(new Y.Doc()));
    window.dispatchEvent(pageHide());
    expect(storage.items.size).toBe(0); // disposed: no longer listening
  });

  it('has text still being typed written into the document before it writes itself', () => {
    const storage = memoryStorage();
    const window = new EventTarget();
    const doc = new Y.Doc();
    const journal = openUnsavedJournal('outpost-ws-d', storage, window);
    doc.on('update', (update: Uint8Array) => journal.add(update));
    // A field whose 300 ms save is not due yet when the page hides.
    const unregister = registerPendingEdit({
      flush: () => doc.getMap('notes').set('title', 'typed a moment ago'),
    });
    window.dispatchEvent(pageHide());
    unregister();
    journal.dispose();
    const reloaded = new Y.Doc();
    Y.applyUpdate(reloaded, openUnsavedJournal('outpost-ws-d', storage, null).left()!);
    expect(reloaded.getMap('notes').toJSON()).toEqual({ title: 'typed a moment ago' });
  });

  it('confirms only the changes whose write was stored: a refused one stays unconfirmed', () => {
    const journal = openUnsavedJournal('outpost-ws-c', memoryStorage(), null);
    const refused = new Uint8Array([0, 0]);
    const later = new Uint8Array([0, 0]);
    journal.add(new Uint8Array([0, 0]));
    journal.add(refused);
    const covered = journal.pending();
    journal.add(later);
    journal.confirm([covered[0]!, later]);
    expect(journal.pending()).toEqual([refused]);
    expect(journal.pending()[0]).toBe(refused);
  });
});
