/**
 * Lazy documents and who may exchange them (docs/PROTOCOL.md §5.4, "Device proof" and "Lazy
 * documents"), through the provider's data-channel handler with a real team document, real
 * Ed25519 device proofs and a real removal: a peer that sends lazy documents before proving its
 * device is refused and nothing of it is stored; a proven peer exchanges them; once removed it
 * gets nothing more. What peers make us hold for the exchange counts in the inbound budget.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import * as Y from 'yjs';
import { Awareness } from 'y-protocols/awareness';
import * as decoding from 'lib0/decoding';
import { readTrust, upsertMember } from '../../shared/model';
import { removeAndRotate } from '../../shared/model/rotations';
import { deviceSigner, identityFromSeeds } from '../../shared/protocol/identity';
import { peerNonce, signPeerProof } from '../../shared/protocol/peerProof';
import {
  PeerEndpoint,
  PeerSync,
  type WebSocketConstructor,
} from '../../renderer/sync/peer/peerSync';
import { REFUSED_EARLY_SYNC } from '../../renderer/sync/peer/admission';
import {
  lazyBatchMessage,
  lazyListMessage,
  MESSAGE_LAZY_LIST,
  MESSAGE_LAZY_UPDATE,
} from '../../renderer/sync/peer/lazyWire';
import { helloMessage, openMessage, proofMessage } from '../../renderer/sync/peer/wire';
import { teamPeerAuth } from '../../renderer/sync/teamPeerAuth';
import type { Profile } from '../../shared/schema/profile';
import { lazyProvider, until, type Side } from './lazyLink';
import { MemoryLazyDocs } from './memoryLazyDocs';

const WORKSPACE = 'LazyProofSpace00001';
const people: Profile[] = ['Ana', 'Bea'].map((name, index) => ({
  memberId: `Member${name}000000${index}`,
  displayName: name,
  color: '#2563eb',
  timeZone: 'UTC',
}));
const [ana, bea] = [1, 2].map((seed) =>
  deviceSigner(
    identityFromSeeds(new Uint8Array(32).fill(seed), new Uint8Array(32).fill(seed + 10)),
  ),
) as [ReturnType<typeof deviceSigner>, ReturnType<typeof deviceSigner>];

class RecordingPeer extends PeerEndpoint {
  readonly sent: Uint8Array[] = [];
  constructor(id: string) {
    super(id);
    this.state = 'connected';
  }
  override send(message: Uint8Array, onSent?: () => void): void {
    if (this.closed) return;
    this.sent.push(message);
    onSent?.();
  }
  override destroy(): void {
    this.closed = true;
  }
  types(): number[] {
    return this.sent.map((message) => decoding.readVarUint(decoding.createDecoder(message)));
  }
}

const open: PeerSync[] = [];
afterEach(() => {
  for (const sync of open.splice(0)) sync.destroy();
});

/** Ana's device in a team of two, with lazy documents. */
function anasDevice(docs: MemoryLazyDocs): { doc: Y.Doc; sync: PeerSync; logs: string[] } {
  const doc = new Y.Doc();
  for (const [index, person] of people.entries())
    upsertMember(doc, person, 1, { signer: [ana, bea][index]!, workspace: WORKSPACE });
  const logs: string[] = [];
  const sync = new PeerSync({
    doc,
    awareness: new Awareness(doc),
    roomName: 'room-lazy-proof',
    password: 'password-lazy-proof',
    signaling: [],
    iceServers: [],
    WebSocket: WebSocket as unknown as WebSocketConstructor,
    auth: teamPeerAuth(doc, WORKSPACE, ana),
    lazyDocs: docs,
    log: (line) => logs.push(line),
  });
  open.push(sync);
  return { doc, sync, logs };
}

const body = (text: string) => {
  const doc = new Y.Doc();
  doc.getText('body').insert(0, text);
  return Y.encodeStateAsUpdate(doc);
};
const ID = 'NoteOfTheTeam000000001';

