/**
 * Invite codes: how a team workspace's id, secret key and display name travel from one person to
 * another (copy and paste, chat, QR code). Version 2 also carries the team's relays and TURN
 * server (inviteReach.ts); it is written only when the team has either, so a team without them
 * keeps inviting with version 1 codes that older builds read. Version 3 adds the invite's terms
 * (inviteTerms.ts: an id, an expiry, single use) and is written only for a code with an expiry
 * or single use.
 *
 * The format (binary payload, Crockford base32 text form, decoding steps), the derivations from
 * the secret key and test vectors are specified in docs/PROTOCOL.md, section 5 ("Team workspaces
 * and sync"), precisely enough for another client; this file implements that section.
 */
import { digest as sha256 } from 'lib0/hash/sha256';
import { fail, ok, type Result } from '../result';
import { decodeBase32, encodeBase32 } from './base32';
import { fromHex, toHex } from './bytes';
import { readReach, writeReach, type InviteReach } from './inviteReach';
import {
  INVITE_TERMS_BYTES,
  readTerms,
  restricts,
  writeTerms,
  type InviteTerms,
} from './inviteTerms';
import {
  SECRET_KEY_BYTES,
  WORKSPACE_ID_BYTES,
  WORKSPACE_ID_PATTERN,
  isSecretKey,
  type WorkspaceSecrets,
} from './keys';

/**
 * The payload versions this build reads and writes: 1 (id, key, name), 2 (also relays, TURN) and
 * 3 (also the invite's terms).
 */
export const INVITE_VERSIONS = [1, 2, 3] as const;
export type InviteVersion = (typeof INVITE_VERSIONS)[number];
/** Text prefix of every invite code (matched case-insensitively). */
export const INVITE_PREFIX = 'OUTPOST-';
/** Maximum byte length of the UTF-8 workspace name carried in an invite. */
export const INVITE_NAME_MAX_BYTES = 96;

const CHECKSUM_BYTES = 4;
const ID_OFFSET = 1;
const KEY_OFFSET = ID_OFFSET + WORKSPACE_ID_BYTES;
const NAME_LENGTH_OFFSET = KEY_OFFSET + SECRET_KEY_BYTES;
const NAME_OFFSET = NAME_LENGTH_OFFSET + 1;
/** Length of a version 1 payload with an empty name. */
const MIN_PAYLOAD_BYTES = NAME_OFFSET + CHECKSUM_BYTES;
/** A version 2 payload has at least the relay count and TURN count bytes after the name. */
const MIN_REACH_BYTES = 2;
const MIN_PAYLOAD_CHARS = base32Length(MIN_PAYLOAD_BYTES);
/** 80 base32 characters are exactly the 50 bytes up to and including the name length. */
const HEAD_CHARS = (NAME_OFFSET * 8) / 5;

/** A decoded invite; a version 1 code carries no relays and no TURN server. */
export interface Invite extends WorkspaceSecrets, InviteReach {
  readonly version: InviteVersion;
  /** Display name of the workspace; may be empty. */
  readonly name: string;
  /** Expiry and single use (version 3); null for a code without them. */
  readonly terms: InviteTerms | null;
}

/**
 * What {@link encodeInvite} needs; the name is optional and cleaned up as the spec says. With
 * relays or complete TURN settings the code is version 2, otherwise version 1.
 */
export interface InviteInput extends WorkspaceSecrets, Partial<InviteReach> {
  readonly name?: string;
  /** With an expiry or single use, the code is version 3. */
  readonly terms?: InviteTerms | null;
}

/** Failure codes of {@link decodeInvite}, one per thing the person can do about it. */
export type InviteErrorCode =
  | 'invite-empty'
  | 'invite-not-outpost'
  | 'invite-unsupported-version'
  | 'invite-truncated'
  | 'invite-corrupted'
  | 'invite-malformed';

/**
 * Encodes a workspace's id, key and name as an invite code (see the specification above).
 * Throws a RangeError for an id or key of the wrong shape: those are programming errors.
 */
