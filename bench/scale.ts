/**
 * `npm run bench -- scale` (not part of the default run: the 100,000-note runs alone take many
 * minutes): workspaces of 10,000, 30,000 and 100,000 notes of the bench corpus
 * (bench/notesCorpus.ts, cached by bench/scaleCorpus.ts), stored in Chromium's IndexedDB as the
 * app leaves them (schema 2: the lean root as one compacted row with its verified digest, each body
 * a document of its own in the body store), opened by the built app in web mode.
 * OUTPOST_SCALE_SIZES=10000,30000 picks the sizes. Each size's first open is not timed: it reads
 * every body and stores the list's first screen and the search index, so the timed opens are the
 * ordinary ones a person has every day (seeding another size deletes what the last one stored).
 * - scale.firstPaint.<size>.ratio: navigation → the first note rows painted (Element Timing on the
 *   first row's title, as notes.firstPaint; the stored first screen, shown as a preview while the
 *   document is read, counts: it is what the person sees), ÷ the baseline: a page of the same
 *   origin, navigated the same way, reading the same rows with the app's `readRows` and decoding
 *   them with bare `Y.applyUpdate` as one document (navigation → decoded). Interleaved runs,
 *   medians.
 * - scale.interactive.<size>.ms: navigation → the first frame showing a note open (its row
 *   selected, its editor on screen) for a click on the first unselected row sent as soon as the
 *   first rows were painted (a click on a preview row opens that note once the document is read,
 *   so the wait for the document is inside the figure); the harness's delay in sending it is
 *   inside the figure (its median is in the note), so a fast paint followed by a frozen page shows
 *   here.
 * - scale.heap<size>.MB: the page's JS heap (CDP Runtime.getHeapUsage after
 *   HeapProfiler.collectGarbage) on an ordinary open, once the workspace is open with the search
 *   index an earlier open stored, and a few queries were typed into the list's search box.
 * - scale.search<size>.p95: what a person types (see notes.search) through the app's index
 *   (createNotesLive + NoteSearchIndex, ranked, top 100 highlighted) over every note, in Node,
 *   with the workspace held as the app holds it: the lean root, each body read from its own
 *   document into the index.
 * - scale.join<size>.titles.ms: a fresh peer joins a peer holding the workspace over real WebRTC
 *   with the app's provider, until its notes list holds every title, ÷ bare Y.applyUpdate of the
 *   same state (bench/join.ts; needs root for its network namespace). A join that fails is
 *   reported with what stopped it.
 */
import * as Y from 'yjs';
import { writeSeedFiles } from './seedFiles';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import {
  CHROMIUM,
  KEEP_NAMES_SHIM,
  onboardWorkspace,
  startChromium,
  type Chromium,
} from './chromium';
import {
  bareDecode,
  callPage,
  clickAndWaitOpened,
  aimFirstClosed,
  openList,
  waitForPaintEntry,
  watchFirstRows,
  watchOpen,
  type BareRun,
} from './notes';
import { typedQueries, type Corpus } from './notesCorpus';
import { cutState, mergeCuts, scaleCorpus, scaleCut, sizeLabel as label } from './scaleCorpus';
import { loadAverage as load, median, percentile, type BenchResult } from './report';
import { createNotesLive } from '../shared/model/notesLive';
import { NoteSearchIndex } from '../shared/model/notesSearch';
import type { BodyDocuments } from '../shared/model/bodyDocuments';
import { readSeedBodies } from './seedBodies';
import { benchJoin } from './join';

const DEFAULT_SIZES = [10_000, 30_000, 100_000];
/** Interleaved app and baseline runs per size: fewer where one run takes a minute. */
const RUNS = (size: number) => (size >= 100_000 ? 2 : size >= 30_000 ? 3 : 5);
const TARGETS: Readonly<Record<number, string>> = { 30_000: '≤ 0.25×', 100_000: '≤ 0.1×' };
const QUERY_INTENTS = 150;
const HITS_SHOWN = 100;
/** Queries typed into the app's search box before its heap is measured. */
const TYPED_IN_APP = ['roadmap', 'lisbon retro', 'budget'];

