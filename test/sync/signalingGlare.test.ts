/**
 * The signaling room (renderer/sync/peer/signalingRoom.ts) against a y-webrtc peer's signals,
 * played here with simple-peer over @roamhq/wrtc (what y-webrtc itself is built on) and sealed with
 * the room key, through a fake WebSocket (the signaling server's edge). Only signaling is looked
 * at, so no network is needed: the peer connections exchange descriptions, not packets.
 *
 * The cases come from test/e2e/peerChurn.test.ts, where a y-webrtc peer that hears our announce
 * makes a connection to offer us while our offer to it is on its way. When ours reaches that
 * connection before its own offer is out, the peer either fails its own offer
 * (ERR_SET_LOCAL_DESCRIPTION), or answers ours and then sends its own offer on the same connection
 * with the same token, and fails on our answer to it (ERR_SET_REMOTE_DESCRIPTION). Either way it
 * drops the connection, announces, and waits for an offer: while the room ignored that announce
 * (it had a handshake with the peer in progress), the two stayed unconnected until it timed out.
 */
import { createRequire } from 'node:module';
import { afterEach, describe, expect, it } from 'vitest';
import Peer, { type SimplePeerInstance } from 'simple-peer/simplepeer.min.js';
import {
  deriveSignalingKey,
  openSignal,
  sealSignal,
  type SignalingKey,
} from '../../shared/protocol/signalingCrypto';
import { SignalingRoom } from '../../renderer/sync/peer/signalingRoom';
import { emptyWireCounters } from '../../renderer/sync/peer/types';
import { FakeClock } from './fakeClock';
import type { FakeWebSocket } from './fakeWebSocket';
import { FakeWebSocketConstructor, madeSockets } from './fakeWebSocket';

const wrtc: unknown = createRequire(import.meta.url)('@roamhq/wrtc');
const ROOM = 'glare-room';
const PASSWORD = 'glare-password';
const THEM = 'stock-peer-id';

/** The socket the room opened (it opens one, to the one server it is given). */
const socket = (): FakeWebSocket => madeSockets.at(-1)!;

/** What the room published, opened with the room key, in order. */
async function published(key: SignalingKey): Promise<Array<Record<string, unknown>>> {
  const out: Array<Record<string, unknown>> = [];
  for (const raw of socket().sent) {
    const frame = JSON.parse(raw) as { type: string; data?: unknown };
    if (frame.type !== 'publish') continue;
    out.push((await openSignal(key, frame.data)) as Record<string, unknown>);
  }
  return out;
}

async function hear(key: SignalingKey, message: Record<string, unknown>): Promise<void> {
  const data = await sealSignal(key, message);
  socket().onmessage!({ data: JSON.stringify({ type: 'publish', topic: ROOM, data }) });
}

