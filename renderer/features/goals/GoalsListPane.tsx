/**
 * The goals list: Active / Archived / Trash, a list or the alignment tree, filters by owner,
 * period and status, progress and health on every row, exports and the check-in reminder.
 */
import { useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { AlarmClock, Archive, Search, Target, Trash2 } from 'lucide-react';
import {
  buildGoalTree,
  type Health,
  periodContains,
  periodLabel,
  type GoalTreeNode,
} from '../../../shared/model';
import type { DamagedRecord, Goal, Member } from '../../../shared/schema/records';
import { useAppStore } from '../../store';
import { DamagedRecords } from '../../components/DamagedRecords';
import { EmptyState } from '../../components/EmptyState';
import { useGoalsStore, type GoalFilters } from './goalsStore';
import { HealthBadge, ProgressBar } from './GoalWidgets';
import { todayKey } from './format';
import { downloadCheckInsCsv, downloadMarkdown } from './exportGoals';
import { ReminderPanel } from './ReminderPanel';
import { RECORD_VIEWS, inView } from '../../components/recordViews';

function matches(goal: Goal, filters: GoalFilters, me: string | undefined, today: string) {
  if (filters.status !== 'all' && goal.status !== filters.status) return false;
  if (filters.owner === 'me' && goal.ownerId !== me) return false;
  if (filters.owner === 'none' && goal.ownerId !== null) return false;
  if (!['all', 'me', 'none'].includes(filters.owner) && goal.ownerId !== filters.owner)
    return false;
  if (filters.period === 'current' && !periodContains(goal, today)) return false;
  if (!['all', 'current'].includes(filters.period) && periodLabel(goal) !== filters.period)
    return false;
  return true;
}

interface Row {
  readonly goal: Goal;
  readonly depth: number;
  readonly progress: number | null;
  readonly rolledUp: boolean;
  readonly health: Health | null;
}

function flatten(nodes: readonly GoalTreeNode[], depth: number, rows: Row[]): Row[] {
  for (const node of nodes) {
    rows.push({
      goal: node.goal,
      depth,
      progress: node.progress,
      rolledUp: node.rolledUp,
      health: node.health,
    });
    flatten(node.children, depth + 1, rows);
  }
  return rows;
}

export function GoalsListPane({
  goals,
  damaged,
  members,
  onCreate,
}: {
  readonly goals: readonly Goal[];
  readonly damaged: readonly DamagedRecord[];
  readonly members: readonly Member[];
  readonly onCreate: () => void;
}) {
  const view = useAppStore((state) => state.recordView.goal);
  const setView = useAppStore((state) => state.setRecordView);
  const selectedId = useAppStore((state) => state.selected.goal);
  const select = useAppStore((state) => state.select);
  const me = useAppStore((state) => state.profile?.memberId);
  const snapshot = useAppStore((state) => state.snapshot);
  const mode = useGoalsStore((state) => state.mode);
  const setMode = useGoalsStore((state) => state.setMode);
  const filters = useGoalsStore((state) => state.filters);
  const setFilters = useGoalsStore((state) => state.setFilters);
  const [text, setText] = useState('');
  const [reminderOpen, setReminderOpen] = useState(false);
  const listRef = useRef<HTMLUListElement>(null);
  const today = todayKey();

  const inTab = useMemo(() => goals.filter((goal) => inView(goal, view)), [goals, view]);
  const periods = useMemo(
    () => [...new Set(inTab.map(periodLabel))].filter((p) => p !== 'No period').sort(),
    [inTab],
  );
  const rows = useMemo(() => {
    const needle = text.trim().toLowerCase();
    const shown = inTab.filter(
      (goal) =>
        matches(goal, filters, me, today) && (!needle || goal.title.toLowerCase().includes(needle)),
    );
    // The tree rolls progress up from sub-objectives, so build it from every goal in the tab
    // and then keep the rows that pass the filters.
    const all = flatten(buildGoalTree(inTab), 0, []);
    if (mode === 'tree') {
      const keep = new Set(shown.map((goal) => goal.id));
      return all.filter((row) => keep.has(row.goal.id));
    }
    const byId = new Map(all.map((row) => [row.goal.id, row]));
    return shown.map((goal) => ({ ...byId.get(goal.id)!, depth: 0 }));
  }, [inTab, filters, me, today, text, mode]);

  const filtered =
    text.trim() !== '' ||
    filters.owner !== 'all' ||
    filters.period !== 'all' ||
    filters.status !== 'all';
  const titleOf = (id: string | null) => goals.find((goal) => goal.id === id)?.title;

  const moveSelection = (event: KeyboardEvent<HTMLUListElement>) => {
    const keys = ['ArrowDown', 'ArrowUp', 'Home', 'End'];
    if (!keys.includes(event.key)) return;
    event.preventDefault();
    if (rows.length === 0) return;
    const index = rows.findIndex((row) => row.goal.id === selectedId);
    let next = index;
    if (event.key === 'ArrowDown') next = Math.min(rows.length - 1, index + 1);
    if (event.key === 'ArrowUp') next = Math.max(0, index - 1);
    if (event.key === 'Home') next = 0;
    if (event.key === 'End') next = rows.length - 1;
    const target = rows[next];
    if (!target) return;
    select('goal', target.goal.id);
    listRef.current?.querySelector<HTMLButtonElement>(`[data-id="${target.goal.id}"]`)?.focus();
  };

  const exportable = rows.map((row) => row.goal);

  return (
    <section className="list-pane goals-list-pane" aria-label="Goals">
      <div className="pane-header">
        <h1>Goals</h1>
        <div className="segmented" role="group" aria-label="Show goals as">
          {(['list', 'tree'] as const).map((value) => (
            <button
              key={value}
              type="button"
              className="segment"
              aria-pressed={mode === value}
              onClick={() => setMode(value)}
            >
              {value === 'list' ? 'List' : 'Tree'}
            </button>
          ))}
        </div>
        <button
          type="button"
          className="button primary"
          onClick={onCreate}
          title="New goal (Ctrl+N)"
        >
          + New goal
        </button>
      </div>
      <div className="tabs goals-tabs">
        <div role="tablist" aria-label="Goals views" className="tabs-group">
          {RECORD_VIEWS.map(([id, label]) => (
            <button
              key={id}
              type="button"
              role="tab"
              className="tab"
              aria-selected={view === id}
              onClick={() => setView('goal', id)}
            >
              {label}
            </button>
          ))}
        </div>
      </div>
      <div className="goal-filters">
        <select
          className="select"
          aria-label="Filter by owner"
          value={filters.owner}
          onChange={(event) => setFilters({ owner: event.target.value })}
        >
          <option value="all">All owners</option>
          <option value="me">Owned by me</option>
          <option value="none">No owner</option>
          {members
            .filter((member) => member.id !== me)
            .map((member) => (
              <option key={member.id} value={member.id}>
                {member.name}
              </option>
            ))}
        </select>
        <select
          className="select"
          aria-label="Filter by period"
          value={filters.period}
          onChange={(event) => setFilters({ period: event.target.value })}
        >
          <option value="all">All periods</option>
          <option value="current">Current period</option>
          {periods.map((period) => (
            <option key={period} value={period}>
              {period}
            </option>
          ))}
        </select>
        <select
          className="select"
          aria-label="Filter by status"
          value={filters.status}
          onChange={(event) => setFilters({ status: event.target.value as GoalFilters['status'] })}
        >
          <option value="all">Any status</option>
          <option value="active">Active</option>
          <option value="achieved">Achieved</option>
          <option value="abandoned">Abandoned</option>
        </select>
      </div>
      {inTab.length > 0 && (
        <input
          className="input filter"
          type="search"
          placeholder="Filter by title"
          aria-label="Filter goals by title"
          value={text}
          onChange={(event) => setText(event.target.value)}
        />
      )}
      <DamagedRecords records={damaged} noun="goal" />
      {rows.length === 0 ? (
        inTab.length > 0 && filtered ? (
          <EmptyState glyph={Search} title="No goals match these filters">
            <button
              type="button"
              className="link-button"
              onClick={() => {
                setText('');
                setFilters({ owner: 'all', period: 'all', status: 'all' });
              }}
            >
              Clear the filters
            </button>
          </EmptyState>
        ) : view === 'active' ? (
          <EmptyState
            glyph={Target}
            title="No goals yet"
            action={
              <button type="button" className="button primary" onClick={onCreate}>
                Create the first goal
              </button>
            }
          >
            Objectives everyone can see replace status meetings. Start with what the team wants to
            achieve this quarter.
          </EmptyState>
        ) : (
          <EmptyState
            glyph={view === 'trash' ? Trash2 : Archive}
            title={view === 'trash' ? 'Trash is empty' : 'No archived goals'}
          >
            {view === 'trash'
              ? 'Goals you move to the trash stay here until you delete them forever.'
              : 'Archive a goal to keep it out of the way without deleting it.'}
          </EmptyState>
        )
      ) : (
        <ul
          className="record-list goal-list"
          role="listbox"
          aria-label={mode === 'tree' ? 'Goals tree' : 'Goals list'}
          ref={listRef}
          onKeyDown={moveSelection}
        >
          {rows.map((row) => (
            <li key={row.goal.id} role="presentation">
              <button
                type="button"
                role="option"
                className="record-item goal-item"
                data-id={row.goal.id}
                aria-selected={row.goal.id === selectedId}
                aria-level={mode === 'tree' ? row.depth + 1 : undefined}
                style={{ paddingLeft: 10 + row.depth * 18 }}
                tabIndex={row.goal.id === selectedId || (!selectedId && row === rows[0]) ? 0 : -1}
                onClick={() => select('goal', row.goal.id)}
              >
                <div className="record-title">
                  {mode === 'tree' && row.depth > 0 && (
                    <span className="tree-branch" aria-hidden="true">
                      ↳{' '}
                    </span>
                  )}
                  {row.goal.title || 'Untitled'}
                </div>
                <ProgressBar
                  progress={row.progress}
                  label={`Progress of ${row.goal.title}`}
                  health={row.health}
                  size="small"
                />
                <div className="record-meta">
                  <HealthBadge health={row.health} />
                  <span className={`badge status-${row.goal.status}`}>{row.goal.status}</span>
                  <span>{periodLabel(row.goal)}</span>
                  {mode === 'list' && row.goal.parentId && (
                    <span>↳ {titleOf(row.goal.parentId) ?? 'missing parent'}</span>
                  )}
                  {row.rolledUp && <span title="From aligned goals">rolled up</span>}
                </div>
              </button>
            </li>
          ))}
        </ul>
      )}
      <div className="goals-footer">
        <button
          type="button"
          className="button small"
          disabled={exportable.length === 0}
          onClick={() => void downloadMarkdown(exportable, snapshot)}
          title="One Markdown file per objective shown"
        >
          Export Markdown
        </button>
        <button
          type="button"
          className="button small"
          disabled={!exportable.some((goal) => goal.keyResults.some((kr) => kr.checkIns.length))}
          onClick={() => void downloadCheckInsCsv(exportable, snapshot)}
          title="Every check-in of the objectives shown, as CSV"
        >
          Check-ins CSV
        </button>
        <button
          type="button"
          className="button small"
          aria-expanded={reminderOpen}
          onClick={() => setReminderOpen((open) => !open)}
        >
          <AlarmClock size={14} aria-hidden="true" /> Reminder
        </button>
      </div>
      {reminderOpen && <ReminderPanel onClose={() => setReminderOpen(false)} />}
    </section>
  );
}
