/**
 * A fresh Outpost peer joining a state larger than it lets one peer make it hold: two real
 * providers (PeerSync) with real Y.Docs, linked by a stand-in for the data channel that chunks
 * messages as PeerConn does and delivers faster than the joiner applies.
 */
import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import { WebSocket } from 'ws';
import * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import { toFrames } from '../../shared/protocol/frames';
import type { AnswerLimits } from '../../renderer/sync/peer/answerStream';
import type { InboundLimits } from '../../renderer/sync/peer/inboundBudget';
import {
  PeerEndpoint,
  PeerSync,
  type WebSocketConstructor,
} from '../../renderer/sync/peer/peerSync';
import { haveMessage, helloMessage, updateMessage } from '../../renderer/sync/peer/wire';
import { seededRandom as random } from './seededRandom';

const KiB = 1024;
const MiB = 1024 * KiB;

/**
 * One end of a data channel: what we send is cut into frames (as PeerConn does) and delivered to
 * the other side on the next turn, all of it at once, as a network faster than any peer applies.
 */
class Link extends PeerEndpoint {
  private readonly inFlight: Array<{ frame: Uint8Array; onSent?: (() => void) | undefined }> = [];
  private inFlightBytes = 0;
  private nextMessageId = 0;
  private scheduled = false;
  /** Most bytes handed to us and not yet delivered. */
  maxInFlightBytes = 0;
  /** Sync answers (step 2) sent. */
  answers = 0;

  constructor(
    id: string,
    private readonly deliver: (frame: Uint8Array) => void,
  ) {
    super(id);
    this.state = 'connected';
  }

  override send(message: Uint8Array, onSent?: () => void): void {
    if (this.closed) return;
    if (message[0] === 0 && message[1] === 1) this.answers++;
    const frames = toFrames(message, this.nextMessageId++);
    frames.forEach((frame, index) => {
      this.inFlight.push({ frame, onSent: index === frames.length - 1 ? onSent : undefined });
      this.inFlightBytes += frame.length;
    });
    this.maxInFlightBytes = Math.max(this.maxInFlightBytes, this.inFlightBytes);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.pump());
    }
  }

  private pump(): void {
    this.scheduled = false;
    while (this.inFlight.length > 0 && !this.closed) {
      const { frame, onSent } = this.inFlight.shift()!;
      this.inFlightBytes -= frame.length;
      this.deliver(frame);
      onSent?.();
    }
  }

  override destroy(): void {
    this.closed = true;
  }
}

const open: PeerSync[] = [];
afterEach(() => {
  for (const sync of open.splice(0)) sync.destroy();
});

function provider(
  doc: Y.Doc,
  log: (message: string) => void,
  limits: { inboundLimits?: InboundLimits; answerLimits?: AnswerLimits } = {},
): PeerSync {
  const sync = new PeerSync({
    doc,
    awareness: new awarenessProtocol.Awareness(doc),
    roomName: 'room-join-test',
    password: 'password-join-test',
    signaling: [],
    iceServers: [],
    WebSocket: WebSocket as unknown as WebSocketConstructor,
    log,
    ...limits,
  });
  open.push(sync);
  return sync;
}

/**
 * About 3.5 MB of notes: one device wrote them, a second edited a third of them and the first
 * then edited those edits, so changes of each device build on the other's.
 */
function workspace(seed: number): Y.Doc {
  const next = random(seed);
  const line = () => `${Math.floor(next() * 36 ** 8).toString(36)} `.repeat(40);
  const first = new Y.Doc();
  first.clientID = 11;
  const notes = first.getMap<Y.Text>('notes');
  for (let i = 0; i < 1200; i++) {
    const text = new Y.Text();
    notes.set(`n${i}`, text);
    for (let paragraph = 0; paragraph < 8; paragraph++) text.insert(text.length, line());
  }
  const second = new Y.Doc();
  second.clientID = 22;
  Y.applyUpdate(second, Y.encodeStateAsUpdate(first));
  for (let i = 0; i < 1200; i += 3) {
    const text = second.getMap<Y.Text>('notes').get(`n${i}`)!;
    text.insert(Math.floor(next() * text.length), 'edited ');
  }
  Y.applyUpdate(first, Y.encodeStateAsUpdate(second));
  for (let i = 0; i < 1200; i += 3) {
    const text = notes.get(`n${i}`)!;
    text.insert(text.toString().indexOf('edited ') + 7, 'again ');
    if (i % 2 === 0) text.delete(0, 10);
  }
  return first;
}

/** The notes as one string (a failing comparison of 3.5 MB prints a summary, not the notes). */
const contentOf = (doc: Y.Doc) => JSON.stringify(doc.getMap('notes').toJSON());
const sameState = (a: Y.Doc, b: Y.Doc) =>
  Buffer.from(Y.encodeStateVector(a)).equals(Y.encodeStateVector(b));

