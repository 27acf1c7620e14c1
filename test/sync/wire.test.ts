/**
 * The provider's messages (renderer/sync/peer/wire.ts) are the bytes y-webrtc writes with
 * y-protocols' own writers, and read back as they were written: a stock client depends on both.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as encoding from 'lib0/encoding';
import {
  HELLO_VERSION,
  MESSAGE_AWARENESS,
  MESSAGE_HAVE,
  MESSAGE_HELLO,
  MESSAGE_QUERY_AWARENESS,
  MESSAGE_SYNC,
} from '../../shared/protocol/frames';
import {
  awarenessMessage,
  docStep1Message,
  haveMessage,
  helloMessage,
  proofMessage,
  inviteRefusalMessage,
  openMessage,
  step1Message,
  step2Message,
  updateMessage,
} from '../../renderer/sync/peer/wire';

/** A message as y-webrtc builds it: its type, then what y-protocols writes. */
function yWebrtcMessage(type: number, write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, type);
  write(encoder);
  return encoding.toUint8Array(encoder);
}

function docWithText(text: string): Y.Doc {
  const doc = new Y.Doc();
  doc.getText('t').insert(0, text);
  return doc;
}

describe('peer wire messages', () => {
  it('are the bytes y-protocols writes for sync and awareness', () => {
    const doc = docWithText('hello');
    const theirs = docWithText('other');
    const theirVector = Y.encodeStateVector(theirs);
    const update = Y.encodeStateAsUpdate(doc);
    const awareness = new awarenessProtocol.Awareness(doc);
    awareness.setLocalState({ name: 'Ada' });

    expect(docStep1Message(doc)).toEqual(
      yWebrtcMessage(MESSAGE_SYNC, (e) => syncProtocol.writeSyncStep1(e, doc)),
    );
    expect(step1Message(Y.encodeStateVector(doc))).toEqual(docStep1Message(doc));
    expect(step2Message(Y.encodeStateAsUpdate(doc, theirVector))).toEqual(
      yWebrtcMessage(MESSAGE_SYNC, (e) => syncProtocol.writeSyncStep2(e, doc, theirVector)),
    );
    expect(updateMessage(update)).toEqual(
      yWebrtcMessage(MESSAGE_SYNC, (e) => syncProtocol.writeUpdate(e, update)),
    );
    expect(awarenessMessage(awareness, [doc.clientID])).toEqual(
      yWebrtcMessage(MESSAGE_AWARENESS, (e) =>
        encoding.writeVarUint8Array(
          e,
          awarenessProtocol.encodeAwarenessUpdate(awareness, [doc.clientID]),
        ),
      ),
    );
    awareness.destroy();
  });

  it("are Outpost's hello and have as docs/PROTOCOL.md gives them", () => {
    const vector = Y.encodeStateVector(docWithText('x'));
    expect(helloMessage()).toEqual(Uint8Array.of(MESSAGE_HELLO, HELLO_VERSION));
    // Version 2 carries the connection's nonce for the device proof (§5.4).
    const nonce = new Uint8Array(32).fill(7);
    expect(helloMessage(nonce)).toEqual(Uint8Array.of(MESSAGE_HELLO, 2, 32, ...nonce));
    expect(proofMessage('k', 'sig')).toEqual(
      Uint8Array.of(
        103,
        1,
        ...new TextEncoder().encode('k'),
        3,
        ...new TextEncoder().encode('sig'),
      ),
    );
    // A device that joined with a restricted invite adds its use (JSON) after the signature.
    expect(proofMessage('k', 'sig', '{}')).toEqual(
      Uint8Array.of(103, 1, 107, 3, ...new TextEncoder().encode('sig'), 2, 123, 125),
    );
    expect(inviteRefusalMessage('{}')).toEqual(Uint8Array.of(104, 2, 123, 125));
    expect(haveMessage(vector)).toEqual(Uint8Array.of(MESSAGE_HAVE, vector.length, ...vector));
  });

  it('read back as written', () => {
    const doc = docWithText('read me');
    const vector = Y.encodeStateVector(doc);
    const update = Y.encodeStateAsUpdate(doc);
    expect(openMessage(helloMessage()).read()).toEqual({ type: 'hello', nonce: null });
    const nonce = new Uint8Array(32).fill(9);
    expect(openMessage(helloMessage(nonce)).read()).toEqual({ type: 'hello', nonce });
    expect(openMessage(proofMessage('key', 'signature')).read()).toEqual({
      type: 'proof',
      key: 'key',
      signature: 'signature',
      use: null,
    });
    expect(openMessage(proofMessage('key', 'signature', '{"at":1}')).read()).toEqual({
      type: 'proof',
      key: 'key',
      signature: 'signature',
      use: '{"at":1}',
    });
    expect(openMessage(inviteRefusalMessage('{"at":1}')).read()).toEqual({
      type: 'inviteRefusal',
      use: '{"at":1}',
    });
    expect(openMessage(step1Message(vector)).read()).toEqual({
      type: 'sync',
      step: 0,
      payload: vector,
    });
    expect(openMessage(step2Message(update)).read()).toEqual({
      type: 'sync',
      step: 1,
      payload: update,
    });
    expect(openMessage(updateMessage(update)).read()).toEqual({
      type: 'sync',
      step: 2,
      payload: update,
    });
    expect(openMessage(haveMessage(vector)).read()).toEqual({ type: 'have', stateVector: vector });
    expect(openMessage(Uint8Array.of(MESSAGE_QUERY_AWARENESS)).read()).toEqual({
      type: 'queryAwareness',
    });
    expect(openMessage(Uint8Array.of(99)).read()).toEqual({ type: 'other' });
  });

  it('tell a hello from the type alone, and refuse a body that does not decode', () => {
    const truncated = updateMessage(Y.encodeStateAsUpdate(docWithText('cut short'))).slice(0, 4);
    const opened = openMessage(truncated);
    expect(opened.isHello).toBe(false);
    expect(() => opened.read()).toThrow();
    expect(openMessage(helloMessage()).isHello).toBe(true);
    expect(() => openMessage(new Uint8Array(0))).toThrow();
  });
});
