// @vitest-environment happy-dom
/**
 * Invite codes with an expiry (docs/PROTOCOL.md §5.1, version 3) in the store, against the real
 * store and device storage: the team hands out a code with the expiry picked, and joining with an
 * expired code is refused with a clear message, storing and opening nothing.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { useAppStore } from '../../../renderer/store';
import { loadWorkspaces } from '../../../renderer/sync/localState';
import { decodeInvite, encodeInvite } from '../../../shared/protocol/invite';
import { newInviteTerms } from '../../../shared/protocol/inviteTerms';
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
        message: expect.stringMatching(/^This invite code expired on .+ Ask a teammate/),
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