async function until<T>(find: () => Promise<T | undefined>): Promise<T> {
  for (;;) {
    const found = await find();
    if (found !== undefined) return found;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

async function publishedOffers(key: SignalingKey): Promise<Array<Record<string, unknown>>> {
  return (await published(key)).filter(
    (message) => (message.signal as { type?: string } | undefined)?.type === 'offer',
  );
}

/**
 * A description without its ICE candidates: neither side learns an address, so the handshake
 * stays in progress for as long as the test looks at it (on loopback it could otherwise complete
 * between two signals, and the case is about a handshake in progress).
 */
function withoutCandidates(signal: unknown): unknown {
  const { type, sdp } = signal as { type: string; sdp: string };
  return { type, sdp: sdp.replace(/^a=(candidate|end-of-candidates).*\r\n/gm, '') };
}

/** The first signal of `type` a simple-peer emits. */
function signalOf(peer: SimplePeerInstance, type: string): Promise<unknown> {
  return new Promise((resolve) => {
    let done = false;
    peer.on('signal', (signal) => {
      if (done || (signal as { type?: string }).type !== type) return;
      done = true;
      resolve(signal);
    });
  });
}

const peers: SimplePeerInstance[] = [];
let room: SignalingRoom | null = null;

afterEach(() => {
  for (const peer of peers.splice(0)) peer.destroy();
  room?.disconnect();
  for (const conn of [...(room?.connections() ?? [])]) conn.destroy();
  room = null;
});

async function openRoom(): Promise<{ room: SignalingRoom; key: SignalingKey }> {
  const key = await deriveSignalingKey(PASSWORD, ROOM);
  const made = new SignalingRoom(
    {
      roomName: ROOM,
      password: PASSWORD,
      peerId: 'outpost-peer-id',
      signaling: ['ws://signaling.invalid/'],
      iceServers: [],
      relayOnly: false,
      wrtc,
      WebSocket: FakeWebSocketConstructor,
      maxConns: 30,
      handshakeTimeoutMs: 20_000,
      clock: new FakeClock(),
      now: () => Date.now(),
      wire: emptyWireCounters(),
    },
    {
      connected: () => {},
      data: () => {},
      drop: () => {},
      changed: () => {},
      log: () => {},
    },
  );
  await made.keyReady;
  made.connect();
  socket().onopen!();
  room = made;
  return { room: made, key };
}

describe('signaling room and a y-webrtc peer', () => {
  it('answers an offer made after its answer to ours, then offers again once it announces', async () => {
    const { room: opened, key } = await openRoom();
    const to = 'outpost-peer-id';
    // The peer announces; we offer.
    await hear(key, { type: 'announce', from: THEM });
    const [offer] = await until(async () => {
      const offers = await publishedOffers(key);
      return offers.length > 0 ? offers : undefined;
    });
    const ours = [...opened.connections()];
    expect(ours.map((conn) => conn.initiator)).toEqual([true]);

    // Its connection answers our offer, and the offer that connection made itself follows, with
    // the same token (the descriptions are real ones from wrtc, without their candidates).
    const token = Date.now() + Math.random();
    const answering = new Peer({ initiator: false, trickle: true, wrtc });
    const itsOwn = new Peer({ initiator: true, trickle: true, wrtc });
    peers.push(answering, itsOwn);
    const answer = signalOf(answering, 'answer');
    answering.signal(withoutCandidates(offer!.signal));
    const itsOffer = await signalOf(itsOwn, 'offer');
    await hear(key, {
      type: 'signal',
      from: THEM,
      to,
      token,
      signal: withoutCandidates(await answer),
    });
    await hear(key, { type: 'signal', from: THEM, to, token, signal: withoutCandidates(itsOffer) });
    // Glare: its offer is answered on a fresh connection (that answer makes its side fail).
    await until(async () =>
      (await published(key)).some(
        (message) => (message.signal as { type?: string } | undefined)?.type === 'answer',
      )
        ? true
        : undefined,
    );
    const answeringNow = [...opened.connections()];
    expect(answeringNow.map((conn) => conn.initiator)).toEqual([false]);
    expect(ours[0]!.closed).toBe(true);

    // It drops that connection and announces, on the error and on the close: one fresh offer.
    await hear(key, { type: 'announce', from: THEM });
    await hear(key, { type: 'announce', from: THEM });
    await hear(key, { type: 'announce', from: 'someone-else' });
    await until(async () => ((await publishedOffers(key)).length === 3 ? true : undefined));
    const offers = await publishedOffers(key);
    // Each connection's offer comes when its own WebRTC stack has made it: in any order.
    expect(offers.map((message) => message.to).sort()).toEqual([THEM, THEM, 'someone-else'].sort());
    const now = [...opened.connections()].filter((conn) => conn.id === THEM);
    expect(now.map((conn) => conn.initiator)).toEqual([true]);
    expect(answeringNow[0]!.closed).toBe(true);
  });

  it('offers again, once, when the peer announces before answering our offer', async () => {
    const { room: opened, key } = await openRoom();
    await hear(key, { type: 'announce', from: THEM });
    await until(async () => ((await publishedOffers(key)).length === 1 ? true : undefined));
    const first = [...opened.connections()];

    // Its own offer failed on ours: it drops that connection and announces, on the error and on
    // the close. The first announce gets a fresh offer; the second changes nothing.
    await hear(key, { type: 'announce', from: THEM });
    await hear(key, { type: 'announce', from: THEM });
    await hear(key, { type: 'announce', from: 'someone-else' });
    await until(async () => ((await publishedOffers(key)).length === 3 ? true : undefined));

    const offers = await publishedOffers(key);
    // Each connection's offer comes when its own WebRTC stack has made it: in any order.
    expect(offers.map((message) => message.to).sort()).toEqual([THEM, THEM, 'someone-else'].sort());
    const tokens = offers.filter((message) => message.to === THEM).map((message) => message.token);
    expect(new Set(tokens).size).toBe(2);
    const now = [...opened.connections()].filter((conn) => conn.id === THEM);
    expect(now).toHaveLength(1);
    expect(now[0]).not.toBe(first[0]);
    expect(first[0]!.closed).toBe(true);
  });
});
