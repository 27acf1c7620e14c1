/**
 * Device identities and the canonical encoding: the test vectors of docs/PROTOCOL.md §8.6 (fixed
 * keys → exact bytes and signatures), interoperability with WebCrypto's own Ed25519 (the keys a
 * device makes are WebCrypto's; the signatures verify there too), and refusals.
 */
import { describe, expect, it } from 'vitest';
import {
  DeviceIdentity,
  canonicalBytes,
  createDeviceIdentity,
  deviceSigner,
  fingerprint,
  identityFromSeeds,
  signContent,
  verifyBytes,
  verifyContent,
  type SignedContent,
} from '../../../shared/protocol/identity';
import { fromBase64Url, fromHex, toHex } from '../../../shared/protocol/bytes';

// RFC 8032 §7.1 test 1 (Ed25519) and RFC 7748 §6.1 Alice (X25519).
const SIGNING_SEED = '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60';
const AGREEMENT_SEED = '77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a';
const vectorIdentity = identityFromSeeds(fromHex(SIGNING_SEED)!, fromHex(AGREEMENT_SEED)!);
const KEY = '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo';

const VOTE: SignedContent = {
  type: 'vote',
  workspace: 'VectorWorkspace0001',
  author: 'VectorMemberAlice01',
  key: KEY,
  record: 'VectorDecision00001',
  id: 'VectorCast000000001',
  choice: 'agree',
  reason: 'Ship it — “today”',
  castAt: 1767225600000,
};
const VOTE_TEXT =
  'outpost-signed-v1\n' +
  '{"author":"VectorMemberAlice01","castAt":1767225600000,"choice":"agree","id":"VectorCast000000001",' +
  '"key":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo","reason":"Ship it — “today”",' +
  '"record":"VectorDecision00001","type":"vote","workspace":"VectorWorkspace0001"}';
const VOTE_SIG =
  'hdMGKGBrfILr-lkN4Ge2gW1RUwFWD_Wjdr3uLRQAbIwZGPaVSutwvWWFeKidVVrzshB2icl3L_Y8OM_TAFkrDg';

const DEVICE: SignedContent = {
  type: 'device',
  workspace: 'VectorWorkspace0001',
  author: 'VectorMemberAlice01',
  key: KEY,
  device: KEY,
  kind: 'first',
  agreement: 'hSDwCYkwp1R0i33ctD73Wg2_Og0mOBr066SpjqqbTmo',
  addedAt: 1767225600000,
};
const DEVICE_TEXT =
  'outpost-signed-v1\n' +
  '{"addedAt":1767225600000,"agreement":"hSDwCYkwp1R0i33ctD73Wg2_Og0mOBr066SpjqqbTmo",' +
  '"author":"VectorMemberAlice01","device":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo",' +
  '"key":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo","kind":"first","type":"device",' +
  '"workspace":"VectorWorkspace0001"}';
const DEVICE_SIG =
  '8xRtDPTV3mEKpYfmDUTOe-ywOUGYNE31tNw9pAxQIWi6bdfl8TSnO4qbyexOXj6RDH444fiIb2t_zZ_Hpa5DAQ';

async function webCryptoVerifies(key: string, message: Uint8Array, sig: string): Promise<boolean> {
  const publicKey = await crypto.subtle.importKey(
    'raw',
    fromBase64Url(key)! as Uint8Array<ArrayBuffer>,
    { name: 'Ed25519' },
    false,
    ['verify'],
  );
  return crypto.subtle.verify(
    { name: 'Ed25519' },
    publicKey,
    fromBase64Url(sig)! as Uint8Array<ArrayBuffer>,
    message as Uint8Array<ArrayBuffer>,
  );
}

