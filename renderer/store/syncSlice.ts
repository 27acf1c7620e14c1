/**
 * Sync in the store: the network (this device's LAN server, servers found by mDNS), the person's
 * sync settings, team workspaces (create, join, invite, leave), and the live status of the open
 * team workspace's provider — peers, presence, what is not yet shared — as plain values.
 */
import {
  checkInviteTerms,
  INVITE_USED_TEXT,
  inviteExpiredText,
} from '../../shared/protocol/inviteTerms';
import { deleteVersionStore } from '../sync/history/versionStore';
import { deleteNotesIndex } from '../sync/storage/notesIndexStore';
import { deleteLazyDocsDb } from '../sync/storage/lazyDocDb';
import { deleteDatabase } from '../sync/storage/idb';
import { deleteLegacyDb } from '../sync/storage/bodiesMigration';
import type { StateCreator } from 'zustand';
import type * as Y from 'yjs';
import {
  INVITE_USES_ROOT,
  WorkspaceName,
  inviteRefusal,
  recordInviteUse,
  signInviteUse,
  renameWorkspace as renameInDoc,
} from '../../shared/model';
import { fail, ok } from '../../shared/result';
import { getOutpostApi } from '../platform/outpostApi';
import { WORKSPACE_DB_PREFIX } from '../sync/localState';
import type { PeerSync } from '../sync/peer/peerSync';
import {
  deviceLabel,
  entryFromInvite,
  forgetShared,
  iceServersFor,
  internetSignalingUrls,
  inviteFor,
  inviteUseTerms,
  newTeamEntry,
  readInvite,
  relayOnlyFor,
  signalingUrls,
  startTeamSync,
  withInviteReach,
} from '../sync/teamSync';
import { applyTurnPatch, checkTurnPatch } from '../sync/teamTurn';
import { rejoinedEntry } from '../sync/rejoin';
import { reviewPeersOnChange } from '../sync/teamPeerAuth';
import { selectWorkspaceName } from './selectors';
import { AWARENESS_LIMITS, readBounded } from '../../shared/model/bounded';
import { writeAs } from './writeGateway';
import { deriveIndicator } from '../sync/syncIndicator';
import type { AppState, PeerView, PresenceEntry, SyncIndicator, SyncSlice } from './types';

export type { PeerView, PresenceEntry, SyncIndicator, SyncSlice, TeamSyncView } from './types';

/** The indicator's state, derived from the store (also used by the sidebar). */
export function syncIndicator(state: AppState): SyncIndicator {
  const entry = state.workspaces.find((workspace) => workspace.id === state.activeWorkspaceId);
  const team = state.teamSync;
  return deriveIndicator({
    workspaceKind: entry?.kind ?? null,
    team: team && entry && team.workspaceId === entry.id ? team : null,
    paused: state.syncPaused,
    relays: state.relayStatus,
    internetServers: internetSignalingUrls(state.syncSettings, entry ?? null),
  });
}

