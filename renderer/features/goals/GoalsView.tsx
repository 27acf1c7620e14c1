import { useMemo, useState } from 'react';
import { Target } from 'lucide-react';
import { buildGoalTree, type GoalTreeNode } from '../../../shared/model';
import { useAppStore } from '../../store';
import { selectMembers } from '../../store/selectors';
import { RecordDetail } from '../../components/RecordDetail';
import { EmptyState } from '../../components/EmptyState';
import { GoalsListPane } from './GoalsListPane';
import { GoalBody } from './GoalDetail';
import './goals.css';

function indexTree(nodes: readonly GoalTreeNode[], into: Map<string, GoalTreeNode>) {
  for (const node of nodes) {
    into.set(node.goal.id, node);
    indexTree(node.children, into);
  }
  return into;
}

/** Goals: objectives with key results and check-ins the whole team can see. */
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
  const goals = useMemo(() => list?.items ?? [], [list]);
  const selected = goals.find((goal) => goal.id === selectedId);
  // Progress rolls up within the same view as the list: live goals with live goals, trash with trash.
  const nodes = useMemo(() => {
    const groups = [
      goals.filter((goal) => goal.deletedAt === null),
      goals.filter((goal) => goal.deletedAt !== null),
    ];
    const index = new Map<string, GoalTreeNode>();
    for (const group of groups) indexTree(buildGoalTree(group), index);
    return index;
  }, [goals]);

  return (
    <div className="split goals-split">
      <GoalsListPane
        goals={goals}
        damaged={list?.damaged ?? []}
        members={members}
        onCreate={create}
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
          <GoalBody goal={selected} goals={goals} members={members} node={nodes.get(selected.id)} />
        </RecordDetail>
      ) : (
        <EmptyState glyph={Target} title="No goal selected">
          Pick a goal from the list, or press Ctrl+N to add one.
        </EmptyState>
      )}
    </div>
  );
}
