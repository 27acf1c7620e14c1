import { describe, expect, it } from 'vitest';
import {
  deriveSignalingKey,
  fromBase64,
  openSignal,
  sealSignal,
  toBase64,
} from '../../../shared/protocol/signalingCrypto';

describe('signaling encryption (y-webrtc compatible)', () => {
  it('seals and opens a message; another key or garbage opens to undefined, never a rejection', async () => {
    const key = await deriveSignalingKey('password-a', 'room');
    const other = await deriveSignalingKey('password-b', 'room');
    const sealed = await sealSignal(key, { type: 'announce', from: 'peer-1' });
    await expect(openSignal(key, sealed)).resolves.toEqual({ type: 'announce', from: 'peer-1' });
    await expect(openSignal(other, sealed)).resolves.toBeUndefined();
    for (const garbage of ['', '!!!', 'AAAA', 42, null, toBase64(new Uint8Array(40))])
      await expect(openSignal(key, garbage)).resolves.toBeUndefined();
  });

  it('writes standard base64 as lib0 does', () => {
    for (const size of [0, 1, 2, 3, 4, 5, 64]) {
      const bytes = Uint8Array.from({ length: size }, (_, i) => (i * 53) & 0xff);
      expect(toBase64(bytes)).toBe(Buffer.from(bytes).toString('base64'));
      expect(Buffer.from(fromBase64(toBase64(bytes))).equals(Buffer.from(bytes))).toBe(true);
    }
  });
});
