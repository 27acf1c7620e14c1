/**
 * Superseding a decision: pick the decision that replaces it, or, when there is none yet (or the
 * person would rather start it now), create the replacement and supersede with it in one step.
 */
import { useState } from 'react';
import type { Decision } from '../../../shared/schema/records';
import { useAppStore } from '../../store';
import { Field, FieldError } from '../../components/Field';
import { createReplacement, updateDecision } from './decisionActions';

export function SupersedeCard({
  decision,
  all,
  onClose,
}: {
  readonly decision: Decision;
  readonly all: readonly Decision[];
  readonly onClose: () => void;
}) {
  const select = useAppStore((state) => state.select);
  const [replacement, setReplacement] = useState('');
  const [newTitle, setNewTitle] = useState('');
  const [error, setError] = useState<string | null>(null);
  const candidates = all.filter(
    (item) => item.id !== decision.id && item.deletedAt === null && item.status !== 'superseded',
  );

  const supersede = () => {
    if (!replacement) return setError('Pick the decision that replaces this one.');
    const result = updateDecision(decision.id, { status: 'superseded', supersededBy: replacement });
    setError(result.ok ? null : result.error.message);
    if (result.ok) onClose();
  };
  const createNow = () => {
    const title = newTitle.trim();
    if (!title) return setError('Give the replacement a title.');
    const result = createReplacement(decision.id, title);
    setError(result.ok ? null : result.error.message);
    if (!result.ok) return;
    onClose();
    select('decision', result.value.id);
  };

  return (
    <section className="card" aria-labelledby="supersede-heading">
      <h2 id="supersede-heading">Supersede this decision</h2>
      {candidates.length > 0 ? (
        <div className="decision-row">
          <Field id="decision-replacement" label="Replaced by">
            <select
              className="select"
              value={replacement}
              onChange={(event) => setReplacement(event.target.value)}
            >
              <option value="">Choose a decision…</option>
              {candidates.map((item) => (
                <option key={item.id} value={item.id}>
                  {item.title || 'Untitled decision'} ({item.status})
                </option>
              ))}
            </select>
          </Field>
          <button type="button" className="button primary" onClick={supersede}>
            Supersede
          </button>
        </div>
      ) : (
        <p className="muted">No other decision can replace this one yet. Start it here.</p>
      )}
      <div className="decision-row">
        <Field id="decision-replacement-title" label="Or start the replacement">
          <input
            className="input"
            value={newTitle}
            maxLength={200}
            placeholder="Title of the new decision"
            onChange={(event) => setNewTitle(event.target.value)}
            onKeyDown={(event) => event.key === 'Enter' && createNow()}
          />
        </Field>
        <button
          type="button"
          className={candidates.length > 0 ? 'button' : 'button primary'}
          onClick={createNow}
        >
          Create the replacement now
        </button>
        <button type="button" className="button" onClick={onClose}>
          Cancel
        </button>
      </div>
      <FieldError message={error} />
    </section>
  );
}
