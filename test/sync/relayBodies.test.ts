/**
 * Body documents (schema 2) through a relay, as teammates who are never online together use it: a
 * real relay process on loopback, the app's relay sync on a root Y.Doc, and each device's bodies in
 * a lazy store (MemoryLazyDocs, which answers from raw updates as storage does). Each device's
 * store takes a body only for a note its root holds, as the app's store does.
 */
import 'fake-indexeddb/auto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import * as Y from 'yjs';
import { notes } from '../../shared/model';
import { createWorkspaceSecrets } from '../../shared/protocol/keys';
import {
  KIND_UPDATE,
  deriveRelayKeys,
  sealEnvelope,
  streamId,
  type EnvelopeKind,
} from '../../shared/protocol/relayCrypto';
import {
  ACK,
  ERROR,
  HELLO,
  MAILBOX_VERSION,
  PAGE,
  PUT,
  RELAY_ERRORS,
  SINCE,
  UPTO,
  decodeClientMessage,
  encodeRelayMessage,
} from '../../shared/protocol/relayWire';
import {
  startRelaySync,
  type RelayCursor,
  type RelayCursorStore,
  type RelaySync,
} from '../../renderer/sync/relay/relaySync';
import { indexedDbDocCursors, memoryDocCursors } from '../../renderer/sync/relay/cursorStorage';
import { openLazyDocStore } from '../../renderer/sync/storage/lazyDocStore';
import type { WebSocketConstructor } from '../../renderer/sync/peer/types';
import { helloMailbox } from '../electron/relay/mailboxClient';
import { MemoryLazyDocs } from './memoryLazyDocs';
import { startRelayChild } from './relayChild';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function relay(again?: { dataDir: string; port: number }) {
  const dataDir = again?.dataDir ?? mkdtempSync(path.join(tmpdir(), 'outpost-relay-bodies-'));
  if (!again) cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  const child = await startRelayChild(dataDir, again?.port ?? 0);
  cleanups.push(() => child.kill9());
  return { ...child, dataDir, port: Number(new URL(child.url).port) };
}

/**
 * A relay from before mailbox version 2, made of a real one: a proxy that refuses version 2 hellos
 * as such a relay does and passes everything else through. Counts the PAGE frames it sees.
 */
async function versionOneRelay(upstream: string) {
  const port = await new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port: free } = probe.address() as AddressInfo;
      probe.close(() => resolve(free));
    });
  });
  const server = new WebSocketServer({ host: '127.0.0.1', port });
  const seen = { pages: 0, refusedHellos: 0 };
  server.on('connection', (client, request) => {
    const relayed = new WebSocket(upstream + (request.url ?? '/'));
    const early: Buffer[] = [];
    relayed.on('open', () => early.splice(0).forEach((frame) => relayed.send(frame)));
    relayed.on('message', (data: Buffer) => client.send(data));
    relayed.on('close', () => client.close());
    client.on('close', () => relayed.close());
    // Closing one side while the other is still connecting is an error event, not a failure.
    relayed.on('error', () => client.close());
    client.on('error', () => relayed.close());
    client.on('message', (data: Buffer) => {
      const message = decodeClientMessage(new Uint8Array(data), 10_000);
      if (message?.type === PAGE) seen.pages++;
      if (message?.type === HELLO && message.version !== MAILBOX_VERSION) {
        seen.refusedHellos++;
        client.send(
          encodeRelayMessage({
            type: ERROR,
            code: RELAY_ERRORS.version,
            message: 'version 1 only',
          }),
        );
        client.close(1008);
        return;
      }
      if (relayed.readyState === WebSocket.OPEN) relayed.send(data);
      else early.push(data);
    });
  });
  cleanups.push(() => new Promise((resolve) => server.close(resolve)));
  return { url: `ws://127.0.0.1:${port}`, seen };
}

/** One device: its root, its lazy store and its saved cursors (kept across "app restarts"). */
function device() {
  const doc = new Y.Doc();
  const saved = new Map<string, RelayCursor>();
  const cursors: RelayCursorStore = {
    load: (url) => saved.get(url) ?? null,
    save: (url, cursor) => void saved.set(url, cursor),
  };
  const bodies = new MemoryLazyDocs((id) => doc.getMap('notes').has(id));
  return { doc, bodies, cursors, docCursors: memoryDocCursors(), log: [] as string[] };
}
type Device = ReturnType<typeof device>;

async function online(
  secretKey: Uint8Array,
  who: Device,
  url: string,
  window = 8,
  holdMs = 30_000,
  maxQueued = 1024,
) {
  const sync = await startRelaySync({
    secretKey,
    doc: who.doc,
    relays: [url],
    cursors: who.cursors,
    lazyDocs: who.bodies,
    docCursors: who.docCursors,
    bodyLimits: { window, pageBytes: 2048, holdMs, maxQueued },
    WebSocket: WebSocket as unknown as WebSocketConstructor,
    log: (line) => who.log.push(line),
  });
  cleanups.push(() => sync.destroy());
  return sync;
}

