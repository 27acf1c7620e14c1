/**
 * Two peers that cannot reach each other (../shared/docs/TESTING.md, "Peers that cannot reach
 * each other"): namespaces `a` and `b`, each joined only to a middle namespace `mid` that does not
 * forward between them. Both reach the middle's addresses (10.81.1.1 from a, 10.81.2.1 from b),
 * never each other, so whatever connects them has to run in the middle (a TURN server, a relay).
 * Needs root, like netns.ts; names are unique to the run and every namespace is deleted in
 * {@link SplitNetwork.destroy}.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { namespaceHandle, type NetNamespace } from './netns';

export interface SplitNetwork {
  readonly a: NetNamespace;
  readonly b: NetNamespace;
  readonly mid: NetNamespace;
  /** The middle's address as a reaches it, and as b reaches it. */
  readonly midFromA: string;
  readonly midFromB: string;
  /** The peers' own addresses. */
  readonly aAddress: string;
  readonly bAddress: string;
  destroy(): void;
}

/** Creates a ↔ mid ↔ b with forwarding off in mid. */
export function createSplitNetwork(): SplitNetwork {
  const tag = `${process.pid % 100_000}${Math.random().toString(36).slice(2, 5)}`;
  const names = { a: `opa-${tag}`, b: `opb-${tag}`, mid: `opm-${tag}` };
  const wrapperDir = mkdtempSync(path.join(tmpdir(), 'outpost-split-'));
  const made: NetNamespace[] = [];
  const run = (...args: string[]) => execFileSync('ip', args, { stdio: 'pipe' });
  try {
    for (const name of Object.values(names)) {
      run('netns', 'add', name);
      made.push(namespaceHandle(name, wrapperDir));
    }
    // Interface names live inside each namespace, so the short fixed names cannot collide with
    // another run's; they are created in a's and b's namespace directly for the same reason.
    run(
      '-n',
      names.a,
      'link',
      'add',
      'a0',
      'type',
      'veth',
      'peer',
      'name',
      'a1',
      'netns',
      names.mid,
    );
    run(
      '-n',
      names.b,
      'link',
      'add',
      'b0',
      'type',
      'veth',
      'peer',
      'name',
      'b1',
      'netns',
      names.mid,
    );
    run('-n', names.a, 'addr', 'add', '10.81.1.2/24', 'dev', 'a0');
    run('-n', names.mid, 'addr', 'add', '10.81.1.1/24', 'dev', 'a1');
    run('-n', names.b, 'addr', 'add', '10.81.2.2/24', 'dev', 'b0');
    run('-n', names.mid, 'addr', 'add', '10.81.2.1/24', 'dev', 'b1');
    for (const name of Object.values(names)) run('-n', name, 'link', 'set', 'lo', 'up');
    run('-n', names.a, 'link', 'set', 'a0', 'up');
    run('-n', names.mid, 'link', 'set', 'a1', 'up');
    run('-n', names.b, 'link', 'set', 'b0', 'up');
    run('-n', names.mid, 'link', 'set', 'b1', 'up');
    // A default route, without which WebRTC stacks offer no candidate at all; it leads to the
    // middle, which drops what is not for itself.
    run('-n', names.a, 'route', 'add', 'default', 'via', '10.81.1.1');
    run('-n', names.b, 'route', 'add', 'default', 'via', '10.81.2.1');
    execFileSync('ip', ['netns', 'exec', names.mid, 'sysctl', '-qw', 'net.ipv4.ip_forward=0']);
  } catch (error) {
    for (const namespace of made) namespace.destroy();
    rmSync(wrapperDir, { recursive: true, force: true });
    throw error;
  }
  const [a, b, mid] = made as [NetNamespace, NetNamespace, NetNamespace];
  return {
    a,
    b,
    mid,
    midFromA: '10.81.1.1',
    midFromB: '10.81.2.1',
    aAddress: '10.81.1.2',
    bAddress: '10.81.2.2',
    destroy() {
      for (const namespace of made) namespace.destroy();
      rmSync(wrapperDir, { recursive: true, force: true });
    },
  };
}
