/**
 * A third-party client that speaks Outpost's lazy documents, written only from docs/PROTOCOL.md
 * (§5.2–§5.4) with stock `yjs`, `lib0`, `simple-peer`, `@roamhq/wrtc` and `ws`: it imports nothing
 * of Outpost's (thirdPartyInvite.ts is this client's own reading of §5.1–5.2). Unlike
 * thirdPartyClient.ts it does not use y-webrtc, whose data channel cannot carry other messages:
 * it does signaling itself (sealed announces and signals, §5.3), says hello with the lazy
 * documents feature, syncs the root, lists lazy documents with their fingerprints of deletions
 * and answers them in acknowledged batches, and sends and applies live edits. Its lazy documents live in memory, one Y.Doc each, the body a
 * Y.Text named `body`. Driven like nodePeer.ts (JSON lines on stdin).
 */
import { createHash, randomBytes, webcrypto } from 'node:crypto';
import { createRequire } from 'node:module';
import { WebSocket } from 'ws';
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import Peer, { type SimplePeerInstance } from 'simple-peer/simplepeer.min.js';
import { serveCommands, type Handlers } from './commandLoop';
import { decodeInvite, roomAndPassword } from './thirdPartyInvite';

const wrtc: unknown = createRequire(import.meta.url)('@roamhq/wrtc');
const subtle = webcrypto.subtle;

// §5.4's message types.
const SYNC = 0;
const CHUNK = 100;
const HELLO = 101;
const HAVE = 102;
const [LIST, LIST_END, BATCH, ACK, BATCHES_END, UPDATE, WANT] = [105, 106, 107, 108, 109, 110, 111];
const MAX_FRAME = 65_536;
const PIECE = MAX_FRAME - 32;
const BATCH_BYTES = 1024 * 1024;
const WINDOW_BYTES = 4 * 1024 * 1024;
const MAX_ENTRIES = 4096;
const ID = /^[A-Za-z0-9_-]{8,64}$/;

const root = new Y.Doc();
const bodies = new Map<string, Y.Doc>();
function log(line: string): void {
  process.stderr.write(`${line}\n`);
}
// Our own root changes go to every Outpost peer as sync updates (0/2); received ones are not sent on.
root.on('update', (update: Uint8Array, origin: unknown) => {
  if (origin !== null) return;
  for (const remote of peers.values()) if (remote.outpost) send(remote, step(2, update));
});

// ---- Signaling (§5.3): y-webrtc's JSON frames, values sealed with AES-GCM under the password.

let key: CryptoKey | null = null;
let socket: WebSocket | null = null;
let room = '';
const myId = randomBytes(16).toString('hex');

async function deriveKey(password: string, salt: string): Promise<CryptoKey> {
  const raw = await subtle.importKey('raw', Buffer.from(password), 'PBKDF2', false, ['deriveKey']);
  return subtle.deriveKey(
    { name: 'PBKDF2', salt: Buffer.from(salt), iterations: 100_000, hash: 'SHA-256' },
    raw,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  );
}

async function seal(value: unknown): Promise<string> {
  const plain = encoding.createEncoder();
  encoding.writeAny(plain, value as encoding.AnyEncodable);
  const iv = webcrypto.getRandomValues(new Uint8Array(12));
  const cipher = new Uint8Array(
    await subtle.encrypt({ name: 'AES-GCM', iv }, key!, encoding.toUint8Array(plain)),
  );
  const wrapped = encoding.createEncoder();
  encoding.writeVarString(wrapped, 'AES-GCM');
  encoding.writeVarUint8Array(wrapped, iv);
  encoding.writeVarUint8Array(wrapped, cipher);
  return Buffer.from(encoding.toUint8Array(wrapped)).toString('base64');
}

