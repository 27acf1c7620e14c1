import { useCallback, useRef, useState } from 'react';
import { CircleCheck, Scale } from 'lucide-react';
import type { Decision } from '../../../shared/schema/records';
import {
  READ_ONLY_STATUSES,
  needsVote,
  verifiedPollTally,
  verifiedTally,
} from '../../../shared/model';
import { useAppStore } from '../../store';
import { selectMembers, selectTrust } from '../../store/selectors';
import { RecordListPane } from '../../components/RecordListPane';
import { RecordDetail } from '../../components/RecordDetail';
import { EmptyState } from '../../components/EmptyState';
import { timeAgo } from '../../components/time';
import { DecisionDetail } from './DecisionDetail';
import {
  exportDecisions,
  importDecisionFiles,
  madrFilesImportedBefore,
  type ImportReport,
} from './decisionActions';
import { MadrUpdatePrompt } from './MadrUpdatePrompt';
import { useNow } from './parts';
import './decisions.css';

const NO_DECISIONS: readonly Decision[] = [];

/** Decisions: an open log of what was decided, by whom, and why. */
export function DecisionsView() {
  const list = useAppStore((state) => state.snapshot?.decisions);
  const goals = useAppStore((state) => state.snapshot?.goals.items);
  const notes = useAppStore((state) => state.snapshot?.notes.items);
  const members = useAppStore(selectMembers);
  const selfId = useAppStore((state) => state.profile?.memberId);
  const selectedId = useAppStore((state) => state.selected.decision);
  const createRecord = useAppStore((state) => state.createRecord);
  const notify = useAppStore((state) => state.notify);
  const select = useAppStore((state) => state.select);
  const readOnly = useAppStore(
    (state) => state.workspaceStatus.state === 'ready' && state.workspaceStatus.readOnly,
  );
  const [justCreated, setJustCreated] = useState<string | null>(null);
  const [needsMine, setNeedsMine] = useState(false);
  const [report, setReport] = useState<ImportReport | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const now = useNow();
  const trust = useAppStore(selectTrust);
  const items = list?.items ?? NO_DECISIONS;

  const create = () => {
    const result = createRecord('decision', 'Untitled decision');
    if (result.ok) setJustCreated(result.value.id);
    else notify('error', result.error.message);
  };
  const selected = items.find((decision) => decision.id === selectedId);
  const waiting = selfId
    ? items.filter(
        (decision) => decision.deletedAt === null && needsVote(decision, selfId, now, trust),
      )
    : [];
  const filterItem = useCallback(
    (decision: Decision) => !!selfId && needsVote(decision, selfId, now, trust),
    [selfId, now, trust],
  );

  const [asking, setAsking] = useState<{ files: File[]; known: string[] } | null>(null);
  const runImport = async (files: File[], update: boolean) => {
    setAsking(null);
    const result = await importDecisionFiles(files, update);
    setReport(result);
    const first = result.imported[0];
    if (first) select('decision', first.id);
  };
  const importFiles = async (list: FileList | null) => {
    if (!list || list.length === 0) return;
    const files = [...list];
    if (fileInput.current) fileInput.current.value = '';
    // Files imported before: ask whether to update their decisions or add copies.
    const known = madrFilesImportedBefore(files);
    if (known.length > 0) setAsking({ files, known });
    else await runImport(files, false);
  };

  const toolbar = (
    <div className="decision-toolbar">
      <button
        type="button"
        className="chip"
        aria-pressed={needsMine}
        onClick={() => setNeedsMine(!needsMine)}
      >
        Needs my vote{waiting.length > 0 ? ` (${waiting.length})` : ''}
      </button>
      <span className="spacer" />
      <button
        type="button"
        className="button small"
        disabled={readOnly}
        title="Import decisions from MADR Markdown files"
        onClick={() => fileInput.current?.click()}
      >
        Import…
      </button>
      <input
        ref={fileInput}
        type="file"
        accept=".md,.markdown,text/markdown,text/plain"
        multiple
        hidden
        aria-label="MADR files to import"
        onChange={(event) => void importFiles(event.target.files)}
      />
      <button
        type="button"
        className="button small"
        disabled={items.every((item) => item.deletedAt !== null)}
        title="Download every decision as its own MADR Markdown file"
        onClick={() => {
          void exportDecisions(
            items.filter((item) => item.deletedAt === null).map((item) => item.id),
          ).then((result) => {
            if (!result.ok) notify('error', result.error.message);
          });
        }}
      >
        Export all
      </button>
    </div>
  );

  return (
    <div className="split">
      <RecordListPane
        kind="decision"
        heading="Decisions"
        noun="decision"
        items={items}
        damaged={list?.damaged ?? []}
        onCreate={create}
        emptyGlyph={Scale}
        emptyText="Record decisions in the open so the people closest to a problem can propose, and everyone can see why."
        toolbar={
          <>
            {toolbar}
            {asking && (
              <MadrUpdatePrompt
                known={asking.known}
                onUpdate={() => void runImport(asking.files, true)}
                onCopy={() => void runImport(asking.files, false)}
                onCancel={() => setAsking(null)}
              />
            )}
            {report && <ImportSummary report={report} onClose={() => setReport(null)} />}
          </>
        }
        filterItem={needsMine ? filterItem : undefined}
        filteredEmpty={
          <EmptyState glyph={CircleCheck} title="Nothing needs your vote">
            Every open decision that asks for you has your vote. Clear the filter to see all.
          </EmptyState>
        }
        renderMeta={(decision) => <DecisionMeta decision={decision} selfId={selfId} now={now} />}
      />
      {selected ? (
        <RecordDetail
          key={selected.id}
          kind="decision"
          noun="decision"
          record={selected}
          members={members}
          autoFocusTitle={justCreated === selected.id}
          titleLocked={READ_ONLY_STATUSES.includes(selected.status)}
        >
          <DecisionDetail
            decision={selected}
            all={items}
            goals={goals ?? []}
            notes={notes ?? []}
            members={members}
            selfId={selfId}
            now={now}
            editable={!readOnly && selected.deletedAt === null}
          />
        </RecordDetail>
      ) : (
        <EmptyState glyph={Scale} title="No decision selected">
          Pick a decision from the list, or press Ctrl+N to record one.
        </EmptyState>
      )}
    </div>
  );
}

