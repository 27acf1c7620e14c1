/**
 * The web-mode companion over real HTTP on loopback: it serves the renderer with its security
 * headers, hands a session cookie to the browser that opens its one-time link, and answers the IPC
 * contract only to that browser's pages.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startWebCompanion, type WebCompanion } from '../../../electron/web/server';
import { CONTENT_SECURITY_POLICY } from '../../../electron/main/security';

let root: string;
let companion: WebCompanion;
/** `name=value` of the session cookie the one-time link handed over. */
let cookie: string;
let origin: string;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'outpost-web-test-'));
  const rendererDir = path.join(root, 'renderer');
  await mkdir(path.join(rendererDir, 'assets'), { recursive: true });
  await writeFile(
    path.join(rendererDir, 'index.html'),
    '<!doctype html><html><head><title>x</title></head><body></body></html>',
  );
  await writeFile(path.join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
  await writeFile(path.join(rendererDir, 'assets', 'start-B2H97DsQ.js'), 'console.log(2)');
  await writeFile(path.join(root, 'secret.txt'), 'do not serve');
  await symlink(path.join(root, 'secret.txt'), path.join(rendererDir, 'assets', 'leak.txt'));
  companion = await startWebCompanion({
    rendererDir,
    dataDir: path.join(root, 'data'),
    version: '1.2.3',
    log: () => {},
    // The LAN server on a free loopback port, and no mDNS on the machine's real interfaces.
    syncNetwork: { host: '127.0.0.1', port: 0, discovery: false },
  });
  origin = companion.url.replace(/\/$/, '');
  cookie = await signIn(companion.openLink());
});

/** Opens a one-time link as a browser would and returns the cookie it was handed. */
async function signIn(link: string): Promise<string> {
  const response = await fetch(link, { redirect: 'manual' });
  expect(response.status).toBe(303);
  expect(response.headers.get('location')).toBe('/');
  return (response.headers.get('set-cookie') ?? '').split(';')[0]!;
}

afterAll(async () => {
  await companion?.close();
  await rm(root, { recursive: true, force: true });
});

