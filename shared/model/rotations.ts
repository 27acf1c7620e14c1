/**
 * Removing a member or a lost device, and the workspace key rotations that follow (docs/PROTOCOL.md
 * §8.7). A removal is one signed statement in the document's `keyRotations` root: who removed
 * which devices or members, the new key's public id, and the new key sealed to each remaining
 * device (keyEnvelope.ts). Every replica reads the same statements and reaches the same answer —
 * which removals count, which key is current, which devices are revoked — as a pure function of
 * the document, so concurrent removals by two members converge everywhere:
 *
 * - statements are taken in order of epoch, then signature text; one counts when its signature
 *   verifies against a listed device of its author and neither that device nor that member was
 *   revoked by a statement already counted (so of two people removing each other at once, the
 *   first in that order wins and the other's statement is refused);
 * - the current key is the last counted statement's (highest epoch, ties to the later in order);
 * - revoked are the devices and members every counted statement removed, together;
 * - when the current key was sealed to a device that a concurrent removal revoked, the key is
 *   known to that device: {@link KeyState.needsRotation} asks the remaining devices for another
 *   rotation, which converges the same way.
 *
 * Any member may remove anyone (there are no admins: who would appoint them is the same problem
 * again). A removal is therefore signed and shown to everyone with its author and time.
 *
 * A removed member (or device) comes back when a member lets them back in: a signed
 * **readmission** (`a.<id>`) names one counted removal and the members or devices of it that it
 * lifts. It does not take part in the order above (which removals count is decided without
 * readmissions, so letting someone back in never changes which key is current); it counts when
 * verified and made by a device that no counted removal revoked, and a lifted member or device is
 * revoked only by the removals that name it and are not lifted for it.
 */
import type * as Y from 'yjs';
import { z } from 'zod';
import { fail, ok, type Result } from '../result';
import { KeyText, StoredSignature, type SignedValue } from '../protocol/identity';
import { keyIdOf, sealKeyEnvelope } from '../protocol/keyEnvelope';
import { MODEL_ORIGIN } from './roots';
import { signEntry, verifyEntry, type SigningContext, type Trust } from './signatures';

/**
 * Root Y.Map of removal statements (`r.<id>`), readmissions (`a.<id>`) and moved acknowledgements
 * (`m.<key id>.<device>`).
 */
export const KEY_ROTATIONS_ROOT = 'keyRotations';
/** Statements read at most; past this the rest is ignored (a peer cannot make reading unbounded). */
export const MAX_ROTATIONS_READ = 1_000;
const MAX_DEVICES = 512;

const MemberId = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/);
const KeyId = z.string().regex(/^[A-Za-z0-9_-]{22}$/);

const RotationValue = z
  .object({
    epoch: z
      .number()
      .int()
      .min(1)
      .max(2 ** 31),
    by: MemberId,
    at: z.number().int().nonnegative(),
    removedDevices: z.array(KeyText).max(MAX_DEVICES),
    removedMembers: z.array(MemberId).max(MAX_DEVICES),
    keyId: KeyId,
    envelopes: z
      .record(KeyText, z.string().max(200))
      .refine((envelopes) => Object.keys(envelopes).length <= MAX_DEVICES),
    sig: StoredSignature,
  })
  .strict();

const ReadmissionValue = z
  .object({
    by: MemberId,
    at: z.number().int().nonnegative(),
    /** The removal it lifts (its key in this map). */
    lifts: z.string().regex(/^r\.[A-Za-z0-9_-]{22}$/),
    members: z.array(MemberId).max(MAX_DEVICES),
    devices: z.array(KeyText).max(MAX_DEVICES),
    sig: StoredSignature,
  })
  .strict();

const MovedValue = z.object({
  by: MemberId,
  at: z.number().int().nonnegative(),
  sig: StoredSignature,
});

