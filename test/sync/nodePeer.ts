/**
 * A Node peer for sync tests and benchmarks, run as its own process (y-webrtc-style rooms are one
 * per process, and real peers are separate processes): the app's own sync provider
 * (renderer/sync/peer/peerSync.ts) over @roamhq/wrtc and ws, with the workspace model on a Y.Doc.
 * Driven by JSON lines on stdin (`{id, cmd, ...}`), answering JSON lines on stdout (`{id, ok, value}`).
 */
import { createRequire } from 'node:module';
import { WebSocket } from 'ws';
import * as Y from 'yjs';
import { Awareness } from 'y-protocols/awareness';
import { notes } from '../../shared/model';
import { decodeInvite } from '../../shared/protocol/invite';
import { deriveSignalingPassword } from '../../shared/protocol/keys';
import { nextRoomChangeAt, roomNamesAt } from '../../shared/protocol/roomEpoch';
import { systemClock } from '../../renderer/sync/peer/handshakes';
import {
  PeerSync,
  type IceServer,
  type WebSocketConstructor,
} from '../../renderer/sync/peer/peerSync';
import { appPathsFrom, startOutpost, type OutpostInstance } from '../../electron/main/app';
import { createFakeElectron } from '../electron/fakeElectron';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { serveCommands, type Handlers } from './commandLoop';
import { teamPeerAuth } from '../../renderer/sync/teamPeerAuth';
import { PROOF_WORKSPACE, proofSigner, writeProofTeam, type ProofName } from './proofTeam';
import { MemoryLazyDocs } from './memoryLazyDocs';

/**
 * As a device of the proof team (proofTeam.ts): its members, Cai's removal when asked, and the
 * app's device proofs (renderer/sync/teamPeerAuth.ts).
 */
function teamAuth(team: { name: ProofName; removeCai: boolean } | undefined) {
  if (!team) return {};
  writeProofTeam(doc, { removeCai: team.removeCai, by: team.name });
  return { auth: teamPeerAuth(doc, PROOF_WORKSPACE, proofSigner(team.name)) };
}

const require = createRequire(import.meta.url);
const wrtcModule = require('@roamhq/wrtc') as { RTCPeerConnection: typeof RTCPeerConnection };
/** Every RTCPeerConnection the provider made, with the configuration it was given (TURN tests). */
const madeConnections: Array<{ pc: RTCPeerConnection; config: RTCConfiguration }> = [];
const wrtc = {
  ...wrtcModule,
  RTCPeerConnection: class extends wrtcModule.RTCPeerConnection {
    constructor(config: RTCConfiguration) {
      super(config);
      madeConnections.push({ pc: this, config });
    }
  },
};

/**
 * The candidate pair each connected RTCPeerConnection uses, read from its own statistics
 * (getStats: transport → selected pair → local and remote candidates), as WebRTC reports it.
 */
async function selectedRoutes(): Promise<Array<Record<string, unknown>>> {
  const routes: Array<Record<string, unknown>> = [];
  for (const { pc, config } of madeConnections) {
    if (pc.connectionState !== 'connected' && pc.iceConnectionState !== 'connected') continue;
    // A connection the peer closes while its statistics are read (one replaced by a restarted
    // handshake) is no longer a route: getStats then rejects with "RTCPeerConnection is closed".
    const report = await pc.getStats().catch((error: unknown) => {
      if (pc.connectionState === 'closed') return null;
      throw error;
    });
    if (!report) continue;
    const stats = [...report.values()] as Array<Record<string, unknown>>;
    const byId = new Map(stats.map((report) => [report.id, report]));
    const transport = stats.find((report) => report.type === 'transport');
    const pair =
      byId.get(transport?.selectedCandidatePairId) ??
      stats.find(
        (report) =>
          report.type === 'candidate-pair' && report.state === 'succeeded' && report.nominated,
      );
    const local = byId.get(pair?.localCandidateId);
    const remote = byId.get(pair?.remoteCandidateId);
    routes.push({
      policy: config.iceTransportPolicy ?? 'all',
      iceServers: config.iceServers?.map((server) => server.urls) ?? [],
      local: local ? { type: local.candidateType, address: local.address ?? local.ip } : null,
      remote: remote ? { type: remote.candidateType, address: remote.address ?? remote.ip } : null,
    });
  }
  return routes;
}

let main: OutpostInstance | null = null;
let doc = new Y.Doc();
let awareness = new Awareness(doc);
let sync: PeerSync | null = null;
/** Lazy documents, when started with `lazy: true` (in memory: memoryLazyDocs.ts). */
let lazyDocs: MemoryLazyDocs | null = null;

