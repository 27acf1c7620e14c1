/**
 * Notes at scale: a generated workspace of 10,000 notes of ~500 characters (bench/notesCorpus.ts:
 * a Zipf-distributed vocabulary of ~5,000 words, names, places and tags, fixed seeds).
 * - notes.firstPaint.ratio: in Chromium against the built app in web mode. The workspace's
 *   IndexedDB is laid out as the app leaves it (one compacted row + its verified digest), the page
 *   is loaded, and the time from navigation start to the first paint of note rows is taken (Element
 *   Timing on the first row's title; a requestAnimationFrame after the rows appear as a check).
 *   The app reads only the first screen's notes before that paint: each run also waits until the
 *   list holds every note and fails the bench if it does not.
 *   Baseline, same browser, same run, interleaved: a page at the same origin navigated the same
 *   way that opens the same database, reads the same rows with the app's own `readRows`, and
 *   decodes them with bare `Y.applyUpdate` (navigation start → decoded). Medians of several runs.
 * - notes.search.p95 / .median / .indexMemory: what a person types (1–2 words remembered from a
 *   note, searched at every keystroke) through the app's index, ranked, with highlighted titles
 *   and excerpts for the 100 hits the list shows, against MiniSearch alone over the same plain
 *   strings with its usual prefix + fuzzy options.
 * - notes.typing.p95 / .median: keypress → DOM update in a long note, in Chromium, next to a bare
 *   contenteditable holding the same text in the same page.
 */
import * as Y from 'yjs';
import MiniSearch from 'minisearch';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import vm from 'node:vm';
import v8 from 'node:v8';
import type { Browser, Page } from 'playwright-core';
import { createNotesLive } from '../shared/model/notesLive';
import { NoteSearchIndex } from '../shared/model/notesSearch';
import { generateCorpus, rng, typedQueries, type Corpus } from './notesCorpus';
import { median, percentile, type BenchResult } from './report';

const NOTES = 10_000;
const PAINT_RUNS = 25;
const QUERY_INTENTS = 150;
const HITS_SHOWN = 100;
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
const WORKSPACE_DB_PREFIX = 'outpost-ws-';

const gc = (() => {
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
})();

function heapUsed(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

interface Chromium {
  readonly browser: Browser;
  readonly appUrl: string;
  readonly pageUrl: string;
  readonly rendererDir: string;
  close(): Promise<void>;
}

/** Builds the renderer (and the bench page beside it), starts web mode and Chromium. */
export async function startChromium(): Promise<Chromium> {
  const { chromium } = await import('playwright-core');
  const { build } = await import('vite');
  const { rendererConfig } = await import('../vite.config');
  const { startWebCompanion } = await import('../electron/web/server');
  const rendererDir = await mkdtemp(path.join(tmpdir(), 'outpost-bench-renderer-'));
  const dataDir = await mkdtemp(path.join(tmpdir(), 'outpost-bench-data-'));
  await build({
    ...rendererConfig,
    configFile: false,
    logLevel: 'warn',
    build: { ...rendererConfig.build, outDir: rendererDir, emptyOutDir: true },
  });
  await build({
    root: path.resolve(import.meta.dirname, 'notesPage'),
    base: './',
    configFile: false,
    logLevel: 'warn',
    build: {
      outDir: path.join(rendererDir, 'bench-notes'),
      emptyOutDir: true,
      target: 'chrome130',
    },
  });
  const companion = await startWebCompanion({
    rendererDir,
    dataDir,
    version: 'bench',
    log: () => {},
    syncNetwork: { host: '127.0.0.1', port: 0, discovery: false },
  });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  return {
    browser,
    appUrl: companion.url,
    pageUrl: new URL('bench-notes/index.html', companion.url).href,
    rendererDir,
    async close() {
      await browser.close();
      await companion.close();
      await rm(rendererDir, { recursive: true, force: true });
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

type BenchPageApi = {
  stored(name: string): Promise<string[]>;
  seed(name: string): Promise<{ bytes: number; key: number }>;
};

export function callPage<K extends keyof BenchPageApi>(
  page: Page,
  name: K,
  ...args: Parameters<BenchPageApi[K]>
): ReturnType<BenchPageApi[K]> {
  return page.evaluate(
    ([n, a]) =>
      (window as unknown as { notesBench: Record<string, (...x: unknown[]) => unknown> })
        .notesBench[n as string]!(...(a as unknown[])),
    [name, args] as const,
  ) as ReturnType<BenchPageApi[K]>;
}

/**
 * Installed in every page of the app's context: when the first note row appears, its title asks
 * Chromium for an Element Timing entry (the time that row was painted), and a frame later a
 * message records the end of the frame that showed it.
 */
export function watchFirstRows(): void {
  if (location.pathname !== '/') return;
  const result: { appeared: number | null; framed: number | null; painted: number | null } = {
    appeared: null,
    framed: null,
    painted: null,
  };
  (window as unknown as { firstRows: typeof result }).firstRows = result;
  try {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries() as Array<PerformanceEntry & { renderTime?: number }>)
        if (result.painted === null && entry.renderTime) result.painted = entry.renderTime;
    }).observe({ type: 'element', buffered: true });
  } catch {
    // No Element Timing here: the frame after the rows appeared is used instead.
  }
  const observer = new MutationObserver(() => {
    const row = document.querySelector('[aria-label="Notes list"] [role="option"]');
    if (!row) return;
    observer.disconnect();
    result.appeared = performance.now();
    row.querySelector('.record-title')?.setAttribute('elementtiming', 'first-note-row');
    requestAnimationFrame(() => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => (result.framed = performance.now());
      channel.port2.postMessage(null);
    });
  });
  observer.observe(document, { childList: true, subtree: true });
}

