/**
 * Encryption at rest in a real Chromium (web mode, where there is no keychain, so the person
 * chooses a passphrase): after Ana writes notes with known text in her personal workspace and in
 * a team workspace (whose secret key she holds) and takes a backup, every byte Outpost wrote —
 * every IndexedDB database and store of the page's origin, its localStorage, and every file in
 * the companion's data folder (backups, settings) — is read back, and none holds the text or the
 * team key in any of its spellings (raw, base64url, base64, hex, base32). That includes the
 * version history's database after a version of the team note is kept: each version is sealed,
 * and none inflates to the note's text. At the next start
 * nothing shows until the passphrase is typed; a wrong one is refused with a message.
 * Screenshots: test-results/screenshots/at-rest-*.png.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import {
  SCREENSHOT_DIR,
  SKIP_REASON,
  chromiumAvailable,
  onboard,
  startApp,
  type RunningApp,
  writeNote,
} from './harness';
import { decodeInvite } from '../../shared/protocol/invite';
import { toBase64Url, toHex } from '../../shared/protocol/bytes';
import { encodeBase32 } from '../../shared/protocol/base32';
import { looksSealed } from '../../shared/protocol/atRest';
import { inflateSync } from 'fflate';

if (!chromiumAvailable()) console.warn(SKIP_REASON);

const PASSPHRASE = 'lost laptop passphrase';
const PERSONAL_TEXT = 'Salary review for Bruno: 4,200';
const TEAM_TEXT = 'Acquisition target is Lumen Labs';
const TEAM_NAME = 'Harbour crew';

/** Everything the page's origin keeps: every IndexedDB store's keys and values, localStorage. */
async function everythingStored(page: Page): Promise<{ name: string; bytes: number[] }[]> {
  return page.evaluate(async () => {
    const out: { name: string; bytes: number[] }[] = [];
    const asBytes = (value: unknown): number[] => {
      if (value instanceof Uint8Array) return [...value];
      if (value instanceof ArrayBuffer) return [...new Uint8Array(value)];
      if (typeof value === 'string') return [...new TextEncoder().encode(value)];
      if (typeof value === 'object' && value !== null)
        return Object.values(value).flatMap((inner) => [
          ...asBytes(inner),
          ...new TextEncoder().encode('|'),
        ]);
      return [...new TextEncoder().encode(String(value))];
    };
    for (const info of await indexedDB.databases()) {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const request = indexedDB.open(info.name!);
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      for (const storeName of [...db.objectStoreNames]) {
        const store = db.transaction(storeName).objectStore(storeName);
        const [keys, values] = await Promise.all(
          [store.getAllKeys(), store.getAll()].map(
            (request) =>
              new Promise<unknown[]>((resolve, reject) => {
                request.onsuccess = () => resolve(request.result as unknown[]);
                request.onerror = () => reject(request.error);
              }),
          ),
        );
        keys!.forEach((key, index) =>
          out.push({
            name: `${info.name}/${storeName}/${String(key)}`,
            bytes: [...asBytes(key), ...asBytes(values![index])],
          }),
        );
      }
      db.close();
    }
    for (let index = 0; index < localStorage.length; index++) {
      const key = localStorage.key(index)!;
      out.push({ name: `localStorage/${key}`, bytes: asBytes(key + localStorage.getItem(key)) });
    }
    return out;
  });
}

/** The stored content (`bytes`) of every version in the page's version databases. */
async function versionContents(page: Page): Promise<{ name: string; bytes: Uint8Array }[]> {
  const rows = await page.evaluate(async () => {
    const out: { name: string; bytes: number[] }[] = [];
    for (const info of await indexedDB.databases()) {
      if (!info.name?.startsWith('outpost-history-')) continue;
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const request = indexedDB.open(info.name!);
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      const values = await new Promise<Array<{ id: number; bytes: Uint8Array }>>(
        (resolve, reject) => {
          const request = db.transaction('versions').objectStore('versions').getAll();
          request.onsuccess = () =>
            resolve(request.result as Array<{ id: number; bytes: Uint8Array }>);
          request.onerror = () => reject(request.error);
        },
      );
      db.close();
      for (const value of values)
        out.push({ name: `${info.name}/versions/${value.id}`, bytes: [...value.bytes] });
    }
    return out;
  });
  return rows.map((row) => ({ name: row.name, bytes: Uint8Array.from(row.bytes) }));
}

/** Every file under `dir`. */
async function everyFile(dir: string): Promise<{ name: string; bytes: Uint8Array }[]> {
  const out: { name: string; bytes: Uint8Array }[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    out.push({ name: path.relative(dir, file), bytes: new Uint8Array(await readFile(file)) });
  }
  return out;
}

