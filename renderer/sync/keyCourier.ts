/**
 * Hands removals to teammates still on an old workspace key (docs/PROTOCOL.md §8.7). After a
 * device moves to a new key, a teammate who was offline during the removal comes back on the old
 * key, in the old key's rooms, where no one who moved would otherwise be. So a device that moved
 * keeps one more provider in those rooms for a while, over a separate document that holds only
 * the `keyRotations` entries (the statements, with every device's sealed copy of the new key, and
 * the acknowledgements): a returning teammate receives them into its workspace, opens its copy and
 * moves. The courier's document is never merged into the workspace, so what peers on the old key
 * send it — the removed device's changes among them — goes nowhere, and the workspace's changes
 * made since the removal are never in the old rooms.
 */
import { Awareness } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { KEY_ROTATIONS_ROOT } from '../../shared/model/rotations';
import { deriveSignalingPassword } from '../../shared/protocol/keys';
import { nextRoomChangeAt, roomNamesAt } from '../../shared/protocol/roomEpoch';
import type { IceServer, PeerSync } from './peer/peerSync';

export interface KeyCourier {
  /** Copies statements and acknowledgements the courier does not hold yet. */
  carry(entries: Iterable<readonly [string, unknown]>): void;
  setSignaling(urls: readonly string[]): void;
  destroy(): void;
}

export async function startKeyCourier(options: {
  readonly formerKey: Uint8Array;
  readonly signaling: readonly string[];
  readonly iceServers: readonly IceServer[];
  readonly relayOnly: boolean;
}): Promise<KeyCourier> {
  const { formerKey } = options;
  const [[roomName], password, { PeerSync: Provider }] = await Promise.all([
    roomNamesAt(formerKey, Date.now()),
    deriveSignalingPassword(formerKey),
    import('./peer/peerSync'),
  ]);
  const doc = new Y.Doc();
  const awareness = new Awareness(doc);
  // No presence: the courier is not a person, and the People card and presence list skip it.
  awareness.setLocalState(null);
  const provider: PeerSync = new Provider({
    doc,
    awareness,
    roomName: roomName ?? '',
    rooms: { roomsAt: (ms) => roomNamesAt(formerKey, ms), nextChangeAt: nextRoomChangeAt },
    password,
    signaling: options.signaling,
    iceServers: options.iceServers,
    relayOnly: options.relayOnly,
    log: (message) => console.warn(`[courier] ${message}`),
  });
  const carried = doc.getMap<unknown>(KEY_ROTATIONS_ROOT);
  return {
    carry(entries) {
      doc.transact(() => {
        for (const [key, value] of entries) if (!carried.has(key)) carried.set(key, value);
      });
    },
    setSignaling: (urls) => provider.setSignaling(urls),
    destroy() {
      provider.destroy();
      awareness.destroy();
      doc.destroy();
    },
  };
}
