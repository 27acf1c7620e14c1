/**
 * A stock `yjs` + `y-webrtc` 10.3 peer for sync tests, run as its own process and driven like
 * nodePeer.ts (JSON lines on stdin). Unlike thirdPartyClient.ts (which proves docs/PROTOCOL.md is
 * enough to write a client), this one exists to hold Outpost to y-webrtc's own behaviour: its glare
 * rule, and peers that join and leave at any point of a handshake. It takes the room name and
 * password ready-made, so one process can join and leave many times quickly.
 */
import { createRequire } from 'node:module';
import { WebSocket } from 'ws';
import * as Y from 'yjs';
import { openSignal } from '../../shared/protocol/signalingCrypto';
import { serveCommands, type Handlers } from './commandLoop';

// y-webrtc handles signaling messages in promise callbacks and throws in one of them on an answer
// for a connection it has already dropped ("Cannot set properties of undefined (setting
// 'glareToken')"). A page survives that unhandled rejection; Node would end the process. Kept
// alive and said on stderr, as a browser's console would.
process.on('unhandledRejection', (reason) => {
  process.stderr.write(`y-webrtc: unhandled rejection: ${String(reason)}\n`);
});

// @roamhq/wrtc crashes the whole process (SIGSEGV in its native RTCDataChannel::Send) when a
// message is sent on a data channel the other side has just closed; a browser throws an
// InvalidStateError there, which y-webrtc catches. Sending only on an open channel gives this Node
// peer the browser's outcome (the message goes nowhere) instead of the crash.
const { default: SimplePeer } = (await import('simple-peer/simplepeer.min.js')) as unknown as {
  default: { prototype: { send(chunk: unknown): void; _channel?: { readyState?: string } } };
};
const send = SimplePeer.prototype.send;
SimplePeer.prototype.send = function (this: typeof SimplePeer.prototype, chunk: unknown) {
  if (this._channel?.readyState !== 'open') throw new Error('the data channel is not open');
  send.call(this, chunk);
};

// y-webrtc's signaling client uses the global WebSocket.
(globalThis as { WebSocket?: unknown }).WebSocket = WebSocket;
const { WebrtcProvider } = await import('y-webrtc');
const wrtc: unknown = createRequire(import.meta.url)('@roamhq/wrtc');

type Provider = InstanceType<typeof WebrtcProvider>;
interface Room {
  readonly peerId: string;
  readonly webrtcConns: Map<string, { connected: boolean }>;
}

let doc = new Y.Doc();
let provider: Provider | null = null;

/**
 * What happened since the last join, for a cycle that never reaches its stage: every signaling
 * message this peer sent or received (opened with the room's key, as y-webrtc does), its socket's
 * state and y-webrtc's peer changes, each with its time. The app's side of the same moments is in
 * its sync log, so a test can say why a cycle failed.
 */
let trace: string[] = [];

/** A signaling message in one line: its type, its ends, the signal's kind and the glare token. */
function describeSignal(data: unknown): string {
  if (typeof data !== 'object' || data === null) return 'unreadable';
  const message = data as Record<string, unknown>;
  const signal = message.signal as { type?: unknown } | undefined;
  const kind = signal ? ` ${typeof signal.type === 'string' ? signal.type : 'candidate'}` : '';
  const ends = `${String(message.from).slice(0, 8)}→${message.to === undefined ? 'all' : String(message.to).slice(0, 8)}`;
  return `${String(message.type)}${kind} ${ends}${message.token === undefined ? '' : ` token ${String(message.token)}`}`;
}

