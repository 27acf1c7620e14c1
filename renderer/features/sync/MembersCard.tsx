/**
 * The people in this workspace and their device keys (docs/PROTOCOL.md §8.2): each listed device
 * by its fingerprint, which device added it, device statements that list nothing and why, and
 * whether each profile is signed by one of its person's devices. The person confirms another of
 * their own devices here, after comparing its fingerprint with the one that device shows, and
 * removes a member or a lost device (docs/PROTOCOL.md §8.7): the removed state and the move to
 * the new key show here on every device.
 */
import { useState } from 'react';
import { isRevoked, remainingDevices, type KeyState } from '../../../shared/model/rotations';
import { KeyProgress, letBackInLabel, RemovedNote, removedLabel } from './KeyProgress';
import { RemovalDialog, type RemovalTarget } from './RemovalDialog';
import { KeyRound } from 'lucide-react';
import { confirmDevice, verifyMember, type MemberDevices } from '../../../shared/model';
import { fingerprint } from '../../../shared/protocol/identity';
import { fail } from '../../../shared/result';
import { useAppStore, writeAsLocalPerson } from '../../store';
import { selectMembers, selectTrust } from '../../store/selectors';
import { timeAgo } from '../../components/time';
import { VerificationBadge } from '../../components/VerificationBadge';
import { FieldError } from '../../components/Field';

const EMPTY_KEYS: KeyState = {
  current: null,
  counted: [],
  refused: [],
  revokedDevices: new Map(),
  removedMembers: new Map(),
  readmitted: new Map(),
  moved: new Set(),
  needsRotation: false,
};

function confirm(memberId: string, deviceKey: string) {
  return writeAsLocalPerson((doc, ctx) =>
    ctx.signer && ctx.workspace !== undefined
      ? confirmDevice(doc, memberId, deviceKey, { signer: ctx.signer, workspace: ctx.workspace })
      : fail('no-key', 'This device has no signing key, so it cannot confirm another one.'),
  );
}

function DeviceList({
  devices,
  selfKey,
  mine,
  onConfirm,
  keys,
  names,
  canRemove,
  onRemove,
}: {
  readonly devices: MemberDevices | undefined;
  readonly selfKey: string | undefined;
  /** The local person's own entry, whose pending devices this device may confirm. */
  readonly mine: boolean;
  readonly onConfirm: (key: string) => void;
  readonly keys: KeyState;
  readonly names: ReadonlyMap<string, string>;
  /** This device may remove others' devices (it is listed and not removed itself). */
  readonly canRemove: boolean;
  readonly onRemove: (key: string) => void;
}) {
  if (!devices || (devices.devices.length === 0 && devices.unlisted.length === 0))
    return (
      <p className="device-note">
        No device keys yet: this person’s votes and check-ins cannot be checked until they open this
        workspace with a version of Outpost that signs.
      </p>
    );
  const iAmListed = devices.devices.some((device) => device.key === selfKey);
  return (
    <ul className="device-list" aria-label="Device keys">
      {devices.disputed && (
        <li className="device-warning">
          Two devices claim to be this person’s first device, so none of their signatures is
          trusted. One of them was written by someone else.
        </li>
      )}
      {devices.devices.map((device) => (
        <li key={device.key}>
          <KeyRound size={13} aria-hidden="true" />
          <code className="fingerprint">{fingerprint(device.key)}</code>
          {device.key === selfKey && (
            <span className="badge trust-verified as-written">This device</span>
          )}
          <span className="muted">
            {device.first
              ? `first device, listed ${timeAgo(device.addedAt)}`
              : `added ${timeAgo(device.addedAt)} by ${fingerprint(device.addedBy)}`}
          </span>
          {keys.revokedDevices.has(device.key) ? (
            <span className="badge removed-badge">
              {removedLabel(keys.revokedDevices.get(device.key)!, names)}
            </span>
          ) : (
            canRemove &&
            device.key !== selfKey &&
            !keys.removedMembers.has(devices.member) && (
              <button type="button" className="button" onClick={() => onRemove(device.key)}>
                Remove this device (lost)…
              </button>
            )
          )}
        </li>
      ))}
      {devices.unlisted.map((device) => (
        <li key={device.key} className="device-unlisted">
          <KeyRound size={13} aria-hidden="true" />
          <code className="fingerprint">{fingerprint(device.key)}</code>
          {device.key === selfKey && <span className="badge as-written">This device</span>}
          <span className="muted">not listed: {device.problem}</span>
          {mine && iAmListed && device.intact && !devices.disputed && (
            <button type="button" className="button" onClick={() => onConfirm(device.key)}>
              This is my device
            </button>
          )}
        </li>
      ))}
    </ul>
  );
}

