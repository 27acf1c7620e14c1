/**
 * Benches that need real WebRTC between Node peers run in a private network namespace: WebRTC
 * offers no ICE candidate without an interface with a default route, and nothing may reach a
 * public network (../shared/docs/TESTING.md). The suite re-runs one of its own modules as a child
 * inside the namespace; the child prints its results as the last line of its stdout.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import path from 'node:path';
import type { BenchResult } from './report';

const INSIDE = 'OUTPOST_BENCH_INSIDE';

/** True in the child a namespace runs: the module it was started as measures instead. */
export function insideNamespace(): boolean {
  return process.env[INSIDE] === '1';
}

/** Run as the child's main: prints the results where {@link runInNamespace} reads them. */
export async function printResults(run: () => Promise<BenchResult[]>): Promise<never> {
  const results = await run();
  process.stdout.write(`${JSON.stringify(results)}\n`);
  process.exit(0);
}

/** JSON has no NaN: a figure the child could not measure (NaN) arrives as null. */
const notMeasured = (key: string, value: unknown) =>
  key === 'value' && value === null ? Number.NaN : value;

export type NamespaceRun =
  | { readonly ok: true; readonly results: BenchResult[] }
  /** `why` says what a person reads: no namespace could be made, or how the child ended. */
  | { readonly ok: false; readonly unavailable: boolean; readonly why: string };

export interface NamespaceOptions {
  /** Part of the namespace's name, with this process's id, so that parallel runs never share one. */
  readonly tag: string;
  /** The module to run inside (it calls {@link printResults} when {@link insideNamespace}). */
  readonly script: string;
  /** The child is killed after this long: a hung run must report, not hang the bench. */
  readonly timeoutMs: number;
  readonly env?: Readonly<Record<string, string>>;
  /** Options for the Node process run inside (a bigger heap, say). */
  readonly nodeArgs?: readonly string[];
}

/** Runs `script` in a namespace of its own, deleted afterwards whatever happened. */
export function runInNamespace(options: NamespaceOptions): NamespaceRun {
  const name = `outpost-${options.tag}-${process.pid}`;
  try {
    execFileSync('ip', ['netns', 'add', name], { stdio: 'pipe' });
  } catch {
    return {
      ok: false,
      unavailable: true,
      why: 'creating a network namespace needs root and iproute2 (WebRTC needs an interface with a default route)',
    };
  }
  try {
    const ip = (...args: string[]) => execFileSync('ip', ['-n', name, ...args], { stdio: 'pipe' });
    ip('link', 'set', 'lo', 'up');
    ip('link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1');
    ip('addr', 'add', '10.77.0.1/24', 'dev', 'v0');
    ip('addr', 'add', '10.77.0.2/24', 'dev', 'v1');
    ip('link', 'set', 'v0', 'up');
    ip('link', 'set', 'v1', 'up');
    ip('route', 'add', 'default', 'via', '10.77.0.2', 'dev', 'v0');
    const child = spawnSync(
      'ip',
      [
        'netns',
        'exec',
        name,
        process.execPath,
        ...(options.nodeArgs ?? []),
        '--import',
        'tsx',
        options.script,
      ],
      {
        env: { ...process.env, ...options.env, [INSIDE]: '1' },
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'inherit'],
        cwd: path.resolve(import.meta.dirname, '..'),
        timeout: options.timeoutMs,
        // A 100,000-note run prints little, but the default 1 MiB must never cut its last line.
        maxBuffer: 64 * 1024 * 1024,
      },
    );
    const line = child.stdout.trim().split('\n').pop() ?? '';
    if (child.status === 0 && line.startsWith('['))
      return { ok: true, results: JSON.parse(line, notMeasured) as BenchResult[] };
    const how = child.signal
      ? `was killed by ${child.signal}${child.error ? ` (${child.error.message})` : ''}`
      : `exited with ${child.status}`;
    return {
      ok: false,
      unavailable: false,
      why: `the run in the namespace ${how} without results`,
    };
  } finally {
    execFileSync('ip', ['netns', 'del', name], { stdio: 'pipe' });
  }
}