/** One counted removal. */
export interface Rotation {
  readonly id: string;
  readonly epoch: number;
  /** The member who removed. */
  readonly by: string;
  /** The device that signed it. */
  readonly device: string;
  readonly at: number;
  readonly removedDevices: readonly string[];
  readonly removedMembers: readonly string[];
  /** Public id of the new key (keyIdOf). */
  readonly keyId: string;
  /** The new key sealed per remaining device, by device signing key. */
  readonly envelopes: Readonly<Record<string, string>>;
}

/** One counted readmission: members or devices of one removal, let back in. */
export interface Readmission {
  readonly id: string;
  readonly by: string;
  readonly at: number;
  readonly lifts: string;
  readonly members: readonly string[];
  readonly devices: readonly string[];
}

/** What every replica concludes from the statements. */
export interface KeyState {
  /** The key everyone should be using: null while no removal ever happened (the invite's key). */
  readonly current: Rotation | null;
  readonly counted: readonly Rotation[];
  /** Statements that do not count, with the reason (shown, never acted on). */
  readonly refused: readonly { readonly id: string; readonly reason: string }[];
  /** Revoked device keys, with the removal that revoked them. */
  readonly revokedDevices: ReadonlyMap<string, Rotation>;
  /** Removed members, with the removal that removed them. */
  readonly removedMembers: ReadonlyMap<string, Rotation>;
  /** Members and devices let back in, with the readmission that did (shown with its author). */
  readonly readmitted: ReadonlyMap<string, Readmission>;
  /** Devices that acknowledged holding the current key (verified), the remover's included. */
  readonly moved: ReadonlySet<string>;
  /** The current key was sealed to a revoked device (concurrent removals): rotate again. */
  readonly needsRotation: boolean;
}

function rotationFields(value: z.infer<typeof RotationValue>): Record<string, SignedValue> {
  return {
    epoch: value.epoch,
    at: value.at,
    removedDevices: value.removedDevices,
    removedMembers: value.removedMembers,
    keyId: value.keyId,
    envelopes: value.envelopes,
  };
}

function ownerOf(trust: Trust, device: string): string | undefined {
  for (const [member, entry] of trust.members)
    if (entry.devices.some((listed) => listed.key === device)) return member;
  return undefined;
}

/** Whether `device` is revoked in `state`: removed itself, or a device of a removed member. */
export function isRevoked(state: KeyState, trust: Trust, device: string): boolean {
  if (state.revokedDevices.has(device)) return true;
  const owner = ownerOf(trust, device);
  return owner !== undefined && state.removedMembers.has(owner);
}

