import { useState } from 'react';
import type { Goal, Member } from '../../../shared/schema/records';
import { useAppStore } from '../../store';
import { selectMembers } from '../../store/selectors';
import { RecordListPane } from '../../components/RecordListPane';
import { RecordDetail } from '../../components/RecordDetail';
import { EmptyState } from '../../components/EmptyState';
import { useDraft } from '../../components/useDraft';

const STATUSES: ReadonlyArray<[Goal['status'], string]> = [
  ['active', 'Active'],
  ['achieved', 'Achieved'],
  ['abandoned', 'Abandoned'],
];

/** Goals: objectives the team aligns on, visible to everyone. */
export function GoalsView() {
  const list = useAppStore((state) => state.snapshot?.goals);
  const members = useAppStore(selectMembers);
  const selectedId = useAppStore((state) => state.selected.goal);
  const createRecord = useAppStore((state) => state.createRecord);
  const notify = useAppStore((state) => state.notify);
  const [justCreated, setJustCreated] = useState<string | null>(null);

  const create = () => {
    const result = createRecord('goal', 'Untitled goal');
    if (result.ok) setJustCreated(result.value.id);
    else notify('error', result.error.message);
  };
  const goals = list?.items ?? [];
  const selected = goals.find((goal) => goal.id === selectedId);
  const titleOf = (id: string | null) => goals.find((goal) => goal.id === id)?.title;

  return (
    <div className="split">
      <RecordListPane
        kind="goal"
        heading="Goals"
        noun="goal"
        items={goals}
        damaged={list?.damaged ?? []}
        onCreate={create}
        emptyGlyph="🎯"
        emptyText="Objectives everyone can see replace status meetings. Start with what the team wants to achieve this quarter."
        renderMeta={(goal) => (
          <>
            <span className={`badge status-${goal.status}`}>{goal.status}</span>
            {goal.periodEnd && <span>until {goal.periodEnd}</span>}
            {goal.parentId && <span>↳ {titleOf(goal.parentId) ?? 'missing parent'}</span>}
          </>
        )}
      />
      {selected ? (
        <RecordDetail
          key={selected.id}
          kind="goal"
          noun="goal"
          record={selected}
          members={members}
          autoFocusTitle={justCreated === selected.id}
        >
          <GoalFields goal={selected} goals={goals} members={members} />
        </RecordDetail>
      ) : (
        <EmptyState glyph="🎯" title="No goal selected">
          Pick a goal from the list, or press Ctrl+N to add one.
        </EmptyState>
      )}
    </div>
  );
}

function GoalFields({
  goal,
  goals,
  members,
}: {
  goal: Goal;
  goals: readonly Goal[];
  members: readonly Member[];
}) {
  const updateRecord = useAppStore((state) => state.updateRecord);
  const [description, setDescription] = useDraft(goal.description);
  const [error, setError] = useState<string | null>(null);
  const disabled = goal.deletedAt !== null;

  const save = (patch: Partial<Goal>) => {
    const result = updateRecord('goal', goal.id, patch);
    setError(result.ok ? null : result.error.message);
  };

  return (
    <>
      <div className="field">
        <label htmlFor="goal-description">Description</label>
        <textarea
          id="goal-description"
          className="textarea"
          value={description}
          disabled={disabled}
          placeholder="Why this matters and what success looks like"
          onChange={(event) => setDescription(event.target.value)}
          onBlur={() => description !== goal.description && save({ description })}
        />
      </div>
      <div className="field-row">
        <div className="field">
          <label htmlFor="goal-start">Period start</label>
          <input
            id="goal-start"
            className="input"
            type="date"
            disabled={disabled}
            value={goal.periodStart ?? ''}
            onChange={(event) => save({ periodStart: event.target.value || null })}
          />
        </div>
        <div className="field">
          <label htmlFor="goal-end">Period end</label>
          <input
            id="goal-end"
            className="input"
            type="date"
            disabled={disabled}
            value={goal.periodEnd ?? ''}
            onChange={(event) => save({ periodEnd: event.target.value || null })}
          />
        </div>
      </div>
      <div className="field-row">
        <div className="field">
          <label htmlFor="goal-owner">Owner</label>
          <select
            id="goal-owner"
            className="select"
            disabled={disabled}
            value={goal.ownerId ?? ''}
            onChange={(event) => save({ ownerId: event.target.value || null })}
          >
            <option value="">No owner</option>
            {members.map((member) => (
              <option key={member.id} value={member.id}>
                {member.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="goal-status">Status</label>
          <select
            id="goal-status"
            className="select"
            disabled={disabled}
            value={goal.status}
            onChange={(event) => save({ status: event.target.value as Goal['status'] })}
          >
            {STATUSES.map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </div>
      </div>
      <div className="field">
        <label htmlFor="goal-parent">Aligned under</label>
        <select
          id="goal-parent"
          className="select"
          disabled={disabled}
          value={goal.parentId ?? ''}
          onChange={(event) => save({ parentId: event.target.value || null })}
        >
          <option value="">Nothing (a top-level goal)</option>
          {goals
            .filter((other) => other.id !== goal.id && other.deletedAt === null)
            .map((other) => (
              <option key={other.id} value={other.id}>
                {other.title}
              </option>
            ))}
        </select>
      </div>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
    </>
  );
}