export function encodeInvite(input: InviteInput): string {
  if (!WORKSPACE_ID_PATTERN.test(input.workspaceId)) {
    throw new RangeError('A workspace id is 32 lower-case hex characters.');
  }
  if (!isSecretKey(input.secretKey)) {
    throw new RangeError(`A secret key is ${SECRET_KEY_BYTES} random bytes.`);
  }
  const name = new TextEncoder().encode(cleanInviteName(input.name ?? ''));
  const relays = input.relays ?? [];
  const turn = input.turn && input.turn.urls.length > 0 ? input.turn : null;
  const terms = restricts(input.terms) ? writeTerms(input.terms) : new Uint8Array();
  const reach =
    relays.length > 0 || turn || terms.length > 0 ? writeReach({ relays, turn }) : new Uint8Array();
  const payload = new Uint8Array(MIN_PAYLOAD_BYTES + name.length + reach.length + terms.length);
  payload[0] = terms.length > 0 ? 3 : reach.length > 0 ? 2 : 1;
  payload.set(fromHex(input.workspaceId) ?? [], ID_OFFSET);
  payload.set(input.secretKey, KEY_OFFSET);
  payload[NAME_LENGTH_OFFSET] = name.length;
  payload.set(name, NAME_OFFSET);
  payload.set(reach, NAME_OFFSET + name.length);
  payload.set(terms, NAME_OFFSET + name.length + reach.length);
  const body = payload.subarray(0, payload.length - CHECKSUM_BYTES);
  payload.set(checksum(body), body.length);
  return INVITE_PREFIX + encodeBase32(payload);
}

/**
 * Reads an invite code as pasted by a person: whitespace and line breaks anywhere, any case and
 * `-` separators are tolerated. Every failure carries a message the person can act on.
 */
export function decodeInvite(text: string): Result<Invite> {
  const compact = text.replace(/[\s\u200b-\u200d\u2060\ufeff]+/g, '');
  if (compact === '') {
    return fail('invite-empty', 'Paste an invite code to join a workspace.');
  }
  if (compact.slice(0, INVITE_PREFIX.length).toUpperCase() !== INVITE_PREFIX) {
    return fail(
      'invite-not-outpost',
      `This is not an Outpost invite code. Invite codes start with “${INVITE_PREFIX}”.`,
    );
  }
  const digits = compact.slice(INVITE_PREFIX.length).replace(/-/g, '');
  const invalid = /[^0-9A-Za-z]|[Uu]/.exec(digits);
  if (invalid) {
    return fail(
      'invite-corrupted',
      `This invite code contains “${invalid[0]}”, which never appears in an invite code. Copy the code again.`,
    );
  }
  const payload = decodeBase32(digits);
  if (payload === undefined || !hasValidChecksum(payload)) {
    return lostCharacters(digits) ? truncated() : corrupted();
  }
  const version = payload[0];
  if (version !== 1 && version !== 2 && version !== 3) {
    return fail(
      'invite-unsupported-version',
      `This invite code needs a newer version of Outpost (invite format ${version}). Update Outpost and try again.`,
    );
  }
  return readFields(payload, version);
}

/** Cleans a display name as encoders must: NFC, no control characters, trimmed, ≤ 96 bytes. */
export function cleanInviteName(name: string): string {
  const cleaned = name
    .normalize('NFC')
    .replace(/\p{Cc}/gu, '')
    .trim();
  const encoder = new TextEncoder();
  if (encoder.encode(cleaned).length <= INVITE_NAME_MAX_BYTES) return cleaned;
  let out = '';
  let bytes = 0;
  for (const { segment } of new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(
    cleaned,
  )) {
    bytes += encoder.encode(segment).length;
    if (bytes > INVITE_NAME_MAX_BYTES) break;
    out += segment;
  }
  return out.trim();
}