/** The removals in the document and what follows from them (see the module comment). */
export function readKeyState(doc: Y.Doc, trust: Trust): KeyState {
  const root = doc.getMap<unknown>(KEY_ROTATIONS_ROOT);
  const refused: { id: string; reason: string }[] = [];
  const candidates: { rotation: Rotation; sig: string }[] = [];
  const acks: { keyId: string; device: string; value: unknown }[] = [];
  const readmissionEntries: [string, unknown][] = [];
  let read = 0;
  for (const [key, value] of root.entries()) {
    if (++read > MAX_ROTATIONS_READ) break;
    if (key.startsWith('a.')) {
      readmissionEntries.push([key, value]);
      continue;
    }
    if (key.startsWith('m.')) {
      const [, keyId, device] = key.split('.');
      if (keyId && device) acks.push({ keyId, device, value });
      continue;
    }
    if (!key.startsWith('r.')) continue;
    const parsed = RotationValue.safeParse(value);
    if (!parsed.success) {
      refused.push({ id: key, reason: 'the removal is malformed' });
      continue;
    }
    const verdict = verifyEntry(
      trust,
      'rotation',
      parsed.data.by,
      rotationFields(parsed.data),
      parsed.data.sig,
    );
    if (verdict.state !== 'verified') {
      refused.push({
        id: key,
        reason: `the removal is not verified: ${verdict.state === 'unverified' ? verdict.reason : 'unsigned'}`,
      });
      continue;
    }
    const { sig, ...rest } = parsed.data;
    candidates.push({ rotation: { ...rest, id: key, device: sig.key }, sig: sig.value });
  }
  candidates.sort(
    (a, b) => a.rotation.epoch - b.rotation.epoch || (a.sig < b.sig ? -1 : a.sig > b.sig ? 1 : 0),
  );
  const revokedDevices = new Map<string, Rotation>();
  const removedMembers = new Map<string, Rotation>();
  const counted: Rotation[] = [];
  for (const { rotation } of candidates) {
    if (revokedDevices.has(rotation.device) || removedMembers.has(rotation.by)) {
      refused.push({ id: rotation.id, reason: 'it was made by a device that had been removed' });
      continue;
    }
    counted.push(rotation);
    for (const device of rotation.removedDevices)
      if (!revokedDevices.has(device)) revokedDevices.set(device, rotation);
    for (const member of rotation.removedMembers)
      if (!removedMembers.has(member)) removedMembers.set(member, rotation);
  }
  const current = counted.at(-1) ?? null;
  const readmissions = countedReadmissions(readmissionEntries, trust, counted, {
    revokedDevices,
    removedMembers,
  });
  refused.push(...readmissions.refused);
  const lifted = (rotation: Rotation, subject: string) =>
    readmissions.counted.find(
      (entry) =>
        entry.lifts === rotation.id &&
        (entry.members.includes(subject) || entry.devices.includes(subject)),
    );
  const readmitted = new Map<string, Readmission>();
  const stillRevoked = new Map<string, Rotation>();
  const stillRemoved = new Map<string, Rotation>();
  for (const rotation of counted)
    for (const [subjects, out] of [
      [rotation.removedDevices, stillRevoked],
      [rotation.removedMembers, stillRemoved],
    ] as const)
      for (const subject of subjects) {
        const by = lifted(rotation, subject);
        if (by) readmitted.set(subject, by);
        else if (!out.has(subject)) out.set(subject, rotation);
      }
  for (const subject of [...stillRevoked.keys(), ...stillRemoved.keys()])
    readmitted.delete(subject);
  const partial: KeyState = {
    current,
    counted,
    refused,
    revokedDevices: stillRevoked,
    removedMembers: stillRemoved,
    readmitted,
    moved: new Set(),
    needsRotation: false,
  };
  const moved = new Set<string>();
  if (current) {
    moved.add(current.device);
    for (const ack of acks) {
      if (ack.keyId !== current.keyId) continue;
      const parsed = MovedValue.safeParse(ack.value);
      if (!parsed.success || parsed.data.sig.key !== ack.device) continue;
      const fields = { keyId: ack.keyId, device: ack.device, at: parsed.data.at };
      if (verifyEntry(trust, 'moved', parsed.data.by, fields, parsed.data.sig).state === 'verified')
        moved.add(ack.device);
    }
  }
  const needsRotation =
    current !== null &&
    Object.keys(current.envelopes).some((device) => isRevoked(partial, trust, device));
  return { ...partial, moved, needsRotation };
}

/**
 * The readmissions that count: verified against a listed device of their author, made by a device
 * and member no counted removal revoked (`revoked`, before any readmission: a removed member
 * cannot let themselves back in), and naming a counted removal and only what it removed.
 */
