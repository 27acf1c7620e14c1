/**
 * The device proof at the peer handshake (docs/PROTOCOL.md §5.4, "Device proof"), driven through
 * the provider's data-channel handler with real documents, real removals and real Ed25519 keys.
 * The only stand-in is the other side's end of the channel: it records what we send. A revoked
 * device, a replayed or altered proof, and changes sent before a proof are refused and never
 * applied; a device the document does not list yet is let in.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import * as Y from 'yjs';
import { Awareness } from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as encoding from 'lib0/encoding';
import {
  INVITE_USES_ROOT,
  inviteUseText,
  readTrust,
  recordInviteUse,
  signInviteUse,
  upsertMember,
  type InviteUseTerms,
} from '../../shared/model';
import { removeAndRotate } from '../../shared/model/rotations';
import { deviceSigner, identityFromSeeds } from '../../shared/protocol/identity';
import { HELLO_VERSION, MESSAGE_HELLO, MESSAGE_SYNC } from '../../shared/protocol/frames';
import { peerNonce, signPeerProof, verifyPeerProof } from '../../shared/protocol/peerProof';
import {
  PeerEndpoint,
  PeerSync,
  type WebSocketConstructor,
} from '../../renderer/sync/peer/peerSync';
import {
  helloMessage,
  inviteRefusalMessage,
  openMessage,
  proofMessage,
} from '../../renderer/sync/peer/wire';
import { REFUSED_BAD_PROOF, REFUSED_EARLY_SYNC } from '../../renderer/sync/peer/admission';
import {
  REFUSED_BAD_USE,
  REFUSED_INVITE_EXPIRED,
  REFUSED_INVITE_USED,
  REFUSED_REMOVED,
  REFUSED_UNPROVEN,
  teamPeerAuth,
} from '../../renderer/sync/teamPeerAuth';
import type { Profile } from '../../shared/schema/profile';

const WORKSPACE = 'ProofSpace000000001';
const people: Profile[] = ['Ana', 'Bea', 'Cai'].map((name, index) => ({
  memberId: `Member${name}000000${index}`,
  displayName: name,
  color: '#2563eb',
  timeZone: 'UTC',
}));
// Ana, Bea, Cai, and Dee: a device the document does not list (a teammate who just joined).
const signers = [1, 2, 3, 4].map((seed) =>
  deviceSigner(
    identityFromSeeds(new Uint8Array(32).fill(seed), new Uint8Array(32).fill(seed + 10)),
  ),
);
const [ana, bea, cai, dee] = signers as [
  (typeof signers)[0],
  (typeof signers)[0],
  (typeof signers)[0],
  (typeof signers)[0],
];

class RecordingPeer extends PeerEndpoint {
  readonly sent: Uint8Array[] = [];
  override send(message: Uint8Array): void {
    if (!this.closed) this.sent.push(message);
  }
  override destroy(): void {
    this.closed = true;
  }
  /** The nonce in the hello we sent this peer. */
  helloNonce(): Uint8Array {
    const hello = this.sent
      .map((message) => openMessage(message).read())
      .find((m) => m.type === 'hello');
    if (hello?.type !== 'hello' || !hello.nonce) throw new Error('We sent no hello with a nonce.');
    return hello.nonce;
  }
}

const open: PeerSync[] = [];
afterEach(() => {
  for (const sync of open.splice(0)) sync.destroy();
});

/** Ana's device in a team of three, after Ana removed Cai when `removeCai`. */
function anasDevice(
  removeCai: boolean,
  joined: InviteUseTerms | null = null,
): { doc: Y.Doc; sync: PeerSync } {
  const doc = new Y.Doc();
  for (const [index, person] of people.entries())
    upsertMember(doc, person, 1, { signer: signers[index]!, workspace: WORKSPACE });
  if (removeCai) {
    const removed = removeAndRotate(
      doc,
      { actor: people[0]!.memberId, signer: ana, workspace: WORKSPACE, now: () => 100 },
      readTrust(doc, WORKSPACE),
      { members: [people[2]!.memberId] },
    );
    if (!removed.ok) throw new Error(removed.error.message);
  }
  const sync = new PeerSync({
    doc,
    awareness: new Awareness(doc),
    roomName: 'room-device-proof',
    password: 'password-device-proof',
    signaling: [],
    iceServers: [],
    WebSocket: WebSocket as unknown as WebSocketConstructor,
    auth: teamPeerAuth(doc, WORKSPACE, ana, joined),
  });
  open.push(sync);
  return { doc, sync };
}

