/**
 * Decision writes from the UI: each runs one shared/model function through the write gateway
 * (store/writeGateway.ts) and returns its Result for the caller to show. Files (MADR) go in and out of
 * the browser here: downloads through a Blob link, imports through File objects from a picker.
 */
import { downloadFile } from '../../platform/download';
import { confirmPlainExport } from '../../components/plainExport';
import * as Y from 'yjs';
import { bodyTooDeep, copyBody } from '../../../shared/model/notesBody';
import {
  castBallot,
  castVote,
  decisionContext,
  decisions,
  type BallotInput,
  type DecisionPatch,
} from '../../../shared/model';
import { fail, ok, type Result } from '../../../shared/result';
import type { Ballot, Decision, VoteCast, VoteChoice } from '../../../shared/schema/records';
import { activeSession, useAppStore, writeAsLocalPerson } from '../../store';
import { madrSource, recordsBySource } from '../../../shared/model/importSources';
import { ROOT } from '../../../shared/model/roots';

export function updateDecision(id: string, patch: DecisionPatch): Result<Decision> {
  return writeAsLocalPerson((doc, ctx) => decisions.update(doc, ctx, id, patch));
}

export function voteOnDecision(id: string, choice: VoteChoice, reason: string): Result<VoteCast> {
  return writeAsLocalPerson((doc, ctx) => castVote(doc, ctx, id, { choice, reason }));
}

/** Casts the local person's ballot in a choose-one or score poll. */
export function castPollBallot(id: string, input: BallotInput): Result<Ballot> {
  return writeAsLocalPerson((doc, ctx) => castBallot(doc, ctx, id, input));
}

/**
 * Creates a new draft decision titled `title` and supersedes decision `id` with it, in one write,
 * so the old record never points at nothing. Resolves with the new decision.
 */
export function createReplacement(id: string, title: string): Result<Decision> {
  return writeAsLocalPerson((doc, ctx) => {
    const created = decisions.create(doc, ctx, { title });
    if (!created.ok) return created;
    const superseded = decisions.update(doc, ctx, id, {
      status: 'superseded',
      supersededBy: created.value.id,
    });
    if (!superseded.ok) {
      decisions.purge(doc, ctx, created.value.id);
      return superseded;
    }
    return created;
  });
}

/**
 * The rich-text context for the editor binding (null while no workspace is open). A context nested
 * deeper than the editor's recursion takes (reported with the decision) comes as a bounded copy in
 * a document of its own, marked `copy`, to be shown read-only.
 */
export function contextFragment(id: string): { fragment: Y.XmlFragment; copy: boolean } | null {
  const session = activeSession();
  const live = session ? decisionContext(session.doc, id) : undefined;
  if (!live) return null;
  if (!bodyTooDeep(live)) return { fragment: live, copy: false };
  const doc = new Y.Doc();
  const fragment = doc.getXmlFragment('context');
  doc.transact(() => copyBody(live, fragment));
  return { fragment, copy: true };
}

function download(fileName: string, markdown: string): void {
  downloadFile(fileName, markdown, 'text/markdown;charset=utf-8');
}

/** The MADR converter (TipTap's Markdown support), loaded on first use to keep start-up light. */
const madr = () => import('../../../shared/model/decisionsMadr');

/** Downloads each decision as its own MADR file; resolves with how many were written. */
export async function exportDecisions(ids: readonly string[]): Promise<Result<number>> {
  const what = ids.length === 1 ? 'This decision (MADR)' : `These ${ids.length} decisions (MADR)`;
  if (!(await confirmPlainExport(what))) return ok(0);
  const { exportMadr } = await madr();
  return writeAsLocalPerson(
    (doc) => {
      const state = useAppStore.getState();
      const all = state.snapshot?.decisions.items ?? [];
      const members = state.snapshot?.members.items ?? [];
      let count = 0;
      for (const id of ids) {
        const decision = all.find((item) => item.id === id);
        if (!decision) continue;
        const file = exportMadr(doc, decision, members, all, state.snapshot?.trust);
        download(file.fileName, file.markdown);
        count += 1;
      }
      return count > 0 ? ok(count) : fail('empty', 'There is no decision to export.');
    },
    { allowReadOnly: true },
  );
}

export interface ImportReport {
  readonly imported: { readonly id: string; readonly title: string }[];
  /** How many of `imported` updated a decision imported before from the same file. */
  updated: number;
  readonly errors: string[];
  readonly warnings: string[];
}

/** Names of the files that were imported before as decisions still in the list (not trashed). */
export function madrFilesImportedBefore(files: readonly File[]): string[] {
  const session = activeSession();
  if (!session) return [];
  const known = recordsBySource(session.doc, ROOT.decisions);
  return files.filter((file) => known.has(madrSource(file.name))).map((file) => file.name);
}

/**
 * Imports MADR files one by one; a bad file is reported and skipped, the others still import.
 * With `update`, a file imported before updates its decision instead of adding a copy.
 */
export async function importDecisionFiles(
  files: readonly File[],
  update = false,
): Promise<ImportReport> {
  const { importMadr } = await madr();
  const report: ImportReport = { imported: [], updated: 0, errors: [], warnings: [] };
  const session = activeSession();
  const known =
    update && session ? recordsBySource(session.doc, ROOT.decisions) : new Map<string, string>();
  for (const file of files) {
    if (file.size > 1_000_000) {
      report.errors.push(`${file.name}: the file is larger than 1 MB.`);
      continue;
    }
    let text: string;
    try {
      const bytes = new Uint8Array(await file.arrayBuffer());
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      report.errors.push(`${file.name}: this is not a UTF-8 text file.`);
      continue;
    }
    const members = useAppStore.getState().snapshot?.members.items ?? [];
    const updateId = known.get(madrSource(file.name));
    const result = writeAsLocalPerson((doc, ctx) =>
      importMadr(doc, ctx, text, file.name, members, updateId),
    );
    if (!result.ok) report.errors.push(result.error.message);
    else {
      if (updateId) report.updated += 1;
      report.imported.push({ id: result.value.decision.id, title: result.value.decision.title });
      for (const warning of result.value.warnings) report.warnings.push(`${file.name}: ${warning}`);
    }
  }
  return report;
}
