/**
 * Version 2 invite codes (docs/PROTOCOL.md §5.1): the team's relays and TURN server after the
 * name. The test vectors are read from the specification itself, so the document and the code
 * cannot drift apart.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeBase32, encodeBase32 } from '../../../shared/protocol/base32';
import { decodeInvite, encodeInvite, type Invite } from '../../../shared/protocol/invite';
import { createWorkspaceSecrets } from '../../../shared/protocol/keys';
import type { InviteTurn } from '../../../shared/protocol/teamNetwork';

const workspaceId = '000102030405060708090a0b0c0d0e0f';
const secretKey = Uint8Array.from({ length: 32 }, (_, i) => 0x20 + i);
const name = 'Lisbon crew';
const RELAY = 'wss://relay.example.org';
const LAN_RELAY = 'ws://192.168.1.20:47420/outpost';
const TURN: InviteTurn = {
  urls: ['turns:turn.example.org:5349', 'turn:turn.example.org:3478?transport=udp'],
  username: 'outpost',
  credential: 'correct horse',
};

/** The codes given as version 2 test vectors in docs/PROTOCOL.md, in order. */
function specVectors(): string[] {
  const spec = readFileSync('docs/PROTOCOL.md', 'utf8');
  const section = spec.slice(
    spec.indexOf('Version 2 test vectors'),
    spec.indexOf('#### Version 3: expiry and single use'),
  );
  return [...section.matchAll(/`(OUTPOST-[0-9A-Z]+)`/g)].map((match) => match[1]!);
}

function expectInvite(text: string): Invite {
  const result = decodeInvite(text);
  if (!result.ok) throw new Error(`expected an invite, got ${result.error.message}`);
  return result.value;
}

function errorCode(text: string): string | undefined {
  const result = decodeInvite(text);
  return result.ok ? undefined : result.error.code;
}

/** A version 2 code from raw section bytes with a correct checksum, as a faulty app might make. */
function handMade(section: number[], nameBytes = new TextEncoder().encode(name)): string {
  const body = Uint8Array.from([
    2,
    ...Buffer.from(workspaceId, 'hex'),
    ...secretKey,
    nameBytes.length,
    ...nameBytes,
    ...section,
  ]);
  const sum = createHash('sha256').update(body).digest().subarray(0, 4);
  return `OUTPOST-${encodeBase32(Uint8Array.from([...body, ...sum]))}`;
}

const text = (value: string) => [value.length, ...Buffer.from(value, 'utf8')];

describe('version 2 test vectors', () => {
  it('the specification lists two, and the encoder writes exactly those', () => {
    const [relayOnly, full] = specVectors();
    expect(specVectors()).toHaveLength(2);
    expect(encodeInvite({ workspaceId, secretKey, name, relays: [RELAY] })).toBe(relayOnly);
    expect(
      encodeInvite({ workspaceId, secretKey, name, relays: [RELAY, LAN_RELAY], turn: TURN }),
    ).toBe(full);
  });

  it('decodes them to their relays and TURN settings', () => {
    const [relayOnly, full] = specVectors();
    expect(expectInvite(relayOnly!)).toEqual({
      version: 2,
      workspaceId,
      secretKey,
      name,
      relays: [RELAY],
      turn: null,
      terms: null,
    });
    expect(expectInvite(full!)).toEqual({
      version: 2,
      workspaceId,
      secretKey,
      name,
      relays: [RELAY, LAN_RELAY],
      turn: TURN,
      terms: null,
    });
  });

  it('has the byte layout of the specification', () => {
    const [, full] = specVectors();
    const payload = decodeBase32(full!.slice('OUTPOST-'.length))!;
    const section = [
      2,
      ...text(RELAY),
      ...text(LAN_RELAY),
      2,
      ...text(TURN.urls[0]!),
      ...text(TURN.urls[1]!),
      ...text(TURN.username),
      ...text(TURN.credential),
    ];
    expect(handMade(section)).toBe(full);
    expect(payload[0]).toBe(2);
  });
});

