/**
 * Links between an objective (or its key results) and notes and decisions, both ways: the links
 * this goal stores, and the decisions that store a link to it (docs/PROTOCOL.md §1.5).
 */
import { useState } from 'react';
import { FileText, Scale } from 'lucide-react';
import { decisionsLinkedTo } from '../../../shared/model';
import type { Goal, LinkKind } from '../../../shared/schema/records';
import { useAppStore } from '../../store';
import * as goalActions from './goalActions';
import { FieldError } from '../../components/Field';

interface Row {
  readonly kind: LinkKind;
  readonly id: string;
  readonly title: string | null;
  readonly missing: boolean;
  /** The key result that holds or receives the link, or null for the objective. */
  readonly keyResultId: string | null;
  readonly stored: boolean;
  readonly backlink: boolean;
}

export function GoalLinks({ goal, disabled }: { readonly goal: Goal; readonly disabled: boolean }) {
  const notes = useAppStore((state) => state.snapshot?.notes.items);
  const decisions = useAppStore((state) => state.snapshot?.decisions.items);
  const setSection = useAppStore((state) => state.setSection);
  const select = useAppStore((state) => state.select);
  const [choice, setChoice] = useState('');
  const [from, setFrom] = useState('');
  const [error, setError] = useState<string | null>(null);

  const liveNotes = (notes ?? []).filter((note) => note.deletedAt === null);
  const liveDecisions = (decisions ?? []).filter((decision) => decision.deletedAt === null);
  const titleOf = (kind: LinkKind, id: string) => {
    const item =
      kind === 'note'
        ? notes?.find((note) => note.id === id)
        : decisions?.find((decision) => decision.id === id);
    if (!item || item.deletedAt !== null) return null;
    return item.title || 'Untitled';
  };

  const rows = new Map<string, Row>();
  const add = (kind: LinkKind, id: string, keyResultId: string | null, stored: boolean) => {
    const key = `${keyResultId ?? ''}|${kind}:${id}`;
    const title = titleOf(kind, id);
    const existing = rows.get(key);
    rows.set(key, {
      kind,
      id,
      title,
      missing: title === null,
      keyResultId,
      stored: stored || (existing?.stored ?? false),
      backlink: !stored || (existing?.backlink ?? false),
    });
  };
  for (const ref of goal.links) add(ref.kind, ref.id, null, true);
  for (const decision of decisionsLinkedTo(decisions ?? [], `goal:${goal.id}`))
    add('decision', decision.id, null, false);
  for (const kr of goal.keyResults) {
    if (kr.deletedAt !== null) continue;
    for (const ref of kr.links) add(ref.kind, ref.id, kr.id, true);
    for (const decision of decisionsLinkedTo(decisions ?? [], `keyResult:${goal.id}/${kr.id}`))
      add('decision', decision.id, kr.id, false);
  }
  const krTitle = (id: string | null) =>
    id === null ? null : (goal.keyResults.find((kr) => kr.id === id)?.title ?? null);

  const link = () => {
    const [kind, id] = choice.split(':') as [LinkKind, string];
    if (!id) return setError('Choose a note or decision to link.');
    const result = goalActions.setLink(goal.id, from || null, { kind, id }, true);
    setError(result.ok ? null : result.error.message);
    if (result.ok) setChoice('');
  };

  const open = (row: Row) => {
    setSection(row.kind === 'note' ? 'notes' : 'decisions');
    select(row.kind, row.id);
  };

  const live = goal.keyResults.filter((kr) => kr.deletedAt === null);
  return (
    <section className="goal-section" aria-labelledby="links-heading">
      <h2 id="links-heading">Links</h2>
      {rows.size === 0 ? (
        <p className="hint">
          Link the notes and decisions behind this goal, so the why is one click away.
        </p>
      ) : (
        <ul className="link-list" aria-label="Linked notes and decisions">
          {[...rows.values()].map((row) => (
            <li key={`${row.keyResultId ?? ''}|${row.kind}:${row.id}`}>
              {row.kind === 'note' ? (
                <FileText size={16} aria-hidden="true" />
              ) : (
                <Scale size={16} aria-hidden="true" />
              )}
              {row.missing ? (
                <span className="broken" title={`${row.kind} ${row.id}`}>
                  Missing {row.kind} (deleted or not synced yet)
                </span>
              ) : (
                <button type="button" className="link-button" onClick={() => open(row)}>
                  {row.title}
                </button>
              )}
              <span className="muted">
                {row.kind === 'note' ? 'note' : 'decision'}
                {row.keyResultId && ` · for “${krTitle(row.keyResultId)}”`}
                {row.backlink && !row.stored && ' · linked from the decision'}
                {row.backlink && row.stored && ' · linked both ways'}
              </span>
              {row.stored && !disabled && (
                <button
                  type="button"
                  className="icon-button"
                  aria-label={`Remove link to ${row.title ?? row.kind}`}
                  onClick={() => goalActions.setLink(goal.id, row.keyResultId, row, false)}
                >
                  ×
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {!disabled && (
        <div className="link-add">
          <select
            className="select"
            aria-label="Note or decision to link"
            value={choice}
            onChange={(event) => setChoice(event.target.value)}
          >
            <option value="">Link a note or decision…</option>
            {liveNotes.length > 0 && (
              <optgroup label="Notes">
                {liveNotes.map((note) => (
                  <option key={note.id} value={`note:${note.id}`}>
                    {note.title || 'Untitled'}
                  </option>
                ))}
              </optgroup>
            )}
            {liveDecisions.length > 0 && (
              <optgroup label="Decisions">
                {liveDecisions.map((decision) => (
                  <option key={decision.id} value={`decision:${decision.id}`}>
                    {decision.title}
                  </option>
                ))}
              </optgroup>
            )}
          </select>
          {live.length > 0 && (
            <select
              className="select"
              aria-label="Link from"
              value={from}
              onChange={(event) => setFrom(event.target.value)}
            >
              <option value="">for the objective</option>
              {live.map((kr) => (
                <option key={kr.id} value={kr.id}>
                  for “{kr.title}”
                </option>
              ))}
            </select>
          )}
          <button type="button" className="button" onClick={link} disabled={!choice}>
            Link
          </button>
        </div>
      )}
      <FieldError message={error} />
    </section>
  );
}
