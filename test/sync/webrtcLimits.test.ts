/**
 * The message limit docs/PROTOCOL.md §5.4 builds on, measured on @roamhq/wrtc (the stack of a
 * stock y-webrtc client in Node): it advertises 256 KiB and, as a sender, closes the data channel
 * rather than send more, even when the other side advertises 64 MiB. So a stock client cannot send
 * a larger answer at all, and asking it in pieces is the only way (renderer/sync/peer/pieceFetch.ts).
 * Chromium's side is in test/e2e/webrtcLimits.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInterface } from 'node:readline';
import { STOCK_MAX_MESSAGE_BYTES } from '../../renderer/sync/peer/pieceFetch';
import { createNetns, netnsUnavailable, NETNS_SKIP_REASON, type NetNamespace } from './netns';
import { startScript } from './peerProcess';

const available = netnsUnavailable() === null;
if (!available) console.warn(NETNS_SKIP_REASON());

describe.runIf(available)('@roamhq/wrtc data-channel message limit', { timeout: 60_000 }, () => {
  let netns: NetNamespace;
  beforeAll(() => {
    netns = createNetns();
  });
  afterAll(() => netns?.destroy());

  it('advertises 256 KiB and closes the channel instead of sending one byte more', async () => {
    const child = startScript('test/sync/wrtcLimitProcess.ts', netns);
    const line = await new Promise<string>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`exited ${code}`)));
      createInterface({ input: child.stdout! }).once('line', resolve);
    });
    const result = JSON.parse(line) as {
      offered: string;
      answered: string;
      outcome: Array<{ size: number; threw: string | null; received: number[]; state: string }>;
    };
    expect(result.offered).toBe(String(STOCK_MAX_MESSAGE_BYTES));
    expect(result.answered).toBe(String(STOCK_MAX_MESSAGE_BYTES));
    expect(result.outcome).toEqual([
      {
        size: STOCK_MAX_MESSAGE_BYTES,
        threw: null,
        received: [STOCK_MAX_MESSAGE_BYTES, 1],
        state: 'open',
      },
      { size: STOCK_MAX_MESSAGE_BYTES + 1, threw: null, received: [], state: 'closed' },
    ]);
  });
});
