// @vitest-environment happy-dom
/**
 * Device state (profile, workspace list, last open workspace) in the device database: saved
 * values load again, a damaged value is set aside and reported rather than thrown, an earlier
 * version's localStorage value moves into the database, and a workspace database the list lost
 * is listed again.
 */
import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  LEGACY_KEY,
  loadActiveWorkspaceId,
  loadProfile,
  loadWorkspaces,
  saveActiveWorkspaceId,
  saveProfile,
  saveWorkspaces,
} from '../../../renderer/sync/localState';
import {
  DEVICE_KEY,
  DEVICE_STORE,
  openDeviceDb,
  readDeviceValue,
  writeDeviceValue,
} from '../../../renderer/sync/deviceStore';
import {
  openWorkspaceDb,
  requestDone,
  WORKSPACE_DB_PREFIX,
} from '../../../renderer/sync/storage/idb';
import { person } from '../storeHarness';

const entry = {
  id: 'workspace-device-01',
  name: 'Personal',
  kind: 'personal' as const,
  createdAt: 1_700_000_000_000,
  relays: [] as string[],
  turn: null,
};

describe('device state', () => {
  beforeEach(async () => {
    localStorage.clear();
    await writeDeviceValue(DEVICE_KEY.profile, undefined);
    await writeDeviceValue(DEVICE_KEY.workspaces, undefined);
  });

  it('loads the profile, the workspace list and the open workspace as saved', async () => {
    await saveProfile(person);
    await saveWorkspaces([entry]);
    await saveActiveWorkspaceId(entry.id);
    expect(await loadProfile()).toEqual({ value: person });
    expect((await loadWorkspaces()).value).toEqual([entry]);
    expect((await loadActiveWorkspaceId()).value).toBe(entry.id);
  });

  it('reads a team entry saved before relays existed with no relays, and keeps relays saved', async () => {
    // As an earlier version wrote it: no `relays` field at all.
    const earlier = {
      id: 'workspace-team-0001',
      name: entry.name,
      kind: 'team' as const,
      createdAt: entry.createdAt,
      secretKey: 'ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8',
    };
    await writeDeviceValue(DEVICE_KEY.workspaces, [earlier]);
    expect((await loadWorkspaces()).value).toEqual([{ ...earlier, relays: [], turn: null }]);
    const withRelays = { ...earlier, relays: ['wss://relay.example.org'], turn: null };
    await saveWorkspaces([withRelays]);
    expect((await loadWorkspaces()).value).toEqual([withRelays]);
  });

  it('reports a damaged profile, keeps it aside and answers as on first run', async () => {
    await writeDeviceValue(DEVICE_KEY.profile, { memberId: 7, displayName: '' });
    const loaded = await loadProfile();
    expect(loaded.value).toBeNull();
    expect(loaded.problem).toMatch(/Your saved profile/);
    expect(loaded.problem).toMatch(/Pick yourself from your workspaces’ members/);
    const db = await openDeviceDb();
    const keys = await requestDone(
      db.transaction([DEVICE_STORE]).objectStore(DEVICE_STORE).getAllKeys(),
    );
    expect(keys.filter((key) => String(key).startsWith('aside.profile.'))).toHaveLength(1);
  });

  it('moves an earlier version’s profile from localStorage into the database', async () => {
    localStorage.setItem(LEGACY_KEY.profile, JSON.stringify(person));
    expect((await loadProfile()).value).toEqual(person);
    expect(await readDeviceValue(DEVICE_KEY.profile)).toEqual(person);
  });

  it('lists a workspace database the list no longer names', async () => {
    await saveWorkspaces([entry]);
    (await openWorkspaceDb(`${WORKSPACE_DB_PREFIX}workspace-lost-0001`)).close();
    const loaded = await loadWorkspaces();
    expect(loaded.value.map((item) => item.id)).toEqual([entry.id, 'workspace-lost-0001']);
    expect(loaded.problem).toMatch(/found again/);
  });
});
