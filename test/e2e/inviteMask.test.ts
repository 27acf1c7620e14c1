/**
 * The invite code is a key, so Sync → Team shows it masked until "Show" (issue 22): in Chromium
 * (web mode), a new team workspace's code is not on the page until asked for, then is. Screenshots
 * before and after "Show", light and dark: test-results/screenshots/invite-{masked,shown}-*.png.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { mkdir } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { SCREENSHOT_DIR, SKIP_REASON, chromiumAvailable, onboardedApp } from './harness';

if (!chromiumAvailable()) console.warn(SKIP_REASON);

async function shoot(page: Page, name: string): Promise<void> {
  const card = page.getByRole('region', { name: 'Invite teammates' });
  await card.scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `invite-${name}-light.png`) });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `invite-${name}-dark.png`) });
  await page.emulateMedia({ colorScheme: 'light' });
}

describe.runIf(chromiumAvailable())('Masked invite code in Chromium (web mode)', () => {
  const app = onboardedApp('Ana');

  beforeAll(async () => {
    await mkdir(SCREENSHOT_DIR, { recursive: true });
  });

  it('keeps the code off the screen until "Show", then shows it', async () => {
    const { page } = app();
    await page.getByRole('button', { name: /^Sync: / }).click();
    await page.getByLabel('New team workspace').fill('Expedition');
    await page.getByRole('button', { name: 'Create team workspace' }).click();
    const hidden = page.getByLabel('Invite code, hidden');
    await hidden.waitFor();
    await expect(hidden.textContent()).resolves.toMatch(/^•+$/);
    // Masked means absent: no text, field or QR code on the page carries the code.
    await expect(page.locator('body').innerText()).resolves.not.toContain('OUTPOST-');
    await expect(
      page.getByRole('img', { name: 'QR code of the invite code' }).count(),
    ).resolves.toBe(0);
    await shoot(page, 'masked');

    await page.getByRole('button', { name: 'Show', exact: true }).click();
    const code = page.getByLabel('Invite code', { exact: true });
    await expect(code.inputValue()).resolves.toMatch(/^OUTPOST-/);
    await page.getByRole('img', { name: 'QR code of the invite code' }).waitFor();
    await shoot(page, 'shown');
    await page.getByRole('button', { name: 'Hide', exact: true }).click();
    await hidden.waitFor();
  });
});
