/**
 * Uses of restricted invite codes (docs/PROTOCOL.md §1.9): a device that joins with a code that
 * expires or is for one person only writes a use into the workspace, signed by its own device
 * key, and presents the same use to every teammate at the handshake (§5.4). Every replica then
 * reads the same rule from the same uses: the first use of an invite (the earliest time, then the
 * smaller device key) counts and says what the invite's terms were; any other device's use of a
 * single-use invite, and any use at or past the expiry, is refused — by the teammates, which will
 * not exchange changes with that device, and by the device itself, which leaves the workspace.
 *
 * A Y.Map with one key per use (`<invite id>.<device key>`), not one per invite: two devices
 * joining at once each add their own key, and no write overwrites another (a map key per invite
 * would keep whichever Yjs happens to prefer, which could be the later use).
 */
import canonicalize from 'canonicalize';
import type * as Y from 'yjs';
import { z } from 'zod';
import {
  canonicalBytes,
  KeyText,
  SIGNATURE_VERSION,
  StoredSignature,
  verifyContent,
  type DeviceSigner,
  type SignedContent,
} from '../protocol/identity';
import { MODEL_ORIGIN } from './roots';

/** Root Y.Map of invite uses: key `<invite id>.<device key>`, value {@link StoredUse}. */
export const INVITE_USES_ROOT = 'inviteUses';
/** Uses read at most; past this the rest is ignored (a peer cannot make reading unbounded). */
export const MAX_INVITE_USES_READ = 10_000;
/** The signed statement's `type` (§8.3). */
export const INVITE_USE_TYPE = 'invite';

const InviteId = z.string().regex(/^[0-9a-f]{16}$/);
const Millis = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

/** The value stored under `<invite id>.<device key>`. */
const StoredUse = z
  .object({
    at: Millis,
    expiresAt: Millis.nullable(),
    singleUse: z.boolean(),
    sig: StoredSignature,
  })
  .strict();

/** A use as a teammate receives it at the handshake or in a refusal: the stored value and its key. */
export const InviteUseClaim = StoredUse.extend({ invite: InviteId, device: KeyText }).strict();

/** One device's use of an invite, as its terms said at the time (the code's own terms). */
export type InviteUse = z.infer<typeof InviteUseClaim>;

/** What the joining device knows when it signs its use: the code's terms and when it joined. */
export interface InviteUseTerms {
  readonly invite: string;
  readonly at: number;
  readonly expiresAt: number | null;
  readonly singleUse: boolean;
}

/** The signed content of a use (§8.3, type `invite`): the device is its own author. */
function useContent(workspace: string, use: InviteUseTerms & { device: string }): SignedContent {
  return {
    type: INVITE_USE_TYPE,
    workspace,
    author: use.device,
    key: use.device,
    invite: use.invite,
    at: use.at,
    expiresAt: use.expiresAt,
    singleUse: use.singleUse,
  };
}

/** This device's use of an invite, signed (Ed25519 signing is deterministic: same use, same bytes). */
export function signInviteUse(
  signer: Pick<DeviceSigner, 'key' | 'sign'>,
  workspace: string,
  terms: InviteUseTerms,
): InviteUse {
  const content = useContent(workspace, { ...terms, device: signer.key });
  return {
    invite: terms.invite,
    device: signer.key,
    at: terms.at,
    expiresAt: terms.expiresAt,
    singleUse: terms.singleUse,
    sig: { v: SIGNATURE_VERSION, key: signer.key, value: signer.sign(canonicalBytes(content)) },
  };
}

/** A use read from anywhere (the document, a peer), or null unless well-formed and signed by its device. */
export function verifiedUse(workspace: string, value: unknown): InviteUse | null {
  const parsed = InviteUseClaim.safeParse(value);
  if (!parsed.success) return null;
  const use = parsed.data;
  if (use.sig.key !== use.device || !verifyContent(useContent(workspace, use), use.sig))
    return null;
  return use;
}

/** A use as text for the wire (docs/PROTOCOL.md §5.4): its JSON, canonical (RFC 8785). */
export function inviteUseText(use: InviteUse): string {
  return canonicalize(use) ?? '';
}