/** Waits, a timer turn at a time, until `done` or `ms` pass. */
async function until(done: () => boolean, ms = 60_000): Promise<void> {
  const started = Date.now();
  while (!done() && Date.now() - started < ms) await new Promise((r) => setTimeout(r, 2));
}

describe('a fresh Outpost peer joining a state larger than its limit per peer', () => {
  it('receives it in pieces it applies as they arrive, never holding past its limit', async () => {
    const holderDoc = workspace(3);
    const size = Y.encodeStateAsUpdate(holderDoc).length;
    expect(size).toBeGreaterThan(3 * MiB);
    const logs: string[] = [];
    const inboundLimits = { perPeerBytes: 1 * MiB, totalBytes: 2 * MiB };
    const answerLimits = { pieceBytes: 128 * KiB, windowBytes: 512 * KiB };
    const holder = provider(holderDoc, (line) => logs.push(`holder: ${line}`), { answerLimits });
    const joinerDoc = new Y.Doc();
    const joiner = provider(joinerDoc, (line) => logs.push(`joiner: ${line}`), { inboundLimits });

    // Each side's end of the channel as the other provider sees it: the holder sends to
    // `joinerAtHolder`, which delivers to the joiner as coming from `holderAtJoiner`.
    let held = 0; // what the joiner held unapplied from the holder, at most
    let waiting = 0; // updates it held for missing dependencies, at most
    let yjsPending = false; // whether its Yjs ever kept structs waiting
    const holderAtJoiner: Link = new Link('holder', (frame) =>
      holder.onPeerData(joinerAtHolder, frame),
    );
    const joinerAtHolder: Link = new Link('joiner', (frame) => {
      joiner.onPeerData(holderAtJoiner, frame);
      const usage = holderAtJoiner.reassembler.pendingBytes + holderAtJoiner.inboundBytes;
      held = Math.max(held, usage);
      waiting = Math.max(waiting, holderAtJoiner.pending.count);
      yjsPending ||= joinerDoc.store.pendingStructs !== null;
    });
    holder.onPeerData(joinerAtHolder, helloMessage());
    joiner.onPeerData(holderAtJoiner, helloMessage());
    // The joiner's have messages go to the peers of its signaling room, which this stand-in for
    // a channel is not part of: they are sent for it here, as often as it sends them (200 ms).
    let said = Y.encodeStateVector(joinerDoc);
    const haves = setInterval(() => {
      const now = Y.encodeStateVector(joinerDoc);
      if (Buffer.from(now).equals(said)) return;
      said = now;
      holderAtJoiner.send(haveMessage(now));
    }, 200);
    onTestFinished(() => clearInterval(haves));

    await until(() => holderAtJoiner.closed || sameState(joinerDoc, holderDoc));
    expect(logs).toEqual([]);
    expect(holderAtJoiner.closed).toBe(false);
    expect(sameState(joinerDoc, holderDoc)).toBe(true);
    expect(contentOf(joinerDoc) === contentOf(holderDoc)).toBe(true);
    // Never more than the pieces out at once (a window and a piece), far under its limit.
    expect(held).toBeLessThanOrEqual(answerLimits.windowBytes + 2 * answerLimits.pieceBytes);
    expect(held).toBeLessThan(inboundLimits.perPeerBytes);
    expect(waiting).toBe(0);
    expect(yjsPending).toBe(false);
    // Many pieces, and never the whole answer queued at the holder either.
    expect(joinerAtHolder.answers).toBeGreaterThan(10);
    expect(joinerAtHolder.maxInFlightBytes).toBeLessThanOrEqual(
      answerLimits.windowBytes + 2 * answerLimits.pieceBytes,
    );
  });
});

describe('a peer sending more than the joiner applies', () => {
  it('is still dropped at the limit per peer', async () => {
    const logs: string[] = [];
    const inboundLimits = { perPeerBytes: 1 * MiB, totalBytes: 2 * MiB };
    const joiner = provider(new Y.Doc(), (line) => logs.push(line), { inboundLimits });
    const hostile: Link = new Link('hostile', () => {});
    joiner.onPeerData(hostile, helloMessage());
    // 1.5 MB of valid updates at once, faster than any drain: not paced by what was applied.
    const author = new Y.Doc();
    author.clientID = 77;
    const updates: Uint8Array[] = [];
    author.on('update', (update: Uint8Array) => updates.push(update));
    for (let i = 0; i < 24; i++) author.getText('t').insert(0, 'z'.repeat(64 * KiB));
    for (const update of updates) joiner.onPeerData(hostile, updateMessage(update));
    await until(() => hostile.closed, 5_000);
    expect(hostile.closed).toBe(true);
    expect(logs).toEqual([
      expect.stringMatching(/^Disconnected peer hostile: sent 1\.\d MiB more than we could apply/),
    ]);
  });
});
