/**
 * The relay envelope against the test vectors of docs/PROTOCOL.md §5.5 (and the document against
 * them, so neither drifts), cross-checked with Node's own crypto rather than WebCrypto, and the
 * ways an envelope must refuse to open.
 */
import { createCipheriv, createHash, createHmac, hkdfSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  HEADER_BYTES,
  KIND_SNAPSHOT,
  KIND_UPDATE,
  deriveRelayKeys,
  openEnvelope,
  readHeader,
  sealEnvelope,
  streamId,
} from '../../../shared/protocol/relayCrypto';
import {
  HELLO,
  SINCE,
  decodeClientMessage,
  encodeClientMessage,
} from '../../../shared/protocol/relayWire';

const secretKey = Uint8Array.from({ length: 32 }, (_, i) => 0x20 + i);
const sender = Uint8Array.from({ length: 16 }, (_, i) => 0x40 + i);
const nonce = Uint8Array.from({ length: 12 }, (_, i) => 0x50 + i);
const EMPTY_UPDATE = new Uint8Array([0, 0]);

const VECTORS = {
  writeToken: 'ef0dfbbb8a3437e2b9668920fbe0da2e769220cd2a56282fb308f41fe401bbb6',
  room: '7fb3cd6f595fb4a3610ebc9ff668998d8b7ecc96931bc5725bc7d22e94a49ed1',
  encryptKey: '1782fbcbb2af7ac89680daeb183658e15abfa1452ad487cd5bfd35f70ebc98c7',
  streamKey: 'd7a8d304638a7fcd63b7f4a48eec00a39090900a93816d5fa8a6a8ea598bf6ab',
  stream: 'ffac515cdeccab99c7689ada8a86417f',
  update:
    '0100ffac515cdeccab99c7689ada8a86417f404142434445464748494a4b4c4d4e4f0000000000000001' +
    '0000000000000000505152535455565758595a5b8318eecf583364c549bbc23d8bce54fac3dda8183437' +
    '1164f3be2aa7',
  snapshot:
    '0101ffac515cdeccab99c7689ada8a86417f404142434445464748494a4b4c4d4e4f0000000000000002' +
    '0000000000000005505152535455565758595a5b8318eecf583364c549bbc23d4361868a42b632b6e963' +
    '0764b0bdec0d',
  hello:
    '0001207fb3cd6f595fb4a3610ebc9ff668998d8b7ecc96931bc5725bc7d22e94a49ed120ef0dfbbb8a34' +
    '37e2b9668920fbe0da2e769220cd2a56282fb308f41fe401bbb6',
  since: '02ac020110ffac515cdeccab99c7689ada8a86417f',
};

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const hkdf = (label: string) =>
  Buffer.from(hkdfSync('sha256', secretKey, new Uint8Array(0), label, 32));

