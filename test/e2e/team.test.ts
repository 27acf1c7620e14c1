/**
 * Team features across two real peers, as two people would use them: Ana and Ben, each with their
 * own web companion and Chromium inside a private network namespace, meet in a team workspace by
 * invite code (signaling found by mDNS, WebRTC between the browsers; see ./twoPeople.ts). Then:
 * - notes: both open the same note; each sees the other's caret (name label, their color) and
 *   selection, and the other's avatar on the note; when Ben moves to another note both go away;
 * - decisions: Ana proposes and votes agree, Ben votes block from his browser; both tallies and
 *   the block with its reason show on both sides; the decision's link to a note shows in the note
 *   on Ben's side;
 * - typing: Ana types a decision's proposal and stays in the field while Ben writes the same
 *   field and another one of that decision; her text stays as typed and ends up on both sides,
 *   with Ben's other field;
 * - focus: Ana starts a focus block; Ben's team view shows "in focus until HH:MM" for her, the
 *   same time her own view shows.
 * Screenshots: test-results/screenshots/team-*.png.
 *
 * Meeting in the team is the expensive part (two cold Chromium profiles in the namespace), so it
 * happens once, in beforeAll. Each test then stands on its own on top of it: it makes the notes and
 * decisions it needs (named per attempt, so a retry never trips over what a failed attempt left)
 * and puts the timer in the state it starts from.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { SCREENSHOT_DIR } from './harness';
import { createNetns, type NetNamespace } from '../sync/netns';
import { closeSide, joinTeam, nav, startSide, twoPeopleReady, type Side } from './twoPeople';

const ready = twoPeopleReady('team e2e');

/** The color in the profile this device stored (the `outpost-device` database). */
async function profileColor(page: Page): Promise<string> {
  return page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open('outpost-device');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    const profile = await new Promise<{ color: string } | undefined>((resolve, reject) => {
      const request = db.transaction(['state'], 'readonly').objectStore('state').get('profile');
      request.onsuccess = () => resolve(request.result as { color: string } | undefined);
      request.onerror = () => reject(request.error);
    });
    db.close();
    return profile?.color ?? '';
  });
}

/** `#rrggbb` as the `rgb(r, g, b)` computed styles report. */
function rgb(hex: string): string {
  const n = Number.parseInt(hex.slice(1), 16);
  return `rgb(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255})`;
}

async function openNote(page: Page, title: string): Promise<void> {
  await nav(page, 'Notes').click();
  await page.getByRole('option', { name: title }).click();
  await page.getByLabel('note title').waitFor();
}

/** A note titled `title` with `body`, written on `page`. */
async function writeNote(page: Page, title: string, body: string): Promise<void> {
  await nav(page, 'Notes').click();
  await page.getByRole('button', { name: '+ New note' }).click();
  await page.keyboard.type(title);
  await page.keyboard.press('Enter');
  await page.getByLabel('Note body').click();
  await page.keyboard.type(body);
  await page.getByRole('option', { name: title }).waitFor();
}

const attempts = new Map<string, number>();
/** A name unique to this attempt of a test (a retry gets new records, not the failed attempt's). */
function named(base: string): string {
  const attempt = (attempts.get(base) ?? 0) + 1;
  attempts.set(base, attempt);
  return attempt === 1 ? base : `${base} (attempt ${attempt})`;
}

/** The caret another person has in this page's editor (its label is their name). */
function caretOf(page: Page, name: string) {
  return page.locator('.note-body .collaboration-carets__caret', {
    has: page.locator('.collaboration-carets__label', { hasText: new RegExp(`^${name}$`) }),
  });
}

/** A computed style of what `locator` finds now ('' if it was replaced meanwhile). */
function styleOf(locator: Locator, property: 'borderLeftColor' | 'backgroundColor') {
  return locator.evaluate((el, name) => getComputedStyle(el)[name], property);
}