async function drained(conn: PeerEndpoint): Promise<void> {
  await new Promise<void>((resolve) => setTimeout(resolve, 0));
  while (conn.inboundBytes > 0) await new Promise<void>((resolve) => setTimeout(resolve, 0));
}

/** A change the peer sends: a line in a text the test reads back. */
function noteUpdate(text: string): Uint8Array {
  const theirs = new Y.Doc();
  theirs.getText('proof-note').insert(0, text);
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_SYNC);
  syncProtocol.writeUpdate(encoder, Y.encodeStateAsUpdate(theirs));
  return encoding.toUint8Array(encoder);
}

/**
 * The other side opens as Outpost with a nonce of its own, and proves `as` with a signature
 * `sign` makes (the honest one by default) over its nonce and ours.
 */
async function meet(
  sync: PeerSync,
  as: typeof ana,
  sign = (theirs: Uint8Array, ours: Uint8Array) =>
    signPeerProof(as, { workspace: WORKSPACE, signerNonce: theirs, verifierNonce: ours }),
  inviteUse: string | null = null,
): Promise<RecordingPeer> {
  const conn = new RecordingPeer(`peer-${as.key.slice(0, 6)}`);
  conn.state = 'connected';
  const theirs = peerNonce();
  sync.onPeerData(conn, helloMessage(theirs));
  await drained(conn);
  sync.onPeerData(conn, proofMessage(as.key, sign(theirs, conn.helloNonce()), inviteUse));
  sync.onPeerData(conn, noteUpdate(`from ${as.key.slice(0, 6)}`));
  await drained(conn);
  return conn;
}

