/**
 * Receiving a large state from a stock y-webrtc peer, in pieces.
 *
 * A stock y-webrtc client answers a state vector with one message,
 * `Y.encodeStateAsUpdate(doc, stateVector)`: for every client whose clock is ahead of the state
 * vector (or absent from it), all its changes from that clock on, plus the whole delete set. It
 * cannot chunk, and the WebRTC stacks it runs on refuse to send a message over 256 KiB (both
 * Chromium and @roamhq/wrtc advertise and enforce `a=max-message-size:262144` as senders; measured
 * here): Chromium's `send` throws, which y-webrtc ignores, so the answer is silently lost;
 * @roamhq/wrtc closes the data channel. A fresh Outpost peer asking such a peer for everything
 * therefore got nothing, ever.
 *
 * Outpost learns the peer's state vector from the peer's own first message (its state vector) and
 * asks instead with state vectors that claim "I have everything you have" for all clients except a
 * few, so each answer carries only those clients' changes. Requests go one at a time, small gaps
 * first, grouped while their clock gaps stay under {@link CLOCKS_PER_REQUEST} (a clock is one
 * character or one value, so this estimates the size; it is not a bound). Each request is followed
 * by a probe (a state vector claiming everything we know of), which the peer answers after the request
 * because it handles messages in order: a probe answer arriving first means the request's answer
 * was lost. A request whose answer is lost, or whose connection closes before it is answered, is
 * split into one request per client; a single client that fails twice cannot be received from this
 * peer (one author's changes over what the peer can send at once) and is reported, not retried.
 */
import type { UpdateMeta } from './pendingUpdates';
import { covers, raise, type StateVector } from './stateVectors';

/** Largest message Chromium and @roamhq/wrtc send on a data channel (`a=max-message-size`). */
export const STOCK_MAX_MESSAGE_BYTES = 256 * 1024;
/** Clock gaps grouped into one request. */
export const CLOCKS_PER_REQUEST = 32 * 1024;
/** Failures of a one-client request before that client is given up on for this peer. */
const FAILURES_BEFORE_GIVING_UP = 2;
/** Peers remembered (the failures seen per peer id survive its reconnecting). */
const REMEMBERED_PEERS = 64;

/** What failed when asking one peer (by its signaling peer id), across its connections. */
interface PeerMemory {
  /** Clients to ask for one at a time. */
  readonly alone: Set<number>;
  readonly failures: Map<number, number>;
  /** Clients this peer cannot send us. */
  readonly unreceivable: Set<number>;
  /** The request in flight; still set when the connection closes before its answer. */
  outstanding: readonly number[] | null;
}

export class PieceFetchMemory {
  private readonly peers = new Map<string, PeerMemory>();

  of(peerId: string): PeerMemory {
    let memory = this.peers.get(peerId);
    if (!memory) {
      memory = {
        alone: new Set(),
        failures: new Map(),
        unreceivable: new Set(),
        outstanding: null,
      };
      this.peers.set(peerId, memory);
      if (this.peers.size > REMEMBERED_PEERS) {
        const oldest = this.peers.keys().next().value as string;
        this.peers.delete(oldest);
      }
    }
    return memory;
  }

  /** A request to this peer went unanswered: ask for its clients one by one, then give up. */
  failed(peerId: string, clients: readonly number[]): void {
    const memory = this.of(peerId);
    memory.outstanding = null;
    if (clients.length > 1) {
      for (const client of clients) memory.alone.add(client);
      return;
    }
    const client = clients[0];
    if (client === undefined) return;
    const failures = (memory.failures.get(client) ?? 0) + 1;
    memory.failures.set(client, failures);
    if (failures >= FAILURES_BEFORE_GIVING_UP) memory.unreceivable.add(client);
  }
}

/**
 * Groups the clients `theirs` is ahead of `ours` on into requests: smallest gaps first, each
 * request under {@link CLOCKS_PER_REQUEST} clocks unless it is a single client, clients in
 * `alone` by themselves, clients in `skip` not at all.
 */
export function planPieces(
  ours: StateVector,
  theirs: StateVector,
  alone: ReadonlySet<number>,
  skip: ReadonlySet<number>,
  clocksPerRequest = CLOCKS_PER_REQUEST,
): number[][] {
  const gaps: Array<[client: number, gap: number]> = [];
  for (const [client, clock] of theirs) {
    const gap = clock - (ours.get(client) ?? 0);
    if (gap > 0 && !skip.has(client)) gaps.push([client, gap]);
  }
  gaps.sort((a, b) => a[1] - b[1] || a[0] - b[0]);
  const requests: number[][] = [];
  let current: number[] = [];
  let clocks = 0;
  for (const [client, gap] of gaps) {
    if (alone.has(client)) {
      requests.push([client]);
      continue;
    }
    if (current.length > 0 && clocks + gap > clocksPerRequest) {
      requests.push(current);
      current = [];
      clocks = 0;
    }
    current.push(client);
    clocks += gap;
  }
  if (current.length > 0) requests.push(current);
  return requests;
}

