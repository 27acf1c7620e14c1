/**
 * Two sync providers (PeerSync) joined by a stand-in for a data channel, for the lazy-document
 * tests that run without WebRTC: messages are cut into chunk frames as PeerConn does and
 * delivered to the other provider's data handler on a later turn, in order. Everything else is
 * real: hello, device-proof-free admission, the root's sync, the lazy exchange, the budgets.
 */
import { WebSocket } from 'ws';
import * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import { toFrames } from '../../shared/protocol/frames';
import {
  PeerEndpoint,
  PeerSync,
  type LazyDocs,
  type LazyLimits,
  type PeerSyncOptions,
  type WebSocketConstructor,
} from '../../renderer/sync/peer/peerSync';
import { helloMessage } from '../../renderer/sync/peer/wire';

/** One end of a channel: what is sent on it arrives at the other provider from `remote`. */
export class Link extends PeerEndpoint {
  private readonly queue: Array<{ frame: Uint8Array; onSent?: (() => void) | undefined }> = [];
  private nextMessageId = 0;
  private scheduled = false;
  /** Every whole message sent on this end, when `recording`. */
  readonly sent: Uint8Array[] = [];
  recording = false;

  constructor(
    id: string,
    private readonly deliver: (frame: Uint8Array) => void,
  ) {
    super(id);
    this.state = 'connected';
  }

  /** Nothing sent on this end is waiting to be delivered. */
  get idle(): boolean {
    return this.queue.length === 0 && !this.scheduled;
  }

  override send(message: Uint8Array, onSent?: () => void): void {
    if (this.closed) return;
    if (this.recording) this.sent.push(message);
    const frames = toFrames(message, this.nextMessageId++);
    frames.forEach((frame, index) =>
      this.queue.push({ frame, onSent: index === frames.length - 1 ? onSent : undefined }),
    );
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.pump());
    }
  }

  private pump(): void {
    this.scheduled = false;
    while (this.queue.length > 0 && !this.closed) {
      const { frame, onSent } = this.queue.shift()!;
      this.deliver(frame);
      onSent?.();
    }
  }

  override destroy(): void {
    this.closed = true;
    this.queue.length = 0;
  }
}

export interface Side {
  readonly doc: Y.Doc;
  readonly sync: PeerSync;
  readonly logs: string[];
}

/** A provider with no signaling (its peers are the links tests make), logging into `logs`. */
export function lazyProvider(
  lazyDocs: LazyDocs | undefined,
  options: Partial<PeerSyncOptions> & { lazyLimits?: LazyLimits } = {},
): Side {
  const doc = options.doc ?? new Y.Doc();
  const logs: string[] = [];
  const sync = new PeerSync({
    doc,
    awareness: new awarenessProtocol.Awareness(doc),
    roomName: 'room-lazy-test',
    password: 'password-lazy-test',
    signaling: [],
    iceServers: [],
    WebSocket: WebSocket as unknown as WebSocketConstructor,
    log: (line) => logs.push(line),
    ...(lazyDocs ? { lazyDocs } : {}),
    ...options,
  });
  return { doc, sync, logs };
}

/** A channel between two providers; `close` is the channel closing on both ends. */
export interface Channel {
  /** A's end (what A sends goes to B). */
  readonly atA: Link;
  readonly atB: Link;
  close(): void;
}

/**
 * Connects `a` and `b`. Each first gets the other's hello (as each would send on connect, saying
 * whether it speaks lazy documents), after which everything is what the providers send.
 */
export function connect(a: Side, b: Side, names = ['a', 'b'], lazy = [true, true]): Channel {
  const [nameA = 'a', nameB = 'b'] = names;
  // `atA` is B as A sees it: A sends on it, and B receives what it sends as coming from `atB`.
  const atA: Link = new Link(`${nameB}-seen-by-${nameA}`, (frame) => b.sync.onPeerData(atB, frame));
  const atB: Link = new Link(`${nameA}-seen-by-${nameB}`, (frame) => a.sync.onPeerData(atA, frame));
  a.sync.onPeerData(atA, helloMessage(null, lazy[1]));
  b.sync.onPeerData(atB, helloMessage(null, lazy[0]));
  return {
    atA,
    atB,
    close() {
      a.sync.onPeerClosed(atA);
      b.sync.onPeerClosed(atB);
    },
  };
}

/** Waits, a timer turn at a time, until `done` or `ms` pass; says whether it got there. */
export async function until(done: () => boolean, ms = 20_000): Promise<boolean> {
  const started = Date.now();
  while (!done()) {
    if (Date.now() - started > ms) return false;
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  return true;
}
