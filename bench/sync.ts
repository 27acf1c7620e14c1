/**
 * Sync over real WebRTC (@roamhq/wrtc) with the app's own provider and signaling server:
 * - sync.reconnect1k.ms / sync.reconnect10k.ms: two peers each make N offline edits, then go
 *   online; time until both hold the same state (connection set-up included). Baseline: the same
 *   diffs exchanged in memory with bare Yjs (state vector → diff → apply, both ways).
 * - sync.wire.ratio: data-channel bytes of that 10k reconnect divided by the size of the two Yjs
 *   diffs that had to cross (the physical minimum).
 * - sync.pending1k.ms: one peer sends 1,000 one-item updates whose first arrives last, through the
 *   provider's message handler; time until all are applied. Baseline: bare Yjs applying the same
 *   updates in the same order (its pending store re-merges them on every update).
 * - sync.mesh6.ratio: six peers, each with its own 50 offline notes, go online at once; time until
 *   all six hold all 300 notes. Baseline: six stock y-webrtc providers doing the same in the same
 *   run, interleaved (it was sync.mesh6.ms, with no baseline). The note adds when every pair had
 *   connected, on both sides.
 *
 * WebRTC needs an interface with a default route: run as root and the suite re-runs itself in a
 * private network namespace (../shared/docs/TESTING.md); otherwise it reports why it was skipped.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { WebSocket } from 'ws';
import * as Y from 'yjs';
import { Awareness } from 'y-protocols/awareness';
import type { WebrtcProvider } from 'y-webrtc';
import { notes } from '../shared/model';
import { createWorkspaceSecrets, deriveSignalingPassword } from '../shared/protocol/keys';
import { deriveRoomName } from '../shared/protocol/roomEpoch';
import { PeerEndpoint, PeerSync, type WebSocketConstructor } from '../renderer/sync/peer/peerSync';
import * as syncProtocol from 'y-protocols/sync';
import * as encoding from 'lib0/encoding';
import { startSignalingServer } from '../electron/main/signaling/server';
import { median, type BenchResult } from './report';
import { insideNamespace, printResults, runInNamespace } from './namespace';

const RUNS = 3;
/** More runs for the mesh: its two sides are close and each run is short. */
const MESH_RUNS = 9;
const ctx = { actor: 'bench-member' };

interface Peer {
  doc: Y.Doc;
  sync: PeerSync;
}

async function makePeers(count: number, signaling: string): Promise<Peer[]> {
  const wrtc: unknown = createRequire(import.meta.url)('@roamhq/wrtc');
  const { secretKey } = createWorkspaceSecrets();
  const roomName = await deriveRoomName(secretKey);
  const password = await deriveSignalingPassword(secretKey);
  return Array.from({ length: count }, () => {
    const doc = new Y.Doc();
    const sync = new PeerSync({
      doc,
      awareness: new Awareness(doc),
      roomName,
      password,
      signaling: [signaling],
      iceServers: [],
      wrtc,
      WebSocket: WebSocket as unknown as WebSocketConstructor,
    });
    sync.disconnect();
    return { doc, sync };
  });
}

function converged(docs: readonly Y.Doc[]): boolean {
  const first = Buffer.from(Y.encodeStateVector(docs[0]!)).toString('base64');
  return docs.every((doc) => Buffer.from(Y.encodeStateVector(doc)).toString('base64') === first);
}

