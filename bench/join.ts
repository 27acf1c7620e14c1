/**
 * scale.join<size>.titles.ms (part of `npm run bench -- scale`): a fresh device joins a workspace
 * of the scale corpus (bench/scaleCorpus.ts) over real WebRTC (@roamhq/wrtc), through the app's
 * signaling server, with the app's own provider (PeerSync) on both sides, until its notes list
 * holds every note's title (scale.join<size>.titles.ms), then until it holds every note's body
 * (scale.join<size>.bodies.ms). Both peers hold the workspace as the app stores it (schema 2,
 * docs/PROTOCOL.md §1.4.2): the lean root, exchanged first as sync step 2 pieces paced by have
 * messages (renderer/sync/peer/answerStream.ts), and each body a document of its own, exchanged
 * after it in batches (PROTOCOL §5.4 "Lazy documents"), held in memory on both sides (the in-memory
 * store the sync tests use, test/sync/memoryLazyDocs.ts: Node has no IndexedDB).
 *
 * The holder runs in a process of its own, as it would on its own device (two copies of a
 * 100,000-note document also do not fit one Node heap); the joiner, the signaling server and the
 * baseline run in the other. Both are in a private network namespace (namespace.ts). A join that
 * does not finish (a peer dropped for a limit, a timeout) is a result too: its note says what
 * stopped it, in the peers' own log lines.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { WebSocket } from 'ws';
import * as Y from 'yjs';
import { Awareness } from 'y-protocols/awareness';
import { createNotesLive } from '../shared/model/notesLive';
import { MemoryLazyDocs } from '../test/sync/memoryLazyDocs';
import type { LazyDocs } from '../renderer/sync/peer/lazyDocs';
import { NoteSearchIndex } from '../shared/model/notesSearch';
import { ROOT } from '../shared/model/roots';
import { createWorkspaceSecrets, deriveSignalingPassword } from '../shared/protocol/keys';
import { deriveRoomName } from '../shared/protocol/roomEpoch';
import { PeerSync, type WebSocketConstructor } from '../renderer/sync/peer/peerSync';
import { startSignalingServer } from '../electron/main/signaling/server';
import { insideNamespace, printResults, runInNamespace } from './namespace';
import { loadAverage, median, type BenchResult } from './report';
import { scaleCorpus, scaleCut, sizeLabel as label } from './scaleCorpus';
import { countSeedBodies, readSeedBodies } from './seedBodies';

/** One join per size at 100,000 notes (minutes each under load); a median of three below. */
const RUNS = (size: number) => (size >= 100_000 ? 1 : 3);
/** A join not done by then is reported as not done. */
const JOIN_TIMEOUT_MS = 5 * 60_000;
/** Loading the corpus, the baseline and the holder's copy, on top of the joins. */
const SETUP_MS = 4 * 60_000;
const POLL_MS = 5;
/** What the measuring process tells the holder process it starts. */
const ENV = {
  size: 'OUTPOST_JOIN_SIZE',
  holder: 'OUTPOST_JOIN_HOLDER',
  signaling: 'OUTPOST_JOIN_SIGNALING',
  room: 'OUTPOST_JOIN_ROOM',
  password: 'OUTPOST_JOIN_PASSWORD',
} as const;
/** The holder's stdout: `ready` once online, then its provider's log lines after `log `. */
const READY = 'ready';
const LOG = 'log ';

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

interface Room {
  readonly roomName: string;
  readonly password: string;
}

function peerOf(
  doc: Y.Doc,
  lazyDocs: LazyDocs,
  room: Room,
  signaling: string,
  log: (line: string) => void,
) {
  return new PeerSync({
    doc,
    lazyDocs,
    awareness: new Awareness(doc),
    ...room,
    signaling: [signaling],
    iceServers: [],
    wrtc: createRequire(import.meta.url)('@roamhq/wrtc'),
    WebSocket: WebSocket as unknown as WebSocketConstructor,
    log,
  });
}

