/**
 * A text field bound to a record field (renderer/components/draftField.ts), against the real
 * decision model on real Y.Docs: a second doc stands for a teammate whose edits arrive as Yjs
 * updates. The clock is the only fake.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { decisions } from '../../../shared/model';
import { ok, type Result } from '../../../shared/result';
import type { Decision } from '../../../shared/schema/records';
import { DraftField, SAVE_DELAY_MS } from '../../../renderer/components/draftField';
import { flushPendingEdits } from '../../../renderer/sync/pendingEdits';

const ME = { actor: 'member-me-0001', now: () => Date.now() };
const PEER = { actor: 'member-peer-001', now: () => Date.now() };

function read(doc: Y.Doc, id: string): Decision {
  const record = decisions.get(doc, id);
  if (!record?.ok) throw new Error('decision unreadable');
  return record.value;
}

/** Two replicas of one workspace holding one decision, kept in sync both ways. */
function setup() {
  const mine = new Y.Doc();
  const theirs = new Y.Doc();
  mine.on('update', (update: Uint8Array, origin: unknown) => {
    if (origin !== 'peer') Y.applyUpdate(theirs, update, 'peer');
  });
  theirs.on('update', (update: Uint8Array, origin: unknown) => {
    if (origin !== 'peer') Y.applyUpdate(mine, update, 'peer');
  });
  const created = decisions.create(mine, ME, { title: 'Adopt written updates' });
  if (!created.ok) throw new Error(created.error.message);
  const id = created.value.id;
  let writes = 0;
  mine.on('update', (_update: Uint8Array, origin: unknown) => {
    if (origin !== 'peer') writes += 1;
  });

  /** A field bound to `name` of the decision, as the UI binds it; the store follows the doc. */
  const bind = (name: 'proposal' | 'title') => {
    const field = new DraftField(read(mine, id)[name], {
      save: (draft): Result<string> => {
        const result = decisions.update(mine, ME, id, { [name]: draft });
        return result.ok ? ok(result.value[name]) : result;
      },
    });
    // The UI's snapshot catches up with every change of the doc, local or remote.
    mine.on('update', () => field.setSource(read(mine, id)[name]));
    return field;
  };
  const typeInto = (field: DraftField, text: string) => {
    let value = field.getState().value;
    for (const char of text) {
      value += char;
      field.edit(value);
      vi.advanceTimersByTime(50);
    }
  };
  return { mine, theirs, id, bind, typeInto, writes: () => writes };
}

