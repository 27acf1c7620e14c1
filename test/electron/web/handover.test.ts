/**
 * How web mode's companion lets in only the person who started it (issue 17): the page it serves
 * carries no secret, a one-time link exchanges a code for an HttpOnly SameSite=Strict cookie, and
 * anything else that reaches the port — another account, another process, a used link — gets no
 * page and no IPC. Malformed request targets answer 400, never 500.
 */
import { request } from 'node:http';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebCompanion, type WebCompanion } from '../../../electron/web/server';

const INDEX = '<!doctype html><html><head><title>Outpost</title></head><body></body></html>';

let root: string;
let companion: WebCompanion;
let origin: string;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'outpost-web-handover-'));
  const rendererDir = path.join(root, 'renderer');
  await mkdir(rendererDir, { recursive: true });
  await writeFile(path.join(rendererDir, 'index.html'), INDEX);
  companion = await startWebCompanion({
    rendererDir,
    dataDir: path.join(root, 'data'),
    log: () => {},
    syncNetwork: { host: '127.0.0.1', port: 0, discovery: false },
  });
  origin = companion.url.replace(/\/$/, '');
});

afterAll(async () => {
  await companion?.close();
  await rm(root, { recursive: true, force: true });
});

function open(link: string, cookie = ''): Promise<Response> {
  return fetch(link, { redirect: 'manual', headers: cookie ? { cookie } : {} });
}

function getSettings(cookie: string): Promise<unknown> {
  return fetch(`${origin}/ipc/settings:get`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin, ...(cookie ? { cookie } : {}) },
    body: JSON.stringify({ input: null }),
  }).then((response) => response.json());
}

/** A raw request, for targets fetch() would normalise before sending. */
function rawRequest(method: string, target: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: companion.port, method, path: target },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end(method === 'POST' ? '{"input":null}' : undefined);
  });
}

describe('web companion sign-in', () => {
  it('serves a page without any secret, and only to a browser that opened a link', async () => {
    const stranger = await fetch(companion.url);
    expect(stranger.status).toBe(403);
    expect(stranger.headers.get('set-cookie')).toBeNull();
    const explanation = await stranger.text();
    expect(explanation).toContain('Open Outpost with the link from the terminal');
    expect(explanation).toContain('npm run web');

    const handed = await open(companion.openLink());
    const cookie = handed.headers.get('set-cookie')!.split(';')[0]!;
    const page = await fetch(companion.url, { headers: { cookie } });
    expect(page.status).toBe(200);
    // Byte for byte the built file: nothing per run (no token) is written into the page.
    expect(await page.text()).toBe(INDEX);
    expect(page.headers.get('set-cookie')).toBeNull();
  });

  it('hands over an HttpOnly, SameSite=Strict session cookie named after its port', async () => {
    const handed = await open(companion.openLink());
    expect(handed.status).toBe(303);
    expect(handed.headers.get('location')).toBe('/');
    expect(handed.headers.get('referrer-policy')).toBe('no-referrer');
    const [pair, ...attributes] = handed.headers.get('set-cookie')!.split(/;\s*/);
    expect(pair).toMatch(new RegExp(`^outpost-session-${companion.port}=[A-Za-z0-9_-]{32}$`));
    expect(attributes.map((attribute) => attribute.toLowerCase()).sort()).toEqual([
      'httponly',
      'path=/',
      'samesite=strict',
    ]);
  });

  it('lets each link in once: used, made-up and empty codes get nothing', async () => {
    const link = companion.openLink();
    const first = await open(link);
    const cookie = first.headers.get('set-cookie')!.split(';')[0]!;
    expect(await getSettings(cookie)).toMatchObject({ ok: true });

    const again = await open(link);
    expect(again.status).toBe(403);
    expect(again.headers.get('set-cookie')).toBeNull();
    expect(await again.text()).toContain('This link has been used already');
    for (const made of [`${origin}/open?code=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`, `${origin}/open`]) {
      const response = await open(made);
      expect(response.status, made).toBe(403);
      expect(response.headers.get('set-cookie'), made).toBeNull();
    }
    // The browser that used it, clicking it again, is simply taken to the app.
    const signedInAgain = await open(link, cookie);
    expect(signedInAgain.status).toBe(303);
    expect(signedInAgain.headers.get('set-cookie')).toBeNull();
  });

  it('keeps one session per browser: a second link signs in a second browser', async () => {
    const one = (await open(companion.openLink())).headers.get('set-cookie')!.split(';')[0]!;
    const two = (await open(companion.openLink())).headers.get('set-cookie')!.split(';')[0]!;
    expect(one).not.toBe(two);
    expect(await getSettings(one)).toMatchObject({ ok: true });
    expect(await getSettings(two)).toMatchObject({ ok: true });
  });

  it('gives a process without the cookie no IPC and no events', async () => {
    expect(await getSettings('')).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const name = `outpost-session-${companion.port}`;
    expect(await getSettings(`${name}=guess`)).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect((await fetch(`${origin}/events`)).status).toBe(403);
    expect((await fetch(`${origin}/events`, { headers: { cookie: `${name}=guess` } })).status).toBe(
      403,
    );
  });

  it('answers malformed URLs with 400, not 500', async () => {
    for (const [method, target] of [
      ['GET', '/%E0%A4%A'],
      ['GET', '/assets/%'],
      ['POST', '/ipc/%E0%A4%A'],
      ['GET', '/open%'],
    ] as const) {
      const answer = await rawRequest(method, target);
      expect(answer.status, `${method} ${target}`).toBe(400);
      expect(answer.body).toBe('Malformed URL');
    }
  });
});
