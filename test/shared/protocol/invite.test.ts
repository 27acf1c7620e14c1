import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decodeBase32, encodeBase32 } from '../../../shared/protocol/base32';
import {
  cleanInviteName,
  decodeInvite,
  encodeInvite,
  INVITE_NAME_MAX_BYTES,
  type Invite,
} from '../../../shared/protocol/invite';
import { createWorkspaceSecrets } from '../../../shared/protocol/keys';

const workspaceId = '000102030405060708090a0b0c0d0e0f';
const secretKey = Uint8Array.from({ length: 32 }, (_, i) => 0x20 + i);
const VECTOR_NO_NAME =
  'OUTPOST-040020G30G2GC1R81450P30D1R7J08924CJ2A9H750MJMASC5MQ2YC1H68SK8D9P6WW3JEHV7GYKWFR0X9T2460';
const VECTOR_CAFE =
  'OUTPOST-040020G30G2GC1R81450P30D1R7J08924CJ2A9H750MJMASC5MQ2YC1H68SK8D9P6WW3JEHV7GYKWFR88DGPDGX9437AJQ849S70';

function expectInvite(text: string): Invite {
  const result = decodeInvite(text);
  if (!result.ok) throw new Error(`expected an invite, got ${result.error.code}`);
  return result.value;
}

function errorCode(text: string): string | undefined {
  const result = decodeInvite(text);
  return result.ok ? undefined : result.error.code;
}

/** Builds a code from raw payload fields with a correct checksum, as a faulty or future app might. */
function handMade(fields: {
  version?: number;
  key?: Uint8Array;
  nameLength?: number;
  name?: Uint8Array;
}) {
  const name = fields.name ?? new Uint8Array();
  const body = Uint8Array.from([
    fields.version ?? 1,
    ...Buffer.from(workspaceId, 'hex'),
    ...(fields.key ?? secretKey),
    fields.nameLength ?? name.length,
    ...name,
  ]);
  const sum = createHash('sha256').update(body).digest().subarray(0, 4);
  return `OUTPOST-${encodeBase32(Uint8Array.from([...body, ...sum]))}`;
}

describe('invite test vectors', () => {
  it('encodes the fixed vectors exactly', () => {
    expect(encodeInvite({ workspaceId, secretKey })).toBe(VECTOR_NO_NAME);
    expect(encodeInvite({ workspaceId, secretKey, name: 'Café Ω' })).toBe(VECTOR_CAFE);
  });

  it('decodes the fixed vectors', () => {
    expect(expectInvite(VECTOR_NO_NAME)).toEqual({
      version: 1,
      workspaceId,
      secretKey,
      name: '',
      relays: [],
      turn: null,
      terms: null,
    });
    expect(expectInvite(VECTOR_CAFE)).toEqual({
      version: 1,
      workspaceId,
      secretKey,
      name: 'Café Ω',
      relays: [],
      turn: null,
      terms: null,
    });
  });

  it('has the byte layout of the specification', () => {
    const payload = decodeBase32(VECTOR_CAFE.slice('OUTPOST-'.length));
    const name = new TextEncoder().encode('Café Ω');
    const body = Uint8Array.from([1, ...Buffer.from(workspaceId, 'hex'), ...secretKey, 8, ...name]);
    const sum = createHash('sha256').update(body).digest().subarray(0, 4);
    expect(payload).toEqual(Uint8Array.from([...body, ...sum]));
  });
});

describe('encodeInvite and decodeInvite', () => {
  it('round-trip fresh secrets with and without names', () => {
    for (const name of ['', 'Team Alpha', 'Équipe 東京 🚀', 'a'.repeat(INVITE_NAME_MAX_BYTES)]) {
      const secrets = createWorkspaceSecrets();
      const code = encodeInvite({ ...secrets, name });
      expect(code).toMatch(/^OUTPOST-[0-9A-HJKMNP-TV-Z]+$/);
      expect(expectInvite(code)).toEqual({
        version: 1,
        ...secrets,
        name,
        relays: [],
        turn: null,
        terms: null,
      });
    }
  });

  it('tolerates whitespace, line breaks, lower case, hyphen groups and zero-width spaces', () => {
    const body = VECTOR_CAFE.slice('OUTPOST-'.length);
    const pasted = [
      `  ${VECTOR_CAFE}\n`,
      VECTOR_CAFE.toLowerCase(),
      `OUTPOST-${body.match(/.{1,4}/g)?.join('-')}`,
      `OUTPOST-\r\n${body.match(/.{1,30}/g)?.join('\r\n')}\t`,
      `> ${VECTOR_CAFE.slice(0, 40)}\u200b ${VECTOR_CAFE.slice(40)}\u00a0`.slice(2),
      `outpost - ${body.replace(/0/g, 'O').replace(/1/g, 'l')}`,
    ];
    for (const text of pasted) expect(expectInvite(text).name).toBe('Café Ω');
  });

  it('cleans the name: NFC, no control characters, trimmed, cut at a grapheme boundary', () => {
    expect(cleanInviteName('  Cafe\u0301\n\tTeam\u0007 ')).toBe('CaféTeam');
    const family = '👨‍👩‍👧‍👦'; // 25 UTF-8 bytes, one grapheme
    const long = `${'x'.repeat(80)}${family}`;
    const cleaned = cleanInviteName(long);
    expect(cleaned).toBe('x'.repeat(80));
    const code = encodeInvite({ workspaceId, secretKey, name: `${'é'.repeat(60)}` });
    const name = expectInvite(code).name;
    expect(new TextEncoder().encode(name).length).toBeLessThanOrEqual(INVITE_NAME_MAX_BYTES);
    expect(name).toBe('é'.repeat(48));
  });

  it('throws for an id or key of the wrong shape', () => {
    expect(() => encodeInvite({ workspaceId: 'nope', secretKey })).toThrow(RangeError);
    expect(() => encodeInvite({ workspaceId: workspaceId.toUpperCase(), secretKey })).toThrow(
      RangeError,
    );
    expect(() => encodeInvite({ workspaceId, secretKey: secretKey.subarray(1) })).toThrow(
      RangeError,
    );
  });
});