interface PaintRun {
  readonly painted: number;
  readonly framed: number;
  readonly rows: number;
  /** DOMContentLoaded: the page's module scripts have run. */
  readonly scripts: number;
  /** The app's `outpost:*` performance marks (name without the prefix → ms since navigation). */
  readonly marks: Readonly<Record<string, number>>;
}
interface BareRun {
  readonly readAt: number;
  readonly doneAt: number;
  readonly decodeMs: number;
  readonly notes: number;
  readonly scripts: number;
}

async function firstPaintBench(env: Chromium): Promise<{ results: BenchResult[]; corpus: Corpus }> {
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.addInitScript(watchFirstRows);
  const page = await context.newPage();
  page.setDefaultTimeout(120_000);
  try {
    await page.goto(env.appUrl);
    await page.getByLabel('Your name').fill('Bench');
    await page.getByRole('button', { name: 'Get started' }).click();
    await page.getByRole('navigation', { name: 'Sections' }).waitFor();
    // Leave only once the new workspace's first rows are on disk, or the seed would start empty.
    await page.waitForFunction(
      async (prefix) => {
        for (const info of await indexedDB.databases()) {
          if (!info.name?.startsWith(prefix)) continue;
          const db = await new Promise<IDBDatabase>((resolve, reject) => {
            const request = indexedDB.open(info.name!);
            request.onsuccess = () => resolve(request.result);
            request.onerror = () => reject(request.error);
          });
          try {
            if (!db.objectStoreNames.contains('updates')) return false;
            const count = await new Promise<number>((resolve, reject) => {
              const request = db.transaction('updates').objectStore('updates').count();
              request.onsuccess = () => resolve(request.result);
              request.onerror = () => reject(request.error);
            });
            return count > 0;
          } finally {
            db.close();
          }
        }
        return false;
      },
      WORKSPACE_DB_PREFIX,
      { polling: 100 },
    );
    // The workspace onboarding created (its database is the only workspace database), with
    // 10,000 notes added to it.
    await page.goto(env.pageUrl);
    const names = await page.evaluate(async () =>
      (await indexedDB.databases()).map((db) => db.name ?? ''),
    );
    const workspaces = names.filter((name) => name.startsWith(WORKSPACE_DB_PREFIX));
    if (workspaces.length !== 1) throw new Error(`expected one workspace database: ${names}`);
    const dbName = workspaces[0]!;
    const stored = await callPage(page, 'stored', dbName);
    if (stored.length === 0) throw new Error(`no stored rows in ${dbName}`);
    const base = Y.mergeUpdates(stored.map((row) => new Uint8Array(Buffer.from(row, 'base64'))));
    const corpus = generateCorpus(NOTES, base);
    await writeFile(path.join(env.rendererDir, 'bench-notes', 'state.bin'), corpus.state);

    const expected = NOTES + notesIn(base);
    const app = async (): Promise<PaintRun> => {
      await page.goto(env.pageUrl);
      await callPage(page, 'seed', dbName);
      await page.goto(`${env.appUrl}#/notes`, { waitUntil: 'commit' });
      await page.waitForFunction(
        () => {
          const r = (window as unknown as { firstRows?: { framed: number | null } }).firstRows;
          return typeof r?.framed === 'number';
        },
        null,
        { polling: 100 },
      );
      // Element Timing reports a moment after the frame; give it a little while.
      await page
        .waitForFunction(
          () =>
            (window as unknown as { firstRows: { painted: number | null } }).firstRows.painted !==
            null,
          null,
          { timeout: 2_000, polling: 50 },
        )
        .catch(() => undefined);
      // The first screen is painted before every note is read; the run ends once the list holds
      // them all (checked below), so a list that never completes fails the bench.
      await page
        .waitForFunction(
          (count) =>
            document
              .querySelector('[aria-label="Notes list"] [role="option"]')
              ?.getAttribute('aria-setsize') === String(count),
          expected,
          { timeout: 10_000, polling: 50 },
        )
        .catch(() => undefined);
      const timing = await page.evaluate(() => {
        const r = (window as unknown as { firstRows: { painted: number | null; framed: number } })
          .firstRows;
        const row = document.querySelector('[aria-label="Notes list"] [role="option"]');
        const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
        return {
          painted: r.painted,
          framed: r.framed,
          rows: Number(row?.getAttribute('aria-setsize')),
          scripts: nav.domContentLoadedEventEnd,
          // The app's own User Timing marks: where the time went.
          marks: Object.fromEntries(
            performance
              .getEntriesByType('mark')
              .filter((mark) => mark.name.startsWith('outpost:'))
              .map((mark) => [mark.name.slice('outpost:'.length), mark.startTime]),
          ),
        };
      });
      return { ...timing, painted: timing.painted ?? Number.NaN };
    };
    const bare = async (): Promise<BareRun> => {
      await page.goto(env.pageUrl);
      await callPage(page, 'seed', dbName);
      await page.goto(`${env.pageUrl}?bare=${encodeURIComponent(dbName)}`, { waitUntil: 'commit' });
      await page.waitForFunction(
        () => (window as unknown as { bareResult?: unknown }).bareResult !== undefined,
        null,
        { polling: 50 },
      );
      return page.evaluate(() => {
        const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
        const result = (window as unknown as { bareResult: Omit<BareRun, 'scripts'> }).bareResult;
        return { ...result, scripts: nav.domContentLoadedEventEnd };
      });
    };

    await bare(); // warm-up: the HTTP server, the disk cache and the bundles
    await app();
    const apps: PaintRun[] = [];
    const bares: BareRun[] = [];
    for (let run = 0; run < PAINT_RUNS; run++) {
      if (run % 2 === 0) {
        apps.push(await app());
        bares.push(await bare());
      } else {
        bares.push(await bare());
        apps.push(await app());
      }
    }
    for (const run of apps)
      if (run.rows !== expected)
        throw new Error(`the list showed ${run.rows} of ${expected} notes`);
    for (const run of bares)
      if (run.notes !== expected) throw new Error(`bare decode found ${run.notes} notes`);
    const elementTimed = apps.every((run) => Number.isFinite(run.painted));
    const paint = median(apps.map((run) => (elementTimed ? run.painted : run.framed)));
    const framed = median(apps.map((run) => run.framed));
    const baseline = median(bares.map((run) => run.doneAt));
    const decodeOnly = median(bares.map((run) => run.decodeMs));
    const mb = (corpus.state.byteLength / 1024 / 1024).toFixed(1);
    const at = (mark: string) => {
      const times = apps.map((run) => run.marks[mark]).filter((t) => t !== undefined);
      return times.length === apps.length ? `${median(times).toFixed(0)}` : '?';
    };
    const timeline =
      `app (medians, ms after navigation): rows read ${at('rows-read')}, applied ${at('rows-applied')}, ` +
      `app scripts running ${at('app-started')}, notes validated ${at('records-read')}, rows painted ${paint.toFixed(0)}; ` +
      `bare: rows read ${median(bares.map((run) => run.readAt)).toFixed(0)}, decoded ${baseline.toFixed(0)}`;
    await page.goto('about:blank');
    return {
      corpus,
      results: [
        {
          id: 'notes.firstPaint.ratio',
          value: paint,
          unit: 'ms',
          baseline,
          ratio: paint / baseline,
          target: '≤ 1.3×',
          note: `Chromium, ${NOTES} notes (${mb} MB stored): navigation → first note rows painted (${elementTimed ? 'Element Timing' : 'frame after rows appeared'}); baseline navigation → same rows read (readRows) and Y.applyUpdate done; medians of ${PAINT_RUNS}`,
        },
        {
          id: 'notes.firstPaint.decodeOnly',
          value: paint,
          unit: 'ms',
          baseline: decodeOnly,
          ratio: paint / decodeOnly,
          note: `the same first paint against Y.applyUpdate alone (no page load, no IndexedDB read); frame after rows appeared ${framed.toFixed(0)} ms; ${timeline}`,
        },
      ],
    };
  } finally {
    await context.close();
  }
}

