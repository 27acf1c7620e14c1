import { describe, expect, it, vi } from 'vitest';
import { startSignalingServer } from '../../../electron/main/signaling/server';
import { connect } from './client';
import { useTestServers } from './testServers';

const start = useTestServers();

describe('signaling protocol', () => {
  it('listens on a free loopback port and answers plain HTTP', async () => {
    const server = await start();
    expect(server.port).toBeGreaterThan(0);
    expect(server.url).toBe(`ws://127.0.0.1:${server.port}`);
    const response = await fetch(`http://127.0.0.1:${server.port}/`);
    expect(response.status).toBe(200);
  });

  it('answers ping with pong', async () => {
    const server = await start();
    const a = await connect(server.url);
    a.send({ type: 'ping' });
    expect(await a.next()).toEqual({ type: 'pong' });
  });

  it('forwards a publish to every subscriber, the sender included, with the subscriber count', async () => {
    const server = await start();
    const [a, b, outsider] = await Promise.all([
      connect(server.url),
      connect(server.url),
      connect(server.url),
    ]);
    a.send({ type: 'subscribe', topics: ['room-1'] });
    b.send({ type: 'subscribe', topics: ['room-1', 'room-2'] });
    outsider.send({ type: 'subscribe', topics: ['room-2'] });
    await Promise.all([a.drain(), b.drain(), outsider.drain()]);

    a.send({ type: 'publish', topic: 'room-1', data: 'c2lnbmFs' });
    const expected = { type: 'publish', topic: 'room-1', data: 'c2lnbmFs', clients: 2 };
    expect(await a.next()).toEqual(expected);
    expect(await b.next()).toEqual(expected);
    expect(await outsider.drain()).toEqual([]);

    // A publisher need not be subscribed (y-webrtc never relies on it, the reference server allows it).
    outsider.send({ type: 'publish', topic: 'room-1', data: 'x' });
    expect(await a.next()).toEqual({ type: 'publish', topic: 'room-1', data: 'x', clients: 2 });
    expect(await b.next()).toEqual({ type: 'publish', topic: 'room-1', data: 'x', clients: 2 });
    expect(await outsider.drain()).toEqual([]);

    expect(server.stats()).toMatchObject({
      connections: 3,
      topics: 2,
      subscriptions: 4,
      published: 2,
      delivered: 4,
    });
  });

  it('stops forwarding after unsubscribe and forgets a closed connection', async () => {
    const server = await start();
    const [a, b] = await Promise.all([connect(server.url), connect(server.url)]);
    a.send({ type: 'subscribe', topics: ['room'] });
    b.send({ type: 'subscribe', topics: ['room'] });
    await Promise.all([a.drain(), b.drain()]);

    b.send({ type: 'unsubscribe', topics: ['room', 'never-subscribed'] });
    await b.drain();
    a.send({ type: 'publish', topic: 'room', data: 1 });
    expect(await a.next()).toEqual({ type: 'publish', topic: 'room', data: 1, clients: 1 });
    expect(await b.drain()).toEqual([]);

    await a.close();
    await vi.waitFor(() => expect(server.stats()).toMatchObject({ connections: 1, topics: 0 }));
    expect(server.stats().subscriptions).toBe(0);
  });

  it('closes every connection on close() and can be closed twice', async () => {
    const server = await start();
    const a = await connect(server.url);
    const closed = a.closed();
    await server.close();
    expect(await closed).toBe(1001);
    await server.close();
  });

  it('rejects with the listen error when the port is taken', async () => {
    const first = await start();
    await expect(startSignalingServer({ host: '127.0.0.1', port: first.port })).rejects.toThrow(
      /EADDRINUSE/,
    );
  });
});

