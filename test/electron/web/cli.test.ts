/**
 * What `npm run web` says at a terminal (issues 17 and 22): the one-time link and how to get
 * another, and, instead of a stack trace, one sentence for a busy or bad port that names the port
 * and how to choose another.
 */
import { createServer, type Server } from 'node:net';
import { PassThrough } from 'node:stream';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  DEFAULT_WEB_PORT,
  portInUseMessage,
  runWebCli,
  webPortFrom,
  type WebCliOptions,
} from '../../../electron/web/cli';
import type { WebCompanion } from '../../../electron/web/server';
import { freePort } from '../freePort';

let root: string;
let printed: string[];
let errors: string[];
const running: WebCompanion[] = [];
const blockers: Server[] = [];

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'outpost-web-cli-'));
  await mkdir(path.join(root, 'renderer'));
  await writeFile(path.join(root, 'renderer', 'index.html'), '<!doctype html><title>x</title>');
  printed = [];
  errors = [];
});

afterEach(async () => {
  await Promise.all(running.splice(0).map((companion) => companion.close()));
  await Promise.all(
    blockers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))),
  );
  await rm(root, { recursive: true, force: true });
});

function options(overrides: Partial<WebCliOptions> = {}): WebCliOptions {
  return {
    argv: [],
    env: { OUTPOST_DATA_DIR: path.join(root, 'data') },
    rendererDir: path.join(root, 'renderer'),
    version: 'test',
    print: (text) => printed.push(text),
    printError: (text) => errors.push(text),
    syncNetwork: { host: '127.0.0.1', port: 0, discovery: false },
    ...overrides,
  };
}

/** A port some other program already listens on (loopback). */
async function busyPort(): Promise<number> {
  const server = createServer();
  blockers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (typeof address !== 'object' || !address) throw new Error('no port');
  return address.port;
}

describe('npm run web', () => {
  it('names a busy port and both ways to choose another, in one sentence', async () => {
    const port = await busyPort();
    const companion = await runWebCli(options({ argv: ['--port', String(port)] }));
    expect(companion).toBeNull();
    expect(errors).toEqual([portInUseMessage(port)]);
    expect(errors[0]).toBe(
      `Port ${port} is already in use (is Outpost web mode already running?); choose another ` +
        `with "npm run web -- --port ${port + 1}" or "PORT=${port + 1} npm run web".`,
    );
    expect(printed.join('\n')).not.toMatch(/\n\s+at /);
  });

  it('finds the busy port from PORT as well', async () => {
    const port = await busyPort();
    expect(await runWebCli(options({ env: { ...options().env, PORT: String(port) } }))).toBeNull();
    expect(errors).toEqual([portInUseMessage(port)]);
  });

  it('refuses something that is not a port with a sentence, before starting anything', async () => {
    for (const bad of ['http', '0', '70000', '-1', '5178x']) {
      errors = [];
      expect(await runWebCli(options({ argv: [`--port=${bad}`] }))).toBeNull();
      expect(errors).toEqual([`"${bad}" is not a port number; use a number from 1 to 65535.`]);
    }
  });

  it('picks the flag over PORT over the default', () => {
    expect(webPortFrom([], {})).toEqual({ port: DEFAULT_WEB_PORT });
    expect(webPortFrom([], { PORT: '6001' })).toEqual({ port: 6001 });
    expect(webPortFrom(['--port', '6002'], { PORT: '6001' })).toEqual({ port: 6002 });
    expect(webPortFrom(['--port=6003'], {})).toEqual({ port: 6003 });
  });

  it('says when the renderer was not built, without a stack trace', async () => {
    const port = await freePort();
    const companion = await runWebCli(
      options({ argv: ['--port', String(port)], rendererDir: path.join(root, 'missing') }),
    );
    expect(companion).toBeNull();
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^Outpost web mode could not start: No built renderer in .*missing/);
  });

  it('prints a one-time link that signs a browser in, and a new one on Enter', async () => {
    const input = new PassThrough();
    const port = await freePort();
    const started = await runWebCli(options({ argv: ['--port', String(port)], input }));
    expect(started).not.toBeNull();
    running.push(started!);
    const text = printed.join('\n');
    expect(text).toContain(`Outpost (web mode) is running at http://127.0.0.1:${port}/`);
    const first = /(http:\/\/127\.0\.0\.1:\d+\/open\?code=[A-Za-z0-9_-]+)/.exec(text)?.[1];
    expect(first).toBeDefined();
    expect(text).toContain('Press Enter for a link for another browser');

    const before = printed.length;
    input.write('\n');
    await new Promise((resolve) => setImmediate(resolve));
    const second = /(http:\/\/\S+\/open\?code=\S+)/.exec(printed.slice(before).join('\n'))?.[1];
    expect(second).toBeDefined();
    expect(second).not.toBe(first);
    for (const link of [first!, second!]) {
      const response = await fetch(link, { redirect: 'manual' });
      expect(response.status, link).toBe(303);
    }
  });
});