async function until(check: () => boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('peers did not converge in time');
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

/** N offline edits on one side: renames over a few notes and short text inserts. */
function offlineEdits(doc: Y.Doc, count: number, tag: string): void {
  const ids: string[] = [];
  for (let i = 0; i < 20; i++) {
    const created = notes.create(doc, ctx, { title: `${tag} ${i}` });
    if (created.ok) ids.push(created.value.id);
  }
  for (let i = 0; i < count - 20; i++) {
    const result = notes.update(doc, ctx, ids[i % ids.length]!, { title: `${tag} edit ${i}` });
    if (!result.ok) throw new Error(result.error.message);
  }
}

function bareExchange(a: Y.Doc, b: Y.Doc): number {
  const started = performance.now();
  const toB = Y.encodeStateAsUpdate(a, Y.encodeStateVector(b));
  const toA = Y.encodeStateAsUpdate(b, Y.encodeStateVector(a));
  Y.applyUpdate(b, toB);
  Y.applyUpdate(a, toA);
  return performance.now() - started;
}

async function reconnect(
  signaling: string,
  edits: number,
): Promise<{ ms: number; baselineMs: number; wire: number; diff: number }> {
  const [a, b] = await makePeers(2, signaling);
  offlineEdits(a!.doc, edits, 'A');
  offlineEdits(b!.doc, edits, 'B');
  const diff =
    Y.encodeStateAsUpdate(a!.doc, Y.encodeStateVector(b!.doc)).length +
    Y.encodeStateAsUpdate(b!.doc, Y.encodeStateVector(a!.doc)).length;
  // Baseline on copies, so the peers still have everything to exchange.
  const copyA = new Y.Doc();
  const copyB = new Y.Doc();
  Y.applyUpdate(copyA, Y.encodeStateAsUpdate(a!.doc));
  Y.applyUpdate(copyB, Y.encodeStateAsUpdate(b!.doc));
  const baselineMs = bareExchange(copyA, copyB);
  const wireBefore = a!.sync.wireStats().bytesOut + b!.sync.wireStats().bytesOut;
  const started = performance.now();
  a!.sync.connect();
  b!.sync.connect();
  await until(() => converged([a!.doc, b!.doc]));
  const ms = performance.now() - started;
  await new Promise((resolve) => setTimeout(resolve, 200)); // let replies drain before counting
  const wire = a!.sync.wireStats().bytesOut + b!.sync.wireStats().bytesOut - wireBefore;
  for (const peer of [a!, b!]) peer.sync.destroy();
  return { ms, baselineMs, wire, diff };
}

/** One mesh run: until every peer holds every note, and until every pair was connected. */
interface MeshRun {
  ms: number;
  /** Until every peer had a working connection to every other (null: converged before that). */
  allConnectedMs: number | null;
}

/** Waits until the docs converge, noting when `allConnected` first held. */
async function meshConverged(
  docs: readonly Y.Doc[],
  allConnected: () => boolean,
  started: number,
): Promise<MeshRun> {
  let allConnectedMs: number | null = null;
  await until(() => {
    if (allConnectedMs === null && allConnected()) allConnectedMs = performance.now() - started;
    return converged(docs);
  });
  return { ms: performance.now() - started, allConnectedMs };
}

async function mesh(signaling: string, size: number): Promise<MeshRun> {
  const peers = await makePeers(size, signaling);
  peers.forEach((peer, index) => offlineEdits(peer.doc, 50, `P${index}`));
  // As for the stock peers below: the key is derived when a workspace opens, not when it goes
  // online, so it is not part of what is timed.
  await Promise.all(peers.map((peer) => peer.sync.keyReady));
  const started = performance.now();
  for (const peer of peers) peer.sync.connect();
  const run = await meshConverged(
    peers.map((peer) => peer.doc),
    () =>
      peers.every(
        (peer) =>
          peer.sync.status().peers.filter((info) => info.state !== 'connecting').length ===
          size - 1,
      ),
    started,
  );
  for (const peer of peers) peer.sync.destroy();
  return run;
}

/** A peer whose replies go nowhere: the pending bench drives only what arrives. */
class SilentPeer extends PeerEndpoint {
  override send(): void {}
  override destroy(): void {
    this.closed = true;
  }
}

/** 1,000 updates with the first last: provider ms and bare-Yjs ms. */
async function pendingUpdates(count: number): Promise<{ ms: number; baselineMs: number }> {
  const author = new Y.Doc();
  const updates: Uint8Array[] = [];
  author.on('update', (update: Uint8Array) => updates.push(update));
  for (let i = 0; i < count; i++) author.getArray<number>('list').push([i]);
  const order = [...updates.slice(1), updates[0]!];

  const bare = new Y.Doc();
  let started = performance.now();
  for (const update of order) Y.applyUpdate(bare, update);
  const baselineMs = performance.now() - started;

  const doc = new Y.Doc();
  const sync = new PeerSync({
    doc,
    awareness: new Awareness(doc),
    roomName: 'bench-pending',
    password: 'bench-pending',
    signaling: [],
    WebSocket: WebSocket as unknown as WebSocketConstructor,
  });
  const peer = new SilentPeer('bench-peer');
  peer.state = 'connected';
  const messages = order.map((update) => {
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, 0);
    syncProtocol.writeUpdate(encoder, update);
    return encoding.toUint8Array(encoder);
  });
  started = performance.now();
  for (const message of messages) sync.onPeerData(peer, message);
  await until(() => doc.getArray('list').length === count);
  const ms = performance.now() - started;
  sync.destroy();
  return { ms, baselineMs };
}

