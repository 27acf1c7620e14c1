/**
 * The notes model writing for a schema-2 workspace (`ctx.bodies: 'separate'`, bodies as documents
 * of their own, docs/PROTOCOL.md §1.4.2): records get no `body`, and every write that makes a body
 * hands it back (links resolved) for the caller to store, instead of dropping it. Schema 1's
 * writes are covered, unchanged, by the notes, vault and Markdown tests.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { notes, NOTE_BODY_KEY } from '../../../shared/model';
import {
  createNotesFromSeeds,
  duplicateNote,
  seedNotes,
  type NoteSeed,
} from '../../../shared/model/notes';
import { planVault, type VaultFile } from '../../../shared/model/obsidianVault';
import { applyVaultImport } from '../../../shared/model/vaultImport';

const FIXTURE = join(import.meta.dirname, '../../fixtures/obsidian-vault');
const embedded = { actor: 'member-aaaa', now: () => 1_000 };
const separate = { ...embedded, bodies: 'separate' as const };

function vaultFiles(dir = FIXTURE): VaultFile[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return vaultFiles(path);
    const bytes = new Uint8Array(readFileSync(path));
    return [{ path: `obsidian-vault/${relative(FIXTURE, path)}`, size: bytes.length, bytes }];
  });
}

const hasBody = (doc: Y.Doc, id: string) => notes.map(doc, id)!.has(NOTE_BODY_KEY);

const seeds: NoteSeed[] = [
  {
    title: 'Alpha',
    body: [
      {
        type: 'paragraph',
        content: [{ type: 'noteLink', attrs: { noteId: '', label: 'Beta' } }],
      },
    ],
  },
  { title: 'Beta', body: [{ type: 'paragraph', content: [{ type: 'text', text: 'B' }] }] },
];

describe('notes written with bodies as documents of their own', () => {
  it('a new note has no body key; an embedded one still has', () => {
    const doc = new Y.Doc();
    const lean = notes.create(doc, separate, { title: 'Lean' });
    const full = notes.create(doc, embedded, { title: 'Full' });
    if (!lean.ok || !full.ok) throw new Error('not created');
    expect(hasBody(doc, lean.value.id)).toBe(false);
    expect(hasBody(doc, full.value.id)).toBe(true);
    expect(notes.get(doc, lean.value.id)).toMatchObject({ ok: true, value: { title: 'Lean' } });
  });

  it('seedNotes hands back each body with links resolved to the new ids', () => {
    const doc = new Y.Doc();
    const result = seedNotes(doc, separate, seeds);
    if (!result.ok) throw new Error(result.error.message);
    const [alpha, beta] = result.value.notes;
    expect(result.value.notes.map((note) => hasBody(doc, note.id))).toEqual([false, false]);
    expect(result.value.bodies.map((body) => body.id)).toEqual([alpha!.id, beta!.id]);
    expect(JSON.stringify(result.value.bodies[0]!.body)).toContain(`"noteId":"${beta!.id}"`);
    expect(result.value.bodies[1]!.body).toEqual(seeds[1]!.body);
  });

  it('seedNotes with embedded bodies writes them and hands none back', () => {
    const doc = new Y.Doc();
    const result = seedNotes(doc, embedded, seeds);
    if (!result.ok) throw new Error(result.error.message);
    expect(result.value.bodies).toEqual([]);
    expect(result.value.notes.map((note) => hasBody(doc, note.id))).toEqual([true, true]);
  });

  it('createNotesFromSeeds refuses rather than create notes whose bodies nobody stores', () => {
    const doc = new Y.Doc();
    expect(createNotesFromSeeds(doc, separate, seeds)).toMatchObject({ ok: false });
    expect(notes.list(doc).items).toEqual([]);
  });

  it('duplicateNote copies the record only', () => {
    const doc = new Y.Doc();
    const original = notes.create(doc, separate, { title: 'Original', tags: ['x'] });
    if (!original.ok) throw new Error('not created');
    const copy = duplicateNote(doc, separate, original.value.id);
    expect(copy).toMatchObject({ ok: true, value: { title: 'Original (copy)', tags: ['x'] } });
    if (copy.ok) expect(hasBody(doc, copy.value.id)).toBe(false);
  });

  it('a vault import hands back new bodies, then bodies that replace those imported before', () => {
    const doc = new Y.Doc();
    const plan = planVault(vaultFiles());
    const first = applyVaultImport(doc, separate, plan, { update: false });
    if (!first.ok) throw new Error(first.error.message);
    const ids = notes.list(doc).items.map((note) => note.id);
    expect(ids.map((id) => hasBody(doc, id))).toEqual([false, false, false]);
    expect(first.value.bodies.map((body) => body.replaces)).toEqual([false, false, false]);
    expect([...first.value.bodies.map((body) => body.id)].sort()).toEqual([...ids].sort());
    expect(first.value.bodies.every((body) => body.body.length > 0)).toBe(true);
    const again = applyVaultImport(doc, separate, plan, { update: true });
    if (!again.ok) throw new Error(again.error.message);
    expect(again.value).toMatchObject({ created: 0, updated: 3 });
    expect(again.value.bodies.map((body) => body.replaces)).toEqual([true, true, true]);
    expect(again.value.bodies.map((body) => body.body)).toEqual(
      first.value.bodies.map((body) => body.body),
    );
  });
});
