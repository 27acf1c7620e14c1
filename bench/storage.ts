/**
 * Local storage in a real Chromium (IndexedDB): Outpost's durable storage against bare y-indexeddb
 * on the same work. Stored bytes after many opens and many edits are divided by the encoded state
 * size (target under 2×); the load time of a 10,000-note workspace is divided by bare
 * y-indexeddb's load of the same stored rows (target at most 1.2×, medians of interleaved runs).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'vite';
import { chromium } from 'playwright-core';
import { median, type BenchResult } from './report';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const OPENS = 1_000;
const BARE_OPENS = 100;
const EDITS = 10_000;
const LOAD_NOTES = 10_000;
const LOAD_RUNS = 5;

type Mode = 'outpost' | 'bare';
interface Ratio {
  rows: number;
  bytes: number;
  state: number;
  ratio: number;
}
interface BenchApi {
  opens(mode: Mode, cycles: number, noteCount: number): Promise<Ratio>;
  edits(mode: Mode, edits: number, noteCount: number): Promise<Ratio>;
  prepareLoad(noteCount: number): Promise<{ rows: number; bytes: number }>;
  load(mode: Mode): Promise<{ ms: number; notes: number }>;
}

export async function benchStorage(): Promise<BenchResult[]> {
  if (!existsSync(CHROMIUM)) {
    console.warn(`storage bench skipped: no Chromium at ${CHROMIUM}`);
    return [];
  }
  const outDir = await mkdtemp(path.join(tmpdir(), 'outpost-bench-storage-'));
  await build({
    root: path.resolve(import.meta.dirname, 'storagePage'),
    base: './',
    configFile: false,
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true, target: 'chrome130' },
  });
  const server = createServer((request, response) => {
    const relative = (request.url ?? '/').split('?')[0]!.replace(/^\/+/, '') || 'index.html';
    const file = path.resolve(outDir, relative);
    if (!file.startsWith(outDir)) return void response.writeHead(403).end();
    readFile(file).then(
      (content) => {
        response.writeHead(200, {
          'content-type': file.endsWith('.js') ? 'text/javascript' : 'text/html',
        });
        response.end(content);
      },
      () => response.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  try {
    const page = await (await browser.newContext()).newPage();
    page.setDefaultTimeout(600_000);
    await page.goto(`http://127.0.0.1:${port}/`);
    await page.waitForFunction(() => document.title === 'ready');
    const call = <K extends keyof BenchApi>(name: K, ...args: Parameters<BenchApi[K]>) =>
      page.evaluate(
        ([n, a]) =>
          (window as unknown as { storageBench: Record<string, (...x: unknown[]) => unknown> })
            .storageBench[n as string]!(...(a as unknown[])),
        [name, args] as const,
      ) as ReturnType<BenchApi[K]>;

    const opens = await call('opens', 'outpost', OPENS, 200);
    const opensBare = await call('opens', 'bare', BARE_OPENS, 200);
    const edits = await call('edits', 'outpost', EDITS, 200);
    const editsBare = await call('edits', 'bare', EDITS, 200);
    const prepared = await call('prepareLoad', LOAD_NOTES);
    const ours: number[] = [];
    const bare: number[] = [];
    await call('load', 'bare');
    await call('load', 'outpost');
    for (let run = 0; run < LOAD_RUNS; run++) {
      const a = await call('load', 'bare');
      const b = await call('load', 'outpost');
      if (a.notes !== LOAD_NOTES || b.notes !== LOAD_NOTES)
        throw new Error(`load bench loaded ${a.notes} / ${b.notes} notes`);
      bare.push(a.ms);
      ours.push(b.ms);
    }
    const loadOurs = median(ours);
    const loadBare = median(bare);
    return [
      {
        id: 'storage.opens1000.ratio',
        value: opens.ratio,
        unit: '× state',
        target: '< 2',
        note: `stored ${opens.bytes} B in ${opens.rows} rows after ${OPENS} open/close cycles; state ${opens.state} B (200 notes)`,
      },
      {
        id: 'storage.opens.yIndexeddb.ratio',
        value: opensBare.ratio,
        unit: '× state',
        note: `bare y-indexeddb after only ${BARE_OPENS} cycles (one more row per open, never trimmed without edits): ${opensBare.rows} rows`,
      },
      {
        id: 'storage.edits10k.ratio',
        value: edits.ratio,
        unit: '× state',
        target: '< 2',
        note: `stored ${edits.bytes} B in ${edits.rows} rows after ${EDITS} edits; state ${edits.state} B`,
      },
      {
        id: 'storage.edits10k.yIndexeddb.ratio',
        value: editsBare.ratio,
        unit: '× state',
        note: `bare y-indexeddb: ${editsBare.bytes} B in ${editsBare.rows} rows`,
      },
      {
        id: 'storage.load10k.ratio',
        value: loadOurs,
        unit: 'ms',
        baseline: loadBare,
        ratio: loadOurs / loadBare,
        target: '≤ 1.2',
        note: `median of ${LOAD_RUNS} interleaved loads of ${LOAD_NOTES} notes (${prepared.bytes} B stored)`,
      },
    ];
  } finally {
    await browser.close();
    server.close();
    await rm(outDir, { recursive: true, force: true });
  }
}
