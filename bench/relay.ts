/**
 * The relay (`npm run relay`, a real child process on loopback) with the app's relay client:
 * - relay.catchup10k.ms: A makes 10,000 edits (one character typed per transaction, in bursts of
 *   100 each uploaded before the next, as typing arrives) while connected, then leaves; B starts with an empty document.
 *   Timed: from B's startRelaySync call (connect, hello, catch-up, decrypt, apply) to B's document
 *   holding all 10,000 characters. Median of 5 fresh Bs. Baseline: bare Yjs applying A's whole
 *   state to an empty document in memory.
 * - relay.wire.ratio: bytes B's WebSocket received in that catch-up ÷ the Yjs diff B needed
 *   (A's encoded state, B being empty).
 * - relay.storage.ratio: the relay's mailbox.sqlite plus its WAL on disk ÷ A's encoded state,
 *   after the 10,000 edits and a snapshot; the note says how much of it an empty relay's tables
 *   take (a cost per relay, not per room).
 * - relay.load.p95.ms / relay.load.rssMB: 100 rooms × 10 raw mailbox clients, each putting a
 *   ~300-byte sealed envelope about once a second and receiving its room's others; p95 of put →
 *   acknowledgement, and the relay process's peak resident memory. The run is 60 s
 *   (`RELAY_LOAD_SECONDS=60 npm run bench -- relay`); the suite's default is 15 s and says so.
 */
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { WebSocket } from 'ws';
import * as Y from 'yjs';
import { notes, noteBody } from '../shared/model';
import { createWorkspaceSecrets } from '../shared/protocol/keys';
import {
  KIND_UPDATE,
  SENDER_BYTES,
  deriveRelayKeys,
  sealEnvelope,
  streamId,
} from '../shared/protocol/relayCrypto';
import {
  ACK,
  HELLO,
  MAILBOX_PATH,
  MAILBOX_VERSION,
  PUT,
  SINCE,
  WELCOME,
  decodeRelayMessage,
  encodeClientMessage,
} from '../shared/protocol/relayWire';
import type { WebSocketConstructor } from '../renderer/sync/peer/types';
import { startRelaySync, type RelayCursor, type RelaySync } from '../renderer/sync/relay/relaySync';
import { startRelayChild, type RelayChild } from '../test/sync/relayChild';
import { openMailboxStore } from '../electron/relay/mailboxStore';
import { median, percentile, type BenchResult } from './report';

const EDITS = 10_000;
const EDITS_PER_TASK = 100;
const CATCHUP_RUNS = 5;
const ROOMS = 100;
const CLIENTS_PER_ROOM = 10;
const LOAD_SECONDS = Number(process.env.RELAY_LOAD_SECONDS ?? 15);

const tick = () => new Promise((resolve) => setImmediate(resolve));
async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 2));
}

function memoryCursors() {
  const saved = new Map<string, RelayCursor>();
  return {
    load: (url: string) => saved.get(url) ?? null,
    save: (url: string, cursor: RelayCursor) => void saved.set(url, cursor),
  };
}

/** ws with a count of the bytes it received. */
function countingSocket(counter: { bytes: number }): WebSocketConstructor {
  return class extends WebSocket {
    constructor(url: string) {
      super(url);
      // Every frame as it came off the socket (its payload; binaryType may make it an ArrayBuffer).
      this.on('message', (data: Buffer | ArrayBuffer) => {
        counter.bytes += data.byteLength;
      });
    }
  } as unknown as WebSocketConstructor;
}

async function diskBytes(dir: string): Promise<number> {
  let total = 0;
  for (const name of await readdir(dir))
    if (name.endsWith('.sqlite') || name.endsWith('-wal'))
      total += (await stat(path.join(dir, name))).size;
  return total;
}