/**
 * Whether the base32 text is shorter than the code it claims to be: too short for any payload, or
 * (for versions 1 and 2, whose name length byte is readable after 80 characters) shorter than its
 * name length requires. A lost tail is the commonest paste accident and deserves its own message.
 */
function lostCharacters(digits: string): boolean {
  if (digits.length < MIN_PAYLOAD_CHARS) return true;
  const head = decodeBase32(digits.slice(0, HEAD_CHARS));
  const version = head?.[0];
  if (version !== 1 && version !== 2 && version !== 3) return false;
  const nameLength = head?.[NAME_LENGTH_OFFSET] ?? 0;
  const least = MIN_PAYLOAD_BYTES + nameLength + afterName(version);
  return nameLength <= INVITE_NAME_MAX_BYTES && digits.length < base32Length(least);
}

/** The fewest bytes a version has between the name and the checksum. */
function afterName(version: InviteVersion): number {
  return version === 1 ? 0 : version === 2 ? MIN_REACH_BYTES : MIN_REACH_BYTES + INVITE_TERMS_BYTES;
}

function base32Length(bytes: number): number {
  return Math.ceil((bytes * 8) / 5);
}

function readFields(payload: Uint8Array, version: InviteVersion): Result<Invite> {
  const nameLength = payload[NAME_LENGTH_OFFSET] ?? 0;
  const nameEnd = NAME_OFFSET + nameLength;
  const bodyEnd = payload.length - CHECKSUM_BYTES;
  const fits = version === 1 ? nameEnd === bodyEnd : nameEnd + afterName(version) <= bodyEnd;
  if (!fits || nameLength > INVITE_NAME_MAX_BYTES) {
    return malformed('its workspace name has the wrong length');
  }
  let name: string;
  try {
    name = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(
      payload.subarray(NAME_OFFSET, NAME_OFFSET + nameLength),
    );
  } catch {
    return malformed('its workspace name is not valid text');
  }
  if (/\p{Cc}/u.test(name)) {
    return malformed('its workspace name contains control characters');
  }
  const secretKey = payload.slice(KEY_OFFSET, KEY_OFFSET + SECRET_KEY_BYTES);
  if (!isSecretKey(secretKey)) {
    return malformed('its secret key is empty');
  }
  const reachEnd = version === 3 ? bodyEnd - INVITE_TERMS_BYTES : bodyEnd;
  const reach: Result<InviteReach> =
    version === 1 ? ok({ relays: [], turn: null }) : readReach(payload.subarray(nameEnd, reachEnd));
  if (!reach.ok) return malformed(reach.error.message);
  let terms: InviteTerms | null = null;
  if (version === 3) {
    const read = readTerms(payload.subarray(reachEnd, bodyEnd));
    if (!read.ok) return malformed(read.error.message);
    terms = read.value;
  }
  return ok({
    version,
    workspaceId: toHex(payload.subarray(ID_OFFSET, ID_OFFSET + WORKSPACE_ID_BYTES)),
    secretKey,
    name: name.normalize('NFC'),
    relays: reach.value.relays,
    turn: reach.value.turn,
    terms,
  });
}

function hasValidChecksum(payload: Uint8Array): boolean {
  if (payload.length < MIN_PAYLOAD_BYTES) return false;
  const body = payload.subarray(0, payload.length - CHECKSUM_BYTES);
  return checksum(body).every((byte, i) => payload[body.length + i] === byte);
}

function checksum(body: Uint8Array): Uint8Array {
  return Uint8Array.from(sha256(body).subarray(0, CHECKSUM_BYTES));
}

function truncated(): Result<Invite> {
  return fail(
    'invite-truncated',
    'This invite code is incomplete: part of it was lost when copying. Copy the whole code again.',
  );
}

function corrupted(): Result<Invite> {
  return fail(
    'invite-corrupted',
    'This invite code is damaged: a character is wrong or missing. Copy the code again.',
  );
}

function malformed(reason: string): Result<Invite> {
  return fail(
    'invite-malformed',
    `This invite code was made by a faulty app: ${reason}. Ask for a new code.`,
  );
}
