/**
 * A third person for team e2e tests (twoPeople.ts has two): onboards and joins the host's team
 * with an invite code copied from the host's Sync page, as a person does.
 */
import type { Page } from 'playwright-core';
import { copyInvite, joinWithInvite, onboardAs, type Person, type Side } from './twoPeople';

export async function joinThird(host: Side, third: Side, person: Person): Promise<void> {
  await onboardAs(third.page, person);
  await joinWithInvite(third, await copyInvite(host));
}

/** The People card of the Sync page. */
export function peopleCard(page: Page) {
  return page.locator('section', {
    has: page.getByRole('heading', { name: 'People in this workspace' }),
  });
}

/** The sidebar's sync indicator saying `words`. */
export function indicator(page: Page, words: string) {
  return page.getByRole('button', { name: `Sync: ${words}. Open sync` });
}

/** The sync indicator of a device that meets no peer (on a LAN without internet servers). */
export function alone(page: Page) {
  return page.getByRole('button', { name: /^Sync: (LAN only|Online, no peers)\. Open sync$/ });
}
