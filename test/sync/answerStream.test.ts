/** Pacing an Outpost peer's answer by what it says it holds (answerStream.ts). */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { AnswerStream } from '../../renderer/sync/peer/answerStream';
import { raise, stateVectorOf } from '../../renderer/sync/peer/stateVectors';

/** Lines of 500 characters, each written before the previous (so each is a struct of its own). */
function written(chars: number): Y.Doc {
  const doc = new Y.Doc();
  const text = doc.getText('t');
  for (let at = 0; at < chars; at += 500) text.insert(0, `${'w'.repeat(499)}\n`);
  return doc;
}

describe('an answer paced by what the peer holds', () => {
  it('sends a window of pieces, then one more only as the peer says it holds them', () => {
    const doc = written(400_000);
    const limits = { pieceBytes: 16 * 1024, windowBytes: 64 * 1024 };
    const stream = new AnswerStream(doc, new Map(), limits);
    const known = new Map<number, number>();
    const first = stream.take(known);
    // Pieces go until the window is full: at most one piece past it.
    const sent = (pieces: ReturnType<AnswerStream['take']>) =>
      pieces.reduce((sum, piece) => sum + piece.update.length, 0);
    expect(sent(first)).toBeGreaterThanOrEqual(limits.windowBytes);
    expect(sent(first)).toBeLessThan(limits.windowBytes + limits.pieceBytes + 1024);
    // Nothing new held by the peer: nothing more goes.
    expect(stream.take(known)).toEqual([]);
    // It holds the first piece: about that much more may go.
    raise(known, first[0]!.reaches);
    const more = stream.take(known);
    expect(more.length).toBeGreaterThanOrEqual(1);
    expect(stream.unconfirmedBytes).toBeLessThan(limits.windowBytes + limits.pieceBytes + 1024);
    // Confirming each batch in turn brings the whole answer, the last piece marked.
    const peer = new Y.Doc();
    for (const piece of [...first, ...more]) Y.applyUpdate(peer, piece.update);
    while (!stream.done) {
      const next = stream.take(stateVectorOf(peer));
      expect(next.length).toBeGreaterThan(0);
      for (const piece of next) Y.applyUpdate(peer, piece.update);
    }
    expect(peer.getText('t').toString()).toBe(doc.getText('t').toString());
    expect(stream.take(stateVectorOf(peer))).toEqual([]);
  });
});
