/**
 * Which notes changed since a stored snapshot of the document (a Yjs state vector and delete
 * set): what a stored search index, taken at that snapshot, must read again to be current.
 *
 * Everything written since holds a clock above the snapshot's state vector; everything deleted
 * since is in the document's delete set and not the snapshot's. Each such item is followed up its
 * parents to the note that holds it (the entry of the `notes` root it sits under), so the cost is
 * that of the changes, not of the workspace. A state vector alone would miss deletions: text
 * deleted from a body adds no clock.
 */
import * as Y from 'yjs';
import { ROOT } from './roots';

/** The snapshot a stored index reflects, as stored (Yjs's own snapshot encoding). */
export function notesIndexSnapshot(doc: Y.Doc): Uint8Array {
  return Y.encodeSnapshot(Y.snapshot(doc));
}

/** The note an item of `doc` belongs to (null: it is not inside a note, or cannot be told). */
function noteOf(struct: Y.Item | Y.GC | Y.Skip, notesRoot: Y.Map<unknown>): string | null {
  if (!(struct instanceof Y.Item)) return null;
  let item: Y.Item = struct;
  for (;;) {
    const parent = item.parent;
    if (!(parent instanceof Y.AbstractType)) return null;
    if (parent._item === null)
      return parent === notesRoot && typeof item.parentSub === 'string' ? item.parentSub : null;
    item = parent._item;
  }
}

function sameRanges(
  a: ReadonlyArray<{ clock: number; len: number }> | undefined,
  b: ReadonlyArray<{ clock: number; len: number }> | undefined,
): boolean {
  if (!a || !b) return a === b;
  return a.length === b.length && a.every((r, i) => r.clock === b[i]!.clock && r.len === b[i]!.len);
}

/** Whether clocks [from, to) were all deleted in `ranges` (sorted, merged: one range covers them). */
function covered(
  ranges: ReadonlyArray<{ clock: number; len: number }> | undefined,
  from: number,
  to: number,
): boolean {
  if (!ranges) return false;
  let low = 0;
  let high = ranges.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const range = ranges[middle]!;
    if (range.clock + range.len <= from) low = middle + 1;
    else if (range.clock > from) high = middle - 1;
    else return range.clock + range.len >= to;
  }
  return false;
}

export type ChangedSince =
  | { readonly kind: 'same' }
  | { readonly kind: 'changed'; readonly notes: ReadonlySet<string> }
  /** More changed than `limit` items: reading every note again costs about the same. */
  | { readonly kind: 'too-many' };

/**
 * The notes of `doc` changed since `stored` (from {@link notesIndexSnapshot}), looking at no more
 * than `limit` changed items. Throws when `stored` is not a snapshot.
 */
export function notesChangedSince(doc: Y.Doc, stored: Uint8Array, limit: number): ChangedSince {
  const then = Y.decodeSnapshot(stored);
  const now = Y.snapshot(doc);
  if (Y.equalSnapshots(then, now)) return { kind: 'same' };
  const notesRoot = doc.getMap(ROOT.notes);
  const changed = new Set<string>();
  let looked = 0;
  const note = (struct: Y.Item | Y.GC | Y.Skip): boolean => {
    if (++looked > limit) return false;
    const id = noteOf(struct, notesRoot);
    if (id !== null) changed.add(id);
    return true;
  };
  // A snapshot from another history (a newer clock than the document has) cannot be caught up.
  for (const [client, clock] of then.sv)
    if (Y.getState(doc.store, client) < clock) return { kind: 'too-many' };
  for (const [client, structs] of doc.store.clients) {
    const since = then.sv.get(client) ?? 0;
    if (Y.getState(doc.store, client) <= since) continue;
    for (let i = Y.findIndexSS(structs, since); i < structs.length; i++)
      if (!note(structs[i]!)) return { kind: 'too-many' };
  }
  for (const [client, ranges] of now.ds.clients) {
    if (sameRanges(ranges, then.ds.clients.get(client))) continue;
    const structs = doc.store.clients.get(client);
    if (!structs) continue;
    const before = then.ds.clients.get(client);
    for (const { clock, len } of ranges) {
      for (let i = Y.findIndexSS(structs, clock); i < structs.length; i++) {
        const struct = structs[i]!;
        if (struct.id.clock >= clock + len) break;
        // Deleted items merge with their neighbours: only the part inside this range counts.
        const from = Math.max(clock, struct.id.clock);
        const to = Math.min(clock + len, struct.id.clock + struct.length);
        if (!covered(before, from, to) && !note(struct)) return { kind: 'too-many' };
      }
    }
  }
  return { kind: 'changed', notes: changed };
}
