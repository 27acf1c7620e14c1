/**
 * Lazy documents at scale, in a real Chromium (IndexedDB): the page's JS heap once a workspace's
 * note bodies are stored as lazy documents (lazyDocStore.ts, sealed at rest), every vector has been
 * listed as sync lists them and a few documents are loaded as the app loads open notes, against
 * the heap holding the same bodies the way a workspace holds them today (one document). Opt-in
 * (`npm run bench -- lazy`); LAZY_BENCH_DOCS sets the number of documents (100,000 by default).
 * - lazy.heap<n>.MB: the heap (CDP Runtime.getHeapUsage after HeapProfiler.collectGarbage), with
 *   the one-document heap as baseline; the figure should not grow with the number stored.
 * - lazy.list<n>.ms: listing every vector (sync's first step), from the metadata alone.
 */
import { existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { loadAverage, type BenchResult } from './report';
import { CHROMIUM, CHROMIUM_ARGS } from './chromium';
import { serveBenchPage } from './benchPage';

const DOCS = Number(process.env.LAZY_BENCH_DOCS ?? 100_000);
/** Notes open at once in a session: a few tabs' worth. */
const LOADED = 5;

interface LazyBenchApi {
  fill(dataKey: number[], count: number): Promise<{ ms: number }>;
  openLazy(
    dataKey: number[],
    loads: number,
  ): Promise<{ listed: number; listMs: number; loaded: number }>;
  holdRoot(count: number): { notes: number };
  reset(): Promise<void>;
}

function label(count: number): string {
  return count >= 1000 ? `${count / 1000}k` : String(count);
}

async function heapMB(page: Page): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  await cdp.detach();
  return usedSize / 1024 / 1024;
}

export async function benchLazyDocs(): Promise<BenchResult[]> {
  if (!existsSync(CHROMIUM)) {
    console.warn(`lazy bench skipped: no Chromium at ${CHROMIUM}`);
    return [];
  }
  const served = await serveBenchPage(path.resolve(import.meta.dirname, 'lazyDocsPage'));
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  try {
    const context = await browser.newContext();
    const openPage = async (): Promise<Page> => {
      const page = await context.newPage();
      page.setDefaultTimeout(1_800_000);
      await page.goto(served.url);
      await page.waitForFunction(() => document.title === 'ready');
      return page;
    };
    const call = <K extends keyof LazyBenchApi>(
      page: Page,
      name: K,
      ...args: Parameters<LazyBenchApi[K]>
    ) =>
      page.evaluate(
        ([n, a]) =>
          (window as unknown as { lazyBench: Record<string, (...x: unknown[]) => unknown> })
            .lazyBench[n as string]!(...(a as unknown[])),
        [name, args] as const,
      ) as ReturnType<LazyBenchApi[K]>;

    const dataKey = [...randomBytes(32)];
    const filler = await openPage();
    const filled = await call(filler, 'fill', dataKey, DOCS);
    await filler.close();

    // Each measure in a fresh page, so one's garbage and compiled code do not weigh on the other.
    const lazyPage = await openPage();
    const empty = await heapMB(lazyPage);
    const opened = await call(lazyPage, 'openLazy', dataKey, LOADED);
    const lazyHeap = await heapMB(lazyPage);
    await call(lazyPage, 'reset');
    await lazyPage.close();

    const rootPage = await openPage();
    const held = await call(rootPage, 'holdRoot', DOCS);
    const rootHeap = await heapMB(rootPage);
    await rootPage.close();

    const name = label(DOCS);
    const at = `load average ${loadAverage()}`;
    return [
      {
        id: `lazy.heap${name}.MB`,
        value: lazyHeap,
        unit: 'MB',
        baseline: rootHeap,
        ratio: lazyHeap / rootHeap,
        note: `Chromium: ${opened.listed} note bodies stored as lazy documents (sealed), every vector listed, ${opened.loaded} loaded; the page's JS heap after GC (${empty.toFixed(1)} MB before opening the store); baseline the same ${held.notes} bodies held in one workspace document; storing them took ${(filled.ms / 1000).toFixed(0)} s; ${at}`,
      },
      {
        id: `lazy.list${name}.ms`,
        value: opened.listMs,
        unit: 'ms',
        note: `listing the vector of each of ${opened.listed} stored lazy documents from their metadata (what sync sends first), one run; ${at}`,
      },
    ];
  } finally {
    await browser.close();
    await served.close();
  }
}
