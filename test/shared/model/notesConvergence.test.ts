/**
 * Two replicas edit the same note body at the same time — typing, deleting, bold/italic/link
 * formatting over overlapping ranges, new paragraphs and headings — exchanging updates in random
 * order with drops, duplicates and partitions; after a final sync both hold the identical body.
 * Operations use the layout the editor binding writes (notesBody.ts). Seeds are printed.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { notes, noteBody } from '../../../shared/model';
import {
  digestBody,
  inspectBody,
  readBodyTree,
  writeBodyTree,
} from '../../../shared/model/notesBody';
import { bodyToMarkdown } from '../../../shared/model/notesMarkdown';
import { seededRandom } from '../storage/seeded';
import { randomBodyEdit } from './bodyEdits';

describe('a note body edited on two replicas at once', () => {
  for (const seed of [1, 7, 42, 2024, 31337, Date.now() % 100000]) {
    it(`converges with concurrent typing and formatting (seed ${seed})`, () => {
      const next = seededRandom(seed);
      const a = new Y.Doc();
      const b = new Y.Doc();
      const created = notes.create(a, { actor: 'ana-000001' }, { title: 'Shared' });
      if (!created.ok) throw new Error(created.error.message);
      const id = created.value.id;
      a.transact(() =>
        writeBodyTree(noteBody(a, id)!, [
          { type: 'paragraph', content: [{ type: 'text', text: 'Start of the note. ' }] },
        ]),
      );
      Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
      const inbox: Array<{ to: Y.Doc; update: Uint8Array }> = [];
      a.on(
        'update',
        (update: Uint8Array, origin: unknown) =>
          origin !== 'remote' && inbox.push({ to: b, update }),
      );
      b.on(
        'update',
        (update: Uint8Array, origin: unknown) =>
          origin !== 'remote' && inbox.push({ to: a, update }),
      );
      let partitioned = false;
      try {
        for (let step = 0; step < 300; step++) {
          const doc = next() < 0.5 ? a : b;
          randomBodyEdit(doc, noteBody(doc, id)!, next);
          if (next() < 0.05) partitioned = !partitioned;
          if (!partitioned && inbox.length > 0 && next() < 0.6) {
            const index = Math.floor(next() * inbox.length);
            const [message] = inbox.splice(index, 1);
            const fate = next();
            if (fate < 0.1) continue; // dropped: the final state sync repairs it
            Y.applyUpdate(message!.to, message!.update, 'remote');
            if (fate > 0.9) Y.applyUpdate(message!.to, message!.update, 'remote'); // duplicated
          }
        }
        Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)), 'remote');
        Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)), 'remote');
        const bodyA = noteBody(a, id)!;
        const bodyB = noteBody(b, id)!;
        expect(readBodyTree(bodyB)).toEqual(readBodyTree(bodyA));
        expect(bodyToMarkdown(readBodyTree(bodyB))).toBe(bodyToMarkdown(readBodyTree(bodyA)));
        expect(digestBody(bodyA).text.length).toBeGreaterThan(0);
        expect(inspectBody(bodyA)).toEqual([]);
        // Formatting really was concurrent: some text carries marks on both replicas.
        expect(JSON.stringify(readBodyTree(bodyA))).toMatch(/"marks":\{"(bold|italic|link|code)"/);
      } catch (error) {
        console.error(`notes convergence failed with seed ${seed}`);
        throw error;
      }
    });
  }
});
