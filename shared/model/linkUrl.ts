/** Which web links a note or a decision context may hold (docs/PROTOCOL.md §1.4.1). */

/**
 * The URL a web link may point to: http(s) and mailto only; a bare domain gets `https://`.
 * Returns null for anything else (javascript:, file:, data:, malformed).
 */
export function safeLinkUrl(raw: string): string | null {
  const text = raw.trim();
  if (!text || text.length > 2048 || /\s/.test(text)) return null;
  const withScheme = /^[a-z][a-z0-9+.-]*:/i.test(text)
    ? text
    : /^[\w-]+(\.[\w-]+)+([/?#:].*)?$/.test(text)
      ? `https://${text}`
      : null;
  if (!withScheme) return null;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    return null;
  }
  if (url.protocol === 'mailto:') return url.pathname.includes('@') ? url.href : null;
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  return url.hostname ? url.href : null;
}
