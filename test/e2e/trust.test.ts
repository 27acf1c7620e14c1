/**
 * Signed authorship between two people over real sync (Chromium, private network namespace):
 * Ana and Ben join one team; the People card lists each one's device key by fingerprint on both
 * sides. Ana proposes a decision and votes agree, Ben votes disagree. Then Ben's device writes a
 * vote "by Ana" straight into the document (a block, signed with Ben's own device key, read from
 * his device state) — as a hostile teammate's modified client could. On both replicas it is
 * listed as unverified and not counted: the tally stays 1 agree, 1 disagree, 0 block. An unsigned
 * vote by Ben, as a build from before signatures wrote it, is listed as unsigned (quietly), and
 * not counted either.
 *
 * Screenshots (Ana light, Ben dark): test-results/screenshots/trust-*.png.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import * as Y from 'yjs';
import type { Page } from 'playwright-core';
import { SCREENSHOT_DIR, addStoredRow, storedUpdate } from './harness';
import { createNetns, type NetNamespace } from '../sync/netns';
import { closeSide, joinTeam, nav, startSide, twoPeopleReady, type Side } from './twoPeople';
import { castVote, listMembers, ROOT } from '../../shared/model';
import { DeviceIdentity, deviceSigner, fingerprint } from '../../shared/protocol/identity';

const ready = twoPeopleReady('trust e2e');

/** A value of this device's `outpost-device` state (stored plain: the person chose no encryption). */
async function deviceValue(page: Page, key: string): Promise<unknown> {
  return page.evaluate(async (name) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open('outpost-device');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    const value = await new Promise<unknown>((resolve, reject) => {
      const request = db.transaction(['state'], 'readonly').objectStore('state').get(name);
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    db.close();
    return value;
  }, key);
}

async function identityOf(page: Page): Promise<DeviceIdentity> {
  return DeviceIdentity.parse(await deviceValue(page, 'identity'));
}

async function teamId(page: Page): Promise<string> {
  const entries = (await deviceValue(page, 'workspaces')) as { id: string; kind: string }[];
  return entries.find((entry) => entry.kind === 'team')!.id;
}

function peopleCard(page: Page) {
  return page.locator('section', {
    has: page.getByRole('heading', { name: 'People in this workspace' }),
  });
}

describe.runIf(ready)('signed votes between two people (Chromium)', () => {
  let netns: NetNamespace;
  let ana: Side;
  let ben: Side;

  beforeAll(async () => {
    await mkdir(SCREENSHOT_DIR, { recursive: true });
    netns = createNetns();
    [ana, ben] = await Promise.all([
      startSide(netns, 47_611),
      startSide(netns, 47_612, { colorScheme: 'dark' }),
    ]);
    await joinTeam(ana, { name: 'Ana' }, ben, { name: 'Ben' }, 'Signal crew');
  });

  afterAll(async () => {
    await Promise.all([closeSide(ana), closeSide(ben)]);
    netns?.destroy();
  });

  it('lists each person’s device key by fingerprint on both sides', async () => {
    const keys = { ana: await identityOf(ana.page), ben: await identityOf(ben.page) };
    for (const side of [ana, ben]) {
      await nav(side.page, 'Sync').click();
      const card = peopleCard(side.page);
      for (const [name, identity] of Object.entries(keys)) {
        const person = card.locator('li.member-entry', {
          hasText: name === 'ana' ? 'Ana' : 'Ben',
        });
        await person
          .getByRole('list', { name: 'Device keys' })
          .getByText(fingerprint(identity.signing.publicKey))
          .waitFor({ timeout: 20_000 });
      }
    }
    await peopleCard(ana.page).screenshot({
      path: path.join(SCREENSHOT_DIR, 'trust-people-ana.png'),
    });
    await peopleCard(ben.page).screenshot({
      path: path.join(SCREENSHOT_DIR, 'trust-people-ben.png'),
    });
  });

  it('shows a vote forged by another member’s device as unverified, not counted, everywhere', async () => {
    const decision = 'Move the stand-up to async';
    await nav(ana.page, 'Decisions').click();
    await ana.page.getByRole('button', { name: '+ New decision' }).click();
    const title = ana.page.getByLabel('decision title');
    await title.fill(decision);
    await title.press('Enter');
    await ana.page.getByRole('option', { name: decision }).waitFor();
    await ana.page.getByLabel('Status').selectOption('proposed');
    await ana.page.getByRole('radio', { name: 'Agree', exact: true }).click();
    await ana.page.getByRole('button', { name: 'Cast vote' }).click();
    await ana.page
      .getByLabel('Tally')
      .filter({ hasText: /1\s*agree/ })
      .waitFor();

    await nav(ben.page, 'Decisions').click();
    await ben.page.getByRole('option', { name: decision }).click({ timeout: 20_000 });
    await ben.page
      .getByLabel('Tally')
      .filter({ hasText: /1\s*agree/ })
      .waitFor();
    await ben.page.getByRole('radio', { name: 'Disagree', exact: true }).click();
    await ben.page.getByRole('button', { name: 'Cast vote' }).click();
    await ben.page
      .getByLabel('Tally')
      .filter({ hasText: /1\s*disagree/ })
      .waitFor();

    // Ben's device writes a block "by Ana" into its copy of the workspace, signed with its key.
    const workspace = await teamId(ben.page);
    const doc = new Y.Doc();
    Y.applyUpdate(doc, await storedUpdate(ben.page, workspace));
    const anaId = listMembers(doc).items.find((member) => member.name === 'Ana')!.id;
    let decisionId = '';
    doc.getMap<Y.Map<unknown>>(ROOT.decisions).forEach((record, id) => {
      if (record.get('title') === decision) decisionId = id;
    });
    const before = Y.encodeStateVector(doc);
    const forged = castVote(
      doc,
      { actor: anaId, signer: deviceSigner(await identityOf(ben.page)), workspace },
      decisionId,
      { choice: 'block', reason: 'Forged by another device' },
    );
    expect(forged.ok).toBe(true);
    // And an unsigned vote by Ben, as a build from before signatures wrote them.
    const benId = listMembers(doc).items.find((member) => member.name === 'Ben')!.id;
    const unsigned = castVote(doc, { actor: benId, workspace }, decisionId, {
      choice: 'abstain',
      reason: 'Cast before signatures',
    });
    expect(unsigned.ok).toBe(true);
    await addStoredRow(ben.page, Y.encodeStateAsUpdate(doc, before), workspace);
    await ben.page.reload();
    await nav(ben.page, 'Decisions').click({ timeout: 60_000 });
    await ben.page.getByRole('option', { name: decision }).click({ timeout: 30_000 });

    for (const side of [ana, ben]) {
      const notCounted = side.page.getByRole('list', { name: 'Votes not counted' });
      const entry = notCounted
        .getByRole('listitem')
        .filter({ hasText: 'Forged by another device' });
      await entry.waitFor({ timeout: 30_000 });
      await expect(entry.innerText()).resolves.toMatch(/unverified/i);
      await expect(entry.innerText()).resolves.toContain(
        side === ana
          ? 'it is signed by a device that is not one of your devices'
          : 'it is signed by a device that is not one of Ana’s devices',
      );
      const legacy = notCounted.getByRole('listitem').filter({ hasText: 'Cast before signatures' });
      await expect(legacy.innerText()).resolves.toMatch(/unsigned/i);
      await expect(legacy.innerText()).resolves.toContain(
        'Written by an earlier version of Outpost',
      );
      const tally = await side.page.getByLabel('Tally').innerText();
      expect(tally).toMatch(/0\s*abstain/);
      expect(tally).toMatch(/1\s*agree/);
      expect(tally).toMatch(/1\s*disagree/);
      expect(tally).toMatch(/0\s*block/);
      await expect(side.page.locator('.block-callout').count()).resolves.toBe(0);
    }
    await ana.page.screenshot({ path: path.join(SCREENSHOT_DIR, 'trust-forged-vote-ana.png') });
    await ben.page.screenshot({ path: path.join(SCREENSHOT_DIR, 'trust-forged-vote-ben.png') });
  });
});