function DecisionMeta({
  decision,
  selfId,
  now,
}: {
  readonly decision: Decision;
  readonly selfId: string | undefined;
  readonly now: number;
}) {
  // The list counts what the decision's own panel counts: verified casts only.
  const trust = useAppStore(selectTrust);
  const tally = decision.votes.length > 0 ? verifiedTally(trust, decision).tally : null;
  const poll =
    decision.pollType !== 'consent' && decision.ballots.length > 0
      ? verifiedPollTally(trust, decision).tally
      : null;
  const voted = decision.pollType === 'consent' ? tally?.voted : poll?.voted;
  return (
    <>
      <span className={`badge status-${decision.status}`}>{decision.status}</span>
      {selfId && needsVote(decision, selfId, now, trust) && (
        <span className="badge needs-vote">needs your vote</span>
      )}
      {decision.pollType === 'consent' && tally && tally.blocks.length > 0 && (
        <span className="badge vote-block">blocked</span>
      )}
      {voted !== undefined && (
        <span>
          {voted} vote{voted === 1 ? '' : 's'}
        </span>
      )}
      <span>{timeAgo(decision.updatedAt)}</span>
    </>
  );
}

function importHeadline(report: ImportReport): string {
  const added = report.imported.length - report.updated;
  if (report.imported.length === 0) return 'Nothing was imported';
  const parts = [
    added > 0 ? `Imported ${added} decision${added > 1 ? 's' : ''}` : '',
    report.updated > 0 ? `updated ${report.updated} decision${report.updated > 1 ? 's' : ''}` : '',
  ].filter(Boolean);
  const text = parts.join(', ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function ImportSummary({
  report,
  onClose,
}: {
  readonly report: ImportReport;
  readonly onClose: () => void;
}) {
  return (
    <div
      className={report.errors.length > 0 ? 'import-report has-errors' : 'import-report'}
      role={report.errors.length > 0 ? 'alert' : 'status'}
    >
      <div className="import-report-head">
        <strong>{importHeadline(report)}</strong>
        <button
          type="button"
          className="icon-button"
          aria-label="Close import report"
          onClick={onClose}
        >
          ✕
        </button>
      </div>
      <ul>
        {report.errors.map((error) => (
          <li key={error} className="field-error">
            {error}
          </li>
        ))}
        {report.warnings.map((warning) => (
          <li key={warning}>{warning}</li>
        ))}
      </ul>
    </div>
  );
}