function countedReadmissions(
  entries: readonly [string, unknown][],
  trust: Trust,
  counted: readonly Rotation[],
  revoked: {
    readonly revokedDevices: ReadonlyMap<string, Rotation>;
    readonly removedMembers: ReadonlyMap<string, Rotation>;
  },
): { counted: Readmission[]; refused: { id: string; reason: string }[] } {
  const out: Readmission[] = [];
  const refused: { id: string; reason: string }[] = [];
  for (const [id, value] of entries) {
    const parsed = ReadmissionValue.safeParse(value);
    if (!parsed.success) {
      refused.push({ id, reason: 'the readmission is malformed' });
      continue;
    }
    const { sig, ...entry } = parsed.data;
    const fields = {
      at: entry.at,
      lifts: entry.lifts,
      members: entry.members,
      devices: entry.devices,
    };
    const verdict = verifyEntry(trust, 'readmission', entry.by, fields, sig);
    if (verdict.state !== 'verified') {
      refused.push({ id, reason: 'the readmission is not verified' });
      continue;
    }
    const owner = ownerOf(trust, sig.key);
    if (
      revoked.revokedDevices.has(sig.key) ||
      revoked.removedMembers.has(entry.by) ||
      (owner !== undefined && revoked.removedMembers.has(owner))
    ) {
      refused.push({ id, reason: 'it was made by a device that had been removed' });
      continue;
    }
    const removal = counted.find((rotation) => rotation.id === entry.lifts);
    if (
      !removal ||
      !entry.members.every((member) => removal.removedMembers.includes(member)) ||
      !entry.devices.every((device) => removal.removedDevices.includes(device))
    ) {
      refused.push({ id, reason: 'it lets in someone its removal did not remove' });
      continue;
    }
    out.push({ ...entry, id });
  }
  return { counted: out, refused };
}

/** The devices a new key goes to: every listed device of every member, less the revoked. */
export function remainingDevices(
  trust: Trust,
  state: KeyState,
  also: { readonly devices?: readonly string[]; readonly members?: readonly string[] } = {},
): { readonly member: string; readonly key: string; readonly agreement: string }[] {
  const out: { member: string; key: string; agreement: string }[] = [];
  for (const [member, entry] of trust.members) {
    if (entry.disputed || state.removedMembers.has(member) || also.members?.includes(member))
      continue;
    for (const device of entry.devices) {
      if (state.revokedDevices.has(device.key) || also.devices?.includes(device.key)) continue;
      out.push({ member, key: device.key, agreement: device.agreement });
    }
  }
  return out;
}

/**
 * Why `device`, signing for `actor`, may not write a removal or readmission (`what` it cannot do,
 * for the message), or null when it may: a removed device, or one its person has not listed, would
 * write a statement no replica counts.
 */
function barredFrom(
  state: KeyState,
  trust: Trust,
  actor: string,
  device: string,
  what: string,
): Result<never> | null {
  if (isRevoked(state, trust, device) || state.removedMembers.has(actor))
    return fail('removed', `This device was removed from the team, so it cannot ${what}.`);
  // Let back in after a removal: rule 2 still places it after that removal, so nothing it signs
  // of this kind would count (readKeyState).
  if (state.readmitted.has(actor) || state.readmitted.has(device))
    return fail(
      'readmitted',
      `You were let back in after a removal, and what you sign then does not count, so this device cannot ${what}; ask a teammate.`,
    );
  if (!trust.members.get(actor)?.devices.some((listed) => listed.key === device))
    return fail(
      'unlisted',
      `This device is not yet one of your listed devices, so it cannot ${what}.`,
    );
  return null;
}

export interface RemovalInput {
  /** Devices to revoke (a lost laptop). */
  readonly devices?: readonly string[];
  /** Members to remove, with every device of theirs. */
  readonly members?: readonly string[];
}

/**
 * Removes devices or members: a new random key (or `newKey`, for tests) is sealed to every
 * remaining device and the signed statement written in one transaction. With nothing to remove it
 * only rotates (what {@link KeyState.needsRotation} asks for). Returns the new key, which the
 * caller keeps as this device's; each other device opens its own copy.
 */