describe('device proof at the handshake', () => {
  it('lets a teammate in, proves our own key back, and applies its changes', async () => {
    const { doc, sync } = anasDevice(true);
    const conn = await meet(sync, bea);
    expect(conn.closed).toBe(false);
    expect(conn.deviceKey).toBe(bea.key);
    expect(doc.getText('proof-note').toString()).toBe(`from ${bea.key.slice(0, 6)}`);
    // Our proof, sent before any sync message, verifies for Bea on this connection.
    const messages = conn.sent.map((message) => openMessage(message).read());
    const proofAt = messages.findIndex((message) => message.type === 'proof');
    expect(proofAt).toBeGreaterThan(0);
    expect(messages.slice(0, proofAt).some((message) => message.type === 'sync')).toBe(false);
    const proof = messages[proofAt]!;
    if (proof.type !== 'proof') throw new Error('unreachable');
    expect(proof.key).toBe(ana.key);
    expect(sync.status().refused).toEqual([]);
  });

  it('lets in a device the document does not list yet (a teammate who just joined)', async () => {
    const { doc, sync } = anasDevice(true);
    const conn = await meet(sync, dee);
    expect(conn.closed).toBe(false);
    expect(doc.getText('proof-note').toString()).toBe(`from ${dee.key.slice(0, 6)}`);
  });

  it('refuses a removed device and never applies its changes', async () => {
    const { doc, sync } = anasDevice(true);
    const conn = await meet(sync, cai);
    expect(conn.closed).toBe(true);
    expect(doc.getText('proof-note').toString()).toBe('');
    expect(sync.status().refused).toEqual([
      { id: conn.id, reason: REFUSED_REMOVED, at: expect.any(Number) },
    ]);
    expect(REFUSED_REMOVED).toBe('refused: removed from the team');
  });

  it('refuses a proof replayed from another connection', async () => {
    const { doc, sync } = anasDevice(true);
    // A proof Bea made on an earlier connection, over other nonces, replayed by someone else.
    const earlier = signPeerProof(bea, {
      workspace: WORKSPACE,
      signerNonce: peerNonce(),
      verifierNonce: peerNonce(),
    });
    const conn = await meet(sync, bea, () => earlier);
    expect(conn.closed).toBe(true);
    expect(doc.getText('proof-note').toString()).toBe('');
    expect(sync.status().refused[0]?.reason).toBe(REFUSED_BAD_PROOF);
  });

  it("refuses a removed device claiming a teammate's key with its own signature", async () => {
    const { doc, sync } = anasDevice(true);
    // Cai signs, but the proof names Bea's key.
    const conn = await meet(sync, bea, (theirs, ours) =>
      cai.sign(
        new Uint8Array([
          ...new TextEncoder().encode('outpost-peer-proof-v1\n'),
          ...new TextEncoder().encode(WORKSPACE),
          0,
          ...theirs,
          ...ours,
        ]),
      ),
    );
    expect(conn.closed).toBe(true);
    expect(doc.getText('proof-note').toString()).toBe('');
  });

  it('refuses a proof bound to another workspace, or with one character changed', async () => {
    const { sync } = anasDevice(false);
    const elsewhere = await meet(sync, bea, (theirs, ours) =>
      signPeerProof(bea, {
        workspace: 'OtherSpace000000001',
        signerNonce: theirs,
        verifierNonce: ours,
      }),
    );
    expect(elsewhere.closed).toBe(true);
    expect(sync.status().refused[0]?.reason).toBe(REFUSED_BAD_PROOF);
    const altered = await meet(sync, bea, (theirs, ours) => {
      const signature = signPeerProof(bea, {
        workspace: WORKSPACE,
        signerNonce: theirs,
        verifierNonce: ours,
      });
      return (signature[0] === 'A' ? 'B' : 'A') + signature.slice(1);
    });
    expect(altered.closed).toBe(true);
    // The same peer refused again is listed once, with its latest reason.
    expect(sync.status().refused.map((entry) => entry.reason)).toEqual([REFUSED_BAD_PROOF]);
  });

  it('refuses changes sent before the proof', async () => {
    const { doc, sync } = anasDevice(false);
    const conn = new RecordingPeer('eager-peer');
    conn.state = 'connected';
    sync.onPeerData(conn, helloMessage(peerNonce()));
    sync.onPeerData(conn, noteUpdate('too early'));
    await drained(conn);
    expect(conn.closed).toBe(true);
    expect(doc.getText('proof-note').toString()).toBe('');
    expect(sync.status().refused[0]?.reason).toBe(REFUSED_EARLY_SYNC);
  });

  it('lets a peer without proofs in until the team removes someone, then refuses it', async () => {
    for (const removed of [false, true]) {
      const { doc, sync } = anasDevice(removed);
      const conn = new RecordingPeer('earlier-version');
      conn.state = 'connected';
      sync.onPeerData(conn, Uint8Array.of(MESSAGE_HELLO, HELLO_VERSION));
      sync.onPeerData(conn, noteUpdate('from an earlier version'));
      await drained(conn);
      expect(conn.closed).toBe(removed);
      expect(doc.getText('proof-note').toString()).toBe(removed ? '' : 'from an earlier version');
      expect(sync.status().refused.map((entry) => entry.reason)).toEqual(
        removed ? [REFUSED_UNPROVEN] : [],
      );
    }
  });

  it('ignores a connected device once a removal of it arrives, then drops it', async () => {
    const { doc, sync } = anasDevice(false);
    const conn = await meet(sync, cai);
    expect(conn.closed).toBe(false);
    const removed = removeAndRotate(
      doc,
      { actor: people[1]!.memberId, signer: bea, workspace: WORKSPACE, now: () => 200 },
      readTrust(doc, WORKSPACE),
      { members: [people[2]!.memberId] },
    );
    expect(removed.ok).toBe(true);
    sync.reviewPeer(conn);
    // From now on nothing it sends is applied; it is dropped once it had a moment to receive the
    // removal.
    sync.onPeerData(conn, noteUpdate('after removal'));
    await drained(conn);
    expect(doc.getText('proof-note').toString()).toBe(`from ${cai.key.slice(0, 6)}`);
    await expect.poll(() => conn.closed).toBe(true);
    expect(sync.status().refused[0]?.reason).toBe(REFUSED_REMOVED);
  });

  it('signs proofs that verify only on the connection they were made for', () => {
    const signerNonce = peerNonce();
    const verifierNonce = peerNonce();
    const signature = signPeerProof(bea, { workspace: WORKSPACE, signerNonce, verifierNonce });
    const context = { workspace: WORKSPACE, signerNonce, verifierNonce, key: bea.key };
    expect(verifyPeerProof(context, signature)).toBe(true);
    // The two nonces swapped: the other side's proof on the same connection is not this one.
    expect(
      verifyPeerProof(
        { ...context, signerNonce: verifierNonce, verifierNonce: signerNonce },
        signature,
      ),
    ).toBe(false);
    expect(verifyPeerProof({ ...context, key: dee.key }, signature)).toBe(false);
    expect(verifyPeerProof({ ...context, signerNonce: new Uint8Array(5) }, signature)).toBe(false);
  });
});

