import { Suspense, lazy, useState } from 'react';
import { HistoryEntry } from '../history/HistoryEntry';
import { READ_ONLY_STATUSES, STATUS_TRANSITIONS } from '../../../shared/model';
import type {
  Decision,
  DecisionRole,
  DecisionStatus,
  Goal,
  Member,
  Note,
  PollType,
} from '../../../shared/schema/records';
import { SCORE_MAX } from '../../../shared/schema/records';
import { useAppStore } from '../../store';
import { TagEditor } from '../notes/TagEditor';
import { VotePanel } from './VotePanel';
import { exportDecisions, updateDecision } from './decisionActions';
import type { DecisionPatch } from '../../../shared/model';
import { formatWhen, memberName, textSaver } from './parts';
import { Field } from '../../components/Field';
import { SupersedeCard } from './SupersedeCard';
import { SavedTextarea } from '../../components/SavedTextarea';
import { OptionsCard } from './DecisionOptions';
import { LinksCard } from './DecisionLinks';
import { VerificationBadge } from '../../components/VerificationBadge';
import { selectTrust } from '../../store/selectors';
import { verifyStatusChange } from '../../../shared/model';

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

const POLL_LABEL: Record<PollType, string> = {
  consent: 'Consent',
  choose: 'Choose one',
  score: `Score 0–${SCORE_MAX}`,
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
/** Everything about one decision below its title: lifecycle, votes, outcome, content, links. */
export function DecisionDetail(props: DecisionDetailProps) {
  const { decision, all, goals, notes, members, selfId, now, editable } = props;
  const notify = useAppStore((state) => state.notify);
  const select = useAppStore((state) => state.select);
  const trust = useAppStore(selectTrust);
  const [supersedeOpen, setSupersedeOpen] = useState(false);

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
  // Rejected and superseded decisions are history: kept as decided, readable, not editable.
  const contentEditable = editable && !READ_ONLY_STATUSES.includes(decision.status);
  const pollTypeLocked =
    decision.status !== 'draft' || decision.votes.length + decision.ballots.length > 0;

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
          . This record is kept as history: readable, no longer editable.
        </div>
      )}
      {decision.status === 'rejected' && (
        <div className="superseded-banner" role="note">
          Rejected. This record is kept as it was decided; to change it, reopen it (Status →
          Proposed).
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
        <Field id="decision-status" label="Status">
          <select
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
        </Field>
        <Field id="decision-poll-type" label="Poll">
          <select
            className="select"
            value={decision.pollType}
            disabled={!editable || pollTypeLocked}
            title={pollTypeLocked ? 'The poll type is fixed once proposed or voted on.' : undefined}
            onChange={(event) => patch({ pollType: event.target.value as PollType })}
          >
            {(Object.keys(POLL_LABEL) as PollType[]).map((type) => (
              <option key={type} value={type}>
                {POLL_LABEL[type]}
              </option>
            ))}
          </select>
        </Field>
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
        <SupersedeCard decision={decision} all={all} onClose={() => setSupersedeOpen(false)} />
      )}

      {(decision.status !== 'draft' || decision.votes.length + decision.ballots.length > 0) && (
        <VotePanel
          key={`${decision.id}:${decision.status}`}
          decision={decision}
          members={members}
          selfId={selfId}
          now={now}
          editable={editable}
          trust={trust}
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
            disabled={!contentEditable}
            placeholder="What was decided, and why."
            save={saveText(
              (outcome) => ({ outcome }),
              (stored) => stored.outcome,
            )}
          />
          <Field
            id="decision-review"
            label="Review on"
            hint="Outpost reminds the deciders on this day."
          >
            <input
              className="input"
              type="date"
              value={decision.reviewOn ?? ''}
              readOnly={!contentEditable}
              onChange={(event) => patch({ reviewOn: event.target.value || null })}
            />
          </Field>
        </section>
      )}

      <section className="card" aria-labelledby="context-heading">
        <h2 id="context-heading">Context and problem</h2>
        <Suspense fallback={<p className="record-meta">Loading the editor…</p>}>
          <ContextEditor key={decision.id} decisionId={decision.id} editable={contentEditable} />
        </Suspense>
      </section>

      <OptionsCard decision={decision} editable={contentEditable} patch={patch} />

      <section className="card" aria-labelledby="proposal-heading">
        <h2 id="proposal-heading">Proposal and drivers</h2>
        <SavedTextarea
          id="decision-proposal"
          label="Proposal"
          value={decision.proposal}
          disabled={!contentEditable}
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
          disabled={!contentEditable}
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
                  disabled={!contentEditable}
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
            disabled={!contentEditable}
            onAdd={(tag) => updateDecision(decision.id, { addTags: [tag] })}
            onRemove={(tag) => updateDecision(decision.id, { removeTags: [tag] })}
          />
        </div>
      </section>

      <LinksCard
        decision={decision}
        goals={goals}
        notes={notes}
        editable={contentEditable}
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
                {change.supersededBy && <> · replaced by “{title(change.supersededBy)}”</>}{' '}
                <VerificationBadge
                  verification={verifyStatusChange(trust, decision.id, change)}
                  author={name(change.by)}
                />
              </li>
            ))}
          </ol>
        )}
      </section>

      <HistoryEntry key={decision.id} kind="decision" recordId={decision.id} editable={editable} />
    </>
  );
}
