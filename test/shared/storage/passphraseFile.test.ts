import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { notes, renameWorkspace } from '../../../shared/model';
import {
  countRecords,
  decodeWorkspaceFile,
  encodeWorkspaceFile,
  readWorkspaceFileHeader,
  verifyWorkspaceFile,
  type WorkspaceFileInput,
} from '../../../shared/storage/workspaceFile';
import {
  decodePassphraseWorkspaceFile,
  encodePassphraseWorkspaceFile,
} from '../../../shared/storage/passphraseFile';
import { deriveAtRestKey, newDataKey, workspaceKeyInfo } from '../../../shared/protocol/atRest';
import { fileSealer, sealedRows } from '../../../shared/storage/sealedRows';
import { toHex } from '../../../shared/protocol/bytes';
import { digest } from 'lib0/hash/sha256';
import { toHexString } from 'lib0/buffer';

const NOTE_TEXT = 'Meet at the Alfama café at nine';
const NAME = 'Lisbon crew';
const PASSPHRASE = 'tram 28 to the castle';
// The lowest count a reader accepts keeps these tests fast; exports use 600,000.
const FAST = { iterations: 100_000 };

function input(): WorkspaceFileInput {
  const doc = new Y.Doc();
  renameWorkspace(doc, NAME);
  notes.create(doc, { actor: 'member-1', now: () => 1_700_000_000_000 }, { title: NOTE_TEXT });
  return {
    workspaceId: 'ws-abcdefgh',
    workspaceName: NAME,
    createdAt: 1_700_000_000_000,
    reason: 'export',
    state: Y.encodeStateAsUpdate(doc),
    counts: countRecords(doc),
  };
}

const text = new TextEncoder();
function contains(haystack: Uint8Array, needle: string): boolean {
  return Buffer.from(haystack).includes(Buffer.from(text.encode(needle)));
}

/** A copy of `file` with its header changed by `edit`, the checksum made to match again. */
function withHeader(file: Uint8Array, edit: (header: Record<string, unknown>) => void): Uint8Array {
  const parsed = readWorkspaceFileHeader(file);
  if (!parsed.ok) throw new Error(parsed.error.message);
  const header = structuredClone(parsed.value.header) as unknown as Record<string, unknown>;
  edit(header);
  const payload = file.subarray(parsed.value.payloadOffset);
  const h = header as Record<string, never>;
  const counts = header.counts as Record<string, number>;
  const fields = [
    h.format,
    h.version,
    h.workspaceId,
    h.workspaceName,
    h.createdAt,
    h.reason,
    h.encoding,
    counts.notes,
    counts.goals,
    counts.decisions,
    counts.members,
    h.kdf,
    h.iterations,
    h.salt,
    h.payloadBytes,
  ];
  const covered = Buffer.concat([Buffer.from(JSON.stringify(fields) + '\n'), payload]);
  header.checksum = `sha256:${toHexString(digest(covered))}`;
  return Buffer.concat([Buffer.from(JSON.stringify(header) + '\n'), payload]);
}