function sizes(): number[] {
  const chosen = process.env.OUTPOST_SCALE_SIZES;
  if (!chosen) return DEFAULT_SIZES;
  const parsed = chosen.split(',').map((size) => Number(size.trim()));
  if (parsed.some((size) => !Number.isInteger(size) || size < 1))
    throw new Error(`OUTPOST_SCALE_SIZES must list note counts, e.g. 10000,30000 (got ${chosen})`);
  return parsed;
}

interface AppRun {
  readonly painted: number;
  readonly clicked: number;
  readonly opened: number;
}

function notesIn(update: Uint8Array): number {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, update);
  const size = doc.getMap('notes').size;
  doc.destroy();
  return size;
}

/** One app run: seed, open the notes list, click the first unselected row once rows painted. */
async function appRun(page: Page, env: Chromium, dbName: string, expected: number) {
  await openList(page, env, dbName);
  const { id, box } = await aimFirstClosed(page);
  await page.evaluate(watchOpen, id);
  await clickAndWaitOpened(page, box);
  // The list must end up holding every note, or the run measured a list that is not there.
  await page.waitForFunction(
    (count) =>
      document
        .querySelector('[aria-label="Notes list"] [role="option"]')
        ?.getAttribute('aria-setsize') === String(count),
    expected,
    { polling: 250 },
  );
  await waitForPaintEntry(page);
  return page.evaluate((): AppRun => {
    const w = window as unknown as {
      firstRows: { painted: number | null; framed: number };
      opening: { clicked: number | null; opened: number };
    };
    return {
      painted: w.firstRows.painted ?? w.firstRows.framed,
      clicked: w.opening.clicked ?? Number.NaN,
      opened: w.opening.opened,
    };
  });
}

/** Waits for one of the app's User Timing marks (renderer/sync/notesIndexKeeper.ts sets them). */
async function waitForMark(page: Page, ...names: string[]): Promise<void> {
  await page.waitForFunction(
    (marks) => marks.some((mark) => performance.getEntriesByName(mark).length > 0),
    names,
    { polling: 250 },
  );
}

/** Types queries into the open app's search box once every note is indexed; the heap after GC. */
async function heapAfterSearch(context: BrowserContext, page: Page): Promise<number> {
  await searchInApp(page);
  const cdp = await context.newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  await cdp.detach();
  await page.getByLabel('Search notes').fill('');
  return usedSize / 1024 / 1024;
}

/** Types {@link TYPED_IN_APP} into the open app's search box, each answered over every note. */
async function searchInApp(page: Page): Promise<void> {
  const box = page.getByLabel('Search notes');
  for (const query of TYPED_IN_APP) {
    await box.fill('');
    await box.pressSequentially(query);
    // Searched over every note: the count says so once no note is left to read.
    await page.waitForFunction(
      () => {
        const text = document.querySelector('[aria-label="Notes"]')?.textContent ?? '';
        return document.querySelector('.search-count') !== null && !/still reading/i.test(text);
      },
      null,
      { polling: 250 },
    );
  }
}

