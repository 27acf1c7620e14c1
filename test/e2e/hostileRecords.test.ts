/**
 * One update from any key holder must not stop a workspace from opening (issue #14). In a real
 * Chromium (web mode), a stored row holds a member entry and a note field nested 20,000 levels
 * deep, as a hostile or buggy teammate's device can write them; after a reload the app opens,
 * lists the intact notes, and shows the two records as damaged.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { notes, ROOT } from '../../shared/model';
import {
  SCREENSHOT_DIR,
  addStoredRow,
  chromiumAvailable,
  onboardedApp,
  storedUpdate,
  writeNote,
} from './harness';

/**
 * Puts a chain of Y.Maps `depth` levels deep under `key` of `map` (which is in a document). Built
 * top-down, each map set into one already integrated: Yjs integrates a preliminary map's content
 * recursively, so a chain built bottom-up would overflow the stack here before reaching the app.
 */
function nestDeep(map: Y.Map<unknown>, key: string, depth: number): void {
  let at = map;
  let name = key;
  for (let level = 0; level < depth; level++) {
    const next = new Y.Map<unknown>();
    at.set(name, next);
    at = next;
    name = 'a';
  }
  at.set(name, 'bottom');
}

describe.runIf(chromiumAvailable())('A deeply nested record in Chromium (web mode)', () => {
  const app = onboardedApp('Ana');

  it('opens the workspace, lists the intact notes and shows the nested records as damaged', async () => {
    const { page } = app();
    // Named per attempt, so a retry does not find the previous attempt's notes.
    const tag = Date.now().toString(36);
    await writeNote(page, `Alpha ${tag}`, 'First intact note');
    await writeNote(page, `Beta ${tag}`, 'Second intact note');
    await writeNote(page, `Gamma ${tag}`, 'Will be nested');

    let doc = new Y.Doc();
    await expect
      .poll(
        async () => {
          doc = new Y.Doc();
          Y.applyUpdate(doc, await storedUpdate(page));
          return notes
            .list(doc)
            .items.map((note) => note.title)
            .sort();
        },
        { timeout: 10_000 },
      )
      .toEqual(expect.arrayContaining([`Alpha ${tag}`, `Beta ${tag}`, `Gamma ${tag}`]));

    // A teammate's device writes a member entry and one note's `pinned` nested 12,000 deep.
    const gamma = notes.list(doc).items.find((note) => note.title === `Gamma ${tag}`)!;
    const before = Y.encodeStateVector(doc);
    doc.transact(() => {
      const member = new Y.Map<unknown>();
      doc.getMap<unknown>(ROOT.members).set(`member-deep-${tag}`, member);
      member.set('color', '#aa0000');
      nestDeep(member, 'name', 12_000);
      nestDeep(notes.map(doc, gamma.id)!, 'pinned', 12_000);
    });
    await addStoredRow(page, Y.encodeStateAsUpdate(doc, before));
    await page.reload();

    // The workspace opens: the intact notes are listed, the nested one is listed as damaged.
    const list = page.getByRole('listbox', { name: 'Notes list' });
    await list.getByRole('option', { name: new RegExp(`^Alpha ${tag}`) }).waitFor();
    await list.getByRole('option', { name: new RegExp(`^Beta ${tag}`) }).waitFor();
    const damagedNotes = page.getByRole('status').filter({ hasText: '1 damaged note' });
    await damagedNotes
      .getByRole('button', { name: new RegExp(`Gamma ${tag}.*nested more than`) })
      .waitFor();
    await expect(
      list.getByRole('option', { name: new RegExp(`^Gamma ${tag}`) }).count(),
    ).resolves.toBe(0);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'hostile-nested-notes.png') });

    // The damaged note opens read-only, its body as it was.
    await damagedNotes.getByRole('button', { name: new RegExp(`Gamma ${tag}`) }).click();
    const detail = page.getByRole('article', { name: 'note details' });
    await detail.getByRole('alert').filter({ hasText: 'opens read-only' }).waitFor();
    await expect(detail.getByLabel('Note body').textContent()).resolves.toContain('Will be nested');
    await expect(detail.getByLabel('Note body').getAttribute('contenteditable')).resolves.toBe(
      'false',
    );

    // An intact note opens and edits as before.
    await list.getByRole('option', { name: new RegExp(`^Alpha ${tag}`) }).click();
    const body = page.getByLabel('Note body');
    await expect(body.textContent()).resolves.toContain('First intact note');
    await expect(body.getAttribute('contenteditable')).resolves.toBe('true');

    // The team view lists the nested member entry as damaged, next to the intact one.
    await page.keyboard.press('Control+4');
    await page.getByRole('heading', { name: 'Focus', exact: true }).waitFor();
    const team = page.locator('.team-focus');
    await team.getByRole('rowheader', { name: /Ana/ }).waitFor();
    await page
      .getByRole('status')
      .filter({ hasText: '1 damaged member entry' })
      .filter({ hasText: `member-deep-${tag}` })
      .filter({ hasText: 'nested more than' })
      .waitFor();

    expect(app().errors.filter((error) => /call stack|could not start/i.test(error))).toEqual([]);
    await expect(page.getByText(/could not start/).count()).resolves.toBe(0);
  });
});
