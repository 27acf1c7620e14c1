/**
 * Which devices speak for which member, and whether a signed entry verifies (docs/PROTOCOL.md §8).
 *
 * A member entry lists that person's devices under `device:<signing key>` keys, each a statement
 * signed by a device: the first by itself (`kind: first`), later ones by a device already listed
 * (`kind: added`). Everything here is a pure function of the document and the workspace id, so
 * every replica holding the same data reaches the same verdicts — a tally that counts only
 * verified votes is then identical everywhere.
 */
import * as Y from 'yjs';
import { z } from 'zod';
import { ROOT } from './roots';
import { readBounded } from './bounded';
import {
  KeyText,
  StoredSignature,
  signContent,
  verifyContent,
  type DeviceSigner,
  type SignedContent,
  type SignedValue,
} from '../protocol/identity';

/** Prefix of the keys of a member entry that list the member's devices. */
export const DEVICE_KEY_PREFIX = 'device:';
/** Most device statements read per member; more make the rest unread (a flood, not a person). */
const MAX_DEVICE_STATEMENTS = 64;

/** One device statement as stored under `device:<signing key>` in a member entry. */
export const DeviceStatement = z.object({
  kind: z.enum(['first', 'added']),
  agreement: KeyText,
  addedAt: z.number().int().nonnegative(),
  sig: StoredSignature,
});
export type DeviceStatement = z.infer<typeof DeviceStatement>;

/** A device listed for a member (its statement verified along a chain from the first device). */
export interface ListedDevice {
  /** Ed25519 public key, base64url. */
  readonly key: string;
  /** X25519 public key, base64url: where a new workspace key would be delivered. */
  readonly agreement: string;
  readonly addedAt: number;
  /** The device that signed the statement (the device itself for the first one). */
  readonly addedBy: string;
  readonly first: boolean;
}

/** A device statement that does not make its device one of the member's, and why. */
export interface UnlistedDevice {
  readonly key: string;
  readonly problem: string;
  /** The statement itself verifies (it only lacks a chain to the member's first device). */
  readonly intact: boolean;
}

export interface MemberDevices {
  readonly member: string;
  readonly devices: readonly ListedDevice[];
  /** Statements that list no device, with the reason (shown, never acted on). */
  readonly unlisted: readonly UnlistedDevice[];
  /** More than one device claims to be the member's first: none of them is trusted. */
  readonly disputed: boolean;
}

/** Every member's devices in one workspace: what verification reads. */
export interface Trust {
  readonly workspace: string;
  readonly members: ReadonlyMap<string, MemberDevices>;
}

/** The verdict on one signed entry. */
export type Verification =
  | { readonly state: 'verified'; readonly device: string }
  /** Written before signatures existed (or by a client that does not sign). */
  | { readonly state: 'unsigned' }
  | { readonly state: 'unverified'; readonly reason: string };

function deviceContent(
  workspace: string,
  member: string,
  device: string,
  statement: Omit<DeviceStatement, 'sig'>,
  signer: string,
): SignedContent {
  return {
    type: 'device',
    workspace,
    author: member,
    key: signer,
    device,
    kind: statement.kind,
    agreement: statement.agreement,
    addedAt: statement.addedAt,
  };
}

/** The devices of one member, from the plain (bounded-read) fields of their entry. */
function memberDevices(workspace: string, member: string, fields: object): MemberDevices {
  const unlisted: UnlistedDevice[] = [];
  const candidates: { key: string; statement: DeviceStatement }[] = [];
  const keys = Object.keys(fields)
    .filter((key) => key.startsWith(DEVICE_KEY_PREFIX))
    .sort();
  for (const [index, entryKey] of keys.entries()) {
    const key = entryKey.slice(DEVICE_KEY_PREFIX.length);
    if (index >= MAX_DEVICE_STATEMENTS) {
      unlisted.push({
        key,
        problem: `more than ${MAX_DEVICE_STATEMENTS} device statements`,
        intact: false,
      });
      continue;
    }
    const parsed = DeviceStatement.safeParse((fields as Record<string, unknown>)[entryKey]);
    if (!KeyText.safeParse(key).success || !parsed.success) {
      unlisted.push({ key, problem: 'the device statement is malformed', intact: false });
      continue;
    }
    const { sig, ...statement } = parsed.data;
    if (!verifyContent(deviceContent(workspace, member, key, statement, sig.key), sig)) {
      unlisted.push({
        key,
        problem: 'the device statement’s signature does not verify',
        intact: false,
      });
      continue;
    }
    candidates.push({ key, statement: parsed.data });
  }
  const firsts = candidates.filter(
    (c) => c.statement.kind === 'first' && c.statement.sig.key === c.key,
  );
  const disputed = firsts.length > 1;
  const listed = new Map<string, ListedDevice>();
  if (firsts.length === 1) {
    const root = firsts[0]!;
    listed.set(root.key, {
      key: root.key,
      agreement: root.statement.agreement,
      addedAt: root.statement.addedAt,
      addedBy: root.key,
      first: true,
    });
    // Each pass lists the devices signed by one already listed; at most one pass per statement.
    for (let grew = true; grew;) {
      grew = false;
      for (const { key, statement } of candidates) {
        if (listed.has(key) || statement.kind !== 'added' || !listed.has(statement.sig.key))
          continue;
        listed.set(key, {
          key,
          agreement: statement.agreement,
          addedAt: statement.addedAt,
          addedBy: statement.sig.key,
          first: false,
        });
        grew = true;
      }
    }
  }
  for (const { key, statement } of candidates) {
    if (listed.has(key)) continue;
    unlisted.push({
      key,
      problem: disputed
        ? 'another device also claims to be this person’s first device'
        : statement.kind === 'first'
          ? 'this person’s first device is another one'
          : 'not confirmed by one of this person’s devices',
      intact: true,
    });
  }
  const devices = [...listed.values()].sort(
    (a, b) => a.addedAt - b.addedAt || (a.key < b.key ? -1 : 1),
  );
  return { member, devices, unlisted, disputed };
}