describe('choosing the version', () => {
  it('writes version 1 when the team has no relay and no TURN server, so old builds join', () => {
    const code = encodeInvite({ workspaceId, secretKey, name, relays: [], turn: null });
    expect(code).toBe(encodeInvite({ workspaceId, secretKey, name }));
    expect(expectInvite(code).version).toBe(1);
  });

  it('writes version 2 for TURN settings alone, and carries at most 3 relays', () => {
    expect(expectInvite(encodeInvite({ workspaceId, secretKey, turn: TURN }))).toMatchObject({
      version: 2,
      relays: [],
      turn: TURN,
    });
    const relays = ['wss://a.example', 'wss://b.example', 'wss://c.example', 'wss://d.example'];
    expect(expectInvite(encodeInvite({ workspaceId, secretKey, relays })).relays).toEqual(
      relays.slice(0, 3),
    );
  });

  it('refuses to write incomplete TURN settings or values over their limits', () => {
    expect(() =>
      encodeInvite({ workspaceId, secretKey, turn: { ...TURN, credential: '' } }),
    ).toThrow(RangeError);
    expect(() =>
      encodeInvite({ workspaceId, secretKey, relays: [`wss://${'a'.repeat(120)}.example`] }),
    ).toThrow(RangeError);
  });

  it('round-trips the largest code, which still fits one QR code', () => {
    const long = (prefix: string, fill: string) => prefix + fill.repeat(120 - prefix.length);
    const secrets = createWorkspaceSecrets();
    const input = {
      ...secrets,
      name: 'é'.repeat(48),
      relays: ['r', 's', 't'].map((fill) => long('wss://', fill)),
      turn: {
        urls: ['a', 'b', 'c'].map((fill) => long('turns:', fill)),
        username: 'ü'.repeat(32),
        credential: 'c'.repeat(64),
      },
    };
    const code = encodeInvite(input);
    expect(code).toHaveLength(1621);
    expect(expectInvite(code)).toMatchObject({
      version: 2,
      relays: input.relays,
      turn: input.turn,
    });
  });
});

describe('reading a version 2 code', () => {
  it('says a cut-off code is incomplete', () => {
    const [, full] = specVectors();
    expect(errorCode(full!.slice(0, -1))).toBe('invite-corrupted');
    // Shorter than a version 2 code with this name can be: certainly cut off.
    const minimum = handMade([0, 0]);
    expect(errorCode(minimum.slice(0, -2))).toBe('invite-truncated');
  });

  it('refuses sections a faulty app could write', () => {
    const malformed: number[][] = [
      [], // no counts at all
      [0], // no TURN count
      [4, ...text(RELAY), ...text(RELAY), ...text(RELAY), ...text(RELAY), 0], // too many relays
      [1, 0, 0], // empty relay address
      [1, ...text('https://relay.example.org'), 0], // not a WebSocket address
      [1, ...text('wss://user:pw@relay.example.org'), 0], // credentials in the address
      [1, ...text(' wss://relay.example.org'), 0], // not printable ASCII
      [1, 30, ...Buffer.from(RELAY), 0], // length past the end of the section
      [0, 1, ...text('stun:stun.example.org'), ...text('u'), ...text('p')], // not TURN
      [0, 1, ...text(TURN.urls[0]!), ...text('u')], // no password
      [0, 1, ...text(TURN.urls[0]!), 0, ...text('p')], // empty username
      [0, 1, ...text(TURN.urls[0]!), ...text('u'), ...text('p\n')], // control character
      [0, 1, ...text(TURN.urls[0]!), ...text('u'), 2, 0xc3, 0x28], // not UTF-8
      [0, 4, ...[1, 2, 3, 4].flatMap(() => text(TURN.urls[0]!)), ...text('u'), ...text('p')],
      [0, 0, 0], // a byte left over
    ];
    for (const section of malformed)
      expect([section, errorCode(handMade(section))]).toEqual([section, 'invite-malformed']);
    expect(expectInvite(handMade([0, 0]))).toMatchObject({ version: 2, relays: [], turn: null });
  });
});