async function open(data: string): Promise<Record<string, unknown> | null> {
  try {
    const decoder = decoding.createDecoder(Buffer.from(data, 'base64'));
    if (decoding.readVarString(decoder) !== 'AES-GCM') return null;
    const iv = decoding.readVarUint8Array(decoder);
    const cipher = decoding.readVarUint8Array(decoder);
    const plain = await subtle.decrypt({ name: 'AES-GCM', iv }, key!, cipher);
    return decoding.readAny(decoding.createDecoder(new Uint8Array(plain))) as Record<
      string,
      unknown
    >;
  } catch {
    return null; // another key: not for us
  }
}

async function publish(value: Record<string, unknown>): Promise<void> {
  socket?.send(JSON.stringify({ type: 'publish', topic: room, data: await seal(value) }));
}

async function onSignaling(text: string): Promise<void> {
  const frame = JSON.parse(text) as { type?: string; data?: unknown };
  if (frame.type !== 'publish' || typeof frame.data !== 'string') return;
  const value = await open(frame.data);
  if (!value || value.from === myId) return;
  const from = String(value.from);
  if (value.type === 'announce' && !peers.has(from)) startPeer(from, true);
  if (value.type === 'signal' && value.to === myId) {
    const signal = value.signal as { type?: string };
    let peer = peers.get(from);
    // An offer from a peer we are not connecting to (or whose offer wins: larger token) starts
    // an answering connection.
    const restart = peer && (peer.initiator ? Number(value.token) > peer.token : !peer.open);
    if (signal.type === 'offer' && (!peer || restart)) {
      peer?.sp.destroy();
      peer = startPeer(from, false);
    }
    peer?.sp.signal(signal);
  }
}

// ---- One peer: the data channel and its messages (§5.4).

interface Remote {
  readonly id: string;
  readonly sp: SimplePeerInstance;
  readonly initiator: boolean;
  readonly token: number;
  open: boolean;
  saidHello: boolean;
  outpost: boolean;
  lazy: boolean;
  /** The state vector of the peer's first sync step 1 (the root), once it came. */
  theirRoot: Map<number, number> | null;
  rootAnswered: boolean;
  listing: boolean;
  // Reassembly of chunk frames.
  chunks: Uint8Array[];
  // Their listing, and our answers.
  readonly listed: Set<string>;
  readonly toAnswer: Array<{ id: string; vector: Uint8Array; deletes: Uint8Array }>;
  theirListEnded: boolean;
  answering: boolean;
  answersSent: boolean;
  batch: Array<{ id: string; update: Uint8Array }>;
  batchBytes: number;
  seq: number;
  readonly out: Map<number, number>;
  outBytes: number;
  theirAnswersDone: boolean;
  wake: (() => void) | null;
  messageId: number;
}

const peers = new Map<string, Remote>();

function startPeer(id: string, initiator: boolean): Remote {
  const token = Date.now() + Math.random();
  const sp = new Peer({ initiator, wrtc, config: { iceServers: [] } });
  const remote: Remote = {
    id,
    sp,
    initiator,
    token,
    open: false,
    saidHello: false,
    outpost: false,
    lazy: false,
    theirRoot: null,
    rootAnswered: false,
    listing: false,
    chunks: [],
    listed: new Set(),
    toAnswer: [],
    theirListEnded: false,
    answering: false,
    answersSent: false,
    batch: [],
    batchBytes: 0,
    seq: 0,
    out: new Map(),
    outBytes: 0,
    theirAnswersDone: false,
    wake: null,
    messageId: 0,
  };
  peers.set(id, remote);
  sp.on('signal', (signal) => void publish({ type: 'signal', from: myId, to: id, token, signal }));
  sp.on('connect', () => sayHello(remote));
  sp.on('data', (data) => receiveFrame(remote, new Uint8Array(data)));
  sp.on('close', () => {
    remote.open = false;
    remote.wake?.();
    if (peers.get(id) === remote) peers.delete(id);
  });
  sp.on('error', (error) => log(`peer ${id.slice(0, 8)}: ${error.message}`));
  return remote;
}

/**
 * Our hello (version 1, features 1: lazy documents) is the first message the peer gets from us,
 * also when its own first message arrives before our end reports the channel open.
 */
