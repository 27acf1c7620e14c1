import { describe, expect, it } from 'vitest';
import { decodeBase32, encodeBase32 } from '../../../shared/protocol/base32';

// RFC 4648 §10 vectors, translated character by character from the RFC alphabet to Crockford's:
// the bit packing is the same, only the symbols differ, so this checks packing independently.
const RFC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const fromRfc = (text: string) =>
  [...text.replace(/=+$/, '')].map((c) => CROCKFORD[RFC.indexOf(c)]).join('');
const rfcVectors: Array<[string, string]> = [
  ['', ''],
  ['f', 'MY======'],
  ['fo', 'MZXQ===='],
  ['foo', 'MZXW6==='],
  ['foob', 'MZXW6YQ='],
  ['fooba', 'MZXW6YTB'],
  ['foobar', 'MZXW6YTBOI======'],
];

describe('Crockford base32', () => {
  it.each(rfcVectors)('encodes %j like RFC 4648 with the Crockford alphabet', (input, rfc) => {
    const bytes = new TextEncoder().encode(input);
    expect(encodeBase32(bytes)).toBe(fromRfc(rfc));
    expect(decodeBase32(fromRfc(rfc))).toEqual(bytes);
  });

  it('round-trips every length from 0 to 80 bytes', () => {
    let state = 0x2545f491;
    for (let length = 0; length <= 80; length++) {
      const bytes = Uint8Array.from({ length }, () => {
        state = (Math.imul(state, 1103515245) + 12345) >>> 0;
        return state >>> 24;
      });
      const text = encodeBase32(bytes);
      expect(text).toMatch(/^[0-9A-HJKMNP-TV-Z]*$/);
      expect(decodeBase32(text)).toEqual(bytes);
      expect(decodeBase32(text.toLowerCase())).toEqual(bytes);
    }
  });

  it('reads the aliases O, I and L as 0, 1 and 1', () => {
    expect(decodeBase32('O1')).toEqual(decodeBase32('01'));
    expect(decodeBase32('oi')).toEqual(decodeBase32('01'));
    expect(decodeBase32('0L')).toEqual(decodeBase32('01'));
  });

  it('rejects foreign characters, impossible lengths and non-zero padding bits', () => {
    expect(decodeBase32('CU')).toBeUndefined();
    expect(decodeBase32('C*')).toBeUndefined();
    expect(decodeBase32('CÉ')).toBeUndefined();
    expect(decodeBase32('C')).toBeUndefined(); // 5 bits: no whole byte
    expect(decodeBase32('CSQP')).toBeUndefined(); // 20 bits: 2 bytes + 4 stray bits
    expect(decodeBase32('CR')).toEqual(Uint8Array.of(0x66));
    expect(decodeBase32('CS')).toBeUndefined(); // same byte, a padding bit set
  });
});
