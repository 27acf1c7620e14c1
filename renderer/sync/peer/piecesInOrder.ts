/**
 * What an Outpost peer lacks, as updates of bounded size that it can apply one by one as they
 * arrive.
 *
 * Answering a state vector with one `Y.encodeStateAsUpdate` made a fresh peer hold the whole
 * workspace before applying any of it: 115 MiB for 100,000 notes, past the 64 MiB a peer may make
 * us hold (inboundBudget.ts), so the joiner dropped the holder. Splitting by client
 * (pieceAnswer.ts) does not help there: one device may have written all of it, and Yjs can only
 * say "all of a client's changes from a clock on".
 *
 * So the pieces are cut out of the document's struct store: each carries, per client, a run of
 * structs between two clocks, written with Yjs's own struct writers (`Item.write`, `GC.write`)
 * into the update layout `Y.encodeStateAsUpdate` uses (v1). Structs are taken in an order in
 * which everything a struct builds on (its left and right origins, or its parent when it has
 * neither; its own client's earlier changes) is in the same piece or an earlier one, the order in
 * which Yjs could have integrated them. A piece therefore never leaves structs waiting in the
 * receiver's Yjs (`doc.store.pendingStructs`, which merges and retries on every later update),
 * nor in its own buffer for updates whose dependencies are missing (pendingUpdates.ts): each
 * piece continues every client exactly where the previous ones stopped.
 *
 * The deletions go last, as one update with no structs and the whole delete set
 * (`Y.encodeStateAsUpdate` with our own state vector), once every struct they name is there. A
 * struct is never split at a piece's end (Yjs writes a struct from an offset to its end only),
 * so a piece reaches its size with its last struct: it is at most that size plus one struct.
 * Sizes are measured as the bytes are written, not estimated.
 */
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import { encodeStateVector, missingClocks, stateVectorOf, type StateVector } from './stateVectors';

export interface Piece {
  /** A Yjs update (v1). */
  readonly update: Uint8Array;
  /** What a peer that held the state vector we answered holds once it applied this piece and those before. */
  readonly reaches: StateVector;
  /** The answer's last piece. */
  readonly last: boolean;
}

/** One client's structs in the piece being written, from `from` on. */
interface Run {
  readonly from: number;
  readonly encoder: Y.UpdateEncoderV1;
  count: number;
}

/** A clock some client must reach before a struct can go: what is on the stack below. */
interface Need {
  readonly client: number;
  /** The clock that must be sent (so the client's clock must pass it). */
  readonly clock: number;
}

/**
 * The updates that together bring a peer holding `theirs` to what `doc` holds now, in an order
 * in which each applies fully on arrival. Lazy: each piece is written when asked for, so the
 * whole answer is never in memory at once; the document may change in between (what changes
 * later reaches the peer as live updates).
 */
export function* piecesInOrder(
  doc: Y.Doc,
  theirs: StateVector,
  pieceBytes: number,
): Generator<Piece, void, undefined> {
  const target = stateVectorOf(doc);
  // Small enough to measure whole (a clock is at least a byte): one answer, as before.
  if (missingClocks(theirs, target) <= pieceBytes) {
    const whole = Y.encodeStateAsUpdate(doc, encodeStateVector(theirs));
    if (whole.length <= pieceBytes) {
      yield { update: whole, reaches: target, last: true };
      return;
    }
  }
  const reached = new Map(theirs);
  let runs = new Map<number, Run>();
  let bytes = 0;
  const clients = [...target.keys()]
    .filter((client) => (reached.get(client) ?? 0) < target.get(client)!)
    .sort((a, b) => b - a);
  for (const client of clients) {
    const stack: Need[] = [{ client, clock: target.get(client)! - 1 }];
    /** Clients with a need on the stack: needing one of them again would be a cycle. */
    const stacked = new Set<number>([client]);
    while (stack.length > 0) {
      const need = stack.at(-1)!;
      const clock = reached.get(need.client) ?? 0;
      const structs = doc.store.clients.get(need.client);
      const end = structs?.at(-1) ? structs.at(-1)!.id.clock + structs.at(-1)!.length : 0;
      if (clock > need.clock || clock >= end) {
        // Done, or beyond what we hold (never in a document Yjs integrated: nothing to wait for).
        stack.pop();
        stacked.delete(need.client);
        continue;
      }
      const struct = structs![Y.findIndexSS(structs!, clock)]!;
      const offset = clock - struct.id.clock;
      const missing = missingDependency(struct, offset, reached);
      // Needing a client already on the stack would be a cycle, and needing a change we do not
      // hold could not be met: neither happens in a document Yjs integrated, and either would
      // loop, so the struct goes as it is (the peer's Yjs then waits for the rest).
      if (
        missing &&
        !stacked.has(missing.client) &&
        missing.clock < Y.getState(doc.store, missing.client)
      ) {
        stack.push(missing);
        stacked.add(missing.client);
        continue;
      }
      let run = runs.get(need.client);
      if (!run) {
        run = { from: clock, encoder: new Y.UpdateEncoderV1(), count: 0 };
        runs.set(need.client, run);
      }
      const before = encoding.length(run.encoder.restEncoder);
      struct.write(run.encoder, offset);
      run.count++;
      bytes += encoding.length(run.encoder.restEncoder) - before;
      reached.set(need.client, struct.id.clock + struct.length);
      if (bytes >= pieceBytes) {
        yield { update: encodeRuns(runs), reaches: new Map(reached), last: false };
        runs = new Map();
        bytes = 0;
      }
    }
  }
  if (runs.size > 0) yield { update: encodeRuns(runs), reaches: new Map(reached), last: false };
  // No structs (our whole state vector), the delete set, and anything Yjs holds pending here.
  yield {
    update: Y.encodeStateAsUpdate(doc, Y.encodeStateVector(doc)),
    reaches: reached,
    last: true,
  };
}

/**
 * A change of another client that `struct` (written from `offset`) builds on and that the peer
 * will not hold by the time it reads it, as Yjs's `Item.getMissing` asks on the receiving side.
 */
function missingDependency(
  struct: Y.Item | Y.GC,
  offset: number,
  reached: StateVector,
): Need | null {
  if (!(struct instanceof Y.Item)) return null;
  const client = struct.id.client;
  // From an offset, the left origin is the struct's own previous clock.
  const origin = offset > 0 ? null : struct.origin;
  const rightOrigin = struct.rightOrigin;
  for (const id of [origin, rightOrigin])
    if (id && id.client !== client && id.clock >= (reached.get(id.client) ?? 0))
      return { client: id.client, clock: id.clock };
  // Without origins, the parent is written (an item of a nested type, or a root type's name).
  if (origin === null && rightOrigin === null) {
    const parent = struct.parent;
    const id = parent instanceof Y.ID ? parent : (parent?._item?.id ?? null);
    if (id && id.client !== client && id.clock >= (reached.get(id.client) ?? 0))
      return { client: id.client, clock: id.clock };
  }
  return null;
}

/** The runs as one update in `Y.encodeStateAsUpdate`'s layout (v1), with an empty delete set. */
function encodeRuns(runs: ReadonlyMap<number, Run>): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, runs.size);
  // Higher client ids first, as Yjs writes them.
  for (const [client, run] of [...runs].sort((a, b) => b[0] - a[0])) {
    encoding.writeVarUint(encoder, run.count);
    encoding.writeVarUint(encoder, client);
    encoding.writeVarUint(encoder, run.from);
    encoding.writeUint8Array(encoder, run.encoder.toUint8Array());
  }
  encoding.writeVarUint(encoder, 0);
  return encoding.toUint8Array(encoder);
}
