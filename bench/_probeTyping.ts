import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CHROMIUM, CHROMIUM_ARGS, KEEP_NAMES_SHIM } from './chromium';
import { rng } from './notesCorpus';

const { chromium } = await import('playwright-core');
const { build } = await import('vite');
const { rendererConfig } = await import('../vite.config');
const { startWebCompanion } = await import('../electron/web/server');
const rendererDir = await mkdtemp(path.join(tmpdir(), 'probe-r-'));
const dataDir = await mkdtemp(path.join(tmpdir(), 'probe-d-'));
await build({ ...rendererConfig, configFile: false, logLevel: 'warn',
  build: { ...rendererConfig.build, outDir: rendererDir, emptyOutDir: true, minify: false } });
const companion = await startWebCompanion({ rendererDir, dataDir, version: 'probe', log: () => {},
  syncNetwork: { host: '127.0.0.1', port: 0, discovery: false } });
const browser = await chromium.launch({ executablePath: CHROMIUM,
  args: [...CHROMIUM_ARGS, '--disable-frame-rate-limit', '--disable-gpu-vsync'] });
const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
await context.addInitScript(KEEP_NAMES_SHIM);
const page = await context.newPage();
await page.goto(companion.url);
await page.getByLabel('Your name').fill('Bench');
await page.getByRole('button', { name: 'Get started' }).click();
await page.getByRole('button', { name: '+ New note' }).click();
await page.keyboard.type('Long note');
await page.keyboard.press('Enter');
const words = 'plan ship beta launch retro update blocker team remote offline sync'.split(' ');
const sentence = (n: () => number, k: number) => Array.from({ length: k }, () => words[Math.floor(n() * words.length)]).join(' ') + '.';
const paragraphs = Array.from({ length: 400 }, (_, i) => `<p>Paragraph ${i}: ${sentence(rng(i), 14)} <strong>${sentence(rng(i + 1), 3)}</strong></p>`).join('');
await page.getByLabel('Note body').click();
await page.evaluate((html) => {
  const target = document.querySelector('.note-body')!;
  const data = new DataTransfer();
  data.setData('text/html', html);
  target.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
}, paragraphs);
await page.waitForFunction(() => document.querySelectorAll('.note-body p').length >= 400);
await page.focus('.note-body');
await page.keyboard.press('Control+End');
await page.waitForTimeout(1500);

for (const sel of ['.note-body']) {
  if (sel === '#bare-editable') await page.evaluate((html) => { const b = document.createElement('div'); b.id = 'bare-editable'; b.contentEditable = 'true'; b.style.cssText = 'position:fixed;left:0;bottom:0;width:600px;height:200px;overflow:auto;opacity:0.01'; b.innerHTML = html; document.body.append(b); }, paragraphs);
  await page.focus(sel);
  await page.keyboard.press('Control+End');
  await page.waitForTimeout(500);
  const cdp = await context.newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
  await cdp.send('Profiler.start');
  await page.keyboard.type('typing at the end of a long note with ten thousand characters ', { delay: 25 });
  await page.waitForTimeout(300);
  const { profile } = (await cdp.send('Profiler.stop')) as any;
  const byId = new Map<number, any>(profile.nodes.map((n: any) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const sum = new Map<string, [number, number]>();
  profile.samples.forEach((id: number, i: number) => {
    let cur = id; let path: number[] = [];
    while (cur !== undefined) { path.push(cur); cur = parent.get(cur)!; }
    // top-level entry = child of root
    const top = byId.get(path[path.length - 2] ?? id);
    const k = `${top.callFrame.functionName || '(anon)'} ${top.callFrame.url.split('/').pop()}:${top.callFrame.lineNumber}`;
    const v = sum.get(k) ?? [0, 0]; v[0] += profile.timeDeltas[i] ?? 0; v[1]++; sum.set(k, v);
  });
  const incl = new Map<string, number>();
  const dt = new Map<number, number>();
  profile.samples.forEach((id: number, i: number) => dt.set(id, (dt.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  for (const [id, t] of dt) {
    const seen = new Set<string>();
    let cur: number | undefined = id;
    while (cur !== undefined) {
      const m = byId.get(cur);
      const k = `${m.callFrame.functionName || '(anon)'} ${m.callFrame.url.split('/').pop()}:${m.callFrame.lineNumber}`;
      if (!seen.has(k)) { incl.set(k, (incl.get(k) ?? 0) + t); seen.add(k); }
      cur = parent.get(cur);
    }
  }
  console.log([...incl].sort((a, b) => b[1] - a[1]).slice(0, 70).map(([k, v]) => `${(v / 1000).toFixed(1).padStart(8)} ms  ${k}`).join('\n'));
  console.log('==', sel);
  console.log([...sum].sort((a, b) => b[1][0] - a[1][0]).slice(0, 25).map(([k, v]) => `${(v[0] / 1000).toFixed(1).padStart(8)} ms ${String(v[1]).padStart(5)}x  ${k}`).join('\n'));
}
await browser.close();
await companion.close();
process.exit(0);
