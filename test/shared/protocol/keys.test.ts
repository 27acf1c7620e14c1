import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  createWorkspaceSecrets,
  deriveSignalingPassword,
  secretKeyFromText,
  secretKeyToText,
  WORKSPACE_ID_PATTERN,
} from '../../../shared/protocol/keys';
import { deriveRoomName } from '../../../shared/protocol/roomEpoch';

const vectorKey = Uint8Array.from({ length: 32 }, (_, i) => 0x20 + i);

// Independent reference: Node's own HMAC, not WebCrypto.
const hmac = (key: Uint8Array, label: string) => createHmac('sha256', key).update(label);

describe('workspace secrets', () => {
  it('creates a 128-bit hex id and a 256-bit key, fresh every time', () => {
    const a = createWorkspaceSecrets();
    const b = createWorkspaceSecrets();
    expect(a.workspaceId).toMatch(WORKSPACE_ID_PATTERN);
    expect(a.secretKey).toHaveLength(32);
    expect(a.workspaceId).not.toBe(b.workspaceId);
    expect(a.secretKey).not.toEqual(b.secretKey);
  });

  it('stores a key as 43 base64url characters and reads it back', () => {
    const { secretKey } = createWorkspaceSecrets();
    const text = secretKeyToText(secretKey);
    expect(text).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(secretKeyFromText(text)).toEqual(secretKey);
    expect(secretKeyToText(vectorKey)).toBe('ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8');
  });

  it('refuses stored keys that are short, padded, non-canonical or all zeros', () => {
    const text = secretKeyToText(vectorKey);
    expect(secretKeyFromText(text.slice(1))).toBeUndefined();
    expect(secretKeyFromText(`${text}=`)).toBeUndefined();
    expect(secretKeyFromText(`${text.slice(0, 42)}9`)).toBeUndefined(); // stray low bits
    expect(secretKeyFromText('A'.repeat(43))).toBeUndefined();
    expect(secretKeyFromText('')).toBeUndefined();
  });
});

describe('derivations', () => {
  it('matches the fixed test vectors of the specification', async () => {
    expect(await deriveSignalingPassword(vectorKey)).toBe(
      'Kfb9Px6GYO7UtEoELWuSlr9dI8xW0UHzNquIDr11Omg',
    );
  });

  it('agrees with an independent HMAC-SHA-256 for random keys', async () => {
    for (let i = 0; i < 20; i++) {
      const { secretKey } = createWorkspaceSecrets();
      expect(await deriveSignalingPassword(secretKey)).toBe(
        hmac(secretKey, 'outpost/password/v1').digest('base64url'),
      );
    }
  });

  it('gives a room name that reveals nothing of the id and differs from the password', async () => {
    const { workspaceId, secretKey } = createWorkspaceSecrets();
    const room = await deriveRoomName(secretKey);
    const password = await deriveSignalingPassword(secretKey);
    expect(room).toMatch(/^[0-9a-f]{64}$/);
    expect(password).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(room).not.toContain(workspaceId);
    expect(room).not.toBe(Buffer.from(secretKey).toString('hex'));
    expect(password).not.toBe(Buffer.from(room, 'hex').toString('base64url'));
  });

  it('refuses keys of the wrong length', async () => {
    await expect(deriveRoomName(new Uint8Array(16).fill(1))).rejects.toThrow(RangeError);
    await expect(deriveSignalingPassword(new Uint8Array(32))).rejects.toThrow(RangeError);
  });
});
