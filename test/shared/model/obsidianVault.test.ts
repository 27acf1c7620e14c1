import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { noteBody, notes } from '../../../shared/model';
import { readBodyTree, type BodyNode } from '../../../shared/model/notesBody';
import { planVault, type VaultFile } from '../../../shared/model/obsidianVault';
import { applyVaultImport, previouslyImported } from '../../../shared/model/vaultImport';
import { readAttachment } from '../../../shared/model/attachments';
import { bodyToMarkdown } from '../../../shared/model/bodyToMarkdown';

const FIXTURE = join(import.meta.dirname, '../../fixtures/obsidian-vault');

/** The fixture as a browser gives a picked folder: paths start with the folder's name. */
function vaultFiles(dir = FIXTURE): VaultFile[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return vaultFiles(path);
    const bytes = new Uint8Array(readFileSync(path));
    return [{ path: `obsidian-vault/${relative(FIXTURE, path)}`, size: bytes.length, bytes }];
  });
}

const ctx = { actor: 'member-aaaa', now: () => 1_000 };

function find(nodes: readonly BodyNode[], type: string): BodyNode[] {
  const out: BodyNode[] = [];
  const pending = [...nodes];
  for (let node = pending.shift(); node; node = pending.shift()) {
    if (node.type === type) out.push(node);
    if (node.type !== 'text') pending.push(...(node.content ?? []));
  }
  return out;
}

function textOf(nodes: readonly BodyNode[]): string {
  return find(nodes, 'text')
    .map((node) => (node.type === 'text' ? node.text : ''))
    .join('');
}

