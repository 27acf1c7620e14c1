/**
 * Sealing a new workspace key to one device (docs/PROTOCOL.md §8.7): the test vector against the
 * code and against Node's own X25519, HKDF and AES-GCM (an independent implementation of the same
 * construction), opening with the right device only, and refusals of moved or changed copies.
 */
import {
  createCipheriv,
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  hkdfSync,
} from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fromBase64Url, fromHex, toHex } from '../../../shared/protocol/bytes';
import { deviceSigner, identityFromSeeds } from '../../../shared/protocol/identity';
import {
  KEY_ENVELOPE_LABEL,
  agreeWith,
  keyIdOf,
  openKeyEnvelope,
  sealKeyEnvelope,
} from '../../../shared/protocol/keyEnvelope';

// RFC 7748 §6.1: Alice is the recipient device, Bob's private key the ephemeral one.
const ALICE_PRIVATE = '77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a';
const ALICE_PUBLIC = 'hSDwCYkwp1R0i33ctD73Wg2_Og0mOBr066SpjqqbTmo';
const BOB_PRIVATE = '5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb';
const DEVICE = '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo';
const KEY = Uint8Array.from({ length: 32 }, (_, i) => 0x20 + i);
const CONTEXT = { workspace: '000102030405060708090a0b0c0d0e0f', epoch: 1, device: DEVICE };
const VECTOR =
  '01de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f' +
  'de77ee1fb5cc4feb211b433236721ccb0a7e3dd8a228f3d80b161f40a99c280dc56b2cc5998773cf90d7d2d1900aa0dd';
const KEY_ID = '6v752gD3frLcfmafDRTCPA';

const alice = agreeWith(Buffer.from(fromHex(ALICE_PRIVATE)!).toString('base64url'));

/** The same construction with Node's crypto only. */
function nodeSeal(ephemeralHex: string): string {
  const pkcs8 = (hex: string) =>
    createPrivateKey({
      key: Buffer.from('302e020100300506032b656e04220420' + hex, 'hex'),
      format: 'der',
      type: 'pkcs8',
    });
  const ephemeral = pkcs8(ephemeralHex);
  const ephemeralPublic = createPublicKey(ephemeral)
    .export({ format: 'der', type: 'spki' })
    .subarray(12);
  const recipient = createPublicKey(pkcs8(ALICE_PRIVATE));
  const recipientRaw = recipient.export({ format: 'der', type: 'spki' }).subarray(12);
  const shared = diffieHellman({ privateKey: ephemeral, publicKey: recipient });
  const context = Buffer.from(`${CONTEXT.workspace}/${CONTEXT.epoch}/${CONTEXT.device}`);
  const info = Buffer.concat([Buffer.from(KEY_ENVELOPE_LABEL), Buffer.from([0]), context]);
  const okm = Buffer.from(
    hkdfSync('sha256', shared, Buffer.concat([ephemeralPublic, recipientRaw]), info, 44),
  );
  const cipher = createCipheriv('aes-256-gcm', okm.subarray(0, 32), okm.subarray(32));
  cipher.setAAD(info);
  const sealed = Buffer.concat([cipher.update(KEY), cipher.final(), cipher.getAuthTag()]);
  return Buffer.concat([Buffer.from([1]), ephemeralPublic, sealed]).toString('hex');
}

describe('key envelopes', () => {
  it('match the test vector, and Node’s crypto builds the same bytes', () => {
    const sealed = sealKeyEnvelope(KEY, ALICE_PUBLIC, CONTEXT, fromHex(BOB_PRIVATE)!);
    expect(toHex(fromBase64Url(sealed)!)).toBe(VECTOR);
    expect(nodeSeal(BOB_PRIVATE)).toBe(VECTOR);
    expect(keyIdOf(KEY)).toBe(KEY_ID);
    expect(
      Buffer.from(hkdfSync('sha256', KEY, Buffer.alloc(0), 'outpost/key-id/v1', 16)).toString(
        'base64url',
      ),
    ).toBe(KEY_ID);
  });

  it('opens only for the recipient device, its epoch and its workspace', () => {
    const sealed = sealKeyEnvelope(KEY, ALICE_PUBLIC, CONTEXT);
    expect(openKeyEnvelope(sealed, alice, ALICE_PUBLIC, CONTEXT)).toEqual(KEY);
    // Another device's private key.
    const other = identityFromSeeds(new Uint8Array(32).fill(1), new Uint8Array(32).fill(2));
    const otherSigner = deviceSigner(other);
    expect(
      openKeyEnvelope(sealed, otherSigner.agree!, other.agreement.publicKey, CONTEXT),
    ).toBeUndefined();
    // The right device, but the copy is presented for another epoch, workspace or device.
    expect(openKeyEnvelope(sealed, alice, ALICE_PUBLIC, { ...CONTEXT, epoch: 2 })).toBeUndefined();
    expect(
      openKeyEnvelope(sealed, alice, ALICE_PUBLIC, { ...CONTEXT, workspace: 'x' }),
    ).toBeUndefined();
    expect(
      openKeyEnvelope(sealed, alice, ALICE_PUBLIC, { ...CONTEXT, device: other.signing.publicKey }),
    ).toBeUndefined();
  });

  it('refuses changed, cut or foreign bytes without throwing', () => {
    const bytes = fromHex(VECTOR)!;
    for (const index of [0, 1, 40, bytes.length - 1]) {
      const changed = Uint8Array.from(bytes);
      changed[index]! ^= 1;
      expect(
        openKeyEnvelope(Buffer.from(changed).toString('base64url'), alice, ALICE_PUBLIC, CONTEXT),
      ).toBeUndefined();
    }
    expect(
      openKeyEnvelope(
        Buffer.from(bytes.slice(0, 60)).toString('base64url'),
        alice,
        ALICE_PUBLIC,
        CONTEXT,
      ),
    ).toBeUndefined();
    expect(openKeyEnvelope('not base64url!', alice, ALICE_PUBLIC, CONTEXT)).toBeUndefined();
    // A low-order ephemeral point gives an all-zero secret: refused, not used as a key.
    const lowOrder = Uint8Array.from(bytes);
    lowOrder.set(new Uint8Array(32), 1);
    expect(
      openKeyEnvelope(Buffer.from(lowOrder).toString('base64url'), alice, ALICE_PUBLIC, CONTEXT),
    ).toBeUndefined();
  });

  it('refuses to seal anything but a workspace key, or to a malformed device key', () => {
    expect(() => sealKeyEnvelope(new Uint8Array(32), ALICE_PUBLIC, CONTEXT)).toThrow(RangeError);
    expect(() => sealKeyEnvelope(KEY, 'short', CONTEXT)).toThrow(RangeError);
  });
});
