/**
 * Workspace files of schema-2 workspaces (version 4, shared/storage/workspaceBundle.ts): a bundle
 * of the root and each body document round-trips plain, sealed and with a passphrase, and a
 * hostile bundle (cut short, a bad or repeated id, a body that does not decode, huge counts) is
 * refused with a message naming what is wrong, even when its checksum is right (a file crafted,
 * not damaged).
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import { noteBody, notes, renameWorkspace } from '../../../shared/model';
import { cutBodies, cutRoot } from '../../../shared/model/bodyDocs';
import { writeBodyTree } from '../../../shared/model/notesBody';
import { deriveAtRestKey, newDataKey, workspaceKeyInfo } from '../../../shared/protocol/atRest';
import {
  decodePassphraseWorkspaceFile,
  encodePassphraseWorkspaceFile,
} from '../../../shared/storage/passphraseFile';
import { fileSealer, sealedRows } from '../../../shared/storage/sealedRows';
import {
  MAX_BODY_UPDATE_BYTES,
  bundleNoteIds,
  encodeBundle,
} from '../../../shared/storage/workspaceBundle';
import {
  countRecords,
  decodeWorkspaceFile,
  encodeWorkspaceFile,
  readWorkspaceFileHeader,
  verifyWorkspaceFile,
  type FileSealer,
} from '../../../shared/storage/workspaceFile';
import { damage, seededRandom } from './seeded';

const ctx = { actor: 'member-1', now: () => 1_700_000_000_000 };
const WORKSPACE = 'ws-abcdefgh';

/** A schema-1 workspace of `count` notes with text, and its cut: root and body documents. */
function schema2(count: number): { root: Uint8Array; bodies: Map<string, Uint8Array> } {
  const doc = new Y.Doc();
  renameWorkspace(doc, 'Lisbon team');
  for (let n = 0; n < count; n++) {
    const created = notes.create(doc, ctx, { title: `Note ${n}` });
    if (!created.ok) throw new Error(created.error.message);
    writeBodyTree(noteBody(doc, created.value.id)!, [
      { type: 'paragraph', content: [{ type: 'text', text: `Text of note ${n}` }] },
    ]);
  }
  return { root: cutRoot(doc), bodies: cutBodies(doc) };
}

function rootDoc(root: Uint8Array): Y.Doc {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, root);
  return doc;
}

/** A version-4 file of `bundle` (any bytes), with a right checksum. */
function fileOf(bundle: Uint8Array, root: Uint8Array, sealer?: FileSealer): Uint8Array {
  return encodeWorkspaceFile(
    {
      workspaceId: WORKSPACE,
      workspaceName: 'Lisbon team',
      createdAt: 1_700_000_000_000,
      reason: 'export',
      state: bundle,
      counts: countRecords(rootDoc(root)),
      bundle: true,
    },
    sealer,
  );
}

/** A bundle written by hand: the root, then each [id bytes or string, update]. */
function handBundle(
  root: Uint8Array,
  entries: ReadonlyArray<readonly [string | Uint8Array, Uint8Array]>,
  count = entries.length,
): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint8Array(encoder, root);
  encoding.writeVarUint(encoder, count);
  for (const [id, update] of entries) {
    if (typeof id === 'string') encoding.writeVarString(encoder, id);
    else encoding.writeVarUint8Array(encoder, id);
    encoding.writeVarUint8Array(encoder, update);
  }
  return encoding.toUint8Array(encoder);
}

function bodyText(update: Uint8Array): string {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, update);
  return doc.getXmlFragment('body').toString();
}