/** Every member's devices, read with the same limits as member entries. */
export function readTrust(doc: Y.Doc, workspace: string): Trust {
  const members = new Map<string, MemberDevices>();
  doc.getMap<unknown>(ROOT.members).forEach((value, member) => {
    if (!(value instanceof Y.Map)) return;
    let fields: unknown;
    try {
      const read = readBounded(value);
      if (!read.ok) return;
      fields = read.value;
    } catch {
      return; // a member entry that cannot be read lists no devices; members.ts reports it
    }
    if (typeof fields === 'object' && fields !== null)
      members.set(member, memberDevices(workspace, member, fields));
  });
  return { workspace, members };
}

/**
 * The verdict on an entry by `author` whose signed fields are `fields` and whose stored signature
 * is `sig` (anything read from the document; missing for entries written before signatures).
 */
export function verifyEntry(
  trust: Trust,
  type: string,
  author: string,
  fields: Readonly<Record<string, SignedValue>>,
  sig: unknown,
): Verification {
  if (sig === undefined || sig === null) return { state: 'unsigned' };
  const parsed = StoredSignature.safeParse(sig);
  if (!parsed.success) return { state: 'unverified', reason: 'its signature is malformed' };
  const devices = trust.members.get(author);
  if (devices?.disputed)
    return {
      state: 'unverified',
      reason: 'two devices claim to be this person’s first device, so none of theirs is trusted',
    };
  if (!devices?.devices.some((device) => device.key === parsed.data.key))
    return {
      state: 'unverified',
      reason: 'it is signed by a device that is not one of this person’s devices',
    };
  const content = { ...fields, type, workspace: trust.workspace, author, key: parsed.data.key };
  return verifyContent(content, parsed.data)
    ? { state: 'verified', device: parsed.data.key }
    : { state: 'unverified', reason: 'its signature does not match what is stored' };
}

/** What model writes need to sign: the device and the workspace they write in. */
export interface SigningContext {
  readonly signer?: DeviceSigner;
  readonly workspace?: string;
}

/**
 * The signature to store with an entry, or undefined when the writer has no device key (tests
 * and tools that write as a legacy client). Entries written so are shown as unsigned.
 */
export function signEntry(
  ctx: SigningContext,
  type: string,
  author: string,
  fields: Readonly<Record<string, SignedValue>>,
): StoredSignature | undefined {
  if (!ctx.signer || ctx.workspace === undefined) return undefined;
  return signContent(ctx.signer, {
    ...fields,
    type,
    workspace: ctx.workspace,
    author,
    key: ctx.signer.key,
  });
}

/** `entry` with `sig` added when there is one (an absent signature is left out, not null). */
export function withSignature<T extends object>(
  entry: T,
  sig: StoredSignature | undefined,
): T & { sig?: StoredSignature } {
  return sig ? { ...entry, sig } : entry;
}

/** The statement listing `signer`'s own device for `member`, signed by `by` (itself if omitted). */
export function deviceStatement(
  workspace: string,
  member: string,
  device: { key: string; agreement: string },
  kind: DeviceStatement['kind'],
  addedAt: number,
  by: DeviceSigner,
): DeviceStatement {
  const statement = { kind, agreement: device.agreement, addedAt };
  return {
    ...statement,
    sig: signContent(by, deviceContent(workspace, member, device.key, statement, by.key)),
  };
}
