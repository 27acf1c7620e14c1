/**
 * Removing a member and a lost device over real sync (three Chromium peers in a private network
 * namespace, docs/PROTOCOL.md §8.7). Ana, Ben and Cai are in one team. Ana removes Cai: Ana and
 * Ben both move to the new key (the People card counts "2 of 2 devices moved"), Cai's device —
 * still running, old key in hand — says it was removed, meets nobody any more, and what it writes
 * reaches neither Ana nor Ben while what they write after the removal never reaches Cai. Then a
 * lost-device removal the same way: Ana removes Ben's device; Ana moves alone to a third key,
 * Ben's device says it was removed and receives nothing new.
 *
 * "Never reaches" is shown without waiting for time to pass: the removed side writes first, the
 * remaining side writes after and its teammate receives that later change — so anything the
 * removed side wrote and could deliver would have arrived before it. Screenshots (Ana light, Ben
 * dark, Cai light): test-results/screenshots/removal-*.png.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { decodeInvite } from '../../shared/protocol/invite';
import { deriveSignalingPassword } from '../../shared/protocol/keys';
import { deriveRoomName } from '../../shared/protocol/roomEpoch';
import { REFUSED_UNPROVEN } from '../../renderer/sync/teamPeerAuth';
import { SCREENSHOT_DIR, writeNote } from './harness';
import { createNetns, type NetNamespace } from '../sync/netns';
import { rpc, startScript, type PeerProcess } from '../sync/peerProcess';
import {
  closeSide,
  copyInvite,
  joinTeam,
  nav,
  startSide,
  twoPeopleReady,
  type Side,
} from './twoPeople';
import { alone, indicator, joinThird, peopleCard } from './threePeople';

const ready = twoPeopleReady('removal e2e');

async function note(page: Page, title: string) {
  await nav(page, 'Notes').click();
  return page.getByRole('option', { name: new RegExp(title) });
}

describe.runIf(ready)('removing a member and a lost device (Chromium, three peers)', () => {
  let netns: NetNamespace;
  let ana: Side;
  let ben: Side;
  let cai: Side;
  let stock: PeerProcess | undefined;

  beforeAll(async () => {
    await mkdir(SCREENSHOT_DIR, { recursive: true });
    netns = createNetns();
    [ana, ben, cai] = await Promise.all([
      startSide(netns, 47_631),
      startSide(netns, 47_632, { colorScheme: 'dark' }),
      startSide(netns, 47_633),
    ]);
    await joinTeam(ana, { name: 'Ana' }, ben, { name: 'Ben' }, 'Harbour crew');
    await joinThird(ana, cai, { name: 'Cai' });
    for (const side of [ana, ben, cai])
      await indicator(side.page, 'Connected to 2 peers').waitFor({ timeout: 40_000 });
  }, 240_000);

  afterAll(async () => {
    await stock?.call('exit', {}, 3000).catch(() => {});
    await stock?.close();
    await Promise.all([closeSide(ana), closeSide(ben), closeSide(cai)]);
    netns?.destroy();
  });

  it('moves Ana and Ben to a new key and leaves Cai, still running, with nothing new', async () => {
    // Everyone sees every device listed before anyone is removed.
    for (const side of [ana, ben, cai]) {
      await nav(side.page, 'Sync').click();
      for (const name of ['Ana', 'Ben', 'Cai'])
        await peopleCard(side.page)
          .locator('li.member-entry', { hasText: name })
          .getByRole('list', { name: 'Device keys' })
          .locator('li')
          .first()
          .waitFor({ timeout: 20_000 });
    }
    await peopleCard(ana.page).screenshot({
      path: path.join(SCREENSHOT_DIR, 'removal-people-ana.png'),
    });
    const caiEntry = peopleCard(ana.page).locator('li.member-entry', { hasText: 'Cai' });
    await caiEntry.getByRole('button', { name: 'Remove from team…' }).click();
    const dialog = ana.page.getByRole('dialog', { name: 'Remove Cai from the team?' });
    await dialog.getByText('seals it to each of the 2 remaining devices').waitFor();
    await ana.page.screenshot({ path: path.join(SCREENSHOT_DIR, 'removal-dialog-ana.png') });
    await dialog.getByRole('button', { name: 'Remove from team' }).click();

    // Both remaining devices hold the new key and said so; they meet again on it.
    for (const side of [ana, ben])
      await peopleCard(side.page)
        .getByText('Workspace key 1: 2 of 2 devices moved to the new key.')
        .waitFor({ timeout: 30_000 });
    await peopleCard(ben.page)
      .locator('li.member-entry', { hasText: 'Cai' })
      .getByText(/Removed by Ana, /)
      .waitFor();
    for (const side of [ana, ben])
      await indicator(side.page, 'Connected to 1 peer').waitFor({ timeout: 30_000 });
    // Cai's device learned it was removed, and is alone in the old key's room.
    await peopleCard(cai.page).getByText('You were removed from this team').waitFor();
    await alone(cai.page).waitFor({ timeout: 30_000 });
    await peopleCard(ben.page).screenshot({
      path: path.join(SCREENSHOT_DIR, 'removal-people-ben-dark.png'),
    });
    await peopleCard(cai.page).screenshot({
      path: path.join(SCREENSHOT_DIR, 'removal-removed-cai.png'),
    });

    // Cai writes first; then Ana writes and Ben receives Ana's later note.
    await nav(cai.page, 'Notes').click();
    await writeNote(cai.page, 'Cai after removal');
    await nav(ana.page, 'Notes').click();
    await writeNote(ana.page, 'Ana after removal');
    await (await note(ben.page, 'Ana after removal')).waitFor({ timeout: 30_000 });
    await nav(ben.page, 'Notes').click();
    await writeNote(ben.page, 'Ben after removal');
    await (await note(ana.page, 'Ben after removal')).waitFor({ timeout: 30_000 });
    for (const side of [ana, ben])
      expect(await (await note(side.page, 'Cai after removal')).count()).toBe(0);
    expect(await (await note(cai.page, 'Ana after removal')).count()).toBe(0);
    expect(await (await note(cai.page, 'Ben after removal')).count()).toBe(0);
    for (const side of [ana, ben, cai]) expect(side.errors).toEqual([]);
  });

  it('refuses a peer that cannot prove its device, now that the team has removed someone', async () => {
    // A stock y-webrtc client holding the current key (from an invite Ana makes now) proves no
    // device key: it could be Cai's device with a leaked invite, so Ana refuses it and says why.
    await nav(ana.page, 'Sync').click();
    const invite = decodeInvite(await copyInvite(ana));
    if (!invite.ok) throw new Error(invite.error.message);
    stock = rpc(startScript('test/sync/stockPeer.ts', netns));
    await stock.call('join', {
      room: await deriveRoomName(invite.value.secretKey),
      password: await deriveSignalingPassword(invite.value.secretKey),
      signaling: ['ws://127.0.0.1:47631'],
    });
    await stock.call('addNote', { title: 'From an unproven peer' });
    const peersCard = ana.page.locator('section', {
      has: ana.page.getByRole('heading', { name: 'Peers', exact: true }),
    });
    await peersCard
      .getByRole('list', { name: 'Refused peers' })
      .getByText(REFUSED_UNPROVEN)
      .waitFor({ timeout: 30_000 });
    await peersCard.screenshot({ path: path.join(SCREENSHOT_DIR, 'removal-refused-ana.png') });
    await ana.page.emulateMedia({ colorScheme: 'dark' });
    await peersCard.screenshot({
      path: path.join(SCREENSHOT_DIR, 'removal-refused-ana-dark.png'),
    });
    await ana.page.emulateMedia({ colorScheme: 'light' });
    // Ben writes after the refusal and Ana receives it: the stock peer's earlier note did not come.
    await nav(ben.page, 'Notes').click();
    await writeNote(ben.page, 'Ben after the refusal');
    await (await note(ana.page, 'Ben after the refusal')).waitFor({ timeout: 30_000 });
    expect(await (await note(ana.page, 'From an unproven peer')).count()).toBe(0);
    expect(await (await note(ben.page, 'From an unproven peer')).count()).toBe(0);
  });

  it('removes a lost device the same way: Ana moves alone, Ben’s device gets nothing new', async () => {
    await nav(ana.page, 'Sync').click();
    const benEntry = peopleCard(ana.page).locator('li.member-entry', { hasText: 'Ben' });
    await benEntry.getByRole('button', { name: 'Remove this device (lost)…' }).click();
    const dialog = ana.page.getByRole('dialog', { name: /^Remove Ben’s device .* \(lost\)\?$/ });
    await dialog.getByText('seals it to the one remaining device').waitFor();
    // The same dialog in the dark theme (the app follows the system's scheme by default).
    await ana.page.emulateMedia({ colorScheme: 'dark' });
    await ana.page.screenshot({
      path: path.join(SCREENSHOT_DIR, 'removal-lost-dialog-ana-dark.png'),
    });
    await ana.page.emulateMedia({ colorScheme: 'light' });
    await dialog.getByRole('button', { name: 'Remove this device' }).click();
    await peopleCard(ana.page)
      .getByText('Workspace key 2: 1 of 1 device moved to the new key.')
      .waitFor({ timeout: 30_000 });
    await nav(ben.page, 'Sync').click();
    await peopleCard(ben.page)
      .getByText('This device was removed from this team')
      .waitFor({ timeout: 30_000 });
    await alone(ana.page).waitFor({ timeout: 30_000 });
    await alone(ben.page).waitFor({ timeout: 30_000 });
    await peopleCard(ana.page).screenshot({
      path: path.join(SCREENSHOT_DIR, 'removal-lost-ana.png'),
    });
    await peopleCard(ben.page).screenshot({
      path: path.join(SCREENSHOT_DIR, 'removal-lost-ben-dark.png'),
    });
  });
});