function call(channel: string, input: unknown, headers: Record<string, string> = {}) {
  return fetch(`${origin}/ipc/${channel}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin, cookie, ...headers },
    body: JSON.stringify({ input }),
  }).then(async (response) => ({
    status: response.status,
    body: (await response.json()) as Record<string, unknown>,
  }));
}

describe('web companion', () => {
  it('serves the page with the strict content security policy', async () => {
    const response = await fetch(companion.url, { headers: { cookie } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    const asset = await fetch(`${origin}/assets/app.js`);
    expect(asset.headers.get('content-type')).toContain('text/javascript');
  });

  it('lets the browser keep content-hashed build files, and only those', async () => {
    const page = await fetch(companion.url, { headers: { cookie } });
    expect(page.headers.get('cache-control')).toBe('no-store');
    const hashed = await fetch(`${origin}/assets/start-B2H97DsQ.js`);
    expect(await hashed.text()).toBe('console.log(2)');
    expect(hashed.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const plain = await fetch(`${origin}/assets/app.js`);
    expect(plain.headers.get('cache-control')).toBe('no-cache');
  });

  it('answers IPC calls from its own page with results', async () => {
    const info = await call('app:getInfo', null);
    expect(info.body).toMatchObject({ ok: true, value: { shell: 'web', version: '1.2.3' } });
    const updated = await call('settings:update', { theme: 'dark' });
    expect(updated.body).toMatchObject({ ok: true, value: { theme: 'dark' } });
    expect((await call('settings:get', null)).body).toMatchObject({
      ok: true,
      value: { theme: 'dark' },
    });
  });

  it('rejects calls without the session cookie or from another origin', async () => {
    for (const other of ['', `${cookie.split('=')[0]}=wrong`, 'outpost-session=x']) {
      expect((await call('settings:get', null, { cookie: other })).body, other).toMatchObject({
        ok: false,
        error: { code: 'forbidden' },
      });
    }
    expect(
      (await call('settings:get', null, { origin: 'http://evil.example' })).body,
    ).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
  });

  it('rejects bad arguments, unknown channels and malformed bodies with clear errors', async () => {
    const bad = await call('settings:update', { theme: 'purple' });
    expect(bad.body).toMatchObject({ ok: false, error: { code: 'invalid-argument' } });
    expect(String((bad.body.error as { message: string }).message)).toContain('theme');
    expect((await call('files:delete', null)).body).toMatchObject({
      ok: false,
      error: { code: 'unknown-channel' },
    });
    const malformed = await fetch(`${origin}/ipc/settings:get`, {
      method: 'POST',
      headers: { origin, cookie },
      body: '{not json',
    });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ ok: false, error: { code: 'bad-request' } });
  });

  it('refuses links it cannot open for the browser and never serves files outside the renderer', async () => {
    expect((await call('shell:openExternal', { url: 'https://example.org' })).body).toMatchObject({
      ok: false,
      error: { code: 'unsupported' },
    });
    for (const target of ['/..%2Fsecret.txt', '/assets/..%2f..%2fsecret.txt', '/assets/leak.txt']) {
      const traversal = await fetch(`${origin}${target}`, { headers: { cookie } });
      expect(traversal.status, target).toBe(403);
      expect(await traversal.text()).not.toContain('do not serve');
    }
  });

  it('refuses requests addressed to another host name (DNS rebinding)', async () => {
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${origin}/`, { headers: { host: 'attacker.example' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(421);
  });

  it('pushes events to its pages over server-sent events', async () => {
    const controller = new AbortController();
    const response = await fetch(`${origin}/events`, {
      headers: { cookie },
      signal: controller.signal,
    });
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const reader = response.body!.getReader();
    await reader.read(); // the ": connected" comment
    await call('settings:update', { theme: 'light' });
    const { value } = await reader.read();
    expect(new TextDecoder().decode(value)).toContain('"event":"settings:changed"');
    controller.abort();
    expect((await fetch(`${origin}/events`)).status).toBe(403);
  });

  interface Frame {
    theme?: string;
    snapshot?: { state: { phase: string } };
    events?: unknown[];
  }
  it('sends the settings and the timer pushed while a page was away when its stream reconnects', async () => {
    const events = async () => {
      const controller = new AbortController();
      const response = await fetch(`${origin}/events`, {
        headers: { cookie },
        signal: controller.signal,
      });
      const reader = response.body!.getReader();
      let text = '';
      return {
        /** Reads until `pattern` shows in the stream. */
        async until(pattern: RegExp) {
          while (!pattern.test(text)) {
            const { value, done } = await reader.read();
            if (done) throw new Error(`The stream ended without ${String(pattern)}: ${text}`);
            text += new TextDecoder().decode(value);
          }
          return text;
        },
        close: () => controller.abort(),
      };
    };
    const first = await events();
    await first.until(/: connected/);
    first.close();
    // While no page listens: a theme change and a focus block started (by another tab, say).
    await call('settings:update', { theme: 'dark' });
    expect((await call('focus:act', { type: 'start' })).body.ok).toBe(true);

    const again = await events();
    const text = await again.until(/"event":"focus:changed"/);
    again.close();
    const frames = text
      .split('\n\n')
      .filter((frame) => frame.startsWith('data: '))
      .map(
        (frame) => JSON.parse(frame.slice('data: '.length)) as { event: string; payload: Frame },
      );
    const settings = frames.find((frame) => frame.event === 'settings:changed');
    expect(settings?.payload.theme).toBe('dark');
    const focus = frames.find((frame) => frame.event === 'focus:changed');
    expect(focus?.payload.snapshot?.state.phase).toBe('focus');
    // Its break notices were for the page that was there: not repeated.
    expect(focus?.payload.events).toEqual([]);
  });
});
