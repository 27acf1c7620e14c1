/** Export of goals from the open workspace: Markdown files per objective and a CSV of check-ins. */
import {
  checkInsToCsv,
  goalToMarkdown,
  markdownFileName,
  type ExportNames,
} from '../../../shared/model';
import type { Goal } from '../../../shared/schema/records';
import type { WorkspaceSnapshot } from '../../sync/workspaceSession';
import { downloadFile } from '../../platform/download';
import { confirmPlainExport } from '../../components/plainExport';
import { todayKey } from './format';

function exportNames(snapshot: WorkspaceSnapshot | null): ExportNames {
  const members = new Map((snapshot?.members.items ?? []).map((m) => [m.id, m.name]));
  const goals = new Map((snapshot?.goals.items ?? []).map((g) => [g.id, g.title]));
  const notes = new Map((snapshot?.notes.items ?? []).map((n) => [n.id, n.title || 'Untitled']));
  const decisions = new Map((snapshot?.decisions.items ?? []).map((d) => [d.id, d.title]));
  return {
    member: (id) => (id === null ? 'No owner' : (members.get(id) ?? 'a former member')),
    goalTitle: (id) => goals.get(id),
    linkTitle: (ref) => (ref.kind === 'note' ? notes.get(ref.id) : decisions.get(ref.id)),
  };
}

/** Downloads one Markdown file per objective (after the unencrypted-export warning). */
export async function downloadMarkdown(
  goals: readonly Goal[],
  snapshot: WorkspaceSnapshot | null,
): Promise<void> {
  const what = goals.length === 1 ? 'This objective' : `These ${goals.length} objectives`;
  if (!(await confirmPlainExport(what))) return;
  const names = exportNames(snapshot);
  for (const goal of goals)
    downloadFile(
      markdownFileName(goal),
      goalToMarkdown(goal, names),
      'text/markdown;charset=utf-8',
    );
}

/** Downloads every check-in of the given objectives as one CSV file (after the warning). */
export async function downloadCheckInsCsv(
  goals: readonly Goal[],
  snapshot: WorkspaceSnapshot | null,
  name = `check-ins-${todayKey()}.csv`,
): Promise<void> {
  if (!(await confirmPlainExport('The check-ins (CSV)'))) return;
  // A byte-order mark lets spreadsheet apps read the UTF-8 names correctly.
  downloadFile(
    name,
    `\uFEFF${checkInsToCsv(goals, exportNames(snapshot))}`,
    'text/csv;charset=utf-8',
  );
}
