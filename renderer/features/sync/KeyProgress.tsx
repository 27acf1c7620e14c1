/**
 * The workspace key after removals (docs/PROTOCOL.md §8.7), as the People card shows it: how many
 * of the remaining devices have moved to the current key, the removals that were refused, and —
 * on a device that was removed — a plain statement of that.
 */
import type { Trust } from '../../../shared/model';
import type { KeyState, Readmission, Rotation } from '../../../shared/model/rotations';
import { countOf } from '../../../shared/core/text';
import { useAppStore } from '../../store';

const shortDay = (at: number) =>
  new Date(at).toLocaleDateString(undefined, { month: 'short', day: 'numeric' });

/** "Removed by Ana, Dec 3". */
export function removedLabel(rotation: Rotation, names: ReadonlyMap<string, string>): string {
  return `Removed by ${names.get(rotation.by) ?? 'a former member'}, ${shortDay(rotation.at)}`;
}

/** "Let back in by Ana, Dec 4". */
export function letBackInLabel(entry: Readmission, names: ReadonlyMap<string, string>): string {
  return `Let back in by ${names.get(entry.by) ?? 'a former member'}, ${shortDay(entry.at)}`;
}

export function KeyProgress({ keys }: { readonly keys: KeyState }) {
  const moving = useAppStore((state) => state.keyMove);
  const current = keys.current;
  if (!current) return null;
  const recipients = Object.keys(current.envelopes);
  const moved = recipients.filter((device) => keys.moved.has(device)).length;
  return (
    <div className="key-progress" role="status">
      <p>
        Workspace key {current.epoch}: {moved} of {countOf(recipients.length, 'device')} moved to
        the new key.
        {moved < recipients.length &&
          ' The others move when they next come online while a teammate who moved is online.'}
      </p>
      {moving === 'moving' && <p>This device is moving to the new key…</p>}
      {moving === 'waiting' && (
        <p>
          A newer key exists but was not sealed to this device (it was not a confirmed device then).
          Ask a teammate for a new invite code and paste it under “Join with an invite code”.
        </p>
      )}
      {keys.refused.length > 0 && (
        <p className="muted">
          {countOf(keys.refused.length, 'removal or readmission statement')} not counted:{' '}
          {[...new Set(keys.refused.map((entry) => entry.reason))].join('; ')}.
        </p>
      )}
    </div>
  );
}

/** What a removed device says about itself. */
export function RemovedNote(props: {
  readonly keys: KeyState;
  readonly trust: Trust;
  readonly device: string;
  readonly names: ReadonlyMap<string, string>;
}) {
  const { keys, trust, device, names } = props;
  const owner = [...trust.members].find(([, entry]) =>
    entry.devices.some((listed) => listed.key === device),
  )?.[0];
  const rotation =
    keys.revokedDevices.get(device) ?? (owner ? keys.removedMembers.get(owner) : undefined);
  if (!rotation) return null;
  return (
    <p className="device-warning removed-note" role="alert">
      {keys.revokedDevices.has(device) ? 'This device was' : 'You were'} removed from this team (
      {removedLabel(rotation, names).replace('Removed by', 'by')}). This device keeps what it
      already had, but nothing new reaches it, and what you write here stays on this device until
      you come back: a teammate lets you back in (People card) and gives you a new invite code,
      which you paste under “Join with an invite code”.
    </p>
  );
}