describe('restricted invites at the handshake', () => {
  const INVITE = '00112233aabbccdd';
  const once = (at: number, extra: Partial<InviteUseTerms> = {}): InviteUseTerms => ({
    invite: INVITE,
    at,
    expiresAt: null,
    singleUse: true,
    ...extra,
  });
  const used = (who: typeof ana, at: number, extra: Partial<InviteUseTerms> = {}) =>
    signInviteUse(who, WORKSPACE, once(at, extra));

  it('refuses a second device using a single-use invite, tells it which use came first, applies nothing', async () => {
    const { doc, sync } = anasDevice(false);
    recordInviteUse(doc, used(bea, 1000));
    const conn = await meet(sync, dee, undefined, JSON.stringify(used(dee, 5000)));
    expect(doc.getText('proof-note').toString()).toBe('');
    expect(sync.status().refused.map((entry) => entry.reason)).toEqual([REFUSED_INVITE_USED]);
    // Its last message from us says why: Bea's signed use. No change of the document went to it
    const messages = conn.sent.map((message) => openMessage(message).read());
    expect(messages.at(-1)).toEqual({
      type: 'inviteRefusal',
      use: inviteUseText(used(bea, 1000)),
    });
    // (Only our state vector, sent at hello as to any Outpost peer: no change of the document.)
    expect(messages.filter((message) => message.type === 'sync').map((m) => m.step)).toEqual([0]);
    sync.onPeerData(conn, noteUpdate('still trying'));
    await drained(conn);
    expect(doc.getText('proof-note').toString()).toBe('');
    await expect.poll(() => conn.closed).toBe(true);
  });

  it('lets in the device whose use came first, and one whose use verifies but names another invite', async () => {
    const { doc, sync } = anasDevice(false);
    recordInviteUse(doc, used(bea, 9000));
    // Dee presents an earlier use than the one in the document: Dee's is the first.
    const conn = await meet(sync, dee, undefined, JSON.stringify(used(dee, 5000)));
    expect(conn.closed).toBe(false);
    expect(doc.getText('proof-note').toString()).toBe(`from ${dee.key.slice(0, 6)}`);
  });

  it('refuses a use past the expiry, and a use that does not verify or is not its own', async () => {
    const expired = anasDevice(false);
    const terms = { singleUse: false, expiresAt: 10_000 };
    recordInviteUse(expired.doc, used(bea, 1000, terms));
    await meet(expired.sync, dee, undefined, JSON.stringify(used(dee, 10_000, terms)));
    expect(expired.sync.status().refused[0]?.reason).toBe(REFUSED_INVITE_EXPIRED);

    for (const bad of [{ ...used(dee, 1), at: 0 }, used(bea, 1), 'not json']) {
      const { doc, sync } = anasDevice(false);
      const text = typeof bad === 'string' ? bad : JSON.stringify(bad);
      const conn = await meet(sync, dee, undefined, text);
      expect(conn.closed).toBe(true);
      expect(doc.getText('proof-note').toString()).toBe('');
      expect(sync.status().refused[0]?.reason).toBe(REFUSED_BAD_USE);
    }
  });

  it('drops a device let in once an earlier use of its invite arrives', async () => {
    const { doc, sync } = anasDevice(false);
    const conn = await meet(sync, dee, undefined, JSON.stringify(used(dee, 5000)));
    expect(conn.closed).toBe(false);
    recordInviteUse(doc, used(bea, 1000));
    sync.reviewPeer(conn);
    sync.onPeerData(conn, noteUpdate(' later'));
    await drained(conn);
    expect(doc.getText('proof-note').toString()).toBe(`from ${dee.key.slice(0, 6)}`);
    await expect.poll(() => conn.closed).toBe(true);
    expect(sync.status().refused[0]?.reason).toBe(REFUSED_INVITE_USED);
  });

  it('the joining side shows its use in its proof, and records the first use a refusing peer sends', async () => {
    // Ana joined with the invite here; Bea's device refuses her and sends Bea's own use.
    const { doc, sync } = anasDevice(false, once(5000));
    const conn = await meet(sync, bea);
    const proof = conn.sent
      .map((message) => openMessage(message).read())
      .find((m) => m.type === 'proof');
    expect(proof).toMatchObject({ key: ana.key, use: inviteUseText(used(ana, 5000)) });
    // A use of another invite, or a forged one, is not written into the document.
    sync.onPeerData(
      conn,
      inviteRefusalMessage(JSON.stringify({ ...used(bea, 1), invite: 'ffffffffffffffff' })),
    );
    sync.onPeerData(conn, inviteRefusalMessage(JSON.stringify({ ...used(bea, 1000), at: 1 })));
    await drained(conn);
    expect(doc.getMap(INVITE_USES_ROOT).size).toBe(0);
    sync.onPeerData(conn, inviteRefusalMessage(JSON.stringify(used(bea, 1000))));
    await drained(conn);
    expect([...doc.getMap(INVITE_USES_ROOT).keys()]).toEqual([`${INVITE}.${bea.key}`]);
  });
});
