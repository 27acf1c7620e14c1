/**
 * Invite codes that expire, as a person uses them (issue 16): the inviter picks "In 1 hour" and
 * "for one person only", and the code shown carries both (version 3, docs/PROTOCOL.md §5.1); pasting a code whose time
 * is up is refused with a message saying so, and nothing is joined.
 * Screenshots: test-results/screenshots/invite-expiry-{light,dark}.png (the inviter's card) and
 * invite-expired-{light,dark}.png (the refusal).
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeInvite, encodeInvite } from '../../shared/protocol/invite';
import { newInviteTerms } from '../../shared/protocol/inviteTerms';
import { createWorkspaceSecrets } from '../../shared/protocol/keys';
import { chromiumAvailable, onboardedApp, SCREENSHOT_DIR, SKIP_REASON } from './harness';

const available = chromiumAvailable();
if (!available) console.warn(SKIP_REASON);

describe.runIf(available)('invite codes that expire (Chromium)', () => {
  const app = onboardedApp('Ana');
  beforeAll(() => mkdir(SCREENSHOT_DIR, { recursive: true }));

  it('hands out a code that expires when asked, and refuses an expired code at join', async () => {
    const { page } = app();
    await page.getByRole('button', { name: /^Sync: / }).click();
    await page.getByLabel('New team workspace').fill('Expiring crew');
    await page.getByRole('button', { name: 'Create team workspace' }).click();
    await page.getByLabel('Code expires').waitFor();
    await page.getByText('This code works until the workspace key changes.').waitFor();

    const picked = Date.now();
    await page.getByLabel('Code expires').selectOption({ label: 'In 1 hour' });
    await page.getByText(/^This code stops working on /).waitFor();
    await page.getByLabel(/^For one person only/).check();
    await page.getByRole('button', { name: 'Show', exact: true }).click();
    const code = await page.getByLabel('Invite code', { exact: true }).inputValue();
    const invite = decodeInvite(code);
    if (!invite.ok) throw new Error(invite.error.message);
    expect(invite.value.version).toBe(3);
    expect(invite.value.terms?.singleUse).toBe(true);
    expect(invite.value.terms?.expiresAt).toBeGreaterThan(picked + 59 * 60_000);
    expect(invite.value.terms?.expiresAt).toBeLessThanOrEqual(Date.now() + 61 * 60_000);
    // Hidden again before the screenshot: the code is the workspace key.
    await page.getByRole('button', { name: 'Hide', exact: true }).click();

    // A teammate's code whose hour is up.
    const late = encodeInvite({
      ...createWorkspaceSecrets(),
      name: 'Too late',
      terms: newInviteTerms('1h', false, Date.now() - 2 * 60 * 60_000),
    });
    await page.getByLabel('Join with an invite code').fill(late);
    await page.getByRole('button', { name: 'Join workspace' }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'expired' });
    await expect(alert.textContent()).resolves.toMatch(
      /^This invite expired on .+\. Ask for a new one\.$/,
    );
    await expect(page.getByRole('button', { name: /Workspace: Too late/ }).count()).resolves.toBe(
      0,
    );
    const inviteCard = page.locator('section[aria-labelledby="invite-heading"]');
    const joinCard = page.locator('section', { has: page.getByLabel('Join with an invite code') });
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await inviteCard.screenshot({
        path: path.join(SCREENSHOT_DIR, `invite-expiry-${scheme}.png`),
      });
      await joinCard.screenshot({
        path: path.join(SCREENSHOT_DIR, `invite-expired-${scheme}.png`),
      });
    }
    expect(app().errors).toEqual([]);
  });
});