describe('relay envelope: test vectors', () => {
  it('derives the token, room and stream id as specified (checked with Node crypto)', async () => {
    const keys = await deriveRelayKeys(secretKey);
    expect(hex(keys.writeToken)).toBe(VECTORS.writeToken);
    expect(hex(keys.room)).toBe(VECTORS.room);
    expect(hkdf('outpost/relay/write/v1').toString('hex')).toBe(VECTORS.writeToken);
    expect(createHash('sha256').update(keys.writeToken).digest('hex')).toBe(VECTORS.room);
    expect(hkdf('outpost/relay/encrypt/v1').toString('hex')).toBe(VECTORS.encryptKey);
    expect(hkdf('outpost/relay/stream/v1').toString('hex')).toBe(VECTORS.streamKey);
    const stream = await streamId(keys, 'workspace');
    expect(hex(stream)).toBe(VECTORS.stream);
    expect(
      createHmac('sha256', hkdf('outpost/relay/stream/v1'))
        .update('workspace')
        .digest('hex')
        .slice(0, 32),
    ).toBe(VECTORS.stream);
  });

  it('seals the update and snapshot vectors byte for byte (checked with Node crypto)', async () => {
    const keys = await deriveRelayKeys(secretKey);
    const stream = await streamId(keys, 'workspace');
    const update = await sealEnvelope(
      keys,
      { kind: KIND_UPDATE, stream, sender, counter: 1, covers: 0 },
      'workspace',
      EMPTY_UPDATE,
      nonce,
    );
    expect(hex(update)).toBe(VECTORS.update);
    const snapshot = await sealEnvelope(
      keys,
      { kind: KIND_SNAPSHOT, stream, sender, counter: 2, covers: 5 },
      'workspace',
      EMPTY_UPDATE,
      nonce,
    );
    expect(hex(snapshot)).toBe(VECTORS.snapshot);

    // Independently: AES-256-GCM, AAD = label · room · header, plaintext = varString docId · update.
    const header = update.subarray(0, HEADER_BYTES);
    const cipher = createCipheriv('aes-256-gcm', hkdf('outpost/relay/encrypt/v1'), nonce);
    cipher.setAAD(Buffer.concat([Buffer.from('outpost/relay/v1'), keys.room, header]));
    const plain = Buffer.concat([Buffer.from([9]), Buffer.from('workspace'), EMPTY_UPDATE]);
    const sealed = Buffer.concat([cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
    expect(hex(update.subarray(HEADER_BYTES + 12))).toBe(sealed.toString('hex'));

    expect(readHeader(snapshot)).toEqual({
      kind: KIND_SNAPSHOT,
      stream,
      sender,
      counter: 2,
      covers: 5,
    });
    const opened = await openEnvelope(keys, snapshot);
    expect(opened?.docId).toBe('workspace');
    expect(opened?.update).toEqual(EMPTY_UPDATE);
  });

  it('writes the HELLO and SINCE frames of the vectors', async () => {
    const keys = await deriveRelayKeys(secretKey);
    const hello = encodeClientMessage({
      type: HELLO,
      version: 1,
      room: keys.room,
      token: keys.writeToken,
    });
    expect(hex(hello)).toBe(VECTORS.hello);
    const since = encodeClientMessage({
      type: SINCE,
      after: 300,
      streams: [await streamId(keys, 'workspace')],
    });
    expect(hex(since)).toBe(VECTORS.since);
    expect(decodeClientMessage(since, 10)).toEqual({
      type: SINCE,
      after: 300,
      streams: [await streamId(keys, 'workspace')],
    });
    expect(decodeClientMessage(new Uint8Array([...since, 0]), 10)).toBeUndefined();
  });

  it('docs/PROTOCOL.md states these vectors', () => {
    // Long values are split over lines of code spans: read the text without spaces and backticks.
    const spec = readFileSync('docs/PROTOCOL.md', 'utf8').replace(/[\s`]+/g, '');
    for (const [name, value] of Object.entries(VECTORS))
      expect(spec.includes(value), `${name} in PROTOCOL.md`).toBe(true);
  });
});

describe('relay envelope: what does not open', () => {
  it('refuses another key, a changed byte anywhere, another room or a moved stream', async () => {
    const keys = await deriveRelayKeys(secretKey);
    const other = await deriveRelayKeys(Uint8Array.from({ length: 32 }, (_, i) => 0x60 + i));
    const stream = await streamId(keys, 'workspace');
    const sealed = await sealEnvelope(
      keys,
      { kind: KIND_UPDATE, stream, sender, counter: 3, covers: 0 },
      'workspace',
      new TextEncoder().encode('note text'),
    );
    expect(await openEnvelope(keys, sealed)).toBeDefined();
    expect(await openEnvelope(other, sealed)).toBeUndefined();
    // Same encryption key, another room: the associated data differs.
    expect(await openEnvelope({ ...keys, room: other.room }, sealed)).toBeUndefined();
    for (const index of [1, 2, 20, 40, 49, 55, sealed.length - 1]) {
      const changed = Uint8Array.from(sealed);
      changed[index]! ^= 1;
      expect(await openEnvelope(keys, changed), `byte ${index}`).toBeUndefined();
    }
    // A key holder's envelope of another document, relabelled as this document's stream.
    const elsewhere = await sealEnvelope(
      keys,
      { kind: KIND_UPDATE, stream, sender, counter: 4, covers: 0 },
      'note-123',
      EMPTY_UPDATE,
    );
    expect(await openEnvelope(keys, elsewhere)).toBeUndefined();
    expect(readHeader(sealed.subarray(0, 40))).toBeUndefined();
  });

  it('never reuses a nonce by default', async () => {
    const keys = await deriveRelayKeys(secretKey);
    const stream = await streamId(keys, 'workspace');
    const header = { kind: KIND_UPDATE, stream, sender, counter: 1, covers: 0 } as const;
    const a = await sealEnvelope(keys, header, 'workspace', EMPTY_UPDATE);
    const b = await sealEnvelope(keys, header, 'workspace', EMPTY_UPDATE);
    expect(hex(a.subarray(HEADER_BYTES, HEADER_BYTES + 12))).not.toBe(
      hex(b.subarray(HEADER_BYTES, HEADER_BYTES + 12)),
    );
  });
});