/** A's session: one note, 10,000 characters typed into its body while connected to the relay. */
async function typeThrough(
  url: string,
  secretKey: Uint8Array,
): Promise<{ doc: Y.Doc; sync: RelaySync }> {
  const doc = new Y.Doc();
  const created = notes.create(doc, { actor: 'bench-a' }, { title: 'Catch-up' });
  if (!created.ok) throw new Error(created.error.message);
  const paragraph = new Y.XmlElement('paragraph');
  const text = new Y.XmlText();
  paragraph.insert(0, [text]);
  noteBody(doc, created.value.id)!.insert(0, [paragraph]);
  const sync = await startRelaySync({
    secretKey,
    doc,
    relays: [url],
    cursors: memoryCursors(),
    WebSocket: WebSocket as unknown as WebSocketConstructor,
  });
  const words = 'the quick brown fox jumps over the lazy dog ';
  for (let i = 0; i < EDITS; i++) {
    doc.transact(() => text.insert(i, words[i % words.length]!));
    // A typist's pace next to a relay's round trip: each burst is uploaded before the next.
    if (i % EDITS_PER_TASK === EDITS_PER_TASK - 1) {
      await tick();
      await until(() => settled(sync));
    }
  }
  await until(() => settled(sync));
  return { doc, sync };
}

const settled = (sync: RelaySync) =>
  sync.status()[0]?.waiting === 0 && sync.status()[0]?.reachable === true;

function bodyLength(doc: Y.Doc): number {
  let length = 0;
  doc.getMap('notes').forEach((_record, id) => {
    noteBody(doc, id)?.forEach((node) => {
      if (node instanceof Y.XmlElement)
        node.forEach((child) => {
          if (child instanceof Y.XmlText) length += child.length;
        });
    });
  });
  return length;
}

async function catchUp(url: string, secretKey: Uint8Array): Promise<{ ms: number; bytes: number }> {
  const doc = new Y.Doc();
  const counter = { bytes: 0 };
  const started = performance.now();
  const done = new Promise<void>((resolve) => {
    doc.on('afterTransaction', () => {
      if (bodyLength(doc) === EDITS) resolve();
    });
  });
  const sync = await startRelaySync({
    secretKey,
    doc,
    relays: [url],
    cursors: memoryCursors(),
    WebSocket: countingSocket(counter),
  });
  await done;
  const ms = performance.now() - started;
  sync.destroy();
  return { ms, bytes: counter.bytes };
}

/** An empty relay's file once its WAL is folded in: the schema's pages, no cost of any room. */
async function emptyRelayBytes(): Promise<number> {
  const dir = await mkdtemp(path.join(tmpdir(), 'outpost-bench-relay-empty-'));
  openMailboxStore(dir).close();
  const bytes = await diskBytes(dir);
  await rm(dir, { recursive: true, force: true });
  return bytes;
}

async function peakRssMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

/** 100 rooms × 10 clients putting and reading; put → ack latencies in ms. */
async function load(url: string, seconds: number): Promise<number[]> {
  const latencies: number[] = [];
  const sockets: WebSocket[] = [];
  const stopAt = performance.now() + seconds * 1000;
  const payload = new Uint8Array(200).fill(7);
  const clients: Promise<void>[] = [];
  for (let room = 0; room < ROOMS; room++) {
    const keys = await deriveRelayKeys(createWorkspaceSecrets().secretKey);
    const stream = await streamId(keys, 'workspace');
    for (let c = 0; c < CLIENTS_PER_ROOM; c++) {
      clients.push(
        (async () => {
          const socket = new WebSocket(url + MAILBOX_PATH);
          sockets.push(socket);
          const sender = globalThis.crypto.getRandomValues(new Uint8Array(SENDER_BYTES));
          const sentAt = new Map<number, number>();
          let welcomed: () => void = () => {};
          const ready = new Promise<void>((resolve) => (welcomed = resolve));
          socket.on('message', (data: Buffer) => {
            const message = decodeRelayMessage(new Uint8Array(data));
            if (message?.type === WELCOME) welcomed();
            if (message?.type === ACK) {
              const at = sentAt.get(message.counter);
              if (at !== undefined) latencies.push(performance.now() - at);
            }
          });
          await new Promise((resolve) => socket.once('open', resolve));
          socket.send(
            encodeClientMessage({
              type: HELLO,
              version: MAILBOX_VERSION,
              room: keys.room,
              token: keys.writeToken,
            }),
          );
          await ready;
          socket.send(encodeClientMessage({ type: SINCE, after: 0, streams: [] }));
          // Start spread over a second, then about one put per second each.
          await new Promise((resolve) => setTimeout(resolve, Math.random() * 1000));
          for (let counter = 1; performance.now() < stopAt; counter++) {
            const envelope = await sealEnvelope(
              keys,
              { kind: KIND_UPDATE, stream, sender, counter, covers: 0 },
              'workspace',
              payload,
            );
            sentAt.set(counter, performance.now());
            socket.send(encodeClientMessage({ type: PUT, envelope }));
            await new Promise((resolve) => setTimeout(resolve, 800 + Math.random() * 400));
          }
        })(),
      );
    }
  }
  await Promise.all(clients);
  await new Promise((resolve) => setTimeout(resolve, 500)); // last acknowledgements
  for (const socket of sockets) socket.close();
  return latencies;
}

