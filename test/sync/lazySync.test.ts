/**
 * The lazy-document exchange (renderer/sync/peer/lazySync.ts, docs/PROTOCOL.md §5.4) between two
 * real providers over a stand-in for the data channel (lazyLink.ts), with in-memory storage
 * (memoryLazyDocs.ts): the documents of both sides converge after the root, answers are batched
 * and paced by acknowledgements, live edits reach the peer, an opened note comes first, a provider
 * without lazy documents is served as before, and what a hostile peer sends is refused.
 */
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import { MESSAGE_HELLO } from '../../shared/protocol/frames';
import {
  lazyBatchMessage,
  lazyListMessage,
  lazyUpdateMessage,
  MAX_LAZY_UPDATE_BYTES,
  MESSAGE_LAZY_UPDATE,
} from '../../renderer/sync/peer/lazyWire';
import { helloMessage, openMessage } from '../../renderer/sync/peer/wire';
import { connect, lazyProvider, Link, until, type Side } from './lazyLink';
import { MemoryLazyDocs } from './memoryLazyDocs';

const open: Side[] = [];
afterEach(() => {
  for (const side of open.splice(0)) side.sync.destroy();
});

function side(lazyDocs?: MemoryLazyDocs, options: Parameters<typeof lazyProvider>[1] = {}) {
  const made = lazyProvider(lazyDocs, options);
  open.push(made);
  return made;
}

/** A note-like id (LAZY_DOC_ID): 22 URL-safe characters. */
const idOf = (prefix: string, n: number) =>
  `${prefix}${String(n).padStart(22 - prefix.length, '0')}`;

function write(docs: MemoryLazyDocs, id: string, text: string, clientID: number): void {
  docs.edit(id, (doc) => doc.getText('body').insert(0, text), clientID);
}

/** The message types sent on `link` since it started recording. */
const typesSent = (link: Link) =>
  link.sent.map((message) => decoding.readVarUint(decoding.createDecoder(message)));

