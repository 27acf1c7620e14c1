/** What a decision links to (goals, key results, notes), what links to it, and adding a link. */
import { useState } from 'react';
import type { Decision, Goal, Note } from '../../../shared/schema/records';
import type { DecisionPatch } from '../../../shared/model';
import { useAppStore } from '../../store';
import { Field } from '../../components/Field';

export function LinksCard({
  decision,
  goals,
  notes,
  editable,
  patch,
}: {
  readonly decision: Decision;
  readonly goals: readonly Goal[];
  readonly notes: readonly Note[];
  readonly editable: boolean;
  readonly patch: (change: DecisionPatch) => boolean;
}) {
  const select = useAppStore((state) => state.select);
  const setSection = useAppStore((state) => state.setSection);
  const [choice, setChoice] = useState('');
  const liveGoals = goals.filter((goal) => goal.deletedAt === null);
  const liveNotes = notes.filter((note) => note.deletedAt === null);
  const describe = (link: string): { label: string; open?: () => void } => {
    const [kind, rest] = link.split(/:(.*)/s) as [string, string];
    if (kind === 'note') {
      const note = notes.find((item) => item.id === rest);
      return note
        ? {
            label: `Note: ${note.title || 'Untitled'}`,
            open: () => (setSection('notes'), select('note', note.id)),
          }
        : { label: 'Note (deleted)' };
    }
    const [goalId, keyResultId] = rest.split('/') as [string, string | undefined];
    const goal = goals.find((item) => item.id === goalId);
    if (!goal) return { label: kind === 'goal' ? 'Goal (deleted)' : 'Key result (deleted)' };
    const open = () => (setSection('goals'), select('goal', goal.id));
    if (!keyResultId) return { label: `Goal: ${goal.title}`, open };
    const keyResult = goal.keyResults?.find((item) => item.id === keyResultId);
    return { label: `Key result: ${keyResult?.title ?? '(deleted)'} — ${goal.title}`, open };
  };
  const backlinks: { key: string; label: string; open: () => void }[] = [];
  for (const goal of goals) {
    if (goal.deletedAt !== null) continue;
    const open = () => (setSection('goals'), select('goal', goal.id));
    if (goal.links?.some((link) => link.kind === 'decision' && link.id === decision.id))
      backlinks.push({ key: goal.id, label: `Goal: ${goal.title}`, open });
    for (const keyResult of goal.keyResults ?? [])
      if (
        keyResult.deletedAt === null &&
        keyResult.links.some((link) => link.kind === 'decision' && link.id === decision.id)
      )
        backlinks.push({
          key: `${goal.id}/${keyResult.id}`,
          label: `Key result: ${keyResult.title} — ${goal.title}`,
          open,
        });
  }
  const add = (link: string) => {
    if (link && patch({ addLinks: [link] })) setChoice('');
  };
  return (
    <section className="card" aria-labelledby="links-heading">
      <h2 id="links-heading">Links</h2>
      {decision.links.length === 0 && backlinks.length === 0 && (
        <p className="muted">Link the goals, key results and notes this decision serves.</p>
      )}
      <ul className="links">
        {decision.links.map((link) => {
          const { label, open } = describe(link);
          return (
            <li key={link}>
              {open ? (
                <button type="button" className="link-button" onClick={open}>
                  {label}
                </button>
              ) : (
                <span className="muted">{label}</span>
              )}
              {editable && (
                <button
                  type="button"
                  className="icon-button"
                  aria-label={`Remove link ${label}`}
                  onClick={() => patch({ removeLinks: [link] })}
                >
                  ✕
                </button>
              )}
            </li>
          );
        })}
        {backlinks.map((item) => (
          <li key={`back-${item.key}`}>
            <button type="button" className="link-button" onClick={item.open}>
              {item.label}
            </button>
            <span className="badge">links here</span>
          </li>
        ))}
      </ul>
      {editable && (liveGoals.length > 0 || liveNotes.length > 0) && (
        <Field id="decision-link" label="Link to">
          <select
            className="select"
            value={choice}
            onChange={(event) => {
              setChoice(event.target.value);
              add(event.target.value);
            }}
          >
            <option value="">Choose a goal, key result or note…</option>
            {liveGoals.length > 0 && (
              <optgroup label="Goals and key results">
                {liveGoals.flatMap((goal) => [
                  <option
                    key={goal.id}
                    value={`goal:${goal.id}`}
                    disabled={decision.links.includes(`goal:${goal.id}`)}
                  >
                    {goal.title}
                  </option>,
                  ...(goal.keyResults ?? [])
                    .filter((keyResult) => keyResult.deletedAt === null)
                    .map((keyResult) => (
                      <option
                        key={keyResult.id}
                        value={`keyResult:${goal.id}/${keyResult.id}`}
                        disabled={decision.links.includes(`keyResult:${goal.id}/${keyResult.id}`)}
                      >
                        {'   ↳ '}
                        {keyResult.title}
                      </option>
                    )),
                ])}
              </optgroup>
            )}
            {liveNotes.length > 0 && (
              <optgroup label="Notes">
                {liveNotes.map((note) => (
                  <option
                    key={note.id}
                    value={`note:${note.id}`}
                    disabled={decision.links.includes(`note:${note.id}`)}
                  >
                    {note.title || 'Untitled'}
                  </option>
                ))}
              </optgroup>
            )}
          </select>
        </Field>
      )}
    </section>
  );
}
