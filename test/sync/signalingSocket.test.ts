/**
 * The signaling socket on a fake clock and a fake WebSocket (the two edges it has): it reconnects
 * with a growing, jittered backoff that resets once a connection opens, sends only while open,
 * reports what happens through its callbacks, and stops for good when destroyed.
 */
import { describe, expect, it } from 'vitest';
import { SignalingSocket } from '../../renderer/sync/peer/signalingSocket';
import { FakeClock } from './fakeClock';
import { FakeWebSocketConstructor, madeSockets } from './fakeWebSocket';

const made = madeSockets;

function socketOn(clock: FakeClock) {
  made.length = 0;
  const seen: string[] = [];
  const socket = new SignalingSocket('ws://127.0.0.1:1/', FakeWebSocketConstructor, clock, {
    opened: () => seen.push('opened'),
    message: (_socket, raw) => seen.push(`message ${raw}`),
    closed: (wasOpen) => seen.push(`closed ${wasOpen}`),
  });
  return { socket, seen };
}

describe('signaling socket', () => {
  it('reconnects after 500 ms ±25 %, then twice as long, and from 500 ms again once open', () => {
    const clock = new FakeClock();
    const { socket, seen } = socketOn(clock);
    expect(made).toHaveLength(1);
    made[0]!.onclose!();
    expect(seen).toEqual(['closed false']);
    clock.advance(374);
    expect(made).toHaveLength(1);
    clock.advance(625 - 374);
    expect(made).toHaveLength(2);

    made[1]!.onclose!();
    clock.advance(749);
    expect(made).toHaveLength(2);
    clock.advance(1250 - 749);
    expect(made).toHaveLength(3);

    made[2]!.onopen!();
    expect(socket.state).toBe('open');
    made[2]!.onclose!();
    expect(seen.slice(-2)).toEqual(['opened', 'closed true']);
    clock.advance(625);
    expect(made).toHaveLength(4);
    socket.destroy();
  });

  it('sends JSON only while open and passes text messages on', () => {
    const clock = new FakeClock();
    const { socket, seen } = socketOn(clock);
    socket.send({ type: 'subscribe' });
    expect(made[0]!.sent).toEqual([]);
    made[0]!.onopen!();
    socket.send({ type: 'subscribe', topics: ['room'] });
    expect(made[0]!.sent).toEqual(['{"type":"subscribe","topics":["room"]}']);
    made[0]!.onmessage!({ data: '{"type":"pong"}' });
    made[0]!.onmessage!({ data: new Uint8Array(2) });
    expect(seen).toEqual(['opened', 'message {"type":"pong"}']);
    socket.destroy();
  });

  it('once destroyed, closes its socket and never reconnects', () => {
    const clock = new FakeClock();
    const { socket, seen } = socketOn(clock);
    made[0]!.onclose!();
    socket.destroy();
    expect(clock.pendingTimers).toBe(0);
    clock.advance(60_000);
    expect(made).toHaveLength(1);

    const second = socketOn(clock);
    second.socket.destroy();
    expect(made[0]!.closed).toBe(true);
    expect(second.socket.state).toBe('closed');
    expect(second.seen).toEqual([]);
    expect(seen).toEqual(['closed false']);
  });
});
