/**
 * Crockford base32 (https://www.crockford.com/base32.html) without the optional check symbol.
 *
 * Chosen for invite codes because it survives being read aloud, retyped and pasted: it is
 * case-insensitive, has no `I L O U`, and every character is in the QR alphanumeric set when
 * written in upper case.
 */

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** Character code → 5-bit value, with Crockford's aliases (`O`→0, `I`/`L`→1) and lower case. */
const DECODE = (() => {
  const table = new Int8Array(128).fill(-1);
  for (let i = 0; i < ALPHABET.length; i++) {
    const upper = ALPHABET.charCodeAt(i);
    table[upper] = i;
    table[ALPHABET.toLowerCase().charCodeAt(i)] = i;
  }
  for (const [alias, value] of [
    ['O', 0],
    ['I', 1],
    ['L', 1],
  ] as const) {
    table[alias.charCodeAt(0)] = value;
    table[alias.toLowerCase().charCodeAt(0)] = value;
  }
  return table;
})();

/**
 * Encodes bytes as upper-case Crockford base32: big-endian bit order, 5 bits per character,
 * the last character zero-padded on the right, no padding characters.
 */
export function encodeBase32(bytes: Uint8Array): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += ALPHABET[(buffer >>> bits) & 31];
    }
    buffer &= (1 << bits) - 1;
  }
  if (bits > 0) out += ALPHABET[(buffer << (5 - bits)) & 31];
  return out;
}

/**
 * Decodes Crockford base32 produced by {@link encodeBase32}, case-insensitively and accepting
 * the aliases `O`, `I`, `L`. Returns `undefined` for a character outside the alphabet, a length no
 * encoder produces, or non-zero padding bits, so that only one text decodes to given bytes
 * (up to case and aliases).
 */
export function decodeBase32(text: string): Uint8Array | undefined {
  const remainder = (text.length * 5) % 8;
  if (remainder >= 5) return undefined;
  const out = new Uint8Array(Math.floor((text.length * 5) / 8));
  let buffer = 0;
  let bits = 0;
  let index = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const value = code < 128 ? (DECODE[code] ?? -1) : -1;
    if (value < 0) return undefined;
    buffer = (buffer << 5) | value;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out[index++] = (buffer >>> bits) & 0xff;
    }
    buffer &= (1 << bits) - 1;
  }
  if (buffer !== 0) return undefined;
  return out;
}
