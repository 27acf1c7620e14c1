/** Starts and drives {@link ./nodePeer.ts} processes (inside a namespace or not). */
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { NetNamespace } from './netns';

export interface PeerProcess {
  readonly child: ChildProcess;
  readonly stderr: string[];
  call<T = unknown>(cmd: string, args?: Record<string, unknown>, timeoutMs?: number): Promise<T>;
  close(): Promise<void>;
}

const TSX_IMPORT = ['--import', 'tsx'];

/** Starts a Node script of this repository with tsx, in `netns` when given. */
export function startScript(
  script: string,
  netns?: NetNamespace,
  env?: NodeJS.ProcessEnv,
): ChildProcess {
  const args = [...TSX_IMPORT, path.resolve(script)];
  return netns
    ? netns.spawn(process.execPath, args, env)
    : spawn(process.execPath, args, {
        stdio: ['pipe', 'pipe', 'pipe'],
        env: { ...process.env, ...env },
      });
}

/** Wraps a JSON-lines child (nodePeer.ts and friends) in an RPC. */
export function rpc(child: ChildProcess): PeerProcess {
  let nextId = 1;
  const pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  const stderr: string[] = [];
  child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
  createInterface({ input: child.stdout! }).on('line', (line) => {
    let reply: { id: number; ok: boolean; value?: unknown; error?: string };
    try {
      reply = JSON.parse(line) as typeof reply;
    } catch {
      return;
    }
    const waiter = pending.get(reply.id);
    if (!waiter) return;
    pending.delete(reply.id);
    if (reply.ok) waiter.resolve(reply.value);
    else waiter.reject(new Error(reply.error));
  });
  child.on('exit', (code) => {
    for (const waiter of pending.values())
      waiter.reject(new Error(`peer exited (${code}): ${stderr.join('').slice(-2000)}`));
    pending.clear();
  });
  return {
    child,
    stderr,
    call<T>(cmd: string, args: Record<string, unknown> = {}, timeoutMs = 30_000): Promise<T> {
      const id = nextId++;
      return new Promise<T>((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(new Error(`${cmd} timed out; stderr: ${stderr.join('').slice(-2000)}`));
        }, timeoutMs);
        pending.set(id, {
          resolve: (value) => {
            clearTimeout(timer);
            resolve(value as T);
          },
          reject: (error) => {
            clearTimeout(timer);
            reject(error);
          },
        });
        child.stdin!.write(`${JSON.stringify({ id, cmd, ...args })}\n`);
      });
    },
    async close() {
      // A child killed by a signal has no exit code but has already emitted 'exit'.
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.stdin?.end();
      const kill = setTimeout(() => child.kill('SIGKILL'), 3000);
      // Never wait forever for an 'exit' that may not come; the namespace teardown kills whatever
      // is left in it anyway.
      let giveUp: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([
        exited,
        new Promise<void>((resolve) => (giveUp = setTimeout(resolve, 8000))),
      ]);
      clearTimeout(kill);
      clearTimeout(giveUp);
    },
  };
}