function notesIn(update: Uint8Array): number {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, update);
  const size = doc.getMap('notes').size;
  doc.destroy();
  return size;
}

function searchBench(corpus: Corpus): BenchResult[] {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, corpus.state);
  const before = heapUsed();
  const live = createNotesLive(doc, {
    onChange: () => {},
    schedule: () => 0,
    cancel: () => {},
    searchIndex: new NoteSearchIndex(),
  });
  live.flush();
  const reader = live.reader();
  const withIndex = heapUsed();
  // The baseline: MiniSearch alone over the same plain strings, with its usual prefix + fuzzy.
  const mini = new MiniSearch<{ id: number; title: string; text: string; tags: string }>({
    fields: ['title', 'text', 'tags'],
    searchOptions: {
      boost: { title: 3, tags: 2 },
      prefix: true,
      fuzzy: (term) => (term.length > 4 ? 0.2 : false),
      combineWith: 'AND',
    },
  });
  mini.addAll(corpus.notes.map((note, id) => ({ id, ...note, tags: note.tags.join(' ') })));

  const queries = typedQueries(corpus, QUERY_INTENTS);
  const appTimes: number[] = [];
  const baseTimes: number[] = [];
  const hitCounts: number[] = [];
  for (let round = 0; round < 2; round++) {
    for (const query of queries) {
      let started = performance.now();
      const hits = reader.search(query, HITS_SHOWN);
      const app = performance.now() - started;
      started = performance.now();
      mini.search(query).slice(0, HITS_SHOWN);
      const base = performance.now() - started;
      // The first round warms both up (JIT); the second is measured.
      if (round === 1) {
        appTimes.push(app);
        baseTimes.push(base);
        hitCounts.push(hits.length);
      }
    }
  }
  const whole = queries.filter((query, i) => !queries[i + 1]?.startsWith(query));
  const matched = whole.map((query) => reader.search(`${query} `, NOTES).length);
  if (matched.every((count) => count === 0)) throw new Error('search found nothing');
  live.destroy();
  doc.destroy();
  const p95 = percentile(appTimes, 95);
  const baseP95 = percentile(baseTimes, 95);
  return [
    {
      id: 'notes.search.p95',
      value: p95,
      unit: 'ms',
      baseline: baseP95,
      ratio: p95 / baseP95,
      target: '< 20 ms',
      note: `${queries.length} keystroke queries (${whole.length} typed 1–2 word queries, whole ones match a median of ${median(matched)} notes) over ${NOTES} notes, ranked, top ${HITS_SHOWN} highlighted; baseline MiniSearch prefix+fuzzy on plain strings`,
    },
    {
      id: 'notes.search.median',
      value: median(appTimes),
      unit: 'ms',
      baseline: median(baseTimes),
      ratio: median(appTimes) / median(baseTimes),
      note: `median per query; median ${median(hitCounts)} hits returned`,
    },
    {
      id: 'notes.search.indexMemory',
      value: (withIndex - before) / 1024 / 1024,
      unit: 'MB',
      note: `heap for validated records, texts, snippets, links and the index of ${NOTES} notes`,
    },
  ];
}

