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

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const MARKS = [
  { bold: {} },
  { italic: {} },
  { link: { href: 'https://example.org' } },
  { code: {} },
];
const WORDS = ['plan ', 'ship ', 'café ', 'Lisbon ', 'beta ', '— ', 'ok '];

function texts(fragment: Y.XmlFragment): Y.XmlText[] {
  const out: Y.XmlText[] = [];
  const visit = (parent: Y.XmlFragment | Y.XmlElement) => {
    for (const child of parent.toArray()) {
      if (child instanceof Y.XmlText) out.push(child);
      else if (child instanceof Y.XmlElement) visit(child);
    }
  };
  visit(fragment);
  return out;
}

function randomEdit(doc: Y.Doc, fragment: Y.XmlFragment, next: () => number): void {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
  doc.transact(() => {
    const roll = next();
    const all = texts(fragment);
    if (roll < 0.15 || all.length === 0) {
      const at = Math.floor(next() * (fragment.length + 1));
      const block =
        next() < 0.3
          ? {
              type: 'heading' as const,
              attrs: { level: 2 },
              content: [{ type: 'text' as const, text: pick(WORDS) }],
            }
          : { type: 'paragraph' as const, content: [{ type: 'text' as const, text: pick(WORDS) }] };
      const scratch = new Y.Doc();
      const temp = scratch.getXmlFragment('t');
      writeBodyTree(temp, [block]);
      fragment.insert(Math.min(at, fragment.length), [temp.get(0)!.clone() as Y.XmlElement]);
      return;
    }
    const text = pick(all);
    const length = text.length;
    if (roll < 0.55) {
      text.insert(Math.floor(next() * (length + 1)), pick(WORDS));
    } else if (roll < 0.7 && length > 0) {
      const from = Math.floor(next() * length);
      text.delete(from, Math.min(length - from, 1 + Math.floor(next() * 4)));
    } else if (roll < 0.95 && length > 0) {
      const from = Math.floor(next() * length);
      const span = Math.min(length - from, 1 + Math.floor(next() * 8));
      const mark = pick(MARKS);
      // Toggling off writes null for the mark, as the binding does when formatting is removed.
      const off = next() < 0.25;
      text.format(
        from,
        span,
        off ? Object.fromEntries(Object.keys(mark).map((k) => [k, null])) : mark,
      );
    } else if (fragment.length > 1) {
      fragment.delete(Math.floor(next() * fragment.length), 1);
    }
  }, 'editor');
}

describe('a note body edited on two replicas at once', () => {
  for (const seed of [1, 7, 42, 2024, 31337, Date.now() % 100000]) {
    it(`converges with concurrent typing and formatting (seed ${seed})`, () => {
      const next = rng(seed);
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
          randomEdit(doc, noteBody(doc, id)!, next);
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
