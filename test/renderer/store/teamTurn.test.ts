// @vitest-environment happy-dom
/**
 * A team's relays and TURN server in the store, against the real store and device storage: what
 * joining with a version 2 invite stores, how the TURN fields are saved one by one (checked,
 * merged, cleared), which invite version the team then hands out, and which ICE servers and
 * policy its connections get.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { useAppStore } from '../../../renderer/store';
import { loadWorkspaces } from '../../../renderer/sync/localState';
import { iceServersFor, relayOnlyFor } from '../../../renderer/sync/teamSync';
import { decodeInvite, encodeInvite } from '../../../shared/protocol/invite';
import { createWorkspaceSecrets } from '../../../shared/protocol/keys';
import { DEFAULT_SYNC_SETTINGS } from '../../../shared/ipc/syncContract';
import { openWorkspaces, resetAppStore } from '../storeHarness';
// An open workspace loads its notes search index lazily; loaded here first, so that import cannot
// still be running when these short tests end and the environment is torn down.
import '../../../shared/model/notesSearch';

afterEach(resetAppStore);

const TURN = {
  urls: ['turns:turn.example.org:5349'],
  username: 'crew',
  credential: 'correct horse',
};

async function joinTeam(code: string) {
  await openWorkspaces(1);
  const joined = await useAppStore.getState().joinTeamWorkspace(code);
  if (!joined.ok) throw new Error(joined.error.message);
  return joined.value;
}

function shownInvite() {
  const code = useAppStore.getState().inviteCode();
  if (!code.ok) throw new Error(code.error.message);
  const decoded = decodeInvite(code.value);
  if (!decoded.ok) throw new Error(decoded.error.message);
  return decoded.value;
}

describe("a team's TURN server and relays", () => {
  it('joining with a version 2 code keeps its relays and TURN server on this device', async () => {
    const code = encodeInvite({
      ...createWorkspaceSecrets(),
      name: 'Nomads',
      relays: ['wss://relay.example.org'],
      turn: TURN,
    });
    const entry = await joinTeam(code);
    const expected = { relays: ['wss://relay.example.org'], turn: { ...TURN, relayOnly: false } };
    expect(entry).toMatchObject(expected);
    const stored = (await loadWorkspaces()).value.find((w) => w.id === entry.id);
    expect(stored).toMatchObject(expected);
    // The team hands the same on: its invite is version 2 with both.
    expect(shownInvite()).toMatchObject({ version: 2, relays: expected.relays, turn: TURN });
  });

  it('a newer code of a team already here adds its relays and TURN server, keeping what is set', async () => {
    const secrets = createWorkspaceSecrets();
    const entry = await joinTeam(
      encodeInvite({ ...secrets, name: 'Crew', relays: ['wss://one.example.org'] }),
    );
    const again = await useAppStore.getState().joinTeamWorkspace(
      encodeInvite({
        ...secrets,
        name: 'Crew',
        relays: ['wss://two.example.org', 'wss://one.example.org'],
        turn: TURN,
      }),
    );
    expect(again).toMatchObject({ ok: false, error: { code: 'already-joined' } });
    if (!again.ok) expect(again.error.message).toMatch(/relays and TURN server .* were added/);
    const stored = (await loadWorkspaces()).value.find((w) => w.id === entry.id);
    expect(stored).toMatchObject({
      relays: ['wss://one.example.org', 'wss://two.example.org'],
      turn: { ...TURN, relayOnly: false },
    });
    // A TURN server already usable here is the person's: another code does not replace it.
    const other = { ...TURN, urls: ['turn:other.example.org'] };
    const third = await useAppStore
      .getState()
      .joinTeamWorkspace(encodeInvite({ ...secrets, name: 'Crew', turn: other }));
    if (!third.ok) expect(third.error.message).not.toMatch(/were added/);
    expect(useAppStore.getState().workspaces.find((w) => w.id === entry.id)?.turn?.urls).toEqual(
      TURN.urls,
    );
  });

  it('a team joined with a version 1 code has none, and invites with version 1', async () => {
    const entry = await joinTeam(encodeInvite({ ...createWorkspaceSecrets(), name: 'Old' }));
    expect(entry).toMatchObject({ relays: [], turn: null });
    expect(shownInvite()).toMatchObject({ version: 1, relays: [], turn: null });
  });

  it('saves each field on its own, refuses bad values with a reason, and clears to none', async () => {
    const { id } = await joinTeam(encodeInvite({ ...createWorkspaceSecrets(), name: 'Crew' }));
    const update = useAppStore.getState().updateTeamTurn;

    const wrong = await update(id, { urls: ['stun:stun.example.org:3478'] });
    expect(wrong.ok).toBe(false);
    if (!wrong.ok) expect(wrong.error.message).toMatch(/starts with turn: or turns:/);
    const long = await update(id, { credential: 'x'.repeat(65) });
    expect(long.ok).toBe(false);
    if (!long.ok) expect(long.error.message).toMatch(/at most 64 bytes/);

    // Two fields saved at nearly the same moment both land.
    await Promise.all([update(id, { urls: TURN.urls }), update(id, { username: TURN.username })]);
    const partial = useAppStore.getState().workspaces.find((w) => w.id === id)!.turn;
    expect(partial).toEqual({ ...TURN, credential: '', relayOnly: false });
    // Incomplete settings are kept as typed but neither used nor handed out.
    expect(iceServersFor({ turn: partial }, null)).toEqual([]);
    expect(shownInvite().version).toBe(1);

    await update(id, { credential: TURN.credential });
    expect(shownInvite()).toMatchObject({ version: 2, turn: TURN });
    const stored = (await loadWorkspaces()).value.find((w) => w.id === id);
    expect(stored?.turn).toEqual({ ...TURN, relayOnly: false });

    const cleared = await update(id, { urls: [], username: '', credential: '', relayOnly: false });
    expect(cleared).toEqual({ ok: true, value: null });
    expect((await loadWorkspaces()).value.find((w) => w.id === id)?.turn).toBeNull();
  });

  it('refuses TURN settings for a workspace that is not a team', async () => {
    const [local] = await openWorkspaces(1);
    const result = await useAppStore.getState().updateTeamTurn(local!.id, { username: 'x' });
    expect(result).toMatchObject({ ok: false, error: { code: 'not-team' } });
  });
});

describe('the ICE servers of a team', () => {
  const device = {
    ...DEFAULT_SYNC_SETTINGS,
    iceServers: [{ urls: 'stun:stun.lan:3478' }],
  };

  it("are the team's TURN server first, then the device's own servers; never a default", () => {
    expect(iceServersFor({ turn: null }, null)).toEqual([]);
    expect(iceServersFor({ turn: { ...TURN, relayOnly: false } }, device)).toEqual([
      { urls: TURN.urls, username: TURN.username, credential: TURN.credential },
      { urls: 'stun:stun.lan:3478' },
    ]);
  });

  it('go relay-only only when the person asked and the TURN server is usable', () => {
    expect(relayOnlyFor({ turn: { ...TURN, relayOnly: true } })).toBe(true);
    expect(relayOnlyFor({ turn: { ...TURN, relayOnly: false } })).toBe(false);
    expect(relayOnlyFor({ turn: { ...TURN, credential: '', relayOnly: true } })).toBe(false);
    expect(relayOnlyFor({ turn: null })).toBe(false);
  });
});