/** What happened to one join: how long it took, or why it did not finish. */
type Join = { readonly ms: number } | { readonly failed: string; readonly afterMs: number };

/** Polls `done` until it holds, `failure` names a reason or `timeoutMs` passes. */
async function waitFor(
  done: () => boolean,
  failure: () => string | null,
  timeoutMs = JOIN_TIMEOUT_MS,
): Promise<Join> {
  const started = performance.now();
  for (;;) {
    if (done()) return { ms: performance.now() - started };
    const reason = failure();
    const afterMs = performance.now() - started;
    if (reason) return { failed: reason, afterMs };
    if (afterMs > timeoutMs) return { failed: `not done after ${seconds(timeoutMs)}`, afterMs };
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** The holder process's main: the workspace in a doc, online, until it is killed. */
async function hold(): Promise<void> {
  const { root, bodies } = await scaleCut(Number(process.env[ENV.size]));
  const doc = new Y.Doc();
  Y.applyUpdate(doc, root);
  const lazy = new MemoryLazyDocs();
  for (const [id, update] of readSeedBodies(bodies)) lazy.docs.set(id, update);
  const room = { roomName: process.env[ENV.room]!, password: process.env[ENV.password]! };
  const say = (line: string) => process.stdout.write(`${line.replaceAll('\n', ' ')}\n`);
  const sync = peerOf(doc, lazy, room, process.env[ENV.signaling]!, (line) => say(`${LOG}${line}`));
  await sync.keyReady;
  const online = await waitFor(
    () => sync.status().signaling.some((server) => server.state === 'open'),
    () => null,
  );
  if ('failed' in online) throw new Error(`the holder never reached ${process.env[ENV.signaling]}`);
  say(READY);
}

interface Holder {
  /** Settles once the holder is online. */
  ready: Promise<void>;
  /** Its provider's log lines. */
  readonly log: string[];
  /** Why its process ended, once it has. */
  ended: string | null;
  readonly stop: () => void;
}

/** The holder of `size` notes in its own process, online in `room` once `ready` settles. */
function startHolder(size: number, room: Room, signaling: string): Holder {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--max-old-space-size=8192', '--import', 'tsx', SELF],
    {
      env: {
        ...process.env,
        [ENV.holder]: '1',
        [ENV.size]: String(size),
        [ENV.signaling]: signaling,
        [ENV.room]: room.roomName,
        [ENV.password]: room.password,
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const holder: Holder = {
    ready: Promise.resolve(),
    log: [],
    ended: null,
    stop: () => child.kill(),
  };
  holder.ready = new Promise<void>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line === READY) resolve();
      else if (line.startsWith(LOG)) holder.log.push(line.slice(LOG.length));
    });
    child.on('exit', (code, signal) => {
      holder.ended = `the holder process ended (${signal ?? `exit ${code}`})`;
      reject(new Error(`${holder.ended} before it was online`));
    });
  });
  return holder;
}

/** Every note's title as the app's notes list shows it (createNotesLive, all notes read). */
function titlesOf(state: Uint8Array): Map<string, string> {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, state);
  const live = createNotesLive(doc, { onChange: () => {} });
  const titles = new Map(live.list().items.map((note) => [note.id, note.title]));
  live.destroy();
  doc.destroy();
  return titles;
}

/**
 * One fresh device joining the holder; timed from its connect() (its signaling key already
 * derived, as when a workspace opens) until its notes list holds every expected title.
 */