describe('workspace file version 3 (passphrase)', () => {
  it('holds neither the note text nor the name, and opens with the passphrase', async () => {
    const source = input();
    const file = await encodePassphraseWorkspaceFile(source, PASSPHRASE, FAST);
    expect(contains(file, NOTE_TEXT)).toBe(false);
    expect(contains(file, NAME)).toBe(false);
    expect(contains(encodeWorkspaceFile(source), NOTE_TEXT)).toBe(true); // the scan can find it

    // The main process checks length and checksum without any key.
    const verified = verifyWorkspaceFile(file);
    expect(verified.ok).toBe(true);
    if (!verified.ok) return;
    expect(verified.value.header).toMatchObject({
      version: 3,
      workspaceName: '',
      encoding: 'passphrase-sealed-yjs-update-v1',
      kdf: 'PBKDF2-SHA-256',
      iterations: 100_000,
      counts: { notes: 1 },
    });
    // Without the passphrase it is refused as such, not as damaged.
    const plainRead = decodeWorkspaceFile(file);
    expect(!plainRead.ok && plainRead.error.code).toBe('needs-passphrase');

    const decoded = await decodePassphraseWorkspaceFile(file, PASSPHRASE);
    expect(decoded.ok).toBe(true);
    if (!decoded.ok) return;
    const copy = new Y.Doc();
    Y.applyUpdate(copy, decoded.value.state);
    expect(notes.list(copy).items.map((n) => n.title)).toEqual([NOTE_TEXT]);
  });

  it('says a wrong passphrase is wrong', async () => {
    const file = await encodePassphraseWorkspaceFile(input(), PASSPHRASE, FAST);
    const decoded = await decodePassphraseWorkspaceFile(file, 'tram 28 to the castlE');
    expect(decoded.ok).toBe(false);
    if (decoded.ok) return;
    expect(decoded.error.code).toBe('wrong-passphrase');
    expect(decoded.error.message).toMatch(/passphrase does not open this file/);
  });

  it('refuses a truncated file and a changed payload before deriving any key', async () => {
    const file = await encodePassphraseWorkspaceFile(input(), PASSPHRASE, FAST);
    const cut = await decodePassphraseWorkspaceFile(file.slice(0, file.length - 7), PASSPHRASE);
    expect(!cut.ok && cut.error.code).toBe('truncated');
    const changed = file.slice();
    changed[changed.length - 20]! ^= 1;
    const damaged = await decodePassphraseWorkspaceFile(changed, PASSPHRASE);
    expect(!damaged.ok && damaged.error.code).toBe('checksum-mismatch');
  });

  it('does not open when a header field was changed, even with a checksum to match', async () => {
    const file = await encodePassphraseWorkspaceFile(input(), PASSPHRASE, FAST);
    expect(
      (
        await decodePassphraseWorkspaceFile(
          withHeader(file, () => {}),
          PASSPHRASE,
        )
      ).ok,
    ).toBe(true); // the edit helper itself keeps a file valid
    for (const edit of [
      (h: Record<string, unknown>) => ((h.counts as { notes: number }).notes = 5),
      (h: Record<string, unknown>) => (h.workspaceId = 'ws-othersss'),
      (h: Record<string, unknown>) => (h.createdAt = 1),
      (h: Record<string, unknown>) => (h.reason = 'manual'),
    ]) {
      const decoded = await decodePassphraseWorkspaceFile(withHeader(file, edit), PASSPHRASE);
      expect(!decoded.ok && decoded.error.code).toBe('wrong-passphrase');
    }
  });

  it('refuses headers that break the version-3 rules', async () => {
    const file = await encodePassphraseWorkspaceFile(input(), PASSPHRASE, FAST);
    for (const edit of [
      (h: Record<string, unknown>) => (h.iterations = 2_000_000_000), // would hang the app
      (h: Record<string, unknown>) => (h.iterations = 1000),
      (h: Record<string, unknown>) => delete h.salt,
      (h: Record<string, unknown>) => (h.workspaceName = NAME),
      (h: Record<string, unknown>) => (h.encoding = 'yjs-update-v1'),
    ]) {
      const read = verifyWorkspaceFile(withHeader(file, edit));
      expect(!read.ok && read.error.code).toBe('bad-header');
    }
  });

  it('still reads versions 1 and 2, and refuses a version 5', async () => {
    const source = input();
    const plain = decodeWorkspaceFile(encodeWorkspaceFile(source));
    expect(plain.ok && plain.value.header.version).toBe(1);
    const key = await deriveAtRestKey(newDataKey(), workspaceKeyInfo(source.workspaceId));
    const sealer = fileSealer(sealedRows(key, 'outpost-ws-ws-abcdefgh/workspace'))!;
    const sealed = decodeWorkspaceFile(encodeWorkspaceFile(source, sealer), () => sealer);
    expect(sealed.ok && sealed.value.header.version).toBe(2);
    const v3 = await encodePassphraseWorkspaceFile(source, PASSPHRASE, FAST);
    const newer = readWorkspaceFileHeader(withHeader(v3, (h) => (h.version = 5)));
    expect(!newer.ok && newer.error.code).toBe('newer-version');
  });
});

/** docs/PROTOCOL.md §6.2's test vector. */
const VECTOR = {
  passphrase: 'correct horse battery staple',
  salt: Uint8Array.from({ length: 16 }, (_, i) => i),
  nonce: Uint8Array.from({ length: 12 }, (_, i) => 0x10 + i),
  // The Yjs update of an empty document.
  state: Uint8Array.of(0, 0),
  header:
    '{"format":"outpost-workspace","version":3,"workspaceId":"000102030405060708090a0b0c0d0e0f","workspaceName":"","createdAt":1700000000000,"reason":"export","encoding":"passphrase-sealed-yjs-update-v1","counts":{"notes":0,"goals":0,"decisions":0,"members":0},"kdf":"PBKDF2-SHA-256","iterations":600000,"salt":"AAECAwQFBgcICQoLDA0ODw","payloadBytes":35,"checksum":"sha256:b68f117a836cc41643c20fed41765b8cd6a1014ae5113e79ccc0e4040297969c"}',
  payload: '4f41520104101112131415161718191a1b0c12a71708c89f0c0c7cb3c362baac553322',
};

describe('version 3 test vector', () => {
  it('gives the bytes docs/PROTOCOL.md states', async () => {
    const file = await encodePassphraseWorkspaceFile(
      {
        workspaceId: '000102030405060708090a0b0c0d0e0f',
        workspaceName: 'Not written',
        createdAt: 1_700_000_000_000,
        reason: 'export',
        state: VECTOR.state,
        counts: { notes: 0, goals: 0, decisions: 0, members: 0 },
      },
      VECTOR.passphrase,
      { iterations: 600_000, salt: VECTOR.salt, nonce: VECTOR.nonce },
    );
    const newline = file.indexOf(0x0a);
    expect(new TextDecoder().decode(file.subarray(0, newline))).toBe(VECTOR.header);
    expect(toHex(file.subarray(newline + 1))).toBe(VECTOR.payload);
    const decoded = await decodePassphraseWorkspaceFile(file, VECTOR.passphrase);
    expect(decoded.ok && decoded.value.state).toEqual(VECTOR.state);
    const spec = readFileSync('docs/PROTOCOL.md', 'utf8').replace(/[\s`]+/g, '');
    expect(spec.includes(VECTOR.header.replace(/\s+/g, ''))).toBe(true);
    expect(spec.includes(VECTOR.payload)).toBe(true);
  });
});
