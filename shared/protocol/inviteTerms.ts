/**
 * The terms a version 3 invite code carries (docs/PROTOCOL.md §5.1): an invite id, when the code
 * expires and whether it may be used once only. Apps check them when a code is used; nothing
 * else can, since the code carries the workspace key itself (see docs/ARCHITECTURE.md, "What
 * invite terms can and cannot do").
 */
import { fail, ok, type Result } from '../result';
import { toHex, fromHex } from './bytes';

/** Bytes of the terms section: id (8), expiry (4), flags (1). */
export const INVITE_TERMS_BYTES = 13;
const ID_BYTES = 8;
const SINGLE_USE = 0x01;
const MINUTE_MS = 60_000;

/** What an invite allows. */
export interface InviteTerms {
  /** 64 random bits as 16 lower-case hex characters: tells one invite's uses from another's. */
  readonly id: string;
  /** When the code stops working (ms since the Unix epoch, whole minutes), or null: never. */
  readonly expiresAt: number | null;
  readonly singleUse: boolean;
}

/** The choices an inviter has, as the invite panel offers them. */
export const INVITE_LIFETIMES = {
  '1h': 60 * MINUTE_MS,
  '1d': 24 * 60 * MINUTE_MS,
  '7d': 7 * 24 * 60 * MINUTE_MS,
  never: null,
} as const;
export type InviteLifetime = keyof typeof INVITE_LIFETIMES;

/** Fresh terms: a new random id, expiring `lifetime` after `now` (rounded up to a minute). */
export function newInviteTerms(
  lifetime: InviteLifetime,
  singleUse: boolean,
  now: number,
): InviteTerms {
  const id = toHex(globalThis.crypto.getRandomValues(new Uint8Array(ID_BYTES)));
  const span = INVITE_LIFETIMES[lifetime];
  const expiresAt = span === null ? null : Math.ceil((now + span) / MINUTE_MS) * MINUTE_MS;
  return { id, expiresAt, singleUse };
}

/** Whether the terms restrict anything (codes without restrictions stay version 1 or 2). */
export function restricts(terms: InviteTerms | null | undefined): terms is InviteTerms {
  return !!terms && (terms.expiresAt !== null || terms.singleUse);
}

/** The section's 13 bytes. */
export function writeTerms(terms: InviteTerms): Uint8Array {
  const id = fromHex(terms.id);
  if (!id || id.length !== ID_BYTES) throw new RangeError('An invite id is 16 hex characters.');
  const minutes = terms.expiresAt === null ? 0 : Math.ceil(terms.expiresAt / MINUTE_MS);
  if (!Number.isInteger(minutes) || minutes < 0 || minutes > 0xffffffff)
    throw new RangeError('An invite expiry is a time after 1970, in minutes that fit 32 bits.');
  const out = new Uint8Array(INVITE_TERMS_BYTES);
  out.set(id, 0);
  new DataView(out.buffer).setUint32(ID_BYTES, minutes);
  out[ID_BYTES + 4] = terms.singleUse ? SINGLE_USE : 0;
  return out;
}

/** Reads the section; the failure's message ends "…made by a faulty app: <reason>". */
export function readTerms(bytes: Uint8Array): Result<InviteTerms> {
  if (bytes.length !== INVITE_TERMS_BYTES)
    return fail('invite-malformed', 'its terms have the wrong length');
  const flags = bytes[ID_BYTES + 4] ?? 0;
  if ((flags & ~SINGLE_USE) !== 0) return fail('invite-malformed', 'its terms have unknown flags');
  const minutes = new DataView(bytes.buffer, bytes.byteOffset, bytes.length).getUint32(ID_BYTES);
  return ok({
    id: toHex(bytes.subarray(0, ID_BYTES)),
    expiresAt: minutes === 0 ? null : minutes * MINUTE_MS,
    singleUse: (flags & SINGLE_USE) !== 0,
  });
}

/** "This invite expired on Dec 4, 2026, 3:00 AM. Ask for a new one.", in the person's locale. */
export function inviteExpiredText(expiresAt: number): string {
  const when = new Date(expiresAt).toLocaleString(undefined, {
    dateStyle: 'medium',
    timeStyle: 'short',
  });
  return `This invite expired on ${when}. Ask for a new one.`;
}

/** What a device that used a single-use invite after someone else is told. */
export const INVITE_USED_TEXT =
  'This invite was already used by another device. Ask for a new one.';

/**
 * Whether a code with these terms may be used at `now`: a failure says when it expired, in the
 * person's words, and what to do.
 */
export function checkInviteTerms(terms: InviteTerms | null, now: number): Result<void> {
  const expiresAt = terms?.expiresAt ?? null;
  if (expiresAt !== null && now >= expiresAt)
    return fail('invite-expired', inviteExpiredText(expiresAt));
  return ok(undefined);
}
