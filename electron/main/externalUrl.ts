/**
 * Which links Outpost hands to the operating system. Anything else (javascript:, file:, custom
 * app schemes, smb: ...) could run code or open local files, so it is refused.
 */
const EXTERNAL_PROTOCOLS = new Set(['https:', 'http:', 'mailto:']);

/** Returns the normalised URL when it is a web or e-mail link that may be opened, else null. */
export function toSafeExternalUrl(raw: string): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (!EXTERNAL_PROTOCOLS.has(url.protocol)) return null;
  if (url.protocol !== 'mailto:' && url.hostname === '') return null;
  // user:password@ in a web link is a classic way to disguise the real host.
  if (url.username !== '' || url.password !== '') return null;
  return url.href;
}

/** True when `raw` is a web or e-mail link that may be opened outside the app. */
export function isSafeExternalUrl(raw: string): boolean {
  return toSafeExternalUrl(raw) !== null;
}
