/**
 * A workspace written by an earlier build opens whole: the 2,000-note fixture
 * (test/fixtures/workspace-2000, made by its generate.ts with the build of its commit) is written
 * into a fresh Chromium profile as that build stored it — sealed rows, version history, device
 * state — and the app is started on it and unlocked with the profile's passphrase. Issue 18 moves
 * note bodies out of the workspace document; this is its migration's acceptance test, and passes
 * on the build that wrote the fixture as well.
 *
 * Every expectation comes from the fixture's manifest, written from the generator's plan, never
 * from the rows loaded here. What is read goes through the app: the notes list (every live and
 * trashed title), the whole-workspace Markdown export (every note's title, tags, pin, trash state,
 * body text and links, hence every note's backlinks), and for a sample the editor (body text, its
 * links), the Backlinks panel and the history panel. Screenshot:
 * test-results/screenshots/workspace-fixture-opened.png.
 */
import { readFileSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { unzipSync, strFromU8 } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import {
  SCREENSHOT_DIR,
  SKIP_REASON,
  acceptPlainExport,
  chromiumAvailable,
  startApp,
  unlock,
  type RunningApp,
} from './harness';
import {
  decodeProfileFile,
  inPage,
  restoreProfileInPage,
} from '../fixtures/workspace-2000/browserProfile';
import type { Manifest, ManifestNote } from '../fixtures/workspace-2000/content';
import { openNote } from '../fixtures/workspace-2000/appSteps';

if (!chromiumAvailable()) console.warn(SKIP_REASON);

const FIXTURE = path.resolve('test/fixtures/workspace-2000');
const manifest = JSON.parse(readFileSync(path.join(FIXTURE, 'manifest.json'), 'utf8')) as Manifest;
const titlesOf = (notes: readonly number[]) => notes.map((n) => manifest.notes[n]!.title).sort();
const live = manifest.notes.filter((note) => !note.trashed);
const trashed = manifest.notes.filter((note) => note.trashed);

/** A note as the Markdown export shows it. */
interface Exported {
  readonly title: string;
  readonly tags: string[];
  readonly pinned: boolean;
  readonly trashed: boolean;
  readonly links: string[];
  readonly body: string;
}

/**
 * The titles in a notes list, read row by row while scrolling it from top to bottom (it draws
 * only the rows on screen, all of one height), with the size the list says it has.
 */
async function listedTitles(page: Page): Promise<{ size: number; titles: string[] }> {
  return inPage(
    page,
    async (listName: string) => {
      const list = document.querySelector<HTMLElement>(`[aria-label="${listName}"]`)!;
      const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));
      const rows = () => [...list.querySelectorAll<HTMLElement>('[role="option"]')];
      const rowHeight = rows()[0]?.offsetHeight ?? 1;
      const titles = new Map<number, string>();
      let size = 0;
      const shown = (at: number) =>
        rows().some((row) => Number(row.getAttribute('aria-posinset')) === at);
      for (let top = 0; top < list.scrollHeight; top += list.clientHeight / 2) {
        list.scrollTop = top;
        // The rows at the top and the bottom of the screen, once drawn, say it is all drawn.
        const first = Math.floor(list.scrollTop / rowHeight) + 1;
        const last = Math.min(
          Math.floor((list.scrollTop + list.clientHeight - 1) / rowHeight) + 1,
          Math.floor(list.scrollHeight / rowHeight),
        );
        for (let wait = 0; wait < 300 && !(shown(first) && shown(last)); wait++) await frame();
        for (const row of rows()) {
          size = Number(row.getAttribute('aria-setsize'));
          const title = row.querySelector('.record-title')?.textContent ?? '';
          titles.set(Number(row.getAttribute('aria-posinset')), title);
        }
      }
      list.scrollTop = 0;
      return { size, titles: [...titles.values()] };
    },
    'Notes list',
  );
}