describe.runIf(ready)('team features between two people over real sync (Chromium)', () => {
  let netns: NetNamespace;
  let ana: Side;
  let ben: Side;
  let anaColor = '';
  let benColor = '';

  beforeAll(async () => {
    await mkdir(SCREENSHOT_DIR, { recursive: true });
    netns = createNetns();
    [ana, ben] = await Promise.all([
      startSide(netns, 47_511),
      // Ben works in the dark theme: both themes get looked at.
      startSide(netns, 47_512, { colorScheme: 'dark' }),
    ]);
    // Each picks a color when onboarding, so their carets and avatars can be told apart.
    await joinTeam(
      ana,
      { name: 'Ana', color: '#059669' },
      ben,
      { name: 'Ben', color: '#db2777' },
      'Harbour team',
    );
    [anaColor, benColor] = await Promise.all([profileColor(ana.page), profileColor(ben.page)]);
    expect([anaColor, benColor]).toEqual(['#059669', '#db2777']);
  });

  afterAll(async () => {
    await Promise.all([closeSide(ana), closeSide(ben)]);
    netns?.destroy();
  });

  it('shows each other’s caret, selection and avatar in a shared note', async () => {
    const route = named('Route plan');
    const vans = named('Van rental quotes');
    // Ana writes a note; Ben opens it when it arrives.
    await writeNote(ana.page, route, 'Leave Lisbon at dawn and reach Porto by noon.');
    await nav(ben.page, 'Notes').click();
    await ben.page.getByRole('option', { name: route }).click({ timeout: 20_000 });
    const benBody = ben.page.getByLabel('Note body');
    await benBody.getByText('reach Porto by noon').waitFor();

    // Ben selects "Porto" (a caret plus a selection); Ana's caret stays at the end of her text.
    await benBody.click();
    await ben.page.keyboard.press('End');
    await ben.page.keyboard.press('Shift+Home');
    await ana.page.getByLabel('Note body').press('End');

    const benCaret = caretOf(ana.page, 'Ben');
    await benCaret.waitFor();
    // Polled: the carets are decorations ProseMirror draws again at each awareness update, and a
    // style read from one just replaced is empty (seen once in the e2e series).
    await expect.poll(() => styleOf(benCaret, 'borderLeftColor')).toBe(rgb(benColor));
    await expect
      .poll(() => styleOf(benCaret.locator('.collaboration-carets__label'), 'backgroundColor'))
      .toBe(rgb(benColor));
    // Ben's selection (the whole line) is highlighted in his color on Ana's side.
    const selection = ana.page.locator('.note-body .ProseMirror-yjs-selection');
    await selection.first().waitFor();
    await expect(selection.allTextContents().then((parts) => parts.join(''))).resolves.toBe(
      'Leave Lisbon at dawn and reach Porto by noon.',
    );
    await expect
      .poll(() => styleOf(selection.first(), 'backgroundColor'))
      .toMatch(new RegExp(`^rgba\\(${rgb(benColor).slice(4, -1)}, 0\\.4`));
    const anaCaret = caretOf(ben.page, 'Ana');
    await anaCaret.waitFor();
    await expect.poll(() => styleOf(anaCaret, 'borderLeftColor')).toBe(rgb(anaColor));
    // Neither sees a caret of their own.
    await expect(caretOf(ana.page, 'Ana').count()).resolves.toBe(0);
    await expect(caretOf(ben.page, 'Ben').count()).resolves.toBe(0);

    // Who else is in this note, on the note itself.
    await ana.page.getByRole('group', { name: 'Also in this note: Ben' }).waitFor();
    await ben.page.getByRole('group', { name: 'Also in this note: Ana' }).waitFor();
    await ana.page.screenshot({ path: path.join(SCREENSHOT_DIR, 'team-note-ana.png') });
    await ben.page.screenshot({ path: path.join(SCREENSHOT_DIR, 'team-note-ben.png') });

    // Ben moves to a note of his own: his caret and avatar leave Ana's note.
    await ben.page.getByRole('button', { name: '+ New note' }).click();
    await ben.page.keyboard.type(vans);
    await ben.page.keyboard.press('Enter');
    await ana.page
      .getByRole('group', { name: /^Also in this note/ })
      .waitFor({ state: 'detached' });
    await benCaret.waitFor({ state: 'detached' });
    // The Sync page tells where he is now.
    await nav(ana.page, 'Sync').click();
    await ana.page.getByText(vans).first().waitFor({ timeout: 20_000 });
  });

  it('takes a vote from each person and shows the tally and the block on both sides', async () => {
    const plan = named('Moving day plan');
    const decision = named('Rent a van for the move');
    // Ana writes the plan, proposes a decision linked to it, and votes agree.
    await writeNote(ana.page, plan, 'Pack on Friday, drive on Saturday.');
    await nav(ana.page, 'Decisions').click();
    await ana.page.getByRole('button', { name: '+ New decision' }).click();
    const title = ana.page.getByLabel('decision title');
    await title.fill(decision);
    await title.press('Enter');
    await ana.page.getByRole('option', { name: decision }).waitFor();
    await ana.page.getByLabel('Link to').selectOption({ label: plan });
    await ana.page.getByRole('button', { name: `Note: ${plan}`, exact: true }).waitFor();
    await ana.page.getByLabel('Status').selectOption('proposed');
    await ana.page.getByRole('radio', { name: 'Agree', exact: true }).click();
    await ana.page.getByRole('button', { name: 'Cast vote' }).click();
    await ana.page
      .getByLabel('Tally')
      .filter({ hasText: /1\s*agree/ })
      .waitFor();

    // Ben, in his own browser, finds it proposed and blocks with a reason.
    await nav(ben.page, 'Decisions').click();
    await ben.page.getByRole('option', { name: decision }).click({ timeout: 20_000 });
    await expect(ben.page.getByLabel('decision title').inputValue()).resolves.toBe(decision);
    await ben.page.getByRole('heading', { name: 'Votes' }).waitFor();
    await ben.page
      .getByLabel('Tally')
      .filter({ hasText: /1\s*agree/ })
      .waitFor();
    await ben.page.getByRole('radio', { name: 'Block', exact: true }).click();
    await ben.page.getByLabel('Reason for your vote').fill('The van has no room for the bikes');
    await ben.page.getByRole('button', { name: 'Cast vote' }).click();

    for (const side of [ana, ben]) {
      const tally = side.page.getByLabel('Tally');
      await tally.filter({ hasText: /1\s*block/ }).waitFor({ timeout: 15_000 });
      const text = await tally.innerText();
      // Whitespace-tolerant: the text must not depend on layout styles having been applied.
      expect(text).toMatch(/1\s*agree/);
      expect(text).toMatch(/0\s*disagree/);
      const block = side.page.getByRole('alert').filter({ hasText: 'Blocked by' });
      await expect(block.innerText()).resolves.toMatch(
        side === ana
          ? /Blocked by Ben\s+The van has no room for the bikes/
          : /Blocked by you\s+The van has no room for the bikes/,
      );
      const votes = side.page.getByRole('list', { name: 'Votes by member' });
      await expect(votes.getByRole('listitem').count()).resolves.toBe(2);
    }
    await ana.page.screenshot({ path: path.join(SCREENSHOT_DIR, 'team-decision-ana.png') });
    await ben.page.screenshot({ path: path.join(SCREENSHOT_DIR, 'team-decision-ben.png') });

    // The note shows the decision that links to it, on Ben's side too.
    await openNote(ben.page, plan);
    const links = ben.page.getByRole('region', { name: 'Goals and decisions linking here' });
    const link = links.getByRole('button', { name: `Decision: ${decision}` });
    await link.waitFor();
    await links.screenshot({ path: path.join(SCREENSHOT_DIR, 'team-note-links-ben.png') });
    await link.click();
    await ben.page.getByLabel('decision title').waitFor();
    await expect(ben.page.getByLabel('decision title').inputValue()).resolves.toBe(decision);
  });

  it('keeps what Ana is typing when Ben changes another field and the same field of the decision', async () => {
    const decision = named('Core hours');
    await nav(ana.page, 'Decisions').click();
    await ana.page.getByRole('button', { name: '+ New decision' }).click();
    await ana.page.getByLabel('decision title').fill(decision);
    await ana.page.getByLabel('decision title').press('Enter');
    await nav(ben.page, 'Decisions').click();
    await ben.page.getByRole('option', { name: decision }).click({ timeout: 20_000 });

    // Ana starts the proposal and stays in the field, thinking.
    const anaProposal = ana.page.getByLabel('Proposal', { exact: true });
    await anaProposal.click();
    await ana.page.keyboard.type('Core hours 10:00-14:00 UTC');

    // Meanwhile Ben writes the same field, then another field of the same decision. His edits
    // reach Ana in the order he made them, so once she has his drivers she has his proposal too.
    await ben.page.getByLabel('Proposal', { exact: true }).fill('No core hours');
    await ben.page.getByLabel('Proposal', { exact: true }).blur();
    await ben.page.getByLabel('Decision drivers').fill('Five time zones');
    await ben.page.getByLabel('Decision drivers').blur();
    await expect
      .poll(() => ana.page.getByLabel('Decision drivers').inputValue(), { timeout: 20_000 })
      .toBe('Five time zones');
    // Ana's text is still in her field, untouched, and she goes on typing.
    await expect(anaProposal.inputValue()).resolves.toBe('Core hours 10:00-14:00 UTC');
    await expect(anaProposal.evaluate((el) => el === document.activeElement)).resolves.toBe(true);
    await ana.page.keyboard.type(' on weekdays');

    // The field she sees is what the document holds, on both sides: her text (the later write of
    // a last-writer-wins field) and Ben's drivers.
    const final = 'Core hours 10:00-14:00 UTC on weekdays';
    await expect
      .poll(() => ben.page.getByLabel('Proposal', { exact: true }).inputValue(), {
        timeout: 20_000,
      })
      .toBe(final);
    await anaProposal.blur();
    await expect(anaProposal.inputValue()).resolves.toBe(final);
    await expect(ana.page.getByLabel('Decision drivers').inputValue()).resolves.toBe(
      'Five time zones',
    );
  });

  it('shows Ana “in focus until HH:MM” in Ben’s team view', async () => {
    await nav(ana.page, 'Focus').click();
    // Outside working hours the status would be "outside working hours": test at any hour.
    const hoursOnly = ana.page.getByLabel(/^Working hours:/);
    if (await hoursOnly.isChecked()) await hoursOnly.uncheck();
    // From a stopped timer (a retry may find the block a failed attempt started).
    const reset = ana.page.getByRole('button', { name: 'Reset' });
    if (await reset.isVisible()) await reset.click();
    await ana.page.getByRole('button', { name: 'Start focus' }).click();
    const own = ana.page
      .getByTestId('team-row-Ana')
      .getByTestId('team-status')
      .filter({ hasText: /^in focus until \d\d:\d\d$/ });
    await own.waitFor();
    const anaSays = await own.textContent();

    await nav(ben.page, 'Focus').click();
    const seen = ben.page.getByTestId('team-row-Ana').getByTestId('team-status');
    await seen.filter({ hasText: /^in focus until/ }).waitFor({ timeout: 15_000 });
    await expect(seen.textContent()).resolves.toBe(anaSays);
    await expect(
      ben.page.getByTestId('team-row-Ben').getByTestId('team-status').textContent(),
    ).resolves.not.toMatch(/in focus/);
    await ben.page.locator('.team-focus').screenshot({
      path: path.join(SCREENSHOT_DIR, 'team-focus-ben.png'),
    });

    expect(ana.errors).toEqual([]);
    expect(ben.errors).toEqual([]);
  });
});
