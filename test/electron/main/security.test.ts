import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { APP_INDEX_URL } from '../../../electron/main/appProtocol';
import {
  CONTENT_SECURITY_POLICY,
  DEV_CONTENT_SECURITY_POLICY,
  hardenSession,
  hardenWebContents,
  isAppUrl,
  type AppLocation,
} from '../../../electron/main/security';
import { FakeEvent, FakeSession, FakeWebContents } from '../fakeElectron';

const appUrl = APP_INDEX_URL;
const bundled: AppLocation = {};
const dev: AppLocation = { devServerUrl: 'http://localhost:5173/' };

function hardened(location: AppLocation = bundled) {
  const contents = new FakeWebContents(appUrl);
  const opened: string[] = [];
  const blocked: string[] = [];
  hardenWebContents(contents, {
    app: location,
    openExternal: (url) => {
      opened.push(url);
      return Promise.resolve();
    },
    onBlocked: (what, url) => blocked.push(`${what} ${url}`),
  });
  const fire = (event: string, ...args: unknown[]): FakeEvent => {
    const cancellable = new FakeEvent();
    contents.emit(event, cancellable, ...args);
    return cancellable;
  };
  return { contents, opened, blocked, fire };
}

describe('isAppUrl', () => {
  it('accepts exactly app://outpost/index.html, with any fragment or query', () => {
    expect(appUrl).toBe('app://outpost/index.html');
    expect(isAppUrl(appUrl, bundled)).toBe(true);
    expect(isAppUrl(`${appUrl}#/notes/abc`, bundled)).toBe(true);
    expect(isAppUrl(`${appUrl}?workspace=1`, bundled)).toBe(true);
  });

  it('refuses other files, other schemes and garbage', () => {
    expect(isAppUrl(pathToFileURL('/etc/passwd').href, bundled)).toBe(false);
    // The page as file:// no longer counts: the app is served only from app://.
    expect(isAppUrl(pathToFileURL('/opt/Outpost/out/renderer/index.html').href, bundled)).toBe(
      false,
    );
    expect(isAppUrl('app://outpost/other.html', bundled)).toBe(false);
    expect(isAppUrl('app://outpost/assets/index.js', bundled)).toBe(false);
    expect(isAppUrl('app://evil/index.html', bundled)).toBe(false);
    expect(isAppUrl('app://user:pw@outpost/index.html', bundled)).toBe(false);
    expect(isAppUrl('apps://outpost/index.html', bundled)).toBe(false);
    expect(isAppUrl('https://example.com/', bundled)).toBe(false);
    expect(isAppUrl('http://localhost:5173/', bundled)).toBe(false);
    expect(isAppUrl('not a url', bundled)).toBe(false);
    expect(isAppUrl('', bundled)).toBe(false);
  });

  it('in development accepts the dev server origin only', () => {
    expect(isAppUrl('http://localhost:5173/', dev)).toBe(true);
    expect(isAppUrl('http://localhost:5173/src/main.tsx?t=1', dev)).toBe(true);
    expect(isAppUrl('http://localhost:5174/', dev)).toBe(false);
    expect(isAppUrl('https://localhost:5173/', dev)).toBe(false);
    expect(isAppUrl('http://localhost.evil.com:5173/', dev)).toBe(false);
    expect(isAppUrl(appUrl, dev)).toBe(false);
  });
});

describe('hardenWebContents', () => {
  it('prevents navigation and redirects to a foreign URL', () => {
    const { fire, blocked } = hardened();
    expect(fire('will-navigate', 'https://evil.example.com/').defaultPrevented).toBe(true);
    expect(fire('will-navigate', pathToFileURL('/etc/passwd').href).defaultPrevented).toBe(true);
    expect(fire('will-redirect', 'https://evil.example.com/').defaultPrevented).toBe(true);
    expect(blocked).toEqual([
      'navigation https://evil.example.com/',
      `navigation ${pathToFileURL('/etc/passwd').href}`,
      'redirect https://evil.example.com/',
    ]);
  });

  it('lets the app navigate within itself', () => {
    const { fire } = hardened();
    expect(fire('will-navigate', `${appUrl}#/goals`).defaultPrevented).toBe(false);
    expect(fire('will-redirect', appUrl).defaultPrevented).toBe(false);
  });

  it('allows dev-server navigation only in development', () => {
    expect(hardened(dev).fire('will-navigate', 'http://localhost:5173/').defaultPrevented).toBe(
      false,
    );
    expect(hardened(bundled).fire('will-navigate', 'http://localhost:5173/').defaultPrevented).toBe(
      true,
    );
  });

  it('denies every new window and opens only web and mail links outside the app', async () => {
    const { contents, opened } = hardened();
    const open = (url: string) => contents.windowOpenHandler?.({ url });
    for (const url of [
      'https://example.com/docs?a=1',
      'http://example.com/',
      'mailto:team@example.com',
      'javascript:alert(1)',
      'file:///etc/passwd',
      'smb://share/x',
      'https://user:secret@example.com/',
      appUrl,
    ]) {
      expect(open(url)).toEqual({ action: 'deny' });
    }
    await Promise.resolve();
    expect(opened).toEqual([
      'https://example.com/docs?a=1',
      'http://example.com/',
      'mailto:team@example.com',
    ]);
  });

  it('prevents attaching a webview', () => {
    const { fire } = hardened();
    expect(fire('will-attach-webview', {}, {}).defaultPrevented).toBe(true);
  });
});

