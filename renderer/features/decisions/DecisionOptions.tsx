/** The options of a decision: each one's name, pros and cons, which is proposed, and adding one. */
import { useState } from 'react';
import type { Decision } from '../../../shared/schema/records';
import type { DecisionPatch } from '../../../shared/model';
import type { Result } from '../../../shared/result';
import { useSavedField } from '../../components/useSavedField';
import { FieldError } from '../../components/Field';
import { SavedTextarea } from '../../components/SavedTextarea';
import { optionOf, textSaver } from './parts';

export function OptionsCard({
  decision,
  editable,
  patch,
}: {
  readonly decision: Decision;
  readonly editable: boolean;
  readonly patch: (change: DecisionPatch) => boolean;
}) {
  const [draft, setDraft] = useState('');
  const saveText = textSaver(decision.id);
  const add = () => {
    if (!draft.trim()) return;
    if (patch({ addOption: { title: draft } })) setDraft('');
  };
  return (
    <section className="card" aria-labelledby="options-heading">
      <h2 id="options-heading">Options</h2>
      {decision.options.length === 0 && (
        <p className="muted">
          No options yet. Add the alternatives you considered, with pros and cons.
        </p>
      )}
      <ol className="options">
        {decision.options.map((option, index) => {
          const proposed = decision.proposedOptionId === option.id;
          return (
            <li
              key={option.id}
              className={proposed ? 'option proposed' : 'option'}
              aria-label={`Option ${option.title}`}
            >
              <div className="option-head">
                <OptionTitle
                  value={option.title}
                  label={`Option ${index + 1} name`}
                  disabled={!editable}
                  save={saveText(
                    (title) => ({ updateOption: { id: option.id, title } }),
                    (stored) => optionOf(stored, option.id)?.title,
                  )}
                />
                {proposed ? (
                  <span className="badge status-proposed">proposed</span>
                ) : (
                  editable && (
                    <button
                      type="button"
                      className="button small"
                      onClick={() => patch({ proposedOptionId: option.id })}
                    >
                      Make this the proposal
                    </button>
                  )
                )}
                {editable && (
                  <button
                    type="button"
                    className="icon-button"
                    aria-label={`Remove option ${option.title}`}
                    onClick={() => patch({ removeOption: option.id })}
                  >
                    ✕
                  </button>
                )}
              </div>
              <div className="pros-cons">
                <SavedTextarea
                  id={`option-${option.id}-pros`}
                  label={`Pros of ${option.title}`}
                  value={option.pros}
                  disabled={!editable}
                  placeholder="One per line"
                  rows={2}
                  save={saveText(
                    (pros) => ({ updateOption: { id: option.id, pros } }),
                    (stored) => optionOf(stored, option.id)?.pros,
                  )}
                />
                <SavedTextarea
                  id={`option-${option.id}-cons`}
                  label={`Cons of ${option.title}`}
                  value={option.cons}
                  disabled={!editable}
                  placeholder="One per line"
                  rows={2}
                  save={saveText(
                    (cons) => ({ updateOption: { id: option.id, cons } }),
                    (stored) => optionOf(stored, option.id)?.cons,
                  )}
                />
              </div>
            </li>
          );
        })}
      </ol>
      {editable && (
        <div className="decision-row">
          <input
            className="input"
            aria-label="New option"
            placeholder="Add an option and press Enter"
            value={draft}
            maxLength={200}
            onChange={(event) => setDraft(event.target.value)}
            onKeyDown={(event) => event.key === 'Enter' && add()}
          />
          <button type="button" className="button" onClick={add}>
            Add option
          </button>
        </div>
      )}
    </section>
  );
}

function OptionTitle({
  value,
  label,
  disabled,
  save,
}: {
  readonly value: string;
  readonly label: string;
  readonly disabled: boolean;
  readonly save: (draft: string) => Result<string>;
}) {
  const field = useSavedField(value, save);
  return (
    <>
      <input
        className="input option-title"
        aria-label={label}
        readOnly={disabled}
        maxLength={200}
        {...field.props}
      />
      <FieldError message={field.error} />
    </>
  );
}