describe('two providers with lazy documents', () => {
  it('converge on the documents of both sides, in batches paced by acknowledgements', async () => {
    const a = new MemoryLazyDocs();
    const b = new MemoryLazyDocs();
    for (let i = 0; i < 300; i++) write(a, idOf('n', i), `from a ${i} `.repeat(60), 1);
    for (let i = 250; i < 500; i++) write(b, idOf('n', i), `from b ${i} `.repeat(60), 2);
    // Documents both hold, with changes only B has (its own) and only A has (written since).
    for (let i = 250; i < 300; i++) {
      const id = idOf('n', i);
      b.docs.set(id, Y.mergeUpdates([b.docs.get(id)!, a.docs.get(id)!]));
      write(a, id, 'a again ', 1);
    }
    const lazyLimits = { batchBytes: 4 * 1024, windowBytes: 16 * 1024, maxListed: 10_000 };
    const sideA = side(a, { lazyLimits });
    const sideB = side(b, { lazyLimits });
    sideA.doc.getMap('meta').set('name', 'root of a');

    // What B holds unstored from A when each update is stored: bounded by the window.
    let channel: ReturnType<typeof connect> | null = null;
    let mostUnstored = 0;
    const receive = b.receive.bind(b);
    b.receive = (id, update, origin) => {
      mostUnstored = Math.max(mostUnstored, channel?.atB.lazy?.storingBytes ?? 0);
      return receive(id, update, origin);
    };
    channel = connect(sideA, sideB);

    // (Whether the root is "in sync" is learned from have messages, which go to the peers of the
    // signaling room; this stand-in is not one, so the root is compared directly.)
    const done = () => channel.atA.lazy?.phase === 'done' && channel.atB.lazy?.phase === 'done';
    expect(await until(done)).toBe(true);
    expect(b.snapshot()).toEqual(a.snapshot());
    expect(Object.keys(a.snapshot())).toHaveLength(500);
    expect(sideB.doc.getMap('meta').get('name')).toBe('root of a');
    // B lacked 250 of A's documents and A's changes to 50 more; A lacked 200 of B's documents
    // and B's changes to those 50.
    expect(channel.atB.lazy).toMatchObject({ received: 300, sent: 250, peerHolds: 300 });
    expect(channel.atA.lazy).toMatchObject({ received: 250, sent: 300, peerHolds: 250 });
    expect(sideA.sync.lazyProgress(channel.atA)).toEqual({
      phase: 'done',
      peerHolds: 250,
      weHold: 300,
      received: 250,
      sent: 300,
      storing: 0,
    });
    // A's answers (over 160 KB) never sat unstored at B beyond the window and the batch that
    // went over it (each entry counted with 64 bytes beyond its own).
    expect(mostUnstored).toBeGreaterThan(0);
    expect(mostUnstored).toBeLessThanOrEqual(2 * (16 * 1024 + 4 * 1024));
    expect(sideA.logs).toEqual([]);
    expect(sideB.logs).toEqual([]);
  });

  it('bring a fresh device 10,000 documents, never encoding or holding more than a window ahead', async () => {
    const holder = new MemoryLazyDocs(undefined, 2000);
    for (let i = 0; i < 10_000; i++) write(holder, idOf('f', i), `note ${i} `.repeat(10), 1);
    const fresh = new MemoryLazyDocs();
    const lazyLimits = { batchBytes: 16 * 1024, windowBytes: 64 * 1024, maxListed: 20_000 };
    // How far the holder's encoding runs ahead of what the fresh device stored, at most.
    let encoded = 0;
    let mostAhead = 0;
    const diff = holder.diff.bind(holder);
    holder.diff = async (id, vector) => {
      const update = await diff(id, vector);
      if (update) mostAhead = Math.max(mostAhead, ++encoded - fresh.docs.size);
      return update;
    };
    const sideH = side(holder, { lazyLimits });
    const sideF = side(fresh, { lazyLimits });
    let mostUnstored = 0;
    // The holder as the fresh device sees it.
    let holderAtFresh: Link | null = null;
    const receive = fresh.receive.bind(fresh);
    fresh.receive = (id, update, origin) => {
      mostUnstored = Math.max(mostUnstored, holderAtFresh?.lazy?.storingBytes ?? 0);
      return receive(id, update, origin);
    };
    const link = connect(sideH, sideF, ['holder', 'fresh']);
    holderAtFresh = link.atB;
    const done = () => link.atA.lazy?.phase === 'done' && link.atB.lazy?.phase === 'done';
    expect(await until(done, 60_000)).toBe(true);
    expect(fresh.docs.size).toBe(10_000);
    expect(fresh.snapshot()).toEqual(holder.snapshot());
    // Each update is about 100 bytes, plus 64 counted per entry: a window and a batch hold some
    // 80 KiB, about 500 documents; the whole answer is 10,000.
    expect(mostUnstored).toBeLessThanOrEqual(2 * (64 + 16) * 1024);
    expect(mostAhead).toBeLessThan(1_500);
    expect(sideH.sync.lazyProgress(link.atA)).toMatchObject({ phase: 'done', sent: 10_000 });
  }, 90_000);

  it('send live edits to each other, and never echo one back to its sender', async () => {
    const a = new MemoryLazyDocs();
    const b = new MemoryLazyDocs();
    write(a, idOf('live', 1), 'first', 1);
    const sideA = side(a);
    const sideB = side(b);
    const channel = connect(sideA, sideB);
    expect(await until(() => channel.atB.lazy?.phase === 'done')).toBe(true);
    channel.atB.recording = true;
    write(a, idOf('live', 1), 'edited ', 1);
    write(a, idOf('live', 2), 'a new note', 1);
    expect(await until(() => b.docs.has(idOf('live', 2)))).toBe(true);
    expect(
      await until(() => b.load(idOf('live', 1)).getText('body').toString() === 'edited first'),
    ).toBe(true);
    write(b, idOf('live', 2), 'b: ', 2);
    expect(
      await until(() => a.load(idOf('live', 2)).getText('body').toString() === 'b: a new note'),
    ).toBe(true);
    // B sent its own edit and nothing of what it received.
    expect(typesSent(channel.atB).filter((type) => type === MESSAGE_LAZY_UPDATE)).toHaveLength(1);
    expect(b.snapshot()).toEqual(a.snapshot());
  });

  it('send a note asked for with wantLazyDoc before the rest of the exchange', async () => {
    const b = new MemoryLazyDocs();
    for (let i = 0; i < 2000; i++) write(b, idOf('w', i), `body ${i}`, 2);
    const a = new MemoryLazyDocs();
    const lazyLimits = { batchBytes: 2 * 1024, windowBytes: 4 * 1024, maxListed: 10_000 };
    const sideA = side(a, { lazyLimits });
    const sideB = side(b, { lazyLimits });
    const opened = idOf('w', 1999);
    // Opened before any peer connected: asked for right after the root.
    sideA.sync.wantLazyDoc(opened);
    const channel = connect(sideA, sideB);
    expect(await until(() => channel.atA.lazy?.phase === 'done')).toBe(true);
    expect(a.received[0]).toBe(opened);
    expect(a.docs.size).toBe(2000);

    // Asked again while connected: it goes at once, with the state vector of what A holds.
    channel.atA.recording = true;
    sideA.sync.wantLazyDoc(opened);
    expect(await until(() => channel.atA.sent.length > 0)).toBe(true);
    expect(openMessage(channel.atA.sent[0]!).read()).toEqual({
      type: 'lazyWant',
      entry: { id: opened, bytes: Y.encodeStateVectorFromUpdate(a.docs.get(opened)!) },
    });
    expect(b.snapshot()).toEqual(a.snapshot());
  });

  it('serve a provider without lazy documents as before: the root only, no lazy message', async () => {
    const a = new MemoryLazyDocs();
    write(a, idOf('x', 1), 'body', 1);
    const sideA = side(a);
    const sideB = side(undefined);
    sideA.doc.getMap('meta').set('name', 'lazy side');
    sideB.doc.getMap('meta').set('other', 'plain side');
    const channel = connect(sideA, sideB, ['a', 'b'], [true, false]);
    channel.atA.recording = true;
    channel.atB.recording = true;
    const both = { name: 'lazy side', other: 'plain side' };
    const rootOf = (s: Side) => s.doc.getMap('meta').toJSON();
    expect(await until(() => equal(rootOf(sideA), both) && equal(rootOf(sideB), both))).toBe(true);
    // A lazy edit on A does not go to B either (live edits are sent as they are reported).
    write(a, idOf('x', 1), 'more ', 1);
    expect(typesSent(channel.atA).filter((type) => type >= 105)).toEqual([]);
    expect(typesSent(channel.atB).filter((type) => type >= 105)).toEqual([]);
    expect(channel.atA.lazy).toBeNull();
    // B's hello is the one a provider from before lazy documents sends: no feature field.
    const hello = channel.atB.sent.find((message) => message[0] === MESSAGE_HELLO);
    expect(hello ?? helloMessage()).toEqual(helloMessage());
  });
});

