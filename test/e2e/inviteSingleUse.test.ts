/**
 * A single-use invite code used twice, over real sync (three Chromium peers in a private network
 * namespace, docs/PROTOCOL.md §1.9 and §5.4). Ana makes a code "for one person only"; Ben joins
 * with it. Cai pastes the same code while only Ben is online: Ben's device refuses Cai at the
 * handshake (its Peers card says why) and sends Cai the use that came first, so Cai's app leaves
 * the workspace and tells Cai: "This invite was already used by another device. Ask for a new
 * one." Cai tries again while only Ana is online, and Ana refuses it the same way. Nothing of
 * Cai's reaches the team: Cai's profile, written when the workspace opened on Cai's device, is
 * never in Ana's People card, while a note Ben writes afterwards does arrive.
 * Screenshots: test-results/screenshots/invite-used-{light,dark}.png (Cai's message) and
 * invite-used-refused.png (Ana's Peers card).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { decodeInvite } from '../../shared/protocol/invite';
import { REFUSED_INVITE_USED } from '../../renderer/sync/teamPeerAuth';
import { SCREENSHOT_DIR, writeNote } from './harness';
import { createNetns, type NetNamespace } from '../sync/netns';
import {
  closeSide,
  copyInvite,
  joinWithInvite,
  nav,
  onboardAs,
  startSide,
  twoPeopleReady,
  type Side,
} from './twoPeople';
import { alone, indicator, peopleCard } from './threePeople';

const ready = twoPeopleReady('single-use invite e2e');

describe.runIf(ready)('a single-use invite used by a second device (Chromium, three peers)', () => {
  let netns: NetNamespace;
  let ana: Side;
  let ben: Side;
  let cai: Side;

  beforeAll(async () => {
    await mkdir(SCREENSHOT_DIR, { recursive: true });
    netns = createNetns();
    [ana, ben, cai] = await Promise.all([
      startSide(netns, 47_651),
      startSide(netns, 47_652),
      startSide(netns, 47_653),
    ]);
    await Promise.all([
      onboardAs(ana.page, { name: 'Ana' }),
      onboardAs(ben.page, { name: 'Ben' }),
      onboardAs(cai.page, { name: 'Cai' }),
    ]);
  }, 180_000);

  afterAll(async () => {
    await Promise.all([closeSide(ana), closeSide(ben), closeSide(cai)]);
    netns?.destroy();
  });

  it('lets the first device in; each teammate refuses the second at the handshake and tells it why', async () => {
    await ana.page.getByRole('button', { name: /^Sync: / }).click();
    await ana.page.getByLabel('New team workspace').fill('Lighthouse');
    await ana.page.getByRole('button', { name: 'Create team workspace' }).click();
    await ana.page.getByLabel(/^For one person only/).check();
    const code = await copyInvite(ana);
    expect(decodeInvite(code)).toMatchObject({ ok: true, value: { terms: { singleUse: true } } });

    await joinWithInvite(ben, code);
    for (const side of [ana, ben])
      await indicator(side.page, 'Connected to 1 peer').waitFor({ timeout: 40_000 });

    const told = async () => {
      const message = cai.page
        .getByRole('alert')
        .filter({ hasText: 'This invite was already used by another device.' });
      await message.waitFor({ timeout: 40_000 });
      await expect(message.locator('p').textContent()).resolves.toBe(
        'This invite was already used by another device. Ask for a new one. “Lighthouse” was removed from this device.',
      );
      await expect(
        cai.page.getByRole('button', { name: /Workspace: Lighthouse/ }).count(),
      ).resolves.toBe(0);
      return message;
    };
    const refusedOn = (side: Side) =>
      side.page
        .locator('section', { has: side.page.getByRole('heading', { name: 'Peers', exact: true }) })
        .getByRole('list', { name: 'Refused peers' })
        .getByText(REFUSED_INVITE_USED);

    // First with only Ben online (Ana works offline): Ben, who did not make the code, refuses.
    await ana.page.getByRole('button', { name: 'Work offline' }).click();
    await indicator(ana.page, 'Offline (paused)').waitFor();
    await alone(ben.page).waitFor({ timeout: 30_000 });
    await joinWithInvite(cai, code);
    const first = await told();
    await refusedOn(ben).waitFor({ timeout: 30_000 });
    for (const scheme of ['light', 'dark'] as const) {
      await cai.page.emulateMedia({ colorScheme: scheme });
      await cai.page.screenshot({ path: path.join(SCREENSHOT_DIR, `invite-used-${scheme}.png`) });
    }
    await cai.page.emulateMedia({ colorScheme: 'light' });
    await first.getByRole('button', { name: 'Dismiss' }).click();

    // Then only Ana online: Cai pastes the code again, and Ana refuses it the same way.
    await ben.page.getByRole('button', { name: 'Work offline' }).click();
    await indicator(ben.page, 'Offline (paused)').waitFor();
    await ana.page.getByRole('button', { name: 'Go online' }).click();
    await alone(ana.page).waitFor({ timeout: 30_000 });
    await joinWithInvite(cai, code);
    await told();
    await refusedOn(ana).waitFor({ timeout: 30_000 });
    await refusedOn(ana)
      .locator('xpath=ancestor::section[1]')
      .screenshot({ path: path.join(SCREENSHOT_DIR, 'invite-used-refused.png') });

    // Ben comes back: Ben's note reaches Ana, and nothing of Cai's (its profile, written when the
    // workspace opened on Cai's device) ever did.
    await ben.page.getByRole('button', { name: 'Go online' }).click();
    for (const side of [ana, ben])
      await indicator(side.page, 'Connected to 1 peer').waitFor({ timeout: 40_000 });
    await nav(ben.page, 'Notes').click();
    await writeNote(ben.page, 'Ben after the second use');
    await nav(ana.page, 'Notes').click();
    await ana.page
      .getByRole('option', { name: /Ben after the second use/ })
      .waitFor({ timeout: 30_000 });
    await nav(ana.page, 'Sync').click();
    const members = peopleCard(ana.page).locator('li.member-entry');
    await members.filter({ hasText: 'Ben' }).waitFor();
    await expect(members.filter({ hasText: 'Cai' }).count()).resolves.toBe(0);
    for (const side of [ana, ben, cai]) expect(side.errors).toEqual([]);
  }, 240_000);
});
