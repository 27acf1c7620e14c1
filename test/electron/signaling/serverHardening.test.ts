/**
 * What one neighbour, or a web page a teammate has open, can make the signaling server do (issue
 * 16): connections per address, a byte budget beside the frame rate, frames near 64 KiB, browser
 * pages only from this machine or the local network, and nothing forwarded beside what y-webrtc's
 * publish holds.
 */
import { describe, expect, it, vi } from 'vitest';
import { DEFAULT_SIGNALING_LIMITS, isLocalOrigin } from '../../../electron/main/signaling/server';
import { connect } from './client';
import { useTestServers } from './testServers';

const start = useTestServers();

describe('signaling server hardening', () => {
  it('caps the connections one address holds, below the server-wide cap, and frees a slot on close', async () => {
    const server = await start({ limits: { maxConnections: 10, maxConnectionsPerAddress: 2 } });
    const first = await connect(server.url);
    await connect(server.url);
    await expect(connect(server.url)).rejects.toThrow(/503/);
    expect(server.stats()).toMatchObject({ connections: 2, rejectedConnections: 1 });
    await first.close();
    await vi.waitFor(() => expect(server.stats().connections).toBe(1));
    const again = await connect(server.url);
    expect(await again.drain()).toEqual([]);
  });

  it('drops frames over the bytes-per-second budget though the frame rate allows them', async () => {
    let time = 0;
    const server = await start({
      now: () => time,
      limits: { bytesPerSecond: 1000, burstBytes: 3000, rateDropsBeforeClose: 100 },
    });
    const [sender, receiver] = await Promise.all([connect(server.url), connect(server.url)]);
    receiver.send({ type: 'subscribe', topics: ['room'] });
    await receiver.drain();
    const data = 'x'.repeat(900); // about 950 bytes a frame: three fit the burst, not four
    for (let i = 0; i < 4; i++) sender.send({ type: 'publish', topic: 'room', data });
    await sender.drain();
    expect(await receiver.drain()).toHaveLength(3);
    expect(server.stats().dropped.byteBudget).toBe(1);
    time += 1000; // a second's budget: one more frame
    sender.send({ type: 'publish', topic: 'room', data });
    await sender.drain();
    expect(await receiver.drain()).toHaveLength(1);
  });

  it('takes frames up to 64 KiB by default and closes a connection sending more', async () => {
    expect(DEFAULT_SIGNALING_LIMITS.maxMessageBytes).toBe(64 * 1024);
    const server = await start();
    const client = await connect(server.url);
    client.send({ type: 'publish', topic: 'room', data: 'x'.repeat(60 * 1024) });
    expect(await client.drain()).toEqual([]);
    client.send({ type: 'publish', topic: 'room', data: 'x'.repeat(70 * 1024) });
    expect(await client.closed()).toBe(1009);
  });

  it('lets in the app, local pages and non-browsers, and refuses a page from elsewhere with 403', async () => {
    const server = await start();
    for (const origin of [
      'app://outpost',
      'null',
      'http://127.0.0.1:5173',
      'http://192.168.1.20:4780',
    ])
      expect(await (await connect(server.url, { origin })).drain()).toEqual([]);
    expect(await (await connect(server.url)).drain()).toEqual([]);
    await expect(connect(server.url, { origin: 'https://evil.example' })).rejects.toThrow(/403/);
    expect(server.stats().rejectedConnections).toBe(1);
  });

  it('tells local origins from others', () => {
    for (const origin of [
      'file://',
      'app://outpost',
      'http://localhost:3000',
      'http://[::1]:8080',
      'http://10.0.0.5',
      'http://172.20.1.1',
      'https://outpost-box.local',
      'http://[fd12:3456::1]:4780',
      'http://[fe80::1]',
    ])
      expect(isLocalOrigin(origin), origin).toBe(true);
    for (const origin of [
      'https://evil.example',
      'http://8.8.8.8',
      'http://172.32.0.1',
      'http://192.169.0.1',
      'http://[2001:db8::1]',
      'chrome-extension://abc',
      'not a url',
    ])
      expect(isLocalOrigin(origin), origin).toBe(false);
  });

  it("forwards a publish's topic and data only, whatever else the sender put beside them", async () => {
    const server = await start();
    const [sender, receiver] = await Promise.all([connect(server.url), connect(server.url)]);
    receiver.send({ type: 'subscribe', topics: ['room'] });
    await receiver.drain();
    sender.send({
      type: 'publish',
      topic: 'room',
      data: 'c2VhbGVk',
      from: 'spoofed',
      clients: 999,
      padding: 'x'.repeat(1000),
    });
    expect(await receiver.next()).toEqual({
      type: 'publish',
      topic: 'room',
      data: 'c2VhbGVk',
      clients: 1,
    });
  });
});
