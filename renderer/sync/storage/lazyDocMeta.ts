/**
 * What the lazy document store (lazyDocStore.ts) keeps beside each document's rows, and how it is
 * worked out from raw Yjs updates without a Y.Doc: sync lists the state vectors of 100,000
 * documents (renderer/sync/peer/lazyDocs.ts), which must not mean decoding 100,000 documents.
 *
 * The vector is that of the merge of every stored row, as `Y.encodeStateVectorFromUpdate` counts
 * it: per client, the changes held without a hole from clock 0. A row can hold changes past a hole
 * (a peer sent them before what comes first); they are stored too, and `gaps` says so. While there
 * are none, an update that starts at or before each of its clients' clocks and runs without a
 * hole moves the vector on by itself (the common case: local edits, and what a peer sends in reply
 * to our vector); any other update has the vector worked out again from the merged rows.
 */
import * as Y from 'yjs';
// A received update may delete a value nested thousands of levels deep.
import '../../../shared/model/yjsIterativeDelete';

/** Kept per document, beside its rows. */
export interface LazyDocMeta {
  /** The state vector (v1) of the merge of every stored row. */
  readonly vector: Uint8Array;
  /** Whether the rows hold changes past a hole (beyond `vector`). */
  readonly gaps: boolean;
  /** How many rows are stored. */
  readonly rows: number;
  /** Their stored (sealed) size. */
  readonly bytes: number;
  /** The stored size of the row the last compaction wrote (0 before one). */
  readonly stateBytes: number;
}

/** A document nothing is stored of yet. */
export const EMPTY_META: LazyDocMeta = {
  vector: Y.encodeStateVector(new Map()),
  gaps: false,
  rows: 0,
  bytes: 0,
  stateBytes: 0,
};

/** Each client's changes in an update, when each is one run without a hole. */
export type ClientRuns = ReadonlyMap<number, { readonly from: number; readonly to: number }>;

export type DecodedUpdate =
  | { readonly ok: true; readonly runs: ClientRuns | null; readonly empty: boolean }
  | { readonly ok: false; readonly detail: string };

/**
 * Decodes `update` (the check a stored row or a peer's update has to pass) and notes its runs:
 * null when a client's changes have a hole, come out of order or come twice.
 */
export function decodeLazyUpdate(update: Uint8Array): DecodedUpdate {
  let decoded: ReturnType<typeof Y.decodeUpdate>;
  try {
    decoded = Y.decodeUpdate(update);
  } catch (error) {
    return {
      ok: false,
      detail: (error instanceof Error ? error.message : String(error)).slice(0, 200),
    };
  }
  const runs = new Map<number, { from: number; to: number }>();
  let last: number | null = null;
  let contiguous = true;
  for (const struct of decoded.structs) {
    const { client, clock } = struct.id;
    const run = runs.get(client);
    if (struct instanceof Y.Skip || (run && (client !== last || clock !== run.to))) {
      contiguous = false;
      break;
    }
    if (run) run.to = clock + struct.length;
    else runs.set(client, { from: clock, to: clock + struct.length });
    last = client;
  }
  const empty = decoded.structs.length === 0 && decoded.ds.clients.size === 0;
  return { ok: true, runs: contiguous ? runs : null, empty };
}

/**
 * The vector once `runs` are stored too, or null when it has to be worked out from every row
 * (the rows have gaps, the update has holes, or it starts past what is held).
 */
export function advanceVector(meta: LazyDocMeta, runs: ClientRuns | null): Uint8Array | null {
  if (meta.gaps || !runs) return null;
  const vector = Y.decodeStateVector(meta.vector);
  for (const [client, run] of runs) {
    const held = vector.get(client) ?? 0;
    if (run.from > held) return null;
    if (run.to > held) vector.set(client, run.to);
  }
  return Y.encodeStateVector(vector);
}

/** The vector and gaps of a document whose rows merge into `merged`. */
export function vectorOfMerged(merged: Uint8Array): Pick<LazyDocMeta, 'vector' | 'gaps'> {
  const vector = Y.encodeStateVectorFromUpdate(merged);
  const held = Y.decodeStateVector(vector);
  const { to } = Y.parseUpdateMeta(merged);
  let gaps = false;
  for (const [client, end] of to) if (end > (held.get(client) ?? 0)) gaps = true;
  return { vector, gaps };
}

/** Whether an update holds nothing at all (no change and no deletion). */
export function holdsNothing(update: Uint8Array): boolean {
  const { structs, ds } = Y.decodeUpdate(update);
  return structs.every((struct) => struct instanceof Y.Skip) && ds.clients.size === 0;
}

/** A stored meta entry, checked: null when it is not one (the rows are then read again). */
export function asLazyDocMeta(value: unknown): LazyDocMeta | null {
  if (typeof value !== 'object' || value === null) return null;
  const record = value as Record<string, unknown>;
  const count = (field: unknown) =>
    typeof field === 'number' && Number.isSafeInteger(field) && field >= 0;
  if (
    !(record.vector instanceof Uint8Array) ||
    typeof record.gaps !== 'boolean' ||
    !count(record.rows) ||
    !count(record.bytes) ||
    !count(record.stateBytes)
  )
    return null;
  try {
    Y.decodeStateVector(record.vector);
  } catch {
    return null;
  }
  return record as unknown as LazyDocMeta;
}
