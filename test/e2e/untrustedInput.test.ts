/**
 * Input nobody on this device typed, end to end in Chromium against web mode: links in imported
 * Markdown and MADR files, a link a peer stored in a note body, and a team workspace joined from an
 * invite whose document carries no shared name yet.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import * as Y from 'yjs';
import { yXmlFragmentToProsemirrorJSON } from '@tiptap/y-tiptap';
import {
  SCREENSHOT_DIR,
  SKIP_REASON,
  addStoredRow,
  chromiumAvailable,
  onboardedApp,
  storedUpdate,
  storedBodyUpdate,
  addStoredBodyRow,
  writeNote,
} from './harness';
import { decisionContext, decisions, noteBody, notes } from '../../shared/model';
import { readBodyTree, writeBodyTree } from '../../shared/model/notesBody';
import { bodyFragment } from '../../shared/model/bodyDocuments';
import { encodeInvite } from '../../shared/protocol/invite';
import { createWorkspaceSecrets } from '../../shared/protocol/keys';

if (!chromiumAvailable()) console.warn(SKIP_REASON);

/** Every `href` stored anywhere in a value (a body tree or ProseMirror JSON). */
function hrefsIn(value: unknown): string[] {
  return [...JSON.stringify(value).matchAll(/"href":"([^"]*)"/g)].map((match) => match[1]!);
}

async function stored(page: Page, workspaceId?: string): Promise<Y.Doc> {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, await storedUpdate(page, workspaceId));
  return doc;
}

/**
 * Note `id`'s stored body: embedded in its record (schema 1) or, where bodies are documents of
 * their own (schema 2), its body document as stored (the document, to write a peer's change to).
 */
async function storedNoteBody(
  page: Page,
  doc: Y.Doc,
  id: string,
): Promise<{ fragment: Y.XmlFragment | undefined; own: Y.Doc | null }> {
  const embedded = noteBody(doc, id);
  if (embedded) return { fragment: embedded, own: null };
  const update = await storedBodyUpdate(page, id);
  if (!update) return { fragment: undefined, own: null };
  const own = new Y.Doc();
  Y.applyUpdate(own, update);
  return { fragment: bodyFragment(own), own };
}

