/**
 * What `npm start` says when Electron's binary is absent and cannot be downloaded (issue 22): the
 * electron package's own installer runs for real, from a copy of the package with no binary in
 * it, against a download mirror on a closed loopback port (nothing public is contacted), and the
 * failure becomes one sentence pointing to web mode instead of a stack trace.
 */
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { electronMissingMessage, ensureElectron } from '../../../electron/launch/start';
import { useTmpDir } from '../tmpDir';
import { freePort } from '../freePort';

const require = createRequire(import.meta.url);
const electronDir = path.dirname(require.resolve('electron/package.json'));
const nodeModules = path.dirname(electronDir);
const tmp = useTmpDir();

/** The electron package without its downloaded binary, as `npm ci` leaves it. */
async function electronPackageCopy(): Promise<string> {
  const dir = path.join(await tmp(), 'electron');
  await mkdir(dir);
  for (const file of ['install.js', 'package.json', 'checksums.json'])
    await copyFile(path.join(electronDir, file), path.join(dir, file));
  return dir;
}

async function offlineEnv(): Promise<NodeJS.ProcessEnv> {
  return {
    PATH: process.env.PATH,
    // The installer's own dependencies (@electron/get) from the project's node_modules.
    NODE_PATH: nodeModules,
    ELECTRON_MIRROR: `http://127.0.0.1:${await freePort()}/`,
    // An empty cache, so no earlier download on this machine stands in for the network.
    electron_config_cache: await tmp(),
  };
}

describe('npm start without the Electron binary', () => {
  it('reports a download that cannot happen as one sentence pointing to web mode', async () => {
    const dir = await electronPackageCopy();
    const check = await ensureElectron(path.join(dir, 'install.js'), await offlineEnv());
    expect(check).toEqual({ ok: false, reason: 'fetch failed' });
    const message = electronMissingMessage('fetch failed');
    expect(message).toBe(
      'Outpost could not download Electron, the desktop runtime (fetch failed); run Outpost in ' +
        'your browser instead with "npm run web", or try "npm start" again once github.com (or ' +
        'your ELECTRON_MIRROR) is reachable.',
    );
    // One sentence: a single full stop, at the end, and no stack frames.
    expect(message.match(/\.(\s|$)/g)).toHaveLength(1);
    expect(message).not.toMatch(/\n|\bat \//);
  });

  it('goes on without the network when the binary is already in place', async () => {
    const dir = await electronPackageCopy();
    const { version } = JSON.parse(await readFile(path.join(dir, 'package.json'), 'utf8')) as {
      version: string;
    };
    const executable =
      process.platform === 'win32'
        ? 'electron.exe'
        : process.platform === 'darwin'
          ? 'Electron.app/Contents/MacOS/Electron'
          : 'electron';
    await mkdir(path.dirname(path.join(dir, 'dist', executable)), { recursive: true });
    await writeFile(path.join(dir, 'dist', executable), '');
    await writeFile(path.join(dir, 'dist', 'version'), `v${version}`);
    await writeFile(path.join(dir, 'path.txt'), executable);
    expect(await ensureElectron(path.join(dir, 'install.js'), await offlineEnv())).toEqual({
      ok: true,
    });
  });
});