describe('signaling limits', () => {
  it('closes a connection that sends a frame over the size limit, and keeps serving others', async () => {
    const server = await start({ limits: { maxMessageBytes: 1024 } });
    const [big, other] = await Promise.all([connect(server.url), connect(server.url)]);
    big.send({ type: 'publish', topic: 'room', data: 'x'.repeat(900) });
    expect(await big.drain()).toEqual([]); // just under the limit: accepted
    big.send({ type: 'publish', topic: 'room', data: 'x'.repeat(2000) });
    expect(await big.closed()).toBe(1009);
    expect(await other.drain()).toEqual([]);
    const stats = server.stats();
    expect(stats.dropped.oversized).toBe(1);
    expect(stats.closed.oversized).toBe(1);
    expect(stats.connections).toBe(1);
  });

  it('refuses topics beyond the per-connection limit', async () => {
    const server = await start({ limits: { maxTopicsPerConnection: 3 } });
    const [a, b] = await Promise.all([connect(server.url), connect(server.url)]);
    a.send({ type: 'subscribe', topics: ['t1', 't2', 't3', 't4', 't5'] });
    a.send({ type: 'subscribe', topics: ['t1'] }); // already held: not counted again
    await a.drain();
    expect(server.stats()).toMatchObject({ subscriptions: 3, dropped: { topicLimit: 2 } });

    b.send({ type: 'publish', topic: 't4', data: 1 });
    await b.drain();
    expect(await a.drain()).toEqual([]);

    a.send({ type: 'unsubscribe', topics: ['t1'] });
    a.send({ type: 'subscribe', topics: ['t4'] });
    await a.drain();
    b.send({ type: 'publish', topic: 't4', data: 2 });
    expect(await a.next()).toEqual({ type: 'publish', topic: 't4', data: 2, clients: 1 });
    expect(server.stats().dropped.topicLimit).toBe(2);
  });

  it('refuses connections beyond the limit with HTTP 503', async () => {
    const server = await start({ limits: { maxConnections: 2 } });
    const a = await connect(server.url);
    await connect(server.url);
    await expect(connect(server.url)).rejects.toThrow(/503/);
    expect(server.stats()).toMatchObject({ connections: 2, rejectedConnections: 1 });

    await a.close();
    await vi.waitFor(() => expect(server.stats().connections).toBe(1));
    const c = await connect(server.url);
    expect(await c.drain()).toEqual([]);
  });

  it('drops frames over the rate with a token bucket, refilled as time passes', async () => {
    let time = 0;
    const server = await start({
      now: () => time,
      limits: { messagesPerSecond: 2, burstMessages: 5, rateDropsBeforeClose: 100 },
    });
    const a = await connect(server.url);
    for (let i = 0; i < 8; i++) a.send({ type: 'ping' });
    for (let i = 0; i < 5; i++) expect(await a.next()).toEqual({ type: 'pong' });
    await expect(a.next(200)).rejects.toThrow('no message');
    expect(server.stats().dropped.rateLimited).toBe(3);

    time += 1000; // two tokens
    for (let i = 0; i < 3; i++) a.send({ type: 'ping' });
    expect(await a.next()).toEqual({ type: 'pong' });
    expect(await a.next()).toEqual({ type: 'pong' });
    await expect(a.next(200)).rejects.toThrow('no message');
    expect(server.stats()).toMatchObject({ framesReceived: 11, dropped: { rateLimited: 4 } });
  });

  it('closes a connection that keeps flooding, and forgets its topics', async () => {
    const time = 0;
    const events: unknown[] = [];
    const server = await start({
      now: () => time,
      log: (event, details) => events.push({ event, ...details }),
      limits: { messagesPerSecond: 1, burstMessages: 2, rateDropsBeforeClose: 5 },
    });
    const [flooder, other] = await Promise.all([connect(server.url), connect(server.url)]);
    flooder.send({ type: 'subscribe', topics: ['room'] });
    for (let i = 0; i < 20; i++) flooder.send({ type: 'subscribe', topics: [`t${i}`] });
    expect(await flooder.closed()).toBe(1008);
    const stats = server.stats();
    expect(stats.closed.rateAbuse).toBe(1);
    expect(stats.dropped.rateLimited).toBeGreaterThanOrEqual(5);
    expect(stats.topics).toBe(0);
    expect(await other.drain()).toEqual([]);
    expect(events).toContainEqual({ event: 'connection-closed', reason: 'rate-abuse', drops: 5 });
  });

  it('closes connections that stop answering pings, and keeps live ones', async () => {
    const server = await start({ limits: { keepaliveIntervalMs: 40 } });
    const dead = await connect(server.url, { autoPong: false });
    const live = await connect(server.url);
    expect(await dead.closed()).toBe(1006);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(await live.drain()).toEqual([]);
    expect(server.stats()).toMatchObject({ connections: 1, closed: { keepalive: 1 } });
  });

  it('refuses nonsensical limits', async () => {
    await expect(startSignalingServer({ limits: { maxConnections: 0 } })).rejects.toThrow(
      RangeError,
    );
  });
});

