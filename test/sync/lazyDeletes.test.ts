/**
 * Deletions in the lazy-document exchange (docs/PROTOCOL.md §5.4, "Deletions"), and storage
 * failing for reasons of its own. A deletion moves no state vector, so each side lists the
 * fingerprint of every document's deletions with its vector: two devices holding the same
 * documents with deletions send each other nothing on reconnect, and a deletion one of them made
 * since still reaches the other. The fingerprint is checked to be equal however the same changes
 * were delivered, merged or compacted. A store that refuses a peer's update counts it against the
 * peer; a store failing on its own (closed, a write failed) stops the exchange unacknowledged and
 * is not blamed on the peer.
 */
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import { LazyUpdateRefused, type LazyDocVector } from '../../renderer/sync/peer/lazyDocs';
import {
  lazyBatchMessage,
  lazyListEndMessage,
  lazyListMessage,
  MAX_ENTRIES_PER_MESSAGE,
  MESSAGE_LAZY_ACK,
  MESSAGE_LAZY_BATCH,
} from '../../renderer/sync/peer/lazyWire';
import { helloMessage } from '../../renderer/sync/peer/wire';
import { deletesFingerprint } from '../../renderer/sync/storage/lazyDocMeta';
import { connect, lazyProvider, Link, until, type Side } from './lazyLink';
import { MemoryLazyDocs } from './memoryLazyDocs';
import { seededRandom } from './seededRandom';

const open: Side[] = [];
afterEach(() => {
  for (const side of open.splice(0)) side.sync.destroy();
});

function side(lazyDocs: MemoryLazyDocs, options: Parameters<typeof lazyProvider>[1] = {}) {
  const made = lazyProvider(lazyDocs, options);
  open.push(made);
  return made;
}

const idOf = (prefix: string, n: number) =>
  `${prefix}${String(n).padStart(22 - prefix.length, '0')}`;

/** A note written by `clientID`, then partly deleted (a delete set, and a vector it did not move). */
function writeAndDelete(docs: MemoryLazyDocs, id: string, text: string, clientID: number): void {
  docs.edit(id, (doc) => doc.getText('body').insert(0, text), clientID);
  docs.edit(id, (doc) => doc.getText('body').delete(0, 3), clientID);
}

const typesSent = (link: Link) =>
  link.sent.map((message) => decoding.readVarUint(decoding.createDecoder(message)));

/** The batches recorded on `link`: documents answered, their bytes, most in one batch. */
function batchesSent(link: Link): { docs: number; bytes: number; most: number } {
  let docs = 0;
  let bytes = 0;
  let most = 0;
  for (const message of link.sent) {
    const decoder = decoding.createDecoder(message);
    if (decoding.readVarUint(decoder) !== MESSAGE_LAZY_BATCH) continue;
    decoding.readVarUint(decoder);
    const entries = decoding.readVarUint(decoder);
    docs += entries;
    most = Math.max(most, entries);
    bytes += message.length;
  }
  return { docs, bytes, most };
}

/** Storage that lists no fingerprint of deletions: how every device listed before them. */
class UnfingerprintedDocs extends MemoryLazyDocs {
  override async *vectors(): AsyncIterable<readonly LazyDocVector[]> {
    for await (const page of super.vectors()) yield page.map(({ id, vector }) => ({ id, vector }));
  }
}

/** Connects `a` and `b`, recording what each sends, and waits until both are done. */
async function exchange(a: Side, b: Side, ms = 60_000) {
  const channel = connect(a, b);
  channel.atA.recording = true;
  channel.atB.recording = true;
  const done = () => channel.atA.lazy?.phase === 'done' && channel.atB.lazy?.phase === 'done';
  expect(await until(done, ms)).toBe(true);
  expect([...a.logs, ...b.logs]).toEqual([]);
  return channel;
}