describe.runIf(chromiumAvailable())('Links from outside, in Chromium (web mode)', () => {
  const app = onboardedApp('Ana');

  it('imports a Markdown note keeping only links Outpost opens; the others stay as text', async () => {
    const { page } = app();
    const title = `Links ${Date.now().toString(36)}`;
    await page.getByLabel('Markdown files to import').setInputFiles({
      name: `${title}.md`,
      mimeType: 'text/markdown',
      buffer: Buffer.from(
        '[run me](javascript:alert(document.domain)) · [page](data:text/html,<b>x</b>) · ' +
          '[disk](file:///etc/passwd) · [site](https://example.org/handbook)\n',
      ),
    });
    await page.getByText('Imported 1 note.').waitFor();
    const body = page.getByLabel('Note body');
    await expect(body.textContent()).resolves.toBe('run me · page · disk · site');
    await expect(
      body.locator('a').evaluateAll((links) => links.map((a) => a.outerHTML)),
    ).resolves.toEqual([expect.stringContaining('href="https://example.org/handbook"')]);

    // Not only hidden on screen: the stored note holds no other address.
    const doc = await stored(page);
    const note = notes.list(doc).items.find((item) => item.title === title)!;
    const { fragment } = await storedNoteBody(page, doc, note.id);
    expect(hrefsIn(readBodyTree(fragment!))).toEqual(['https://example.org/handbook']);
  });

  it('imports a MADR file keeping only links Outpost opens, and says so in the report', async () => {
    const { page } = app();
    await page
      .getByRole('navigation', { name: 'Sections' })
      .getByRole('button', { name: /Decisions/ })
      .click();
    const title = `Use signed releases ${Date.now().toString(36)}`;
    await page.getByLabel('MADR files to import').setInputFiles({
      name: '0001-signed.md',
      mimeType: 'text/markdown',
      buffer: Buffer.from(
        `# ${title}\n\n## Context and Problem Statement\n\nSee [the script](javascript:fetch('//x')) ` +
          'and [the policy](https://example.org/policy).\n',
      ),
    });
    const report = page.locator('.import-report');
    await expect(report.innerText()).resolves.toContain('Imported 1 decision');
    await expect(report.innerText()).resolves.toContain(
      'A link to addresses Outpost does not open (only http, https and mailto) is kept as plain text.',
    );
    const doc = await stored(page);
    const decision = decisions.list(doc).items.find((item) => item.title === title)!;
    const context = yXmlFragmentToProsemirrorJSON(decisionContext(doc, decision.id)!);
    expect(JSON.stringify(context)).toContain('the script');
    expect(hrefsIn(context)).toEqual(['https://example.org/policy']);
    await page.getByRole('button', { name: 'Close import report' }).click();
  });

  it('opens a note whose stored body a peer gave a javascript: link read-only, naming the link', async () => {
    const { page } = app();
    await page
      .getByRole('navigation', { name: 'Sections' })
      .getByRole('button', { name: /Notes/ })
      .click();
    const title = `Peer link ${Date.now().toString(36)}`;
    await writeNote(page, title, 'Before the link.');
    let doc = new Y.Doc();
    await expect
      .poll(async () => {
        doc = await stored(page);
        const note = notes.list(doc).items.find((item) => item.title === title);
        return note ? (await storedNoteBody(page, doc, note.id)).fragment?.toString() : undefined;
      })
      .toContain('Before the link.');
    const note = notes.list(doc).items.find((item) => item.title === title)!;
    // A peer's change to the body, stored where this device keeps that body.
    const { fragment, own } = await storedNoteBody(page, doc, note.id);
    const target = own ?? doc;
    const before = Y.encodeStateVector(target);
    target.transact(() =>
      writeBodyTree(fragment!, [
        {
          type: 'paragraph',
          content: [
            { type: 'text', text: 'click me', marks: { link: { href: 'javascript:alert(1)' } } },
          ],
        },
      ]),
    );
    const change = Y.encodeStateAsUpdate(target, before);
    if (own) await addStoredBodyRow(page, note.id, change);
    else await addStoredRow(page, change);
    await page.reload();

    await page.getByRole('option', { name: new RegExp(`^${title}`) }).click();
    const detail = page.getByRole('article', { name: 'note details' });
    await detail
      .getByRole('alert')
      .filter({ hasText: 'a link to “javascript:alert(1)”, which Outpost does not open' })
      .filter({ hasText: 'opens read-only' })
      .waitFor();
    const body = detail.getByLabel('Note body');
    await expect(body.getAttribute('contenteditable')).resolves.toBe('false');
    await expect(body.textContent()).resolves.toContain('click me');
    await expect(body.locator('a[href^="javascript"]').count()).resolves.toBe(0);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'notes-unsafe-link.png') });
  });
});

describe.runIf(chromiumAvailable())('Joining a team workspace, in Chromium (web mode)', () => {
  const app = onboardedApp('Ben');

  it('shows the invite’s name until a teammate’s shared name arrives, and renames nothing', async () => {
    const { page } = app();
    // Nobody else is online: the document stays empty, with no `meta.name` written by anyone.
    const secrets = createWorkspaceSecrets();
    const invite = encodeInvite({ ...secrets, name: 'Café crew' });
    await page.getByRole('button', { name: /^Sync: / }).click();
    await page.getByLabel('Join with an invite code').fill(invite);
    await page.getByRole('button', { name: 'Join workspace' }).click();
    await page.getByRole('button', { name: /Workspace: Café crew/ }).waitFor();
    const field = page.getByLabel('Workspace name (shared with the team)');
    await expect(field.inputValue()).resolves.toBe('Café crew');
    // Leaving the field unchanged writes nothing and shows no error.
    await field.focus();
    await field.blur();
    await expect(page.getByRole('alert').count()).resolves.toBe(0);
    await page.reload();
    await page.getByRole('button', { name: /Workspace: Café crew/ }).waitFor();
    await page.getByRole('button', { name: /^Sync: / }).click();
    await expect(
      page.getByLabel('Workspace name (shared with the team)').inputValue(),
    ).resolves.toBe('Café crew');
    const doc = await stored(page, secrets.workspaceId);
    expect(doc.getMap('meta').get('name')).toBeUndefined();
  });
});
