import { useState } from 'react';
import type { Decision } from '../../../shared/schema/records';
import { useAppStore } from '../../store';
import { selectMembers } from '../../store/selectors';
import { RecordListPane } from '../../components/RecordListPane';
import { RecordDetail } from '../../components/RecordDetail';
import { EmptyState } from '../../components/EmptyState';
import { timeAgo } from '../../components/time';

const STATUSES: ReadonlyArray<[Decision['status'], string]> = [
  ['draft', 'Draft'],
  ['proposed', 'Proposed'],
  ['accepted', 'Accepted'],
  ['rejected', 'Rejected'],
  ['superseded', 'Superseded'],
];

/** Decisions: an open log of what was decided, by whom, and why. */
export function DecisionsView() {
  const list = useAppStore((state) => state.snapshot?.decisions);
  const members = useAppStore(selectMembers);
  const selectedId = useAppStore((state) => state.selected.decision);
  const createRecord = useAppStore((state) => state.createRecord);
  const updateRecord = useAppStore((state) => state.updateRecord);
  const notify = useAppStore((state) => state.notify);
  const [justCreated, setJustCreated] = useState<string | null>(null);

  const create = () => {
    const result = createRecord('decision', 'Untitled decision');
    if (result.ok) setJustCreated(result.value.id);
    else notify('error', result.error.message);
  };
  const selected = list?.items.find((decision) => decision.id === selectedId);

  return (
    <div className="split">
      <RecordListPane
        kind="decision"
        heading="Decisions"
        noun="decision"
        items={list?.items ?? []}
        damaged={list?.damaged ?? []}
        onCreate={create}
        emptyGlyph="⚖️"
        emptyText="Record decisions in the open so the people closest to a problem can propose, and everyone can see why."
        renderMeta={(decision) => (
          <>
            <span className={`badge status-${decision.status}`}>{decision.status}</span>
            <span>{timeAgo(decision.updatedAt)}</span>
          </>
        )}
      />
      {selected ? (
        <RecordDetail
          key={selected.id}
          kind="decision"
          noun="decision"
          record={selected}
          members={members}
          autoFocusTitle={justCreated === selected.id}
        >
          <div className="field">
            <label htmlFor="decision-status">Status</label>
            <select
              id="decision-status"
              className="select"
              value={selected.status}
              disabled={selected.deletedAt !== null}
              onChange={(event) => {
                const result = updateRecord('decision', selected.id, {
                  status: event.target.value,
                });
                if (!result.ok) notify('error', result.error.message);
              }}
            >
              {STATUSES.map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </select>
          </div>
        </RecordDetail>
      ) : (
        <EmptyState glyph="⚖️" title="No decision selected">
          Pick a decision from the list, or press Ctrl+N to record one.
        </EmptyState>
      )}
    </div>
  );
}