describe('the fingerprint of deletions', () => {
  it('is the one PROTOCOL.md gives for its examples', () => {
    const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
    const none = new Y.Doc();
    expect(hex(deletesFingerprint(Y.decodeUpdate(Y.encodeStateAsUpdate(none)).ds))).toBe(
      'e3b0c44298fc1c149afbf4c8996fb924',
    );
    // Client 1 wrote three characters and deleted them: one range, clock 0, length 3.
    const doc = new Y.Doc();
    doc.clientID = 1;
    doc.getText('body').insert(0, 'abc');
    doc.getText('body').delete(0, 3);
    expect(hex(deletesFingerprint(Y.decodeUpdate(Y.encodeStateAsUpdate(doc)).ds))).toBe(
      'e950790e52ddfd47307209df423581d9',
    );
  });

  it('is equal however the same changes were delivered, merged or compacted', () => {
    const random = seededRandom(18);
    for (let round = 0; round < 20; round++) {
      // Three writers edit one document, each seeing the others' changes now and then.
      const writers = [1, 2, 3].map((clientID) => {
        const doc = new Y.Doc();
        doc.clientID = clientID + round * 10;
        return doc;
      });
      const updates: Uint8Array[] = [];
      for (const doc of writers) doc.on('update', (update: Uint8Array) => updates.push(update));
      for (let step = 0; step < 40; step++) {
        const doc = writers[Math.floor(random() * writers.length)]!;
        const text = doc.getText('body');
        const roll = random();
        if (roll < 0.45 || text.length < 4) text.insert(Math.floor(random() * text.length), 'abc');
        else if (roll < 0.8) text.delete(Math.floor(random() * (text.length - 2)), 2);
        else if (roll < 0.9) text.format(0, Math.min(3, text.length), { bold: true });
        else for (const other of writers) Y.applyUpdate(other, Y.encodeStateAsUpdate(doc));
      }
      const shuffled = [...updates].sort(() => random() - 0.5);
      const inOrder = deletesFingerprint(Y.decodeUpdate(Y.mergeUpdates(updates)).ds);
      const delivered = deletesFingerprint(Y.decodeUpdate(Y.mergeUpdates(shuffled)).ds);
      const whole = new Y.Doc();
      for (const update of shuffled) Y.applyUpdate(whole, update);
      const compacted = deletesFingerprint(Y.decodeUpdate(Y.encodeStateAsUpdate(whole)).ds);
      expect(delivered).toEqual(inOrder);
      expect(compacted).toEqual(inOrder);
      // And it tells deletions apart: one more deletion changes it.
      whole.getText('body').delete(0, 1);
      expect(deletesFingerprint(Y.decodeUpdate(Y.encodeStateAsUpdate(whole)).ds)).not.toEqual(
        inOrder,
      );
    }
  });
});

describe('two providers holding documents with deletions', () => {
  it('answer none of them on reconnect, and a deletion made since still goes', async () => {
    const a = new MemoryLazyDocs();
    const b = new MemoryLazyDocs();
    for (let i = 0; i < 200; i++) writeAndDelete(a, idOf('d', i), `from a ${i} `, 1);
    for (let i = 200; i < 400; i++) writeAndDelete(b, idOf('d', i), `from b ${i} `, 2);
    const sideA = side(a);
    const sideB = side(b);
    // The first connection brings each side the other's documents (received, so merged apart).
    const first = await exchange(sideA, sideB);
    expect(b.snapshot()).toEqual(a.snapshot());
    first.close();

    const again = await exchange(sideA, sideB);
    expect(sideA.sync.lazyProgress(again.atA)).toMatchObject({ sent: 0, received: 0 });
    expect(sideB.sync.lazyProgress(again.atB)).toMatchObject({ sent: 0, received: 0 });
    expect(typesSent(again.atA)).not.toContain(MESSAGE_LAZY_BATCH);
    expect(typesSent(again.atB)).not.toContain(MESSAGE_LAZY_BATCH);
    again.close();

    // A deletion on B while apart: no vector moves, and A still gets it.
    const id = idOf('d', 7);
    b.edit(id, (doc) => doc.getText('body').delete(0, 2), 2);
    expect(Y.encodeStateVectorFromUpdate(b.docs.get(id)!)).toEqual(
      Y.encodeStateVectorFromUpdate(a.docs.get(id)!),
    );
    const third = await exchange(sideA, sideB);
    // Their fingerprints of that one document differ, so each answers it (neither can tell
    // whose deletions hold the other's); nothing else goes.
    expect(sideB.sync.lazyProgress(third.atB)).toMatchObject({ sent: 1, received: 1 });
    expect(sideA.sync.lazyProgress(third.atA)).toMatchObject({ sent: 1, received: 1 });
    expect(a.load(id).getText('body').toString()).toBe(b.load(id).getText('body').toString());
    expect(b.snapshot()).toEqual(a.snapshot());
    expect([...sideA.logs, ...sideB.logs]).toEqual([]);
  });

  it('at 10,000 documents, send none again on reconnect where they sent every one before', async () => {
    const count = 10_000;
    const reconnect = async (make: () => MemoryLazyDocs) => {
      const a = make();
      const b = make();
      for (let i = 0; i < count; i++) writeAndDelete(a, idOf('t', i), `note ${i} `.repeat(10), 1);
      for (const [id, update] of a.docs) b.docs.set(id, update);
      const sideA = side(a);
      const sideB = side(b);
      const channel = await exchange(sideA, sideB);
      const fromA = batchesSent(channel.atA);
      const fromB = batchesSent(channel.atB);
      channel.close();
      const most = Math.max(fromA.most, fromB.most);
      return { docs: fromA.docs + fromB.docs, bytes: fromA.bytes + fromB.bytes, most };
    };
    const before = await reconnect(() => new UnfingerprintedDocs(undefined, 2000));
    const after = await reconnect(() => new MemoryLazyDocs(undefined, 2000));
    console.info(
      `Reconnect of two devices holding the same ${count} documents with deletions: ` +
        `${before.docs} documents in ${before.bytes} bytes of batches without fingerprints, ` +
        `${after.docs} in ${after.bytes} with them.`,
    );
    // Each side answered every one of the other's listed documents with its delete set, in
    // batches of at most 4,096 entries (answers this small reach that before the 1 MiB).
    expect(before.docs).toBe(2 * count);
    expect(before.most).toBeLessThanOrEqual(MAX_ENTRIES_PER_MESSAGE);
    expect(after).toEqual({ docs: 0, bytes: 0, most: 0 });
  }, 120_000);
});

