/** The detail of one objective: summary, fields, key results, chart, check-ins and links. */
import { Suspense, lazy, useState } from 'react';
import {
  objectiveHealth,
  periodScore,
  quarterOf,
  quarterRange,
  type GoalTreeNode,
} from '../../../shared/model';
import type { Goal, Member } from '../../../shared/schema/records';
import { useAppStore } from '../../store';
import { useSavedField } from '../../components/useSavedField';
import { Field, FieldError } from '../../components/Field';
import { ok } from '../../../shared/result';
import { HealthBadge, ProgressBar } from './GoalWidgets';
import { KeyResultsSection } from './KeyResults';
import { CheckInTimeline } from './CheckInTimeline';
import { GoalLinks } from './GoalLinks';
import { downloadCheckInsCsv, downloadMarkdown } from './exportGoals';
import { periodEndsAt, todayKey } from './format';

/** The chart library (recharts) loads with the first goal opened, not at start-up. */
const ProgressChart = lazy(() =>
  import('./ProgressChart').then((m) => ({ default: m.ProgressChart })),
);

const STATUSES: ReadonlyArray<[Goal['status'], string]> = [
  ['active', 'Active'],
  ['achieved', 'Achieved'],
  ['abandoned', 'Abandoned'],
];

function scoreWords(score: number): string {
  if (score >= 0.7) return 'reached';
  if (score >= 0.4) return 'progress made';
  return 'missed';
}

function GoalSummary({
  goal,
  node,
}: {
  readonly goal: Goal;
  readonly node: GoalTreeNode | undefined;
}) {
  const health = node ? node.health : objectiveHealth(goal);
  const progress = node?.progress ?? null;
  const endsAt = periodEndsAt(goal);
  const score = endsAt === null ? null : periodScore(goal, endsAt);
  const ended = goal.periodEnd !== null && todayKey() > goal.periodEnd;
  const live = goal.keyResults.filter((kr) => kr.deletedAt === null).length;
  return (
    <div className="goal-summary" aria-label="Goal summary">
      <div className="summary-progress">
        <span className="summary-label">Progress</span>
        <ProgressBar progress={progress} label="Objective progress" health={health} />
        <span className="muted">
          {node?.rolledUp
            ? `Rolled up from ${node.children.length} aligned goal${node.children.length === 1 ? '' : 's'}`
            : `${live} key result${live === 1 ? '' : 's'}${live > 0 ? ', weighted' : ''}`}
        </span>
      </div>
      <div className="summary-cell">
        <span className="summary-label">Health</span>
        <HealthBadge health={health} />
        {node?.healthRolledUp && <span className="muted">from aligned goals</span>}
      </div>
      <div className="summary-cell">
        <span className="summary-label">{ended ? 'Final score' : 'Score so far'}</span>
        {score === null ? (
          <span className="muted">{endsAt === null ? 'Set a period end' : '—'}</span>
        ) : (
          <span className={`score score-${scoreWords(score).replace(' ', '-')}`}>
            {score.toFixed(1)} <span className="muted">({scoreWords(score)})</span>
          </span>
        )}
      </div>
    </div>
  );
}

