import { afterEach } from 'vitest';
import type { OutpostInstance } from '../../../electron/main/app';

/**
 * The Outpost instances a test file starts, stopped after each test. Call it after useTmpDir, so
 * this cleanup runs first: pending window-state writes land before the folder is removed.
 */
export function trackRunningOutpost(): OutpostInstance[] {
  const running: OutpostInstance[] = [];
  afterEach(async () => {
    await Promise.all(
      running
        .splice(0)
        .flatMap((instance) => [instance.windowState.flush(), instance.syncNetwork.close()]),
    );
  });
  return running;
}
