/**
 * The relay's mailbox over real WebSockets and a real SQLite file: refusals (wrong key, before
 * hello, too large, room full), idempotent resends, snapshot compaction, signaling on the same
 * port, and a relay killed with SIGKILL mid-stream that serves every blob it had acknowledged.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createWorkspaceSecrets } from '../../../shared/protocol/keys';
import {
  KIND_SNAPSHOT,
  KIND_UPDATE,
  SENDER_BYTES,
  deriveRelayKeys,
  openEnvelope,
  sealEnvelope,
  streamId,
  type EnvelopeKind,
  type RelayKeys,
} from '../../../shared/protocol/relayCrypto';
import {
  ACK,
  BLOBS,
  ERROR,
  HELLO,
  MAILBOX_VERSION_PAGED,
  MORE,
  PAGE,
  PUT,
  REFUSED,
  RELAY_ERRORS,
  SINCE,
  UPTO,
  WELCOME,
  type RelayMessage,
  type StoredBlob,
} from '../../../shared/protocol/relayWire';
import { startRelay, type Relay, type RelayOptions } from '../../../electron/relay/relay';
import { startRelayChild } from '../../sync/relayChild';
import { helloMailbox, rawMailbox, type RawMailbox } from './mailboxClient';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'outpost-mailbox-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function start(options: Partial<RelayOptions> = {}): Promise<Relay> {
  const relay = await startRelay({ dataDir: tempDir(), ...options });
  cleanups.push(() => relay.close());
  return relay;
}

async function keysOf(): Promise<RelayKeys> {
  return deriveRelayKeys(createWorkspaceSecrets().secretKey);
}

async function joined(url: string, keys: RelayKeys): Promise<RawMailbox> {
  const mailbox = await helloMailbox(url, keys);
  cleanups.push(() => mailbox.close());
  expect((await mailbox.next()).type).toBe(WELCOME);
  return mailbox;
}

const sender = globalThis.crypto.getRandomValues(new Uint8Array(SENDER_BYTES));

async function envelope(
  keys: RelayKeys,
  counter: number,
  text: string,
  kind: EnvelopeKind = KIND_UPDATE,
  covers = 0,
): Promise<Uint8Array> {
  const stream = await streamId(keys, 'workspace');
  return sealEnvelope(
    keys,
    { kind, stream, sender, counter, covers },
    'workspace',
    new TextEncoder().encode(text),
  );
}

/** Everything the relay holds for the room, by a key holder's SINCE 0. */
async function everything(url: string, keys: RelayKeys): Promise<StoredBlob[]> {
  const reader = await joined(url, keys);
  reader.send({ type: SINCE, after: 0, streams: [] });
  const messages = await reader.until(UPTO);
  reader.close();
  return messages.flatMap((message) => (message.type === BLOBS ? message.blobs : []));
}

