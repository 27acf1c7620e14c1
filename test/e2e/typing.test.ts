/**
 * Typed text is kept (issue #14): in Chromium against web mode, a person types into each kind of
 * text field the app has — note, goal and decision titles, a goal's description, every field of a
 * key result, every text of a decision and its options, the rich-text bodies, the display name, the
 * workspace names, the LAN port and the focus timer's numbers — and never leaves the field: a
 * second after the last keystroke the page is reloaded, and the text must be there. A kill of the
 * page's process (no unload events at all) a second after typing keeps it too, and so does a reload
 * right after the last keystroke (before the field's own save is due, or a body's row confirmed).
 */
import { describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { SKIP_REASON, chromiumAvailable, onboard, onboardedApp, startApp } from './harness';

if (!chromiumAvailable()) console.warn(SKIP_REASON);

/** The person stops typing; what happens next comes this long after the last keystroke. */
const PAUSE_MS = 1_000;

/** Replaces the field's text key by key, as a person does, and stays in the field. */
async function typeInto(field: Locator, text: string): Promise<void> {
  await field.selectText();
  await field.page().keyboard.type(text);
}

/** The one record of a section's list, opened (after a reload nothing is selected). */
async function openOnly(page: Page, list: RegExp): Promise<void> {
  await page.getByRole('listbox', { name: list }).getByRole('option').first().click();
}

const NOTES = /^Notes list$/;
const GOALS = /^Goals (list|tree)$/;
const DECISIONS = /^Decisions list$/;

describe.runIf(chromiumAvailable())('Typed text survives a reload (Chromium, web mode)', () => {
  const app = onboardedApp('Ana');

  /**
   * Types `text` into the field `locate` finds, waits a second without leaving it, reloads,
   * `reopen`s the place the field is in and returns what the field holds then.
   */
  async function typedThenReloaded(
    locate: () => Locator,
    text: string,
    reopen: () => Promise<void> = async () => {},
  ): Promise<string> {
    const { page } = app();
    await typeInto(locate(), text);
    expect(await locate().inputValue()).toBe(text);
    await page.waitForTimeout(PAUSE_MS);
    await page.reload();
    await reopen();
    return locate().inputValue();
  }

  /** The same for a rich-text body (bound to the document as it is typed). */
  async function typedThenReloadedBody(
    locate: () => Locator,
    text: string,
    reopen: () => Promise<void>,
  ): Promise<string | null> {
    const { page } = app();
    await locate().click();
    await page.keyboard.type(text);
    await page.waitForTimeout(PAUSE_MS);
    await page.reload();
    await reopen();
    await locate().getByText(text).waitFor();
    return locate().textContent();
  }

  it('keeps a note’s title and body, and a goal’s title and description', async () => {
    const { page } = app();
    const openNote = () => openOnly(page, NOTES);
    await page.keyboard.press('Control+1');
    await page.getByRole('button', { name: '+ New note' }).click();
    const noteTitle = () => page.getByLabel('note title');
    expect
      .soft(await typedThenReloaded(noteTitle, 'Packing list for Porto', openNote))
      .toBe('Packing list for Porto');
    expect
      .soft(
        await typedThenReloadedBody(
          () => page.getByLabel('Note body'),
          'Passports and chargers',
          openNote,
        ),
      )
      .toContain('Passports and chargers');

    const openGoal = () => openOnly(page, GOALS);
    await page.keyboard.press('Control+2');
    await page.getByRole('button', { name: '+ New goal' }).click();
    expect
      .soft(
        await typedThenReloaded(
          () => page.getByLabel('goal title'),
          'Grow the community',
          openGoal,
        ),
      )
      .toBe('Grow the community');
    expect
      .soft(
        await typedThenReloaded(
          () => page.getByLabel('Description'),
          'Meetups in three cities.\nEvery quarter.',
          openGoal,
        ),
      )
      .toBe('Meetups in three cities.\nEvery quarter.');
  });

  it('keeps every field of a key result being edited', async () => {
    const { page } = app();
    await page.keyboard.press('Control+2');
    // A goal of its own, named with Enter (saved on every version of the app).
    await page.getByRole('button', { name: '+ New goal' }).click();
    await page.getByLabel('goal title').fill('Members goal');
    await page.getByLabel('goal title').press('Enter');
    const openGoal = () =>
      page
        .getByRole('listbox', { name: GOALS })
        .getByRole('option', { name: /Members goal/ })
        .click();
    await openGoal();
    await page.getByRole('button', { name: '+ Add key result' }).click();
    const form = page.getByRole('form', { name: 'New key result' });
    await form.getByLabel('Key result').fill('Members');
    await form.getByLabel('Start value').fill('100');
    await form.getByLabel('Target value').fill('300');
    await form.getByLabel('Unit').fill('people');
    await form.getByRole('button', { name: 'Add key result' }).click();

    const card = page.getByRole('listitem', { name: /^Key result / }).first();
    const editForm = page.getByRole('form', { name: /^Edit key result / });
    await card.getByRole('button', { name: 'Edit' }).click();
    const reopenEditing = async () => {
      await openGoal();
      await card.getByRole('button', { name: 'Edit' }).click();
    };
    for (const [label, text] of [
      ['Key result', 'Active members'],
      ['Start value', '120'],
      ['Target value', '450'],
      ['Unit', 'members'],
      ['Weight', '2'],
    ] as const) {
      expect
        .soft(
          await typedThenReloaded(
            () => editForm.getByLabel(label, { exact: true }),
            text,
            reopenEditing,
          ),
          label,
        )
        .toBe(text);
    }
    await editForm.getByRole('button', { name: 'Save key result' }).click();
    expect(await card.getAttribute('aria-label')).toBe('Key result Active members');
    expect(await card.locator('.kr-values').textContent()).toContain('120');
  });

  it('keeps a decision’s title, context, options, proposal, drivers and outcomes', async () => {
    const { page } = app();
    const openDecision = () => openOnly(page, DECISIONS);
    await page.keyboard.press('Control+3');
    await page.getByRole('button', { name: '+ New decision' }).click();
    expect
      .soft(
        await typedThenReloaded(
          () => page.getByLabel('decision title'),
          'Adopt written daily updates',
          openDecision,
        ),
      )
      .toBe('Adopt written daily updates');
    expect
      .soft(
        await typedThenReloadedBody(
          () => page.getByRole('textbox', { name: 'Context and problem statement' }),
          'We span five time zones.',
          openDecision,
        ),
      )
      .toContain('We span five time zones.');

    await page.getByLabel('New option').fill('Written updates');
    await page.getByLabel('New option').press('Enter');
    expect
      .soft(
        await typedThenReloaded(
          () => page.getByLabel('Option 1 name'),
          'Written notes',
          openDecision,
        ),
      )
      .toBe('Written notes');
    for (const [label, text] of [
      // Named after the option's name; matched loosely so a lost name does not hide these.
      [/^Pros of /, 'Async\nSearchable'],
      [/^Cons of /, 'Slower replies'],
      ['Proposal', 'Everyone posts by 10:00 their time.'],
      ['Decision drivers', 'Time zones\nFocus time'],
    ] as const) {
      expect
        .soft(
          await typedThenReloaded(
            () => page.getByLabel(label, { exact: true }),
            text,
            openDecision,
          ),
          String(label),
        )
        .toBe(text);
    }

    // The outcome typed while the vote is open, then the outcome statement once it is decided.
    await page.getByLabel('Status').selectOption('proposed');
    expect
      .soft(
        await typedThenReloaded(
          () => page.getByLabel('Outcome', { exact: true }),
          'Accepted after the trial week.',
          openDecision,
        ),
      )
      .toBe('Accepted after the trial week.');
    await page.getByRole('button', { name: 'Accept' }).click();
    expect
      .soft(
        await typedThenReloaded(
          () => page.getByLabel('Outcome statement'),
          'Accepted: written updates from Monday.',
          openDecision,
        ),
      )
      .toBe('Accepted: written updates from Monday.');
  });

  it('keeps text typed right before a reload, before its save was due', async () => {
    const { page } = app();
    await page.keyboard.press('Control+1');
    await openOnly(page, NOTES);
    const title = page.getByLabel('note title');
    await typeInto(title, 'Packing list for Lisbon');
    await page.reload();
    await openOnly(page, NOTES);
    expect(await title.inputValue()).toBe('Packing list for Lisbon');
  });

  it('keeps a note body typed right before a reload, its row’s write maybe not confirmed', async () => {
    const { page } = app();
    await page.keyboard.press('Control+1');
    await openOnly(page, NOTES);
    // The body is a document of its own (schema 2), journaled until its row is confirmed.
    const body = page.getByLabel('Note body');
    await body.click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type(' Typed right before the reload.');
    await page.reload();
    await openOnly(page, NOTES);
    await body.getByText('Typed right before the reload.', { exact: false }).waitFor();
    expect(await body.textContent()).toContain('Typed right before the reload.');
  });

  it('keeps the display name, the workspace name, the LAN port and the focus timer’s numbers', async () => {
    const { page } = app();
    await page.keyboard.press('Control+6');
    expect
      .soft(await typedThenReloaded(() => page.locator('#profile-name'), 'Ana Lima'))
      .toBe('Ana Lima');
    expect
      .soft(await typedThenReloaded(() => page.locator('#workspace-name'), 'Harbour notes'))
      .toBe('Harbour notes');

    await page.keyboard.press('Control+5');
    expect
      .soft(await typedThenReloaded(() => page.getByLabel('Port', { exact: true }), '47611'))
      .toBe('47611');

    await page.keyboard.press('Control+4');
    expect
      .soft(await typedThenReloaded(() => page.getByLabel('Focus', { exact: true }), '50'))
      .toBe('50');

    // A team workspace's name, shared with the team, is renamed on the Sync page.
    await page.keyboard.press('Control+5');
    await page.getByLabel('New team workspace').fill('Expedition');
    await page.getByRole('button', { name: 'Create team workspace' }).click();
    expect
      .soft(
        await typedThenReloaded(
          () => page.getByLabel('Workspace name (shared with the team)'),
          'Summit',
        ),
      )
      .toBe('Summit');
    expect(app().errors).toEqual([]);
  });
});

describe.runIf(chromiumAvailable())('Typed text survives a killed page (Chromium)', () => {
  it('keeps a decision’s proposal when the page’s process dies a second after typing', async () => {
    const app = await startApp();
    try {
      await onboard(app.page, 'Ana');
      const { context, page } = app;
      await page.keyboard.press('Control+3');
      await page.getByRole('button', { name: '+ New decision' }).click();
      await page.getByLabel('decision title').press('Enter');
      await typeInto(
        page.getByLabel('Proposal', { exact: true }),
        'Everyone posts by 10:00 their time.',
      );
      await page.waitForTimeout(PAUSE_MS);
      // The renderer crashes: no pagehide, no beforeunload, nothing runs after the last keystroke.
      const crashed = page.waitForEvent('crash');
      const cdp = await context.newCDPSession(page);
      // The call itself never answers: the page it was sent to is gone.
      void cdp.send('Page.crash').catch(() => undefined);
      await crashed;

      const again = await context.newPage();
      await again.goto(`${app.companion.url}#/decisions`);
      await openOnly(again, DECISIONS);
      expect(await again.getByLabel('Proposal', { exact: true }).inputValue()).toBe(
        'Everyone posts by 10:00 their time.',
      );
    } finally {
      await app.close();
    }
  });
});