function sayHello(remote: Remote): void {
  remote.open = true;
  if (remote.saidHello) return;
  remote.saidHello = true;
  send(
    remote,
    message(HELLO, (e) => {
      encoding.writeVarUint(e, 1);
      encoding.writeVarUint(e, 1);
    }),
  );
}

function message(type: number, write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, type);
  write(encoder);
  return encoding.toUint8Array(encoder);
}

/** Sends a message, as chunk frames when it is over 64 KiB. */
function send(remote: Remote, bytes: Uint8Array): void {
  if (!remote.open) return;
  if (bytes.length <= MAX_FRAME) return remote.sp.send(bytes);
  const messageId = remote.messageId++;
  const count = Math.ceil(bytes.length / PIECE);
  for (let index = 0; index < count; index++) {
    remote.sp.send(
      message(CHUNK, (e) => {
        encoding.writeVarUint(e, messageId);
        encoding.writeVarUint(e, index);
        encoding.writeVarUint(e, count);
        encoding.writeVarUint8Array(e, bytes.subarray(index * PIECE, (index + 1) * PIECE));
      }),
    );
  }
}

function receiveFrame(remote: Remote, frame: Uint8Array): void {
  if (frame.length === 0) return;
  sayHello(remote);
  const decoder = decoding.createDecoder(frame);
  if (decoding.readVarUint(decoder) !== CHUNK) return void handle(remote, frame);
  decoding.readVarUint(decoder); // messageId: frames of one message come in order
  const index = decoding.readVarUint(decoder);
  const count = decoding.readVarUint(decoder);
  remote.chunks[index] = decoding.readVarUint8Array(decoder);
  if (index + 1 < count) return;
  const whole = Buffer.concat(remote.chunks);
  remote.chunks = [];
  handle(remote, new Uint8Array(whole));
}

const stateVector = (doc: Y.Doc) => Y.decodeStateVector(Y.encodeStateVector(doc));
function step(kind: number, payload: Uint8Array): Uint8Array {
  return message(SYNC, (e) => {
    encoding.writeVarUint(e, kind);
    encoding.writeVarUint8Array(e, payload);
  });
}

function handle(remote: Remote, bytes: Uint8Array): void {
  const decoder = decoding.createDecoder(bytes);
  const type = decoding.readVarUint(decoder);
  if (type === HELLO) {
    if (remote.outpost) return;
    const version = decoding.readVarUint(decoder);
    if (version >= 2) decoding.readVarUint8Array(decoder); // a nonce: we prove no device key
    const features = decoding.hasContent(decoder) ? decoding.readVarUint(decoder) : 0;
    remote.outpost = true;
    remote.lazy = (features & 1) === 1;
    send(remote, step(0, Y.encodeStateVector(root)));
  } else if (type === SYNC) {
    const kind = decoding.readVarUint(decoder);
    const payload = decoding.readVarUint8Array(decoder);
    if (kind === 0) {
      remote.theirRoot ??= Y.decodeStateVector(payload);
      send(remote, step(1, Y.encodeStateAsUpdate(root, payload)));
      remote.rootAnswered = true;
    } else {
      Y.applyUpdate(root, payload, remote);
      send(
        remote,
        message(HAVE, (e) => encoding.writeVarUint8Array(e, Y.encodeStateVector(root))),
      );
    }
    maybeList(remote);
  } else if (remote.lazy) {
    handleLazy(remote, type, decoder);
  }
}

// ---- Lazy documents (§5.4 "Lazy documents").

function readEntries(decoder: decoding.Decoder): Array<{ id: string; bytes: Uint8Array }> {
  const count = decoding.readVarUint(decoder);
  return Array.from({ length: count }, () => ({
    id: decoding.readVarString(decoder),
    bytes: decoding.readVarUint8Array(decoder),
  }));
}

/** A list's entries: id, state vector and fingerprint of deletions (empty when not known). */
function readListEntries(
  decoder: decoding.Decoder,
): Array<{ id: string; bytes: Uint8Array; deletes: Uint8Array }> {
  const count = decoding.readVarUint(decoder);
  return Array.from({ length: count }, () => ({
    id: decoding.readVarString(decoder),
    bytes: decoding.readVarUint8Array(decoder),
    deletes: decoding.readVarUint8Array(decoder),
  }));
}

