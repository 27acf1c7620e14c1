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
 *
 * A deletion does not move a state vector (Yjs deletes without new changes), so two devices can
 * hold equal vectors and still differ. Each entry therefore also keeps a fingerprint of the
 * document's delete set (`deletes`), equal wherever the same deletions are held, so sync can tell
 * without a diff; an update that deletes anything has it worked out again from the merged rows.
 */
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import { digest } from 'lib0/hash/sha256';
// A received update may delete a value nested thousands of levels deep.
import '../../../shared/model/yjsIterativeDelete';

/** Kept per document, beside its rows. */
export interface LazyDocMeta {
  /** The state vector (v1) of the merge of every stored row. */
  readonly vector: Uint8Array;
  /** Whether the rows hold changes past a hole (beyond `vector`). */
  readonly gaps: boolean;
  /** The fingerprint of the merged rows' delete set ({@link deletesFingerprint}). */
  readonly deletes: Uint8Array;
  /** How many rows are stored. */
  readonly rows: number;
  /** Their stored (sealed) size. */
  readonly bytes: number;
  /** The stored size of the row the last compaction wrote (0 before one). */
  readonly stateBytes: number;
}

type DeleteSet = ReturnType<typeof Y.decodeUpdate>['ds'];

/**
 * 16 bytes of SHA-256 over a delete set written in one canonical way (clients in ascending order,
 * each one's ranges sorted and merged), so equal sets give equal bytes however they were split
 * across updates or compacted.
 */
export function deletesFingerprint(ds: DeleteSet): Uint8Array {
  const merged = Y.mergeDeleteSets([ds]);
  const encoder = encoding.createEncoder();
  const clients = [...merged.clients.keys()].sort((a, b) => a - b);
  for (const client of clients) {
    const ranges = merged.clients.get(client) ?? [];
    if (ranges.length === 0) continue;
    encoding.writeVarUint(encoder, client);
    encoding.writeVarUint(encoder, ranges.length);
    for (const range of ranges) {
      encoding.writeVarUint(encoder, range.clock);
      encoding.writeVarUint(encoder, range.len);
    }
  }
  // A plain Uint8Array (lib0 answers with a Buffer in Node), so it compares equal once stored.
  return Uint8Array.from(digest(encoding.toUint8Array(encoder)).subarray(0, 16));
}

/** A fingerprint that matches no delete set: what is held is not known (sync then diffs). */
export function unknownDeletes(): Uint8Array {
  return globalThis.crypto.getRandomValues(new Uint8Array(16));
}

/** A document nothing is stored of yet. */
export const EMPTY_META: LazyDocMeta = {
  vector: Y.encodeStateVector(new Map()),
  gaps: false,
  deletes: deletesFingerprint(Y.decodeUpdate(Y.mergeUpdates([])).ds),
  rows: 0,
  bytes: 0,
  stateBytes: 0,
};

/** Each client's changes in an update, when each is one run without a hole. */
export type ClientRuns = ReadonlyMap<number, { readonly from: number; readonly to: number }>;

/** What an update does to the metadata. */
export interface UpdateShape {
  /** Each client's run, or null when they cannot move the vector on by themselves. */
  readonly runs: ClientRuns | null;
  /** Whether it deletes anything (the fingerprint of deletions then changes). */
  readonly deletes: boolean;
}

export type DecodedUpdate =
  | ({ readonly ok: true; readonly empty: boolean } & UpdateShape)
  | { readonly ok: false; readonly detail: string };

/**
 * Decodes `update` (the check a stored row or a peer's update has to pass) and notes its shape:
 * runs are null when a client's changes have a hole, come out of order or come twice.
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
  const deletes = decoded.ds.clients.size > 0;
  const empty = decoded.structs.length === 0 && !deletes;
  return { ok: true, runs: contiguous ? runs : null, deletes, empty };
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

/** What the metadata says of a document whose rows merge into `merged`. */
export type MergedShape = Pick<LazyDocMeta, 'vector' | 'gaps' | 'deletes'>;

/** The vector, gaps and deletions of a document whose rows merge into `merged`. */
export function vectorOfMerged(merged: Uint8Array): MergedShape {
  const vector = Y.encodeStateVectorFromUpdate(merged);
  const held = Y.decodeStateVector(vector);
  const { to } = Y.parseUpdateMeta(merged);
  let gaps = false;
  for (const [client, end] of to) if (end > (held.get(client) ?? 0)) gaps = true;
  return { vector, gaps, deletes: deletesFingerprint(Y.decodeUpdate(merged).ds) };
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
    !(record.deletes instanceof Uint8Array) ||
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
