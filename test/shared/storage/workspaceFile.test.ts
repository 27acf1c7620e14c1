import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { goals, notes, decisions, renameWorkspace } from '../../../shared/model';
import {
  countRecords,
  decodeWorkspaceFile,
  encodeWorkspaceFile,
  readWorkspaceFileHeader,
  verifyWorkspaceFile,
} from '../../../shared/storage/workspaceFile';
import { deriveAtRestKey, newDataKey, workspaceKeyInfo } from '../../../shared/protocol/atRest';
import { fileSealer, rowScope, sealedRows } from '../../../shared/storage/sealedRows';
import { damage, randomBytes, seededRandom } from './seeded';

const ctx = { actor: 'member-1', now: () => 1_700_000_000_000 };

function sampleDoc(): Y.Doc {
  const doc = new Y.Doc();
  renameWorkspace(doc, 'Lisbon team');
  for (let i = 0; i < 5; i++) notes.create(doc, ctx, { title: `Note ${i}`, tags: ['trip'] });
  goals.create(doc, ctx, { title: 'Ship the beta' });
  decisions.create(doc, ctx, { title: 'Adopt async updates' });
  return doc;
}

function fileOf(doc: Y.Doc): Uint8Array {
  return encodeWorkspaceFile({
    workspaceId: 'ws-abcdefgh',
    workspaceName: 'Lisbon team',
    createdAt: 1_700_000_000_000,
    reason: 'export',
    state: Y.encodeStateAsUpdate(doc),
    counts: countRecords(doc),
  });
}

describe('workspace file', () => {
  it('round-trips a workspace with its header', () => {
    const doc = sampleDoc();
    const decoded = decodeWorkspaceFile(fileOf(doc));
    expect(decoded.ok).toBe(true);
    if (!decoded.ok) return;
    expect(decoded.value.header).toMatchObject({
      format: 'outpost-workspace',
      version: 1,
      workspaceName: 'Lisbon team',
      counts: { notes: 5, goals: 1, decisions: 1, members: 0 },
    });
    expect(decoded.value.header.checksum).toMatch(/^sha256:[0-9a-f]{64}$/);
    const copy = new Y.Doc();
    Y.applyUpdate(copy, decoded.value.state);
    expect(
      notes
        .list(copy)
        .items.map((n) => n.title)
        .sort(),
    ).toEqual(
      notes
        .list(doc)
        .items.map((n) => n.title)
        .sort(),
    );
  });

  it('names each kind of bad input clearly', () => {
    const good = fileOf(sampleDoc());
    const text = new TextDecoder().decode(good.subarray(0, good.indexOf(10)));
    const withHeader = (header: string) => {
      const line = new TextEncoder().encode(header + '\n');
      const out = new Uint8Array(line.length + good.length - good.indexOf(10) - 1);
      out.set(line);
      out.set(good.subarray(good.indexOf(10) + 1), line.length);
      return out;
    };
    const cases: Array<[string, Uint8Array, string, RegExp]> = [
      ['empty', new Uint8Array(), 'truncated', /empty/],
      ['png', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 10, 1, 2]), 'not-outpost', /not an Outpost/],
      ['json', new TextEncoder().encode('{"hello":1}\n'), 'not-outpost', /not an Outpost/],
      ['cut in header', good.slice(0, 30), 'truncated', /ends inside its header/],
      ['cut in data', good.slice(0, good.length - 10), 'truncated', /incomplete/],
      ['extra bytes', new Uint8Array([...good, 1, 2, 3]), 'checksum-mismatch', /more bytes/],
      [
        'newer version',
        withHeader(text.replace('"version":1', '"version":7')),
        'newer-version',
        /newer Outpost/,
      ],
      [
        'renamed in header',
        withHeader(text.replace('Lisbon team', 'Lisbon tean')),
        'checksum-mismatch',
        /checksum/,
      ],
    ];
    for (const [name, bytes, code, message] of cases) {
      const result = decodeWorkspaceFile(bytes);
      expect(result.ok, name).toBe(false);
      if (result.ok) continue;
      expect(result.error.code, name).toBe(code);
      expect(result.error.message, name).toMatch(message);
    }
    const tampered = good.slice();
    tampered[tampered.length - 5] = tampered[tampered.length - 5]! ^ 0xff;
    const result = decodeWorkspaceFile(tampered);
    expect(result.ok ? 'ok' : result.error.code).toBe('checksum-mismatch');
  });

  it('reads the header alone for listings', () => {
    const header = readWorkspaceFileHeader(fileOf(sampleDoc()));
    expect(header.ok && header.value.header.counts.notes).toBe(5);
  });

  it('rejects 400 seeded random and damaged files without throwing or accepting damage', () => {
    const seed = Number(process.env.OUTPOST_SEED ?? 20260107);
    const random = seededRandom(seed);
    const good = fileOf(sampleDoc());
    for (let i = 0; i < 400; i++) {
      const bytes =
        i % 4 === 0
          ? randomBytes(random, 600)
          : i % 4 === 1
            ? new Uint8Array([
                ...new TextEncoder().encode('{"format":"outpost-workspace"'),
                ...randomBytes(random, 300),
              ])
            : damage(random, good);
      let result;
      try {
        result = decodeWorkspaceFile(bytes);
      } catch (error) {
        throw new Error(`case ${i} (seed ${seed}) threw: ${String(error)}`, { cause: error });
      }
      if (result.ok) {
        // Only an undamaged file may pass: same bytes as the original.
        expect(bytes, `case ${i} seed ${seed}`).toEqual(good);
      } else {
        expect(result.error.message.length, `case ${i} seed ${seed}`).toBeGreaterThan(10);
      }
    }
  });
});

