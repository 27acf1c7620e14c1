/**
 * Keyboard and focus, end to end in Chromium (web mode): "Skip to list" is the first Tab stop and
 * lands on the list's current item; the shortcut sheet opens with `?` and Ctrl+/ (and `?` typed in
 * a field stays a character); the focus ring has at least 3:1 contrast against the surface around
 * it in both themes; Ctrl+Shift+K opens the editor's link field while Ctrl+K still opens the
 * palette; news ("Duplicated the note.") does not follow the person to another view; and what is
 * typed right after Ctrl+N, before the new title has focus, lands in the title.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { mkdir } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import {
  SKIP_REASON,
  chromiumAvailable,
  onboard,
  startApp,
  writeNote,
  type RunningApp,
} from './harness';

if (!chromiumAvailable()) console.warn(SKIP_REASON);

const SHOTS = process.env.OUTPOST_SHOTS ?? path.resolve('test-results/screenshots/polish');

/**
 * The focused element's outline (style, width) and the WCAG contrast ratio of its colour against
 * the first opaque background behind the element (the surface the offset outline is drawn on).
 */
function focusRing(page: Page) {
  return page.evaluate(() => {
    const element = document.activeElement as HTMLElement;
    const style = getComputedStyle(element);
    const rgb = (value: string) => (value.match(/[\d.]+/g) ?? []).map(Number);
    const luminance = ([r, g, b]: number[]) => {
      const channel = (c: number) => {
        const s = c / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      };
      return 0.2126 * channel(r!) + 0.7152 * channel(g!) + 0.0722 * channel(b!);
    };
    let surface: HTMLElement | null = element.parentElement;
    let background = 'rgb(255, 255, 255)';
    while (surface) {
      const color = getComputedStyle(surface).backgroundColor;
      const parts = rgb(color);
      if (parts.length >= 3 && (parts.length === 3 || parts[3] === 1)) {
        background = color;
        break;
      }
      surface = surface.parentElement;
    }
    const a = luminance(rgb(style.outlineColor));
    const b = luminance(rgb(background));
    return {
      style: style.outlineStyle,
      width: style.outlineWidth,
      ratio: (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05),
    };
  });
}