describe('planVault: reading an Obsidian vault', () => {
  const plan = planVault(vaultFiles());
  const byTitle = (title: string) => plan.notes.find((note) => note.title === title)!;

  it('imports the notes and leaves out the settings folder', () => {
    expect(plan.notes.map((note) => note.title).sort()).toEqual([
      'Project Plan',
      'Travel checklist',
      'Welcome',
    ]);
    expect(plan.report.some((file) => file.path.startsWith('.obsidian'))).toBe(false);
  });

  it('reads front matter: title, tags as a list or inline, dates', () => {
    const planNote = byTitle('Project Plan');
    expect(planNote.tags).toEqual(['q1', 'work']);
    expect(planNote.updatedAt).toBe(Date.parse('2026-01-02T10:00:00Z'));
    const welcome = byTitle('Welcome');
    expect(welcome.createdAt).toBe(Date.parse('2025-03-01'));
  });

  it("turns inline #tags into the note's tags and keeps them in the text", () => {
    expect(byTitle('Welcome').tags).toEqual(['onboarding', 'planning/2026', 'travel']);
    expect(byTitle('Travel checklist').tags).toEqual(['travel']);
    expect(textOf(byTitle('Travel checklist').body)).toContain('Adapter #travel');
    // A tag inside a Dataview block is code, not a tag.
    expect(byTitle('Project Plan').tags).not.toContain('queried');
  });

  it('keeps a GFM table as a table with a header row', () => {
    const [table] = find(byTitle('Welcome').body, 'table');
    expect(table).toBeDefined();
    const rows = find([table!], 'tableRow');
    expect(rows).toHaveLength(3);
    expect(find([rows[0]!], 'tableHeader')).toHaveLength(3);
    expect(textOf([rows[1]!])).toBe('Lisbon2026-01-10coworking near Cais');
  });

  it("resolves [[links]] to the vault's notes by name, path or alias, keeping aliases as text", () => {
    const links = find(byTitle('Welcome').body, 'noteLink').map((node) =>
      node.type === 'text' ? {} : node.attrs,
    );
    expect(links).toEqual([
      {
        noteId: '',
        label: 'Project Plan',
        alias: 'the plan',
        source: 'obsidian:obsidian-vault/Projects/Project Plan.md',
      },
      {
        noteId: '',
        label: 'Project Plan',
        alias: 'Project Plan › Milestones',
        source: 'obsidian:obsidian-vault/Projects/Project Plan.md',
      },
      {
        noteId: '',
        label: 'Travel checklist',
        source: 'obsidian:obsidian-vault/Travel checklist.md',
      },
      { noteId: '', label: 'Someday' },
      {
        noteId: '',
        label: 'Project Plan',
        alias: 'plan',
        source: 'obsidian:obsidian-vault/Projects/Project Plan.md',
      },
    ]);
    // [[Start here|…]] names the Welcome note by its front-matter alias.
    const back = find(byTitle('Project Plan').body, 'noteLink')[0];
    expect(back?.type === 'noteLink' && back.attrs).toMatchObject({
      label: 'Welcome',
      alias: 'the welcome note',
      source: 'obsidian:obsidian-vault/Welcome.md',
    });
  });

  it('keeps embedded images (![[x]] and ![](path)) once each, by content hash', () => {
    const images = [
      ...find(byTitle('Welcome').body, 'image'),
      ...find(byTitle('Project Plan').body, 'image'),
    ];
    expect(images.map((node) => node.type !== 'text' && node.attrs?.name)).toEqual([
      'diagram.png',
      'team photo.png',
    ]);
    expect(plan.images.map((image) => image.name).sort()).toEqual([
      'diagram.png',
      'team photo.png',
    ]);
    for (const image of plan.images) expect(image.key).toMatch(/^[0-9a-f]{64}$/);
  });

  it('reports, per file, everything that did not come over', () => {
    const report = Object.fromEntries(plan.report.map((file) => [file.path, file.items]));
    expect(report['Board.canvas']).toEqual([expect.stringContaining('Outpost has no canvas')]);
    expect(report['attachments/unused.png']).toEqual([
      expect.stringContaining('no note embeds it'),
    ]);
    expect(report['Projects/Project Plan.md']).toEqual(
      expect.arrayContaining([
        expect.stringContaining('Dataview query is kept as its code'),
        expect.stringContaining('highlights'),
      ]),
    );
    expect(report['Welcome.md']).toEqual(
      expect.arrayContaining([
        expect.stringContaining('opens the note, not the heading'),
        expect.stringContaining('callouts'),
        expect.stringContaining('“cssclasses” not kept'),
        expect.stringContaining('[[Someday]] is not a note of the vault'),
      ]),
    );
    expect(report['Travel checklist.md']).toBeUndefined();
  });

  it('refuses what is not an image, or too large, with the reason, and keeps the embed as text', () => {
    const svg = new TextEncoder().encode('<svg onload="alert(1)"></svg>');
    const big = new Uint8Array(3 * 1024 * 1024);
    big.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const md = new TextEncoder().encode('![[evil.png]] ![[big.png]] ![[gone.png]] ![[doc.pdf]]');
    const small = planVault([
      { path: 'v/a.md', size: md.length, bytes: md },
      { path: 'v/evil.png', size: svg.length, bytes: svg },
      { path: 'v/big.png', size: big.length, bytes: big },
      { path: 'v/doc.pdf', size: 4, bytes: new Uint8Array([37, 80, 68, 70]) },
    ]);
    expect(small.images).toEqual([]);
    expect(textOf(small.notes[0]!.body)).toBe(
      '![[evil.png]] ![[big.png]] ![[gone.png]] ![[doc.pdf]]',
    );
    expect(small.report.find((file) => file.path === 'a.md')?.items).toEqual([
      expect.stringContaining('“evil.png” is not a PNG, JPEG, GIF or WebP image'),
      expect.stringContaining('“big.png” is 3 MB; Outpost keeps images up to 2 MB each'),
      '“gone.png” is embedded but is not in the vault; the embed stays as text',
      '“doc.pdf” is embedded but only images are kept; the embed stays as text',
    ]);
  });

  it('keeps front matter that is not YAML as a code block and says so', () => {
    const md = new TextEncoder().encode('---\ntitle: [unclosed\n---\nBody');
    const bad = planVault([{ path: 'v/x.md', size: md.length, bytes: md }]);
    expect(bad.notes[0]?.title).toBe('x');
    expect(find(bad.notes[0]!.body, 'codeBlock')).toHaveLength(1);
    expect(bad.report[0]?.items).toEqual([expect.stringContaining('not valid YAML')]);
  });
});

