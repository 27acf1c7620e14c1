/**
 * Version 3 invite codes (docs/PROTOCOL.md §5.1): the invite's terms (id, expiry, single use)
 * after the relays and TURN section. The vectors are read from the specification itself.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeBase32, encodeBase32 } from '../../../shared/protocol/base32';
import { decodeInvite, encodeInvite, type Invite } from '../../../shared/protocol/invite';
import {
  checkInviteTerms,
  newInviteTerms,
  type InviteTerms,
} from '../../../shared/protocol/inviteTerms';
import { createWorkspaceSecrets } from '../../../shared/protocol/keys';

const workspaceId = '000102030405060708090a0b0c0d0e0f';
const secretKey = Uint8Array.from({ length: 32 }, (_, i) => 0x20 + i);
const name = 'Lisbon crew';
const EXPIRING: InviteTerms = {
  id: '0102030405060708',
  expiresAt: Date.UTC(2026, 11, 10, 12, 0),
  singleUse: true,
};
const FOREVER_ONCE: InviteTerms = { id: 'a0a1a2a3a4a5a6a7', expiresAt: null, singleUse: true };

function specVectors(): string[] {
  const spec = readFileSync('docs/PROTOCOL.md', 'utf8');
  const section = spec.slice(
    spec.indexOf('Version 3 test vectors'),
    spec.indexOf('### 5.2 What is derived'),
  );
  return [...section.matchAll(/`(OUTPOST-[0-9A-Z]+)`/g)].map((match) => match[1]!);
}

function expectInvite(text: string): Invite {
  const result = decodeInvite(text);
  if (!result.ok) throw new Error(`expected an invite, got ${result.error.message}`);
  return result.value;
}

/** A version 3 code from raw bytes after the name, with a correct checksum (a faulty app's). */
function handMade(after: number[]): string {
  const nameBytes = new TextEncoder().encode(name);
  const body = Uint8Array.from([
    3,
    ...Buffer.from(workspaceId, 'hex'),
    ...secretKey,
    nameBytes.length,
    ...nameBytes,
    ...after,
  ]);
  const sum = createHash('sha256').update(body).digest().subarray(0, 4);
  return `OUTPOST-${encodeBase32(Uint8Array.from([...body, ...sum]))}`;
}

describe('version 3 test vectors', () => {
  it('the specification lists two, and the encoder writes exactly those', () => {
    expect(specVectors()).toEqual([
      encodeInvite({ workspaceId, secretKey, name, terms: EXPIRING }),
      encodeInvite({
        workspaceId,
        secretKey,
        name,
        relays: ['wss://relay.example.org'],
        terms: FOREVER_ONCE,
      }),
    ]);
  });

  it('decodes them to their terms', () => {
    const [expiring, once] = specVectors().map(expectInvite);
    expect(expiring).toMatchObject({ version: 3, workspaceId, name, relays: [], turn: null });
    expect(expiring!.terms).toEqual(EXPIRING);
    expect(once).toMatchObject({ version: 3, relays: ['wss://relay.example.org'] });
    expect(once!.terms).toEqual(FOREVER_ONCE);
  });

  it('has the byte layout of the specification', () => {
    const payload = decodeBase32(specVectors()[0]!.slice('OUTPOST-'.length))!;
    const nameEnd = 50 + name.length;
    expect(payload[0]).toBe(3);
    // An empty relays and TURN section, then id, expiry in minutes, flags, checksum.
    expect([...payload.subarray(nameEnd, nameEnd + 2)]).toEqual([0, 0]);
    expect(Buffer.from(payload.subarray(nameEnd + 2, nameEnd + 10)).toString('hex')).toBe(
      EXPIRING.id,
    );
    expect(Buffer.from(payload.subarray(nameEnd + 10, nameEnd + 14)).readUInt32BE()).toBe(
      EXPIRING.expiresAt! / 60_000,
    );
    expect(payload[nameEnd + 14]).toBe(1);
    expect(payload.length).toBe(nameEnd + 15 + 4);
  });
});

describe('choosing the version', () => {
  it('writes version 3 only for a code with an expiry or single use, so other codes stay readable by older builds', () => {
    const secrets = createWorkspaceSecrets();
    const open = newInviteTerms('never', false, Date.now());
    expect(expectInvite(encodeInvite({ ...secrets, terms: open })).version).toBe(1);
    for (const terms of [
      newInviteTerms('1h', false, Date.now()),
      newInviteTerms('never', true, Date.now()),
    ])
      expect(expectInvite(encodeInvite({ ...secrets, terms })).terms).toEqual(terms);
  });

  it('makes a new random id each time and rounds the expiry up to a whole minute', () => {
    const now = Date.UTC(2026, 11, 3, 18, 0, 30);
    const a = newInviteTerms('1d', true, now);
    const b = newInviteTerms('1d', true, now);
    expect(a.id).toMatch(/^[0-9a-f]{16}$/);
    expect(a.id).not.toBe(b.id);
    expect(a.expiresAt).toBe(Date.UTC(2026, 11, 4, 18, 1));
    expect(newInviteTerms('7d', false, now).expiresAt).toBe(Date.UTC(2026, 11, 10, 18, 1));
    expect(newInviteTerms('never', true, now).expiresAt).toBeNull();
  });
});

describe('using a version 3 code', () => {
  it('refuses an expired code with a message that says so, and takes one still valid', () => {
    expect(checkInviteTerms(EXPIRING, EXPIRING.expiresAt! - 1)).toEqual({
      ok: true,
      value: undefined,
    });
    const expired = checkInviteTerms(EXPIRING, EXPIRING.expiresAt!);
    expect(expired.ok).toBe(false);
    if (expired.ok) return;
    expect(expired.error.code).toBe('invite-expired');
    expect(expired.error.message).toMatch(
      /^This invite expired on .+2026.+\. Ask for a new one\.$/,
    );
    expect(checkInviteTerms(FOREVER_ONCE, Date.UTC(2100, 0, 1)).ok).toBe(true);
    expect(checkInviteTerms(null, Date.now()).ok).toBe(true);
  });

  it('refuses terms a faulty app made: unknown flags, a short section', () => {
    const terms = [1, 2, 3, 4, 5, 6, 7, 8, 0, 0, 0, 0];
    expect(decodeInvite(handMade([0, 0, ...terms, 0x02]))).toMatchObject({
      ok: false,
      error: { code: 'invite-malformed', message: expect.stringMatching(/unknown flags/) },
    });
    expect(decodeInvite(handMade([0, 0, ...terms]))).toMatchObject({
      ok: false,
      error: { code: 'invite-malformed' },
    });
  });

  it('says a cut-off code is incomplete', () => {
    const code = encodeInvite({ workspaceId, secretKey, name, terms: EXPIRING });
    for (const cut of [1, 5, 20])
      expect(decodeInvite(code.slice(0, -cut))).toMatchObject({
        ok: false,
        error: { code: 'invite-truncated' },
      });
  });
});
