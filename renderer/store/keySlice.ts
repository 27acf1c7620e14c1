/**
 * Removing members and lost devices, and moving this device to a new workspace key (docs/PROTOCOL.md
 * §8.7, docs/ARCHITECTURE.md "Trust"). The removal itself is one signed model write; everything
 * after it is the same on every device, the remover's included: when the document names a newer
 * key sealed to this device, the device waits until the peers it is connected to hold the removal
 * (so it reaches those still in the old room), at most {@link MOVE_WAIT_MS}, then stores the new key
 * in its (sealed) workspace entry — which restarts sync and relays on the new key's rooms and
 * mailbox — and records, signed, that it moved. It then keeps a courier in the old key's rooms
 * (keyCourier.ts) until every remaining device has moved, for teammates who were offline.
 */
import type { StateCreator } from 'zustand';
import { readTrust } from '../../shared/model';
import {
  KEY_ROTATIONS_ROOT,
  letBackIn,
  recordMoved,
  removeAndRotate,
  type RemovalInput,
} from '../../shared/model/rotations';
import { secretKeyFromText, secretKeyToText } from '../../shared/protocol/keys';
import { fail, ok } from '../../shared/result';
import { nextKeyAction } from '../sync/keyMove';
import { startKeyCourier, type KeyCourier } from '../sync/keyCourier';
import { iceServersFor, relayOnlyFor, signalingUrls } from '../sync/teamSync';
import { writeAs } from './writeGateway';
import type { AppState, KeySlice } from './types';

/** Longest wait for connected peers to receive a removal before this device moves on. */
export const MOVE_WAIT_MS = 10_000;