describe('lazy documents and device proofs', () => {
  it('refuse a peer sending them before its proof, and store nothing of it', async () => {
    const docs = new MemoryLazyDocs();
    const { sync } = anasDevice(docs);
    const conn = new RecordingPeer('early-peer');
    sync.onPeerData(conn, helloMessage(peerNonce(), true));
    sync.onPeerData(conn, lazyBatchMessage(0, [{ id: ID, bytes: body('too early') }]));
    expect(await until(() => conn.closed)).toBe(true);
    expect(sync.status().refused).toEqual([
      expect.objectContaining({ id: 'early-peer', reason: REFUSED_EARLY_SYNC }),
    ]);
    expect(docs.docs.size).toBe(0);
    expect(conn.types().filter((type) => type >= MESSAGE_LAZY_LIST)).toEqual([]);
  });

  it('exchange them with a proven peer, and send a removed one nothing more', async () => {
    const docs = new MemoryLazyDocs();
    docs.edit(ID, (doc) => doc.getText('body').insert(0, 'on Ana'));
    const { doc, sync, logs } = anasDevice(docs);
    const conn = new RecordingPeer('bea-device');
    const theirs = peerNonce();
    sync.onPeerData(conn, helloMessage(theirs, true));
    await until(() => conn.sent.length > 0);
    const ours = openMessage(conn.sent[0]!).read();
    if (ours.type !== 'hello' || !ours.nonce) throw new Error('no hello with a nonce');
    expect(ours.lazy).toBe(true);
    const signature = signPeerProof(bea, {
      workspace: WORKSPACE,
      signerNonce: theirs,
      verifierNonce: ours.nonce,
    });
    sync.onPeerData(conn, proofMessage(bea.key, signature));
    // Bea's root state vector (she holds nothing), then her listing: nothing.
    const emptyStep1 = Uint8Array.of(0, 0, 1, 0);
    sync.onPeerData(conn, emptyStep1);
    sync.onPeerData(conn, lazyListMessage([]));
    // Ana lists what she holds once her answer to Bea's state vector went.
    expect(await until(() => conn.types().includes(MESSAGE_LAZY_LIST))).toBe(true);
    sync.onPeerData(conn, Uint8Array.of(106, 0)); // Bea's list end: she gets Ana's document
    expect(await until(() => conn.types().includes(107))).toBe(true);
    docs.edit(ID, (d) => d.getText('body').insert(0, 'live '));
    expect(conn.types().filter((type) => type === MESSAGE_LAZY_UPDATE)).toHaveLength(1);

    // Ana removes Bea: from then on Bea gets no lazy document, and what she sends is not stored.
    const removed = removeAndRotate(
      doc,
      { actor: people[0]!.memberId, signer: ana, workspace: WORKSPACE, now: () => 100 },
      readTrust(doc, WORKSPACE),
      { members: [people[1]!.memberId] },
    );
    if (!removed.ok) throw new Error(removed.error.message);
    sync.reviewPeer(conn); // what reviewPeers does for each connection of the room
    const before = conn.sent.length;
    docs.edit(ID, (d) => d.getText('body').insert(0, 'after the removal '));
    sync.wantLazyDoc(ID);
    sync.onPeerData(
      conn,
      lazyBatchMessage(0, [{ id: 'NoteOfBea0000000000001', bytes: body('x') }]),
    );
    await until(() => conn.inboundBytes === 0);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(
      conn
        .types()
        .slice(before)
        .filter((type) => type >= MESSAGE_LAZY_LIST),
    ).toEqual([]);
    expect([...docs.docs.keys()]).toEqual([ID]);
    expect(logs).toEqual([]);
  });

  it('count what a peer makes us hold for the exchange in the inbound budget', async () => {
    const docs = new MemoryLazyDocs();
    const logs: string[] = [];
    const side: Side = lazyProvider(docs, {
      inboundLimits: { perPeerBytes: 512 * 1024, totalBytes: 1024 * 1024 },
    });
    open.push(side.sync);
    // Storage that is slow to store: what the peer sent waits, held for it.
    docs.receive = () => new Promise<void>(() => {});
    const conn = new RecordingPeer('flooding-peer');
    side.sync.onPeerData(conn, helloMessage(null, true));
    // Batches of valid documents, one at a time (each read before the next comes, so none waits
    // in the queue of messages), never waiting for an acknowledgement: 20 × 64 KB.
    for (let seq = 0; seq < 20 && !conn.closed; seq++) {
      const id = `Flood${String(seq).padStart(17, '0')}`;
      side.sync.onPeerData(conn, lazyBatchMessage(seq, [{ id, bytes: body('z'.repeat(64_000)) }]));
      await until(() => conn.closed || conn.inboundBytes === 0);
    }
    expect(conn.closed).toBe(true);
    logs.push(...side.logs);
    expect(logs).toEqual([
      expect.stringMatching(/^Disconnected peer flooding: sent 0\.\d MiB more than we could apply/),
    ]);
    expect(conn.types().filter((type) => type === 108)).toEqual([]);
  });
});
