/**
 * Notes end to end in Chromium against web mode, as a person would: write a formatted note with
 * Markdown shortcuts, link a second note to it with [[, see the backlink, search and open the hit,
 * trash (the link shows broken) and restore, export to Markdown and import it back, refuse a
 * binary file, and jump with Ctrl+K. Screenshots in light and dark go to test-results/screenshots.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import {
  acceptPlainExport,
  SCREENSHOT_DIR,
  SKIP_REASON,
  chromiumAvailable,
  addStoredRow,
  onboard,
  onboardedApp,
  startApp,
  storedUpdate,
  type RunningApp,
  writeNote,
  storedBodyUpdate,
} from './harness';
import * as Y from 'yjs';
import type { Page } from 'playwright-core';
import { noteBody, notes } from '../../shared/model';
import { digestBody } from '../../shared/model/notesBody';
import { bodyFragment } from '../../shared/model/bodyDocuments';

if (!chromiumAvailable()) console.warn(SKIP_REASON);

describe.runIf(chromiumAvailable())('Notes in Chromium (web mode)', () => {
  let app: RunningApp;

  beforeAll(async () => {
    await mkdir(SCREENSHOT_DIR, { recursive: true });
    app = await startApp();
    await onboard(app.page, 'Ana');
  });

  afterAll(async () => {
    await app?.close();
  });

  it('writes a formatted note, links a second note to it and shows the backlink', async () => {
    const { page } = app;
    await page.getByRole('button', { name: '+ New note' }).click();
    await page.keyboard.type('Launch plan');
    await page.keyboard.press('Enter');
    const body = page.getByLabel('Note body');
    await body.click();
    // Markdown-style input rules: "# " makes a heading, "- " a list; Ctrl+B toggles bold.
    await page.keyboard.type('# Goals');
    await page.keyboard.press('Enter');
    await page.keyboard.type('We ship the beta ');
    await page.keyboard.press('Control+b');
    await page.keyboard.type('on Friday');
    await page.keyboard.press('Control+b');
    await page.keyboard.press('Enter');
    await page.keyboard.type('- check the installer');
    await expect(body.locator('h1').textContent()).resolves.toBe('Goals');
    await expect(body.locator('strong').textContent()).resolves.toBe('on Friday');
    await expect(body.locator('ul li').textContent()).resolves.toBe('check the installer');
    // The toolbar's Undo and Redo follow the editor's history.
    const tool = (label: string, enabled: boolean) =>
      page.locator(`button[aria-label="${label}"]${enabled ? ':enabled' : ':disabled'}`).waitFor();
    await tool('Redo', false);
    await page.getByRole('button', { name: 'Undo', exact: true }).click();
    await tool('Redo', true);
    await expect(body.textContent()).resolves.not.toContain('check the installer');
    await page.getByRole('button', { name: 'Redo', exact: true }).click();
    await tool('Redo', false);
    await tool('Undo', true);
    await expect(body.locator('ul li').textContent()).resolves.toBe('check the installer');

    await page.getByRole('button', { name: '+ New note' }).click();
    await page.keyboard.type('Retro notes');
    await page.keyboard.press('Enter');
    await body.click();
    await page.keyboard.type('Follow-up for [[Launch');
    await page
      .getByRole('listbox', { name: 'Link to note' })
      .getByRole('option', { name: 'Launch plan' })
      .waitFor();
    await page.keyboard.press('Enter');
    await page.keyboard.type('next week.');
    const link = body.locator('.note-link');
    await expect(link.textContent()).resolves.toBe('Launch plan');

    await link.click();
    await expect(page.getByLabel('note title').inputValue()).resolves.toBe('Launch plan');
    const backlinks = page.getByRole('region', { name: 'Backlinks' });
    await backlinks.getByRole('button', { name: /Retro notes/ }).waitFor();
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'notes-light.png') });
  });

  it('finds a word in a body, highlights it and opens the result, after a reload', async () => {
    const { page } = app;
    // Reloaded, the notes are read while the app's scripts load and indexed after the first paint.
    await page.reload();
    await page.getByRole('option', { name: /^Retro notes/ }).click();
    const search = page.getByLabel('Search notes');
    await search.fill('frida');
    const hit = page.getByRole('listbox', { name: 'Search results' }).getByRole('option').first();
    await expect(hit.locator('mark').first().textContent()).resolves.toBe('Friday');
    await page.getByRole('status').filter({ hasText: '1 note matches' }).waitFor();
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'notes-search.png') });
    await hit.click();
    await expect(page.getByLabel('note title').inputValue()).resolves.toBe('Launch plan');
    await search.fill('');
  });

  it('trashes a note (its links show as broken) and restores it', async () => {
    const { page } = app;
    await page.getByRole('option', { name: /^Launch plan/ }).click();
    await page.getByRole('button', { name: 'Move to trash' }).click();
    await page.getByRole('option', { name: /^Retro notes/ }).click();
    await page.locator('.note-link.broken').waitFor();
    await page.getByRole('tab', { name: 'Trash' }).click();
    await page.getByRole('option', { name: /^Launch plan/ }).click();
    await page.getByRole('button', { name: 'Restore' }).click();
    await page.getByRole('tab', { name: 'Active' }).click();
    await page.getByRole('option', { name: /^Retro notes/ }).click();
    await page.locator('.note-link:not(.broken)').waitFor();
  });

  it('exports a note as Markdown and imports it back with the same text and structure', async () => {
    const { page } = app;
    await page.getByRole('option', { name: /^Launch plan/ }).click();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page
        .getByRole('button', { name: 'Export as Markdown' })
        .click()
        .then(() => acceptPlainExport(page)),
    ]);
    expect(download.suggestedFilename()).toBe('Launch plan.md');
    const file = path.join(SCREENSHOT_DIR, 'exported-launch-plan.md');
    await download.saveAs(file);
    const markdown = await readFile(file, 'utf8');
    expect(markdown).toMatch(/^---\ntitle: "Launch plan"\ntags: \[\]\n/);
    expect(markdown).toContain(
      '# Goals\n\nWe ship the beta **on Friday**\n\n- check the installer\n',
    );

    await page.getByLabel('Markdown files to import').setInputFiles(file);
    await page.getByText('Imported 1 note.').waitFor();
    await expect(page.getByRole('option', { name: /^Launch plan/ }).count()).resolves.toBe(2);
    const body = page.getByLabel('Note body');
    await expect(body.locator('h1').textContent()).resolves.toBe('Goals');
    await expect(body.locator('strong').textContent()).resolves.toBe('on Friday');
    await expect(body.locator('ul li').textContent()).resolves.toBe('check the installer');
  });

  it('refuses a binary file with a clear message and imports nothing', async () => {
    const { page } = app;
    const binary = path.join(SCREENSHOT_DIR, 'not-really.md');
    await writeFile(binary, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x0d, 0x0a]));
    const before = await page.getByRole('option').count();
    await page.getByLabel('Markdown files to import').setInputFiles(binary);
    await page.getByText('Nothing was imported. “not-really.md” is a binary file').waitFor();
    await expect(page.getByRole('option').count()).resolves.toBe(before);
  });

  it('starts notes from the built-in templates and from one the person saved', async () => {
    const { page } = app;
    // Close what earlier steps left on screen (the refused binary file stays until closed).
    const dismiss = page.getByRole('button', { name: 'Dismiss' });
    while ((await dismiss.count()) > 0) await dismiss.first().click();
    const body = page.getByLabel('Note body');
    await page.getByRole('button', { name: 'Templates' }).click();
    await page.getByRole('menuitem', { name: 'Async update' }).click();
    const today = new Date().toLocaleDateString('sv'); // YYYY-MM-DD in the local zone
    await expect.poll(() => page.getByLabel('note title').inputValue()).toBe(`Update ${today}`);
    await body.locator('h2').first().waitFor(); // the editor's code loads on first use
    await expect(body.locator('h2').allTextContents()).resolves.toEqual([
      'What I did',
      "What's next",
      'Blockers',
    ]);

    await page.getByRole('button', { name: 'Templates' }).click();
    await page.getByRole('menuitem', { name: 'Meeting-free proposal' }).click();
    await body.locator('h2', { hasText: 'Decision needed by' }).waitFor();
    // Make it this team's own kind of proposal and keep it as a template.
    await body.locator('h2', { hasText: 'Open questions' }).click();
    await page.keyboard.press('End');
    await page.keyboard.type(' and risks');
    await page.getByRole('button', { name: 'Save as template' }).click();
    await page.getByLabel('Template name').fill('Proposal with risks');
    await page.getByRole('button', { name: 'Save template' }).click();
    await page.getByText('Saved the template “Proposal with risks”.').waitFor();

    // Saved templates stay on this device across a reload.
    await page.reload();
    await page.getByRole('button', { name: 'Templates' }).click();
    await page.getByRole('menuitem', { name: /Proposal with risks/ }).click();
    await body.locator('h2', { hasText: 'Open questions and risks' }).waitFor();
    await expect(body.locator('h2').count()).resolves.toBe(5);
  });

  it('imports a folder of Markdown, skipping files that are not Markdown', async () => {
    const { page } = app;
    const folder = await mkdtemp(path.join(tmpdir(), 'outpost-import-'));
    try {
      await writeFile(path.join(folder, 'standup.md'), '# Standup\n\nAll green.\n');
      await writeFile(
        path.join(folder, 'handbook.markdown'),
        '---\ntitle: "Team handbook"\ntags: [onboarding]\n---\n\n## Tools\n\n- Outpost\n',
      );
      await writeFile(path.join(folder, 'photo.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47]));
      await page.getByLabel('Folder to import').setInputFiles(folder);
      await page.getByText('Imported 2 notes; skipped 1 file that is not Markdown.').waitFor();
      // .first(): a retry of this test imports the folder again.
      await page
        .getByRole('option', { name: /^Team handbook/ })
        .first()
        .click();
      await page.getByLabel('Note body').locator('li', { hasText: 'Outpost' }).waitFor();
      await page.getByRole('button', { name: 'Remove tag onboarding' }).waitFor();
      // Without a title in front matter, the file's name is the title.
      await page
        .getByRole('option', { name: /^standup/ })
        .first()
        .waitFor();
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  it('jumps to a goal and to a decision with Ctrl+K', async () => {
    const { page } = app;
    await page.keyboard.press('Control+2');
    await page.keyboard.press('Control+n');
    await page.keyboard.type('Reach 100 paying teams');
    await page.keyboard.press('Enter');
    await page.getByRole('option', { name: /Reach 100 paying teams/ }).waitFor();
    await page.keyboard.press('Control+3');
    await page.keyboard.press('Control+n');
    await page.keyboard.type('Adopt four-day weeks');
    await page.keyboard.press('Enter');
    await page.getByRole('option', { name: /Adopt four-day weeks/ }).waitFor();
    await page.keyboard.press('Control+1');

    await page.keyboard.press('Control+k');
    await page.getByLabel('Jump to').fill('paying');
    await page.getByRole('listbox', { name: 'Results' }).getByText('Goal').waitFor();
    await page.keyboard.press('Enter');
    await expect(page.getByLabel('goal title').inputValue()).resolves.toBe(
      'Reach 100 paying teams',
    );

    await page.keyboard.press('Control+k');
    await page.getByLabel('Jump to').fill('four-day');
    await page.keyboard.press('Enter');
    await expect(page.getByLabel('decision title').inputValue()).resolves.toBe(
      'Adopt four-day weeks',
    );
    await page.keyboard.press('Control+1');
  });

  it('tags notes, filters by tag, pins, duplicates and archives', async () => {
    const { page } = app;
    // Named per attempt, so that a retry does not meet the notes of a failed one.
    const run = Math.random().toString(36).slice(2, 6);
    const [visa, packing, travel, gear] = [
      `Visa checklist ${run}`,
      `Packing list ${run}`,
      `travel-${run}`,
      `gear-${run}`,
    ];
    const list = page.getByRole('listbox', { name: 'Notes list' });
    const filter = page.getByLabel('Filter by tag');
    const option = (title: string) => list.getByRole('option', { name: new RegExp(`^${title}`) });
    const newNote = async (title: string, tags: string[]) => {
      await page.getByRole('button', { name: '+ New note' }).click();
      await page.keyboard.type(title);
      await page.keyboard.press('Enter');
      for (const tag of tags) {
        await page.getByLabel('Add a tag').fill(tag);
        await page.keyboard.press('Enter');
        await page.getByRole('button', { name: `Remove tag ${tag}` }).waitFor();
      }
    };
    await newNote(visa, [travel]);
    await newNote(packing, [travel, gear]);

    // The filter shows the tags in use (all of them once expanded); one narrows the list to its notes.
    const more = filter.getByRole('button', { name: /more$/ });
    if ((await more.count()) > 0) await more.click();
    await filter.getByRole('button', { name: `#${gear}` }).waitFor();
    await filter.getByRole('button', { name: `#${travel}` }).click();
    await expect
      .poll(async () => list.getByRole('option').allTextContents())
      .toEqual([expect.stringMatching(`^${packing}`), expect.stringMatching(`^${visa}`)]);
    await filter.getByRole('button', { name: `#${travel}` }).click();
    await option('Retro notes').waitFor();

    // A removed tag leaves the note and, used nowhere else, the filter.
    await page.getByRole('button', { name: `Remove tag ${gear}` }).click();
    await expect(filter.getByRole('button', { name: `#${gear}` }).count()).resolves.toBe(0);

    // Pinned goes first, though another note was edited later.
    await option(visa).click();
    await page.getByLabel('Pinned').check();
    await expect
      .poll(async () => (await list.getByRole('option').first().textContent()) ?? '')
      .toContain(visa);
    await expect(list.getByRole('option').first().getByLabel('Pinned').count()).resolves.toBe(1);

    // A duplicate is a new note with the same tags, selected at once.
    await option(packing).click();
    await page.getByRole('button', { name: 'Duplicate' }).click();
    await expect.poll(() => page.getByLabel('note title').inputValue()).toBe(`${packing} (copy)`);
    await page.getByRole('button', { name: `Remove tag ${travel}` }).waitFor();

    // Archived, it leaves the active list for the Archived tab, and comes back from there.
    const copy = list.getByRole('option', { name: `${packing} (copy)` });
    await page.getByRole('button', { name: 'Archive', exact: true }).click();
    await expect.poll(() => copy.count()).toBe(0);
    await page.getByRole('tab', { name: 'Archived' }).click();
    await copy.click();
    await page.getByRole('button', { name: 'Unarchive' }).click();
    await page.getByRole('tab', { name: 'Active' }).click();
    await copy.waitFor();
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'notes-tags-light.png') });
  });

  it('jumps to any note with Ctrl+K, in the dark theme', async () => {
    const { page } = app;
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.keyboard.press('Control+k');
    await page.getByLabel('Jump to').fill('retro');
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'notes-palette-dark.png') });
    await page.keyboard.press('Enter');
    await expect(page.getByLabel('note title').inputValue()).resolves.toBe('Retro notes');
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'notes-dark.png') });
    await page.emulateMedia({ colorScheme: 'light' });
    expect(app.errors).toEqual([]);
  });
});

describe.runIf(chromiumAvailable())('Notices in Chromium (web mode)', () => {
  let app: RunningApp;

  beforeAll(async () => {
    app = await startApp();
    await app.page.clock.install();
    await app.page.reload();
    await onboard(app.page, 'Ana');
  });

  afterAll(async () => {
    await app?.close();
  });

  it('lets news go after a few seconds but keeps errors until they are closed', async () => {
    const { page } = app;
    const binary = path.join(SCREENSHOT_DIR, 'notice-binary.md');
    await writeFile(binary, Buffer.from([0x00, 0x01, 0x02, 0x03]));
    await page.getByLabel('Markdown files to import').setInputFiles(binary);
    const error = page.getByRole('alert').filter({ hasText: 'Nothing was imported' });
    await error.waitFor();
    const markdown = path.join(SCREENSHOT_DIR, 'notice-ok.md');
    await writeFile(markdown, '# Hello\n');
    await page.getByLabel('Markdown files to import').setInputFiles(markdown);
    const news = page.getByRole('status').filter({ hasText: 'Imported 1 note.' });
    await news.waitFor();

    // Held while the pointer is on it…
    await news.hover();
    await page.clock.fastForward(20_000);
    await expect(news.count()).resolves.toBe(1);
    // …and gone a few seconds after it is left; the error stays.
    await page.mouse.move(10, 10);
    await page.clock.fastForward(9_000);
    await news.waitFor({ state: 'detached' });
    await expect(error.count()).resolves.toBe(1);
    await error.getByRole('button', { name: 'Dismiss' }).click();
    await error.waitFor({ state: 'detached' });
  });
});

describe.runIf(chromiumAvailable())('A damaged note in Chromium (web mode)', () => {
  const app = onboardedApp('Ana');

  it('is listed by its title and opens read-only with a notice; the others stay as they were', async () => {
    const { page } = app();
    // Named per attempt, so a retry does not find the previous attempt's notes.
    const tag = Date.now().toString(36);
    await writeNote(page, `Budget ${tag}`, 'Numbers for the third quarter');
    await writeNote(page, `Travel ${tag}`, 'Lisbon in May');

    // Once both bodies are stored, a buggy peer's update turns one note's "pinned" into text.
    let doc = new Y.Doc();
    await expect
      .poll(
        async () => {
          doc = new Y.Doc();
          Y.applyUpdate(doc, await storedUpdate(page));
          return Promise.all(
            notes
              .list(doc)
              .items.map(async (note) => [note.title, await noteText(page, doc, note.id)]),
          );
        },
        { timeout: 10_000 },
      )
      .toEqual(
        expect.arrayContaining([
          [`Budget ${tag}`, 'Numbers for the third quarter'],
          [`Travel ${tag}`, 'Lisbon in May'],
        ]),
      );
    const budget = notes.list(doc).items.find((note) => note.title === `Budget ${tag}`)!;
    const before = Y.encodeStateVector(doc);
    notes.map(doc, budget.id)!.set('pinned', 'yes');
    await addStoredRow(page, Y.encodeStateAsUpdate(doc, before));
    await page.reload();

    const damaged = page.getByRole('status').filter({ hasText: '1 damaged note' });
    await damaged.getByRole('button', { name: new RegExp(`Budget ${tag}.*pinned`) }).click();
    const detail = page.getByRole('article', { name: 'note details' });
    await expect(detail.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
      `Budget ${tag}`,
    );
    await detail.getByRole('alert').filter({ hasText: 'opens read-only' }).waitFor();
    const body = detail.getByLabel('Note body');
    await expect(body.textContent()).resolves.toContain('Numbers for the third quarter');
    await expect(body.getAttribute('contenteditable')).resolves.toBe('false');
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'notes-damaged.png') });

    // The other note opens and edits as before; the damaged one is still stored as it was.
    await page.getByRole('option', { name: new RegExp(`^Travel ${tag}`) }).click();
    await expect(page.getByLabel('Note body').getAttribute('contenteditable')).resolves.toBe(
      'true',
    );
    const after = new Y.Doc();
    Y.applyUpdate(after, await storedUpdate(page));
    expect(await noteText(page, after, budget.id)).toBe('Numbers for the third quarter');
    expect(notes.get(after, budget.id)).toMatchObject({
      ok: false,
      damaged: { title: `Budget ${tag}` },
    });
  });
});

describe.runIf(chromiumAvailable())('More notes than one screen, in Chromium (web mode)', () => {
  const app = onboardedApp('Ana');

  it('lists every note after a reload, newest first, though only the first screen is read before it shows', async () => {
    const { page } = app();
    const folder = await mkdtemp(path.join(tmpdir(), 'outpost-many-'));
    const count = 160; // more than the 100 notes read before the first screen
    try {
      for (let i = 0; i < count; i++)
        await writeFile(
          path.join(folder, `n${String(i).padStart(3, '0')}.md`),
          `Note number ${i}\n`,
        );
      await page.getByLabel('Folder to import').setInputFiles(folder);
      await page.getByText(`Imported ${count} notes.`).waitFor({ timeout: 30_000 });
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
    const list = page.getByRole('listbox', { name: 'Notes list' });
    const setSize = () => list.getByRole('option').first().getAttribute('aria-setsize');
    await expect.poll(setSize).toBe(String(count));
    const firstTitles = await list.locator('.record-title').allTextContents();

    await page.reload();
    await expect.poll(setSize, { timeout: 20_000 }).toBe(String(count));
    await expect(list.locator('.record-title').allTextContents()).resolves.toEqual(firstTitles);
    await page
      .getByRole('button', { name: /^Notes/ })
      .getByText(String(count))
      .waitFor();
    // The notes read after the first screen are searchable too.
    await page.getByLabel('Search notes').fill('n007');
    await page.getByRole('status').filter({ hasText: '1 note matches' }).waitFor();
  });
});

/**
 * A note body's plain text, straight from storage: embedded in the workspace document (schema 1)
 * or, where bodies are documents of their own (schema 2), from the rows of its body document.
 */
async function noteText(page: Page, doc: Y.Doc, id: string): Promise<string> {
  const embedded = noteBody(doc, id);
  if (embedded) return digestBody(embedded).text.trim();
  const body = new Y.Doc();
  const update = await storedBodyUpdate(page, id);
  if (update) Y.applyUpdate(body, update);
  return digestBody(bodyFragment(body)).text.trim();
}
