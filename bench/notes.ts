/**
 * Notes at scale: a generated workspace of 10,000 notes of ~500 characters.
 * - notes.firstPaint.ratio: stored state → the data of the first list paint (decode, validate
 *   every record, sort, snippets of the visible rows) against bare Yjs decoding the same state.
 * - notes.search.p95 / .median / .indexMemory: queries through the app's index (ranking and
 *   highlighted excerpts included) against MiniSearch alone over the same plain strings.
 * - notes.typing.p95 / .median: keypress → DOM update in a long note, in Chromium (playwright-core)
 *   against web mode, next to a bare contenteditable holding the same text in the same page.
 * Runs are interleaved and medians reported; the machine is shared and noisy.
 */
import * as Y from 'yjs';
import MiniSearch from 'minisearch';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import vm from 'node:vm';
import v8 from 'node:v8';
import { notes, noteBody } from '../shared/model';
import { writeBodyTree, type BodyNode } from '../shared/model/notesBody';
import { createNotesLive } from '../shared/model/notesLive';
import { NOTE_SEARCH_OPTIONS } from '../shared/model/notesSearch';
import { median, percentile, type BenchResult } from './report';

const NOTES = 10_000;
const VISIBLE_ROWS = 30;
const RUNS = 5;
const ctx = { actor: 'bench-member', now: () => 1_700_000_000_000 };

const WORDS = (
  'plan ship beta launch retro update blocker team remote offline sync lisbon porto berlin ' +
  'design review goal decision proposal budget hiring travel customer feedback roadmap async ' +
  'meeting notes draft summary research metrics growth quality release bug fix test build ' +
  'deploy server client mobile desktop editor search index cache memory storage network focus'
).split(' ');

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function sentence(next: () => number, words: number): string {
  const out: string[] = [];
  for (let i = 0; i < words; i++) out.push(WORDS[Math.floor(next() * WORDS.length)]!);
  const text = out.join(' ');
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}

/** A body of ~500 characters: a heading, paragraphs with a bold run, a short list. */
function body(next: () => number): BodyNode[] {
  return [
    { type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: sentence(next, 3) }] },
    {
      type: 'paragraph',
      content: [
        { type: 'text', text: `${sentence(next, 14)} ` },
        { type: 'text', text: sentence(next, 3), marks: { bold: {} } },
        { type: 'text', text: ` ${sentence(next, 16)}` },
      ],
    },
    {
      type: 'bulletList',
      content: [0, 1, 2].map(() => ({
        type: 'listItem' as const,
        content: [
          {
            type: 'paragraph' as const,
            content: [{ type: 'text' as const, text: sentence(next, 6) }],
          },
        ],
      })),
    },
    { type: 'paragraph', content: [{ type: 'text', text: sentence(next, 12) }] },
  ];
}

function generate(): Uint8Array {
  const next = rng(20_260_101);
  const doc = new Y.Doc();
  for (let i = 0; i < NOTES; i++) {
    doc.transact(() => {
      const created = notes.create(doc, ctx, {
        title: sentence(next, 3).slice(0, -1),
        tags: [WORDS[i % WORDS.length]!],
      });
      if (!created.ok) throw new Error(created.error.message);
      writeBodyTree(noteBody(doc, created.value.id)!, body(next));
    });
  }
  return Y.encodeStateAsUpdate(doc);
}

function firstPaint(state: Uint8Array): { bare: number; app: number } {
  const bareStart = performance.now();
  const bare = new Y.Doc();
  Y.applyUpdate(bare, state);
  const bareMs = performance.now() - bareStart;
  bare.destroy();

  const appStart = performance.now();
  const doc = new Y.Doc();
  Y.applyUpdate(doc, state);
  const live = createNotesLive(doc, { onChange: () => {}, schedule: () => 0, cancel: () => {} });
  const items = live.list().items.filter((note) => note.deletedAt === null && !note.archived);
  const rows = [...items]
    .sort((a, b) => Number(b.pinned) - Number(a.pinned))
    .slice(0, VISIBLE_ROWS);
  const reader = live.reader();
  let chars = 0;
  for (const note of rows) chars += reader.snippet(note.id).length;
  const appMs = performance.now() - appStart;
  if (chars === 0) throw new Error('no snippets');
  live.destroy();
  doc.destroy();
  return { bare: bareMs, app: appMs };
}

const gc = (() => {
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
})();

