/**
 * The server against y-webrtc's own signaling client: a real WebrtcProvider on one side, and on the
 * other a peer written from the protocol (subscribe, publish, y-webrtc's AES-GCM envelope), both
 * keyed by Outpost's room and password derivations. No WebRTC connection is made (no wrtc here);
 * what is checked is everything that crosses the signaling server.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { WebSocket } from 'ws';
import type { WebrtcProvider as WebrtcProviderClass } from 'y-webrtc';
import * as Y from 'yjs';
import { startSignalingServer } from '../../../electron/main/signaling/server';
import { createWorkspaceSecrets, deriveSignalingPassword } from '../../../shared/protocol/keys';
import { deriveRoomName } from '../../../shared/protocol/roomEpoch';
import { closeAllClients, connect } from './client';

let WebrtcProvider: typeof WebrtcProviderClass;

beforeAll(async () => {
  // lib0's WebsocketClient, which y-webrtc's SignalingConn extends, uses the global WebSocket.
  vi.stubGlobal('WebSocket', WebSocket);
  ({ WebrtcProvider } = await import('y-webrtc'));
});

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await closeAllClients();
});

/** y-webrtc's key: PBKDF2-SHA-256(password, salt = room name, 100,000) → AES-GCM-256. */
async function signalingKey(password: string, room: string): Promise<CryptoKey> {
  const text = new TextEncoder();
  const material = await crypto.subtle.importKey('raw', text.encode(password), 'PBKDF2', false, [
    'deriveKey',
  ]);
  return crypto.subtle.deriveKey(
    { name: 'PBKDF2', salt: text.encode(room), iterations: 100_000, hash: 'SHA-256' },
    material,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  );
}

/** y-webrtc's envelope: varString "AES-GCM", varUint8Array iv, varUint8Array ciphertext of writeAny(data). */
async function seal(key: CryptoKey, data: unknown): Promise<string> {
  const plain = encoding.createEncoder();
  encoding.writeAny(plain, data as never);
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const cipher = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv },
    key,
    encoding.toUint8Array(plain),
  );
  const envelope = encoding.createEncoder();
  encoding.writeVarString(envelope, 'AES-GCM');
  encoding.writeVarUint8Array(envelope, iv);
  encoding.writeVarUint8Array(envelope, new Uint8Array(cipher));
  return Buffer.from(encoding.toUint8Array(envelope)).toString('base64');
}

async function open(key: CryptoKey, base64: string): Promise<unknown> {
  const envelope = decoding.createDecoder(Buffer.from(base64, 'base64'));
  expect(decoding.readVarString(envelope)).toBe('AES-GCM');
  const iv = decoding.readVarUint8Array(envelope);
  const cipher = decoding.readVarUint8Array(envelope);
  const plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv }, key, cipher);
  return decoding.readAny(decoding.createDecoder(new Uint8Array(plain)));
}

describe('y-webrtc signaling through the Outpost server', () => {
  it('carries an encrypted announce and signal between a real provider and a protocol peer', async () => {
    const server = await startSignalingServer({ host: '127.0.0.1', port: 0 });
    cleanups.push(() => server.close());
    const { workspaceId, secretKey } = createWorkspaceSecrets();
    const room = await deriveRoomName(secretKey);
    const password = await deriveSignalingPassword(secretKey);
    const key = await signalingKey(password, room);

    const peer = await connect(server.url);
    peer.send({ type: 'subscribe', topics: [room] });
    await peer.drain();

    const doc = new Y.Doc();
    const provider = new WebrtcProvider(room, doc, {
      signaling: [server.url],
      password,
      peerOpts: { config: { iceServers: [] } },
    });
    // destroy() alone leaves y-webrtc's shared signaling WebSocket open and reconnecting;
    // disconnect() is what closes it once no provider uses it.
    cleanups.push(() => {
      provider.disconnect();
      provider.destroy();
      doc.destroy();
    });

    // The provider subscribes and announces itself, encrypted under the derived password.
    const announce = (await peer.next(10_000)) as Record<string, unknown>;
    expect(announce).toMatchObject({ type: 'publish', topic: room, clients: 2 });
    expect(typeof announce.data).toBe('string');
    expect(JSON.stringify(announce)).not.toContain(workspaceId);
    const peerId = provider.room?.peerId;
    expect(peerId).toBeTypeOf('string');
    expect(await open(key, announce.data as string)).toEqual({ type: 'announce', from: peerId });
    expect(server.stats()).toMatchObject({ topics: 1, subscriptions: 2 });

    // A message from the protocol peer reaches the provider's signaling connection intact.
    const conn = provider.signalingConns[0];
    if (conn === undefined) throw new Error('provider has no signaling connection');
    const received = new Promise<Record<string, unknown>>((resolve) =>
      conn.on('message', (message: Record<string, unknown>) => resolve(message)),
    );
    const signal = { type: 'signal', from: 'protocol-peer', to: 'someone-else', signal: {} };
    peer.send({ type: 'publish', topic: room, data: await seal(key, signal) });
    const message = await received;
    expect(message).toMatchObject({ type: 'publish', topic: room, clients: 2 });
    expect(await open(key, message.data as string)).toEqual(signal);

    // Leaving closes the socket; the server forgets the topic once both are gone.
    provider.disconnect();
    await peer.close();
    await vi.waitFor(() => expect(server.stats()).toMatchObject({ connections: 0, topics: 0 }));
  });
});