describe('sealed workspace file (version 2, automatic backups)', () => {
  async function sealerFor(dataKey: Uint8Array) {
    const key = await deriveAtRestKey(dataKey, workspaceKeyInfo('ws-abcdefgh'));
    return fileSealer(sealedRows(key, rowScope('outpost-ws-ws-abcdefgh')))!;
  }
  const input = (doc: Y.Doc) => ({
    workspaceId: 'ws-abcdefgh',
    workspaceName: 'Lisbon team',
    createdAt: 1_700_000_000_000,
    reason: 'change' as const,
    state: Y.encodeStateAsUpdate(doc),
    counts: countRecords(doc),
  });

  it('holds neither the name nor any text, is checked without a key, and opens with it', async () => {
    const doc = sampleDoc();
    const sealer = await sealerFor(newDataKey());
    const file = encodeWorkspaceFile(input(doc), sealer);
    const text = new TextDecoder('latin1').decode(file);
    for (const plain of ['Lisbon team', 'Ship the beta', 'Adopt async updates', 'Note 3'])
      expect(text).not.toContain(plain);
    // What the main process does before it keeps a backup: header, length and checksum.
    const verified = verifyWorkspaceFile(file);
    expect(verified.ok && verified.value.header).toMatchObject({
      version: 2,
      encoding: 'sealed-yjs-update-v1',
      workspaceName: '',
    });
    const decoded = decodeWorkspaceFile(file, () => sealer);
    expect(decoded.ok).toBe(true);
    if (!decoded.ok) return;
    const back = new Y.Doc();
    Y.applyUpdate(back, decoded.value.state);
    expect(countRecords(back)).toEqual(countRecords(doc));
  });

  it('says a backup opens only where it was written, and still reads version 1 files', async () => {
    const doc = sampleDoc();
    const file = encodeWorkspaceFile(input(doc), await sealerFor(newDataKey()));
    const elsewhere = await sealerFor(newDataKey());
    for (const decoded of [decodeWorkspaceFile(file, () => elsewhere), decodeWorkspaceFile(file)])
      expect(decoded.ok ? null : decoded.error).toMatchObject({
        code: 'sealed-elsewhere',
        message: expect.stringMatching(/opens only there/),
      });
    expect(decodeWorkspaceFile(fileOf(doc), () => elsewhere).ok).toBe(true);
  });
});