/** Front matter and body of one exported note file (shared/model/notesMarkdown.ts's format). */
function parseNoteFile(content: string, inTrash: boolean): Exported {
  const match = /^---\n([\s\S]*?)\n---\n\n?([\s\S]*)$/.exec(content);
  if (!match) throw new Error(`Not a note file: ${content.slice(0, 80)}`);
  const fields = new Map(
    match[1]!.split('\n').map((line) => {
      const at = line.indexOf(':');
      return [line.slice(0, at), line.slice(at + 1).trim()] as const;
    }),
  );
  const body = match[2]!;
  const tags = /^\[(.*)\]$/.exec(fields.get('tags') ?? '')?.[1] ?? '';
  return {
    title: JSON.parse(fields.get('title') ?? '""') as string,
    tags: tags ? tags.split(', ').sort() : [],
    pinned: fields.get('pinned') === 'true',
    trashed: inTrash,
    links: [...body.matchAll(/\[\[([^\]|]+)(?:\|[^\]]*)?\]\]/g)].map((link) => link[1]!),
    body,
  };
}

/** Every note of the workspace's Markdown export (a zip in web mode), by title. */
async function exportedNotes(page: Page): Promise<Map<string, Exported>> {
  await page.getByRole('button', { name: 'Backups' }).click();
  const download = page.waitForEvent('download', { timeout: 60_000 });
  await page.getByRole('button', { name: 'Export as Markdown' }).click();
  await acceptPlainExport(page);
  const files = unzipSync(await readFile((await (await download).path())!));
  const paths = Object.keys(files);
  const readme = paths.find((name) => name.endsWith('/README.md'));
  if (!readme) throw new Error(`The export has no README.md: ${paths.slice(0, 5).join(', ')}…`);
  expect(paths.filter((name) => name.endsWith('/damaged-records.md'))).toEqual([]);
  const index = strFromU8(files[readme]!);
  const inTrash = new Set(
    [...index.matchAll(/\]\((notes\/[^)]+)\) \(trash\)$/gm)].map((line) => line[1]!),
  );
  const notes = new Map<string, Exported>();
  for (const name of paths.filter((file) => /\/notes\/[^/]+\.md$/.test(file))) {
    const relative = name.slice(name.indexOf('/notes/') + 1);
    const note = parseNoteFile(strFromU8(files[name]!), inTrash.has(relative));
    notes.set(note.title, note);
  }
  await page.keyboard.press('Control+1');
  return notes;
}

/** The titles of the notes an open note's Backlinks panel lists. */
async function shownBacklinks(page: Page): Promise<string[]> {
  const titles = await page
    .getByRole('region', { name: 'Backlinks' })
    .locator('.backlink .record-title')
    .allTextContents();
  return titles.map((title) => title.replace(/^← /, '')).sort();
}

/**
 * Notes to open in the editor: the most linked-to, two pinned, one linking to a note in the trash,
 * the notes with versions, and about 25 from across the workspace.
 */
function sampleNotes(): ManifestNote[] {
  const mostLinked = [...live].sort((a, b) => b.backlinks.length - a.backlinks.length)[0]!;
  const linksToTrash = live.find((note) => note.links.some((n) => manifest.notes[n]!.trashed))!;
  const picked = [
    mostLinked,
    ...live.filter((note) => note.pinned).slice(0, 2),
    linksToTrash,
    ...live.filter((note) => note.versions > 0),
    ...live.filter((_, index) => index % 80 === 7),
  ];
  return [...new Map(picked.map((note) => [note.n, note])).values()];
}