describe('hardenSession', () => {
  it('grants notifications to the app and nothing else to anyone', () => {
    const session = new FakeSession();
    hardenSession(session, bundled);
    expect(session.request('notifications', appUrl)).toBe(true);
    expect(session.request('notifications', 'https://evil.example.com/')).toBe(false);
    for (const permission of [
      'media',
      'geolocation',
      'clipboard-read',
      'openExternal',
      'fullscreen',
      'unknown',
    ]) {
      expect(session.request(permission, appUrl), permission).toBe(false);
    }
  });

  it('answers permission checks the same way, using the page URL when no requesting URL is given', () => {
    const session = new FakeSession();
    hardenSession(session, bundled);
    const check = session.checkHandler!;
    expect(
      check({ getURL: () => appUrl }, 'notifications', 'file://', { requestingUrl: appUrl }),
    ).toBe(true);
    expect(check({ getURL: () => appUrl }, 'notifications', 'file://', {})).toBe(true);
    expect(check({ getURL: () => 'https://evil.example.com/' }, 'notifications', '', {})).toBe(
      false,
    );
    expect(check(null, 'notifications', '', {})).toBe(false);
    expect(check({ getURL: () => appUrl }, 'media', 'file://', { requestingUrl: appUrl })).toBe(
      false,
    );
  });

  it('adds the strict CSP to http(s) responses, replacing any the server sent', () => {
    const session = new FakeSession();
    hardenSession(session, bundled);
    const answer = session.respond('https://example.com/page', {
      'content-type': ['text/html'],
      'content-security-policy': ['default-src *'],
    });
    expect(answer.responseHeaders).toEqual({
      'content-type': ['text/html'],
      'Content-Security-Policy': [CONTENT_SECURITY_POLICY],
    });
  });

  it('leaves non-http responses alone', () => {
    const session = new FakeSession();
    hardenSession(session, bundled);
    expect(session.respond(appUrl, { 'x-test': ['1'] })).toEqual({});
  });

  it('uses the development policy for the dev server', () => {
    const session = new FakeSession();
    hardenSession(session, dev);
    expect(session.respond('http://localhost:5173/', {}).responseHeaders).toEqual({
      'Content-Security-Policy': [DEV_CONTENT_SECURITY_POLICY],
    });
  });
});

describe('CONTENT_SECURITY_POLICY', () => {
  const directives = (policy: string) =>
    new Map(
      policy.split(';').map((part) => {
        const [name = '', ...values] = part.trim().split(/\s+/);
        return [name, values.join(' ')] as const;
      }),
    );

  it('is the strict policy of the architecture', () => {
    expect(Object.fromEntries(directives(CONTENT_SECURITY_POLICY))).toEqual({
      'default-src': "'self'",
      'script-src': "'self'",
      'style-src': "'self' 'unsafe-inline'",
      'img-src': "'self' data: blob:",
      'font-src': "'self' data:",
      'connect-src': "'self' ws: wss:",
      'object-src': "'none'",
      'base-uri': "'none'",
      'frame-ancestors': "'none'",
      'form-action': "'none'",
    });
  });

  it('relaxes only script-src for the dev server, and never allows eval', () => {
    const strict = directives(CONTENT_SECURITY_POLICY);
    const relaxed = directives(DEV_CONTENT_SECURITY_POLICY);
    expect(relaxed.get('script-src')).toBe("'self' 'unsafe-inline'");
    relaxed.delete('script-src');
    strict.delete('script-src');
    expect(relaxed).toEqual(strict);
    expect(DEV_CONTENT_SECURITY_POLICY).not.toContain('unsafe-eval');
  });
});
