/**
 * The part of a version 2 invite code after the workspace name: the team's relays and its TURN
 * server (docs/PROTOCOL.md §5.1). Every field is a length byte followed by that many bytes, so a
 * reader never needs more than the lengths it has read; every value is checked with the same
 * schemas the app stores them with (teamNetwork.ts), so an invite cannot carry what the app would
 * refuse to keep.
 */
import { fail, ok, type Result } from '../result';
import {
  MAX_INVITE_RELAYS,
  MAX_TURN_URLS,
  NETWORK_URL_MAX_BYTES,
  RelayUrl,
  TURN_SECRET_MAX_BYTES,
  TurnUrl,
  type InviteTurn,
} from './teamNetwork';

/** What the section holds. */
export interface InviteReach {
  readonly relays: readonly string[];
  readonly turn: InviteTurn | null;
}

const encoder = new TextEncoder();

/**
 * The section's bytes. The caller passes values the app has validated; a value over its limit is
 * a programming error (RangeError). Relays past the first {@link MAX_INVITE_RELAYS} are left out.
 */
export function writeReach(reach: InviteReach): Uint8Array {
  const out: number[] = [];
  const field = (bytes: Uint8Array, max: number, what: string) => {
    if (bytes.length > max) throw new RangeError(`${what} is longer than ${max} bytes.`);
    out.push(bytes.length, ...bytes);
  };
  const relays = reach.relays.slice(0, MAX_INVITE_RELAYS);
  out.push(relays.length);
  for (const url of relays) field(encoder.encode(url), NETWORK_URL_MAX_BYTES, 'A relay address');
  const turn = reach.turn;
  if (!turn || turn.urls.length === 0) {
    out.push(0);
    return Uint8Array.from(out);
  }
  if (turn.urls.length > MAX_TURN_URLS) throw new RangeError('Too many TURN addresses.');
  if (turn.username === '' || turn.credential === '')
    throw new RangeError('An invite carries only complete TURN settings.');
  out.push(turn.urls.length);
  for (const url of turn.urls) field(encoder.encode(url), NETWORK_URL_MAX_BYTES, 'A TURN address');
  field(encoder.encode(turn.username), TURN_SECRET_MAX_BYTES, 'The TURN username');
  field(encoder.encode(turn.credential), TURN_SECRET_MAX_BYTES, 'The TURN password');
  return Uint8Array.from(out);
}

/**
 * Reads a section that must fill `bytes` exactly. A failure's message is the reason only, to end
 * the sentence "This invite code was made by a faulty app: …".
 */
export function readReach(bytes: Uint8Array): Result<InviteReach> {
  let at = 0;
  const byte = (): number | undefined => bytes[at++];
  const field = (max: number): Uint8Array | undefined => {
    const length = byte();
    if (length === undefined || length === 0 || length > max || at + length > bytes.length)
      return undefined;
    const value = bytes.subarray(at, at + length);
    at += length;
    return value;
  };
  const text = (value: Uint8Array): string | undefined => {
    try {
      return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(value);
    } catch {
      return undefined;
    }
  };

  const relayCount = byte();
  if (relayCount === undefined || relayCount > MAX_INVITE_RELAYS)
    return problem('its list of relays is too long');
  const relays: string[] = [];
  for (let i = 0; i < relayCount; i++) {
    const raw = field(NETWORK_URL_MAX_BYTES);
    const url = raw && text(raw);
    if (url === undefined || !exact(RelayUrl, url)) return problem('a relay address is not valid');
    relays.push(url);
  }

  const turnCount = byte();
  if (turnCount === undefined || turnCount > MAX_TURN_URLS)
    return problem('its list of TURN addresses is too long');
  let turn: InviteTurn | null = null;
  if (turnCount > 0) {
    const urls: string[] = [];
    for (let i = 0; i < turnCount; i++) {
      const raw = field(NETWORK_URL_MAX_BYTES);
      const url = raw && text(raw);
      if (url === undefined || !exact(TurnUrl, url)) return problem('a TURN address is not valid');
      urls.push(url);
    }
    const username = readSecret(field(TURN_SECRET_MAX_BYTES), text);
    const credential = readSecret(field(TURN_SECRET_MAX_BYTES), text);
    if (username === undefined || credential === undefined)
      return problem('its TURN username or password is not valid');
    turn = { urls, username, credential };
  }
  if (at !== bytes.length) return problem('it has bytes after its TURN settings');
  return ok({ relays, turn });
}

function readSecret(
  raw: Uint8Array | undefined,
  text: (value: Uint8Array) => string | undefined,
): string | undefined {
  const value = raw && text(raw);
  return value === undefined || /\p{Cc}/u.test(value) ? undefined : value;
}

/** Valid as it stands: the schema accepts it and would not change it (no trimming). */
function exact(schema: typeof RelayUrl | typeof TurnUrl, value: string): boolean {
  const parsed = schema.safeParse(value);
  return parsed.success && parsed.data === value;
}

function problem(reason: string): Result<InviteReach> {
  return fail('invite-malformed', reason);
}
