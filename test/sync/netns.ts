/**
 * A private network namespace for sync tests (../shared/docs/TESTING.md): loopback plus a veth pair
 * with a default route, so WebRTC offers host candidates and mDNS has an interface to multicast on,
 * and nothing outside the namespace can be reached. Needs root (CI runs as root); elsewhere the
 * tests that need it skip with {@link NETNS_SKIP_REASON}.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface NetNamespace {
  readonly name: string;
  /** Runs `command args` inside the namespace. */
  spawn(command: string, args: readonly string[], env?: NodeJS.ProcessEnv): ChildProcess;
  /** Runs a command inside the namespace and waits for it. */
  exec(command: string, args: readonly string[]): string;
  /** An executable that runs `target` inside the namespace (for Playwright's executablePath). */
  wrapper(target: string): string;
  destroy(): void;
}

let probe: string | null | undefined;

/** Why namespaces cannot be made here, or null when they can. */
export function netnsUnavailable(): string | null {
  if (probe !== undefined) return probe;
  const name = `outpost-probe-${process.pid}`;
  try {
    execFileSync('ip', ['netns', 'add', name], { stdio: 'pipe' });
    execFileSync('ip', ['netns', 'del', name], { stdio: 'pipe' });
    probe = null;
  } catch (error) {
    probe = `cannot create a network namespace (${String(error).split('\n')[0]}); run as root with iproute2 installed`;
  }
  return probe;
}

export const NETNS_SKIP_REASON = (): string =>
  `Skipping real-network sync tests: ${netnsUnavailable() ?? ''}`;

/**
 * Waits (a few seconds at most) until the namespace's network stops changing: both veth ends up
 * with a carrier, and no address still tentative. Nothing started after this sees a change.
 */
function waitUntilSettled(name: string): void {
  const deadline = Date.now() + 5000;
  for (;;) {
    const links = execFileSync('ip', ['-n', name, '-o', 'link', 'show'], { encoding: 'utf8' });
    const tentative = execFileSync('ip', ['-n', name, '-o', 'addr', 'show', 'tentative'], {
      encoding: 'utf8',
    });
    const carriers = links.split('\n').filter((line) => /\bv[01]@.*LOWER_UP/.test(line)).length;
    if ((carriers === 2 && tentative.trim() === '') || Date.now() > deadline) return;
    execFileSync('sleep', ['0.05']);
  }
}

/** Creates the namespace with lo, veth v0 (10.77.0.1) ↔ v1 (10.77.0.2) and a default route. */
export function createNetns(): NetNamespace {
  const name = `outpost-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  const ip = (...args: string[]) => execFileSync('ip', ['-n', name, ...args], { stdio: 'pipe' });
  execFileSync('ip', ['netns', 'add', name], { stdio: 'pipe' });
  ip('link', 'set', 'lo', 'up');
  ip('link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1');
  // Without this, each veth's IPv6 link-local address arrives about a second after the link comes
  // up (once duplicate address detection ends). Chromium takes that for a network change and fails
  // every request in flight with ERR_NETWORK_CHANGED: a page loading then (the app fetching its
  // scripts) showed "Outpost could not start" and the test waited for onboarding in vain.
  execFileSync(
    'ip',
    [
      'netns',
      'exec',
      name,
      'sh',
      '-c',
      'if [ -d /proc/sys/net/ipv6/conf/v0 ]; then for i in v0 v1; do echo 0 > /proc/sys/net/ipv6/conf/$i/accept_dad; done; fi',
    ],
    { stdio: 'pipe' },
  );
  ip('addr', 'add', '10.77.0.1/24', 'dev', 'v0');
  ip('addr', 'add', '10.77.0.2/24', 'dev', 'v1');
  ip('link', 'set', 'v0', 'up');
  ip('link', 'set', 'v1', 'up');
  ip('route', 'add', 'default', 'via', '10.77.0.2', 'dev', 'v0');
  waitUntilSettled(name);
  const wrapperDir = mkdtempSync(path.join(tmpdir(), 'outpost-netns-'));
  const namespace = namespaceHandle(name, wrapperDir);
  return {
    ...namespace,
    destroy() {
      namespace.destroy();
      rmSync(wrapperDir, { recursive: true, force: true });
    },
  };
}

/**
 * A handle on an existing namespace `name`; its wrappers are written into `wrapperDir`, which the
 * caller removes. `destroy` kills whatever still runs in the namespace and deletes it.
 */
export function namespaceHandle(name: string, wrapperDir: string): NetNamespace {
  let wrappers = 0;
  return {
    name,
    spawn(command, args, env) {
      return spawn('ip', ['netns', 'exec', name, command, ...args], {
        stdio: ['pipe', 'pipe', 'pipe'],
        env: { ...process.env, ...env },
      });
    },
    exec(command, args) {
      return execFileSync('ip', ['netns', 'exec', name, command, ...args], {
        encoding: 'utf8',
        stdio: 'pipe',
      });
    },
    wrapper(target) {
      const file = path.join(wrapperDir, `${name}-${wrappers++}.sh`);
      writeFileSync(file, `#!/bin/sh\nexec ip netns exec ${name} ${target} "$@"\n`);
      chmodSync(file, 0o755);
      return file;
    },
    destroy() {
      try {
        execFileSync('ip', ['netns', 'pids', name], { encoding: 'utf8' })
          .split('\n')
          .filter(Boolean)
          .forEach((pid) => {
            try {
              process.kill(Number(pid), 'SIGKILL');
            } catch {
              // gone
            }
          });
        execFileSync('ip', ['netns', 'del', name], { stdio: 'pipe' });
      } catch {
        // already gone
      }
    },
  };
}