describe('a hostile lazy peer', () => {
  /** A provider holding notes `ok…`, and a peer that said it speaks lazy documents. */
  function target(lazyLimits?: { batchBytes: number; windowBytes: number; maxListed: number }) {
    const docs = new MemoryLazyDocs((id) => id.startsWith('ok'));
    const made = side(docs, lazyLimits ? { lazyLimits } : {});
    const peer = new Link('hostile', () => {});
    made.sync.onPeerData(peer, helloMessage(null, true));
    return { docs, made, peer };
  }
  const update = (text: string) => {
    const doc = new Y.Doc();
    doc.getText('body').insert(0, text);
    return Y.encodeStateAsUpdate(doc);
  };

  it('has bad ids, unaccepted ids and updates that do not decode ignored, with log lines', async () => {
    const { docs, made, peer } = target();
    const good = idOf('ok', 1);
    made.sync.onPeerData(
      peer,
      lazyBatchMessage(0, [
        { id: 'no', bytes: update('too short an id') },
        { id: 'has spaces in it', bytes: update('bad') },
        { id: idOf('other', 1), bytes: update('a note this workspace does not hold') },
        { id: idOf('ok', 2), bytes: Uint8Array.of(0xff, 0xff, 0xff, 0x0f) },
        { id: good, bytes: update('kept') },
      ]),
    );
    made.sync.onPeerData(peer, lazyUpdateMessage(idOf('ok', 3), Uint8Array.of(1, 2, 3)));
    expect(await until(() => made.logs.length >= 4)).toBe(true);
    await until(() => docs.docs.has(good));
    expect([...docs.docs.keys()]).toEqual([good]);
    expect(docs.load(good).getText('body').toString()).toBe('kept');
    expect(made.logs).toEqual([
      expect.stringMatching(/^Peer hostile named 2 lazy document\(s\) by an invalid id\.$/),
      expect.stringMatching(/^Refused lazy document ok0+2 from peer hostile: /),
      expect.stringMatching(
        /^Ignored 1 lazy document\(s\) from peer hostile that this workspace does not hold \(other0+1\)\.$/,
      ),
      expect.stringMatching(/^Refused lazy document ok0+3 from peer hostile: /),
    ]);
    // Counted as bad messages, tolerated as a buggy peer would be.
    expect(made.sync.wireStats().rejected).toBe(3);
    expect(peer.closed).toBe(false);
  });

  it('is dropped for an update over the bound and for listing more documents than the bound', async () => {
    const big = target();
    const header = lazyUpdateMessage(idOf('ok', 1), new Uint8Array(0)).subarray(0, 24);
    // A varUint length over the bound, then nothing: refused from the header alone.
    const oversized = Uint8Array.from([
      ...header.subarray(0, 2 + 22),
      ...varUint(MAX_LAZY_UPDATE_BYTES + 1),
    ]);
    big.made.sync.onPeerData(big.peer, oversized);
    expect(await until(() => big.peer.closed)).toBe(true);
    expect(big.made.logs.at(-1)).toMatch(
      /^Disconnected peer hostile: sent 16777217 bytes for one document\.$/,
    );

    const many = target({ batchBytes: 1024, windowBytes: 4096, maxListed: 100 });
    const entries = Array.from({ length: 60 }, (_, i) => ({
      id: idOf('ok', i),
      bytes: Uint8Array.of(0),
    }));
    many.made.sync.onPeerData(many.peer, lazyListMessage(entries));
    many.made.sync.onPeerData(
      many.peer,
      lazyListMessage(entries.map((e) => ({ ...e, id: `${e.id}x` }))),
    );
    expect(await until(() => many.peer.closed)).toBe(true);
    expect(many.made.logs.at(-1)).toBe(
      'Disconnected peer hostile: listed more than 100 documents.',
    );
  });

  it('is ignored unread by a provider without lazy documents, as every unknown type was', async () => {
    const made = side(undefined);
    const peer = new Link('hostile', () => {});
    made.sync.onPeerData(peer, helloMessage(null, true));
    // Truncated, and over the bound: either would count against a provider that reads them.
    made.sync.onPeerData(
      peer,
      lazyBatchMessage(1, [{ id: idOf('ok', 1), bytes: update('x') }]).subarray(0, 5),
    );
    made.sync.onPeerData(
      peer,
      Uint8Array.from([110, 8, ...Buffer.from('abcdefgh'), 0xff, 0xff, 0xff, 0x7f]),
    );
    await until(() => peer.inboundBytes === 0);
    expect(made.sync.wireStats().rejected).toBe(0);
    expect(peer.closed).toBe(false);
    expect(made.logs).toEqual([]);
  });

  it('is ignored when its hello did not say it speaks lazy documents', async () => {
    const docs = new MemoryLazyDocs();
    const made = side(docs);
    const plain = new Link('plain', () => {});
    // Its hello did not say it speaks lazy documents: what it sends of them is ignored.
    made.sync.onPeerData(plain, helloMessage());
    made.sync.onPeerData(plain, lazyUpdateMessage(idOf('ok', 1), update('x')));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(docs.docs.size).toBe(0);
    expect(plain.closed).toBe(false);
    expect(made.sync.wireStats().rejected).toBe(0);
  });
});

const equal = (a: object, b: object) =>
  JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort());

function varUint(value: number): number[] {
  const bytes: number[] = [];
  while (value > 0x7f) {
    bytes.push((value & 0x7f) | 0x80);
    value = Math.floor(value / 128);
  }
  bytes.push(value);
  return bytes;
}
