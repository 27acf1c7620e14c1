/**
 * Opening a note is not editing it. A person opens notes of every kind (typed with headings,
 * lists, a checklist, a `[[link]]` and a web link; imported from Markdown), after a reload so the
 * editor binds to stored bodies, clicks into the body, selects text and moves on to another note.
 * Nothing may be written: the workspace's stored Yjs state (read from IndexedDB) stays the same,
 * the notes keep their "edited" time and person, and the list keeps its order. Typing still
 * marks the note edited by the typist.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { Page } from 'playwright-core';
import { SKIP_REASON, chromiumAvailable, onboardedApp, storedUpdate } from './harness';
import { notes } from '../../shared/model';

if (!chromiumAvailable()) console.warn(SKIP_REASON);

interface Stored {
  readonly stateVector: string;
  readonly notes: Record<string, { updatedAt: number; updatedBy: string }>;
}

async function stored(page: Page): Promise<Stored> {
  const update = await storedUpdate(page);
  const doc = new Y.Doc();
  Y.applyUpdate(doc, update);
  const byTitle: Stored['notes'] = {};
  for (const note of notes.list(doc).items)
    byTitle[note.title] = { updatedAt: note.updatedAt, updatedBy: note.updatedBy };
  const vector = [...Y.decodeStateVector(Y.encodeStateVectorFromUpdate(update))].sort();
  return { stateVector: JSON.stringify(vector), notes: byTitle };
}

/** Waits until what is stored stops changing (writes land in IndexedDB asynchronously). */
async function settled(page: Page): Promise<Stored> {
  let previous = await stored(page);
  for (;;) {
    await page.waitForTimeout(300);
    const next = await stored(page);
    if (JSON.stringify(next) === JSON.stringify(previous)) return next;
    previous = next;
  }
}

function listTitles(page: Page): Promise<string[]> {
  return page
    .getByRole('listbox', { name: 'Notes list' })
    .getByRole('option')
    .evaluateAll((options) => options.map((option) => option.textContent ?? ''));
}

describe.runIf(chromiumAvailable())('Opening a note does not edit it (Chromium)', () => {
  const app = onboardedApp('Ana');

  it('opens, clicks and selects in notes of every kind without writing anything', async () => {
    const { page } = app();
    const body = page.getByLabel('Note body');
    const newNote = async (title: string) => {
      await page.getByRole('button', { name: '+ New note' }).click();
      await page.keyboard.type(title);
      await page.keyboard.press('Enter');
      await body.click();
    };
    await newNote('Target');
    await page.keyboard.type('Linked from the field guide.');
    await newNote('Field guide');
    await page.keyboard.type('# Camp');
    await page.keyboard.press('Enter');
    await page.keyboard.type('- tents');
    await page.keyboard.press('Enter');
    await page.keyboard.type('stoves');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Enter');
    await page.keyboard.type('[ ] pack water');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Enter');
    await page.keyboard.type('See [[Targ');
    await page
      .getByRole('listbox', { name: 'Link to note' })
      .getByRole('option', { name: 'Target' })
      .waitFor();
    await page.keyboard.press('Enter');
    await page.keyboard.type('and https://example.org/map for the map. ');
    await expect(body.locator('a[href="https://example.org/map"]').count()).resolves.toBe(1);
    await expect(body.locator('ul[data-type="taskList"] li').count()).resolves.toBe(1);

    await page.getByLabel('Markdown files to import').setInputFiles({
      name: 'imported.md',
      mimeType: 'text/markdown',
      buffer: Buffer.from(
        '---\ntitle: "Imported"\n---\n\nMaps are at example.org\n\n## Route\n\n1. north\n2. east\n\n- [x] done\n- [ ] open\n\n' +
          '> quoted **bold** [site](https://example.com)\n\n```js\nlet a = 1;\n```\n\n---\n\nEnd [[Target]].\n',
      ),
    });
    await page.getByText('Imported 1 note.').waitFor();
    await newNote('Newest');
    await page.keyboard.type('Written last.');

    await page.reload();
    await page.getByRole('option', { name: /^Newest/ }).waitFor();
    // Let every edit above reach storage and age past "just now"'s resolution of the sort order.
    await page.waitForTimeout(1500);
    const before = await settled(page);
    const orderBefore = await listTitles(page);
    expect(Object.keys(before.notes).sort()).toEqual([
      'Field guide',
      'Imported',
      'Newest',
      'Target',
    ]);

    for (const title of ['Field guide', 'Imported', 'Target']) {
      await page.getByRole('option', { name: new RegExp(`^${title}`) }).click();
      await expect(page.getByLabel('note title').inputValue()).resolves.toBe(title);
      await body.locator('p, li, h1, h2').first().waitFor();
      await body.click({ position: { x: 40, y: 10 } });
      await page.keyboard.press('End');
      await page.keyboard.press('Shift+Home');
      await page.keyboard.press('Control+a');
      // Longer than the editor's 1.2 s debounce for recording an edit.
      await page.waitForTimeout(1400);
    }
    await page.getByRole('option', { name: /^Newest/ }).click();
    await page.waitForTimeout(500);

    const after = await settled(page);
    expect(after.notes).toEqual(before.notes);
    expect(after.stateVector).toBe(before.stateVector);
    await expect(listTitles(page)).resolves.toEqual(orderBefore);
    expect(app().errors).toEqual([]);
  });

  it('still marks a note edited by the person who types in it, or undoes typing', async () => {
    const { page } = app();
    const before = await settled(page);
    const me = before.notes.Newest!.updatedBy;
    await page.getByRole('option', { name: /^Target/ }).click();
    await page.getByLabel('Note body').click();
    await page.keyboard.press('End');
    await page.keyboard.type(' More.');
    await page.waitForTimeout(1400); // the editor's debounce for recording an edit
    const typed = await settled(page);
    expect(typed.notes.Target!.updatedAt).toBeGreaterThan(before.notes.Target!.updatedAt);
    expect(typed.notes.Target!.updatedBy).toBe(me);
    expect((await listTitles(page))[0]).toMatch(/^Target/);

    // Undo is an edit too; leaving the note right away records it without waiting.
    await page.keyboard.press('Control+z');
    await expect(page.getByLabel('Note body').textContent()).resolves.not.toContain('More.');
    await page.getByRole('option', { name: /^Newest/ }).click();
    const undone = await settled(page);
    expect(undone.notes.Target!.updatedAt).toBeGreaterThan(typed.notes.Target!.updatedAt);
    expect(undone.notes.Newest).toEqual(before.notes.Newest);
  });
});