function heapUsed(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

function searchBench(state: Uint8Array): BenchResult[] {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, state);
  const before = heapUsed();
  const live = createNotesLive(doc, { onChange: () => {}, schedule: () => 0, cancel: () => {} });
  live.flush();
  const reader = live.reader();
  const withIndex = heapUsed();
  // The baseline: MiniSearch alone over the same plain strings.
  const entries = live.list().items.map((note) => ({
    id: note.id,
    title: note.title,
    text: reader.snippet(note.id),
  }));
  const plainTexts = new Map<string, string>();
  for (const note of live.list().items) {
    const fragment = noteBody(doc, note.id)!;
    plainTexts.set(
      note.id,
      fragment
        .toArray()
        .map((node) => (node as Y.XmlElement).toString())
        .join(' ')
        .replace(/<[^>]+>/g, ' '),
    );
  }
  const mini = new MiniSearch({
    fields: ['title', 'text'],
    searchOptions: NOTE_SEARCH_OPTIONS.searchOptions,
  });
  mini.addAll(entries.map((entry) => ({ ...entry, text: plainTexts.get(entry.id)! })));

  const next = rng(7);
  const queries: string[] = [];
  for (let i = 0; i < 300; i++) {
    const a = WORDS[Math.floor(next() * WORDS.length)]!;
    const b = WORDS[Math.floor(next() * WORDS.length)]!;
    const kind = i % 3;
    queries.push(kind === 0 ? a : kind === 1 ? `${a} ${b}` : a.slice(0, Math.max(3, a.length - 2)));
  }
  const appTimes: number[] = [];
  const baseTimes: number[] = [];
  let hits = 0;
  for (const query of queries) {
    let started = performance.now();
    hits += reader.search(query, 50).length;
    appTimes.push(performance.now() - started);
    started = performance.now();
    mini.search(query).slice(0, 50);
    baseTimes.push(performance.now() - started);
  }
  if (hits === 0) throw new Error('search found nothing');
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
      note: `per query over ${NOTES} notes (ranked, highlighted excerpts); baseline MiniSearch on plain strings`,
    },
    {
      id: 'notes.search.median',
      value: median(appTimes),
      unit: 'ms',
      baseline: median(baseTimes),
      ratio: median(appTimes) / median(baseTimes),
      note: 'median per query',
    },
    {
      id: 'notes.search.indexMemory',
      value: (withIndex - before) / 1024 / 1024,
      unit: 'MB',
      note: `heap for validated records, texts, snippets, links and the index of ${NOTES} notes`,
    },
  ];
}

async function typingBench(): Promise<BenchResult[]> {
  const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(chromiumPath)) {
    console.warn(`notes.typing skipped: no Chromium at ${chromiumPath}`);
    return [];
  }
  const { chromium } = await import('playwright-core');
  const { build } = await import('vite');
  const { rendererConfig } = await import('../vite.config');
  const { startWebCompanion } = await import('../electron/web/server');
  const outDir = await mkdtemp(path.join(tmpdir(), 'outpost-bench-renderer-'));
  const dataDir = await mkdtemp(path.join(tmpdir(), 'outpost-bench-data-'));
  await build({
    ...rendererConfig,
    configFile: false,
    logLevel: 'warn',
    build: { ...rendererConfig.build, outDir, emptyOutDir: true },
  });
  const companion = await startWebCompanion({
    rendererDir: outDir,
    dataDir,
    version: 'bench',
    log: () => {},
  });
  const browser = await chromium.launch({
    executablePath: chromiumPath,
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
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(companion.url);
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
    await browser.close();
    await companion.close();
    await rm(outDir, { recursive: true, force: true });
    await rm(dataDir, { recursive: true, force: true });
  }
}

export async function benchNotes(): Promise<BenchResult[]> {
  const state = generate();
  const bare: number[] = [];
  const app: number[] = [];
  firstPaint(state); // warm-up
  for (let run = 0; run < RUNS; run++) {
    const result = firstPaint(state);
    bare.push(result.bare);
    app.push(result.app);
  }
  const paint = median(app);
  const decode = median(bare);
  return [
    {
      id: 'notes.firstPaint.ratio',
      value: paint / decode,
      unit: '×',
      baseline: 1,
      ratio: paint / decode,
      target: '≤ 1.3×',
      note: `stored state (${(state.byteLength / 1024 / 1024).toFixed(1)} MB, ${NOTES} notes) → first list data ${paint.toFixed(0)} ms vs bare decode ${decode.toFixed(0)} ms`,
    },
    ...searchBench(state),
    ...(await typingBench()),
  ];
}
