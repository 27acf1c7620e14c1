/**
 * Workspace members: each person's display name, color and time zone, written by their own
 * device so teammates can show who changed what.
 */
import * as Y from 'yjs';
import { MODEL_ORIGIN, ROOT } from './roots';
import { readBounded } from './bounded';
import { describeIssues, describeThrown, previewValue } from './damage';
import { Member, type DamagedRecord } from '../schema/records';
import type { Profile } from '../schema/profile';
import { fail, ok, type Result } from '../result';
import { StoredSignature, verifyContent, type SignedValue } from '../protocol/identity';
import {
  DEVICE_KEY_PREFIX,
  DeviceStatement,
  deviceStatement,
  readTrust,
  signEntry,
  verifyEntry,
  type SigningContext,
  type Trust,
  type Verification,
} from './signatures';

/** The profile fields a member signature covers. */
function profileFields(
  member: string,
  values: { name: string; color: string; timeZone: string; updatedAt: number },
): Record<string, SignedValue> {
  return {
    record: member,
    name: values.name,
    color: values.color,
    timeZone: values.timeZone,
    updatedAt: values.updatedAt,
  };
}

/** The verdict on a member's profile (its signature by one of their devices). */
export function verifyMember(trust: Trust, member: Member): Verification {
  return verifyEntry(trust, 'member', member.id, profileFields(member.id, member), member.sig);
}

/**
 * Writes the local profile into the workspace's member list, with this device's statement and a
 * signature over the profile when the writer has a device key. Only what differs is written, so
 * opening a workspace does not grow its history.
 *
 * This device lists itself as the member's first device when none is listed yet; when another
 * device already is, it writes a statement signed only by itself, which lists nothing until one of
 * the member's devices confirms it (`confirmDevice`).
 */
export function upsertMember(
  doc: Y.Doc,
  profile: Profile,
  now: number = Date.now(),
  signing: SigningContext = {},
): void {
  const members = doc.getMap<unknown>(ROOT.members);
  const existing = members.get(profile.memberId);
  const wanted: Record<string, string> = {
    name: profile.displayName,
    color: profile.color,
    timeZone: profile.timeZone,
  };
  const current = existing instanceof Y.Map ? existing : null;
  const changed = Object.entries(wanted).filter(([key, value]) => current?.get(key) !== value);
  const { signer, workspace } = signing;
  const trust = signer && workspace !== undefined ? readTrust(doc, workspace) : null;
  const mine = trust?.members.get(profile.memberId);
  const listed = mine?.devices.some((device) => device.key === signer?.key) ?? false;
  const pending =
    mine?.unlisted.some((device) => device.key === signer?.key && device.intact) ?? false;
  const needsStatement = signer !== undefined && trust !== null && !listed && !pending;
  const storedAt = current?.get('updatedAt');
  // Signed already when the stored signature verifies for this member, or is this device's own
  // over the stored profile (a device waiting to be confirmed would otherwise sign at every open).
  const storedSig = StoredSignature.safeParse(current?.get('sig'));
  const stored =
    typeof storedAt === 'number'
      ? profileFields(profile.memberId, {
          ...profile,
          name: profile.displayName,
          updatedAt: storedAt,
        })
      : null;
  const signedNow =
    trust !== null &&
    changed.length === 0 &&
    stored !== null &&
    (verifyEntry(trust, 'member', profile.memberId, stored, current?.get('sig')).state ===
      'verified' ||
      (storedSig.success &&
        storedSig.data.key === signer?.key &&
        verifyContent(
          {
            ...stored,
            type: 'member',
            workspace: workspace!,
            author: profile.memberId,
            key: signer.key,
          },
          storedSig.data,
        )));
  if (current && changed.length === 0 && !needsStatement && (trust === null || signedNow)) return;
  doc.transact(() => {
    let record = current;
    if (!record) {
      record = new Y.Map<unknown>();
      members.set(profile.memberId, record);
    }
    for (const [key, value] of current ? changed : Object.entries(wanted)) record.set(key, value);
    const updatedAt =
      current && changed.length === 0 && typeof storedAt === 'number' ? storedAt : now;
    record.set('updatedAt', updatedAt);
    if (!signer || workspace === undefined) return;
    if (needsStatement) {
      const first = !mine || (mine.devices.length === 0 && !mine.disputed);
      record.set(
        DEVICE_KEY_PREFIX + signer.key,
        deviceStatement(
          workspace,
          profile.memberId,
          { key: signer.key, agreement: signer.agreementKey },
          first ? 'first' : 'added',
          now,
          signer,
        ),
      );
    }
    const sig = signEntry(
      signing,
      'member',
      profile.memberId,
      profileFields(profile.memberId, { ...profile, name: profile.displayName, updatedAt }),
    );
    record.set('sig', sig);
  }, MODEL_ORIGIN);
}

/**
 * Lists another device of the local member, signed by this (listed) device: the person compared
 * its fingerprint with the one that device shows. Refused unless this device is listed and the
 * other one asked to be (its own statement is in the member entry).
 */
export function confirmDevice(
  doc: Y.Doc,
  memberId: string,
  deviceKey: string,
  signing: Required<SigningContext>,
  now: number = Date.now(),
): Result<null> {
  const record = doc.getMap<unknown>(ROOT.members).get(memberId);
  const mine = readTrust(doc, signing.workspace).members.get(memberId);
  if (!(record instanceof Y.Map) || !mine) return fail('not-found', 'You are not listed here yet.');
  if (!mine.devices.some((device) => device.key === signing.signer.key))
    return fail('not-listed', 'Only one of your listed devices can confirm another one.');
  if (mine.devices.some((device) => device.key === deviceKey))
    return fail('listed', 'That device is already one of yours.');
  const asked = DeviceStatement.safeParse(record.get(DEVICE_KEY_PREFIX + deviceKey));
  if (!asked.success) return fail('not-found', 'That device has not asked to be added.');
  doc.transact(() => {
    record.set(
      DEVICE_KEY_PREFIX + deviceKey,
      deviceStatement(
        signing.workspace,
        memberId,
        { key: deviceKey, agreement: asked.data.agreement },
        'added',
        now,
        signing.signer,
      ),
    );
  }, MODEL_ORIGIN);
  return ok(null);
}

/**
 * Reads one member entry: through the bounded reader (a teammate's device wrote it and may nest it
 * thousands of levels deep), then the schema. Nothing thrown here escapes: one member must never
 * stop a workspace from opening.
 */
function readMember(id: string, value: unknown): Member | DamagedRecord {
  const damaged = (problems: string[]): DamagedRecord => ({
    kind: 'member',
    id,
    problems,
    preview: previewValue(value),
  });
  if (!(value instanceof Y.Map)) return damaged(['member is not a map']);
  try {
    const read = readBounded(value);
    if (!read.ok) return damaged([read.problem]);
    const parsed = Member.safeParse({ ...(read.value as object), id });
    return parsed.success ? parsed.data : damaged(describeIssues(parsed.error));
  } catch (error) {
    return damaged([describeThrown(error)]);
  }
}

/** All members, validated; damaged entries are reported, not dropped. */
export function listMembers(doc: Y.Doc): { items: Member[]; damaged: DamagedRecord[] } {
  const items: Member[] = [];
  const damaged: DamagedRecord[] = [];
  doc.getMap<unknown>(ROOT.members).forEach((value, id) => {
    const read = readMember(id, value);
    if ('problems' in read) damaged.push(read);
    else items.push(read);
  });
  // Ties broken by id, so every replica lists two people of the same name in the same order.
  items.sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
  return { items, damaged };
}