export async function benchRelay(): Promise<BenchResult[]> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'outpost-bench-relay-'));
  const loadDir = await mkdtemp(path.join(tmpdir(), 'outpost-bench-relay-load-'));
  let relay: RelayChild | null = null;
  let loadRelay: RelayChild | null = null;
  try {
    relay = await startRelayChild(dataDir);
    const emptyRelay = await emptyRelayBytes();
    const { secretKey } = createWorkspaceSecrets();
    const { doc: a, sync: syncA } = await typeThrough(relay.url, secretKey);
    const state = Y.encodeStateAsUpdate(a);

    const runs: Array<{ ms: number; bytes: number }> = [];
    const bare: number[] = [];
    for (let run = 0; run < CATCHUP_RUNS; run++) {
      runs.push(await catchUp(relay.url, secretKey));
      const started = performance.now();
      Y.applyUpdate(new Y.Doc(), Y.encodeStateAsUpdate(a));
      bare.push(performance.now() - started);
    }
    const catchup = median(runs.map((run) => run.ms));
    const bareMs = median(bare);
    const wire = median(runs.map((run) => run.bytes)) / state.length;

    const snapshots = syncA.status()[0]!.lastUpload;
    syncA.client(relay.url)!.snapshotNow();
    await until(() => syncA.status()[0]!.lastUpload !== snapshots && settled(syncA));
    syncA.destroy();
    const disk = await diskBytes(dataDir);
    const storage = disk / state.length;

    loadRelay = await startRelayChild(loadDir);
    const latencies = await load(loadRelay.url, LOAD_SECONDS);
    const rss = await peakRssMb(loadRelay.child.pid!);

    return [
      {
        id: 'relay.catchup10k.ms',
        value: catchup,
        unit: 'ms',
        baseline: bareMs,
        ratio: catchup / bareMs,
        target: '< 2000 ms',
        note: `B's connect to B holding all ${EDITS} typed characters, from the updates and snapshots A's client left (median of ${CATCHUP_RUNS}); baseline: bare Yjs applying A's state in memory`,
      },
      {
        id: 'relay.wire.ratio',
        value: wire,
        unit: '×',
        target: '≤ 1.6',
        note: `bytes B received over the WebSocket ÷ the Yjs diff it needed (${state.length} B)`,
      },
      {
        id: 'relay.storage.ratio',
        value: storage,
        unit: '×',
        target: '< 2',
        note: `mailbox.sqlite + WAL on disk (${disk} B, of which ${emptyRelay} B an empty relay's tables) ÷ encoded state (${state.length} B) after ${EDITS} edits and a snapshot`,
      },
      {
        id: 'relay.load.p95.ms',
        value: percentile(latencies, 95),
        unit: 'ms',
        note: `put → ack, ${ROOMS} rooms × ${CLIENTS_PER_ROOM} clients, ~1 put/s each for ${LOAD_SECONDS} s (issue's run: RELAY_LOAD_SECONDS=60), ${latencies.length} puts; clients in the bench process`,
      },
      {
        id: 'relay.load.rssMB',
        value: rss,
        unit: 'MB',
        note: `the relay process's peak resident memory over that load`,
      },
    ];
  } finally {
    await relay?.kill9();
    await loadRelay?.stop();
    await rm(dataDir, { recursive: true, force: true });
    await rm(loadDir, { recursive: true, force: true });
  }
}