/** JSON with sorted keys, so two replicas with the same content give the same text. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) =>
      a < b ? -1 : a > b ? 1 : 0,
    );
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonical(item)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

function noteTitles(): string[] {
  return notes
    .list(doc, { includeArchived: true, includeDeleted: true })
    .items.map((note) => note.title)
    .sort();
}

async function waitFor(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) return false;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return true;
}

const handlers: Handlers = {
  /** Starts the desktop main process with a fake Electron API (real signaling server and mDNS). */
  async startMain(command) {
    const userData = mkdtempSync(path.join(tmpdir(), 'outpost-main-'));
    writeFileSync(
      path.join(userData, 'sync-settings.json'),
      JSON.stringify({ lanServer: { enabled: true, port: Number(command.port) } }),
    );
    const fake = createFakeElectron({ userData });
    main = await startOutpost(fake.surface, {
      paths: appPathsFrom(path.resolve('out/main'), null),
      platform: 'linux',
      syncNetwork: { discoveryOptions: { refreshMs: 2000 } },
    });
    return main?.syncNetwork.get();
  },
  network: () => main?.syncNetwork.get(),
  async waitLanServers(command) {
    const ok = await waitFor(
      () => (main?.syncNetwork.get().lanServers.length ?? 0) >= Number(command.count),
      Number(command.timeoutMs ?? 20_000),
    );
    return { ok, network: main?.syncNetwork.get() };
  },
  async start(command) {
    const invite = decodeInvite(String(command.invite));
    if (!invite.ok) throw new Error(invite.error.message);
    awareness.setLocalStateField('user', {
      name: String(command.name ?? 'node'),
      color: '#336699',
    });
    // A device whose clock is `clockOffsetMs` off (a teammate's laptop near a week's change).
    const offset = Number(command.clockOffsetMs ?? 0);
    const now = () => Date.now() + offset;
    const key = invite.value.secretKey;
    const [roomName = ''] = await roomNamesAt(key, now());
    sync = new PeerSync({
      doc,
      awareness,
      roomName,
      // As the app does (renderer/sync/teamSync.ts).
      rooms: { roomsAt: (ms) => roomNamesAt(key, ms), nextChangeAt: nextRoomChangeAt },
      now,
      clock: { ...systemClock, now },
      password:
        typeof command.password === 'string'
          ? command.password
          : await deriveSignalingPassword(invite.value.secretKey),
      signaling: command.signaling as string[],
      iceServers: (command.iceServers as IceServer[] | undefined) ?? [],
      relayOnly: command.relayOnly === true,
      wrtc,
      WebSocket: WebSocket as unknown as WebSocketConstructor,
      // On stderr, which a failing test shows.
      log: (message) => process.stderr.write(`${message}\n`),
      ...(typeof command.maxConns === 'number' ? { maxConns: command.maxConns } : {}),
      ...teamAuth(command.proofTeam as { name: ProofName; removeCai: boolean } | undefined),
      ...(typeof command.handshakeTimeoutMs === 'number'
        ? { handshakeTimeoutMs: command.handshakeTimeoutMs }
        : {}),
      ...(command.lazy === true ? { lazyDocs: (lazyDocs ??= new MemoryLazyDocs()) } : {}),
    });
    return sync.peerId;
  },
  addNotes(command) {
    const titles = command.titles as string[];
    for (const title of titles) {
      const created = notes.create(doc, { actor: 'node-peer-member' }, { title });
      if (!created.ok) throw new Error(created.error.message);
    }
    return titles.length;
  },
  /** Fills the document with roughly `bytes` of note text (incompressible, as in real notes). */
  fill(command) {
    const bytes = Number(command.bytes);
    const per = 50_000;
    for (let written = 0, i = 0; written < bytes; written += per, i++) {
      const created = notes.create(doc, { actor: 'node-peer-member' }, { title: `big-${i}` });
      if (!created.ok) throw new Error(created.error.message);
      const record = doc.getMap('notes').get(created.value.id) as Y.Map<unknown>;
      const body = record.get('body') as Y.XmlFragment;
      const paragraph = new Y.XmlText();
      let text = '';
      while (text.length < per) text += Math.random().toString(36).slice(2);
      doc.transact(() => {
        body.insert(0, [paragraph]);
        paragraph.insert(0, text.slice(0, per));
      }, 'outpost:model');
    }
    return Y.encodeStateAsUpdate(doc).length;
  },
  titles: () => noteTitles(),
  /** Writes `text` at the start of each lazy document of `ids` (created when new). */
  lazyWrite(command) {
    const docs = (lazyDocs ??= new MemoryLazyDocs());
    const ids = command.ids as string[];
    for (const id of ids)
      docs.edit(id, (doc) => doc.getText('body').insert(0, String(command.text)));
    return ids.length;
  },
  /** Deletes the first `count` characters of each lazy document of `ids` (a delete set). */
  lazyDelete(command) {
    const docs = (lazyDocs ??= new MemoryLazyDocs());
    const ids = command.ids as string[];
    for (const id of ids)
      docs.edit(id, (doc) => doc.getText('body').delete(0, Number(command.count)));
    return ids.length;
  },
  /** Each lazy document of `ids` as held: one update, base64. */
  lazyUpdates(command) {
    const out: Record<string, string> = {};
    for (const id of command.ids as string[]) {
      const held = lazyDocs?.docs.get(id);
      if (held) out[id] = Buffer.from(held).toString('base64');
    }
    return out;
  },
  lazySnapshot: () => lazyDocs?.snapshot() ?? {},
  async waitLazy(command) {
    const want = Number(command.count);
    const ok = await waitFor(
      () => (lazyDocs?.docs.size ?? 0) >= want,
      Number(command.timeoutMs ?? 20_000),
    );
    return { ok, count: lazyDocs?.docs.size ?? 0 };
  },
  /** Waits until lazy document `doc`'s text is `text` (`id` is the command's own). */
  async waitLazyText(command) {
    const id = String(command.doc);
    const text = () =>
      lazyDocs?.docs.has(id) ? lazyDocs.load(id).getText('body').toString() : null;
    const ok = await waitFor(() => text() === command.text, Number(command.timeoutMs ?? 20_000));
    return { ok, text: text() };
  },
  /** Waits until the lazy exchange with `count` peers is done. */
  async waitLazyDone(command) {
    const done = () =>
      sync?.status().peers.filter((peer) => peer.lazyDocs?.phase === 'done').length ?? 0;
    const ok = await waitFor(
      () => done() >= Number(command.count),
      Number(command.timeoutMs ?? 20_000),
    );
    return { ok, status: sync?.status() };
  },
  stateSize: () => Y.encodeStateAsUpdate(doc).length,
  digest: () => Buffer.from(Y.encodeStateVector(doc)).toString('base64'),
  contentDigest() {
    const json = canonical(doc.getMap('notes').toJSON());
    let hash = 0;
    for (let i = 0; i < json.length; i++) hash = (hash * 31 + json.charCodeAt(i)) | 0;
    return `${json.length}:${hash}`;
  },
  async waitTitles(command) {
    const want = Number(command.count);
    const ok = await waitFor(
      () => noteTitles().length >= want,
      Number(command.timeoutMs ?? 20_000),
    );
    return { ok, titles: noteTitles() };
  },
  async waitPeers(command) {
    const want = Number(command.count);
    const ok = await waitFor(
      () => (sync?.status().peers.filter((peer) => peer.state === 'synced').length ?? 0) >= want,
      Number(command.timeoutMs ?? 20_000),
    );
    return { ok, status: sync?.status() };
  },
  awarenessNames: () =>
    [...awareness.getStates().values()]
      .map((state) => (state as { user?: { name?: string } }).user?.name)
      .filter(Boolean),
  status: () => sync?.status(),
  roomNames: () => sync?.roomNames,
  routes: () => selectedRoutes(),
  /** The kinds of local candidate (host, srflx, relay) the connections gathered. */
  async candidateTypes() {
    const types = new Set<unknown>();
    for (const { pc } of madeConnections)
      for (const report of (await pc.getStats()).values() as Iterable<Record<string, unknown>>)
        if (report.type === 'local-candidate') types.add(report.candidateType);
    return [...types];
  },
  /** Waits until every change made here is known to have reached a peer. */
  async waitShared(command) {
    const ok = await waitFor(
      () => sync?.unshared().items === 0,
      Number(command.timeoutMs ?? 20_000),
    );
    return { ok, unshared: sync?.unshared() };
  },
  wire: () => sync?.wireStats(),
  unshared: () => sync?.unshared(),
  disconnect() {
    sync?.disconnect();
    return true;
  },
  connect() {
    sync?.connect();
    return true;
  },
  reset() {
    sync?.destroy();
    sync = null;
    awareness.destroy();
    doc.destroy();
    doc = new Y.Doc();
    awareness = new Awareness(doc);
    return true;
  },
  exit() {
    sync?.destroy();
    void main?.syncNetwork.close();
    setTimeout(() => process.exit(0), 20);
    return true;
  },
};

serveCommands(handlers);
process.on('unhandledRejection', (error) => {
  process.stderr.write(`unhandledRejection: ${String(error)}\n`);
});