async function chromiumAtSize(
  env: Chromium,
  page: Page,
  context: BrowserContext,
  dbName: string,
  base: Uint8Array,
  size: number,
  corpus: Corpus,
  warmUp: boolean,
): Promise<BenchResult[]> {
  const state = Y.mergeUpdates([base, corpus.state]);
  // The corpus's cut is cached (100,000 notes take about half a minute to cut); the base's is small.
  const cut = mergeCuts(cutState(base), await scaleCut(size));
  await writeSeedFiles(path.join(env.rendererDir, 'bench-notes'), state, cut);
  const expected = size + notesIn(base);
  const runs = RUNS(size);
  const apps: AppRun[] = [];
  const bares: BareRun[] = [];
  // The HTTP server, the disk cache and the bundles, before anything is timed.
  if (warmUp) await bareDecode(page, env, dbName);
  // This workspace's first open: it reads every body and stores the list's first screen and the
  // search index, which every later open finds, as a person's everyday opens do. (Seeding another
  // size deletes the last one's: they are another workspace's.)
  await appRun(page, env, dbName, expected);
  await searchInApp(page);
  await waitForMark(page, 'outpost:notes-index-stored', 'outpost:notes-index-restored');
  const loadBefore = load();
  for (let run = 0; run < runs; run++) {
    // Alternating which goes first, so neither always runs on a warmer (or busier) machine.
    if (run % 2 === 0) {
      apps.push(await appRun(page, env, dbName, expected));
      bares.push(await bareDecode(page, env, dbName));
    } else {
      bares.push(await bareDecode(page, env, dbName));
      apps.push(await appRun(page, env, dbName, expected));
    }
  }
  for (const run of bares)
    if (run.notes !== expected) throw new Error(`bare decode found ${run.notes} of ${expected}`);
  // The heap of an ordinary open: the index the first open stored, restored, searched in, then
  // weighed. The first open, which reads every body and stores the index, holds more while it
  // stores: that is once per upgrade or rebuild.
  await appRun(page, env, dbName, expected);
  await waitForMark(page, 'outpost:notes-index-restored');
  const heap = await heapAfterSearch(context, page);
  await page.goto('about:blank');
  const paint = median(apps.map((run) => run.painted));
  const baseline = median(bares.map((run) => run.doneAt));
  const decodeOnly = median(bares.map((run) => run.decodeMs));
  const opened = median(apps.map((run) => run.opened));
  const clicked = median(apps.map((run) => run.clicked));
  const mb = (state.byteLength / 1024 / 1024).toFixed(1);
  const at = `load average ${loadBefore} before, ${load()} after`;
  const name = label(size);
  return [
    {
      id: `scale.firstPaint.${name}.ratio`,
      value: paint,
      unit: 'ms',
      baseline,
      ratio: paint / baseline,
      ...(TARGETS[size] ? { target: TARGETS[size] } : {}),
      note: `Chromium, ${expected} notes (${mb} MB as one document; stored as the app stores them, the lean root of ${(cut.root.byteLength / 1024 / 1024).toFixed(1)} MB as one compacted row and each body a document of its own): navigation → first note rows painted (Element Timing); baseline navigation → the whole workspace, stored as one row, read (readRows) and decoded as one document by Y.applyUpdate (${decodeOnly.toFixed(0)} ms of it decoding); medians of ${runs} interleaved runs; ${at}`,
    },
    {
      id: `scale.interactive.${name}.ms`,
      value: opened,
      unit: 'ms',
      baseline,
      ratio: opened / baseline,
      note: `navigation → the frame showing a note open, clicked as soon as the first rows were painted (click sent at a median ${clicked.toFixed(0)} ms after navigation, the harness's delay included); same runs and baseline`,
    },
    {
      id: `scale.heap${name}.MB`,
      value: heap,
      unit: 'MB',
      ...(size === 100_000 ? { target: '≤ 400' } : {}),
      note: `the app's JS heap (CDP Runtime.getHeapUsage after HeapProfiler.collectGarbage) on an ordinary open (the search index an earlier open stored, restored) of ${expected} notes, every note indexed, after typing ${TYPED_IN_APP.map((q) => `“${q}”`).join(', ')} into the search box`,
    },
  ];
}

/**
 * The bodies of a cut as the app's notes index reads them (`BodyDocuments`), from memory: each
 * read decodes the body's stored update into a document of its own, as the body store does.
 * Read-only: the search figure writes nothing.
 */
