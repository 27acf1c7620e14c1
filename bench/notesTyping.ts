/** notes.typing.frame.*: keystrokes in a long note against a bare contenteditable (see notes.ts). */
import type { Browser } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS, KEEP_NAMES_SHIM, type Chromium } from './chromium';
import { rng } from './notesCorpus';
import { median, percentile, type BenchResult } from './report';

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

interface Typed {
  /** keydown → end of the first frame painted after the keystroke's work (see below). */
  frames: number[];
  /** keydown → first DOM mutation (what notes.typing measured before). */
  mutations: number[];
  keys: number;
  /** Event Timing keydown entries of these keys at or over 16 ms (null: not supported). */
  slowEvents: number | null;
  longestEvent: number;
}

/**
 * Types into a long note, then into a bare contenteditable with the same text, in `browser`.
 * Chromium started with its frame-rate limit off paints a frame as soon as the work is done, so
 * keydown → next frame is the keystroke's own cost; with the limit on (as on a person's screen)
 * it also holds the wait for the display's next refresh, 0–16.7 ms at 60 Hz whatever the app does.
 */
export async function typingBench(env: Chromium): Promise<BenchResult[]> {
  const { chromium } = await import('playwright-core');
  const unlimited = await chromium.launch({
    executablePath: CHROMIUM,
    args: [...CHROMIUM_ARGS, '--disable-frame-rate-limit', '--disable-gpu-vsync'],
  });
  let work: { app: Typed; bare: Typed };
  try {
    work = await typeIntoLongNote(unlimited, env.openLink());
  } finally {
    await unlimited.close();
  }
  const vsync = await typeIntoLongNote(env.browser, env.openLink());
  const { app, bare } = work;
  const p95 = percentile(app.frames, 95);
  const baseP95 = percentile(bare.frames, 95);
  const eventTiming = (typed: Typed) =>
    typed.slowEvents === null
      ? 'no Event Timing in this Chromium'
      : `Event Timing (keydown → next paint, listed from 16 ms) lists ${typed.slowEvents} keys, longest ${typed.longestEvent.toFixed(0)} ms`;
  return [
    {
      id: 'notes.typing.frame.p95',
      value: p95,
      unit: 'ms',
      baseline: baseP95,
      ratio: p95 / baseP95,
      target: '< 16 ms',
      note:
        `keydown (as received) → end of the first frame painted after the keystroke's work (its input event, ` +
        `microtasks such as the store flush and React's sync re-render, tasks already queued), ` +
        `${app.frames.length} of ${app.keys} keys at 25 ms intervals at the end of a note of 400 paragraphs, ` +
        `Chromium with its frame-rate limit off (a frame as soon as the work is done; see notes.typing.frame.vsync.p95 for the same with it on); ` +
        `app: ${eventTiming(app)}; baseline the same keys in a bare contenteditable with the same text, same page (${eventTiming(bare)})`,
    },
    {
      id: 'notes.typing.frame.median',
      value: median(app.frames),
      unit: 'ms',
      baseline: median(bare.frames),
      ratio: median(app.frames) / median(bare.frames),
      note:
        `median of the same; keydown → first DOM mutation (the old notes.typing figure): ` +
        `p95 ${percentile(app.mutations, 95).toFixed(1)} ms, median ${median(app.mutations).toFixed(1)} ms ` +
        `(bare ${percentile(bare.mutations, 95).toFixed(1)} / ${median(bare.mutations).toFixed(1)} ms)`,
    },
    {
      id: 'notes.typing.frame.vsync.p95',
      value: percentile(vsync.app.frames, 95),
      unit: 'ms',
      baseline: percentile(vsync.bare.frames, 95),
      ratio: percentile(vsync.app.frames, 95) / percentile(vsync.bare.frames, 95),
      note:
        `the same keys with Chromium's frame-rate limit on (60 Hz): adds the wait for the next refresh, 0–16.7 ms; ` +
        `median ${median(vsync.app.frames).toFixed(1)} ms (bare ${median(vsync.bare.frames).toFixed(1)} ms)`,
    },
  ];
}

async function typeIntoLongNote(
  browser: Browser,
  /** A one-time link: each call signs a new browser context in. */
  appLink: string,
): Promise<{ app: Typed; bare: Typed }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.addInitScript(KEEP_NAMES_SHIM);
  try {
    const page = await context.newPage();
    await page.goto(appLink);
    // Web mode has no keychain: the bench keeps data unencrypted, as the app's figures always have
    // been (storage.load10k.encrypted.ratio measures the cost of encryption).
    await page.getByRole('button', { name: 'Keep data unencrypted' }).click();
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
    const measure = async (selector: string): Promise<Typed> => {
      await page.focus(selector);
      await page.keyboard.press('Control+End');
      await page.evaluate((sel) => {
        const target = document.querySelector(sel)!;
        // Local to this measure: listeners of an earlier one (another element) still run.
        const typed: Typed = {
          frames: [],
          mutations: [],
          keys: 0,
          slowEvents: null,
          longestEvent: 0,
        };
        (window as unknown as { __typed: Typed }).__typed = typed;
        const since = performance.now();
        let t0: number | null = null;
        let m0: number | null = null;
        // keydown's timeStamp is when the browser received the key, before any handler ran.
        target.addEventListener(
          'keydown',
          (event) => {
            t0 = event.timeStamp;
            m0 = event.timeStamp;
            typed.keys++;
          },
          true,
        );
        // After the input event the page has the keystroke's first work queued: the editor's
        // transaction, microtasks (the store flush, React's sync re-render) and any task already
        // posted (React's scheduler). A message posted now runs after those; the frame after it
        // paints their result, and a message posted from that frame runs once it is done.
        target.addEventListener(
          'input',
          () => {
            const start = t0;
            t0 = null;
            if (start === null) return;
            const after = (run: () => void) => {
              const channel = new MessageChannel();
              channel.port1.onmessage = () => run();
              channel.port2.postMessage(null);
            };
            after(() =>
              requestAnimationFrame(() =>
                after(() => typed.frames.push(performance.now() - start)),
              ),
            );
          },
          true,
        );
        new MutationObserver(() => {
          if (m0 !== null) {
            typed.mutations.push(performance.now() - m0);
            m0 = null;
          }
        }).observe(target, { childList: true, subtree: true, characterData: true });
        // Chromium's own measure (Event Timing: input → next paint), reported only from 16 ms.
        if (PerformanceObserver.supportedEntryTypes.includes('event')) {
          typed.slowEvents = 0;
          new PerformanceObserver((list) => {
            for (const entry of list.getEntries() as Array<PerformanceEntry & { target?: Node }>) {
              // Only this measure's keys (entries arrive after their paint, so an earlier key's
              // can still come in).
              if (!entry.target || !target.contains(entry.target)) continue;
              if (entry.name !== 'keydown' || entry.startTime < since) continue;
              typed.slowEvents!++;
              typed.longestEvent = Math.max(typed.longestEvent, entry.duration);
            }
          }).observe({ type: 'event', durationThreshold: 16 } as PerformanceObserverInit);
        }
      }, selector);
      await page.keyboard.type('typing at the end of a long note with ten thousand characters ', {
        delay: 25,
      });
      // The last keystroke's frame.
      await page.evaluate(
        () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 50))),
      );
      return page.evaluate(() => (window as unknown as { __typed: Typed }).__typed);
    };
    const app = await measure('.note-body');
    const bare = await measure('#bare-editable');
    return { app, bare };
  } finally {
    await context.close();
  }
}