describe('workspace file version 4 (root and body documents)', () => {
  it('round-trips a bundle, reading each body once and leaving out empty ones', async () => {
    const { root, bodies } = schema2(6);
    const ids = bundleNoteIds(rootDoc(root));
    expect(ids).toHaveLength(6);
    const asked: string[] = [];
    const empty = ids[2]!;
    const bundle = await encodeBundle(root, ids, (id) => {
      asked.push(id);
      return Promise.resolve(id === empty ? null : bodies.get(id)!);
    });
    expect(asked).toEqual(ids);
    const decoded = decodeWorkspaceFile(fileOf(bundle, root));
    expect(decoded.ok).toBe(true);
    if (!decoded.ok) return;
    expect(decoded.value.header).toMatchObject({
      version: 4,
      encoding: 'outpost-bundle-v1',
      workspaceName: 'Lisbon team',
      counts: { notes: 6 },
    });
    const got = decoded.value.bundle!;
    expect(got.root).toEqual(root);
    expect(got.bodies.map((body) => body.id)).toEqual(ids.filter((id) => id !== empty));
    for (const body of got.bodies)
      expect(bodyText(body.update)).toBe(bodyText(bodies.get(body.id)!));
    expect(bodyText(got.bodies[0]!.update)).toMatch(/Text of note \d/);
  });

  it('seals a bundle with the workspace key (no name, opens only with it) or a passphrase', async () => {
    const { root, bodies } = schema2(3);
    const ids = bundleNoteIds(rootDoc(root));
    const bundle = await encodeBundle(root, ids, (id) => Promise.resolve(bodies.get(id)!));
    const key = await deriveAtRestKey(newDataKey(), workspaceKeyInfo(WORKSPACE));
    const sealer = fileSealer(sealedRows(key, `outpost-ws-${WORKSPACE}/workspace`))!;
    const sealed = fileOf(bundle, root, sealer);
    const header = readWorkspaceFileHeader(sealed);
    expect(header.ok && header.value.header).toMatchObject({
      version: 4,
      encoding: 'sealed-outpost-bundle-v1',
      workspaceName: '',
    });
    expect(new TextDecoder().decode(sealed)).not.toMatch(/Text of note|Lisbon/);
    // The main process checks a backup (length, checksum) without the key, as for version 2.
    expect(verifyWorkspaceFile(sealed).ok).toBe(true);
    const elsewhere = decodeWorkspaceFile(sealed);
    expect(!elsewhere.ok && elsewhere.error.code).toBe('sealed-elsewhere');
    const opened = decodeWorkspaceFile(sealed, () => sealer);
    expect(opened.ok && opened.value.bundle?.bodies.length).toBe(3);

    const locked = await encodePassphraseWorkspaceFile(
      {
        workspaceId: WORKSPACE,
        workspaceName: '',
        createdAt: 1_700_000_000_000,
        reason: 'export',
        state: bundle,
        counts: countRecords(rootDoc(root)),
        bundle: true,
      },
      'tram 28 to the castle',
      { iterations: 100_000 },
    );
    const lockedHeader = readWorkspaceFileHeader(locked);
    expect(lockedHeader.ok && lockedHeader.value.header).toMatchObject({
      version: 4,
      encoding: 'passphrase-sealed-outpost-bundle-v1',
      kdf: 'PBKDF2-SHA-256',
    });
    expect(decodeWorkspaceFile(locked).ok).toBe(false);
    const wrong = await decodePassphraseWorkspaceFile(locked, 'tram 28 to the beach');
    expect(!wrong.ok && wrong.error.code).toBe('wrong-passphrase');
    const right = await decodePassphraseWorkspaceFile(locked, 'tram 28 to the castle');
    expect(right.ok && right.value.bundle?.bodies.map((body) => body.id)).toEqual(ids);
  });

  it('refuses a header whose version and encoding disagree', () => {
    const { root } = schema2(1);
    const file = fileOf(handBundle(root, []), root);
    const newline = file.indexOf(10);
    const text = new TextDecoder().decode(file.subarray(0, newline));
    const edited = new TextEncoder().encode(
      text.replace('"encoding":"outpost-bundle-v1"', '"encoding":"yjs-update-v1"') + '\n',
    );
    const bytes = new Uint8Array([...edited, ...file.subarray(newline + 1)]);
    const result = decodeWorkspaceFile(bytes);
    expect(!result.ok && result.error.code).toBe('bad-header');
    expect(!result.ok && result.error.message).toMatch(/version 4 files are/);
  });

  it('refuses crafted bundles with a message naming what is wrong', () => {
    const { root, bodies } = schema2(3);
    const [a, b] = bundleNoteIds(rootDoc(root)) as [string, string, string];
    const bodyA = bodies.get(a)!;
    const good = handBundle(root, [[a, bodyA]]);
    const counted = (count: number) => {
      const encoder = encoding.createEncoder();
      encoding.writeVarUint8Array(encoder, root);
      encoding.writeVarUint(encoder, count);
      return encoding.toUint8Array(encoder);
    };
    const hugeBody = (() => {
      const encoder = encoding.createEncoder();
      encoding.writeUint8Array(encoder, counted(1));
      encoding.writeVarString(encoder, a);
      encoding.writeVarUint(encoder, MAX_BODY_UPDATE_BYTES + 1);
      encoding.writeUint8Array(encoder, new Uint8Array(64));
      return encoding.toUint8Array(encoder);
    })();
    const cases: Array<[string, Uint8Array, RegExp]> = [
      ['cut inside the root', good.slice(0, 20), /ends inside the workspace root/],
      ['cut inside a body', good.slice(0, good.length - 4), /ends inside the body of note/],
      ['cut before a body', counted(1), /more than it can hold|ends too early/],
      ['root does not decode', handBundle(new Uint8Array([7, 7, 7, 7]), []), /workspace root/],
      ['id not valid', handBundle(root, [['../../etc', bodyA]]), /not named by a valid id/],
      ['id too short', handBundle(root, [['abc', bodyA]]), /not named by a valid id/],
      [
        'id not UTF-8',
        handBundle(root, [[new Uint8Array(10).fill(0xff), bodyA]]),
        /not named by a valid id/,
      ],
      [
        'id far too long',
        handBundle(root, [[new Uint8Array(100_000).fill(0x61), bodyA]]),
        /not named by a valid id/,
      ],
      [
        'duplicate id',
        handBundle(root, [
          [a, bodyA],
          [a, bodyA],
        ]),
        new RegExp(`body of note ${a} is in it twice`),
      ],
      [
        'a note the root does not hold',
        handBundle(root, [['zzzzzzzzzzzz', bodyA]]),
        /note zzzzzzzzzzzz, which it does not hold/,
      ],
      [
        'body does not decode',
        handBundle(root, [[b, new Uint8Array([1, 1, 200, 1, 0, 77, 9, 9, 9])]]),
        new RegExp(`body of note ${b} does not decode`),
      ],
      ['huge count', counted(2 ** 40), /claims \d+ note bodies/],
      ['count past the bytes', counted(50), /claims 50 note bodies/],
      ['a body larger than allowed', hugeBody, /more than 16777216/],
      ['bytes after the last body', new Uint8Array([...good, 0, 0]), /2 bytes follow/],
      [
        'a number past 2^53',
        new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]),
        /damaged/,
      ],
    ];
    for (const [name, bundle, message] of cases) {
      const result = decodeWorkspaceFile(fileOf(bundle, root));
      expect(result.ok, name).toBe(false);
      if (result.ok) continue;
      expect(result.error.code, name).toBe('damaged');
      expect(result.error.message, name).toMatch(message);
      expect(result.error.message, name).toMatch(/nothing was changed/);
    }
    expect(decodeWorkspaceFile(fileOf(good, root)).ok).toBe(true);
  });

  it('rejects 300 seeded damaged version-4 files without throwing or accepting damage', async () => {
    const seed = Number(process.env.OUTPOST_SEED ?? 20261205);
    const random = seededRandom(seed);
    const { root, bodies } = schema2(4);
    const ids = bundleNoteIds(rootDoc(root));
    const good = fileOf(
      await encodeBundle(root, ids, (id) => Promise.resolve(bodies.get(id)!)),
      root,
    );
    for (let i = 0; i < 300; i++) {
      const bytes = damage(random, good);
      let result;
      try {
        result = decodeWorkspaceFile(bytes);
      } catch (error) {
        throw new Error(`case ${i} (seed ${seed}) threw: ${String(error)}`, { cause: error });
      }
      if (result.ok) expect(bytes, `case ${i} seed ${seed}`).toEqual(good);
      else expect(result.error.message.length, `case ${i} seed ${seed}`).toBeGreaterThan(10);
    }
  });
});
