/**
 * `npm run web`: starts the web companion for a person at a terminal. It prints the one-time link
 * that signs their browser in (and another on Enter, for a second browser), and turns the failures
 * a newcomer meets — a busy port, a bad port, no built renderer — into one sentence saying what to
 * do instead of a stack trace.
 */
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { PortInUseError, startWebCompanion, type WebCompanion } from './server';
import type { SyncNetworkPlacement } from '../main/services';

export const DEFAULT_WEB_PORT = 5178;

export interface WebCliOptions {
  /** Arguments after the script (`npm run web -- --port 5200`). */
  readonly argv: readonly string[];
  readonly env: NodeJS.ProcessEnv;
  readonly rendererDir: string;
  readonly version: string;
  readonly print: (text: string) => void;
  readonly printError: (text: string) => void;
  /** The terminal, for "press Enter for another link"; absent when not interactive. */
  readonly input?: NodeJS.ReadableStream | undefined;
  /** Tests keep the LAN server on loopback and mDNS off. */
  readonly syncNetwork?: SyncNetworkPlacement;
}

/** The port from `--port N` / `--port=N`, else `PORT`, else the default; or why it is not one. */
export function webPortFrom(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
): { port: number } | { error: string } {
  let given: string | undefined = env.PORT;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--port') given = argv[++i] ?? '';
    else if (arg.startsWith('--port=')) given = arg.slice('--port='.length);
  }
  if (given === undefined || given === '') return { port: DEFAULT_WEB_PORT };
  const port = Number(given);
  if (!/^\d+$/.test(given) || port < 1 || port > 65_535)
    return { error: `"${given}" is not a port number; use a number from 1 to 65535.` };
  return { port };
}

function defaultDataDir(env: NodeJS.ProcessEnv): string {
  const base = env.XDG_CONFIG_HOME ?? path.join(homedir(), '.config');
  return env.OUTPOST_DATA_DIR ?? path.join(base, 'outpost-web');
}

/** The one sentence for a port some other program holds. */
export function portInUseMessage(port: number): string {
  const other = port >= 65_535 ? port - 1 : port + 1;
  return (
    `Port ${port} is already in use (is Outpost web mode already running?); ` +
    `choose another with "npm run web -- --port ${other}" or "PORT=${other} npm run web".`
  );
}

/** Starts the companion as the terminal command does; resolves null (after saying why) on failure. */
export async function runWebCli(options: WebCliOptions): Promise<WebCompanion | null> {
  const chosen = webPortFrom(options.argv, options.env);
  if ('error' in chosen) {
    options.printError(chosen.error);
    return null;
  }
  let companion: WebCompanion;
  try {
    companion = await startWebCompanion({
      rendererDir: options.rendererDir,
      dataDir: defaultDataDir(options.env),
      port: chosen.port,
      version: options.version,
      log: options.print,
      ...(options.syncNetwork ? { syncNetwork: options.syncNetwork } : {}),
    });
  } catch (error) {
    options.printError(
      error instanceof PortInUseError
        ? portInUseMessage(chosen.port)
        : `Outpost web mode could not start: ${error instanceof Error ? error.message : String(error)}`,
    );
    return null;
  }
  options.print(
    `Outpost (web mode) is running at ${companion.url}\n` +
      `Open it with this link (it works once, in one browser):\n\n  ${companion.openLink()}\n`,
  );
  if (options.input) {
    options.print('Press Enter for a link for another browser, Ctrl+C to stop.');
    createInterface({ input: options.input }).on('line', () =>
      options.print(`  ${companion.openLink()}`),
    );
  } else {
    options.print('Press Ctrl+C to stop.');
  }
  return companion;
}

const isEntry = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isEntry) {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
  const pkg = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8')) as {
    version: string;
  };
  const companion = await runWebCli({
    argv: process.argv.slice(2),
    env: process.env,
    rendererDir: path.join(root, 'out/renderer'),
    version: pkg.version,
    print: (text) => console.info(text),
    printError: (text) => console.error(text),
    input: process.stdin.isTTY ? process.stdin : undefined,
  });
  if (!companion) {
    process.exitCode = 1;
  } else {
    const stop = () => void companion.close().then(() => process.exit(0));
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  }
}