export const createSyncSlice: StateCreator<AppState, [], [], SyncSlice> = (set, get, api) => {
  // The provider of the open team workspace and what hangs on it: per store, so a new store (a
  // test, a reload) starts with none.
  let provider: PeerSync | null = null;
  let providerFor: { id: string; doc: unknown; ice: string } | null = null;
  let starting: Promise<void> | null = null;
  let detachStatus: (() => void) | null = null;
  let detachAwareness: (() => void) | null = null;
  let detachReview: (() => void) | null = null;
  let pollTimer: ReturnType<typeof setInterval> | null = null;
  let wantOnline = true;
  const activeSession = () => get().session;

  const readPresence = (): PresenceEntry[] => {
    const session = activeSession();
    if (!session) return [];
    const own = session.awareness.clientID;
    const out: PresenceEntry[] = [];
    for (const [clientId, stored] of session.awareness.getStates()) {
      // A peer's state: bounded before it is read (docs/PROTOCOL.md §3); beyond a limit, ignored.
      const bounded = readBounded(stored, AWARENESS_LIMITS);
      if (!bounded.ok || typeof bounded.value !== 'object' || bounded.value === null) continue;
      const state = bounded.value as {
        user?: { id?: unknown; name?: unknown; color?: unknown };
        device?: unknown;
        location?: { section?: unknown; recordId?: unknown };
      };
      if (!state.user || typeof state.user.name !== 'string') continue;
      out.push({
        clientId,
        memberId: typeof state.user.id === 'string' ? state.user.id : null,
        name: state.user.name.slice(0, 60),
        color:
          typeof state.user.color === 'string' && /^#[0-9a-f]{6}$/i.test(state.user.color)
            ? state.user.color
            : '#64748b',
        device: typeof state.device === 'string' ? state.device.slice(0, 60) : null,
        location:
          state.location && typeof state.location.section === 'string'
            ? {
                section: state.location.section,
                recordId:
                  typeof state.location.recordId === 'string' ? state.location.recordId : null,
              }
            : null,
        self: clientId === own,
      });
    }
    return out;
  };

  const publishStatus = () => {
    const current = provider;
    if (!current || !providerFor) {
      set({ teamSync: null, presence: readPresence() });
      return;
    }
    const status = current.status();
    const presence = readPresence();
    const byClient = new Map(presence.map((entry) => [entry.clientId, entry]));
    set({
      presence,
      teamSync: {
        workspaceId: providerFor.id,
        online: status.online,
        signaling: status.signaling,
        peers: status.peers.map(
          ({ clients, kind: _kind, pendingUpdates: _pending, ...peer }): PeerView => ({
            ...peer,
            people: clients.flatMap((client) => byClient.get(client) ?? []),
          }),
        ),
        unshared: current.unshared(),
        refused: status.refused,
      },
    });
  };

  const stopProvider = () => {
    detachStatus?.();
    detachAwareness?.();
    detachReview?.();
    detachStatus = detachAwareness = detachReview = null;
    if (pollTimer) clearInterval(pollTimer);
    pollTimer = null;
    provider?.destroy();
    provider = null;
    providerFor = null;
    set({ teamSync: null, presence: [] });
  };

  /** Starts, keeps or stops the provider so it matches the open workspace. */
  const reconcile = () => {
    const state = get();
    const session = activeSession();
    const entry = state.workspaces.find((workspace) => workspace.id === state.activeWorkspaceId);
    const wanted =
      entry?.kind === 'team' &&
      session?.id === entry.id &&
      state.workspaceStatus.state === 'ready' &&
      state.syncNetwork !== null &&
      state.syncSettings !== null;
    if (!wanted) {
      if (provider && (providerFor?.id !== entry?.id || providerFor?.doc !== session?.doc))
        stopProvider();
      return;
    }
    // The connections' ICE setup, the workspace key and the device key, as one comparable
    // value: a change restarts the provider (a new key after a removal means new rooms and
    // password, §8.7; a device key read after sync started means peers can be asked for proofs).
    const iceServers = iceServersFor(entry, state.syncSettings);
    const relayOnly = relayOnlyFor(entry);
    const ice = JSON.stringify({
      iceServers,
      relayOnly,
      key: entry.secretKey,
      device: state.device?.key ?? null,
    });
    if (provider && providerFor?.doc === session.doc && providerFor.ice === ice) {
      provider.setSignaling(signalingUrls(state.syncNetwork, state.syncSettings, entry));
      return;
    }
    if (starting) return;
    if (provider) stopProvider();
    session.awareness.setLocalStateField('device', deviceLabel(state.appInfo?.shell));
    starting = startTeamSync({
      entry,
      doc: session.doc,
      lazyDocs: session.lazyDocs,
      awareness: session.awareness,
      signaling: signalingUrls(state.syncNetwork, state.syncSettings, entry),
      iceServers,
      relayOnly,
      signer: state.device,
    })
      .then((started) => {
        if (activeSession() !== session) {
          started.destroy();
          return;
        }
        provider = started;
        providerFor = { id: entry.id, doc: session.doc, ice };
        if (!wantOnline) started.disconnect();
        detachStatus = started.onStatus(publishStatus);
        detachReview = reviewPeersOnChange(session.doc, started);
        const onAwareness = () => publishStatus();
        session.awareness.on('change', onAwareness);
        detachAwareness = () => session.awareness.off('change', onAwareness);
        pollTimer = setInterval(publishStatus, 2000);
        publishStatus();
      })
      .catch((error: unknown) => {
        get().notify('error', `Sync could not start: ${String(error)}`);
      })
      .finally(() => {
        starting = null;
        // The open workspace may have changed while the keys were being derived.
        queueMicrotask(reconcile);
      });
  };

  /**
   * For a workspace joined with a code that expires or is for one person: records this device's
   * signed use in the workspace (until it is there), and if the uses say the code did not let this
   * device in — another device used it first, or it had expired — the workspace leaves this
   * device, saying why. Teammates refuse it by the same rule (docs/PROTOCOL.md §1.9), and a
   * teammate refusing it sends the use that came first, which arrives here through the document.
   */
  let refusing = false;
  const checkInviteUse = () => {
    const state = get();
    const session = activeSession();
    const entry = state.workspaces.find((w) => w.id === state.activeWorkspaceId);
    const joined = entry ? inviteUseTerms(entry) : null;
    const signer = state.device;
    if (!entry || !joined || !signer || !session || session.id !== entry.id || refusing) return;
    const own = signInviteUse(signer, entry.id, joined);
    if (!session.doc.getMap(INVITE_USES_ROOT).has(`${own.invite}.${own.device}`))
      writeAs(state, (doc) => ok(recordInviteUse(doc, own)));
    const refused = inviteRefusal(session.doc, entry.id, signer.key);
    if (!refused) return;
    refusing = true;
    const why = refused.reason === 'used' ? INVITE_USED_TEXT : inviteExpiredText(refused.expiresAt);
    void get()
      .leaveWorkspace(entry.id, true)
      .then((left) => {
        refusing = false;
        get().notify(
          'error',
          left.ok
            ? `${why} “${entry.name}” was removed from this device.`
            : `${why} “${entry.name}” could not be removed from this device: ${left.error.message}`,
        );
      });
  };

  /** Checks the invite uses of the open workspace whenever they change (see checkInviteUse). */
  let inviteWatch: { readonly doc: Y.Doc; readonly stop: () => void } | null = null;
  const watchInviteUse = () => {
    const state = get();
    const session = activeSession();
    const entry = state.workspaces.find((w) => w.id === state.activeWorkspaceId);
    const doc = entry?.joinedWith && session?.id === entry.id ? session.doc : null;
    if (inviteWatch?.doc !== doc) {
      inviteWatch?.stop();
      inviteWatch = null;
      if (doc) {
        const uses = doc.getMap(INVITE_USES_ROOT);
        const onChange = () => checkInviteUse();
        uses.observe(onChange);
        inviteWatch = { doc, stop: () => uses.unobserve(onChange) };
      }
    }
    checkInviteUse();
  };

  /** Shares where the person is (section and open record) with peers. */
  const shareLocation = () => {
    const session = activeSession();
    if (!session) return;
    const state = get();
    const kind =
      state.section === 'notes'
        ? 'note'
        : state.section === 'goals'
          ? 'goal'
          : state.section === 'decisions'
            ? 'decision'
            : null;
    const location = {
      section: state.section,
      recordId: kind ? (state.selected[kind] ?? null) : null,
    };
    const previous = session.awareness.getLocalState()?.location as typeof location | undefined;
    if (previous?.section !== location.section || previous?.recordId !== location.recordId)
      session.awareness.setLocalStateField('location', location);
  };

  return {
    syncNetwork: null,
    syncSettings: null,
    teamSync: null,
    syncPaused: false,
    presence: [],

    async startSync() {
      const outpost = getOutpostApi();
      const [network, settings] = await Promise.all([
        outpost.invoke('sync:getNetwork', undefined),
        outpost.invoke('sync:getSettings', undefined),
      ]);
      if (network.ok) set({ syncNetwork: network.value });
      else get().notify('warning', `Sync could not read the network: ${network.error.message}`);
      if (settings.ok) set({ syncSettings: settings.value });
      else get().notify('warning', `Sync settings could not be loaded: ${settings.error.message}`);
      outpost.on('sync:networkChanged', (next) => set({ syncNetwork: next }));
      outpost.on('sync:settingsChanged', (next) => set({ syncSettings: next }));
      api.subscribe((state, previous) => {
        if (
          state.activeWorkspaceId !== previous.activeWorkspaceId ||
          state.workspaceStatus !== previous.workspaceStatus ||
          state.syncNetwork !== previous.syncNetwork ||
          state.syncSettings !== previous.syncSettings ||
          state.workspaces !== previous.workspaces ||
          state.device !== previous.device
        ) {
          reconcile();
          watchInviteUse();
        }
        if (state.section !== previous.section || state.selected !== previous.selected)
          shareLocation();
        // The workspace's shared name arrives from peers: keep the local list in step.
        const entry = state.workspaces.find((w) => w.id === state.activeWorkspaceId);
        const docName = state.snapshot?.name;
        if (entry && docName && docName !== entry.name && state.snapshot !== previous.snapshot) {
          void get().setWorkspaces((current) =>
            current.map((w) => (w.id === entry.id ? { ...w, name: docName } : w)),
          );
        }
      });
      reconcile();
      shareLocation();
    },

    async createTeamWorkspace(name) {
      const parsed = WorkspaceName.safeParse(name);
      if (!parsed.success)
        return fail('invalid-input', parsed.error.issues[0]?.message ?? 'Invalid name.');
      const entry = newTeamEntry(parsed.data);
      await get().setWorkspaces((current) => [...current, entry]);
      await get().openWorkspace(entry.id);
      if (activeSession()?.id === entry.id) writeAs(get(), (doc) => renameInDoc(doc, entry.name));
      return ok(entry);
    },

    async joinTeamWorkspace(code) {
      const invite = readInvite(code);
      if (!invite.ok) return invite;
      // An expired code is refused before anything is stored or opened.
      const usable = checkInviteTerms(invite.value.terms, Date.now());
      if (!usable.ok) return usable;
      const existing = get().workspaces.find((w) => w.id === invite.value.workspaceId);
      if (existing) {
        // A newer code of the same team may carry relays or a TURN server added since.
        const updated = existing.kind === 'team' ? withInviteReach(existing, invite.value) : null;
        if (updated)
          await get().setWorkspaces((current) =>
            current.map((w) => (w.id === existing.id ? updated : w)),
          );
        await get().openWorkspace(existing.id);
        // This device was removed from it: it comes back with the code's key (rejoin.ts).
        const session = activeSession();
        const device = get().device;
        const open = get().workspaces.find((w) => w.id === existing.id);
        const back =
          open && device && session?.id === existing.id
            ? rejoinedEntry(open, invite.value, session.doc, device.key)
            : null;
        if (back) {
          await get().setWorkspaces((current) =>
            current.map((w) => (w.id === back.id ? { ...w, secretKey: back.secretKey } : w)),
          );
          get().notify(
            'info',
            `“${back.name}” now uses the workspace key from this code. Teammates let this device in once one of them has let you back in.`,
          );
          return ok(back);
        }
        return fail(
          'already-joined',
          `You are already in “${existing.name}” on this device; it is open now.${updated ? ' The relays and TURN server this code carries were added to it.' : ''}`,
        );
      }
      const entry = entryFromInvite(invite.value);
      await get().setWorkspaces((current) => [...current, entry]);
      await get().openWorkspace(entry.id);
      return ok(entry);
    },

    inviteCode(terms) {
      const state = get();
      const entry = state.workspaces.find((w) => w.id === state.activeWorkspaceId);
      if (!entry) return fail('closed', 'No workspace is open.');
      return inviteFor(entry, selectWorkspaceName(state) ?? entry.name, terms ?? null);
    },

    async leaveWorkspace(id, removeData) {
      const state = get();
      const entry = state.workspaces.find((w) => w.id === id);
      if (!entry) return fail('not-found', 'This workspace is not on this device.');
      if (entry.kind === 'personal')
        return fail('personal', 'Your personal workspace cannot be left.');
      if (!removeData) {
        // Keep the copy as a local workspace: readable and editable here, no longer synced, and
        // the secret key is forgotten so this device stops being able to rejoin by itself.
        await get().setWorkspaces((current) =>
          current.map((w) =>
            w.id === id
              ? {
                  id: w.id,
                  name: w.name,
                  kind: 'local' as const,
                  createdAt: w.createdAt,
                  relays: [],
                  turn: null,
                }
              : w,
          ),
        );
        forgetShared(id);
        return ok(null);
      }
      const remaining = state.workspaces.filter((w) => w.id !== id);
      if (state.activeWorkspaceId === id) {
        const next = remaining.find((w) => w.kind === 'personal') ?? remaining[0];
        if (next) await get().openWorkspace(next.id);
      }
      await get().setWorkspaces((current) => current.filter((w) => w.id !== id));
      {
        forgetShared(id);
        const deleted = await deleteDatabase(WORKSPACE_DB_PREFIX + id);
        // Its version history goes with it (a device keeps versions only of its workspaces).
        await deleteVersionStore(id);
        await deleteNotesIndex(id);
        await deleteLazyDocsDb(id);
        await deleteLegacyDb(id);
        if (!deleted)
          get().notify(
            'warning',
            `“${entry.name}” was removed from the list, but its stored data could not be deleted because it is still in use (another Outpost window?). It stays on this device.`,
          );
      }
      return ok(null);
    },

    setSyncOnline(online) {
      wantOnline = online;
      set({ syncPaused: !online });
      if (!provider) return;
      if (online) provider.connect();
      else provider.disconnect();
      publishStatus();
    },

    async updateSyncSettings(patch) {
      const result = await getOutpostApi().invoke('sync:updateSettings', patch);
      if (result.ok) set({ syncSettings: result.value });
      return result;
    },

    async updateTeamTurn(id, patch) {
      const checked = checkTurnPatch(patch);
      if (!checked.ok) return checked;
      const entry = get().workspaces.find((w) => w.id === id);
      if (entry?.kind !== 'team')
        return fail('not-team', 'Only team workspaces have TURN settings.');
      // Merged into the list as it is when written (setWorkspaces runs one change at a time), so
      // a field saved while another one's write is pending does not undo it. The list change
      // restarts the provider with the new servers once they are usable (reconcile).
      await get().setWorkspaces((current) =>
        current.map((w) =>
          w.id === id ? { ...w, turn: applyTurnPatch(w.turn, checked.value) } : w,
        ),
      );
      return ok(get().workspaces.find((w) => w.id === id)?.turn ?? null);
    },
  };
};
