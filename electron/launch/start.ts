/**
 * `npm start`: makes sure the Electron binary is there, then builds and starts the desktop app.
 * The binary is not in the npm package; Electron downloads it from GitHub on first use, and where
 * that is blocked (a firewall, a proxy, no internet on the train) the person used to get a stack
 * trace from deep inside the electron package. Now they get one sentence and the way that works
 * without it: web mode.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export type ElectronCheck = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/** The last line of an error that says what went wrong (e.g. "TypeError: fetch failed"). */
function reasonFrom(output: string): string {
  const line = output
    .split('\n')
    .map((text) => text.trim())
    .find((text) => text !== '' && !text.startsWith('at '));
  return (line ?? 'no error was reported').replace(/^(Type)?Error: /, '');
}

/**
 * Runs the electron package's own installer, which exits at once when the binary is in place and
 * otherwise downloads it (honouring ELECTRON_MIRROR and its other settings).
 */
export function ensureElectron(
  installScript: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<ElectronCheck> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [installScript], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.on('error', (error) => resolve({ ok: false, reason: error.message }));
    child.on('close', (code) =>
      resolve(code === 0 ? { ok: true } : { ok: false, reason: reasonFrom(output) }),
    );
  });
}

/** The one sentence `npm start` says when there is no Electron binary and it cannot be fetched. */
export function electronMissingMessage(reason: string): string {
  return (
    `Outpost could not download Electron, the desktop runtime (${reason}); ` +
    `run Outpost in your browser instead with "npm run web", ` +
    `or try "npm start" again once github.com (or your ELECTRON_MIRROR) is reachable.`
  );
}

function run(command: string, args: readonly string[]): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: 'inherit' });
    child.on('error', () => resolve(1));
    child.on('close', (code) => resolve(code ?? 1));
  });
}

const isEntry = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isEntry) {
  const require = createRequire(import.meta.url);
  const installScript = path.join(
    path.dirname(require.resolve('electron/package.json')),
    'install.js',
  );
  const electron = await ensureElectron(installScript);
  if (!electron.ok) {
    console.error(electronMissingMessage(electron.reason));
    process.exitCode = 1;
  } else {
    // Through Node itself rather than node_modules/.bin, whose Windows entry is a .cmd file.
    const cli = path.join(
      path.dirname(require.resolve('electron-vite/package.json')),
      'bin',
      'electron-vite.js',
    );
    const built = await run(process.execPath, [cli, 'build']);
    process.exitCode =
      built === 0 ? await run(process.execPath, [cli, 'preview', '--skipBuild']) : built;
  }
}
