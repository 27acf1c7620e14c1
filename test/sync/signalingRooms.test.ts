/**
 * The signaling room in several rooms at once (weekly room names, shared/protocol/roomEpoch.ts):
 * it subscribes and announces in each, each sealed with that room's own key; leaving a room
 * unsubscribes from it on every server; a handshake answers in the room the peer spoke in. And
 * the provider moves between weekly rooms by itself as its clock passes a week's change.
 * Driven with fake WebSockets (the servers' edge); the peer connections are real (wrtc).
 */
import { createRequire } from 'node:module';
import { afterEach, describe, expect, it } from 'vitest';
import { deriveSignalingKey, openSignal, sealSignal } from '../../shared/protocol/signalingCrypto';
import { SignalingRoom } from '../../renderer/sync/peer/signalingRoom';
import { PeerSync, ROOM_RECHECK_MS } from '../../renderer/sync/peer/peerSync';
import {
  nextRoomChangeAt,
  ROOM_GRACE_MS,
  roomEpochAt,
  roomNamesAt,
} from '../../shared/protocol/roomEpoch';
import { Awareness } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { emptyWireCounters } from '../../renderer/sync/peer/types';
import { FakeClock } from './fakeClock';
import { FakeWebSocketConstructor, madeSockets, type FakeWebSocket } from './fakeWebSocket';

const wrtc: unknown = createRequire(import.meta.url)('@roamhq/wrtc');
const PASSWORD = 'rooms-password';
const [THIS_WEEK, LAST_WEEK] = ['room-this-week', 'room-last-week'];

let room: SignalingRoom | null = null;
afterEach(() => {
  room?.disconnect();
  for (const conn of [...(room?.connections() ?? [])]) conn.destroy();
  room = null;
});

type Frame = { type: string; topic?: string; topics?: string[]; data?: unknown };
const frames = (socket: FakeWebSocket) => socket.sent.map((raw) => JSON.parse(raw) as Frame);

async function until(done: () => boolean | Promise<boolean>): Promise<void> {
  for (let tries = 0; tries < 300 && !(await done()); tries++)
    await new Promise((resolve) => setTimeout(resolve, 10));
}

describe('a signaling room in two rooms at once', () => {
  it('joins and announces in both, with each room its own key, and leaves one cleanly', async () => {
    madeSockets.length = 0;
    const clock = new FakeClock();
    room = new SignalingRoom(
      {
        roomName: THIS_WEEK,
        password: PASSWORD,
        peerId: 'us',
        signaling: ['ws://one.invalid/'],
        iceServers: [],
        relayOnly: false,
        wrtc,
        WebSocket: FakeWebSocketConstructor,
        maxConns: 30,
        handshakeTimeoutMs: 20_000,
        clock,
        now: () => clock.now(),
        wire: emptyWireCounters(),
      },
      { connected: () => {}, data: () => {}, drop: () => {}, changed: () => {}, log: () => {} },
    );
    await room.keyReady;
    room.connect();
    const socket = madeSockets[0]!;
    socket.onopen!();
    room.setRooms([THIS_WEEK, LAST_WEEK]);
    expect(room.roomNames).toEqual([THIS_WEEK, LAST_WEEK]);
    const keys: Record<string, Awaited<ReturnType<typeof deriveSignalingKey>>> = {};
    for (const name of [THIS_WEEK, LAST_WEEK])
      keys[name] = await deriveSignalingKey(PASSWORD, name);
    const announcedIn = () =>
      frames(socket)
        .filter((frame) => frame.type === 'publish')
        .map((frame) => frame.topic);
    await until(() => announcedIn().length === 2);
    expect(
      frames(socket)
        .filter((f) => f.type === 'subscribe')
        .map((f) => f.topics),
    ).toEqual([[THIS_WEEK], [LAST_WEEK]]);
    expect(announcedIn()).toEqual([THIS_WEEK, LAST_WEEK]);
    // Each announce opens with its own room's key only.
    for (const frame of frames(socket).filter((f) => f.type === 'publish')) {
      const own = frame.topic === THIS_WEEK ? keys[THIS_WEEK]! : keys[LAST_WEEK]!;
      const other = frame.topic === THIS_WEEK ? keys[LAST_WEEK]! : keys[THIS_WEEK]!;
      expect(await openSignal(own, frame.data)).toMatchObject({ type: 'announce', from: 'us' });
      expect(await openSignal(other, frame.data)).toBeUndefined();
    }

    // A teammate still in last week's room announces there: the offer goes back in that room.
    const announce = await sealSignal(keys[LAST_WEEK]!, {
      type: 'announce',
      from: 'them',
      ts: clock.now(),
      nonce: 'abcdefabcdefabcdefabcdef',
    });
    socket.onmessage!({
      data: JSON.stringify({ type: 'publish', topic: LAST_WEEK, data: announce }),
    });
    const offerIn = async () => {
      for (const frame of frames(socket).filter((f) => f.type === 'publish')) {
        const opened = (await openSignal(keys[LAST_WEEK]!, frame.data)) as
          { signal?: { type?: string } } | undefined;
        if (opened?.signal?.type === 'offer') return frame.topic;
      }
      return undefined;
    };
    await until(async () => (await offerIn()) !== undefined);
    expect(await offerIn()).toBe(LAST_WEEK);

    // The grace period ends: last week's room is left on the server.
    room.setRooms([THIS_WEEK]);
    expect(frames(socket).at(-1)).toEqual({ type: 'unsubscribe', topics: [LAST_WEEK] });
    expect(room.roomNames).toEqual([THIS_WEEK]);
  });
});

describe('the provider following the weekly rooms', () => {
  it("joins last week's room at the change of week and leaves it when the grace period ends", async () => {
    madeSockets.length = 0;
    const key = Uint8Array.from({ length: 32 }, (_, i) => i + 1);
    const clock = new FakeClock();
    const change = roomEpochAt(Date.UTC(2026, 11, 3)).end; // Monday 2026-12-07 00:00 UTC
    clock.time = change - 5 * 60_000;
    const doc = new Y.Doc();
    const [start = ''] = await roomNamesAt(key, clock.now());
    const sync = new PeerSync({
      doc,
      awareness: new Awareness(doc),
      roomName: start,
      rooms: { roomsAt: (ms) => roomNamesAt(key, ms), nextChangeAt: nextRoomChangeAt },
      password: 'weekly',
      signaling: [],
      WebSocket: FakeWebSocketConstructor,
      clock,
      now: () => clock.now(),
    });
    try {
      const [lastWeek, thisWeek] = [
        await roomNamesAt(key, change - 1),
        await roomNamesAt(key, change + ROOM_GRACE_MS),
      ];
      await until(() => sync.roomNames.length === 1);
      expect(sync.roomNames).toEqual(lastWeek);
      // The week changes: the new week's room first, last week's kept for the grace period.
      clock.advance(5 * 60_000);
      await until(() => sync.roomNames.length === 2);
      expect(sync.roomNames.sort()).toEqual([...thisWeek, ...lastWeek].sort());
      // Still both just before the grace period ends, then only this week's.
      clock.advance(ROOM_GRACE_MS - ROOM_RECHECK_MS);
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(sync.roomNames).toHaveLength(2);
      clock.advance(ROOM_RECHECK_MS);
      await until(() => sync.roomNames.length === 1);
      expect(sync.roomNames).toEqual(thisWeek);
    } finally {
      sync.destroy();
    }
  });
});