/** Records `provider`'s signaling traffic and peer changes into {@link trace}. */
function traceProvider(watched: Provider): void {
  const note = (what: string) => trace.push(`${Date.now()} ${what}`);
  const opened = (direction: string, at: number, sealed: unknown) =>
    // y-webrtc's own room key (derived from the password once per join, as openSignal expects).
    watched.key
      .then((key) => openSignal(key!, sealed))
      .then(
        (data) => trace.push(`${at} ${direction} ${describeSignal(data)}`),
        (error: unknown) => trace.push(`${at} ${direction} unopenable: ${String(error)}`),
      );
  type Socket = {
    on(event: string, listener: (message: unknown) => void): void;
    send(message: unknown): void;
  };
  const internals = watched as unknown as {
    signalingConns: Socket[];
    on(event: string, listener: (change: unknown) => void): void;
  };
  internals.on('peers', (change) => note(`peers ${JSON.stringify(change)}`));
  for (const socket of internals.signalingConns) {
    socket.on('connect', () => note('signaling connected'));
    socket.on('disconnect', () => note('signaling disconnected'));
    socket.on('message', (message) => {
      const frame = message as { type?: unknown; data?: unknown };
      if (frame.type === 'publish') void opened('in', Date.now(), frame.data);
      else note(`in ${String(frame.type)}`);
    });
    const send = socket.send.bind(socket);
    socket.send = (message: unknown) => {
      const frame = message as { type?: unknown; data?: unknown };
      if (frame.type === 'publish') void opened('out', Date.now(), frame.data);
      else note(`out ${String(frame.type)}`);
      send(message);
    };
  }
}

function room(): Room | null {
  return (provider as unknown as { room: Room | null } | null)?.room ?? null;
}

function titles(): string[] {
  const out: string[] = [];
  doc.getMap('notes').forEach((record) => {
    if (record instanceof Y.Map && typeof record.get('title') === 'string')
      out.push(record.get('title') as string);
  });
  return out.sort();
}

async function waitFor(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) return false;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return true;
}

interface JoinOptions {
  readonly room: string;
  readonly password: string;
  readonly signaling: string[];
}

/** Joins the room; resolves with y-webrtc's peer id once the room exists (key derived). */
async function join(options: JoinOptions): Promise<string> {
  doc = new Y.Doc();
  trace = [`${Date.now()} join`];
  provider = new WebrtcProvider(options.room, doc, {
    signaling: options.signaling,
    password: options.password,
    peerOpts: { wrtc, config: { iceServers: [] } },
  });
  traceProvider(provider);
  await provider.key;
  trace.push(`${Date.now()} in the room as ${room()!.peerId.slice(0, 8)}`);
  return room()!.peerId;
}

/** Leaves as y-webrtc does on destroy, and waits until the room is gone so it can be joined again. */
async function leave(): Promise<void> {
  const leaving = provider;
  provider = null;
  if (!leaving) return;
  leaving.disconnect();
  leaving.destroy();
  await leaving.key;
  // destroy() deletes the room in a `then` on the key; let it run before the next join.
  await new Promise((resolve) => setTimeout(resolve, 0));
}

/** Waits until the signaling socket is open and the announce it triggers has been sealed and sent. */
async function announced(): Promise<boolean> {
  const sockets = () =>
    (provider as unknown as { signalingConns: Array<{ connected: boolean }> } | null)
      ?.signalingConns ?? [];
  const open = await waitFor(() => sockets().some((socket) => socket.connected), 5000);
  // Sealing (AES-GCM) is asynchronous; it takes well under a millisecond.
  await new Promise((resolve) => setTimeout(resolve, 30));
  return open;
}

const connectedPeers = () =>
  [...(room()?.webrtcConns.values() ?? [])].filter((conn) => conn.connected).length;

function addNote(title: string): void {
  const now = Date.now();
  doc.transact(() => {
    const note = new Y.Map<unknown>();
    doc.getMap('notes').set(`stock-${now}-${Math.random().toString(36).slice(2, 10)}`, note);
    note.set('title', title);
    note.set('pinned', false);
    note.set('tags', new Y.Map());
    note.set('body', new Y.XmlFragment());
    note.set('createdAt', now);
    note.set('createdBy', 'stock-member');
    note.set('updatedAt', now);
    note.set('updatedBy', 'stock-member');
    note.set('archived', false);
    note.set('deletedAt', null);
  }, 'stock');
}

