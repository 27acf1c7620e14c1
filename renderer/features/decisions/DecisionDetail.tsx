import { Suspense, lazy, useState } from 'react';
import { STATUS_TRANSITIONS } from '../../../shared/model';
import type {
  Decision,
  DecisionRole,
  DecisionStatus,
  Goal,
  Member,
  Note,
} from '../../../shared/schema/records';
import { useAppStore } from '../../store';
import { TagEditor } from '../notes/TagEditor';
import { VotePanel } from './VotePanel';
import { exportDecisions, updateDecision } from './decisionActions';
import type { DecisionPatch } from '../../../shared/model';
import { SavedTextarea, formatWhen, memberName } from './parts';
import { useSavedField } from '../../components/useSavedField';
import { ok, type Result } from '../../../shared/result';

/** The rich-text editor (TipTap) loads with the first decision opened, not at start-up. */
const ContextEditor = lazy(() =>
  import('./ContextEditor').then((m) => ({ default: m.ContextEditor })),
);

const STATUS_LABEL: Record<DecisionStatus, string> = {
  draft: 'Draft',
  proposed: 'Proposed',
  accepted: 'Accepted',
  rejected: 'Rejected',
  superseded: 'Superseded',
};

const ROLE_LABEL: Record<DecisionRole, string> = {
  decider: 'Decider',
  consulted: 'Consulted',
  informed: 'Informed',
};

interface DecisionDetailProps {
  readonly decision: Decision;
  readonly all: readonly Decision[];
  readonly goals: readonly Goal[];
  readonly notes: readonly Note[];
  readonly members: readonly Member[];
  readonly selfId: string | undefined;
  readonly now: number;
  readonly editable: boolean;
}

function optionOf(decision: Decision, id: string): Decision['options'][number] | undefined {
  return decision.options.find((option) => option.id === id);
}

/**
 * Saves of one text field of decision `id`: `change` makes the patch from the draft, `read` finds
 * the field in the decision as stored (gone when another device removed the option meanwhile).
 */
function textSaver(id: string) {
  return (
      change: (draft: string) => DecisionPatch,
      read: (stored: Decision) => string | undefined,
    ) =>
    (draft: string): Result<string> => {
      const result = updateDecision(id, change(draft));
      if (!result.ok) return result;
      return ok(read(result.value) ?? draft);
    };
}

