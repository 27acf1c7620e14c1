/** Steps of the relay end-to-end tests, done the way a person does them in the app. */
import { expect } from 'vitest';
import type { Page } from 'playwright-core';

/** Sync → Relays: a wrong address first (refused, kept in the field), then the right one. */
export async function addRelay(page: Page, url: string): Promise<void> {
  await page.getByLabel('Relay address').fill('http://not-a-relay');
  await page.getByRole('button', { name: 'Add relay' }).click();
  await expect(
    page.getByRole('alert').filter({ hasText: 'wss://' }).textContent(),
  ).resolves.toMatch(/starts with wss:\/\/ or ws:\/\//);
  // The bad address stays in the field to be corrected.
  await expect(page.getByLabel('Relay address').inputValue()).resolves.toBe('http://not-a-relay');
  await page.getByLabel('Relay address').fill(url);
  await page.getByRole('button', { name: 'Add relay' }).click();
  await page.getByRole('list', { name: 'Relays' }).getByText(url).waitFor();
}

/** Creates a team workspace from the Sync page (already open). */
export async function createTeam(page: Page, name: string): Promise<void> {
  await page.getByLabel('New team workspace').fill(name);
  await page.getByRole('button', { name: 'Create team workspace' }).click();
  await page.getByRole('button', { name: new RegExp(`Workspace: ${name}`) }).waitFor();
}

/** The team's invite code as the Sync page shows it (masked until "Show"). */
export async function readInvite(page: Page): Promise<string> {
  await page.getByRole('button', { name: 'Show', exact: true }).click();
  const invite = await page.getByLabel('Invite code', { exact: true }).inputValue();
  expect(invite).toMatch(/^OUTPOST-/);
  return invite;
}

/** Joins a team workspace by invite code from the Sync page (already open). */
export async function joinTeam(page: Page, invite: string, name: string): Promise<void> {
  await page.getByLabel('Join with an invite code').fill(invite);
  await page.getByRole('button', { name: 'Join workspace' }).click();
  await page.getByRole('button', { name: new RegExp(`Workspace: ${name}`) }).waitFor();
}

/** One relay's row in Sync → Relays. */
export function relayRow(page: Page, url: string) {
  return page.getByRole('list', { name: 'Relays' }).getByRole('listitem').filter({ hasText: url });
}

/** The sidebar's sync indicator whose label matches `label`. */
export function indicator(page: Page, label: string | RegExp) {
  return page.getByRole('button', {
    name: typeof label === 'string' ? `Sync: ${label}. Open sync` : label,
  });
}