describe('test vectors (docs/PROTOCOL.md §8.6)', () => {
  it('derives the RFC 8032 and RFC 7748 public keys from the fixed seeds', () => {
    expect(toHex(fromBase64Url(vectorIdentity.signing.publicKey)!)).toBe(
      'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
    );
    expect(toHex(fromBase64Url(vectorIdentity.agreement.publicKey)!)).toBe(
      '8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a',
    );
    expect(DeviceIdentity.safeParse(vectorIdentity).success).toBe(true);
  });

  it('encodes a vote and a device statement to the exact bytes and signatures', () => {
    const signer = deviceSigner(vectorIdentity);
    expect(new TextDecoder().decode(canonicalBytes(VOTE))).toBe(VOTE_TEXT);
    expect(signContent(signer, VOTE)).toEqual({ v: 1, key: KEY, value: VOTE_SIG });
    expect(new TextDecoder().decode(canonicalBytes(DEVICE))).toBe(DEVICE_TEXT);
    expect(signContent(signer, DEVICE)).toEqual({ v: 1, key: KEY, value: DEVICE_SIG });
  });

  it('the vector signatures verify with WebCrypto, an implementation independent of ours', async () => {
    const encoder = new TextEncoder();
    expect(await webCryptoVerifies(KEY, encoder.encode(VOTE_TEXT), VOTE_SIG)).toBe(true);
    expect(await webCryptoVerifies(KEY, encoder.encode(DEVICE_TEXT), DEVICE_SIG)).toBe(true);
  });

  it('a key fingerprint is five groups of the SHA-256 of the key', () => {
    expect(fingerprint(KEY)).toMatch(/^([0-9A-F]{4} ){4}[0-9A-F]{4}$/);
    expect(fingerprint(KEY)).toBe('21FE 31DF A154 A261 626B');
  });
});

describe('canonical encoding', () => {
  it('does not depend on the order fields were written in', () => {
    const reordered = Object.fromEntries(Object.entries(VOTE).reverse()) as SignedContent;
    expect(toHex(canonicalBytes(reordered))).toBe(toHex(canonicalBytes(VOTE)));
  });

  it('refuses values JSON cannot spell canonically', () => {
    expect(() => canonicalBytes({ ...VOTE, castAt: Number.NaN })).toThrow();
    expect(() => canonicalBytes({ ...VOTE, reason: '\ud800' })).toThrow();
  });
});

describe('verifying', () => {
  const signer = deviceSigner(vectorIdentity);
  const sig = signContent(signer, VOTE);

  it('accepts the content as signed and nothing else', () => {
    expect(verifyContent(VOTE, sig)).toBe(true);
    expect(verifyContent({ ...VOTE, choice: 'block' }, sig)).toBe(false);
    expect(verifyContent({ ...VOTE, workspace: 'AnotherWorkspace01' }, sig)).toBe(false);
    expect(verifyContent({ ...VOTE, author: 'VectorMemberBob0001' }, sig)).toBe(false);
  });

  it('refuses a signature claimed for another device, and malformed bytes', () => {
    const other = deviceSigner(identityFromSeeds(new Uint8Array(32).fill(7), new Uint8Array(32)));
    expect(verifyContent({ ...VOTE, key: other.key }, { ...sig, key: other.key })).toBe(false);
    expect(verifyBytes(KEY, canonicalBytes(VOTE), 'AAAA')).toBe(false);
    expect(verifyBytes('not-a-key', canonicalBytes(VOTE), sig.value)).toBe(false);
  });

  it('refuses a non-canonical signature (S + L): one accepted spelling per signature', () => {
    const bytes = fromBase64Url(sig.value)!;
    // Adds the group order L to S (little-endian, bytes 32..63): the same point equation holds,
    // but RFC 8032 requires S < L.
    const L = fromHex('edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010')!;
    const malleable = new Uint8Array(bytes);
    let carry = 0;
    for (let i = 0; i < 32; i++) {
      const sum = malleable[32 + i]! + L[i]! + carry;
      malleable[32 + i] = sum & 0xff;
      carry = sum >> 8;
    }
    const text = Buffer.from(malleable).toString('base64url');
    expect(verifyBytes(KEY, canonicalBytes(VOTE), text)).toBe(false);
  });
});

describe('creating a device identity', () => {
  it('makes Ed25519 and X25519 pairs with WebCrypto that sign and verify', async () => {
    const identity = await createDeviceIdentity(crypto.subtle, 42);
    expect(DeviceIdentity.safeParse(identity).success).toBe(true);
    expect(identity.createdAt).toBe(42);
    const content = { ...VOTE, key: identity.signing.publicKey };
    const signed = signContent(deviceSigner(identity), content);
    expect(verifyContent(content, signed)).toBe(true);
    expect(await webCryptoVerifies(signed.key, canonicalBytes(content), signed.value)).toBe(true);
    // The X25519 private seed reproduces its public key (the pair is kept whole).
    const again = identityFromSeeds(
      fromBase64Url(identity.signing.privateKey)!,
      fromBase64Url(identity.agreement.privateKey)!,
    );
    expect(again.agreement.publicKey).toBe(identity.agreement.publicKey);
    expect(again.signing.publicKey).toBe(identity.signing.publicKey);
  });
});
