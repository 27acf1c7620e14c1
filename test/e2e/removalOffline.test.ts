/**
 * A teammate who was offline during a removal moves over when they come back (Chromium, private
 * network namespace, docs/PROTOCOL.md §8.7). Ana, Ben and Cai are in one team. Cai's laptop is
 * lost (its app closed) and Ben works offline; Ana removes Cai's device and moves alone to the new
 * key. When Ben goes online he is on the old key, in the old rooms, where only Ana's courier is:
 * it hands him the removal, his device opens its copy of the new key and moves, Ana counts
 * "2 of 2 devices moved", and the two sync on the new key (a note Ben writes reaches Ana).
 */
import { afterAll, beforeAll, describe, it } from 'vitest';
import { createNetns, type NetNamespace } from '../sync/netns';
import { writeNote } from './harness';
import { closeSide, joinTeam, nav, startSide, twoPeopleReady, type Side } from './twoPeople';
import { indicator, joinThird, peopleCard } from './threePeople';

const ready = twoPeopleReady('removal (offline teammate) e2e');

describe.runIf(ready)('a teammate offline during a removal moves over later (Chromium)', () => {
  let netns: NetNamespace;
  let ana: Side;
  let ben: Side;
  let cai: Side | undefined;

  beforeAll(async () => {
    netns = createNetns();
    let third: Side;
    [ana, ben, third] = await Promise.all([
      startSide(netns, 47_641),
      startSide(netns, 47_642),
      startSide(netns, 47_643),
    ]);
    cai = third;
    await joinTeam(ana, { name: 'Ana' }, ben, { name: 'Ben' }, 'Night shift');
    await joinThird(ana, third, { name: 'Cai' });
    for (const side of [ana, ben, third])
      await indicator(side.page, 'Connected to 2 peers').waitFor({ timeout: 40_000 });
  }, 240_000);

  afterAll(async () => {
    await Promise.all([closeSide(ana), closeSide(ben), closeSide(cai)]);
    netns?.destroy();
  });

  it('hands the removal to Ben when he comes back, and he moves to the new key', async () => {
    for (const side of [ana, ben]) {
      await nav(side.page, 'Sync').click();
      await peopleCard(side.page)
        .locator('li.member-entry', { hasText: 'Cai' })
        .getByRole('list', { name: 'Device keys' })
        .locator('li')
        .first()
        .waitFor({ timeout: 20_000 });
    }
    // Cai's laptop is gone; Ben works offline.
    await closeSide(cai);
    cai = undefined;
    await ben.page.getByRole('button', { name: 'Work offline' }).click();
    await indicator(ben.page, 'Offline (paused)').waitFor();

    const caiEntry = peopleCard(ana.page).locator('li.member-entry', { hasText: 'Cai' });
    await caiEntry.getByRole('button', { name: 'Remove this device (lost)…' }).click();
    await ana.page
      .getByRole('dialog', { name: /^Remove Cai’s device .* \(lost\)\?$/ })
      .getByRole('button', { name: 'Remove this device' })
      .click();
    await peopleCard(ana.page)
      .getByText('Workspace key 1: 1 of 2 devices moved to the new key.')
      .waitFor({ timeout: 30_000 });

    await ben.page.getByRole('button', { name: 'Go online' }).click();
    for (const side of [ana, ben])
      await peopleCard(side.page)
        .getByText('Workspace key 1: 2 of 2 devices moved to the new key.')
        .waitFor({ timeout: 60_000 });
    await peopleCard(ben.page)
      .locator('li.member-entry', { hasText: 'Cai' })
      .getByText(/Removed by Ana, /)
      .waitFor();
    await nav(ben.page, 'Notes').click();
    await writeNote(ben.page, 'Back on the new key');
    await nav(ana.page, 'Notes').click();
    await ana.page
      .getByRole('option', { name: /Back on the new key/ })
      .waitFor({ timeout: 30_000 });
  }, 180_000);
});