/**
 * The fingerprint of a document's deletions (§5.4, "Deletions"): its delete set (what
 * `Y.encodeStateAsUpdate` carries), each client's ranges sorted by clock with overlapping or
 * touching ones joined; then for each client in ascending order with a range, varUint client,
 * varUint count and each range's varUint clock and varUint length; the first 16 bytes of SHA-256.
 */
function deletesOf(doc: Y.Doc): Uint8Array {
  const { ds } = Y.decodeUpdate(Y.encodeStateAsUpdate(doc));
  const encoder = encoding.createEncoder();
  for (const client of [...ds.clients.keys()].sort((a, b) => a - b)) {
    const joined: Array<{ clock: number; len: number }> = [];
    const sorted = [...(ds.clients.get(client) ?? [])].sort((a, b) => a.clock - b.clock);
    for (const { clock, len } of sorted) {
      const last = joined[joined.length - 1];
      if (last && clock <= last.clock + last.len)
        last.len = Math.max(last.len, clock + len - last.clock);
      else joined.push({ clock, len });
    }
    if (joined.length === 0) continue;
    encoding.writeVarUint(encoder, client);
    encoding.writeVarUint(encoder, joined.length);
    for (const { clock, len } of joined) {
      encoding.writeVarUint(encoder, clock);
      encoding.writeVarUint(encoder, len);
    }
  }
  const hash = createHash('sha256').update(encoding.toUint8Array(encoder)).digest();
  return Uint8Array.from(hash.subarray(0, 16));
}

const sameBytes = (a: Uint8Array, b: Uint8Array) =>
  a.length === b.length && a.every((byte, index) => byte === b[index]);

function body(id: string): Y.Doc {
  let doc = bodies.get(id);
  if (!doc) {
    doc = new Y.Doc();
    bodies.set(id, doc);
    doc.on('update', (update: Uint8Array, origin: unknown) => {
      // Our own edits (no origin) go to every lazy peer; what a peer sent is not sent on.
      if (origin !== null) return;
      for (const remote of peers.values())
        if (remote.lazy && remote.open)
          send(
            remote,
            message(UPDATE, (e) => writeEntry(e, id, update)),
          );
    });
  }
  return doc;
}

function writeEntry(encoder: encoding.Encoder, id: string, bytes: Uint8Array): void {
  encoding.writeVarString(encoder, id);
  encoding.writeVarUint8Array(encoder, bytes);
}

/**
 * What we hold of `id` beyond `vector`, or null when that has no struct and no deletion, or
 * when it has no struct and the asker listed the same fingerprint of deletions as ours.
 */
function diff(id: string, vector: Uint8Array, deletes?: Uint8Array): Uint8Array | null {
  const doc = bodies.get(id);
  if (!doc) return null;
  const update = Y.encodeStateAsUpdate(doc, vector);
  if (update.length === 2 && update[0] === 0 && update[1] === 0) return null;
  const noStruct = Y.decodeUpdate(update).structs.length === 0;
  return noStruct && deletes && sameBytes(deletes, deletesOf(doc)) ? null : update;
}

function apply(remote: Remote, id: string, update: Uint8Array): void {
  if (!ID.test(id)) {
    log(`ignored a lazy document with a bad id from ${remote.id}`);
    return;
  }
  try {
    Y.applyUpdate(body(id), update, remote);
  } catch (error) {
    log(`ignored an update of ${id} that does not decode: ${String(error)}`);
  }
}