const Y_WEBRTC = pathToFileURL(
  path.resolve(
    path.dirname(fileURLToPath(import.meta.url)),
    '../node_modules/y-webrtc/src/y-webrtc.js',
  ),
).href;
let stockInstances = 0;

/**
 * The baseline for the mesh: stock y-webrtc's WebrtcProvider doing the same. y-webrtc allows one
 * provider per room in a module instance (a second throws), so each peer loads its own instance of
 * the unchanged module, as each would in its own app; they share yjs, as the app's peers do.
 * y-webrtc also meets same-browser tabs through lib0's broadcast channel, which in one process
 * would join every provider without WebRTC (its subscribers are module-wide). Peers on six
 * machines never meet that way, so each room's channel subscriber is set to ignore messages
 * before connecting, and the run checks that no peer was joined through it.
 */
async function stockMesh(signaling: string, size: number): Promise<MeshRun> {
  (globalThis as { WebSocket?: unknown }).WebSocket ??= WebSocket;
  const wrtc: unknown = createRequire(import.meta.url)('@roamhq/wrtc');
  const { secretKey } = createWorkspaceSecrets();
  const roomName = await deriveRoomName(secretKey);
  const password = await deriveSignalingPassword(secretKey);
  const peers: Array<{ doc: Y.Doc; provider: WebrtcProvider }> = [];
  for (let index = 0; index < size; index++) {
    const stock = (await import(`${Y_WEBRTC}?peer=${stockInstances++}`)) as {
      WebrtcProvider: typeof WebrtcProvider;
    };
    const doc = new Y.Doc();
    const provider = new stock.WebrtcProvider(roomName, doc, {
      signaling: [signaling],
      password,
      peerOpts: { wrtc, config: { iceServers: [] } },
    });
    provider.disconnect();
    peers.push({ doc, provider });
  }
  peers.forEach((peer, index) => offlineEdits(peer.doc, 50, `S${index}`));
  await Promise.all(peers.map((peer) => peer.provider.key));
  for (const peer of peers) {
    const room = peer.provider.room as unknown as { _bcSubscriber: (data: ArrayBuffer) => void };
    room._bcSubscriber = () => {};
  }
  const started = performance.now();
  for (const peer of peers) peer.provider.connect();
  const run = await meshConverged(
    peers.map((peer) => peer.doc),
    () =>
      peers.every(
        (peer) =>
          [...(peer.provider.room?.webrtcConns.values() ?? [])].filter((conn) => conn.connected)
            .length ===
          size - 1,
      ),
    started,
  );
  const overBroadcast = peers.some((peer) => (peer.provider.room?.bcConns.size ?? 0) > 0);
  // destroy() alone leaves the provider's signaling connection open (y-webrtc closes it only on
  // disconnect()); an app closing a workspace disconnects first, and so do these peers, or each
  // run would leave six sockets on the server and soon meet its per-address cap.
  for (const peer of peers) {
    peer.provider.disconnect();
    peer.provider.destroy();
  }
  if (overBroadcast) throw new Error('stock y-webrtc peers met over BroadcastChannel, not WebRTC');
  return run;
}

/** Runs one mesh; if it fails, says what the signaling server saw (a refusal explains most). */
async function withServerState<T>(
  server: Awaited<ReturnType<typeof startSignalingServer>>,
  run: () => Promise<T>,
): Promise<T> {
  try {
    return await run();
  } catch (error) {
    const { connections, rejectedConnections } = server.stats();
    throw new Error(
      `${(error as Error).message} (signaling server: ${connections} open, ${rejectedConnections} refused)`,
      { cause: error },
    );
  }
}