describe.runIf(chromiumAvailable())('A 2,000-note workspace written by an earlier build', () => {
  let app: RunningApp | undefined;
  const running = () => {
    if (!app) throw new Error('The app did not start (see beforeAll)');
    return app;
  };

  beforeAll(async () => {
    const profile = decodeProfileFile(await readFile(path.join(FIXTURE, 'profile.json.gz')));
    app = await startApp({ viewport: { width: 1280, height: 1400 } });
    const { page } = app;
    // A fresh profile asks how to protect its data and has stored nothing else: write the
    // fixture's profile in, then start again as its owner would, with the passphrase.
    await page
      .getByRole('heading', { name: 'Protect your data on this device' })
      .waitFor({ timeout: 60_000 });
    await inPage(page, restoreProfileInPage, profile);
    await page.reload();
    await unlock(page, manifest.passphrase);
  });

  afterAll(async () => {
    await app?.close();
  });

  it('opens the workspace with every live note listed, the rest in the trash, nothing damaged', async () => {
    const { page, errors } = running();
    await page
      .getByRole('button', { name: new RegExp(`Workspace: ${manifest.workspaceName} \\(restored`) })
      .waitFor({ timeout: 60_000 });
    await page.locator('[aria-label="Notes list"]:not([data-preview])').waitFor();
    await mkdir(SCREENSHOT_DIR, { recursive: true });
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'workspace-fixture-opened.png') });
    const active = await listedTitles(page);
    expect(active.size).toBe(manifest.summary.live);
    expect(active.titles.sort()).toEqual(live.map((note) => note.title).sort());

    await page.getByRole('tab', { name: 'Trash' }).click();
    await page
      .locator(`[aria-label="Notes list"] [role="option"][aria-setsize="${trashed.length}"]`)
      .first()
      .waitFor();
    const inTrash = await listedTitles(page);
    expect(inTrash.size).toBe(manifest.summary.trashed);
    expect(inTrash.titles.sort()).toEqual(trashed.map((note) => note.title).sort());
    await page.getByRole('tab', { name: 'Active' }).click();

    await expect(page.getByText(/\d+ damaged (note|record|member)/).count()).resolves.toBe(0);
    await expect(page.locator('.notice.error, .notice.warning').allInnerTexts()).resolves.toEqual(
      [],
    );
    expect(errors).toEqual([]);
  });

  it('exports every note with its title, tags, pin, trash state, body text, links and backlinks', async () => {
    const { page } = running();
    const exported = await exportedNotes(page);
    expect([...exported.keys()].sort()).toEqual(manifest.notes.map((note) => note.title).sort());
    const backlinks = new Map<string, Set<string>>();
    for (const note of exported.values())
      for (const target of note.links)
        backlinks.set(target, (backlinks.get(target) ?? new Set()).add(note.title));
    const mismatches: string[] = [];
    for (const expected of manifest.notes) {
      const note = exported.get(expected.title)!;
      const seen = {
        tags: note.tags,
        pinned: note.pinned,
        trashed: note.trashed,
        links: [...new Set(note.links)].sort(),
        backlinks: [...(backlinks.get(expected.title) ?? [])].sort(),
        text: expected.text.filter((phrase) => note.body.includes(phrase)),
      };
      const wanted = {
        tags: [...expected.tags],
        pinned: expected.pinned,
        trashed: expected.trashed,
        links: titlesOf(expected.links),
        backlinks: titlesOf(expected.backlinks),
        text: [...expected.text],
      };
      if (JSON.stringify(seen) !== JSON.stringify(wanted))
        mismatches.push(`${expected.title}: ${JSON.stringify(seen)} ≠ ${JSON.stringify(wanted)}`);
    }
    expect(mismatches).toEqual([]);
  });

  it('opens sample notes in the editor with their body, links and backlinks', async () => {
    const { page } = running();
    for (const note of sampleNotes()) {
      await openNote(page, note.title);
      const body = page.getByLabel('Note body');
      for (const phrase of note.text) await body.getByText(phrase).first().waitFor();
      const links = await body.locator('.note-link').allTextContents();
      expect([...new Set(links)].sort(), note.title).toEqual(titlesOf(note.links));
      const broken = await body.locator('.note-link.broken').allTextContents();
      expect([...new Set(broken)].sort(), note.title).toEqual(
        titlesOf(note.links.filter((n) => manifest.notes[n]!.trashed)),
      );
      // The panel lists the notes still live that link here.
      const sources = note.backlinks.filter((n) => !manifest.notes[n]!.trashed);
      if (sources.length > 0)
        await page
          .getByRole('region', { name: 'Backlinks' })
          .locator('.backlink')
          .first()
          .waitFor();
      await expect(shownBacklinks(page)).resolves.toEqual(titlesOf(sources));
    }
  });

  it('lists the versions the earlier build kept in the history panel', async () => {
    const { page } = running();
    const panel = page.getByRole('region', { name: 'Version history' });
    const versions = panel.getByRole('listbox', { name: 'Versions' }).getByRole('option');
    for (const note of manifest.notes.filter((entry) => entry.versions > 0)) {
      await openNote(page, note.title);
      await page.getByRole('button', { name: 'Version history' }).click();
      // The panel lists every version at once, when it has read them.
      await versions.first().waitFor();
      await expect(versions.count(), note.title).resolves.toBe(note.versions);
      await expect(versions.last().textContent()).resolves.toContain('As it was when opened');
      await page.getByRole('button', { name: 'Close history' }).click();
    }
  });
});
