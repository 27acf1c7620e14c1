import { expect, it } from 'vitest';
import * as Y from 'yjs';
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate } from 'y-protocols/awareness';
import { remoteChangesOnly } from '../../../renderer/features/notes/caretAwareness';

it("passes teammates' awareness changes to the caret plugin, and not this device's own", () => {
  const ours = new Awareness(new Y.Doc());
  const theirs = new Awareness(new Y.Doc());
  const seen: unknown[] = [];
  const listener = (_changes: unknown, origin: unknown) => seen.push(origin);
  const view = remoteChangesOnly(ours);
  view.on('change', listener);
  // What the caret plugin does on every keystroke: our own caret moves.
  view.setLocalStateField('cursor', { anchor: 1, head: 1 });
  ours.setLocalStateField('cursor', { anchor: 2, head: 2 });
  expect(seen).toEqual([]);
  // A teammate's caret moves: heard, with its origin.
  theirs.setLocalStateField('cursor', { anchor: 5, head: 5 });
  applyAwarenessUpdate(ours, encodeAwarenessUpdate(theirs, [theirs.clientID]), 'peer-1');
  expect(seen).toEqual(['peer-1']);
  // The rest reads through to the real awareness, and off() removes the listener it added.
  expect(view.getLocalState()).toEqual(ours.getLocalState());
  expect(view.getStates().get(theirs.clientID)).toEqual(theirs.getLocalState());
  view.off('change', listener);
  theirs.setLocalStateField('cursor', { anchor: 6, head: 6 });
  applyAwarenessUpdate(ours, encodeAwarenessUpdate(theirs, [theirs.clientID]), 'peer-1');
  expect(seen).toEqual(['peer-1']);
});

it('with bodies as documents of their own, shows the carets of people in this note only', () => {
  // Every body document's text is the root type `body`: a caret's relative position at the end
  // of one note's text resolves in any other's, so carets are kept to those in the note.
  const ours = new Awareness(new Y.Doc());
  const peer = (recordId: string | null, section = 'notes') => {
    const theirs = new Awareness(new Y.Doc());
    theirs.setLocalStateField('location', { section, recordId });
    theirs.setLocalStateField('cursor', { anchor: 1, head: 1 });
    applyAwarenessUpdate(ours, encodeAwarenessUpdate(theirs, [theirs.clientID]), 'peer');
    return theirs.clientID;
  };
  const here = peer('note-a');
  const elsewhere = peer('note-b');
  const otherSection = peer('note-a', 'goals');
  const nowhere = peer(null);
  ours.setLocalStateField('location', { section: 'notes', recordId: 'note-a' });
  const view = remoteChangesOnly(ours, 'note-a');
  // Our own caret is never drawn: the plugin would not know it (the body has its own client id).
  expect([...view.getStates().keys()]).toEqual([here]);
  expect(view.getStates().has(elsewhere)).toBe(false);
  // Without a note (bodies embedded: positions name items of that note's body) nothing is hidden.
  const all = remoteChangesOnly(ours);
  expect([...all.getStates().keys()].sort()).toEqual(
    [ours.clientID, here, elsewhere, otherSection, nowhere].sort(),
  );
});