describe('decodeInvite failures', () => {
  it('says when nothing was pasted', () => {
    expect(errorCode('')).toBe('invite-empty');
    expect(errorCode(' \n\t ')).toBe('invite-empty');
  });

  it('says when the text is not an Outpost invite', () => {
    for (const text of [
      'hello',
      'https://example.invalid/join',
      'OUTPOS',
      'POST-040020G30G2GC1R8',
    ]) {
      expect(errorCode(text)).toBe('invite-not-outpost');
    }
  });

  it('says when the code is from a newer version', () => {
    const result = decodeInvite(handMade({ version: 4 }));
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('invite-unsupported-version');
      expect(result.error.message).toMatch(/newer version of Outpost/);
    }
  });

  it('never accepts any truncation, and says "incomplete" for a lost tail', () => {
    for (const code of [VECTOR_NO_NAME, VECTOR_CAFE]) {
      for (let length = 0; length < code.length; length++) {
        expect(decodeInvite(code.slice(0, length)).ok).toBe(false);
      }
      expect(errorCode(code.slice(0, -1))).toBe('invite-truncated');
      expect(errorCode(code.slice(0, -10))).toBe('invite-truncated');
      expect(errorCode(code.slice(0, 20))).toBe('invite-truncated');
      expect(errorCode('OUTPOST-')).toBe('invite-truncated');
    }
    // Cut inside the name: the declared name length exceeds what is left.
    expect(errorCode(VECTOR_CAFE.slice(0, -8))).toBe('invite-truncated');
  });

  it('detects every single mistyped character', () => {
    const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
    const aliases: Record<string, string> = { O: '0', I: '1', L: '1' };
    for (const code of [VECTOR_NO_NAME, VECTOR_CAFE]) {
      for (let i = 'OUTPOST-'.length; i < code.length; i++) {
        for (const c of `${alphabet}OIL`) {
          if ((aliases[c] ?? c) === code[i]) continue;
          const typo = code.slice(0, i) + c + code.slice(i + 1);
          // Characters 78 and 79 of the body carry the name length, and characters 0 and 1 the
          // version (a version 2 code is longer than a version 1 code of the same name): a typo
          // there may read as a lost tail, which is still a refusal with advice to copy the code
          // again.
          const at = i - 'OUTPOST-'.length;
          const lengthByte = at <= 1 || (at >= 78 && at <= 79);
          const code_ = errorCode(typo);
          if (lengthByte && code_ === 'invite-truncated') continue;
          expect([typo, code_]).toEqual([typo, 'invite-corrupted']);
        }
      }
    }
  });

  it('detects swapped neighbours and a dropped or doubled middle character', () => {
    const code = VECTOR_CAFE;
    for (let i = 'OUTPOST-'.length; i < code.length - 1; i++) {
      if (code[i] === code[i + 1]) continue;
      const swapped = code.slice(0, i) + code[i + 1] + code[i] + code.slice(i + 2);
      expect(decodeInvite(swapped).ok).toBe(false);
      expect(decodeInvite(code.slice(0, i) + code.slice(i + 1)).ok).toBe(false);
      expect(decodeInvite(code.slice(0, i) + code[i] + code.slice(i)).ok).toBe(false);
    }
  });

  it('names a character that never appears in a code', () => {
    const result = decodeInvite(`${VECTOR_NO_NAME.slice(0, 20)}U${VECTOR_NO_NAME.slice(21)}`);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('invite-corrupted');
      expect(result.error.message).toContain('“U”');
    }
    expect(errorCode(`${VECTOR_NO_NAME}!`)).toBe('invite-corrupted');
  });

  it('rejects intact codes with malformed fields', () => {
    const malformed = [
      handMade({ name: new TextEncoder().encode('abc'), nameLength: 5 }),
      handMade({ name: new TextEncoder().encode('abcde'), nameLength: 3 }),
      handMade({ name: new Uint8Array(INVITE_NAME_MAX_BYTES + 1).fill(0x61) }),
      handMade({ name: Uint8Array.of(0x61, 0xff, 0x62) }),
      handMade({ name: new TextEncoder().encode('a\nb') }),
      handMade({ key: new Uint8Array(32) }),
    ];
    for (const code of malformed) expect(errorCode(code)).toBe('invite-malformed');
    expect(expectInvite(handMade({ name: new TextEncoder().encode('ok') })).name).toBe('ok');
  });

  it('gives each kind of failure its own message', () => {
    const messages = new Map<string, string>();
    for (const text of [
      '',
      'hello',
      handMade({ version: 9 }),
      VECTOR_NO_NAME.slice(0, -5),
      `${VECTOR_NO_NAME.slice(0, 30)}Z${VECTOR_NO_NAME.slice(31)}`,
      handMade({ key: new Uint8Array(32) }),
    ]) {
      const result = decodeInvite(text);
      if (!result.ok) messages.set(result.error.code, result.error.message);
    }
    expect(messages.size).toBe(6);
    expect(new Set(messages.values()).size).toBe(6);
  });
});
