import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as Y from 'yjs';
import {
  INVITE_USES_ROOT,
  inviteRefusal,
  inviteUseText,
  recordInviteUse,
  signInviteUse,
  verifiedUse,
  type InviteUse,
} from '../../../shared/model/inviteUses';
import { canonicalBytes, deviceSigner, identityFromSeeds } from '../../../shared/protocol/identity';
import { fromBase64Url, fromHex } from '../../../shared/protocol/bytes';

const WORKSPACE = 'VectorWorkspace0001';
const INVITE = '0123456789abcdef';
const OTHER_INVITE = 'fedcba9876543210';

const signer = (seed: number) =>
  deviceSigner(identityFromSeeds(new Uint8Array(32).fill(seed), new Uint8Array(32).fill(9)));
const [ana, ben, cai, dan] = [signer(1), signer(2), signer(3), signer(4)];

const use = (
  who: ReturnType<typeof signer>,
  at: number,
  terms: Partial<{ invite: string; expiresAt: number | null; singleUse: boolean }> = {},
): InviteUse =>
  signInviteUse(who, WORKSPACE, {
    invite: terms.invite ?? INVITE,
    at,
    expiresAt: terms.expiresAt ?? null,
    singleUse: terms.singleUse ?? true,
  });

describe('uses of a restricted invite', () => {
  it('the earliest use of a single-use invite counts; every other device using it is refused', () => {
    const doc = new Y.Doc();
    expect(inviteRefusal(doc, WORKSPACE, ben.key)).toBeNull();
    recordInviteUse(doc, use(cai, 3000));
    recordInviteUse(doc, use(ben, 2000));
    recordInviteUse(doc, use(dan, 1, { invite: OTHER_INVITE }));
    expect(inviteRefusal(doc, WORKSPACE, ben.key)).toBeNull();
    expect(inviteRefusal(doc, WORKSPACE, cai.key)).toMatchObject({
      reason: 'used',
      first: { device: ben.key, at: 2000 },
    });
    // Another invite's uses do not mix in; a device that used no invite is not refused.
    expect(inviteRefusal(doc, WORKSPACE, dan.key)).toBeNull();
    expect(inviteRefusal(doc, WORKSPACE, ana.key)).toBeNull();
  });

  it('a use at the same time goes to the smaller device key', () => {
    const [first, second] = [ben, cai].sort((a, b) => (a.key < b.key ? -1 : 1));
    const doc = new Y.Doc();
    recordInviteUse(doc, use(second!, 5000));
    recordInviteUse(doc, use(first!, 5000));
    expect(inviteRefusal(doc, WORKSPACE, first!.key)).toBeNull();
    expect(inviteRefusal(doc, WORKSPACE, second!.key)?.reason).toBe('used');
  });

  it('a use presented at the handshake is judged with the document, before it is in it', () => {
    const doc = new Y.Doc();
    recordInviteUse(doc, use(ben, 2000));
    expect(inviteRefusal(doc, WORKSPACE, cai.key, use(cai, 9000))?.reason).toBe('used');
    // Presented first (the document's use is later): it counts, and Ben's does not.
    expect(inviteRefusal(doc, WORKSPACE, cai.key, use(cai, 1000))).toBeNull();
    // A use presented for another device says nothing about this one.
    expect(inviteRefusal(doc, WORKSPACE, dan.key, use(cai, 9000))).toBeNull();
  });

  it('refuses a use at or past the expiry the first use carries; a later use cannot loosen it', () => {
    const doc = new Y.Doc();
    const terms = { singleUse: false, expiresAt: 10_000 };
    recordInviteUse(doc, use(ana, 1000, terms));
    expect(inviteRefusal(doc, WORKSPACE, ben.key, use(ben, 9_999, terms))).toBeNull();
    expect(inviteRefusal(doc, WORKSPACE, ben.key, use(ben, 10_000, terms))).toEqual({
      reason: 'expired',
      first: expect.objectContaining({ device: ana.key }),
      expiresAt: 10_000,
    });
    // A use claiming the code never expired, or was not single use, changes nothing.
    expect(
      inviteRefusal(doc, WORKSPACE, ben.key, use(ben, 50_000, { expiresAt: null }))?.reason,
    ).toBe('expired');
    recordInviteUse(doc, use(cai, 500, { singleUse: true, expiresAt: 10_000 }));
    expect(inviteRefusal(doc, WORKSPACE, ana.key)?.reason).toBe('used');
  });

  it('ignores uses that do not verify: altered, for another workspace, or signed by another key', () => {
    const doc = new Y.Doc();
    const map = doc.getMap<unknown>(INVITE_USES_ROOT);
    const altered = { ...use(ben, 2000), at: 1 };
    const elsewhere = signInviteUse(ben, 'AnotherWorkspace01', {
      invite: INVITE,
      at: 1,
      expiresAt: null,
      singleUse: true,
    });
    const borrowed = { ...use(cai, 1), device: dan.key };
    for (const bad of [altered, elsewhere, borrowed]) {
      expect(verifiedUse(WORKSPACE, bad)).toBeNull();
      const { invite, device, ...stored } = bad;
      map.set(`${invite}.${device}`, stored);
    }
    map.set(`${INVITE}.${ben.key}x`, 'yesterday');
    map.set(`${INVITE}.${dan.key}`, { at: 1 });
    recordInviteUse(doc, use(ana, 3000));
    expect(inviteRefusal(doc, WORKSPACE, ana.key)).toBeNull();
    expect(verifiedUse(WORKSPACE, use(ana, 3000))).toEqual(use(ana, 3000));
  });

  it('two devices joining at once keep both uses, and every replica agrees which counts', () => {
    const [one, two] = [new Y.Doc(), new Y.Doc()];
    recordInviteUse(one, use(ben, 5000));
    recordInviteUse(two, use(cai, 4000));
    Y.applyUpdate(one, Y.encodeStateAsUpdate(two));
    Y.applyUpdate(two, Y.encodeStateAsUpdate(one));
    expect(one.getMap(INVITE_USES_ROOT).size).toBe(2);
    for (const doc of [one, two]) {
      expect(inviteRefusal(doc, WORKSPACE, cai.key)).toBeNull();
      expect(inviteRefusal(doc, WORKSPACE, ben.key)?.reason).toBe('used');
    }
  });

  it('replicas receiving the same uses in any order refuse the same devices', () => {
    const devices = [ana, ben, cai, dan];
    const arbitraryUse = fc.record({
      device: fc.integer({ min: 0, max: 3 }),
      at: fc.integer({ min: 0, max: 20 }),
      invite: fc.constantFrom(INVITE, OTHER_INVITE),
      singleUse: fc.boolean(),
      expiresAt: fc.option(fc.integer({ min: 1, max: 20 }), { nil: null }),
    });
    fc.assert(
      fc.property(
        fc.array(arbitraryUse, { minLength: 1, maxLength: 8 }),
        fc.array(fc.nat(), { minLength: 8, maxLength: 8 }),
        (uses, shuffle) => {
          const updates = uses.map((step) => {
            const doc = new Y.Doc();
            recordInviteUse(doc, use(devices[step.device]!, step.at, step));
            return Y.encodeStateAsUpdate(doc);
          });
          const replicas = [updates, [...updates].reverse(), shuffled(updates, shuffle)].map(
            (order) => {
              const doc = new Y.Doc();
              for (const update of order) Y.applyUpdate(doc, update);
              return devices.map((device) => inviteRefusal(doc, WORKSPACE, device.key));
            },
          );
          expect(replicas[1]).toEqual(replicas[0]);
          expect(replicas[2]).toEqual(replicas[0]);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('matches the test vector in docs/PROTOCOL.md §1.9, and WebCrypto verifies it', async () => {
    const vector = deviceSigner(
      identityFromSeeds(
        fromHex('9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60')!,
        new Uint8Array(32).fill(9),
      ),
    );
    const terms = {
      invite: '0102030405060708',
      at: 1_765_368_000_000,
      expiresAt: 1_765_368_000_000 + 86_400_000,
      singleUse: true,
    };
    const signed = signInviteUse(vector, WORKSPACE, terms);
    const bytes = canonicalBytes({
      type: 'invite',
      workspace: WORKSPACE,
      author: vector.key,
      key: vector.key,
      ...terms,
    });
    expect(new TextDecoder().decode(bytes)).toBe(
      'outpost-signed-v1\n{"at":1765368000000,"author":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo","expiresAt":1765454400000,"invite":"0102030405060708","key":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo","singleUse":true,"type":"invite","workspace":"VectorWorkspace0001"}',
    );
    expect(signed.sig.value).toBe(
      'nzLpfkdBxWCGQwzlX9-ua3foWSplLFXA-4MfnspP1FqxVJd9XZS15bm02SIvuczFtipbIgVYuHx7_Dvdu3KnBg',
    );
    // As it travels in a device proof and in message 104 (§5.4): canonical JSON.
    expect(inviteUseText(signed)).toBe(
      '{"at":1765368000000,"device":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo","expiresAt":1765454400000,"invite":"0102030405060708","sig":{"key":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo","v":1,"value":"nzLpfkdBxWCGQwzlX9-ua3foWSplLFXA-4MfnspP1FqxVJd9XZS15bm02SIvuczFtipbIgVYuHx7_Dvdu3KnBg"},"singleUse":true}',
    );
    expect(new TextEncoder().encode(inviteUseText(signed)).length).toBe(309);
    const publicKey = await crypto.subtle.importKey(
      'raw',
      fromBase64Url(vector.key)! as Uint8Array<ArrayBuffer>,
      { name: 'Ed25519' },
      false,
      ['verify'],
    );
    const signature = fromBase64Url(signed.sig.value)! as Uint8Array<ArrayBuffer>;
    const message = bytes as Uint8Array<ArrayBuffer>;
    expect(await crypto.subtle.verify({ name: 'Ed25519' }, publicKey, signature, message)).toBe(
      true,
    );
  });
});

/** `items` reordered by the random numbers in `keys`. */
function shuffled<T>(items: readonly T[], keys: readonly number[]): T[] {
  return items
    .map((item, index) => ({ item, key: keys[index % keys.length]! }))
    .sort((a, b) => a.key - b.key)
    .map(({ item }) => item);
}