async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 10));
}

const bodiesOf = (sync: RelaySync) => sync.status()[0]?.bodies;

/** Caught up both ways: the root uploaded, bodies downloaded, compared, and nothing waiting. */
const settled = (sync: RelaySync) => () => {
  const status = sync.status()[0];
  return (
    status?.reachable === true &&
    status.waiting === 0 &&
    status.bodies?.caughtUp === true &&
    status.bodies.waiting === 0
  );
};

/** Writes `count` notes, each with a body of its own; returns their ids. */
function writeNotes(who: Device, count: number, prefix: string): string[] {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const created = notes.create(who.doc, { actor: 'member-a' }, { title: `${prefix} ${i}` });
    if (!created.ok) throw new Error(created.error.message);
    ids.push(created.value.id);
    who.bodies.edit(created.value.id, (body) => body.getText('body').insert(0, `${prefix}-${i}`));
  }
  return ids;
}

describe('relay: body documents', () => {
  it('two devices never online together converge root and bodies, the root first', async () => {
    const server = await relay();
    const { secretKey } = createWorkspaceSecrets();
    const a = device();
    writeNotes(a, 120, 'body');
    const syncA = await online(secretKey, a, server.url);
    // The window bounds what is out at once, however many bodies wait.
    let mostWaiting = 0;
    syncA.onStatus(() => (mostWaiting = Math.max(mostWaiting, bodiesOf(syncA)?.waiting ?? 0)));
    await until(settled(syncA));
    expect(bodiesOf(syncA)).toMatchObject({ uploaded: 120, refused: 0, unreadable: 0 });
    expect(mostWaiting).toBeGreaterThan(0);
    expect(mostWaiting).toBeLessThanOrEqual(8);
    syncA.destroy();

    const b = device();
    let notesWhenFirstBody = -1;
    b.bodies.onUpdate(() => {
      if (notesWhenFirstBody < 0) notesWhenFirstBody = b.doc.getMap('notes').size;
    });
    const syncB = await online(secretKey, b, server.url);
    await until(settled(syncB));
    expect(notesWhenFirstBody).toBe(120);
    expect(b.bodies.snapshot()).toEqual(a.bodies.snapshot());
    expect(Y.encodeStateVector(b.doc)).toEqual(Y.encodeStateVector(a.doc));
    // What it downloaded from the relay is known to be there: nothing goes back up.
    expect(bodiesOf(syncB)).toMatchObject({ downloaded: 120, uploaded: 0, refused: 0 });
  }, 60_000);

  it('a reconnect moves only what is new, both ways', async () => {
    const server = await relay();
    const { secretKey } = createWorkspaceSecrets();
    const a = device();
    const ids = writeNotes(a, 40, 'first');
    const firstA = await online(secretKey, a, server.url);
    await until(settled(firstA));
    firstA.destroy();
    const b = device();
    const firstB = await online(secretKey, b, server.url);
    await until(settled(firstB));
    firstB.destroy();

    // A edits one body while B is away, and a deletion in another (no state vector moves).
    a.bodies.edit(ids[7]!, (body) => body.getText('body').insert(0, 'later '));
    const secondA = await online(secretKey, a, server.url);
    await until(settled(secondA));
    expect(bodiesOf(secondA)).toMatchObject({ uploaded: 1, downloaded: 0 });
    a.bodies.edit(ids[9]!, (body) => body.getText('body').delete(0, 3));
    await until(() => bodiesOf(secondA)?.uploaded === 2 && settled(secondA)());
    secondA.destroy();

    const secondB = await online(secretKey, b, server.url);
    await until(settled(secondB));
    expect(bodiesOf(secondB)).toMatchObject({ downloaded: 2, uploaded: 0 });
    expect(b.bodies.snapshot()).toEqual(a.bodies.snapshot());
    expect(b.bodies.load(ids[9]!).getText('body').toString()).toBe('st-9');
  }, 60_000);

  it('a reconnect in the same session compares only the bodies changed while away', async () => {
    const server = await relay();
    const { secretKey } = createWorkspaceSecrets();
    const a = device();
    const ids = writeNotes(a, 25, 'away');
    let listings = 0;
    const list = a.bodies.vectors.bind(a.bodies);
    a.bodies.vectors = () => {
      listings++;
      return list();
    };
    const syncA = await online(secretKey, a, server.url);
    await until(settled(syncA));
    expect(listings).toBe(1);
    await server.kill9();
    await until(() => syncA.status()[0]?.reachable === false);
    // Made while the relay is away: a deletion only (no state vector moves) and an insertion.
    a.bodies.edit(ids[2]!, (body) => body.getText('body').delete(0, 1));
    a.bodies.edit(ids[3]!, (body) => body.getText('body').insert(0, 'back '));
    const uploaded = bodiesOf(syncA)!.uploaded;
    await relay({ dataDir: server.dataDir, port: server.port });
    await until(() => settled(syncA)() && syncA.status()[0]?.holdsAll === true);
    expect(listings).toBe(1);
    expect(bodiesOf(syncA)!.uploaded - uploaded).toBe(2);
    syncA.destroy();

    const b = device();
    const syncB = await online(secretKey, b, server.url);
    await until(settled(syncB));
    expect(b.bodies.snapshot()).toEqual(a.bodies.snapshot());
  }, 60_000);

  it('changes to more bodies than the queue takes are found by comparing again', async () => {
    const server = await relay();
    const { secretKey } = createWorkspaceSecrets();
    const a = device();
    const ids = writeNotes(a, 30, 'many');
    const syncA = await online(secretKey, a, server.url, 2, 30_000, 4);
    await until(settled(syncA));
    // Thirty bodies change at once (as when a peer delivers them), deletions only in half of them:
    // those move no state vector, so only the not-clean mark gets them compared and sent.
    for (const [i, id] of ids.entries())
      a.bodies.edit(id, (body) =>
        i % 2 === 0 ? body.getText('body').delete(0, 2) : body.getText('body').insert(0, '+'),
      );
    expect(bodiesOf(syncA)!.waiting).toBeLessThanOrEqual(4);
    expect(syncA.status()[0]?.holdsAll).toBe(false);
    await until(() => syncA.status()[0]?.holdsAll === true);
    expect(bodiesOf(syncA)!.uploaded).toBeGreaterThanOrEqual(60);
    syncA.destroy();

    const b = device();
    const syncB = await online(secretKey, b, server.url);
    await until(settled(syncB));
    expect(b.bodies.snapshot()).toEqual(a.bodies.snapshot());
    expect(b.bodies.load(ids[0]!).getText('body').toString()).toBe('ny-0');
  }, 60_000);

  it('a body that comes before its note waits for the root, across a restart too', async () => {
    const server = await relay();
    const { secretKey } = createWorkspaceSecrets();
    const b = device();
    const first = await online(secretKey, b, server.url, 8, 400);
    await until(settled(first));

    // A teammate's body reaches the relay before the note's record does.
    const keys = await deriveRelayKeys(secretKey);
    const writer = await helloMailbox(server.url, keys);
    cleanups.push(() => writer.close());
    await writer.next(); // WELCOME
    writer.send({ type: SINCE, after: 0, streams: [] });
    await writer.until(UPTO);
    const put = async (id: string, text: string, counter: number) => {
      const body = new Y.Doc();
      body.getText('body').insert(0, text);
      const header = {
        kind: KIND_UPDATE as EnvelopeKind,
        sender: new Uint8Array(16).fill(9),
        counter,
        covers: 0,
      };
      const stream = await streamId(keys, id);
      const update = Y.encodeStateAsUpdate(body);
      writer.send({
        type: PUT,
        envelope: await sealEnvelope(keys, { ...header, stream }, id, update),
      });
      expect((await writer.until(ACK)).at(-1)).toMatchObject({ type: ACK, counter });
    };
    await put('note-early001', 'came early', 1);
    await until(() => bodiesOf(first)?.held === 1);
    expect(b.bodies.docs.has('note-early001')).toBe(false);
    first.destroy(); // the app closes with the body held

    b.doc.getMap('notes').set('note-early001', new Y.Map()); // the record arrives (by a peer)
    const second = await online(secretKey, b, server.url, 8, 400);
    await until(() => b.bodies.docs.has('note-early001'));
    expect(b.bodies.load('note-early001').getText('body').toString()).toBe('came early');

    // A body whose note never comes is dropped after the wait, with a log line.
    await put('note-never001', 'nobody names me', 2);
    await until(() => bodiesOf(second)?.refused === 1);
    expect(bodiesOf(second)?.held).toBe(0);
    expect(b.bodies.docs.has('note-never001')).toBe(false);
    expect(
      b.log.some((line) => line.includes('"note-never001"') && line.includes('not a note')),
    ).toBe(true);
    second.destroy();

    // Live: a body held is stored as soon as the root names its note (no wait this time).
    const third = await online(secretKey, b, server.url);
    await until(settled(third));
    await put('note-later001', 'named later', 3);
    await until(() => bodiesOf(third)?.held === 1);
    b.doc.getMap('notes').set('note-later001', new Y.Map());
    await until(() => b.bodies.docs.has('note-later001'));
    expect(bodiesOf(third)?.held).toBe(0);
  }, 60_000);

  it('converges bodies held in the real lazy store, with cursors in IndexedDB', async () => {
    const server = await relay();
    const { workspaceId, secretKey } = createWorkspaceSecrets();
    const open = (name: string) => {
      const doc = new Y.Doc();
      const store = openLazyDocStore(`${workspaceId}-${name}`, {
        key: null,
        accepts: (id) => doc.getMap('notes').has(id),
        onProblem: () => undefined,
      });
      const docCursors = indexedDbDocCursors(`${workspaceId}-${name}`);
      cleanups.push(() => store.close());
      cleanups.push(() => docCursors.close());
      return { doc, store, docCursors, cursors: device().cursors };
    };
    const start = async (who: ReturnType<typeof open>) => {
      const sync = await startRelaySync({
        secretKey,
        doc: who.doc,
        relays: [server.url],
        cursors: who.cursors,
        lazyDocs: who.store,
        docCursors: who.docCursors,
        WebSocket: WebSocket as unknown as WebSocketConstructor,
      });
      cleanups.push(() => sync.destroy());
      return sync;
    };
    const text = (who: ReturnType<typeof open>, id: string) =>
      who.store.read(id, (body) => body.getText('body').toString());

    const a = open('a');
    const ids: string[] = [];
    for (let i = 0; i < 30; i++) {
      const created = notes.create(a.doc, { actor: 'member-a' }, { title: `stored ${i}` });
      if (!created.ok) throw new Error(created.error.message);
      ids.push(created.value.id);
      const body = new Y.Doc();
      body.getText('body').insert(0, `stored body ${i}`);
      await a.store.create(created.value.id, Y.encodeStateAsUpdate(body));
    }
    const syncA = await start(a);
    await until(settled(syncA));
    // An edit of a loaded body goes up as it is made.
    const loaded = await a.store.load(ids[4]!);
    loaded.getText('body').insert(0, 'edited ');
    await until(() => bodiesOf(syncA)?.uploaded === 31 && settled(syncA)());
    a.store.release(ids[4]!);
    syncA.destroy();
    await syncA.whenSaved(); // before the cursors' database closes

    const b = open('b');
    const syncB = await start(b);
    await until(() => settled(syncB)() && bodiesOf(syncB)?.downloaded === 31);
    for (const [i, id] of ids.entries())
      expect(await text(b, id)).toBe(i === 4 ? 'edited stored body 4' : `stored body ${i}`);
    expect(bodiesOf(syncB)).toMatchObject({ uploaded: 0, refused: 0 });
  }, 60_000);

  it('reads bodies with SINCE from a relay that does not speak pages', async () => {
    const server = await relay();
    const old = await versionOneRelay(server.url);
    const { secretKey } = createWorkspaceSecrets();
    const a = device();
    writeNotes(a, 12, 'old relay');
    const syncA = await online(secretKey, a, old.url);
    await until(settled(syncA));
    syncA.destroy();
    const b = device();
    const syncB = await online(secretKey, b, old.url);
    await until(settled(syncB));
    expect(b.bodies.snapshot()).toEqual(a.bodies.snapshot());
    expect(old.seen.refusedHellos).toBeGreaterThanOrEqual(2);
    expect(old.seen.pages).toBe(0);
  }, 60_000);

  it('a hostile body update is refused with a log line and the other bodies arrive', async () => {
    const server = await relay();
    const { secretKey } = createWorkspaceSecrets();
    const a = device();
    const ids = writeNotes(a, 10, 'kept');
    const syncA = await online(secretKey, a, server.url);
    await until(settled(syncA));
    syncA.destroy();

    // Someone holding the key puts an envelope for a real note whose update does not decode.
    const keys = await deriveRelayKeys(secretKey);
    const mallory = await helloMailbox(server.url, keys);
    cleanups.push(() => mallory.close());
    await mallory.next(); // WELCOME
    mallory.send({ type: SINCE, after: 0, streams: [] });
    await mallory.until(UPTO);
    const envelope = await sealEnvelope(
      keys,
      {
        kind: KIND_UPDATE,
        stream: await streamId(keys, ids[3]!),
        sender: new Uint8Array(16).fill(7),
        counter: 1,
        covers: 0,
      },
      ids[3]!,
      new Uint8Array([0xff, 0xff, 0xff, 0x01, 0x02]),
    );
    mallory.send({ type: PUT, envelope });
    expect((await mallory.until(ACK)).at(-1)).toMatchObject({ type: ACK, counter: 1 });

    const b = device();
    const syncB = await online(secretKey, b, server.url);
    await until(settled(syncB));
    expect(bodiesOf(syncB)).toMatchObject({ refused: 1, downloaded: 10 });
    expect(b.log.some((line) => line.includes(`refused body "${ids[3]}"`))).toBe(true);
    expect(b.bodies.snapshot()).toEqual(a.bodies.snapshot());
  }, 60_000);
});
