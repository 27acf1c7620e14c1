/**
 * A relay address as a person types it: ws:// or wss://, a host, an optional port and path (a
 * relay behind a reverse proxy), nothing else. The mailbox is at the address's `/mailbox`.
 */
import { fail, ok, type Result } from '../../../shared/result';

const MAX_URL_LENGTH = 512;
const EXAMPLE = 'e.g. wss://relay.example.org or ws://192.168.1.20:4443';

/** The address in one spelling (no trailing slash), or why it is not one. */
export function checkRelayUrl(text: string): Result<string> {
  const trimmed = text.trim();
  if (trimmed === '') return fail('invalid-relay', `Type a relay address, ${EXAMPLE}.`);
  if (trimmed.length > MAX_URL_LENGTH)
    return fail('invalid-relay', `A relay address is at most ${MAX_URL_LENGTH} characters.`);
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return fail(
      'invalid-relay',
      `That is not an address: it starts with wss:// or ws://, ${EXAMPLE}.`,
    );
  }
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:')
    return fail('invalid-relay', `A relay address starts with wss:// or ws://, ${EXAMPLE}.`);
  if (url.hostname === '')
    return fail('invalid-relay', `A relay address names a host, ${EXAMPLE}.`);
  if (url.username || url.password)
    return fail('invalid-relay', 'A relay address carries no user name or password.');
  if (url.search || url.hash)
    return fail('invalid-relay', 'A relay address has no ?query or #fragment.');
  const path = url.pathname.replace(/\/+$/, '');
  return ok(`${url.protocol}//${url.host}${path}`);
}

/**
 * The usable relay addresses of a list as stored (an entry's `relays`), in one spelling each; an
 * address that does not check out (written by an older build, or edited by hand) is left out.
 */
export function usableRelayUrls(relays: readonly string[]): string[] {
  const urls = relays.flatMap((url) => {
    const checked = checkRelayUrl(url);
    return checked.ok ? [checked.value] : [];
  });
  return [...new Set(urls)];
}
