// @vitest-environment happy-dom
/**
 * Invite codes with an expiry (docs/PROTOCOL.md §5.1, version 3) in the store, against the real
 * store and device storage: the team hands out a code with the expiry picked, and joining with an
 * expired code is refused with a clear message, storing and opening nothing. A single-use code's
 * use is signed and recorded in the workspace; a device that finds someone else's use came first
 * leaves, saying so.
 */
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  INVITE_USES_ROOT,
  inviteRefusal,
  recordInviteUse,
  signInviteUse,
  verifiedUse,
} from '../../../shared/model/inviteUses';
import { deviceSigner, identityFromSeeds } from '../../../shared/protocol/identity';
import { DEFAULT_SYNC_SETTINGS } from '../../../shared/ipc/syncContract';
import { getOutpostApi } from '../../../renderer/platform/outpostApi';
import { ok } from '../../../shared/result';
import { useAppStore } from '../../../renderer/store';
import { loadWorkspaces } from '../../../renderer/sync/localState';
import { decodeInvite, encodeInvite } from '../../../shared/protocol/invite';
import { newInviteTerms, type InviteTerms } from '../../../shared/protocol/inviteTerms';
import { createWorkspaceSecrets } from '../../../shared/protocol/keys';
import { openWorkspaces, resetAppStore } from '../storeHarness';
import '../../../shared/model/notesSearch';

afterEach(resetAppStore);

describe('invite codes that expire', () => {
  it('the team hands out a code with the expiry picked, and one without when none is', async () => {
    await openWorkspaces(1);
    const created = await useAppStore.getState().createTeamWorkspace('Expiring crew');
    if (!created.ok) throw new Error(created.error.message);
    const terms = newInviteTerms('1d', false, Date.now());
    const code = useAppStore.getState().inviteCode(terms);
    if (!code.ok) throw new Error(code.error.message);
    expect(decodeInvite(code.value)).toMatchObject({ ok: true, value: { version: 3, terms } });
    const plain = useAppStore.getState().inviteCode(newInviteTerms('never', false, Date.now()));
    expect(plain.ok && decodeInvite(plain.value)).toMatchObject({
      ok: true,
      value: { version: 1 },
    });
  });

  it('joining with an expired code is refused and stores nothing; a valid one joins', async () => {
    await openWorkspaces(1);
    const before = (await loadWorkspaces()).value.map((w) => w.id);
    const secrets = createWorkspaceSecrets();
    const hourAgo = newInviteTerms('1h', false, Date.now() - 2 * 60 * 60 * 1000);
    const expired = await useAppStore
      .getState()
      .joinTeamWorkspace(encodeInvite({ ...secrets, name: 'Too late', terms: hourAgo }));
    expect(expired).toMatchObject({
      ok: false,
      error: {
        code: 'invite-expired',
        message: expect.stringMatching(/^This invite expired on .+\. Ask for a new one\.$/),
      },
    });
    expect((await loadWorkspaces()).value.map((w) => w.id)).toEqual(before);
    expect(useAppStore.getState().workspaces.some((w) => w.id === secrets.workspaceId)).toBe(false);

    const fresh = newInviteTerms('1h', false, Date.now());
    const joined = await useAppStore
      .getState()
      .joinTeamWorkspace(encodeInvite({ ...secrets, name: 'In time', terms: fresh }));
    expect(joined).toMatchObject({ ok: true, value: { id: secrets.workspaceId } });
  });
});

/** The main process as the store's sync part needs it: no LAN server, no servers found. */
function installSyncApi(): void {
  const network = {
    localServer: { state: 'off', port: null, url: null, error: null },
    discovery: 'off',
    lanServers: [],
  };
  const answers: Record<string, unknown> = {
    'sync:getNetwork': network,
    'sync:getSettings': { ...DEFAULT_SYNC_SETTINGS, lanDiscovery: false },
  };
  // The store keeps the API it first found (getOutpostApi): answer through that one.
  (getOutpostApi() as unknown as { invoke: (channel: string) => Promise<unknown> }).invoke = async (
    channel,
  ) => ok(answers[channel] ?? { written: true });
}

const signer = (seed: number) =>
  deviceSigner(identityFromSeeds(new Uint8Array(32).fill(seed), new Uint8Array(32).fill(9)));

/** Another device's use of the invite, arriving as a peer's update would. */
function useElsewhere(workspace: string, terms: InviteTerms, at: number): Uint8Array {
  const other = new Y.Doc();
  recordInviteUse(
    other,
    signInviteUse(signer(7), workspace, {
      invite: terms.id,
      at,
      expiresAt: terms.expiresAt,
      singleUse: terms.singleUse,
    }),
  );
  return Y.encodeStateAsUpdate(other);
}

describe('single-use invite codes', () => {
  async function joinOnce() {
    await openWorkspaces(1);
    const device = signer(1);
    useAppStore.setState({ device });
    installSyncApi();
    await useAppStore.getState().startSync();
    const secrets = createWorkspaceSecrets();
    const terms = newInviteTerms('never', true, Date.now());
    const joined = await useAppStore
      .getState()
      .joinTeamWorkspace(encodeInvite({ ...secrets, name: 'Once', terms }));
    if (!joined.ok) throw new Error(joined.error.message);
    expect(joined.value.joinedWith).toMatchObject({ inviteId: terms.id, singleUse: true });
    const doc = useAppStore.getState().session!.doc;
    // This device's use is recorded in the workspace, signed, for the team to see.
    const key = `${terms.id}.${device.key}`;
    await expect.poll(() => doc.getMap(INVITE_USES_ROOT).has(key)).toBe(true);
    expect(
      verifiedUse(secrets.workspaceId, {
        ...(doc.getMap(INVITE_USES_ROOT).get(key) as object),
        invite: terms.id,
        device: device.key,
      }),
    ).toMatchObject({ at: joined.value.joinedWith?.at });
    return { entry: joined.value, doc, terms, at: joined.value.joinedWith!.at! };
  }

  it('a later use by someone else changes nothing for the device that used it first', async () => {
    const { entry, doc, terms, at } = await joinOnce();
    Y.applyUpdate(doc, useElsewhere(entry.id, terms, at + 60_000), 'peer');
    expect(doc.getMap(INVITE_USES_ROOT).size).toBe(2);
    expect(inviteRefusal(doc, entry.id, signer(1).key)).toBeNull();
    expect(useAppStore.getState().workspaces.some((w) => w.id === entry.id)).toBe(true);
  });

  it('when someone else used the code first, the workspace leaves this device and says why', async () => {
    const { entry, doc, terms, at } = await joinOnce();
    Y.applyUpdate(doc, useElsewhere(entry.id, terms, at - 60_000), 'peer');
    await expect
      .poll(() => useAppStore.getState().workspaces.some((w) => w.id === entry.id))
      .toBe(false);
    expect((await loadWorkspaces()).value.some((w) => w.id === entry.id)).toBe(false);
    await expect
      .poll(() => useAppStore.getState().notices.map((notice) => notice.message))
      .toContainEqual(
        'This invite was already used by another device. Ask for a new one. “Once” was removed from this device.',
      );
  });
});
