/**
 * Applying stored Yjs updates one at a time, so that one that cannot be read is set aside instead
 * of stopping the whole load (y-indexeddb applies every stored row in one go and a single bad row
 * throws inside its promise chain: the workspace then never opens). Pure over Yjs: the renderer's
 * IndexedDB loader feeds it rows, and tests feed it random bytes.
 */
import * as Y from 'yjs';
// Loading may apply an update that deletes a value nested thousands of levels deep.
import '../model/yjsIterativeDelete';
import { digest } from 'lib0/hash/sha256';
import { toHexString } from 'lib0/buffer';

/** One row of a workspace's `updates` store as read from IndexedDB. */
export interface StoredRow {
  readonly key: number;
  readonly value: unknown;
}

/** Why a stored row was set aside, in words a person can read. */
export type RowProblem = 'not-bytes' | 'unreadable' | 'failed-to-apply' | 'not-authentic';

export const ROW_PROBLEM_TEXT: Record<RowProblem, string> = {
  'not-bytes': 'is not Yjs data at all',
  unreadable: 'cannot be decoded',
  'failed-to-apply': 'could not be applied',
  'not-authentic': "does not decrypt with this device's key",
};

export type RowOutcome =
  | { readonly ok: true; readonly bytes: number }
  | { readonly ok: false; readonly problem: RowProblem; readonly detail: string };

/** The bytes of a stored value, when it is bytes at all. */
export function rowBytes(value: unknown): Uint8Array | null {
  if (value instanceof Uint8Array) return value;
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  return null;
}

/** Size in bytes of whatever a row holds (for reporting set-aside data). */
export function rowSize(value: unknown): number {
  const bytes = rowBytes(value);
  if (bytes) return bytes.length;
  try {
    return JSON.stringify(value)?.length ?? 0;
  } catch {
    return 0;
  }
}

/** A content fingerprint of a row (SHA-256, hex), used to trust rows Outpost wrote itself. */
export function fingerprint(bytes: Uint8Array): string {
  return toHexString(digest(bytes));
}

function message(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).slice(0, 200);
}

/**
 * Applies one stored row to `doc`. A row Outpost verified when it wrote it (`trusted`) is applied
 * directly; any other row is first decoded on its own, because a row whose delete set is damaged
 * would otherwise be half-applied before it throws. Never throws.
 */
export function applyStoredRow(
  doc: Y.Doc,
  value: unknown,
  origin: unknown,
  trusted = false,
): RowOutcome {
  const bytes = rowBytes(value);
  if (!bytes) return { ok: false, problem: 'not-bytes', detail: typeof value };
  if (!trusted) {
    try {
      Y.decodeUpdate(bytes);
    } catch (error) {
      return { ok: false, problem: 'unreadable', detail: message(error) };
    }
  }
  try {
    Y.applyUpdate(doc, bytes, origin);
  } catch (error) {
    return { ok: false, problem: 'failed-to-apply', detail: message(error) };
  }
  return { ok: true, bytes: bytes.length };
}

export interface SetAsideRow {
  readonly key: number;
  readonly value: unknown;
  readonly bytes: number;
  readonly problem: RowProblem;
  readonly detail: string;
}

export interface ApplyReport {
  readonly applied: number;
  readonly appliedBytes: number;
  readonly setAside: readonly SetAsideRow[];
}

/**
 * Applies rows in order inside one transaction (as y-indexeddb does, so observers run once),
 * setting aside every row that cannot be applied. `trustedKey` names the one row whose
 * fingerprint matched what Outpost recorded when it wrote it.
 */
export function applyStoredRows(
  doc: Y.Doc,
  rows: readonly StoredRow[],
  origin: unknown,
  trustedKey: number | null = null,
): ApplyReport {
  let applied = 0;
  let appliedBytes = 0;
  const setAside: SetAsideRow[] = [];
  // The verified row goes first: if a damaged row repeats some of its ids, the verified content wins.
  const ordered =
    trustedKey === null
      ? rows
      : [
          ...rows.filter((row) => row.key === trustedKey),
          ...rows.filter((row) => row.key !== trustedKey),
        ];
  doc.transact(() => {
    for (const row of ordered) {
      const outcome = applyStoredRow(doc, row.value, origin, row.key === trustedKey);
      if (outcome.ok) {
        applied++;
        appliedBytes += outcome.bytes;
      } else {
        setAside.push({
          key: row.key,
          value: row.value,
          bytes: rowSize(row.value),
          problem: outcome.problem,
          detail: outcome.detail,
        });
      }
    }
  }, origin);
  return { applied, appliedBytes, setAside };
}

/** A sentence for the person about rows that were set aside while opening a workspace. */
export function describeSetAside(workspace: string, rows: readonly SetAsideRow[]): string {
  const bytes = rows.reduce((sum, row) => sum + row.bytes, 0);
  const problems = [...new Set(rows.map((row) => ROW_PROBLEM_TEXT[row.problem]))].join(', ');
  const count = rows.length === 1 ? '1 saved change' : `${rows.length} saved changes`;
  return (
    `${workspace}: ${count} (${formatBytes(bytes)}) stored on this device ${rows.length === 1 ? 'was' : 'were'} damaged (${problems}) and ${rows.length === 1 ? 'was' : 'were'} set aside. ` +
    'Everything else opened normally. The set-aside data is kept under Backups; a recent edit may be missing — check Backups to restore an earlier copy.'
  );
}

/** 1234 → "1.2 KB". */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