/**
 * Where a cycle leaves: right after announcing (the Outpost peer's offer finds nobody), as soon as
 * the Outpost peer's offer arrives (mid-handshake), or once connected and synced (a clean leave).
 *
 * "Synced" is seen in the document: each join starts empty, so holding any note means the Outpost
 * peer's state arrived. y-webrtc's own per-connection `synced` flag cannot tell: it is set only
 * while the room as a whole is not synced, and a room whose only connection closed (a handshake
 * that failed in glare) counts as synced with nobody, so the next connection is never marked.
 */
const STAGES = ['announced', 'offered', 'synced'] as const;

const handlers: Handlers = {
  join: (command) => join(command as unknown as JoinOptions),
  leave: () => leave(),
  addNote(command) {
    addNote(String(command.title));
    return true;
  },
  titles: () => titles(),
  connectedPeers: () => connectedPeers(),
  async waitTitles(command) {
    const ok = await waitFor(
      () => titles().length >= Number(command.count),
      Number(command.timeoutMs ?? 20_000),
    );
    return { ok, titles: titles() };
  },
  /**
   * `count` join/leave cycles, leaving at each stage of {@link STAGES} in turn (or only at
   * `only`). Stops at the first cycle whose stage is never reached: the peer could not get in.
   */
  async cycles(command) {
    const options = command as unknown as JoinOptions & {
      count: number;
      only?: (typeof STAGES)[number];
      stageTimeoutMs?: number;
      /** Shortest time from one join to the next. */
      minCycleMs?: number;
    };
    let failed: { cycle: number; stage: string; trace: string[] } | null = null;
    const left: Record<string, number> = {
      announced: 0,
      offered: 0,
      synced: 0,
      timedOut: 0,
      // The longest a cycle took to reach its stage (join to stage), for the record.
      slowestMs: 0,
    };
    for (let i = 0; i < options.count && left.timedOut === 0; i++) {
      const stage = options.only ?? STAGES[i % STAGES.length]!;
      const joined = Date.now();
      const next = joined + (options.minCycleMs ?? 0);
      await join(options);
      const reached =
        stage === 'announced'
          ? await announced()
          : await waitFor(
              () =>
                stage === 'offered'
                  ? (room()?.webrtcConns.size ?? 0) > 0
                  : connectedPeers() > 0 && titles().length > 0,
              options.stageTimeoutMs ?? 15_000,
            );
      left[reached ? stage : 'timedOut']!++;
      if (!reached) {
        const conns = [...(room()?.webrtcConns.entries() ?? [])].map(
          ([id, conn]) => `${id.slice(0, 8)} ${conn.connected ? 'connected' : 'not connected'}`,
        );
        trace.push(
          `${Date.now()} cycle ${i} did not reach "${stage}"; connections: ${conns.join(', ') || 'none'}; notes held: ${titles().length}`,
        );
        failed = { cycle: i, stage, trace };
      }
      left.slowestMs = Math.max(left.slowestMs!, Date.now() - joined);
      // Leaving the very moment the sync completes, while the Outpost peer may still be sending
      // on the channel, sometimes crashes the Outpost peer's process inside @roamhq/wrtc
      // (SIGSEGV in RTCDataChannel::Send on a channel the remote side just closed; a browser
      // throws InvalidStateError there, which the provider handles). That is a fault of the Node
      // WebRTC binding, not something this test is about, so a synced peer stays a moment.
      if (reached && stage === 'synced') await new Promise((resolve) => setTimeout(resolve, 200));
      await leave();
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, next - Date.now())));
    }
    return failed ? { ...left, failed } : left;
  },
  exit() {
    provider?.disconnect();
    provider?.destroy();
    setTimeout(() => process.exit(0), 20);
    return true;
  },
};

serveCommands(handlers);