describe('applyVaultImport: writing a vault into a workspace', () => {
  it('creates the notes with links to each other, images inside the workspace, and sources', () => {
    const doc = new Y.Doc();
    const plan = planVault(vaultFiles());
    const result = applyVaultImport(doc, ctx, plan, { update: false });
    expect(result.ok && result.value).toMatchObject({ created: 3, updated: 0, images: 2 });
    const list = notes.list(doc).items;
    const id = (title: string) => list.find((note) => note.title === title)!.id;
    const body = readBodyTree(noteBody(doc, id('Welcome'))!);
    const links = find(body, 'noteLink').map((node) => (node.type === 'text' ? {} : node.attrs));
    expect(links[0]).toEqual({
      noteId: id('Project Plan'),
      label: 'Project Plan',
      alias: 'the plan',
    });
    expect(links[3]).toEqual({ noteId: '', label: 'Someday' });
    const image = find(body, 'image')[0];
    const key = image?.type === 'image' ? String(image.attrs?.attachment) : '';
    expect(readAttachment(doc, key)).toMatchObject({ name: 'diagram.png', type: 'image/png' });
    // Export writes the table, the alias and the embed back as Obsidian reads them.
    const markdown = bodyToMarkdown(
      body,
      (noteId) => list.find((note) => note.id === noteId)?.title,
    );
    expect(markdown).toContain(
      '| City | Arrive | Notes |\n| --- | --- | --- |\n| Lisbon | 2026-01-10 |',
    );
    expect(markdown).toContain('[[Project Plan|the plan]]');
    expect(markdown).toContain('[[Project Plan\\|plan]]');
    expect(markdown).toContain('![[diagram.png|diagram]]');
  });

  it('updates the notes of a second import in place instead of duplicating them', () => {
    const doc = new Y.Doc();
    const plan = planVault(vaultFiles());
    applyVaultImport(doc, ctx, plan, { update: false });
    const before = notes
      .list(doc)
      .items.map((note) => note.id)
      .sort();
    expect(previouslyImported(doc, plan)).toHaveLength(3);
    const edited = vaultFiles().map((file) =>
      file.path.endsWith('Travel checklist.md')
        ? { ...file, bytes: new TextEncoder().encode('- [ ] Passport #documents') }
        : file,
    );
    const again = applyVaultImport(doc, ctx, planVault(edited), { update: true });
    expect(again.ok && again.value).toMatchObject({ created: 0, updated: 3, images: 0 });
    const after = notes.list(doc).items;
    expect(after.map((note) => note.id).sort()).toEqual(before);
    const travel = after.find((note) => note.title === 'Travel checklist')!;
    expect(travel.tags).toEqual(['documents']);
    expect(textOf(readBodyTree(noteBody(doc, travel.id)!))).toBe('Passport #documents');
    // Choosing "import as new" instead makes copies.
    applyVaultImport(doc, ctx, planVault(edited), { update: false });
    expect(notes.list(doc).items).toHaveLength(6);
  });

  it('does not offer to update a note that is in the trash', () => {
    const doc = new Y.Doc();
    const plan = planVault(vaultFiles());
    applyVaultImport(doc, ctx, plan, { update: false });
    const welcome = notes.list(doc).items.find((note) => note.title === 'Welcome')!;
    notes.remove(doc, ctx, welcome.id);
    expect(previouslyImported(doc, plan)).toHaveLength(2);
  });

  it("stops at the workspace's image cap, reporting what was left as text", () => {
    const doc = new Y.Doc();
    const png = (fill: number) => {
      const bytes = new Uint8Array(1024 * 1024 * 2 - 10).fill(fill);
      bytes.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
      return bytes;
    };
    const files: VaultFile[] = [];
    let md = '';
    for (let i = 0; i < 17; i++) {
      files.push({ path: `v/p${i}.png`, size: 1, bytes: png(i + 1) });
      md += `![[p${i}.png]] `;
    }
    const note = new TextEncoder().encode(md);
    files.push({ path: 'v/n.md', size: note.length, bytes: note });
    const result = applyVaultImport(doc, ctx, planVault(files), { update: false });
    expect(result.ok && result.value.images).toBe(16);
    expect(result.ok && result.value.report).toEqual([
      { path: 'v/p16.png', items: [expect.stringContaining('would pass 32 MB')] },
    ]);
    const body = readBodyTree(noteBody(doc, notes.list(doc).items[0]!.id)!);
    expect(find(body, 'image')).toHaveLength(16);
    expect(textOf(body)).toContain('![[p16.png]]');
  });
});

