import { describe, expect, it } from 'vitest';
import { fromBase64Url, fromHex, toBase64Url, toHex } from '../../../shared/protocol/bytes';

describe('hex and base64url', () => {
  it('agree with Node for every length from 0 to 70 bytes', () => {
    for (let length = 0; length <= 70; length++) {
      const bytes = globalThis.crypto.getRandomValues(new Uint8Array(length));
      const node = Buffer.from(bytes);
      expect(toHex(bytes)).toBe(node.toString('hex'));
      expect(toBase64Url(bytes)).toBe(node.toString('base64url'));
      expect(fromHex(node.toString('hex'))).toEqual(bytes);
      expect(fromHex(node.toString('hex').toUpperCase())).toEqual(bytes);
      expect(fromBase64Url(node.toString('base64url'))).toEqual(bytes);
    }
  });

  it('refuse text that is not exactly one encoding of some bytes', () => {
    expect(fromHex('abc')).toBeUndefined();
    expect(fromHex('zz')).toBeUndefined();
    expect(fromBase64Url('A')).toBeUndefined();
    expect(fromBase64Url('AA==')).toBeUndefined();
    expect(fromBase64Url('AB')).toBeUndefined(); // stray low bits
    expect(fromBase64Url('AA')).toEqual(Uint8Array.of(0));
    expect(fromBase64Url('a+b/')).toBeUndefined();
  });
});