const TYPING_WORDS = (
  'plan ship beta launch retro update blocker team remote offline sync lisbon porto berlin ' +
  'design review goal decision proposal budget hiring travel customer feedback roadmap async'
).split(' ');

function sentence(next: () => number, words: number): string {
  const out: string[] = [];
  for (let i = 0; i < words; i++) out.push(TYPING_WORDS[Math.floor(next() * TYPING_WORDS.length)]!);
  const text = out.join(' ');
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}

async function typingBench(env: Chromium): Promise<BenchResult[]> {
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    const page = await context.newPage();
    await page.goto(env.appUrl);
    await page.getByLabel('Your name').fill('Bench');
    await page.getByRole('button', { name: 'Get started' }).click();
    await page.getByRole('button', { name: '+ New note' }).click();
    await page.keyboard.type('Long note');
    await page.keyboard.press('Enter');
    const paragraphs = Array.from(
      { length: 400 },
      (_, i) =>
        `<p>Paragraph ${i}: ${sentence(rng(i), 14)} <strong>${sentence(rng(i + 1), 3)}</strong></p>`,
    ).join('');
    const editor = page.getByLabel('Note body');
    await editor.click();
    // Paste the long text, as a person would bring it in.
    await page.evaluate((html) => {
      const target = document.querySelector('.note-body')!;
      const data = new DataTransfer();
      data.setData('text/html', html);
      target.dispatchEvent(
        new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }),
      );
    }, paragraphs);
    await page.waitForFunction(() => document.querySelectorAll('.note-body p').length >= 400);
    // The baseline: a bare contenteditable with the same text in the same page.
    await page.evaluate((html) => {
      const bare = document.createElement('div');
      bare.id = 'bare-editable';
      bare.contentEditable = 'true';
      bare.style.cssText =
        'position:fixed;left:0;bottom:0;width:600px;height:200px;overflow:auto;opacity:0.01';
      bare.innerHTML = html;
      document.body.append(bare);
    }, paragraphs);
    const measure = async (selector: string): Promise<number[]> => {
      await page.evaluate((sel) => {
        const target = document.querySelector(sel)!;
        const w = window as unknown as { __lat: number[]; __t0: number | null };
        w.__lat = [];
        w.__t0 = null;
        target.addEventListener('keydown', () => (w.__t0 = performance.now()), true);
        new MutationObserver(() => {
          if (w.__t0 !== null) {
            w.__lat.push(performance.now() - w.__t0);
            w.__t0 = null;
          }
        }).observe(target, { childList: true, subtree: true, characterData: true });
      }, selector);
      await page.focus(selector);
      await page.keyboard.press('Control+End');
      await page.keyboard.type('typing at the end of a long note with ten thousand characters ', {
        delay: 25,
      });
      return page.evaluate(() => (window as unknown as { __lat: number[] }).__lat);
    };
    const app = await measure('.note-body');
    const bare = await measure('#bare-editable');
    const p95 = percentile(app, 95);
    const baseP95 = percentile(bare, 95);
    return [
      {
        id: 'notes.typing.p95',
        value: p95,
        unit: 'ms',
        baseline: baseP95,
        ratio: p95 / baseP95,
        target: '< 16 ms',
        note: `keydown → DOM mutation, ${app.length} keys, note of 400 paragraphs (Chromium); baseline bare contenteditable`,
      },
      {
        id: 'notes.typing.median',
        value: median(app),
        unit: 'ms',
        baseline: median(bare),
        ratio: median(app) / median(bare),
        note: 'median keypress → DOM update',
      },
    ];
  } finally {
    await context.close();
  }
}

export async function benchNotes(): Promise<BenchResult[]> {
  if (!existsSync(CHROMIUM)) {
    console.warn(`notes.firstPaint and notes.typing skipped: no Chromium at ${CHROMIUM}`);
    return searchBench(generateCorpus(NOTES));
  }
  const env = await startChromium();
  try {
    const paint = await firstPaintBench(env);
    const search = searchBench(paint.corpus);
    const typing = await typingBench(env);
    return [...paint.results, ...search, ...typing];
  } finally {
    await env.close();
  }
}
