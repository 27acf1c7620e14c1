/**
 * What this device does about the workspace key after a removal (docs/PROTOCOL.md §8.7), as a pure
 * decision over the document's removals: move to a new key sealed to it, acknowledge a key it
 * already holds, rotate again when a concurrent removal leaked the current key, say that it was
 * removed, or wait for a key that was not sealed to it. The store acts on the answer (keySlice.ts).
 */
import { isRevoked, type KeyState, type Rotation } from '../../shared/model/rotations';
import type { Trust } from '../../shared/model';
import type { DeviceSigner } from '../../shared/protocol/identity';
import { keyIdOf, openKeyEnvelope } from '../../shared/protocol/keyEnvelope';

export type KeyAction =
  | { readonly kind: 'none' }
  /** This device (or its member) was removed by `rotation`. */
  | { readonly kind: 'removed'; readonly rotation: Rotation; readonly lost: boolean }
  /** A newer key was sealed to this device: switch to it. */
  | { readonly kind: 'move'; readonly key: Uint8Array; readonly rotation: Rotation }
  /** This device holds the current key and has not said so yet. */
  | { readonly kind: 'acknowledge'; readonly keyId: string }
  /** The current key reached a revoked device: make a new one. */
  | { readonly kind: 'rotate' }
  /** A newer key exists, but none was sealed to this device (it was not listed then). */
  | { readonly kind: 'waiting'; readonly rotation: Rotation };

export function nextKeyAction(input: {
  readonly workspace: string;
  readonly keys: KeyState;
  readonly trust: Trust;
  readonly device: DeviceSigner;
  readonly secretKey: Uint8Array;
}): KeyAction {
  const { keys, trust, device } = input;
  if (isRevoked(keys, trust, device.key)) {
    const byDevice = keys.revokedDevices.get(device.key);
    const byMember = [...keys.removedMembers.entries()].find(([member]) =>
      trust.members.get(member)?.devices.some((listed) => listed.key === device.key),
    )?.[1];
    const rotation = byDevice ?? byMember;
    if (rotation) return { kind: 'removed', rotation, lost: byDevice !== undefined };
  }
  const current = keys.current;
  if (!current) return { kind: 'none' };
  if (keyIdOf(input.secretKey) === current.keyId) {
    if (keys.needsRotation) return { kind: 'rotate' };
    if (current.envelopes[device.key] !== undefined && !keys.moved.has(device.key))
      return { kind: 'acknowledge', keyId: current.keyId };
    return { kind: 'none' };
  }
  const envelope = current.envelopes[device.key];
  const opened =
    envelope && device.agree
      ? openKeyEnvelope(envelope, device.agree, device.agreementKey, {
          workspace: input.workspace,
          epoch: current.epoch,
          device: device.key,
        })
      : undefined;
  // The key inside must be the one the statement names, or a faulty remover could split the team.
  if (opened && keyIdOf(opened) === current.keyId)
    return { kind: 'move', key: opened, rotation: current };
  return { kind: 'waiting', rotation: current };
}
