/**
 * The goals, key results and decisions that link to a note (their links are stored on them, so
 * the note learns of them from the model's reverse lookups). Each opens its record.
 */
import { decisionsLinkedTo, goalsLinkingTo } from '../../../shared/model';
import type { Decision, Goal } from '../../../shared/schema/records';
import { useAppStore } from '../../store';

const NO_GOALS: readonly Goal[] = [];
const NO_DECISIONS: readonly Decision[] = [];

export function NoteCrossLinks({ noteId }: { noteId: string }) {
  const goals = useAppStore((state) => state.snapshot?.goals.items ?? NO_GOALS);
  const decisions = useAppStore((state) => state.snapshot?.decisions.items ?? NO_DECISIONS);
  const setSection = useAppStore((state) => state.setSection);
  const select = useAppStore((state) => state.select);
  const fromGoals = goalsLinkingTo(goals, { kind: 'note', id: noteId });
  const fromDecisions = decisionsLinkedTo(decisions, `note:${noteId}`);
  const count = fromGoals.length + fromDecisions.length;
  return (
    <section className="backlinks" aria-label="Goals and decisions linking here">
      <h2>Goals and decisions {count > 0 && <span className="count">{count}</span>}</h2>
      {count === 0 ? (
        <p className="muted">
          No goal or decision links here yet. Link this note from a goal, key result or decision.
        </p>
      ) : (
        <ul>
          {fromGoals.map((hit) => (
            <li key={`goal-${hit.goalId}-${hit.keyResultId ?? ''}`}>
              <button
                type="button"
                className="backlink"
                onClick={() => (setSection('goals'), select('goal', hit.goalId))}
              >
                <span className="record-title">
                  {hit.keyResultTitle
                    ? `Key result: ${hit.keyResultTitle} — ${hit.goalTitle}`
                    : `Goal: ${hit.goalTitle}`}
                </span>
              </button>
            </li>
          ))}
          {fromDecisions.map((hit) => (
            <li key={`decision-${hit.id}`}>
              <button
                type="button"
                className="backlink"
                onClick={() => (setSection('decisions'), select('decision', hit.id))}
              >
                <span className="record-title">Decision: {hit.title || 'Untitled'}</span>
                <span className="snippet">{hit.status}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
