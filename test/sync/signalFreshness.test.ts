/**
 * Stamps on sealed signaling messages (renderer/sync/peer/signalFreshness.ts, issue 16): copies
 * and replays of what Outpost peers publish are ignored, and an announcement heard through two
 * signaling servers is one announcement. Driven through the signaling room with fake WebSockets
 * (the servers' edge) and a fake clock; the peer connections are real (simple-peer over wrtc).
 */
import { createRequire } from 'node:module';
import { afterEach, describe, expect, it } from 'vitest';
import {
  deriveSignalingKey,
  openSignal,
  sealSignal,
  type SignalingKey,
} from '../../shared/protocol/signalingCrypto';
import {
  MAX_REMEMBERED_NONCES,
  SIGNAL_MAX_SKEW_MS,
  SignalFreshness,
} from '../../renderer/sync/peer/signalFreshness';
import { SignalingRoom } from '../../renderer/sync/peer/signalingRoom';
import { emptyWireCounters, type WireCounters } from '../../renderer/sync/peer/types';
import { FakeClock } from './fakeClock';
import { FakeWebSocketConstructor, madeSockets, type FakeWebSocket } from './fakeWebSocket';

const wrtc: unknown = createRequire(import.meta.url)('@roamhq/wrtc');
const ROOM = 'freshness-room';
const PASSWORD = 'freshness-password';
const US = 'outpost-peer-id';
const THEM = 'teammate-peer-id';

describe('signal stamps', () => {
  it('takes a message once, within the skew window, and unstamped ones as before', () => {
    let now = 5_000_000;
    const freshness = new SignalFreshness(() => now);
    const stamp = freshness.stamp();
    expect(stamp.nonce).toMatch(/^[0-9a-f]{24}$/);
    expect(freshness.stamp().nonce).not.toBe(stamp.nonce);
    expect(freshness.check({ type: 'announce', ...stamp })).toBe('fresh');
    expect(freshness.check({ type: 'announce', ...stamp })).toBe('copy');
    expect(freshness.check({ type: 'announce' })).toBe('unstamped');
    const old = { ts: now - SIGNAL_MAX_SKEW_MS - 1, nonce: 'a'.repeat(24) };
    expect(freshness.check(old)).toBe('stale');
    expect(freshness.check({ ts: now + SIGNAL_MAX_SKEW_MS + 1, nonce: 'b'.repeat(24) })).toBe(
      'stale',
    );
    for (const bad of [
      { ts: now, nonce: 'short' },
      { ts: 'now', nonce: 'c'.repeat(24) },
      { ts: now },
      { nonce: 'd'.repeat(24) },
      { ts: Number.NaN, nonce: 'e'.repeat(24) },
    ])
      expect(freshness.check(bad)).toBe('malformed');
    // A copy is still caught later within the window.
    now += SIGNAL_MAX_SKEW_MS / 2;
    expect(freshness.check({ type: 'announce', ...stamp })).toBe('copy');
  });

  it('remembers a bounded number of nonces, forgetting the oldest', () => {
    const now = 1_000;
    const freshness = new SignalFreshness(() => now);
    const first = { ts: now, nonce: 'f'.repeat(24) };
    expect(freshness.check(first)).toBe('fresh');
    for (let i = 0; i < MAX_REMEMBERED_NONCES; i++)
      expect(freshness.check({ ts: now, nonce: i.toString(16).padStart(24, '0') })).toBe('fresh');
    // The first was pushed out: the memory does not grow past its bound.
    expect(freshness.check(first)).toBe('fresh');
  });
});

let room: SignalingRoom | null = null;
afterEach(() => {
  room?.disconnect();
  for (const conn of [...(room?.connections() ?? [])]) conn.destroy();
  room = null;
});