async function joinOnce(
  room: Room,
  signaling: string,
  expected: ReadonlyMap<string, string>,
  bodies: number,
  holder: Holder,
): Promise<{ titles: Join; bodies: Join }> {
  const doc = new Y.Doc();
  const joinerLog: string[] = [];
  // As the app's store does: a body is taken for a note the root holds.
  const lazy = new MemoryLazyDocs((id) => doc.getMap(ROOT.notes).has(id));
  const sync = peerOf(doc, lazy, room, signaling, (line) => joinerLog.push(line));
  sync.disconnect();
  // The app's list, following the notes through observeDeep as the workspace session does;
  // bodies are never read here (nothing is scheduled): the figure is about titles.
  const live = createNotesLive(doc, {
    onChange: () => {},
    schedule: () => 0,
    cancel: () => {},
    searchIndex: new NoteSearchIndex(),
  });
  const notesRoot = doc.getMap(ROOT.notes);
  notesRoot.observeDeep((events) => live.onEvents(events));
  const allListed = () => {
    if (notesRoot.size < expected.size) return false;
    const items = live.list().items;
    return (
      items.length === expected.size && items.every((note) => expected.get(note.id) === note.title)
    );
  };
  const holderLines = holder.log.length;
  const lines = () => [
    ...joinerLog.map((line) => `joiner: ${line}`),
    ...holder.log.slice(holderLines).map((line) => `holder: ${line}`),
  ];
  // A peer dropped for a limit is not retried here: the same workspace would meet it again.
  const dropped = () =>
    holder.ended ?? lines().find((line) => / (Disconnected|Refused) peer/.test(line)) ?? null;
  try {
    await sync.keyReady;
    sync.connect();
    const started = performance.now();
    const titles = await waitFor(allListed, dropped);
    const held = () => lazy.docs.size >= bodies;
    const rest = 'ms' in titles ? await waitFor(held, dropped) : titles;
    const all: Join = 'ms' in rest ? { ms: performance.now() - started } : rest;
    const explain = (join: Join): Join => {
      if ('ms' in join) return join;
      const received = (sync.wireStats().bytesIn / 1024 / 1024).toFixed(1);
      const others = lines().filter((line) => line !== join.failed);
      return {
        ...join,
        failed: `${join.failed} (the joiner then held ${notesRoot.size} of ${expected.size} notes and ${lazy.docs.size} of ${bodies} bodies, ${received} MiB received${others.length > 0 ? `; log: ${others.join(' | ')}` : ''})`,
      };
    };
    return { titles: explain(titles), bodies: explain(all) };
  } finally {
    live.destroy();
    sync.destroy();
    doc.destroy();
  }
}

/** Bare Yjs decoding `state` into an empty document, in ms. */
function bareDecode(state: Uint8Array): number {
  const doc = new Y.Doc();
  const started = performance.now();
  Y.applyUpdate(doc, state);
  const ms = performance.now() - started;
  doc.destroy();
  return ms;
}

/** In the namespace: the baseline and the joins of one size, the holder in its own process. */
async function measureInside(): Promise<BenchResult[]> {
  const size = Number(process.env[ENV.size]);
  const { state } = (await scaleCorpus(size)).corpus;
  const cut = await scaleCut(size);
  const layout = { root: cut.root.byteLength, bodies: countSeedBodies(cut.bodies) };
  // Titles are in the root: the whole workspace need not be decoded a second time for them.
  const expected = titlesOf(cut.root);
  const { secretKey } = createWorkspaceSecrets();
  const room = {
    roomName: await deriveRoomName(secretKey),
    password: await deriveSignalingPassword(secretKey),
  };
  const server = await startSignalingServer({ host: '127.0.0.1', port: 0 });
  const loadBefore = loadAverage();
  const holder = startHolder(size, room, server.url);
  const joins: Join[] = [];
  const whole: Join[] = [];
  const bares: number[] = [];
  try {
    await holder.ready;
    for (let run = 0; run < RUNS(size); run++) {
      bares.push(bareDecode(state));
      const join = await joinOnce(room, server.url, expected, layout.bodies, holder);
      joins.push(join.titles);
      whole.push(join.bodies);
      console.error(
        `scale.join${label(size)}: run ${run + 1}: titles ${describe(join.titles)}, bodies ${describe(join.bodies)}`,
      );
    }
  } finally {
    holder.stop();
    await server.close();
  }
  const load = `load average ${loadBefore} before, ${loadAverage()} after`;
  const sizes = { whole: state.byteLength, ...layout };
  return [
    joinResult('titles', size, sizes, expected.size, joins, bares, load),
    joinResult('bodies', size, sizes, expected.size, whole, bares, load),
  ];
}

