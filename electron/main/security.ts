/**
 * Locks down the one window and its session, following Electron's security checklist: the
 * renderer may show only the app itself, never navigate away, open windows, embed webviews or
 * receive permissions beyond notifications, and runs under a strict Content-Security-Policy.
 */
import { APP_HOST, APP_SCHEME } from './appProtocol';
import { toSafeExternalUrl } from './externalUrl';

/**
 * The policy for every page of the app, always sent as a response header: by the app:// scheme
 * (appProtocol.ts), by web mode's companion and, relaxed, for the dev server (hardenSession).
 * connect-src allows ws:/wss: because LAN signaling servers are found at run time on addresses no
 * policy can list in advance, and Chromium lets `ws:` match wss: as well (docs/ARCHITECTURE.md,
 * "Security"); font-src allows data: for fonts inlined into the CSS bundle.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self' ws: wss:",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
].join('; ');

/**
 * Development only (the Vite dev server): React Fast Refresh injects an inline module script,
 * which the strict policy would block. Never used for the bundled app.
 */
export const DEV_CONTENT_SECURITY_POLICY = CONTENT_SECURITY_POLICY.replace(
  "script-src 'self'",
  "script-src 'self' 'unsafe-inline'",
);

/** Where the app's own pages come from: app://outpost/index.html, or the dev server. */
export interface AppLocation {
  /** The dev server URL (electron-vite's ELECTRON_RENDERER_URL); set only in development. */
  readonly devServerUrl?: string | undefined;
}

/**
 * True when `url` is a page of the app: in development any URL of the dev server's origin,
 * otherwise exactly app://outpost/index.html (any query or fragment).
 */
export function isAppUrl(url: string, app: AppLocation): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (app.devServerUrl) {
    let dev: URL;
    try {
      dev = new URL(app.devServerUrl);
    } catch {
      return false;
    }
    return (
      (dev.protocol === 'http:' || dev.protocol === 'https:') &&
      parsed.protocol === dev.protocol &&
      parsed.host === dev.host
    );
  }
  return (
    parsed.protocol === `${APP_SCHEME}:` &&
    parsed.host === APP_HOST &&
    parsed.username === '' &&
    parsed.password === '' &&
    parsed.pathname === '/index.html'
  );
}

/** What the renderer gets to see of an Electron event: the means to cancel it. */
export interface CancellableEvent {
  preventDefault(): void;
}

/** The parts of Electron's WebContents the hardening uses. */
export interface HardenableWebContents {
  on(event: 'will-navigate', listener: (event: CancellableEvent, url: string) => void): unknown;
  on(event: 'will-redirect', listener: (event: CancellableEvent, url: string) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: CancellableEvent) => void): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
}

export interface HardenDeps {
  readonly app: AppLocation;
  /** Opens an already validated http(s)/mailto link in the person's browser or mail app. */
  openExternal(url: string): Promise<void>;
  /** Told about every blocked attempt, for the log. */
  onBlocked?(what: string, url: string): void;
}

/** Denies navigation away from the app, new windows and webviews for one WebContents. */
export function hardenWebContents(contents: HardenableWebContents, deps: HardenDeps): void {
  const blocked = (what: string, url: string): void => deps.onBlocked?.(what, url);

  const keepInApp = (kind: string) => (event: CancellableEvent, url: string) => {
    if (isAppUrl(url, deps.app)) return;
    event.preventDefault();
    blocked(kind, url);
  };
  contents.on('will-navigate', keepInApp('navigation'));
  contents.on('will-redirect', keepInApp('redirect'));

  contents.setWindowOpenHandler(({ url }) => {
    const external = toSafeExternalUrl(url);
    if (external) {
      deps.openExternal(external).catch((error: unknown) => {
        blocked(`opening an external link failed (${String(error)})`, external);
      });
    } else {
      blocked('new window', url);
    }
    return { action: 'deny' };
  });

  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    blocked('webview', '');
  });
}

type HeaderMap = Record<string, string | string[]>;

interface PageContents {
  getURL(): string;
}

/** The parts of Electron's Session the hardening uses. */
export interface HardenableSession {
  setPermissionRequestHandler(
    handler: (
      webContents: PageContents,
      permission: string,
      callback: (granted: boolean) => void,
      details: { requestingUrl?: string },
    ) => void,
  ): void;
  setPermissionCheckHandler(
    handler: (
      webContents: PageContents | null,
      permission: string,
      requestingOrigin: string,
      details: { requestingUrl?: string },
    ) => boolean,
  ): void;
  readonly webRequest: {
    onHeadersReceived(
      listener: (
        details: { url: string; responseHeaders?: HeaderMap },
        callback: (response: { responseHeaders?: HeaderMap }) => void,
      ) => void,
    ): void;
  };
}

/** Grants only notifications, only to the app's own pages. */
export function isPermissionAllowed(
  permission: string,
  requestingUrl: string | undefined,
  app: AppLocation,
): boolean {
  return (
    permission === 'notifications' && requestingUrl !== undefined && isAppUrl(requestingUrl, app)
  );
}

/**
 * Installs the permission handlers, and the CSP header on http(s) responses: the dev server's
 * pages. The app:// scheme sets the header itself (appProtocol.ts).
 */
export function hardenSession(session: HardenableSession, app: AppLocation): void {
  session.setPermissionRequestHandler((contents, permission, callback, details) => {
    callback(isPermissionAllowed(permission, details.requestingUrl ?? contents.getURL(), app));
  });
  // A check may come without a requesting URL; the page's URL then stands for it.
  session.setPermissionCheckHandler((contents, permission, _origin, details) =>
    isPermissionAllowed(permission, details.requestingUrl ?? contents?.getURL(), app),
  );

  const policy = app.devServerUrl ? DEV_CONTENT_SECURITY_POLICY : CONTENT_SECURITY_POLICY;
  session.webRequest.onHeadersReceived((details, callback) => {
    const protocol = details.url.slice(0, details.url.indexOf(':') + 1).toLowerCase();
    if (protocol !== 'http:' && protocol !== 'https:') {
      callback({});
      return;
    }
    const headers: HeaderMap = {};
    for (const [name, value] of Object.entries(details.responseHeaders ?? {})) {
      // Drop any policy the server sent (in any letter case) so ours is the one in force.
      if (name.toLowerCase() !== 'content-security-policy') headers[name] = value;
    }
    headers['Content-Security-Policy'] = [policy];
    callback({ responseHeaders: headers });
  });
}