/**
 * The state vector asking for `clients`' changes from our clocks on and nothing else: for every
 * other client, the higher of the peer's known clock and ours. Ours matters: the peer may have
 * received our own changes since it told us its state vector, and a request leaving them out
 * would bring them back on top of the piece (and past what the peer can send).
 */
export function pieceStateVector(
  clients: readonly number[],
  ours: StateVector,
  theirs: StateVector,
): Map<number, number> {
  const stateVector = new Map(theirs);
  raise(stateVector, ours);
  for (const client of clients) stateVector.set(client, ours.get(client) ?? 0);
  return stateVector;
}

export interface PieceRequest {
  readonly clients: readonly number[];
  /** Our clocks for `clients` when asked: the answer starts exactly there. */
  readonly from: ReadonlyMap<number, number>;
  /** Waiting for the request's answer, then for the probe's. */
  awaiting: 'answer' | 'probe';
}

/** True when an update is the answer to `request` (it starts one of its clients where we asked). */
export function answersRequest(meta: UpdateMeta, request: PieceRequest): boolean {
  return request.clients.some((client) => meta.from.get(client) === request.from.get(client));
}

/** One connection's fetch in pieces: the requests left in this round and the one in flight. */
export class PieceFetch {
  private queue: number[][] = [];
  private roundStart: Map<number, number> | null = null;
  request: PieceRequest | null = null;

  constructor(
    readonly peerId: string,
    private readonly memory: PieceFetchMemory,
  ) {
    // A request still in flight when this peer's previous connection closed was too large for
    // it (@roamhq/wrtc closes the channel rather than send it).
    const previous = memory.of(peerId).outstanding;
    if (previous) memory.failed(peerId, previous);
  }

  get active(): boolean {
    return this.request !== null || this.roundStart !== null;
  }

  /** Clients this peer cannot send us. */
  get unreceivable(): ReadonlySet<number> {
    return this.memory.of(this.peerId).unreceivable;
  }

  /** Starts a round of requests unless one is under way; returns the first request, if any. */
  start(ours: StateVector, theirs: StateVector): PieceRequest | null {
    if (this.active) return null;
    return this.nextRound(ours, theirs);
  }

  /**
   * A reply (sync step 2) arrived; `meta` describes its update. `next` means the request in
   * flight is over: ask {@link next} once the reply is applied.
   */
  onReply(meta: UpdateMeta): 'wait' | 'next' {
    const request = this.request;
    if (!request) return 'wait';
    if (request.awaiting === 'answer') {
      if (answersRequest(meta, request)) {
        request.awaiting = 'probe';
        return 'wait';
      }
      // The probe's answer came first: the request's answer was never sent.
      this.memory.failed(this.peerId, request.clients);
      this.request = null;
      return 'next';
    }
    this.memory.of(this.peerId).outstanding = null;
    this.request = null;
    return 'next';
  }

  /** The next request after a reply was applied (`ours` is the document's state vector now). */
  next(ours: StateVector, theirs: StateVector): PieceRequest | null {
    if (this.request) return null;
    const memory = this.memory.of(this.peerId);
    while (this.queue.length > 0) {
      const clients = this.queue
        .shift()!
        .filter(
          (client) =>
            !memory.unreceivable.has(client) && (theirs.get(client) ?? 0) > (ours.get(client) ?? 0),
        );
      if (clients.length === 0) continue;
      return this.ask(clients, ours);
    }
    // Round over. Another round only if this one brought something (changes of one client can
    // need another's first), so a gap nobody can fill does not loop.
    const progressed = this.roundStart !== null && !covers(this.roundStart, ours);
    this.roundStart = null;
    return progressed ? this.nextRound(ours, theirs) : null;
  }

  private nextRound(ours: StateVector, theirs: StateVector): PieceRequest | null {
    const memory = this.memory.of(this.peerId);
    this.queue = planPieces(ours, theirs, memory.alone, memory.unreceivable);
    if (this.queue.length === 0) return null;
    this.roundStart = new Map(ours);
    return this.next(ours, theirs);
  }

  private ask(clients: number[], ours: StateVector): PieceRequest {
    const from = new Map(clients.map((client) => [client, ours.get(client) ?? 0] as const));
    this.request = { clients, from, awaiting: 'answer' };
    this.memory.of(this.peerId).outstanding = clients;
    return this.request;
  }
}
