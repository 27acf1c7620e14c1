/**
 * How a team's devices reach each other beyond the LAN, as stored per team on each device and
 * carried by version 2 invite codes (docs/PROTOCOL.md §5.1): the team's relays (`ws://` or
 * `wss://` addresses of Outpost relays) and its TURN server (coturn or any RFC 8656 server) with
 * its long-term credential. The limits keep the largest invite code within one QR code.
 */
import { z } from 'zod';

/** Most relays a team lists on a device. */
export const MAX_RELAYS = 16;
/** Most relays an invite carries (the first ones the team lists). */
export const MAX_INVITE_RELAYS = 3;
/** Most TURN addresses a team lists (and an invite carries). */
export const MAX_TURN_URLS = 3;
/** Longest relay or TURN address, in bytes (ASCII only). */
export const NETWORK_URL_MAX_BYTES = 120;
/** Longest TURN username and credential, in UTF-8 bytes. */
export const TURN_SECRET_MAX_BYTES = 64;

const utf8Length = (text: string): number => new TextEncoder().encode(text).length;

/** Printable ASCII with no spaces: what survives a copy through chat, and one byte a character. */
const PRINTABLE_ASCII = /^[\x21-\x7e]+$/;

/** An Outpost relay's address: `wss://` (or `ws://` on a LAN) with a host. */
export const RelayUrl = z
  .string()
  .trim()
  .max(NETWORK_URL_MAX_BYTES, `A relay address has at most ${NETWORK_URL_MAX_BYTES} characters.`)
  .refine(
    (value) => PRINTABLE_ASCII.test(value) && isRelayAddress(value),
    'A relay address starts with wss:// (or ws://) followed by a host name, e.g. wss://relay.example.org.',
  );

function isRelayAddress(value: string): boolean {
  try {
    const url = new URL(value);
    return (
      (url.protocol === 'wss:' || url.protocol === 'ws:') &&
      url.hostname !== '' &&
      url.username === '' &&
      url.password === '' &&
      url.hash === ''
    );
  } catch {
    return false;
  }
}

/**
 * A TURN server address as RTCPeerConnection takes it (RFC 7065): `turn:` or `turns:`, a host,
 * an optional port and an optional `?transport=udp|tcp`.
 */
export const TurnUrl = z
  .string()
  .trim()
  .max(NETWORK_URL_MAX_BYTES, `A TURN address has at most ${NETWORK_URL_MAX_BYTES} characters.`)
  .regex(
    /^turns?:(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(:\d{1,5})?(\?transport=(udp|tcp))?$/,
    'A TURN address starts with turn: or turns: followed by a host and an optional port, e.g. turn:turn.example.org:3478 or turns:turn.example.org:5349.',
  );

const TurnSecret = (what: string) =>
  z
    .string()
    .refine(
      (value) => utf8Length(value) <= TURN_SECRET_MAX_BYTES,
      `The TURN ${what} is at most ${TURN_SECRET_MAX_BYTES} bytes long.`,
    )
    .refine(
      (value) => !/\p{Cc}/u.test(value),
      `The TURN ${what} cannot contain control characters.`,
    );

/**
 * A team's TURN server as stored on a device. It is saved field by field as the person types, so
 * a stored one may be incomplete; {@link isTurnUsable} says whether connections can use it.
 */
export const TurnSettings = z
  .object({
    urls: z
      .array(TurnUrl)
      .max(MAX_TURN_URLS, `A team lists at most ${MAX_TURN_URLS} TURN addresses.`),
    username: TurnSecret('username'),
    credential: TurnSecret('password'),
    /**
     * Connect to this team's peers only through TURN (`iceTransportPolicy: 'relay'`): peers then
     * never learn this device's addresses. A choice of this device, never carried by invites.
     */
    relayOnly: z.boolean(),
  })
  .strict();
export type TurnSettings = z.infer<typeof TurnSettings>;

/** TURN settings as an invite carries them: complete, without this device's own choices. */
export interface InviteTurn {
  readonly urls: readonly string[];
  readonly username: string;
  readonly credential: string;
}

/** Whether connections can use these settings: an address, a username and a password. */
export function isTurnUsable(turn: TurnSettings | null | undefined): turn is TurnSettings {
  return !!turn && turn.urls.length > 0 && turn.username !== '' && turn.credential !== '';
}

/** What is still missing before the settings can be used, as a sentence; null when nothing is. */
export function turnMissing(turn: TurnSettings | null | undefined): string | null {
  if (!turn) return null;
  const missing = [
    turn.urls.length === 0 ? 'an address' : null,
    turn.username === '' ? 'a username' : null,
    turn.credential === '' ? 'a password' : null,
  ].filter((part): part is string => part !== null);
  if (missing.length === 0 || missing.length === 3) return null;
  const list =
    missing.length === 1 ? missing[0] : `${missing.slice(0, -1).join(', ')} and ${missing.at(-1)}`;
  return `Not in use yet: add ${list}.`;
}