function cutBodyDocuments(bodies: Uint8Array): BodyDocuments {
  const stored = new Map(readSeedBodies(bodies));
  const open = (id: string) => {
    const doc = new Y.Doc();
    const update = stored.get(id);
    if (update) Y.applyUpdate(doc, update);
    return doc;
  };
  const readOnly = async (): Promise<never> => {
    throw new Error('the search bench reads bodies only');
  };
  return {
    load: async (id) => open(id),
    release: () => {},
    read: async (id, fn) => {
      const doc = open(id);
      try {
        return await fn(doc);
      } finally {
        doc.destroy();
      }
    },
    create: readOnly,
    createMany: readOnly,
    delete: readOnly,
    vector: async (id) => {
      const update = stored.get(id);
      return update ? Y.encodeStateVectorFromUpdate(update) : null;
    },
    vectors: async function* () {
      yield [...stored].map(([id, update]) => ({
        id,
        vector: Y.encodeStateVectorFromUpdate(update),
      }));
    },
    onUpdate: () => () => {},
    flush: async () => {},
  };
}

/**
 * notes.search's measure over every note of the corpus, through the app's index (createNotesLive
 * + NoteSearchIndex) in Node, over the workspace as the app holds it (schema 2): the lean root
 * decoded, every body read from its own document into the index, no body held after.
 */
async function searchAtSize(size: number, corpus: Corpus): Promise<BenchResult> {
  const cut = await scaleCut(size);
  const doc = new Y.Doc();
  Y.applyUpdate(doc, cut.root);
  const live = createNotesLive(doc, {
    onChange: () => {},
    schedule: (run, ms) => setTimeout(run, ms),
    cancel: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
    searchIndex: new NoteSearchIndex(),
    bodies: cutBodyDocuments(cut.bodies),
  });
  live.flush();
  await live.settled();
  const reader = live.reader();
  if (reader.indexed !== size)
    throw new Error(`scale.search: ${reader.indexed} of ${size} notes indexed`);
  const queries = typedQueries(corpus, QUERY_INTENTS);
  const times: number[] = [];
  // The first round warms the JIT up; the second is measured.
  for (let round = 0; round < 2; round++)
    for (const query of queries) {
      const started = performance.now();
      reader.search(query, HITS_SHOWN);
      if (round === 1) times.push(performance.now() - started);
    }
  live.destroy();
  doc.destroy();
  return {
    id: `scale.search${label(size)}.p95`,
    value: percentile(times, 95),
    unit: 'ms',
    ...(size === 100_000 ? { target: '< 20 ms' } : {}),
    note: `${queries.length} keystroke queries as notes.search.p95 types them, through the app's index (ranked, top ${HITS_SHOWN} highlighted) over ${size} notes held as the app holds them (lean root, bodies read from their own documents), in Node; median ${median(times).toFixed(1)} ms; load average ${load()}`,
  };
}

export async function benchScale(): Promise<BenchResult[]> {
  const chosen = sizes();
  const results: BenchResult[] = [];
  const env = existsSync(CHROMIUM) ? await startChromium() : null;
  if (!env)
    console.warn(`scale.firstPaint, .interactive and .heap skipped: no Chromium at ${CHROMIUM}`);
  const context = await env?.browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    let page: Page | null = null;
    let dbName = '';
    let base: Uint8Array = new Uint8Array();
    if (env && context) {
      await context.addInitScript(KEEP_NAMES_SHIM);
      await context.addInitScript(watchFirstRows);
      page = await context.newPage();
      page.setDefaultTimeout(20 * 60_000);
      dbName = await onboardWorkspace(page, env);
      const stored = await callPage(page, 'stored', dbName);
      if (stored.length === 0) throw new Error(`no stored rows in ${dbName}`);
      base = Y.mergeUpdates(stored.map((row) => new Uint8Array(Buffer.from(row, 'base64'))));
    }
    for (const size of chosen) {
      const started = performance.now();
      const { corpus, cached } = await scaleCorpus(size);
      console.info(
        `scale: ${size} notes ${cached ? 'read from bench/.cache' : 'generated'} in ${((performance.now() - started) / 1000).toFixed(1)} s`,
      );
      if (env && context && page)
        results.push(
          ...(await chromiumAtSize(
            env,
            page,
            context,
            dbName,
            base,
            size,
            corpus,
            size === chosen[0],
          )),
        );
      results.push(await searchAtSize(size, corpus));
      results.push(...benchJoin(size));
    }
    return results;
  } finally {
    await context?.close();
    await env?.close();
  }
}
