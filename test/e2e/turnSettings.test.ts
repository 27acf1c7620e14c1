/**
 * A team's TURN server, as a person sets it up in Chromium: Sync → Network / TURN. A wrong address
 * gets a clear refusal and stays in the field; each field is saved as typed (a reload shows it);
 * the password is masked; the invite code changes from version 1 to version 2 and carries the
 * settings; and a teammate joining with that code finds the same TURN settings in their own app.
 * Screenshots: test-results/screenshots/turn-settings-{light,dark}.png, turn-invite-dark.png.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { decodeInvite } from '../../shared/protocol/invite';
import {
  chromiumAvailable,
  onboard,
  SCREENSHOT_DIR,
  SKIP_REASON,
  startApp,
  type RunningApp,
} from './harness';

if (!chromiumAvailable()) console.warn(SKIP_REASON);

const TURN_URL = 'turns:turn.example.org:5349';

async function openSync(page: Page): Promise<void> {
  await page.getByRole('button', { name: /^Sync: / }).click();
}

async function invite(page: Page) {
  // The code is hidden until asked for (it is the workspace key).
  const show = page.getByRole('button', { name: 'Show', exact: true });
  if (await show.isVisible()) await show.click();
  const code = await page.getByLabel('Invite code', { exact: true }).inputValue();
  const decoded = decodeInvite(code);
  if (!decoded.ok) throw new Error(decoded.error.message);
  return { code, invite: decoded.value };
}

/** The Network / TURN card (the device-wide Network card has TURN fields of its own). */
const turnCard = (page: Page) => page.getByRole('region', { name: 'Network / TURN' });
const turnStatus = (page: Page) => turnCard(page).getByRole('status', { name: 'TURN status' });

/** What the card's fields show. */
async function turnFields(page: Page) {
  const card = turnCard(page);
  return {
    urls: await card.getByLabel('TURN server addresses').inputValue(),
    username: await card.getByLabel('Username').inputValue(),
    password: await card.getByLabel('Password', { exact: true }).inputValue(),
    relayOnly: await card
      .getByLabel(/Connect to this team only through the TURN server/)
      .isChecked(),
  };
}
const ENTERED = { urls: TURN_URL, username: 'crew', password: 'correct horse' };

describe.runIf(chromiumAvailable())('TURN settings of a team', () => {
  let ana: RunningApp;
  let ben: RunningApp | undefined;
  let code = '';

  beforeAll(async () => {
    await mkdir(SCREENSHOT_DIR, { recursive: true });
    ana = await startApp();
    await onboard(ana.page, 'Ana');
  });
  afterAll(async () => {
    await ana?.close();
    await ben?.close();
  });

  it('are entered field by field, checked, kept, masked, and put into the invite', async () => {
    const { page } = ana;
    await openSync(page);
    await page.getByLabel('New team workspace').fill('Remote crew');
    await page.getByRole('button', { name: 'Create team workspace' }).click();
    await turnStatus(page)
      .getByText(/No TURN server/)
      .waitFor();
    // No relays, no TURN: a version 1 code, which older builds can join with.
    expect((await invite(page)).invite.version).toBe(1);

    const urls = turnCard(page).getByLabel('TURN server addresses');
    await urls.fill('stun:stun.example.org');
    await page.getByText(/“stun:stun.example.org” is not a TURN address/).waitFor();
    expect(await urls.getAttribute('aria-invalid')).toBe('true');
    // Refused text stays where the person typed it.
    expect(await urls.inputValue()).toBe('stun:stun.example.org');
    await urls.fill(TURN_URL);
    await turnCard(page).getByLabel('Username').fill('crew');
    await turnStatus(page).getByText('Not in use yet: add a password.').waitFor();

    const password = turnCard(page).getByLabel('Password', { exact: true });
    expect(await password.getAttribute('type')).toBe('password');
    await password.fill('correct horse');
    await turnStatus(page)
      .getByText(/In use: .* when a direct route fails/)
      .waitFor();
    await page.getByText(/also carries the team’s relays and TURN server/).waitFor();
    const shown = await invite(page);
    expect(shown.invite).toMatchObject({
      version: 2,
      name: 'Remote crew',
      relays: [],
      turn: { urls: [TURN_URL], username: 'crew', credential: 'correct horse' },
    });
    code = shown.code;

    await turnCard(page).getByRole('button', { name: 'Show password' }).click();
    expect(await password.getAttribute('type')).toBe('text');
    await turnCard(page).getByRole('button', { name: 'Hide password' }).click();
    await turnCard(page)
      .getByLabel(/Connect to this team only through the TURN server/)
      .check();
    await turnStatus(page)
      .getByText(/go only through the TURN server/)
      .waitFor();

    await page.getByRole('heading', { name: 'Network / TURN' }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'turn-settings-light.png') });

    // Saved as typed: a reload shows every field as it was left.
    await page.reload();
    await openSync(page);
    expect(await turnFields(page)).toEqual({ ...ENTERED, relayOnly: true });
    // The invite carries the team's settings, never this device's relay-only choice.
    expect((await invite(page)).code).toBe(code);

    await page.keyboard.press('Control+6');
    await page.getByRole('radio', { name: 'Dark' }).click();
    await page.waitForFunction(() => document.documentElement.dataset.theme === 'dark');
    await openSync(page);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'turn-invite-dark.png') });
    await turnCard(page).evaluate((card) => card.scrollIntoView());
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'turn-settings-dark.png') });
    expect(ana.errors).toEqual([]);
  });

  it('reach a teammate who joins with the invite code', async () => {
    expect(code).toMatch(/^OUTPOST-/);
    ben = await startApp();
    const { page } = ben;
    await onboard(page, 'Ben');
    await openSync(page);
    await page.getByLabel('Join with an invite code').fill(code);
    await page.getByRole('button', { name: 'Join workspace' }).click();
    await page.getByRole('heading', { name: 'Network / TURN' }).waitFor();
    // Relay-only is each device's own choice: Ben's starts off.
    expect(await turnFields(page)).toEqual({ ...ENTERED, relayOnly: false });
    await turnStatus(page)
      .getByText(/when a direct route fails/)
      .waitFor();
    expect(ben.errors).toEqual([]);
  });
});