export function MembersCard() {
  const members = useAppStore(selectMembers);
  const trust = useAppStore(selectTrust);
  const profile = useAppStore((state) => state.profile);
  const device = useAppStore((state) => state.device);
  const keys = useAppStore((state) => state.snapshot?.keys ?? null);
  const removeMember = useAppStore((state) => state.removeMember);
  const removeDevice = useAppStore((state) => state.removeDevice);
  const letBackIn = useAppStore((state) => state.letBackIn);
  const [error, setError] = useState<string | null>(null);
  const [removing, setRemoving] = useState<RemovalTarget | null>(null);
  const names = new Map(members.map((member) => [member.id, member.name]));
  const selfRemoved = keys !== null && device !== null && isRevoked(keys, trust, device.key);
  const selfListed =
    device !== null &&
    profile !== null &&
    (trust.members.get(profile.memberId)?.devices.some((d) => d.key === device.key) ?? false);
  // One let back in after a removal signs removals that do not count (rotations.ts, barredFrom).
  const selfReadmitted =
    keys !== null &&
    ((profile !== null && keys.readmitted.has(profile.memberId)) ||
      (device !== null && keys.readmitted.has(device.key)));
  const canRemove = keys !== null && selfListed && !selfRemoved && !selfReadmitted;
  const ask = (kind: RemovalTarget['kind'], id: string, label: string) => {
    if (!keys) return;
    const input = kind === 'member' ? { members: [id] } : { devices: [id] };
    setRemoving({ kind, id, label, remaining: remainingDevices(trust, keys, input).length });
  };
  return (
    <section className="card" aria-labelledby="members-heading">
      <h2 id="members-heading">People in this workspace</h2>
      <p className="muted-note">
        Votes, status changes and check-ins are signed by the device that wrote them and checked
        against the device keys below. To be sure a key is a teammate’s, compare its fingerprint
        with the one their device shows here.
        {device && (
          <>
            {' '}
            This device’s key: <code className="fingerprint">{fingerprint(device.key)}</code>.
          </>
        )}
      </p>
      {keys && device && selfRemoved && (
        <RemovedNote keys={keys} trust={trust} device={device.key} names={names} />
      )}
      {keys && !selfRemoved && <KeyProgress keys={keys} />}
      <ul className="member-list">
        {members.map((member) => {
          const self = member.id === profile?.memberId;
          const name = self ? 'You' : member.name;
          const removedBy = keys?.removedMembers.get(member.id);
          const readmittedBy = keys?.readmitted.get(member.id);
          return (
            <li key={member.id} className="member-entry">
              <div className="member-head">
                <span className="avatar" style={{ background: member.color }} aria-hidden="true">
                  {member.name.charAt(0).toUpperCase()}
                </span>
                <span>
                  {member.name}
                  {self ? ' (you)' : ''}
                </span>
                <span className="record-meta">
                  {member.timeZone.replace(/_/g, ' ')} · profile updated {timeAgo(member.updatedAt)}
                </span>
                <VerificationBadge verification={verifyMember(trust, member)} author={name} />
                {readmittedBy && !removedBy && (
                  <span className="badge readmitted-badge">
                    {letBackInLabel(readmittedBy, names)}
                  </span>
                )}
                {removedBy ? (
                  <>
                    <span className="badge removed-badge">{removedLabel(removedBy, names)}</span>
                    {canRemove && (
                      <button
                        type="button"
                        className="button"
                        onClick={() => {
                          const result = letBackIn(member.id);
                          setError(result.ok ? null : result.error.message);
                        }}
                      >
                        Let back in
                      </button>
                    )}
                  </>
                ) : (
                  canRemove &&
                  !self && (
                    <button
                      type="button"
                      className="button"
                      onClick={() => ask('member', member.id, member.name)}
                    >
                      Remove from team…
                    </button>
                  )
                )}
              </div>
              <DeviceList
                devices={trust.members.get(member.id)}
                selfKey={device?.key}
                mine={self}
                onConfirm={(key) => {
                  const result = confirm(member.id, key);
                  setError(result.ok ? null : result.error.message);
                }}
                keys={keys ?? EMPTY_KEYS}
                names={names}
                canRemove={canRemove}
                onRemove={(key) =>
                  ask(
                    'device',
                    key,
                    `${self ? 'your' : `${member.name}’s`} device ${fingerprint(key)}`,
                  )
                }
              />
            </li>
          );
        })}
      </ul>
      <FieldError message={error} />
      <RemovalDialog
        target={removing}
        onClose={() => setRemoving(null)}
        onConfirm={(target) => {
          const result =
            target.kind === 'member' ? removeMember(target.id) : removeDevice(target.id);
          return result.ok ? null : result.error.message;
        }}
      />
    </section>
  );
}
