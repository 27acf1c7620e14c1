/**
 * The renderer served from app://outpost/ (issue 17), through the fake Electron surface: the scheme
 * is privileged before the app is ready, the window loads it, every response carries the CSP as a
 * header with the right MIME type, and nothing outside the built renderer folder is ever served —
 * not by `..`, encoded traversal, absolute or drive paths, nor a symbolic link pointing out.
 */
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { appPathsFrom, startOutpost } from '../../../electron/main/app';
import { APP_INDEX_URL } from '../../../electron/main/appProtocol';
import { CONTENT_SECURITY_POLICY } from '../../../electron/main/security';
import { createFakeElectron, type FakeElectron } from '../fakeElectron';
import { useTmpDir } from '../tmpDir';
import { trackRunningOutpost } from './runningOutpost';

const makeTmpDir = useTmpDir();
const running = trackRunningOutpost();

const SECRET = 'the contents of a file outside the app';

/** A built app (out/main, out/renderer) with a secret beside it, started on the fake Electron. */
async function startBuilt(
  options: { devServerUrl?: string } = {},
): Promise<{ fake: FakeElectron; root: string }> {
  const root = await makeTmpDir();
  const renderer = path.join(root, 'out', 'renderer');
  await mkdir(path.join(renderer, 'assets'), { recursive: true });
  const files: Record<string, string> = {
    'index.html': '<!doctype html><title>Outpost</title><script src="./assets/index.js"></script>',
    'assets/index.js': 'console.log(1)',
    'assets/index.css': 'body{}',
    'icon.svg': '<svg xmlns="http://www.w3.org/2000/svg"/>',
    'assets/font.woff2': 'wOF2',
    'assets/engine.wasm': '\0asm',
    'assets/data.bin': 'bytes',
  };
  for (const [name, content] of Object.entries(files))
    await writeFile(path.join(renderer, name), content);
  await writeFile(path.join(root, 'secret.txt'), SECRET);
  await writeFile(path.join(root, 'out', 'secret.txt'), SECRET);
  await symlink(path.join(root, 'secret.txt'), path.join(renderer, 'assets', 'leak.txt'));
  await symlink(root, path.join(renderer, 'up'));

  const fake = createFakeElectron({ userData: await makeTmpDir() });
  const instance = await startOutpost(fake.surface, {
    paths: appPathsFrom(path.join(root, 'out', 'main'), null),
    platform: 'linux',
    devServerUrl: options.devServerUrl,
    windowStateDebounceMs: 60_000,
    syncNetwork: { host: '127.0.0.1', port: 0, discovery: false },
  });
  running.push(instance!);
  return { fake, root };
}

describe('app:// scheme', () => {
  it('is privileged before the app is ready and serves the page the window loads', async () => {
    const { fake } = await startBuilt();
    expect(fake.protocol.privileged).toEqual([
      {
        scheme: 'app',
        privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true },
      },
    ]);
    expect(fake.windows[0]!.loaded).toEqual([{ kind: 'url', target: APP_INDEX_URL }]);
    const page = await fake.protocol.fetch(APP_INDEX_URL);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await page.text()).toContain('<title>Outpost</title>');
    expect(await (await fake.protocol.fetch('app://outpost/')).text()).toContain('Outpost');
  });

  it('names each kind of file with its MIME type', async () => {
    const { fake } = await startBuilt();
    for (const [file, type] of [
      ['assets/index.js', 'text/javascript; charset=utf-8'],
      ['assets/index.css', 'text/css; charset=utf-8'],
      ['icon.svg', 'image/svg+xml'],
      ['assets/font.woff2', 'font/woff2'],
      ['assets/engine.wasm', 'application/wasm'],
      ['assets/data.bin', 'application/octet-stream'],
    ] as const) {
      const response = await fake.protocol.fetch(`app://outpost/${file}`);
      expect(response.status, file).toBe(200);
      expect(response.headers.get('content-type'), file).toBe(type);
      expect(response.headers.get('content-security-policy'), file).toBe(CONTENT_SECURITY_POLICY);
    }
  });

  it('refuses every way out of the renderer folder', async () => {
    const { fake, root } = await startBuilt();
    const refused = [
      'app://outpost/..%2Fsecret.txt',
      'app://outpost/..%2F..%2Fsecret.txt',
      'app://outpost/assets/..%2f..%2f..%2fsecret.txt',
      'app://outpost/%2e%2e%2f%2e%2e%2fsecret.txt',
      'app://outpost/..%5C..%5Csecret.txt',
      'app://outpost/C:%5CWindows%5Cwin.ini',
      'app://outpost/index.html%00.png',
      // Symbolic links inside the folder that point out of it.
      'app://outpost/assets/leak.txt',
      'app://outpost/up/secret.txt',
    ];
    for (const url of refused) {
      const response = await fake.protocol.fetch(url);
      expect(response.status, url).toBe(403);
      expect(await response.text(), url).not.toContain(SECRET);
      expect(response.headers.get('content-security-policy'), url).toBe(CONTENT_SECURITY_POLICY);
    }
    // What URL parsing already folds into the folder, or names no file of it, is simply absent.
    for (const url of [
      'app://outpost/../secret.txt',
      'app://outpost/%2e%2e/secret.txt',
      `app://outpost/${encodeURIComponent(path.join(root, 'secret.txt'))}`,
      `app://outpost/${path.join(root, 'secret.txt')}`,
      'app://outpost/missing.js',
    ]) {
      const response = await fake.protocol.fetch(url);
      expect(response.status, url).toBe(404);
      expect(await response.text(), url).not.toContain(SECRET);
    }
  });

  it('answers another host, another method and a broken encoding without serving a file', async () => {
    const { fake } = await startBuilt();
    expect((await fake.protocol.fetch('app://elsewhere/index.html')).status).toBe(404);
    expect((await fake.protocol.fetch(APP_INDEX_URL, { method: 'POST', body: 'x' })).status).toBe(
      405,
    );
    expect((await fake.protocol.fetch('app://outpost/%E0%A4%A')).status).toBe(400);
    const head = await fake.protocol.fetch(APP_INDEX_URL, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it('is not served in development, where the dev server is the page', async () => {
    const { fake } = await startBuilt({ devServerUrl: 'http://localhost:5173/' });
    expect(fake.protocol.handlers.size).toBe(0);
    expect(fake.windows[0]!.loaded).toEqual([{ kind: 'url', target: 'http://localhost:5173/' }]);
  });
});