/** Records `use` in the workspace unless it is already there (written as received, unchanged). */
export function recordInviteUse(doc: Y.Doc, use: InviteUse, origin: unknown = MODEL_ORIGIN): void {
  const uses = doc.getMap<unknown>(INVITE_USES_ROOT);
  const key = `${use.invite}.${use.device}`;
  if (uses.has(key)) return;
  const stored = { at: use.at, expiresAt: use.expiresAt, singleUse: use.singleUse, sig: use.sig };
  doc.transact(() => uses.set(key, stored), origin);
}

/**
 * The valid uses in the document of the invites `device` used (its own entries, plus `extra`, a
 * use it presents that may not be in the document yet), by invite id. Other invites' uses are not
 * read, so checking a peer costs a few signatures, not the whole map's.
 */
function usesConcerning(
  doc: Y.Doc,
  workspace: string,
  device: string,
  extra: InviteUse | null,
): Map<string, InviteUse[]> {
  const entries = [...doc.getMap<unknown>(INVITE_USES_ROOT).entries()].slice(
    0,
    MAX_INVITE_USES_READ,
  );
  const invites = new Set<string>();
  if (extra) invites.add(extra.invite);
  for (const [key] of entries) {
    const [invite, owner] = key.split('.');
    if (invite && owner === device) invites.add(invite);
  }
  const byInvite = new Map<string, InviteUse[]>();
  const add = (use: InviteUse) => {
    const list = byInvite.get(use.invite) ?? [];
    if (!list.some((other) => other.device === use.device)) list.push(use);
    byInvite.set(use.invite, list);
  };
  for (const [key, value] of entries) {
    const dot = key.indexOf('.');
    const invite = key.slice(0, dot);
    if (dot < 0 || !invites.has(invite) || typeof value !== 'object' || value === null) continue;
    const use = verifiedUse(workspace, { ...value, invite, device: key.slice(dot + 1) });
    if (use) add(use);
  }
  if (extra) add(extra);
  return byInvite;
}

/** Whether `a` came before `b`: the earlier time, then the smaller device key (string order). */
function earlier(a: InviteUse, b: InviteUse): boolean {
  return a.at < b.at || (a.at === b.at && a.device < b.device);
}

/** The use that counts among `uses` of one invite: the first. */
export function firstUse(uses: readonly InviteUse[]): InviteUse | null {
  let first: InviteUse | null = null;
  for (const use of uses) if (!first || earlier(use, first)) first = use;
  return first;
}

/** Why a device's use of an invite does not let it in. */
export type InviteRefusal =
  | { readonly reason: 'used'; readonly first: InviteUse }
  | { readonly reason: 'expired'; readonly first: InviteUse; readonly expiresAt: number };

/**
 * Whether `device` joined with an invite it may not use, from the uses in the document (plus
 * `presented`, a use the device shows at the handshake). The first use of an invite fixes its
 * terms — every honest use carries the same, copied from the one code — so a later use cannot
 * loosen them: a use by another device of a single-use invite is refused, and so is any use at or
 * past the first use's expiry. Null when nothing refuses it, also when it used no invite.
 */
export function inviteRefusal(
  doc: Y.Doc,
  workspace: string,
  device: string,
  presented: InviteUse | null = null,
): InviteRefusal | null {
  const extra = presented && presented.device === device ? presented : null;
  const byInvite = usesConcerning(doc, workspace, device, extra);
  // In invite id order, so a device refused for two invites gets the same answer everywhere
  // (the map's own order is the order entries arrived in, which differs between replicas).
  for (const invite of [...byInvite.keys()].sort()) {
    const uses = byInvite.get(invite) ?? [];
    const first = firstUse(uses);
    const own = uses.find((use) => use.device === device);
    if (!first || !own) continue;
    if (first.singleUse && first.device !== device) return { reason: 'used', first };
    if (first.expiresAt !== null && own.at >= first.expiresAt)
      return { reason: 'expired', first, expiresAt: first.expiresAt };
  }
  return null;
}
