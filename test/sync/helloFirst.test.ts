/**
 * Outpost's hello must be the first message a peer gets from us: the peer decides from its first
 * message whether we are Outpost or a stock y-webrtc client, for the life of the connection, and
 * holds back from a "stock" client every change over 256 KiB. The other side's hello can arrive
 * before simple-peer reports our end open ('connect' waits for the channel's stats), and our
 * answer to it was then queued ahead of our hello: in the sync bench, one reconnect in 30 never
 * converged that way.
 */
import { afterEach, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import * as Y from 'yjs';
import { Awareness } from 'y-protocols/awareness';
import {
  PeerEndpoint,
  PeerSync,
  type WebSocketConstructor,
} from '../../renderer/sync/peer/peerSync';
import { HELLO_VERSION, MESSAGE_HELLO } from '../../shared/protocol/frames';
import { openMessage } from '../../renderer/sync/peer/wire';

class RecordingPeer extends PeerEndpoint {
  readonly sent: Uint8Array[] = [];
  override send(message: Uint8Array): void {
    this.sent.push(message);
  }
  override destroy(): void {
    this.closed = true;
  }
}

const open: PeerSync[] = [];
afterEach(() => {
  for (const sync of open.splice(0)) sync.destroy();
});

function provider(doc: Y.Doc): PeerSync {
  const sync = new PeerSync({
    doc,
    awareness: new Awareness(doc),
    roomName: 'room-hello-first',
    password: 'password-hello-first',
    signaling: [],
    iceServers: [],
    WebSocket: WebSocket as unknown as WebSocketConstructor,
  });
  open.push(sync);
  return sync;
}

/** Until the provider has read everything `conn` sent (it reads in slices on timers). */
async function drained(conn: PeerEndpoint): Promise<void> {
  await new Promise<void>((resolve) => setTimeout(resolve, 0));
  while (conn.inboundBytes > 0) await new Promise<void>((resolve) => setTimeout(resolve, 0));
}

it("says hello before answering a peer's hello that came before our end reported open", async () => {
  const doc = new Y.Doc();
  doc.getText('t').insert(0, 'ours');
  const sync = provider(doc);
  const conn = new RecordingPeer('early-peer');
  sync.onPeerData(conn, Uint8Array.of(MESSAGE_HELLO, HELLO_VERSION));
  await drained(conn);
  expect(conn.kind).toBe('outpost');
  expect(conn.sent.length).toBeGreaterThanOrEqual(2);
  expect(openMessage(conn.sent[0]!).isHello).toBe(true);
  // Then our end reports open: no second hello.
  (sync as unknown as { onPeerConnected(conn: PeerEndpoint): void }).onPeerConnected(conn);
  expect(conn.sent.filter((message) => openMessage(message).isHello)).toHaveLength(1);
});

it('says hello first to a peer whose first message was not one (a stock client) too', async () => {
  const doc = new Y.Doc();
  const sync = provider(doc);
  const conn = new RecordingPeer('stock-peer');
  const other = new Y.Doc();
  other.getText('t').insert(0, 'theirs');
  // A stock y-webrtc client opens with its state vector (sync step 1).
  const { encodeStateVector } = Y;
  const encoding = await import('lib0/encoding');
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 0);
  encoding.writeVarUint(encoder, 0);
  encoding.writeVarUint8Array(encoder, encodeStateVector(other));
  sync.onPeerData(conn, encoding.toUint8Array(encoder));
  await drained(conn);
  expect(conn.kind).toBe('stock');
  expect(openMessage(conn.sent[0]!).isHello).toBe(true);
});

it('waits for the hello that arrives after presence (the first two messages swapped)', async () => {
  // @roamhq/wrtc can hand a channel's first message over after its second when the receiving
  // side is slow to take the channel: an Outpost peer's presence then comes before its hello.
  const doc = new Y.Doc();
  const sync = provider(doc);
  const conn = new RecordingPeer('late-hello-peer');
  const theirs = new Awareness(new Y.Doc());
  theirs.setLocalState({ name: 'Ana' });
  const { encodeAwarenessUpdate } = await import('y-protocols/awareness');
  const encoding = await import('lib0/encoding');
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 1);
  encoding.writeVarUint8Array(encoder, encodeAwarenessUpdate(theirs, [theirs.clientID]));
  sync.onPeerData(conn, encoding.toUint8Array(encoder));
  await drained(conn);
  expect(conn.kind).toBe('unknown');
  sync.onPeerData(conn, Uint8Array.of(MESSAGE_HELLO, HELLO_VERSION));
  await drained(conn);
  expect(conn.kind).toBe('outpost');
  // The presence it sent first is read once its hello decided who it is.
  expect(sync.awareness.getStates().get(theirs.clientID)).toEqual({ name: 'Ana' });
  expect(openMessage(conn.sent[0]!).isHello).toBe(true);
});