export function removeAndRotate(
  doc: Y.Doc,
  ctx: SigningContext & { readonly actor: string; readonly now?: () => number },
  trust: Trust,
  input: RemovalInput,
  newKey: Uint8Array = globalThis.crypto.getRandomValues(new Uint8Array(32)),
): Result<{ readonly key: Uint8Array; readonly rotation: Rotation }> {
  const { signer, workspace } = ctx;
  if (!signer || workspace === undefined)
    return fail('no-key', 'This device has no signing key, so it cannot remove anyone.');
  const state = readKeyState(doc, trust);
  const barred = barredFrom(state, trust, ctx.actor, signer.key, 'remove anyone');
  if (barred) return barred;
  const devices = [...new Set(input.devices ?? [])];
  const members = [...new Set(input.members ?? [])];
  if (devices.includes(signer.key) || members.includes(ctx.actor))
    return fail('self', 'You cannot remove yourself or this device; leave the workspace instead.');
  const recipients = remainingDevices(trust, state, { devices, members });
  const envelopes: Record<string, string> = {};
  const epoch = (state.current?.epoch ?? 0) + 1;
  for (const recipient of recipients)
    envelopes[recipient.key] = sealKeyEnvelope(newKey, recipient.agreement, {
      workspace,
      epoch,
      device: recipient.key,
    });
  const fields = {
    epoch,
    at: (ctx.now ?? Date.now)(),
    removedDevices: devices,
    removedMembers: members,
    keyId: keyIdOf(newKey),
    envelopes,
  };
  const sig = signEntry(ctx, 'rotation', ctx.actor, fields);
  if (!sig) return fail('no-key', 'This device has no signing key, so it cannot remove anyone.');
  const id = `r.${sig.value.slice(0, 22)}`;
  doc.transact(() => {
    doc.getMap<unknown>(KEY_ROTATIONS_ROOT).set(id, { ...fields, by: ctx.actor, sig });
  }, MODEL_ORIGIN);
  return ok({
    key: newKey,
    rotation: { ...fields, id, by: ctx.actor, device: signer.key },
  });
}

/**
 * Lets a removed member (or a removed device) back in: a signed readmission lifting the counted
 * removal that removes them now. They still need the current key, which a new invite code carries.
 */
export function letBackIn(
  doc: Y.Doc,
  ctx: SigningContext & { readonly actor: string; readonly now?: () => number },
  trust: Trust,
  subject: { readonly member: string } | { readonly device: string },
): Result<Readmission> {
  const { signer } = ctx;
  if (!signer) return fail('no-key', 'This device has no signing key, so it cannot let anyone in.');
  const state = readKeyState(doc, trust);
  const barred = barredFrom(state, trust, ctx.actor, signer.key, 'let anyone in');
  if (barred) return barred;
  const removal =
    'member' in subject
      ? state.removedMembers.get(subject.member)
      : state.revokedDevices.get(subject.device);
  if (!removal) return fail('not-removed', 'They are not removed from the team.');
  const fields = {
    at: (ctx.now ?? Date.now)(),
    lifts: removal.id,
    members: 'member' in subject ? [subject.member] : [],
    devices: 'device' in subject ? [subject.device] : [],
  };
  const sig = signEntry(ctx, 'readmission', ctx.actor, fields);
  if (!sig) return fail('no-key', 'This device has no signing key, so it cannot let anyone in.');
  const id = `a.${sig.value.slice(0, 22)}`;
  doc.transact(() => {
    doc.getMap<unknown>(KEY_ROTATIONS_ROOT).set(id, { ...fields, by: ctx.actor, sig });
  }, MODEL_ORIGIN);
  return ok({ ...fields, id, by: ctx.actor });
}

/** Records, signed, that this device now holds the key `keyId` (progress for everyone). */
export function recordMoved(
  doc: Y.Doc,
  ctx: SigningContext & { readonly actor: string; readonly now?: () => number },
  keyId: string,
): Result<null> {
  const { signer } = ctx;
  if (!signer) return fail('no-key', 'This device has no signing key.');
  const key = `m.${keyId}.${signer.key}`;
  const root = doc.getMap<unknown>(KEY_ROTATIONS_ROOT);
  if (root.has(key)) return ok(null);
  const at = (ctx.now ?? Date.now)();
  const sig = signEntry(ctx, 'moved', ctx.actor, { keyId, device: signer.key, at });
  if (!sig) return fail('no-key', 'This device has no signing key.');
  doc.transact(() => root.set(key, { by: ctx.actor, at, sig }), MODEL_ORIGIN);
  return ok(null);
}