function indexOf(haystack: Uint8Array, needle: Uint8Array): number {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

/** Which of `needles` (name → bytes) appear in which stored thing. */
function leaks(
  stored: readonly { name: string; bytes: Uint8Array }[],
  needles: Readonly<Record<string, Uint8Array>>,
): string[] {
  const found: string[] = [];
  for (const item of stored)
    for (const [what, needle] of Object.entries(needles))
      if (indexOf(item.bytes, needle) >= 0) found.push(`${what} in ${item.name}`);
  return found;
}

describe.skipIf(!chromiumAvailable())('encryption at rest in the browser', () => {
  let app: RunningApp | undefined;
  beforeAll(async () => {
    await mkdir(SCREENSHOT_DIR, { recursive: true });
    app = await startApp();
    await app.context.grantPermissions(['clipboard-read', 'clipboard-write'], {
      origin: new URL(app.companion.url).origin,
    });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('leaves no note text and no team key in anything it wrote, and asks for the passphrase at start', async () => {
    const { page, dataDir } = app!;
    await page.getByRole('heading', { name: 'Protect your data on this device' }).waitFor();
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'at-rest-choose-light.png') });
    await onboard(page, 'Ana', PASSPHRASE);
    await writeNote(page, 'Personal', PERSONAL_TEXT);
    await page.getByRole('option', { name: /Personal/ }).waitFor();

    await page.getByRole('button', { name: /^Sync: / }).click();
    await page.getByLabel('New team workspace').fill(TEAM_NAME);
    await page.getByRole('button', { name: 'Create team workspace' }).click();
    await page.getByRole('button', { name: 'Copy invite code' }).click();
    await page.getByRole('button', { name: 'Copied ✓' }).waitFor();
    const invite = decodeInvite(await page.evaluate(() => navigator.clipboard.readText()));
    if (!invite.ok) throw new Error(invite.error.message);
    const teamKey = invite.value.secretKey;

    await page.keyboard.press('Control+1');
    await writeNote(page, 'Team plans', TEAM_TEXT);
    await page.getByRole('option', { name: /Team plans/ }).waitFor();
    await page.getByRole('button', { name: 'Backups' }).click();
    await page.getByRole('button', { name: 'Back up now' }).click();
    await page
      .getByText(/Backup written|already holds exactly this data/)
      .first()
      .waitFor();

    // The next start shows nothing of the workspaces until the passphrase opens them.
    await page.reload();
    await page.getByRole('heading', { name: 'Unlock Outpost' }).waitFor({ timeout: 60_000 });
    await expect(page.getByText(TEAM_TEXT).count()).resolves.toBe(0);
    await page.getByLabel('Passphrase', { exact: true }).fill('not my passphrase');
    await page.getByRole('button', { name: 'Unlock' }).click();
    await page
      .getByText(/That passphrase does not open this device’s data|does not open/)
      .waitFor();
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'at-rest-unlock-light.png') });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'at-rest-unlock-dark.png') });
    await page.emulateMedia({ colorScheme: 'light' });
    await page.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
    await page.getByRole('button', { name: 'Unlock' }).click();
    await page.getByRole('navigation', { name: 'Sections' }).waitFor();

    await page.keyboard.press('Control+1');
    await page.getByRole('option', { name: /Team plans/ }).click();
    // In the editor: the list row shows the same text as its snippet once bodies are read.
    await page.getByRole('article', { name: 'note details' }).getByText(TEAM_TEXT).waitFor();
    // Opening its history keeps a version of the note (its own database, outpost-history-*).
    await page.getByRole('button', { name: 'Version history' }).click();
    await page
      .getByRole('region', { name: 'Version history' })
      .getByRole('listbox', { name: 'Versions' })
      .getByRole('option')
      .first()
      .waitFor();
    await page.getByRole('button', { name: 'Close history' }).click();
    await page.getByRole('button', { name: /^Settings/ }).click();
    await page.getByText('Encrypted with your passphrase').waitFor();
    await page
      .locator('section', { has: page.getByRole('heading', { name: 'Data on this device' }) })
      .screenshot({ path: path.join(SCREENSHOT_DIR, 'at-rest-settings-light.png') });

    const text = new TextEncoder();
    const needles: Record<string, Uint8Array> = {
      'personal note text': text.encode(PERSONAL_TEXT),
      'team note text': text.encode(TEAM_TEXT),
      'team key (raw)': teamKey,
      'team key (base64url)': text.encode(toBase64Url(teamKey)),
      'team key (base64)': text.encode(Buffer.from(teamKey).toString('base64').replace(/=+$/, '')),
      'team key (hex)': text.encode(toHex(teamKey)),
      'team key (base32)': text.encode(encodeBase32(teamKey).slice(0, 40)),
    };
    const versions = await versionContents(page);
    const stored = [
      ...(await everythingStored(page)).map((item) => ({
        name: item.name,
        bytes: Uint8Array.from(item.bytes),
      })),
      ...(await everyFile(dataDir)),
      // A version's content is deflated: what it would hold inflated is searched too.
      ...versions.flatMap((version) => {
        try {
          return [{ name: `${version.name} (inflated)`, bytes: inflateSync(version.bytes) }];
        } catch {
          return [];
        }
      }),
    ];
    // What was read is what was written: workspace rows, device state and a backup file.
    const names = stored.map((item) => item.name);
    expect(names.filter((name) => /^outpost-ws-.*\/updates\//.test(name)).length).toBeGreaterThan(
      1,
    );
    expect(names.some((name) => name.startsWith('outpost-device/state/workspaces'))).toBe(true);
    expect(names.some((name) => /^backups\/.*\.outpost$/.test(name))).toBe(true);
    expect(versions.length).toBeGreaterThan(0);
    for (const version of versions) expect(looksSealed(version.bytes), version.name).toBe(true);
    // The search finds a needle where there is one.
    expect(
      leaks([{ name: 'control', bytes: text.encode(`x${toHex(teamKey)}y`) }], needles),
    ).toEqual(['team key (hex) in control']);
    expect(leaks(stored, needles)).toEqual([]);
  });
});
