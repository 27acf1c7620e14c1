/**
 * The at-rest format: what is sealed opens only with the same key, purpose and scope; the
 * synchronous and WebCrypto ciphers read each other's output; a passphrase unwraps the data key
 * it wrapped and nothing else.
 */
import { describe, expect, it } from 'vitest';
import {
  SEALED_PURPOSE,
  deriveAtRestKey,
  looksSealed,
  newDataKey,
  open,
  openSync,
  seal,
  sealSync,
  unwrapWithPassphrase,
  workspaceKeyInfo,
  wrapWithPassphrase,
} from '../../../shared/protocol/atRest';

const text = new TextEncoder();
const secret = text.encode('the plan for the retreat in Lisbon');

function contains(haystack: Uint8Array, needle: Uint8Array): boolean {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

describe('sealing at rest', () => {
  it('opens what it sealed, across the synchronous and WebCrypto ciphers, and hides the text', async () => {
    const key = await deriveAtRestKey(newDataKey(), workspaceKeyInfo('ws-one-0001'));
    const bySync = sealSync(key, SEALED_PURPOSE.update, 'outpost-ws-a/workspace', secret);
    const byWeb = await seal(key, SEALED_PURPOSE.update, 'outpost-ws-a/workspace', secret);
    for (const sealed of [bySync, byWeb]) {
      expect(looksSealed(sealed)).toBe(true);
      expect(contains(sealed, secret)).toBe(false);
      expect(await open(key, SEALED_PURPOSE.update, 'outpost-ws-a/workspace', sealed)).toEqual(
        secret,
      );
      expect(openSync(key, SEALED_PURPOSE.update, 'outpost-ws-a/workspace', sealed)).toEqual(
        secret,
      );
    }
    // A fresh nonce each time: the same text never seals to the same bytes.
    expect(bySync).not.toEqual(
      sealSync(key, SEALED_PURPOSE.update, 'outpost-ws-a/workspace', secret),
    );
  });

  it('refuses another key, workspace, document, purpose, or a changed byte', async () => {
    const dataKey = newDataKey();
    const key = await deriveAtRestKey(dataKey, workspaceKeyInfo('ws-one-0001'));
    const otherWorkspace = await deriveAtRestKey(dataKey, workspaceKeyInfo('ws-two-0002'));
    const otherDevice = await deriveAtRestKey(newDataKey(), workspaceKeyInfo('ws-one-0001'));
    const sealed = sealSync(key, SEALED_PURPOSE.state, 'outpost-ws-a/workspace', secret);
    expect(
      await open(otherWorkspace, SEALED_PURPOSE.state, 'outpost-ws-a/workspace', sealed),
    ).toBeNull();
    expect(
      await open(otherDevice, SEALED_PURPOSE.state, 'outpost-ws-a/workspace', sealed),
    ).toBeNull();
    expect(await open(key, SEALED_PURPOSE.state, 'outpost-ws-a/note-7', sealed)).toBeNull();
    expect(await open(key, SEALED_PURPOSE.update, 'outpost-ws-a/workspace', sealed)).toBeNull();
    // The purpose byte is authenticated: relabelling a state row as an update does not open.
    const relabelled = sealed.slice();
    relabelled[4] = SEALED_PURPOSE.update;
    expect(openSync(key, SEALED_PURPOSE.update, 'outpost-ws-a/workspace', relabelled)).toBeNull();
    for (let index = 0; index < sealed.length; index += 7) {
      const damaged = sealed.slice();
      damaged[index]! ^= 0x01;
      expect(openSync(key, SEALED_PURPOSE.state, 'outpost-ws-a/workspace', damaged)).toBeNull();
    }
    expect(
      openSync(key, SEALED_PURPOSE.state, 'outpost-ws-a/workspace', sealed.subarray(0, 20)),
    ).toBeNull();
  });

  it('derives different keys for different workspaces from one data key', async () => {
    const dataKey = newDataKey();
    const a = await deriveAtRestKey(dataKey, workspaceKeyInfo('ws-one-0001'));
    const b = await deriveAtRestKey(dataKey, workspaceKeyInfo('ws-two-0002'));
    expect(a.raw).not.toEqual(b.raw);
    expect((await deriveAtRestKey(dataKey, workspaceKeyInfo('ws-one-0001'))).raw).toEqual(a.raw);
    await expect(deriveAtRestKey(new Uint8Array(16), 'x')).rejects.toThrow(/32 bytes/);
  });

  it('unwraps the data key with the passphrase that wrapped it, and not with another', async () => {
    const dataKey = newDataKey();
    // Fewer iterations than the app's 600,000 keep this test quick; the construction is the same.
    const wrapped = await wrapWithPassphrase(dataKey, 'correct horse battery', 1000);
    expect(wrapped.iterations).toBe(1000);
    expect(contains(wrapped.sealed, dataKey)).toBe(false);
    expect(await unwrapWithPassphrase(wrapped, 'correct horse battery')).toEqual(dataKey);
    expect(await unwrapWithPassphrase(wrapped, 'correct horse batterY')).toBeNull();
    expect(
      await unwrapWithPassphrase({ ...wrapped, salt: new Uint8Array(16) }, 'correct horse battery'),
    ).toBeNull();
  });
});