export const createKeySlice: StateCreator<AppState, [], [], KeySlice> = (set, get, api) => {
  let busy = false;
  const told = new Set<string>();

  /**
   * Resolves once every connected peer holds what this device holds, or after the wait. Only a
   * status published after the wait began counts: one from before the removal was written would
   * say "in sync" about a document that did not yet hold it.
   */
  const peersCaughtUp = () =>
    new Promise<void>((resolve) => {
      const done = () => {
        stop();
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(done, MOVE_WAIT_MS);
      const stop = api.subscribe((state, previous) => {
        if (state.teamSync === previous.teamSync) return;
        const peers = state.teamSync?.peers ?? [];
        if (peers.every((peer) => peer.state === 'synced' && peer.theyLack === 0)) done();
      });
    });

  const step = async () => {
    const state = get();
    const entry = state.workspaces.find((w) => w.id === state.activeWorkspaceId);
    const key = entry?.secretKey ? secretKeyFromText(entry.secretKey) : undefined;
    const { snapshot, device, session } = state;
    if (busy || !entry || entry.kind !== 'team' || !key || !snapshot || !device) return;
    if (session?.id !== entry.id || state.workspaceStatus.state !== 'ready') return;
    const action = nextKeyAction({
      workspace: entry.id,
      keys: snapshot.keys,
      trust: snapshot.trust,
      device,
      secretKey: key,
    });
    set({
      keyMove: action.kind === 'waiting' ? 'waiting' : action.kind === 'move' ? 'moving' : 'idle',
    });
    if (action.kind === 'removed') {
      if (told.has(entry.id)) return;
      told.add(entry.id);
      const by =
        snapshot.members.items.find((m) => m.id === action.rotation.by)?.name ?? 'a teammate';
      const who = action.lost ? 'This device was' : 'You were';
      get().notify(
        'warning',
        `${who} removed from “${entry.name}” by ${by}. This device keeps what it had, but nothing new reaches it and nothing written here reaches the team.`,
      );
      return;
    }
    if (action.kind === 'acknowledge') {
      writeAs(get(), (doc, ctx) => recordMoved(doc, ctx, action.keyId));
      return;
    }
    if (action.kind === 'rotate') {
      writeAs(get(), (doc, ctx) => removeAndRotate(doc, ctx, readTrust(doc, entry.id), {}));
      return;
    }
    if (action.kind !== 'move') return;
    busy = true;
    try {
      await peersCaughtUp();
      await get().setWorkspaces((current) =>
        current.map((w) =>
          w.id === entry.id
            ? {
                ...w,
                secretKey: secretKeyToText(action.key),
                // The key held until now: its rooms are where teammates who were offline return.
                formerKeys: [...(w.secretKey ? [w.secretKey] : []), ...(w.formerKeys ?? [])].slice(
                  0,
                  4,
                ),
              }
            : w,
        ),
      );
      writeAs(get(), (doc, ctx) => recordMoved(doc, ctx, action.rotation.keyId));
      set({ keyMove: 'idle' });
    } finally {
      busy = false;
      queueMicrotask(() => void step());
    }
  };

  let courier: {
    readonly key: string;
    readonly doc: unknown;
    instance: KeyCourier | null;
    stopped: boolean;
  } | null = null;
  const stopCourier = () => {
    if (!courier) return;
    courier.stopped = true;
    courier.instance?.destroy();
    courier = null;
  };

  /** Runs a courier on the latest former key while some remaining device has not moved. */
  const reconcileCourier = () => {
    const state = get();
    const entry = state.workspaces.find((w) => w.id === state.activeWorkspaceId);
    const former = entry?.formerKeys?.[0];
    const formerKey = former ? secretKeyFromText(former) : undefined;
    const { session, snapshot } = state;
    const current = snapshot?.keys.current;
    const waitingFor = current
      ? Object.keys(current.envelopes).filter((device) => !snapshot.keys.moved.has(device))
      : [];
    const wanted =
      entry?.kind === 'team' &&
      formerKey !== undefined &&
      session?.id === entry.id &&
      state.workspaceStatus.state === 'ready' &&
      !state.syncPaused &&
      state.syncNetwork !== null &&
      waitingFor.length > 0;
    if (!wanted) return stopCourier();
    const signaling = signalingUrls(state.syncNetwork, state.syncSettings, entry);
    const entries = () => [...session.doc.getMap<unknown>(KEY_ROTATIONS_ROOT).entries()];
    if (courier && courier.key === former && courier.doc === session.doc) {
      courier.instance?.carry(entries());
      courier.instance?.setSignaling(signaling);
      return;
    }
    stopCourier();
    const running: NonNullable<typeof courier> = {
      key: former!,
      doc: session.doc,
      instance: null,
      stopped: false,
    };
    courier = running;
    void startKeyCourier({
      formerKey,
      signaling,
      iceServers: iceServersFor(entry, state.syncSettings),
      relayOnly: relayOnlyFor(entry),
    })
      .then((started) => {
        if (running.stopped) return started.destroy();
        running.instance = started;
        started.carry(entries());
      })
      .catch((error: unknown) => console.warn(`[courier] could not start: ${String(error)}`));
  };

  api.subscribe((state, previous) => {
    if (
      state.snapshot !== previous.snapshot ||
      state.workspaces !== previous.workspaces ||
      state.activeWorkspaceId !== previous.activeWorkspaceId ||
      state.workspaceStatus !== previous.workspaceStatus ||
      state.syncPaused !== previous.syncPaused ||
      state.syncNetwork !== previous.syncNetwork ||
      state.syncSettings !== previous.syncSettings
    )
      reconcileCourier();
    if (
      state.snapshot !== previous.snapshot ||
      state.workspaces !== previous.workspaces ||
      state.device !== previous.device ||
      state.workspaceStatus !== previous.workspaceStatus
    )
      void step();
  });

  const remove = (input: RemovalInput) => {
    const entry = get().workspaces.find((w) => w.id === get().activeWorkspaceId);
    if (entry?.kind !== 'team')
      return fail('not-team', 'Only a team workspace has members to remove.');
    const result = writeAs(get(), (doc, ctx) =>
      removeAndRotate(doc, ctx, readTrust(doc, entry.id), input),
    );
    return result.ok ? ok(result.value.rotation.epoch) : result;
  };

  return {
    keyMove: 'idle',
    removeMember: (memberId) => remove({ members: [memberId] }),
    removeDevice: (deviceKey) => remove({ devices: [deviceKey] }),
    letBackIn(memberId) {
      const entry = get().workspaces.find((w) => w.id === get().activeWorkspaceId);
      if (entry?.kind !== 'team')
        return fail('not-team', 'Only a team workspace has members to let back in.');
      const result = writeAs(get(), (doc, ctx) =>
        letBackIn(doc, ctx, readTrust(doc, entry.id), { member: memberId }),
      );
      return result.ok ? ok(null) : result;
    },
  };
};