function describe(join: Join): string {
  return 'ms' in join
    ? seconds(join.ms)
    : `not done after ${seconds(join.afterMs)}: ${join.failed}`;
}

function joinResult(
  what: 'titles' | 'bodies',
  size: number,
  bytes: { readonly whole: number; readonly root: number; readonly bodies: number },
  notes: number,
  joins: readonly Join[],
  bares: readonly number[],
  load: string,
): BenchResult {
  const baseline = median(bares);
  const mib = (n: number) => (n / 1024 / 1024).toFixed(1);
  const until =
    what === 'titles'
      ? "its list (createNotesLive) holds every note's title"
      : `it also holds all ${bytes.bodies} body documents`;
  const timed = `a fresh peer (empty root, empty body store, the app's notes list following it) joins a peer holding ${notes} notes in schema 2 (lean root ${mib(bytes.root)} MiB encoded, ${bytes.bodies} body documents) through the app's signaling server and WebRTC data channels (@roamhq/wrtc, each peer a Node process, private network namespace, no device proofs), both with PeerSync; timed from the joiner's connect() (signaling key already derived) until ${until}; baseline bare Y.applyUpdate of the same notes as one document (${mib(bytes.whole)} MiB) into an empty doc`;
  const failures = joins.filter((join) => 'failed' in join);
  const done = joins.flatMap((join) => ('ms' in join ? [join.ms] : []));
  const id = `scale.join${label(size)}.${what}.ms`;
  const target = size === 100_000 && what === 'titles' ? { target: '< 10 s' } : {};
  if (failures.length > 0 || done.length === 0)
    return {
      id,
      value: Number.NaN,
      unit: 'ms',
      baseline,
      ...target,
      note: `FAILED in ${failures.length} of ${joins.length} runs, ${failures.map(describe).join('; ')}. What is timed: ${timed}; ${load}`,
    };
  const value = median(done);
  return {
    id,
    value,
    unit: 'ms',
    baseline,
    ratio: value / baseline,
    ...target,
    note: `${timed}; ${joins.length === 1 ? 'one run' : `median of ${joins.length} runs`}; ${load}`,
  };
}

const SELF = fileURLToPath(import.meta.url);

/**
 * scale.join<size>.titles.ms for one size, run in a network namespace of its own; a run that
 * cannot start or does not end is reported as a failed result, never thrown.
 */
export function benchJoin(size: number): BenchResult[] {
  const run = runInNamespace({
    tag: 'join',
    script: SELF,
    timeoutMs: SETUP_MS + RUNS(size) * (JOIN_TIMEOUT_MS + 30_000),
    env: { [ENV.size]: String(size) },
    // The whole workspace decoded for the baseline and the list's titles, and the joiner's copy.
    nodeArgs: ['--max-old-space-size=8192'],
  });
  if (run.ok) {
    for (const result of run.results)
      if (Number.isNaN(result.value))
        console.warn(`${result.id}: the join did not finish (see its note)`);
    return run.results;
  }
  console.warn(`scale.join${label(size)}.titles.ms not measured: ${run.why}`);
  if (run.unavailable) return [];
  return [
    {
      id: `scale.join${label(size)}.titles.ms`,
      value: Number.NaN,
      unit: 'ms',
      note: `FAILED: ${run.why}`,
    },
  ];
}

if (insideNamespace() && process.argv[1] === SELF) {
  if (process.env[ENV.holder] === '1') await hold();
  else await printResults(measureInside);
}
