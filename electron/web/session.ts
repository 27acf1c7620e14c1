/**
 * Who may act as web mode's page. The companion listens on loopback, where every local account and
 * process can reach it, so the served page carries no secret (a page anyone can fetch would hand it
 * out). Instead the companion prints a link with a one-time code in the terminal that started it,
 * which only that person reads; opening the link exchanges the code for a session cookie that is
 * HttpOnly (no script, not even the page's, reads it) and SameSite=Strict (no other site's page
 * sends it). Codes and sessions are kept as SHA-256 digests, so looking one up takes the same time
 * however much of a guess was right.
 */
import { createHash, randomBytes } from 'node:crypto';
import { parseCookie, stringifySetCookie } from 'cookie';

/** At most this many links wait to be opened; an older one stops working when a new one is made. */
const MAX_OPEN_CODES = 16;

export interface WebSessions {
  /** The cookie's name (one per port: cookies do not tell ports apart). */
  readonly cookieName: string;
  /** A new code for a one-time link. */
  issueCode(): string;
  /** Exchanges a code for a new session, once; null for an unknown or used code. */
  redeem(code: string): string | null;
  /** True when a request's Cookie header carries a session this companion handed out. */
  isSignedIn(cookieHeader: string | undefined): boolean;
  /** The Set-Cookie header that hands `session` to the browser. */
  setCookieHeader(session: string): string;
}

function digest(secret: string): string {
  return createHash('sha256').update(secret).digest('base64url');
}

function newSecret(): string {
  return randomBytes(24).toString('base64url');
}

export function createWebSessions(port: number): WebSessions {
  const cookieName = `outpost-session-${port}`;
  const codes = new Set<string>();
  const sessions = new Set<string>();
  return {
    cookieName,
    issueCode() {
      const code = newSecret();
      codes.add(digest(code));
      // A Set iterates in insertion order: the first is the oldest.
      for (const old of codes) {
        if (codes.size <= MAX_OPEN_CODES) break;
        codes.delete(old);
      }
      return code;
    },
    redeem(code) {
      if (!codes.delete(digest(code))) return null;
      const session = newSecret();
      sessions.add(digest(session));
      return session;
    },
    isSignedIn(cookieHeader) {
      if (!cookieHeader) return false;
      const session = parseCookie(cookieHeader)[cookieName];
      return session !== undefined && sessions.has(digest(session));
    },
    setCookieHeader(session) {
      return stringifySetCookie({
        name: cookieName,
        value: session,
        httpOnly: true,
        sameSite: 'strict',
        path: '/',
      });
    },
  };
}