async function openRoom(servers: string[]) {
  madeSockets.length = 0;
  const key = await deriveSignalingKey(PASSWORD, ROOM);
  const clock = new FakeClock();
  const wire: WireCounters = emptyWireCounters();
  const made = new SignalingRoom(
    {
      roomName: ROOM,
      password: PASSWORD,
      peerId: US,
      signaling: servers,
      iceServers: [],
      relayOnly: false,
      wrtc,
      WebSocket: FakeWebSocketConstructor,
      maxConns: 30,
      handshakeTimeoutMs: 20_000,
      clock,
      now: () => clock.now(),
      wire,
    },
    { connected: () => {}, data: () => {}, drop: () => {}, changed: () => {}, log: () => {} },
  );
  await made.keyReady;
  made.connect();
  for (const socket of madeSockets) socket.onopen!();
  room = made;
  return { room: made, key, clock, wire, sockets: [...madeSockets] };
}

async function published(key: SignalingKey, socket: FakeWebSocket) {
  const out: Array<Record<string, unknown>> = [];
  for (const raw of socket.sent) {
    const frame = JSON.parse(raw) as { type: string; data?: unknown };
    if (frame.type === 'publish')
      out.push((await openSignal(key, frame.data)) as Record<string, unknown>);
  }
  return out;
}

async function hear(socket: FakeWebSocket, data: string): Promise<void> {
  socket.onmessage!({ data: JSON.stringify({ type: 'publish', topic: ROOM, data }) });
  // Opened in order on the room's promise chain.
  await new Promise((resolve) => setTimeout(resolve, 20));
}

async function offersOf(key: SignalingKey, sockets: FakeWebSocket[]) {
  for (let tries = 0; tries < 200; tries++) {
    const all = (await Promise.all(sockets.map((socket) => published(key, socket)))).flat();
    const offers = all.filter((m) => (m.signal as { type?: string } | undefined)?.type === 'offer');
    if (offers.length > 0) {
      // Give a second handshake (the bug) time to publish its offer too.
      await new Promise((resolve) => setTimeout(resolve, 200));
      return (await Promise.all(sockets.map((socket) => published(key, socket))))
        .flat()
        .filter((m) => (m.signal as { type?: string } | undefined)?.type === 'offer');
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return [];
}

describe('the signaling room with stamps', () => {
  it('announces through servers that open together with one stamp', async () => {
    const { key, sockets } = await openRoom(['ws://one.invalid/', 'ws://two.invalid/']);
    let announces: Array<Record<string, unknown>> = [];
    for (let tries = 0; tries < 200 && announces.length < 2; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      announces = (await Promise.all(sockets.map((socket) => published(key, socket)))).flat();
    }
    expect(announces.map((a) => a.type)).toEqual(['announce', 'announce']);
    expect(announces[0]!.nonce).toEqual(expect.any(String));
    expect(announces[0]!.nonce).toBe(announces[1]!.nonce);
    expect(announces[0]!.ts).toBe(announces[1]!.ts);
  });

  it("starts one handshake for a teammate's announce heard through two servers", async () => {
    const { key, clock, wire, sockets } = await openRoom([
      'ws://one.invalid/',
      'ws://two.invalid/',
    ]);
    const announce = await sealSignal(key, {
      type: 'announce',
      from: THEM,
      ts: clock.now(),
      nonce: '0123456789abcdef01234567',
    });
    await hear(sockets[0]!, announce);
    await hear(sockets[1]!, announce);
    const offers = await offersOf(key, sockets);
    expect(offers).toHaveLength(1);
    expect([...room!.connections()]).toHaveLength(1);
    expect(wire.unfresh).toBe(1);
    // Every message we publish is stamped.
    for (const message of (await published(key, sockets[0]!)).concat(
      await published(key, sockets[1]!),
    ))
      expect(message).toMatchObject({ ts: expect.any(Number), nonce: expect.any(String) });
  });

  it('ignores a stamped announce from outside the skew window', async () => {
    const { key, clock, wire, sockets } = await openRoom(['ws://one.invalid/']);
    const stale = await sealSignal(key, {
      type: 'announce',
      from: THEM,
      ts: clock.now() - SIGNAL_MAX_SKEW_MS - 1000,
      nonce: 'fedcba9876543210fedcba98',
    });
    await hear(sockets[0]!, stale);
    expect([...room!.connections()]).toHaveLength(0);
    expect(wire.unfresh).toBe(1);
  });
});
