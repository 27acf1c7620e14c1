/**
 * The device proof's bytes and signature (docs/PROTOCOL.md §5.4, "Device proof"), pinned by a test
 * vector from fixed keys and nonces, and checked against Node's own Ed25519 so the bytes are not
 * only our code agreeing with itself.
 */
import { createPublicKey, verify } from 'node:crypto';
import { expect, it } from 'vitest';
import { fromHex, toHex } from '../../../shared/protocol/bytes';
import { deviceSigner, identityFromSeeds } from '../../../shared/protocol/identity';
import { peerProofBytes, signPeerProof, verifyPeerProof } from '../../../shared/protocol/peerProof';

// RFC 8032 §7.1 test 1, and RFC 7748 §6.1 Alice for the agreement key (unused here).
const signer = deviceSigner(
  identityFromSeeds(
    fromHex('9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60')!,
    fromHex('77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a')!,
  ),
);
const context = {
  workspace: 'VectorWorkspace0001',
  signerNonce: Uint8Array.from({ length: 32 }, (_, i) => i),
  verifierNonce: Uint8Array.from({ length: 32 }, (_, i) => 32 + i),
};

it('signs the bytes PROTOCOL §5.4 gives, with the signature it gives', () => {
  const bytes = peerProofBytes({ ...context, key: signer.key });
  expect(toHex(bytes)).toBe(
    toHex(new TextEncoder().encode('outpost-peer-proof-v1\nVectorWorkspace0001')) +
      '00' +
      toHex(context.signerNonce) +
      toHex(context.verifierNonce) +
      'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
  );
  const signature = signPeerProof(signer, context);
  expect(signature).toBe(VECTOR_SIGNATURE);
  expect(verifyPeerProof({ ...context, key: signer.key }, signature)).toBe(true);
  const publicKey = createPublicKey({
    key: { kty: 'OKP', crv: 'Ed25519', x: signer.key },
    format: 'jwk',
  });
  expect(verify(null, bytes, publicKey, Buffer.from(signature, 'base64url'))).toBe(true);
});

const VECTOR_SIGNATURE =
  '3gGHV-KHdQ4iB_Tq1qIuuQ2XmRtO4Rd4y4eho_AckvOLNdsUXmZZ9uQLXmdOZG-Io0DLgmoU64YUr6O_1eBvDQ';