function maybeList(remote: Remote): void {
  if (!remote.lazy || remote.listing || !remote.rootAnswered || !remote.theirRoot) return;
  const ours = stateVector(root);
  for (const [client, clock] of remote.theirRoot) if ((ours.get(client) ?? 0) < clock) return;
  remote.listing = true;
  const ids = [...bodies.keys()];
  for (let start = 0; start < ids.length; start += MAX_ENTRIES) {
    const page = ids.slice(start, start + MAX_ENTRIES);
    send(
      remote,
      message(LIST, (e) => {
        encoding.writeVarUint(e, page.length);
        for (const id of page) {
          const doc = bodies.get(id)!;
          writeEntry(e, id, Y.encodeStateVector(doc));
          encoding.writeVarUint8Array(e, deletesOf(doc));
        }
      }),
    );
  }
  send(
    remote,
    message(LIST_END, (e) => encoding.writeVarUint(e, ids.length)),
  );
}

function handleLazy(remote: Remote, type: number, decoder: decoding.Decoder): void {
  if (type === LIST) {
    for (const { id, bytes, deletes } of readListEntries(decoder)) {
      if (!ID.test(id) || remote.listed.has(id)) continue;
      remote.listed.add(id);
      remote.toAnswer.push({ id, vector: bytes, deletes });
    }
    void answer(remote);
  } else if (type === LIST_END) {
    remote.theirListEnded = true;
    void answer(remote);
  } else if (type === BATCH) {
    const seq = decoding.readVarUint(decoder);
    for (const { id, bytes } of readEntries(decoder)) apply(remote, id, bytes);
    send(
      remote,
      message(ACK, (e) => encoding.writeVarUint(e, seq)),
    );
  } else if (type === ACK) {
    const seq = decoding.readVarUint(decoder);
    remote.outBytes -= remote.out.get(seq) ?? 0;
    remote.out.delete(seq);
  } else if (type === BATCHES_END) {
    remote.theirAnswersDone = true;
  } else if (type === UPDATE) {
    const id = decoding.readVarString(decoder);
    apply(remote, id, decoding.readVarUint8Array(decoder));
  } else if (type === WANT) {
    const id = decoding.readVarString(decoder);
    const update = ID.test(id) ? diff(id, decoding.readVarUint8Array(decoder)) : null;
    if (update)
      send(
        remote,
        message(UPDATE, (e) => writeEntry(e, id, update)),
      );
  }
  remote.wake?.();
}

/** Answers the peer's listing, then what it did not list, paced by its acknowledgements. */
async function answer(remote: Remote): Promise<void> {
  if (remote.answering || remote.answersSent) return;
  remote.answering = true;
  const flush = () => {
    if (remote.batch.length === 0) return;
    const seq = remote.seq++;
    const entries = remote.batch;
    send(
      remote,
      message(BATCH, (e) => {
        encoding.writeVarUint(e, seq);
        encoding.writeVarUint(e, entries.length);
        for (const { id, update } of entries) writeEntry(e, id, update);
      }),
    );
    remote.out.set(seq, remote.batchBytes);
    remote.outBytes += remote.batchBytes;
    remote.batch = [];
    remote.batchBytes = 0;
  };
  const queue = async (id: string, update: Uint8Array) => {
    remote.batch.push({ id, update });
    remote.batchBytes += id.length + update.length;
    if (remote.batchBytes >= BATCH_BYTES || remote.batch.length >= MAX_ENTRIES) flush();
    while (remote.outBytes >= WINDOW_BYTES && remote.open)
      await new Promise<void>((resolve) => (remote.wake = resolve));
  };
  for (;;) {
    const next = remote.toAnswer.shift();
    if (next) {
      const update = diff(next.id, next.vector, next.deletes);
      if (update) await queue(next.id, update);
      continue;
    }
    if (remote.theirListEnded) break;
    flush();
    await new Promise<void>((resolve) => (remote.wake = resolve));
  }
  for (const id of [...bodies.keys()]) {
    if (remote.listed.has(id)) continue;
    await queue(id, Y.encodeStateAsUpdate(bodies.get(id)!));
  }
  flush();
  send(
    remote,
    message(BATCHES_END, (e) => encoding.writeVarUint(e, remote.seq)),
  );
  remote.answersSent = true;
  remote.answering = false;
}

// ---- Commands.

