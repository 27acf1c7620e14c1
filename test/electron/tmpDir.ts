import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';

/** A fresh directory under the OS temp folder, removed after the test. */
export function useTmpDir(): () => Promise<string> {
  const made: string[] = [];
  afterEach(async () => {
    await Promise.all(
      made.splice(0).map((dir) => rm(dir, { recursive: true, force: true, maxRetries: 3 })),
    );
  });
  return async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'outpost-electron-test-'));
    made.push(dir);
    return dir;
  };
}
