import { useState } from 'react';
import type { Note } from '../../../shared/schema/records';
import { useAppStore } from '../../store';
import { selectMembers } from '../../store/selectors';
import { RecordListPane } from '../../components/RecordListPane';
import { RecordDetail } from '../../components/RecordDetail';
import { EmptyState } from '../../components/EmptyState';
import { timeAgo } from '../../components/time';
import { TagEditor } from './TagEditor';

const pinnedFirst = (a: Note, b: Note) =>
  Number(b.pinned) - Number(a.pinned) || b.updatedAt - a.updatedAt;

/** Notes: the team's written knowledge. */
export function NotesView() {
  const list = useAppStore((state) => state.snapshot?.notes);
  const members = useAppStore(selectMembers);
  const selectedId = useAppStore((state) => state.selected.note);
  const createRecord = useAppStore((state) => state.createRecord);
  const updateRecord = useAppStore((state) => state.updateRecord);
  const notify = useAppStore((state) => state.notify);
  const [justCreated, setJustCreated] = useState<string | null>(null);

  const create = () => {
    const result = createRecord('note', '');
    if (result.ok) setJustCreated(result.value.id);
    else notify('error', result.error.message);
  };
  const selected = list?.items.find((note) => note.id === selectedId);

  return (
    <div className="split">
      <RecordListPane
        kind="note"
        heading="Notes"
        noun="note"
        items={list?.items ?? []}
        damaged={list?.damaged ?? []}
        onCreate={create}
        order={pinnedFirst}
        emptyGlyph="📝"
        emptyText="Write things down instead of calling a meeting: plans, updates, how-tos. Notes stay on this device and work offline."
        renderMeta={(note) => (
          <>
            {note.pinned && <span aria-label="Pinned">📌</span>}
            <span>{timeAgo(note.updatedAt)}</span>
            {note.tags.map((tag) => (
              <span key={tag}>#{tag}</span>
            ))}
          </>
        )}
      />
      {selected ? (
        <RecordDetail
          key={selected.id}
          kind="note"
          noun="note"
          record={selected}
          members={members}
          autoFocusTitle={justCreated === selected.id}
          allowEmptyTitle
        >
          <div className="field">
            <span className="label">Tags</span>
            <TagEditor
              tags={selected.tags}
              disabled={selected.deletedAt !== null}
              onAdd={(tag) => updateRecord('note', selected.id, { addTags: [tag] })}
              onRemove={(tag) => updateRecord('note', selected.id, { removeTags: [tag] })}
            />
          </div>
          <label className="toggle-row">
            <input
              type="checkbox"
              checked={selected.pinned}
              disabled={selected.deletedAt !== null}
              onChange={(event) =>
                updateRecord('note', selected.id, { pinned: event.target.checked })
              }
            />
            Pin to the top of the list
          </label>
        </RecordDetail>
      ) : (
        <EmptyState glyph="📄" title="No note selected">
          Pick a note from the list, or press Ctrl+N to start a new one.
        </EmptyState>
      )}
    </div>
  );
}
