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
  const reader = new FieldReader(bytes);
  const relays = reader.list(MAX_INVITE_RELAYS, (value) => exact(RelayUrl, value));
  if (!relays) return problem('its list of relays is not valid');
  const urls = reader.list(MAX_TURN_URLS, (value) => exact(TurnUrl, value));
  if (!urls) return problem('its list of TURN addresses is not valid');
  let turn: InviteTurn | null = null;
  if (urls.length > 0) {
    const username = reader.secret();
    const credential = reader.secret();
    if (username === undefined || credential === undefined)
      return problem('its TURN username or password is not valid');
    turn = { urls, username, credential };
  }
  if (!reader.done()) return problem('it has bytes after its TURN settings');
  return ok({ relays, turn });
}

/** Length-prefixed fields read one after the other; undefined for anything out of bounds. */
class FieldReader {
  private at = 0;
  constructor(private readonly bytes: Uint8Array) {}

  done(): boolean {
    return this.at === this.bytes.length;
  }

  /** A count byte (at most `max`), then that many addresses, each accepted by `valid`. */
  list(max: number, valid: (value: string) => boolean): string[] | undefined {
    const count = this.bytes[this.at++];
    if (count === undefined || count > max) return undefined;
    const items: string[] = [];
    for (let i = 0; i < count; i++) {
      const value = this.text(NETWORK_URL_MAX_BYTES);
      if (value === undefined || !valid(value)) return undefined;
      items.push(value);
    }
    return items;
  }

  /** A TURN username or password: non-empty UTF-8 without control characters. */
  secret(): string | undefined {
    const value = this.text(TURN_SECRET_MAX_BYTES);
    return value === undefined || /\p{Cc}/u.test(value) ? undefined : value;
  }

  /** A length byte (1..max), then that many bytes of UTF-8. */
  private text(max: number): string | undefined {
    const length = this.bytes[this.at++];
    if (length === undefined || length === 0 || length > max) return undefined;
    if (this.at + length > this.bytes.length) return undefined;
    const raw = this.bytes.subarray(this.at, this.at + length);
    this.at += length;
    try {
      return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(raw);
    } catch {
      return undefined;
    }
  }
}

/** Valid as it stands: the schema accepts it and would not change it (no trimming). */
function exact(schema: typeof RelayUrl | typeof TurnUrl, value: string): boolean {
  const parsed = schema.safeParse(value);
  return parsed.success && parsed.data === value;
}

function problem(reason: string): Result<InviteReach> {
  return fail('invite-malformed', reason);
}