describe('answers as small as a delete set', () => {
  it('go in batches of at most 4,096 entries, the bound a receiver holds a peer to', async () => {
    // The first answer waits until the whole listing is in, so every entry is queued at once.
    let release = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    class GatedDocs extends MemoryLazyDocs {
      override async diff(id: string, vector: Uint8Array, deletes?: Uint8Array) {
        await gate;
        return super.diff(id, vector, deletes);
      }
    }
    const docs = new GatedDocs(undefined, 2000);
    const count = MAX_ENTRIES_PER_MESSAGE + 904;
    for (let i = 0; i < count; i++) writeAndDelete(docs, idOf('b', i), `body ${i}`, 1);
    const made = side(docs);
    const peer = new Link('peer', () => {});
    made.sync.onPeerData(peer, helloMessage(null, true));
    peer.recording = true;
    // The peer lists every document with all of its changes and no fingerprint, all at once:
    // each is answered with its delete set alone, some 30 bytes.
    const listed = [...docs.docs].map(([id, held]) => ({
      id,
      bytes: Y.encodeStateVectorFromUpdate(held),
    }));
    made.sync.onPeerData(peer, lazyListMessage(listed.slice(0, MAX_ENTRIES_PER_MESSAGE)));
    made.sync.onPeerData(peer, lazyListMessage(listed.slice(MAX_ENTRIES_PER_MESSAGE)));
    made.sync.onPeerData(peer, lazyListEndMessage(count));
    expect(await until(() => (made.sync.lazyProgress(peer)?.peerHolds ?? 0) === count)).toBe(true);
    release();
    expect(await until(() => batchesSent(peer).docs === count)).toBe(true);
    expect(batchesSent(peer).most).toBe(MAX_ENTRIES_PER_MESSAGE);
    expect(batchesSent(peer).bytes).toBeLessThan(1024 * 1024);
  });
});