async function runInside(): Promise<BenchResult[]> {
  const server = await startSignalingServer({ host: '127.0.0.1', port: 0 });
  try {
    const results: BenchResult[] = [];
    let wireRatio = 0;
    for (const edits of [1_000, 10_000]) {
      const runs = [];
      for (let run = 0; run < RUNS; run++) runs.push(await reconnect(server.url, edits));
      const ms = median(runs.map((r) => r.ms));
      const baseline = median(runs.map((r) => r.baselineMs));
      results.push({
        id: `sync.reconnect${edits / 1000}k.ms`,
        value: ms,
        unit: 'ms',
        baseline,
        ratio: ms / baseline,
        ...(edits === 10_000 ? { target: '< 1000 ms' } : {}),
        note: `${edits} offline edits per side, then converge over WebRTC (baseline: in-memory Yjs exchange)`,
      });
      if (edits === 10_000) wireRatio = median(runs.map((r) => r.wire / r.diff));
    }
    results.push({
      id: 'sync.wire.ratio',
      value: wireRatio,
      unit: '×',
      target: '≤ 1.5',
      note: 'data-channel bytes of the 10k reconnect ÷ size of the Yjs diffs that had to cross',
    });
    const meshRuns: MeshRun[] = [];
    const stockRuns: MeshRun[] = [];
    for (let run = 0; run < MESH_RUNS; run++) {
      // Interleaved, and which goes first alternates.
      const ours = () => withServerState(server, () => mesh(server.url, 6));
      const stock = () => withServerState(server, () => stockMesh(server.url, 6));
      if (run % 2 === 0) {
        meshRuns.push(await ours());
        stockRuns.push(await stock());
      } else {
        stockRuns.push(await stock());
        meshRuns.push(await ours());
      }
    }
    const meshMs = median(meshRuns.map((run) => run.ms));
    const stockMs = median(stockRuns.map((run) => run.ms));
    // When every pair had connected, for the note: with y-webrtc relaying every update it applies
    // to all its peers, a stock mesh can hold everything before its last pair connects; Outpost
    // peers do not forward (docs/PROTOCOL.md §5.4), so the last pair to connect syncs itself.
    const connectedAt = (runs: MeshRun[]) => {
      const seen = runs.flatMap((run) => (run.allConnectedMs === null ? [] : [run.allConnectedMs]));
      const before = runs.length - seen.length;
      return `${seen.length > 0 ? `${median(seen).toFixed(0)} ms` : '–'}${before > 0 ? `, converged before that in ${before} of ${runs.length}` : ''}`;
    };
    results.push({
      id: 'sync.mesh6.ratio',
      value: meshMs,
      unit: 'ms',
      baseline: stockMs,
      ratio: meshMs / stockMs,
      target: '≤ 1.0',
      note: `6 peers in one process, each with its own 50 offline notes, go online at once (signaling key already derived); until all hold the same state (all 300); baseline stock y-webrtc WebrtcProvider peers (same password, signaling server, iceServers []) doing the same; medians of ${MESH_RUNS} interleaved runs; every pair connected after: Outpost ${connectedAt(meshRuns)}, stock ${connectedAt(stockRuns)}`,
    });
    const pendingRuns = [];
    for (let run = 0; run < RUNS; run++) pendingRuns.push(await pendingUpdates(1_000));
    const pendingMs = median(pendingRuns.map((r) => r.ms));
    const pendingBaseline = median(pendingRuns.map((r) => r.baselineMs));
    results.push({
      id: 'sync.pending1k.ms',
      value: pendingMs,
      unit: 'ms',
      baseline: pendingBaseline,
      ratio: pendingMs / pendingBaseline,
      note: "1,000 updates whose first arrives last, until applied (baseline: bare Yjs's pending store)",
    });
    return results;
  } finally {
    await server.close();
  }
}

const SELF = fileURLToPath(import.meta.url);

/** Runs the suite in a private network namespace (root), or explains why it cannot. */
export async function benchSync(): Promise<BenchResult[]> {
  if (insideNamespace()) return runInside();
  const run = runInNamespace({ tag: 'bench', script: SELF, timeoutMs: 10 * 60_000 });
  if (run.ok) return run.results;
  if (run.unavailable) {
    console.warn(`sync bench skipped: ${run.why}.`);
    return [];
  }
  // No second attempt: a crash (the native WebRTC module has segfaulted a run, once) is a
  // failure to find, not to paper over; bench/run.ts reports it and prints the other suites.
  console.warn(`sync bench: ${run.why}`);
  throw new Error('sync bench failed; see the messages above');
}

if (insideNamespace() && process.argv[1] === SELF) await printResults(runInside);