describe('malformed frames', () => {
  it('drops and counts every kind of bad frame, and keeps serving', async () => {
    const server = await start();
    const [a, b] = await Promise.all([connect(server.url), connect(server.url)]);
    b.send({ type: 'subscribe', topics: ['room'] });
    await b.drain();
    const malformed = [
      'not json',
      '{"type":"subscribe"',
      '[1,2]',
      'null',
      '"publish"',
      '42',
      '{}',
      '{"type":5}',
      '{"type":"unknown"}',
      '{"type":"subscribe","topics":"room"}',
      '{"type":"subscribe","topics":["room",1]}',
      '{"type":"subscribe","topics":[""]}',
      `{"type":"subscribe","topics":["${'x'.repeat(300)}"]}`,
      '{"type":"unsubscribe"}',
      '{"type":"publish"}',
      '{"type":"publish","topic":""}',
      '{"type":"publish","topic":["room"]}',
      '{"__proto__":{"type":"ping"}}',
    ];
    for (const frame of malformed) a.sendRaw(frame);
    a.sendRaw(Buffer.from('{"type":"ping"}'), true);
    a.sendRaw(Buffer.from([0, 1, 2, 255]), true);
    expect(await a.drain()).toEqual([]);
    expect(await b.drain()).toEqual([]);
    const stats = server.stats();
    expect(stats.dropped.malformed).toBe(malformed.length);
    expect(stats.dropped.binary).toBe(2);
    expect(stats.subscriptions).toBe(1);
    expect(stats.published).toBe(0);
  });

  it('closes a connection that sends invalid UTF-8 in a text frame, and keeps serving', async () => {
    const server = await start();
    const [a, b] = await Promise.all([connect(server.url), connect(server.url)]);
    a.sendRaw(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), false);
    expect(await a.closed()).toBe(1007);
    expect(await b.drain()).toEqual([]);
    expect(server.stats().closed.protocolError).toBe(1);
  });

  it('survives a flood of random frames', async () => {
    const seed = Math.floor(Math.random() * 2 ** 31);
    let state = seed;
    const random = () => {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      return state / 2 ** 32;
    };
    const pieces = [
      '{',
      '}',
      '[',
      ']',
      '"type"',
      '"subscribe"',
      '"publish"',
      '"topics"',
      '"topic"',
      '"room"',
      ':',
      ',',
      'null',
      '1e999',
      '"\\u0000"',
      'true',
    ];
    const server = await start({ limits: { messagesPerSecond: 1e6, burstMessages: 1e6 } });
    const [fuzzer, witness] = await Promise.all([connect(server.url), connect(server.url)]);
    try {
      for (let i = 0; i < 500; i++) {
        if (random() < 0.3) {
          const bytes = Buffer.from(
            Array.from({ length: Math.floor(random() * 64) }, () => Math.floor(random() * 256)),
          );
          fuzzer.sendRaw(bytes, true);
        } else {
          const text = Array.from(
            { length: 1 + Math.floor(random() * 12) },
            () => pieces[Math.floor(random() * pieces.length)],
          ).join('');
          fuzzer.sendRaw(text);
        }
      }
      await fuzzer.drain();
      expect(await witness.drain()).toEqual([]);
      expect(server.stats().framesReceived).toBeGreaterThanOrEqual(501);
    } catch (error) {
      throw new Error(`random frame flood failed with seed ${seed}`, { cause: error });
    }
  });
});