describe('DraftField', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('writes SAVE_DELAY_MS after the last keystroke, one write per pause, not per keystroke', () => {
    const { mine, id, bind, typeInto, writes } = setup();
    const field = bind('proposal');
    field.focus();
    typeInto(field, 'Post updates');
    expect(read(mine, id).proposal).toBe('');
    vi.advanceTimersByTime(SAVE_DELAY_MS - 50 - 1);
    expect(read(mine, id).proposal).toBe('');
    vi.advanceTimersByTime(1);
    expect(read(mine, id).proposal).toBe('Post updates');
    expect(writes()).toBe(1);
    typeInto(field, ' daily');
    vi.advanceTimersByTime(SAVE_DELAY_MS);
    expect(read(mine, id).proposal).toBe('Post updates daily');
    expect(writes()).toBe(2);
    // updatedBy is the person typing, as for any other edit.
    expect(read(mine, id).updatedBy).toBe(ME.actor);
  });

  it('writes what is typed at once when the page is about to go, without waiting', () => {
    const { mine, id, bind, typeInto } = setup();
    const field = bind('proposal');
    const detach = field.attach();
    field.focus();
    typeInto(field, 'Before the reload');
    flushPendingEdits();
    expect(read(mine, id).proposal).toBe('Before the reload');
    // Going away (the component unmounting) writes too.
    typeInto(field, '!');
    detach();
    expect(read(mine, id).proposal).toBe('Before the reload!');
    // A detached field is not flushed by the page any more.
    field.edit('stray');
    vi.clearAllTimers();
    flushPendingEdits();
    expect(read(mine, id).proposal).toBe('Before the reload!');
  });

  it('keeps the draft when a teammate changes another field and the same field while the person types', () => {
    const { mine, theirs, id, bind, typeInto } = setup();
    const proposal = bind('proposal');
    proposal.focus();
    typeInto(proposal, 'Written updates');
    // A teammate renames the decision before this draft is saved: the draft stays as typed.
    decisions.update(theirs, PEER, id, { title: 'Adopt async updates' });
    expect(proposal.getState().value).toBe('Written updates');
    vi.advanceTimersByTime(SAVE_DELAY_MS);
    expect(read(theirs, id)).toMatchObject({
      title: 'Adopt async updates',
      proposal: 'Written updates',
    });

    // The teammate writes the same field (after this one saved): the person's text stays on
    // screen and is written over theirs, so screen and document agree again.
    decisions.update(theirs, PEER, id, { proposal: 'Daily calls' });
    expect(proposal.getState().value).toBe('Written updates');
    typeInto(proposal, ' in English');
    expect(proposal.getState().value).toBe('Written updates in English');
    vi.advanceTimersByTime(SAVE_DELAY_MS);
    expect(read(mine, id).proposal).toBe('Written updates in English');
    expect(read(theirs, id).proposal).toBe('Written updates in English');

    // Even with no further keystroke, a teammate's value arriving while the person is in the
    // field does not replace what they see, and the document follows the screen.
    decisions.update(theirs, PEER, id, { proposal: 'Daily calls' });
    expect(proposal.getState().value).toBe('Written updates in English');
    vi.advanceTimersByTime(SAVE_DELAY_MS);
    expect(read(theirs, id).proposal).toBe('Written updates in English');
    proposal.blur();
    expect(proposal.getState().value).toBe('Written updates in English');
  });

  it('shows a teammate’s change at once while the person is not typing in the field', () => {
    const { theirs, id, bind } = setup();
    const proposal = bind('proposal');
    decisions.update(theirs, PEER, id, { proposal: 'Daily calls' });
    expect(proposal.getState().value).toBe('Daily calls');
    // Entered but not typed in yet: still the document's value.
    proposal.focus();
    decisions.update(theirs, PEER, id, { proposal: 'Weekly calls' });
    expect(proposal.getState().value).toBe('Weekly calls');
  });

  it('does not eat a space the model trims while the person is still typing; shows the stored title after', () => {
    const { mine, id, bind, typeInto } = setup();
    const title = bind('title');
    title.focus();
    title.edit('');
    typeInto(title, 'Adopt ');
    vi.advanceTimersByTime(SAVE_DELAY_MS);
    expect(read(mine, id).title).toBe('Adopt');
    expect(title.getState().value).toBe('Adopt ');
    typeInto(title, 'notes ');
    vi.advanceTimersByTime(SAVE_DELAY_MS);
    expect(title.getState().value).toBe('Adopt notes ');
    title.blur();
    expect(title.getState().value).toBe('Adopt notes');
  });

  it('keeps a refused draft with the reason beside it; Escape puts back what the field held', () => {
    const { mine, id, bind } = setup();
    const title = bind('title');
    title.focus();
    title.edit('   ');
    vi.advanceTimersByTime(SAVE_DELAY_MS);
    expect(title.getState()).toEqual({ value: '   ', error: 'title: Title cannot be empty.' });
    expect(read(mine, id).title).toBe('Adopt written updates');
    title.blur();
    expect(title.getState()).toEqual({ value: '   ', error: 'title: Title cannot be empty.' });
    title.focus();
    title.revert();
    expect(title.getState()).toEqual({ value: 'Adopt written updates', error: null });

    // Escape undoes this visit to the field, also the part of it already saved.
    title.edit('Adopt nothing');
    vi.advanceTimersByTime(SAVE_DELAY_MS);
    expect(read(mine, id).title).toBe('Adopt nothing');
    title.revert();
    expect(read(mine, id).title).toBe('Adopt written updates');
    expect(title.getState()).toEqual({ value: 'Adopt written updates', error: null });
  });
});