/** Everything about one decision below its title: lifecycle, votes, outcome, content, links. */
export function DecisionDetail(props: DecisionDetailProps) {
  const { decision, all, goals, notes, members, selfId, now, editable } = props;
  const notify = useAppStore((state) => state.notify);
  const select = useAppStore((state) => state.select);
  const [supersedeOpen, setSupersedeOpen] = useState(false);
  const [replacement, setReplacement] = useState('');
  const [supersedeError, setSupersedeError] = useState<string | null>(null);

  const patch = (change: DecisionPatch): boolean => {
    const result = updateDecision(decision.id, change);
    if (!result.ok) notify('error', result.error.message);
    return result.ok;
  };
  const saveText = textSaver(decision.id);
  const name = (id: string) => memberName(members, id, selfId);
  const title = (id: string | null) =>
    all.find((item) => item.id === id)?.title ?? 'a deleted decision';
  const replacedBy = decision.supersededBy
    ? all.find((item) => item.id === decision.supersededBy)
    : undefined;
  const supersedes = all.filter((item) => item.supersededBy === decision.id);
  const candidates = all.filter(
    (item) => item.id !== decision.id && item.deletedAt === null && item.status !== 'superseded',
  );

  const supersede = () => {
    if (!replacement) return setSupersedeError('Pick the decision that replaces this one.');
    const result = updateDecision(decision.id, { status: 'superseded', supersededBy: replacement });
    setSupersedeError(result.ok ? null : result.error.message);
    if (result.ok) setSupersedeOpen(false);
  };

  return (
    <>
      {decision.status === 'superseded' && (
        <div className="superseded-banner" role="note">
          Superseded by{' '}
          {replacedBy ? (
            <button
              type="button"
              className="link-button"
              onClick={() => select('decision', replacedBy.id)}
            >
              {replacedBy.title || 'Untitled decision'}
            </button>
          ) : (
            'a decision that was deleted'
          )}
          . This record stays readable for history.
        </div>
      )}
      {supersedes.length > 0 && (
        <p className="muted">
          Supersedes{' '}
          {supersedes.map((item, index) => (
            <span key={item.id}>
              {index > 0 && ', '}
              <button
                type="button"
                className="link-button"
                onClick={() => select('decision', item.id)}
              >
                {item.title || 'Untitled decision'}
              </button>
            </span>
          ))}
        </p>
      )}
      {decision.problems.length > 0 && (
        <div className="notice warning inline" role="status">
          Some parts of this decision are unreadable and were skipped:{' '}
          {decision.problems.join('; ')}.
        </div>
      )}

      <div className="decision-row">
        <div className="field">
          <label htmlFor="decision-status">Status</label>
          <select
            id="decision-status"
            className="select"
            value={supersedeOpen ? 'superseded' : decision.status}
            disabled={!editable}
            onChange={(event) => {
              const next = event.target.value as DecisionStatus;
              if (next === 'superseded') {
                setSupersedeOpen(true);
                return;
              }
              setSupersedeOpen(false);
              patch({ status: next });
            }}
          >
            {[decision.status, ...STATUS_TRANSITIONS[decision.status]].map((status) => (
              <option key={status} value={status}>
                {STATUS_LABEL[status]}
              </option>
            ))}
          </select>
        </div>
        <button
          type="button"
          className="button"
          onClick={() => {
            void exportDecisions([decision.id]).then((result) => {
              if (!result.ok) notify('error', result.error.message);
            });
          }}
        >
          Export MADR
        </button>
      </div>

      {supersedeOpen && (
        <section className="card" aria-labelledby="supersede-heading">
          <h2 id="supersede-heading">Supersede this decision</h2>
          <div className="decision-row">
            <div className="field">
              <label htmlFor="decision-replacement">Replaced by</label>
              <select
                id="decision-replacement"
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
            </div>
            <button type="button" className="button primary" onClick={supersede}>
              Supersede
            </button>
            <button type="button" className="button" onClick={() => setSupersedeOpen(false)}>
              Cancel
            </button>
          </div>
          {supersedeError && (
            <p className="field-error" role="alert">
              {supersedeError}
            </p>
          )}
        </section>
      )}

      {(decision.status !== 'draft' || decision.votes.length > 0) && (
        <VotePanel
          key={`${decision.id}:${decision.status}`}
          decision={decision}
          members={members}
          selfId={selfId}
          now={now}
          editable={editable}
        />
      )}
      {decision.status === 'draft' && (
        <p className="muted">Propose this decision (Status → Proposed) to open it for votes.</p>
      )}

      {(decision.status === 'accepted' ||
        decision.status === 'rejected' ||
        decision.status === 'superseded') && (
        <section className="card" aria-labelledby="outcome-heading">
          <h2 id="outcome-heading">Outcome</h2>
          <SavedTextarea
            id="decision-outcome"
            label="Outcome statement"
            value={decision.outcome}
            disabled={!editable}
            placeholder="What was decided, and why."
            save={saveText(
              (outcome) => ({ outcome }),
              (stored) => stored.outcome,
            )}
          />
          <div className="field">
            <label htmlFor="decision-review">Review on</label>
            <input
              id="decision-review"
              className="input"
              type="date"
              value={decision.reviewOn ?? ''}
              readOnly={!editable}
              onChange={(event) => patch({ reviewOn: event.target.value || null })}
            />
            <span className="hint">Outpost reminds the deciders on this day.</span>
          </div>
        </section>
      )}

      <section className="card" aria-labelledby="context-heading">
        <h2 id="context-heading">Context and problem</h2>
        <Suspense fallback={<p className="record-meta">Loading the editor…</p>}>
          <ContextEditor key={decision.id} decisionId={decision.id} editable={editable} />
        </Suspense>
      </section>

      <OptionsCard decision={decision} editable={editable} patch={patch} />

      <section className="card" aria-labelledby="proposal-heading">
        <h2 id="proposal-heading">Proposal and drivers</h2>
        <SavedTextarea
          id="decision-proposal"
          label="Proposal"
          value={decision.proposal}
          disabled={!editable}
          placeholder="What do you propose, concretely?"
          save={saveText(
            (proposal) => ({ proposal }),
            (stored) => stored.proposal,
          )}
        />
        <SavedTextarea
          id="decision-drivers"
          label="Decision drivers"
          value={decision.drivers}
          disabled={!editable}
          placeholder="One per line: the forces and concerns that matter."
          save={saveText(
            (drivers) => ({ drivers }),
            (stored) => stored.drivers,
          )}
        />
      </section>

      <section className="card" aria-labelledby="people-heading">
        <h2 id="people-heading">People</h2>
        <p className="hint">
          Deciders are asked to vote; when nobody is named, everyone in the workspace is asked.
        </p>
        <ul className="people-list">
          {members.map((member) => {
            const role = decision.people.find((person) => person.member === member.id)?.role ?? '';
            return (
              <li key={member.id}>
                <span
                  className="avatar-dot"
                  style={{ background: member.color }}
                  aria-hidden="true"
                />
                <span className="person-name">{name(member.id)}</span>
                <select
                  className="select small"
                  aria-label={`Role of ${member.name}`}
                  value={role}
                  disabled={!editable}
                  onChange={(event) =>
                    patch({
                      people: { [member.id]: (event.target.value || null) as DecisionRole | null },
                    })
                  }
                >
                  <option value="">Not involved</option>
                  {(Object.keys(ROLE_LABEL) as DecisionRole[]).map((value) => (
                    <option key={value} value={value}>
                      {ROLE_LABEL[value]}
                    </option>
                  ))}
                </select>
              </li>
            );
          })}
        </ul>
        <div className="field">
          <span className="label">Tags</span>
          <TagEditor
            tags={decision.tags}
            disabled={!editable}
            onAdd={(tag) => updateDecision(decision.id, { addTags: [tag] })}
            onRemove={(tag) => updateDecision(decision.id, { removeTags: [tag] })}
          />
        </div>
      </section>

      <LinksCard
        decision={decision}
        goals={goals}
        notes={notes}
        editable={editable}
        patch={patch}
      />

      <section className="card" aria-labelledby="history-heading">
        <h2 id="history-heading">History</h2>
        {decision.history.length === 0 ? (
          <p className="muted">No status changes yet. The decision is a draft.</p>
        ) : (
          <ol className="history" aria-label="Lifecycle history">
            {decision.history.map((change) => (
              <li key={change.id}>
                <span className={`badge status-${change.to}`}>{change.to}</span>{' '}
                {change.from ? `from ${change.from} ` : 'imported '}by {name(change.by)} ·{' '}
                <span title={new Date(change.at).toISOString()}>{formatWhen(change.at)}</span>
                {change.supersededBy && <> · replaced by “{title(change.supersededBy)}”</>}
              </li>
            ))}
          </ol>
        )}
      </section>
    </>
  );
}

function OptionsCard({
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
                      Propose this
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
      {field.error && (
        <p className="field-error" role="alert">
          {field.error}
        </p>
      )}
    </>
  );
}

function LinksCard({
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
        <div className="field">
          <label htmlFor="decision-link">Link to</label>
          <select
            id="decision-link"
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
        </div>
      )}
    </section>
  );
}
