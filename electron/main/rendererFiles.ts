/**
 * Which file of the built renderer a URL path names, for the two places that serve it: the desktop
 * app's app:// scheme (appProtocol.ts) and web mode's companion. Anything that would leave the
 * renderer folder — `..`, encoded traversal, an absolute or drive path, a symbolic link pointing
 * out — is refused, so a page (or anyone who reaches the companion's port) reads only the app.
 */
import { promises as fsp } from 'node:fs';
import path from 'node:path';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.map': 'application/json',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

/** The Content-Type for a file name; unknown kinds are opaque bytes (nosniff keeps them so). */
export function contentTypeFor(file: string): string {
  return MIME[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

export type RendererFile =
  /** `file` is the real path inside the renderer folder; `relative` is the path as asked. */
  | { readonly kind: 'file'; readonly file: string; readonly relative: string }
  /** The percent-encoding is broken: a bad request, not a missing file. */
  | { readonly kind: 'malformed' }
  /** The path points outside the renderer folder (or at something that is no plain name). */
  | { readonly kind: 'refused' }
  | { readonly kind: 'missing' };

function inside(root: string, file: string): boolean {
  return file.startsWith(root.endsWith(path.sep) ? root : root + path.sep);
}

/**
 * Resolves a URL's path (still percent-encoded, as `URL#pathname` gives it) to a file of the
 * renderer folder `rendererDir`; `/` is index.html.
 */
export async function resolveRendererFile(
  rendererDir: string,
  urlPath: string,
): Promise<RendererFile> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return { kind: 'malformed' };
  }
  const relative = decoded.replace(/^\/+/, '') || 'index.html';
  // A NUL would cut the name short in the file system; a backslash is a separator on Windows
  // (and never part of a built file's name); a drive or absolute path is not a path in the app.
  if (
    relative.includes('\0') ||
    relative.includes('\\') ||
    /^[A-Za-z]:/.test(relative) ||
    path.isAbsolute(relative)
  )
    return { kind: 'refused' };
  const root = path.resolve(rendererDir);
  const file = path.resolve(root, relative);
  if (!inside(root, file)) return { kind: 'refused' };
  let real: string;
  try {
    real = await fsp.realpath(file);
  } catch {
    return { kind: 'missing' };
  }
  // A symbolic link inside the folder may still point anywhere on the disk.
  const realRoot = await fsp.realpath(root).catch(() => root);
  if (!inside(realRoot, real)) return { kind: 'refused' };
  const stat = await fsp.stat(real).catch(() => null);
  if (!stat?.isFile()) return { kind: 'missing' };
  return { kind: 'file', file: real, relative };
}
