/**
 * The desktop app's pages come from its own `app://outpost/` scheme, not from file:// (Electron's
 * security checklist, "Avoid usage of the file protocol"): a file:// page may read other files
 * and has no response headers, so its Content-Security-Policy could only be a meta tag. Every
 * response here carries the policy as a header, only files of the built renderer folder are
 * served (rendererFiles.ts), and the scheme is registered as standard and secure so the page gets
 * an origin of its own and the APIs that need a secure context (notifications, WebCrypto).
 */
import { readFile } from 'node:fs/promises';
import type { CustomScheme } from 'electron';
import { contentTypeFor, resolveRendererFile } from './rendererFiles';

export const APP_SCHEME = 'app';
export const APP_HOST = 'outpost';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
/** The one page of the app. */
export const APP_INDEX_URL = `${APP_ORIGIN}/index.html`;

/**
 * standard: relative URLs, an origin and storage (IndexedDB) of its own; secure: a secure
 * context; supportFetchAPI: the page may fetch its own files; codeCache: V8 keeps compiled
 * scripts across starts as it does for file://. Nothing bypasses the CSP, no service workers.
 */
export const APP_SCHEME_PRIVILEGES: CustomScheme = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true },
};

/** The parts of Electron's `protocol` the app uses. */
export interface ProtocolLike {
  /** Must run before the app is ready. */
  registerSchemesAsPrivileged(schemes: CustomScheme[]): void;
  handle(scheme: string, handler: (request: Request) => Response | Promise<Response>): void;
}

export interface AppProtocolOptions {
  /** The built renderer folder (out/renderer, inside app.asar when packaged). */
  readonly rendererDir: string;
  /** The Content-Security-Policy header, asked for each response. */
  readonly policy: () => string;
}

function plain(status: number, text: string, policy: string): Response {
  return new Response(text, {
    status,
    headers: {
      'content-type': 'text/plain; charset=utf-8',
      'content-security-policy': policy,
      'x-content-type-options': 'nosniff',
    },
  });
}

/** Answers one app:// request. */
export function createAppProtocolHandler(
  options: AppProtocolOptions,
): (request: Request) => Promise<Response> {
  return async (request) => {
    const policy = options.policy();
    if (request.method !== 'GET' && request.method !== 'HEAD')
      return plain(405, 'Method not allowed', policy);
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return plain(400, 'Malformed URL', policy);
    }
    if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST)
      return plain(404, 'Not found', policy);
    const found = await resolveRendererFile(options.rendererDir, url.pathname);
    if (found.kind === 'malformed') return plain(400, 'Malformed URL', policy);
    if (found.kind === 'refused') return plain(403, 'Forbidden', policy);
    if (found.kind === 'missing') return plain(404, 'Not found', policy);
    const body = await readFile(found.file).catch(() => null);
    if (!body) return plain(404, 'Not found', policy);
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), {
      status: 200,
      headers: {
        'content-type': contentTypeFor(found.file),
        'content-security-policy': policy,
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
        // The files change only with an update of the app; check rather than keep.
        'cache-control': 'no-cache',
      },
    });
  };
}
