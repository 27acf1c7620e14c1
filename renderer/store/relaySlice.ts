/**
 * The open team workspace's relays in the store: the list lives in the workspace's device-state
 * entry (`relays`), the relay client (renderer/sync/relay/) runs while the workspace is open and
 * has relays, and its status per relay is published for the Sync view's Relays card.
 */
import type { StateCreator } from 'zustand';
import { fail, ok } from '../../shared/result';
import { secretKeyFromText } from '../../shared/protocol/keys';
import { startRelaySync, type RelaySync } from '../sync/relay/relaySync';
import { checkRelayUrl, usableRelayUrls } from '../sync/relay/relayUrl';
import {
  forgetAllRelayDocCursors,
  forgetRelayCursors,
  forgetRelayDocCursors,
  indexedDbDocCursors,
  localStorageCursors,
} from '../sync/relay/cursorStorage';
import type { AppState, RelaySlice } from './types';

/** Relays one team lists at most. */
export const MAX_RELAYS = 16;
/** Status changes (one per keystroke while typing) reach the screen at most this often. */
const STATUS_INTERVAL_MS = 250;

export const createRelaySlice: StateCreator<AppState, [], [], RelaySlice> = (set, get, api) => {
  let running: {
    sync: RelaySync;
    workspaceId: string;
    doc: unknown;
    key: string;
    closeCursors: () => void;
  } | null = null;
  let starting = false;
  let statusTimer: ReturnType<typeof setTimeout> | null = null;

  const publish = () => {
    if (statusTimer) return;
    statusTimer = setTimeout(() => {
      statusTimer = null;
      set({ relayStatus: running?.sync.status() ?? [] });
    }, STATUS_INTERVAL_MS);
  };

  const stop = () => {
    if (running) {
      const { sync, closeCursors } = running;
      sync.destroy();
      // The body cursors' last saves are written before their database closes.
      void sync.whenSaved().finally(closeCursors);
    }
    running = null;
    set({ relayStatus: [] });
  };

  const activeEntry = (state: AppState) =>
    state.workspaces.find((workspace) => workspace.id === state.activeWorkspaceId);

  /** Starts, updates or stops the relay client so it matches the open workspace's list. */
  const reconcile = () => {
    const state = get();
    const entry = activeEntry(state);
    const session = state.session;
    const urls = usableRelayUrls(entry?.relays ?? []);
    const key = entry?.secretKey ? secretKeyFromText(entry.secretKey) : undefined;
    const wanted =
      entry?.kind === 'team' &&
      key !== undefined &&
      urls.length > 0 &&
      session?.id === entry.id &&
      state.workspaceStatus.state === 'ready' &&
      // "Work offline" stops relays too: nothing leaves the device until the person goes online.
      !state.syncPaused;
    if (!wanted) {
      if (running) stop();
      return;
    }
    // A new key after a removal (docs/PROTOCOL.md §8.7) means another mailbox: start again.
    if (
      running &&
      running.workspaceId === entry.id &&
      running.doc === session.doc &&
      running.key === entry.secretKey
    ) {
      running.sync.setRelays(urls);
      return;
    }
    if (running) stop();
    if (starting) return;
    starting = true;
    // Body documents travel through each relay too, with a cursor per body (in IndexedDB).
    const docCursors = session.lazyDocs ? indexedDbDocCursors(entry.id) : null;
    const closeCursors = () => docCursors?.close();
    void startRelaySync({
      secretKey: key,
      doc: session.doc,
      ...(session.lazyDocs && docCursors ? { lazyDocs: session.lazyDocs, docCursors } : {}),
      relays: urls,
      cursors: localStorageCursors(entry.id),
      log: (message) => console.warn(`[relay] ${message}`),
    })
      .then((sync) => {
        if (get().session !== session) {
          sync.destroy();
          void sync.whenSaved().finally(closeCursors);
          return;
        }
        running = {
          sync,
          workspaceId: entry.id,
          doc: session.doc,
          key: entry.secretKey ?? '',
          closeCursors,
        };
        sync.onStatus(publish);
        set({ relayStatus: sync.status() });
      })
      .catch((error: unknown) => {
        closeCursors();
        get().notify('error', `Relays could not start: ${String(error)}`);
      })
      .finally(() => {
        starting = false;
        queueMicrotask(reconcile);
      });
  };

  api.subscribe((state, previous) => {
    if (
      state.session !== previous.session ||
      state.workspaceStatus !== previous.workspaceStatus ||
      state.workspaces !== previous.workspaces ||
      state.activeWorkspaceId !== previous.activeWorkspaceId ||
      state.syncPaused !== previous.syncPaused
    )
      reconcile();
    if (state.workspaces !== previous.workspaces) {
      // A team workspace left (or kept as a local copy) takes its relay cursors with it.
      for (const before of previous.workspaces) {
        const now = state.workspaces.find((workspace) => workspace.id === before.id);
        if (before.relays.length > 0 && (!now || now.kind !== 'team')) {
          forgetRelayCursors(before.id);
          void forgetAllRelayDocCursors(before.id).catch(() => undefined);
        }
      }
    }
  });

  const changeRelays = async (update: (relays: readonly string[]) => string[]) => {
    const entry = activeEntry(get());
    if (!entry || entry.kind !== 'team') return false;
    await get().setWorkspaces((current) =>
      current.map((workspace) =>
        workspace.id === entry.id ? { ...workspace, relays: update(workspace.relays) } : workspace,
      ),
    );
    return true;
  };

  return {
    relayStatus: [],

    async addRelay(text) {
      const entry = activeEntry(get());
      if (!entry || entry.kind !== 'team')
        return fail('not-team', 'Relays carry a team workspace; open one to add a relay.');
      const checked = checkRelayUrl(text);
      if (!checked.ok) return checked;
      if (entry.relays.includes(checked.value))
        return fail('duplicate', 'This relay is already in the list.');
      if (entry.relays.length >= MAX_RELAYS)
        return fail('too-many', `A team lists at most ${MAX_RELAYS} relays.`);
      await changeRelays((relays) => [...relays, checked.value]);
      return ok(checked.value);
    },

    async removeRelay(url) {
      const entry = activeEntry(get());
      if (!entry || !(await changeRelays((relays) => relays.filter((item) => item !== url))))
        return fail('not-team', 'No team workspace is open.');
      forgetRelayCursors(entry.id, url);
      await forgetRelayDocCursors(entry.id, url).catch(() => undefined);
      return ok(null);
    },
  };
};
