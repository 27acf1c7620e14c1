/**
 * Uses of single-use invite codes (docs/PROTOCOL.md §1.9): each device that joins with one writes
 * its use into the workspace, keyed by the invite's id and a token of its own. The first use (the
 * earliest time, then the smaller token) is the one that counts on every replica; a device that
 * finds its own use is not the first joined with a code someone else had already used.
 *
 * A Y.Map with one key per use, not one per invite: two devices joining at once each add their
 * own key, and no write overwrites another (a map key per invite would keep whichever Yjs happens
 * to prefer, which could be the later use).
 */
import type * as Y from 'yjs';
import { MODEL_ORIGIN } from './roots';

/** Root Y.Map of invite uses: key `<invite id>.<token>`, value the time of use (ms). */
export const INVITE_USES_ROOT = 'inviteUses';
/** Uses read at most; past this the rest is ignored (a peer cannot make reading unbounded). */
export const MAX_INVITE_USES_READ = 10_000;

const INVITE_ID = /^[0-9a-f]{16}$/;
const TOKEN = /^[0-9a-f]{32}$/;

/** One device's use of an invite. */
export interface InviteUse {
  readonly inviteId: string;
  /** 128 random bits (32 hex) made by the joining device. */
  readonly token: string;
  /** When it joined, ms since the Unix epoch. */
  readonly at: number;
}

/** A fresh random token for a joining device. */
export function newJoinToken(): string {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** Records `use` in the workspace (a RangeError for malformed ids: a programming error). */
export function recordInviteUse(doc: Y.Doc, use: InviteUse): void {
  if (!INVITE_ID.test(use.inviteId) || !TOKEN.test(use.token) || !Number.isFinite(use.at))
    throw new RangeError('An invite use has a 16-hex id, a 32-hex token and a time.');
  doc.transact(
    () => doc.getMap<unknown>(INVITE_USES_ROOT).set(`${use.inviteId}.${use.token}`, use.at),
    MODEL_ORIGIN,
  );
}

/**
 * The use of `inviteId` that counts: the earliest, ties broken by the smaller token; null when
 * none is recorded. Entries that are not well-formed (a faulty or hostile peer's) are ignored.
 */
export function firstInviteUse(doc: Y.Doc, inviteId: string): InviteUse | null {
  let first: InviteUse | null = null;
  let read = 0;
  for (const [key, value] of doc.getMap<unknown>(INVITE_USES_ROOT).entries()) {
    if (++read > MAX_INVITE_USES_READ) break;
    const [id, token] = key.split('.');
    if (id !== inviteId || !token || !TOKEN.test(token)) continue;
    if (typeof value !== 'number' || !Number.isFinite(value)) continue;
    if (!first || value < first.at || (value === first.at && token < first.token))
      first = { inviteId, token, at: value };
  }
  return first;
}