function GoalFields({
  goal,
  goals,
  members,
  disabled,
}: {
  readonly goal: Goal;
  readonly goals: readonly Goal[];
  readonly members: readonly Member[];
  readonly disabled: boolean;
}) {
  const updateRecord = useAppStore((state) => state.updateRecord);
  const description = useSavedField(
    goal.description,
    (draft) => {
      const result = updateRecord('goal', goal.id, { description: draft });
      return result.ok ? ok(result.value.description) : result;
    },
    { multiline: true },
  );
  const [error, setError] = useState<string | null>(null);

  const save = (patch: Partial<Goal>) => {
    const result = updateRecord('goal', goal.id, patch);
    setError(result.ok ? null : result.error.message);
  };
  const year = new Date().getFullYear();
  const quarter = quarterOf(goal.periodStart, goal.periodEnd);
  const quarterValue = quarter ? `${quarter.year}-${quarter.quarter}` : '';
  const quarterOptions = [year - 1, year, year + 1].flatMap((y) =>
    ([1, 2, 3, 4] as const).map((q) => ({ value: `${y}-${q}`, label: `Q${q} ${y}` })),
  );
  if (quarter && !quarterOptions.some((option) => option.value === quarterValue))
    quarterOptions.push({ value: quarterValue, label: `Q${quarter.quarter} ${quarter.year}` });

  return (
    <>
      <Field id="goal-description" label="Description" error={description.error}>
        <textarea
          className="textarea short"
          disabled={disabled}
          placeholder="Why this matters and what success looks like"
          {...description.props}
        />
      </Field>
      <div className="field-row">
        <Field id="goal-quarter" label="Quarter">
          <select
            className="select"
            disabled={disabled}
            value={quarterValue}
            onChange={(event) => {
              const [y, q] = event.target.value.split('-').map(Number);
              if (!y || !q) return;
              const range = quarterRange({ year: y, quarter: q as 1 | 2 | 3 | 4 });
              save({ periodStart: range.start, periodEnd: range.end });
            }}
          >
            <option value="">Custom dates</option>
            {quarterOptions.map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
          </select>
        </Field>
        <Field id="goal-start" label="Period start">
          <input
            className="input"
            type="date"
            disabled={disabled}
            value={goal.periodStart ?? ''}
            onChange={(event) => save({ periodStart: event.target.value || null })}
          />
        </Field>
        <Field id="goal-end" label="Period end">
          <input
            className="input"
            type="date"
            disabled={disabled}
            value={goal.periodEnd ?? ''}
            onChange={(event) => save({ periodEnd: event.target.value || null })}
          />
        </Field>
      </div>
      <div className="field-row">
        <Field id="goal-owner" label="Owner">
          <select
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
        </Field>
        <Field id="goal-status" label="Status">
          <select
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
        </Field>
        <Field id="goal-parent" label="Aligned under">
          <select
            className="select"
            disabled={disabled}
            value={goal.parentId ?? ''}
            onChange={(event) => save({ parentId: event.target.value || null })}
          >
            <option value="">Nothing (top level)</option>
            {goal.parentId && !goals.some((other) => other.id === goal.parentId) && (
              <option value={goal.parentId}>Missing goal</option>
            )}
            {goals
              .filter((other) => other.id !== goal.id && other.deletedAt === null)
              .map((other) => (
                <option key={other.id} value={other.id}>
                  {other.title}
                </option>
              ))}
          </select>
        </Field>
      </div>
      <FieldError message={error} />
    </>
  );
}

/** Parts of this goal that arrived damaged: listed, kept, read-only. */
function DamagedParts({ goal }: { readonly goal: Goal }) {
  if (goal.damagedParts.length === 0) return null;
  return (
    <details className="damaged" data-testid="damaged-goal-parts">
      <summary>
        {goal.damagedParts.length} damaged part{goal.damagedParts.length === 1 ? '' : 's'} of this
        goal kept read-only
      </summary>
      <p>
        These arrived or were stored in a form this version of Outpost cannot read. They are kept as
        they are so nothing is lost.
      </p>
      <ul>
        {goal.damagedParts.map((part) => (
          <li key={`${part.part}:${part.id}`}>
            <strong>
              {part.part} {part.id}
            </strong>
            : {part.problems.join('; ')}
            <code>{part.preview}</code>
          </li>
        ))}
      </ul>
    </details>
  );
}

export function GoalBody({
  goal,
  goals,
  members,
  node,
}: {
  readonly goal: Goal;
  readonly goals: readonly Goal[];
  readonly members: readonly Member[];
  readonly node: GoalTreeNode | undefined;
}) {
  const me = useAppStore((state) => state.profile?.memberId);
  const snapshot = useAppStore((state) => state.snapshot);
  const readOnly = useAppStore(
    (state) => state.workspaceStatus.state === 'ready' && state.workspaceStatus.readOnly,
  );
  const disabled = readOnly || goal.deletedAt !== null;
  const hasCheckIns = goal.keyResults.some((kr) => kr.checkIns.length > 0);
  return (
    <>
      <GoalSummary goal={goal} node={node} />
      <DamagedParts goal={goal} />
      <GoalFields goal={goal} goals={goals} members={members} disabled={disabled} />
      <KeyResultsSection goal={goal} disabled={disabled} />
      <Suspense fallback={<p className="record-meta">Loading the chart…</p>}>
        <ProgressChart goal={goal} />
      </Suspense>
      <CheckInTimeline goal={goal} members={members} me={me} />
      <GoalLinks goal={goal} disabled={disabled} />
      <section className="goal-section" aria-labelledby="export-heading">
        <h2 id="export-heading">Export</h2>
        <div className="form-actions">
          <button
            type="button"
            className="button"
            onClick={() => void downloadMarkdown([goal], snapshot)}
          >
            Download Markdown
          </button>
          <button
            type="button"
            className="button"
            disabled={!hasCheckIns}
            onClick={() =>
              void downloadCheckInsCsv([goal], snapshot, `check-ins-${goal.id.slice(0, 6)}.csv`)
            }
          >
            Download check-ins (CSV)
          </button>
        </div>
      </section>
    </>
  );
}