describe('attachments read from a peer', () => {
  it('shows only real images within the cap, whatever the entry claims', () => {
    const doc = new Y.Doc();
    const root = doc.getMap<unknown>('attachments');
    const entry = (bytes: unknown, type = 'image/png') => {
      const map = new Y.Map<unknown>();
      map.set('bytes', bytes);
      map.set('type', type);
      map.set('name', 'x.png');
      return map;
    };
    const svg = new TextEncoder().encode('<svg onload="alert(1)"/>');
    const tooBig = new Uint8Array(2 * 1024 * 1024 + 1);
    tooBig.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const key = (n: number) => String(n).repeat(64);
    root.set(key(1), entry(svg));
    root.set(key(2), entry(tooBig));
    root.set(key(3), entry('not bytes'));
    root.set(key(4), 'not a map');
    root.set('../../etc', entry(svg));
    for (const k of [key(1), key(2), key(3), key(4), '../../etc', key(5)])
      expect(readAttachment(doc, k)).toBeNull();
  });
});

describe('planVault on random bytes', () => {
  it('reports or imports every file and never throws', () => {
    // Replay a failure with VAULT_SEED=<seed>.
    const seed = Number(process.env.VAULT_SEED) || Date.now() % 1_000_000;
    let state = seed;
    const random = () => {
      state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
      return state / 2 ** 31;
    };
    const pieces = [
      '---\n',
      'tags: [a, b]\n',
      '[[x|y]]',
      '![[p.png]]',
      '| a |\n| - |\n',
      '#t ',
      '\n',
    ];
    try {
      for (let run = 0; run < 50; run++) {
        const files: VaultFile[] = [];
        for (let i = 0; i < 4; i++) {
          const text = Array.from({ length: 20 }, () =>
            random() < 0.5
              ? pieces[Math.floor(random() * pieces.length)]!
              : String.fromCharCode(Math.floor(random() * 0x3000)),
          ).join('');
          const bytes =
            random() < 0.2
              ? Uint8Array.from({ length: 64 }, () => Math.floor(random() * 256))
              : new TextEncoder().encode(text);
          files.push({
            path: `v/${i}.${random() < 0.7 ? 'md' : 'png'}`,
            size: bytes.length,
            bytes,
          });
        }
        const plan = planVault(files);
        const reported = new Set(plan.report.map((file) => file.path));
        for (const file of files)
          expect(
            plan.notes.some((note) => note.path === file.path) ||
              reported.has(file.path.slice(2)) ||
              plan.images.some((image) => image.path === file.path),
          ).toBe(true);
        const doc = new Y.Doc();
        expect(applyVaultImport(doc, ctx, plan, { update: false }).ok).toBe(true);
      }
    } catch (error) {
      throw new Error(`seed ${seed}: ${String(error)}`, { cause: error });
    }
  });
});