function titles(): string[] {
  const out: string[] = [];
  root.getMap('notes').forEach((record) => {
    if (record instanceof Y.Map && typeof record.get('title') === 'string')
      out.push(record.get('title') as string);
  });
  return out.sort();
}

/** Each body's text and sorted state vector: equal to what Outpost's test storage reports. */
function snapshot(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const id of [...bodies.keys()].sort()) {
    const doc = bodies.get(id)!;
    const vector = [...stateVector(doc)].sort(([a], [b]) => a - b);
    out[id] = `${doc.getText('body').toString()} @ ${JSON.stringify(vector)}`;
  }
  return out;
}

async function waitFor(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) return false;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return true;
}

const handlers: Handlers = {
  async start(command) {
    const invite = decodeInvite(String(command.invite));
    const derived = roomAndPassword(invite.key, new Date());
    room = derived.room;
    key = await deriveKey(derived.password, room);
    const url = (command.signaling as string[])[0]!;
    socket = new WebSocket(url);
    socket.on('message', (data: Buffer) => void onSignaling(data.toString()));
    await new Promise<void>((resolve) => socket!.once('open', () => resolve()));
    socket.send(JSON.stringify({ type: 'subscribe', topics: [room] }));
    await publish({ type: 'announce', from: myId });
    return { room, name: invite.name };
  },
  /** A note in the root (§1.4's record) and its body as a lazy document. */
  addNote(command) {
    const id = randomBytes(16).toString('base64url').slice(0, 22);
    const now = Date.now();
    root.transact(() => {
      const note = new Y.Map<unknown>();
      root.getMap('notes').set(id, note);
      note.set('title', String(command.title));
      note.set('pinned', false);
      note.set('tags', new Y.Map());
      // §1.4's record still names a body fragment; the text itself is the lazy document.
      note.set('body', new Y.XmlFragment());
      note.set('createdAt', now);
      note.set('createdBy', 'third-party-member');
      note.set('updatedAt', now);
      note.set('updatedBy', 'third-party-member');
      note.set('archived', false);
      note.set('deletedAt', null);
    });
    body(id)
      .getText('body')
      .insert(0, String(command.body ?? ''));
    return id;
  },
  /** Holds the given updates (base64, by id) as lazy documents, as if synced earlier. */
  holdBodies(command) {
    const updates = command.updates as Record<string, string>;
    for (const [id, update] of Object.entries(updates))
      Y.applyUpdate(body(id), Buffer.from(update, 'base64'), 'held');
    return Object.keys(updates).length;
  },
  deleteInBody(command) {
    body(String(command.doc)).getText('body').delete(0, Number(command.count));
    return true;
  },
  editBody(command) {
    body(String(command.doc)).getText('body').insert(0, String(command.text));
    return true;
  },
  titles: () => titles(),
  lazySnapshot: () => snapshot(),
  async waitTitles(command) {
    const ok = await waitFor(
      () => titles().length >= Number(command.count),
      Number(command.timeoutMs ?? 20_000),
    );
    return { ok, titles: titles() };
  },
  async waitLazy(command) {
    const ok = await waitFor(
      () => bodies.size >= Number(command.count),
      Number(command.timeoutMs ?? 20_000),
    );
    return { ok, count: bodies.size };
  },
  async waitLazyText(command) {
    const text = () => bodies.get(String(command.doc))?.getText('body').toString() ?? null;
    const ok = await waitFor(() => text() === command.text, Number(command.timeoutMs ?? 20_000));
    return { ok, text: text() };
  },
  /** Waits until the exchange with every connected peer is done, both ways. */
  async waitDone(command) {
    const done = () =>
      peers.size > 0 &&
      [...peers.values()].every(
        (r) => r.lazy && r.answersSent && r.outBytes === 0 && r.theirAnswersDone,
      );
    return { ok: await waitFor(done, Number(command.timeoutMs ?? 20_000)) };
  },
  exit() {
    for (const remote of peers.values()) remote.sp.destroy();
    socket?.close();
    setTimeout(() => process.exit(0), 20);
    return true;
  },
};

serveCommands(handlers);