describe.runIf(chromiumAvailable())('keyboard and focus (web mode)', () => {
  let app: RunningApp;

  beforeAll(async () => {
    await mkdir(SHOTS, { recursive: true });
    app = await startApp();
    await onboard(app.page, 'Ana');
    await writeNote(app.page, 'Packing list');
    await app.page.keyboard.press('Control+n');
    await app.page.keyboard.type('Visa notes');
    await app.page.keyboard.press('Enter');
    await app.page.getByRole('option', { name: /Visa notes/ }).waitFor();
  });

  afterAll(async () => {
    await app?.close();
  });

  it('skips to the list with the first Tab stop', async () => {
    const { page } = app;
    // Focus on the document itself, as on a page just opened: Tab starts from the top.
    await page.evaluate(() => {
      document.body.tabIndex = -1;
      document.body.focus();
      document.body.removeAttribute('tabindex');
    });
    await page.keyboard.press('Tab');
    const skip = page.getByRole('button', { name: 'Skip to list' });
    await expect(skip.evaluate((element) => element === document.activeElement)).resolves.toBe(
      true,
    );
    await page.screenshot({ path: path.join(SHOTS, 'skip-link-light.png') });
    await page.keyboard.press('Enter');
    await expect(page.evaluate(() => document.activeElement?.getAttribute('role'))).resolves.toBe(
      'option',
    );
    await expect(page.evaluate(() => document.activeElement?.textContent ?? '')).resolves.toMatch(
      /Visa notes|Packing list/,
    );
  });

  it('opens the shortcut sheet with ? and Ctrl+/, but not while typing', async () => {
    const { page } = app;
    const sheet = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await page.keyboard.press('?');
    await sheet.waitFor();
    await expect(sheet.innerText()).resolves.toContain('Ctrl+Shift+K');
    await page.screenshot({ path: path.join(SHOTS, 'shortcut-sheet-light.png') });
    await page.keyboard.press('Escape');
    await sheet.waitFor({ state: 'hidden' });
    // Focus comes back to where it was (the list item).
    await expect(page.evaluate(() => document.activeElement?.getAttribute('role'))).resolves.toBe(
      'option',
    );
    await page.keyboard.press('Control+/');
    await sheet.waitFor();
    await page.getByRole('button', { name: 'Close keyboard shortcuts' }).click();
    await sheet.waitFor({ state: 'hidden' });
    await page.getByLabel('Search notes').fill('');
    await page.getByLabel('Search notes').press('?');
    await expect(page.getByLabel('Search notes').inputValue()).resolves.toBe('?');
    await expect(sheet.isVisible()).resolves.toBe(false);
    await page.getByLabel('Search notes').fill('');
  });

  it('keeps the sheet open when the close event of an earlier Escape comes after Ctrl+/', async () => {
    const { page } = app;
    const sheet = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await page.keyboard.press('Control+/');
    await sheet.waitFor();
    // Escape closes the dialog at once and fires its close event a task later; on a busy machine
    // the next key can come in between (seen in CI). Here both happen in one task, in that order.
    const openAfter = await page.evaluate(async () => {
      const dialog = document.querySelector<HTMLDialogElement>(
        'dialog[aria-labelledby="shortcut-sheet-title"]',
      )!;
      const closed = new Promise((resolve) =>
        dialog.addEventListener('close', resolve, { once: true }),
      );
      dialog.close();
      window.dispatchEvent(new KeyboardEvent('keydown', { key: '/', ctrlKey: true }));
      await closed;
      // Whatever the page does on the late close event (a render, an effect) has run by then.
      await new Promise((resolve) => setTimeout(resolve, 0));
      return dialog.open;
    });
    expect(openAfter).toBe(true);
    await sheet.waitFor();
    await page.getByRole('button', { name: 'Close keyboard shortcuts' }).click();
    await sheet.waitFor({ state: 'hidden' });
  });

  it('shows a focus ring with at least 3:1 contrast in both themes', async () => {
    const { page } = app;
    for (const theme of ['light', 'dark'] as const) {
      await page.keyboard.press('Control+6');
      await page.getByRole('radio', { name: theme === 'light' ? 'Light' : 'Dark' }).click();
      await page.waitForFunction((want) => document.documentElement.dataset.theme === want, theme);
      await page.keyboard.press('Control+1');
      // A sidebar button, a primary button, a list item and a text field, reached by keyboard.
      for (const target of [
        page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: /Goals/ }),
        page.getByRole('button', { name: '+ New note' }),
        page.getByLabel('Search notes'),
      ]) {
        await target.focus();
        await page.keyboard.press('Shift+Tab');
        await page.keyboard.press('Tab');
        const ring = await focusRing(page);
        expect(ring, `${theme}: ${await target.innerText().catch(() => 'field')}`).toMatchObject({
          style: 'solid',
          width: '2px',
        });
        expect(ring.ratio).toBeGreaterThanOrEqual(3);
      }
      await page.getByRole('button', { name: '+ New note' }).focus();
      await page.keyboard.press('Shift+Tab');
      await page.keyboard.press('Tab');
      await page.screenshot({ path: path.join(SHOTS, `focus-ring-${theme}.png`) });
      await page.keyboard.press('Control+/');
      await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor();
      await page.screenshot({ path: path.join(SHOTS, `shortcut-sheet-${theme}.png`) });
      await page.keyboard.press('Escape');
    }
  });

  it('links with Ctrl+Shift+K in the editor, while Ctrl+K still opens the palette', async () => {
    const { page } = app;
    await page.getByRole('option', { name: /Packing list/ }).click();
    await page.getByLabel('Note body').click();
    await page.keyboard.type('Ferry timetable');
    await page.keyboard.press('Shift+Home');
    await page.keyboard.press('Control+Shift+K');
    const address = page.getByLabel('Link address');
    await address.waitFor();
    await expect(page.getByRole('dialog', { name: 'Go to' }).count()).resolves.toBe(0);
    await address.fill('https://ferries.example.org/timetable');
    await address.press('Enter');
    await page.locator('.note-body a[href="https://ferries.example.org/timetable"]').waitFor();
    await page.keyboard.press('Control+K');
    const palette = page.getByRole('dialog', { name: 'Go to' });
    await palette.waitFor();
    // The editor focuses itself a frame after a command (TipTap defers it); when that frame comes
    // after the palette opened, focus must come back to the palette and Escape still close it.
    await page.evaluate(() => document.querySelector<HTMLElement>('.note-body')?.focus());
    await expect(
      page.evaluate(() => document.activeElement?.getAttribute('aria-label')),
    ).resolves.toBe('Jump to');
    await page.keyboard.press('Escape');
    // Closed before the next test clicks a list row (its own rows are options too).
    await palette.waitFor({ state: 'detached' });
    expect(app.errors).toEqual([]);
  });

  it('lets news leave with the person, not follow them to another view', async () => {
    const { page } = app;
    await page.getByRole('option', { name: /Visa notes/ }).click();
    await page.getByRole('button', { name: 'Duplicate' }).click();
    const news = page.getByRole('status').filter({ hasText: 'Duplicated the note.' });
    await news.waitFor();
    await page.keyboard.press('Control+2');
    await news.waitFor({ state: 'detached' });
    await page.keyboard.press('Control+1');
    await expect(news.count()).resolves.toBe(0);
  });

  it('keeps what is typed right after Ctrl+N, before the new title has focus', async () => {
    const { page } = app;
    await page.keyboard.press('Control+2');
    await page.getByRole('heading', { name: 'Goals', exact: true }).waitFor();
    // Ctrl+N and the first letters in one task, before any frame could focus the new title: a
    // person typing at once on a busy machine (a storage e2e lost its goal's title this way).
    await page.evaluate(() => {
      const press = (init: KeyboardEventInit) =>
        (document.activeElement ?? document.body).dispatchEvent(
          new KeyboardEvent('keydown', { bubbles: true, cancelable: true, ...init }),
        );
      press({ key: 'n', ctrlKey: true });
      for (const key of 'Q3 hiring') press({ key });
    });
    await page.getByRole('option', { name: /Q3 hiring/ }).waitFor();
    await expect(page.locator('.detail-title').inputValue()).resolves.toBe('Q3 hiring');
  });
});