describe('storage failing under the exchange', () => {
  /** Storage whose `receive` or `diff` fails with `failure` while it is set. */
  class FailingDocs extends MemoryLazyDocs {
    failure: Error | null = null;
    failDiff = false;
    override async receive(id: string, update: Uint8Array, origin: unknown): Promise<void> {
      if (this.failure) throw this.failure;
      return super.receive(id, update, origin);
    }
    override async diff(id: string, vector: Uint8Array, deletes?: Uint8Array) {
      if (this.failDiff && this.failure) throw this.failure;
      return super.diff(id, vector, deletes);
    }
  }

  function target() {
    const docs = new FailingDocs();
    const made = side(docs);
    const peer = new Link('peer', () => {});
    made.sync.onPeerData(peer, helloMessage(null, true));
    peer.recording = true;
    return { docs, made, peer };
  }

  const update = (text: string) => {
    const doc = new Y.Doc();
    doc.getText('body').insert(0, text);
    return Y.encodeStateAsUpdate(doc);
  };

  it('counts an update storage refuses against the peer, and goes on', async () => {
    const { docs, made, peer } = target();
    docs.failure = new LazyUpdateRefused('Refused an update for lazy document x: too large.');
    made.sync.onPeerData(peer, lazyBatchMessage(0, [{ id: idOf('r', 1), bytes: update('a') }]));
    expect(await until(() => typesSent(peer).includes(MESSAGE_LAZY_ACK))).toBe(true);
    expect(made.logs).toEqual([
      'Refused lazy document r000000000000000000001 from peer peer: Refused an update for lazy document x: too large.',
    ]);
    expect(made.sync.wireStats().rejected).toBe(1);
    docs.failure = null;
    made.sync.onPeerData(peer, lazyBatchMessage(1, [{ id: idOf('r', 2), bytes: update('b') }]));
    expect(await until(() => docs.docs.has(idOf('r', 2)))).toBe(true);
    expect(peer.closed).toBe(false);
  });

  it('stops the exchange unacknowledged when storage fails on its own, blaming no one', async () => {
    const { docs, made, peer } = target();
    docs.failure = new Error('The lazy documents of w1 are closed.');
    made.sync.onPeerData(
      peer,
      lazyBatchMessage(0, [
        { id: idOf('s', 1), bytes: update('a') },
        { id: idOf('s', 2), bytes: update('b') },
      ]),
    );
    expect(await until(() => made.logs.length > 0)).toBe(true);
    expect(made.logs).toEqual([
      'Stopped exchanging lazy documents with peer peer: could not store lazy document s000000000000000000001 on this device (Error: The lazy documents of w1 are closed.).',
    ]);
    expect(made.sync.lazyProgress(peer)).toMatchObject({ phase: 'stopped', storing: 0 });
    // What it sent next is not stored either, even once storage works again.
    docs.failure = null;
    made.sync.onPeerData(peer, lazyBatchMessage(1, [{ id: idOf('s', 3), bytes: update('c') }]));
    await until(() => peer.inboundBytes === 0);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(docs.docs.size).toBe(0);
    // Nothing acknowledged (an ack says stored), nothing counted, still connected.
    expect(typesSent(peer)).not.toContain(MESSAGE_LAZY_ACK);
    expect(made.sync.wireStats().rejected).toBe(0);
    expect(peer.closed).toBe(false);
  });

  it('stops the exchange when storage cannot answer the peer, blaming no one', async () => {
    const { docs, made, peer } = target();
    docs.edit(idOf('q', 1), (doc) => doc.getText('body').insert(0, 'held'));
    docs.failure = new Error('IndexedDB read failed.');
    docs.failDiff = true;
    made.sync.onPeerData(peer, lazyListMessage([{ id: idOf('q', 1), bytes: Uint8Array.of(0) }]));
    expect(await until(() => made.logs.length > 0)).toBe(true);
    expect(made.logs).toEqual([
      'Stopped exchanging lazy documents with peer peer: could not read lazy document q000000000000000000001 on this device (Error: IndexedDB read failed.).',
    ]);
    expect(made.sync.wireStats().rejected).toBe(0);
    expect(typesSent(peer)).not.toContain(MESSAGE_LAZY_BATCH);
    expect(peer.closed).toBe(false);
  });

  it('still counts a state vector that does not decode against the peer', async () => {
    const { made, peer } = target();
    made.sync.onPeerData(
      peer,
      lazyListMessage([{ id: idOf('v', 1), bytes: Uint8Array.of(0xff, 0xff, 0xff) }]),
    );
    expect(await until(() => made.sync.wireStats().rejected === 1)).toBe(true);
    expect(made.logs).toEqual([
      'Peer peer sent a state vector for v000000000000000000001 that does not decode.',
    ]);
  });
});