describe('relay mailbox', () => {
  it('reads a room a page at a time (version 2), following only after the last page', async () => {
    const relay = await start();
    const keys = await keysOf();
    const writer = await joined(relay.url, keys);
    const put = async (counter: number, text: string, docId = 'workspace') => {
      const sealed = await sealEnvelope(
        keys,
        { kind: KIND_UPDATE, stream: await streamId(keys, docId), sender, counter, covers: 0 },
        docId,
        new TextEncoder().encode(text),
      );
      writer.send({ type: PUT, envelope: sealed });
      expect(await writer.next()).toMatchObject({ type: ACK, counter });
      return sealed;
    };
    await put(1, 'one');
    await put(2, 'a body', 'note-0001');
    await put(3, 'three');

    const reader = await rawMailbox(relay.url);
    cleanups.push(() => reader.close());
    const hello = { type: HELLO, room: keys.room, token: keys.writeToken } as const;
    reader.send({ ...hello, version: MAILBOX_VERSION_PAGED });
    expect((await reader.next()).type).toBe(WELCOME);
    // At least one envelope per page, however small the page asked for.
    reader.send({ type: PAGE, after: 0, maxBytes: 1, streams: [] });
    expect(blobSeqs(await reader.next())).toEqual([1]);
    expect(await reader.next()).toEqual({ type: MORE, seq: 1 });
    // Stored while the reader is between pages: not forwarded, it comes with the next page.
    await put(4, 'four');
    reader.send({ type: PAGE, after: 1, maxBytes: 1, streams: [] });
    expect(blobSeqs(await reader.next())).toEqual([2]);
    expect(await reader.next()).toEqual({ type: MORE, seq: 2 });
    reader.send({ type: PAGE, after: 2, maxBytes: 1 << 20, streams: [] });
    expect(blobSeqs(await reader.next())).toEqual([3, 4]);
    expect(await reader.next()).toEqual({ type: UPTO, head: 4 });
    // Caught up: from now on it follows the room like after SINCE.
    await put(5, 'five');
    expect(blobSeqs(await reader.next())).toEqual([5]);

    // Pages of named streams skip the others; `MORE` counts the skipped ones as gone through.
    const named = await rawMailbox(relay.url);
    cleanups.push(() => named.close());
    named.send({ ...hello, version: MAILBOX_VERSION_PAGED });
    await named.next();
    const workspace = await streamId(keys, 'workspace');
    named.send({ type: PAGE, after: 0, maxBytes: 1, streams: [workspace] });
    expect(blobSeqs(await named.next())).toEqual([1]);
    expect(await named.next()).toEqual({ type: MORE, seq: 2 });
    named.send({ type: PAGE, after: 2, maxBytes: 1 << 20, streams: [workspace] });
    expect(blobSeqs(await named.next())).toEqual([3, 4, 5]);
    expect(await named.next()).toEqual({ type: UPTO, head: 5 });

    // SINCE of named streams (read through the index) in order, a stream named twice sent once.
    const since = await joined(relay.url, keys);
    since.send({ type: SINCE, after: 0, streams: [workspace, workspace] });
    const caughtUp = await since.until(UPTO);
    expect(
      caughtUp.flatMap((message) => (message.type === BLOBS ? blobSeqs(message) : [])),
    ).toEqual([1, 3, 4, 5]);

    const future = await rawMailbox(relay.url);
    cleanups.push(() => future.close());
    future.send({ ...hello, version: MAILBOX_VERSION_PAGED + 1 });
    expect(await future.next()).toMatchObject({ type: ERROR, code: RELAY_ERRORS.version });
  });

  it('refuses a client without the room’s key: no write, nothing to read', async () => {
    const relay = await start();
    const keys = await keysOf();
    const owner = await joined(relay.url, keys);
    owner.send({ type: PUT, envelope: await envelope(keys, 1, 'team secret') });
    expect(await owner.next()).toMatchObject({ type: ACK, counter: 1, seq: 1 });

    // A stranger who learned the room id but holds another key.
    const stranger = await keysOf();
    const intruder = await helloMailbox(relay.url, {
      room: keys.room,
      writeToken: stranger.writeToken,
    });
    expect(await intruder.next()).toMatchObject({ type: ERROR, code: RELAY_ERRORS.forbidden });
    expect(await intruder.closed).toBe(1008);

    // Skipping hello does not help either.
    const rude = await rawMailbox(relay.url);
    rude.send({ type: PUT, envelope: await envelope(stranger, 1, 'junk') });
    expect(await rude.next()).toMatchObject({ type: ERROR, code: RELAY_ERRORS.notReady });

    // With its own key it reaches its own, empty room.
    const own = await joined(relay.url, stranger);
    own.send({ type: SINCE, after: 0, streams: [] });
    expect(await own.until(UPTO)).toEqual([{ type: UPTO, head: 0 }]);

    // And the stored envelope, however obtained, does not open with its key.
    const stored = await everything(relay.url, keys);
    expect(stored).toHaveLength(1);
    expect(await openEnvelope(stranger, stored[0]!.envelope)).toBeUndefined();
    const opened = await openEnvelope(keys, stored[0]!.envelope);
    expect(new TextDecoder().decode(opened!.update)).toBe('team secret');
  });

  it('stores a resent put once and acknowledges it with its first sequence number', async () => {
    const relay = await start();
    const keys = await keysOf();
    const mailbox = await joined(relay.url, keys);
    const sealed = await envelope(keys, 7, 'once');
    mailbox.send({ type: PUT, envelope: sealed });
    mailbox.send({ type: PUT, envelope: sealed });
    expect(await mailbox.next()).toEqual({ type: ACK, counter: 7, seq: 1 });
    expect(await mailbox.next()).toEqual({ type: ACK, counter: 7, seq: 1 });
    expect(await everything(relay.url, keys)).toHaveLength(1);
  });

  it('forwards a put to the room’s other followers, not to its sender', async () => {
    const relay = await start();
    const keys = await keysOf();
    const writer = await joined(relay.url, keys);
    const reader = await joined(relay.url, keys);
    reader.send({ type: SINCE, after: 0, streams: [await streamId(keys, 'workspace')] });
    await reader.until(UPTO);
    const sealed = await envelope(keys, 1, 'live');
    writer.send({ type: PUT, envelope: sealed });
    expect(await writer.next()).toEqual({ type: ACK, counter: 1, seq: 1 });
    expect(await reader.next()).toEqual({ type: BLOBS, blobs: [{ seq: 1, envelope: sealed }] });
  });

  it('drops what a snapshot covers, and takes a snapshot even when the room is full', async () => {
    const relay = await start({ mailbox: { maxRoomBlobs: 4 } });
    const keys = await keysOf();
    const mailbox = await joined(relay.url, keys);
    for (let counter = 1; counter <= 5; counter++)
      mailbox.send({ type: PUT, envelope: await envelope(keys, counter, `edit ${counter}`) });
    const answers: RelayMessage[] = [];
    for (let i = 0; i < 5; i++) answers.push(await mailbox.next());
    expect(answers.slice(0, 4).map((answer) => answer.type)).toEqual([ACK, ACK, ACK, ACK]);
    expect(answers[4]).toMatchObject({ type: REFUSED, counter: 5, code: RELAY_ERRORS.roomFull });
    const before = relay.diskBytes();

    const snapshot = await envelope(keys, 6, 'edits 1-4', KIND_SNAPSHOT, 3);
    mailbox.send({ type: PUT, envelope: snapshot });
    expect(await mailbox.next()).toEqual({ type: ACK, counter: 6, seq: 5 });
    expect((await everything(relay.url, keys)).map((blob) => blob.seq)).toEqual([4, 5]);
    expect(relay.diskBytes()).toBeLessThan(before);

    // Room again: the refused update goes in now.
    mailbox.send({ type: PUT, envelope: await envelope(keys, 5, 'edit 5') });
    expect(await mailbox.next()).toEqual({ type: ACK, counter: 5, seq: 6 });
  });

  it('refuses an envelope over the size limit, and closes on a frame far beyond it', async () => {
    const relay = await start({ mailbox: { maxEnvelopeBytes: 1024 } });
    const keys = await keysOf();
    const mailbox = await joined(relay.url, keys);
    const over = await envelope(keys, 1, 'x'.repeat(952));
    expect(over.length).toBe(1040);
    mailbox.send({ type: PUT, envelope: over });
    expect(await mailbox.next()).toMatchObject({
      type: REFUSED,
      counter: 1,
      code: RELAY_ERRORS.tooLarge,
    });
    // A frame the relay would have to receive whole to refuse politely ends the connection.
    mailbox.send({ type: PUT, envelope: await envelope(keys, 2, 'x'.repeat(4000)) });
    expect(await mailbox.closed).toBe(1009);
  });

  it('speaks y-webrtc signaling on the same port', async () => {
    const relay = await start();
    const socket = new WebSocket(relay.url);
    cleanups.push(() => socket.close());
    await new Promise((resolve) => socket.once('open', resolve));
    const reply = new Promise<string>((resolve) =>
      socket.once('message', (data: Buffer) => resolve(data.toString())),
    );
    socket.send(JSON.stringify({ type: 'subscribe', topics: ['room-x'] }));
    socket.send(JSON.stringify({ type: 'publish', topic: 'room-x', data: 'hi' }));
    expect(JSON.parse(await reply)).toEqual({
      type: 'publish',
      topic: 'room-x',
      data: 'hi',
      clients: 1,
    });
  });

  it('a relay killed (-9) mid-stream and started again serves every blob it acknowledged', async () => {
    const dataDir = tempDir();
    const first = await startRelayChild(dataDir);
    cleanups.push(() => first.kill9());
    const keys = await keysOf();
    const mailbox = await joined(first.url, keys);
    const sent = new Map<number, Uint8Array>();
    for (let counter = 1; counter <= 300; counter++) {
      const sealed = await envelope(keys, counter, `edit ${counter} `.repeat(20));
      sent.set(counter, sealed);
    }
    for (const sealed of sent.values()) mailbox.send({ type: PUT, envelope: sealed });
    const acked = new Map<number, number>(); // counter → seq
    while (acked.size < 150) {
      const message = await mailbox.next();
      if (message.type === ACK) acked.set(message.counter, message.seq);
    }
    await first.kill9(); // more puts are in flight or being committed right now

    const second = await startRelayChild(dataDir);
    cleanups.push(() => second.kill9());
    const stored = await everything(second.url, keys);
    const bySeq = new Map(stored.map((blob) => [blob.seq, blob.envelope]));
    for (const [counter, seq] of acked) expect(bySeq.get(seq)).toEqual(sent.get(counter));
    expect(stored.length).toBeGreaterThanOrEqual(150);
  }, 60_000);
});

function blobSeqs(message: RelayMessage): number[] {
  if (message.type !== BLOBS) throw new Error(`expected BLOBS, got ${message.type}`);
  return message.blobs.map((blob) => blob.seq);
}
