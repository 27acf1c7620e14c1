// @vitest-environment happy-dom
/**
 * The relay slice with the real store, sessions and relay client against a real relay (in this
 * process, on loopback; `ws` stands in for the browser's WebSocket, the network being the edge):
 * addresses are checked and kept in the team's device-state entry, the client runs and reports
 * each relay's status, and removing a relay forgets its cursor.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { useAppStore } from '../../../renderer/store';
import { loadWorkspaces } from '../../../renderer/sync/localState';
import { newTeamEntry } from '../../../renderer/sync/teamSync';
import { syncIndicator } from '../../../renderer/store/syncSlice';
import { startRelay, type Relay } from '../../../electron/relay/relay';
import { openWorkspaces, resetAppStore } from '../storeHarness';

let relay: Relay;
let dataDir: string;

beforeAll(async () => {
  (globalThis as { WebSocket: unknown }).WebSocket = WebSocket;
  dataDir = mkdtempSync(path.join(tmpdir(), 'outpost-relay-slice-'));
  relay = await startRelay({ dataDir });
  return async () => {
    await relay.close();
    rmSync(dataDir, { recursive: true, force: true });
  };
});

afterEach(async () => {
  await resetAppStore();
  localStorage.clear();
});

async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 10));
}

async function openTeam() {
  await openWorkspaces(1);
  const team = newTeamEntry('Lisbon crew');
  await useAppStore.getState().setWorkspaces((current) => [...current, team]);
  await useAppStore.getState().openWorkspace(team.id);
  return team;
}

describe('relays in the store', () => {
  it('belong to team workspaces only', async () => {
    await openWorkspaces(1);
    const added = await useAppStore.getState().addRelay(relay.url);
    expect(added).toMatchObject({ ok: false, error: { code: 'not-team' } });
  });

  it('refuses what is not a relay address, with the reason, and keeps a good one', async () => {
    const team = await openTeam();
    const add = useAppStore.getState().addRelay;
    for (const [text, reason] of [
      ['', /Type a relay address/],
      ['relay.example.org', /not an address/],
      ['https://relay.example.org', /starts with wss:\/\/ or ws:\/\//],
      ['wss://ana:secret@relay.example.org', /no user name or password/],
      ['wss://relay.example.org/?room=1', /no \?query/],
    ] as const) {
      const result = await add(text);
      expect(result.ok, text).toBe(false);
      if (!result.ok) expect(result.error.message).toMatch(reason);
    }
    expect(await add(' wss://relay.example.org/outpost/ ')).toEqual({
      ok: true,
      value: 'wss://relay.example.org/outpost',
    });
    expect(await add('wss://relay.example.org/outpost')).toMatchObject({
      ok: false,
      error: { code: 'duplicate' },
    });
    const stored = (await loadWorkspaces()).value.find((entry) => entry.id === team.id);
    expect(stored?.relays).toEqual(['wss://relay.example.org/outpost']);
  });

  it('runs the relay client while the team workspace is open and reports each relay', async () => {
    const team = await openTeam();
    await useAppStore.getState().addRelay(relay.url);
    await until(() =>
      useAppStore
        .getState()
        .relayStatus.some((status) => status.url === relay.url && status.reachable),
    );
    // The member entry the workspace wrote on opening went up to the relay.
    await until(() => useAppStore.getState().relayStatus[0]?.lastUpload !== null);
    await until(() => useAppStore.getState().relayStatus[0]?.holdsAll === true);
    await until(() => localStorage.getItem(`outpost.relay.${team.id}.${relay.url}`) !== null);

    // Working offline stops the relay client; going online starts it again.
    useAppStore.getState().setSyncOnline(false);
    await until(() => useAppStore.getState().relayStatus.length === 0);
    expect(syncIndicator(useAppStore.getState()).kind).toBe('paused');
    useAppStore.getState().setSyncOnline(true);
    await until(() => useAppStore.getState().relayStatus[0]?.reachable === true);

    await useAppStore.getState().removeRelay(relay.url);
    await until(() => useAppStore.getState().relayStatus.length === 0);
    expect(localStorage.getItem(`outpost.relay.${team.id}.${relay.url}`)).toBeNull();
    expect(useAppStore.getState().workspaces.find((entry) => entry.id === team.id)?.relays).toEqual(
      [],
    );
  });
});
