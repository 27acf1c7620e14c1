/**
 * Random edits of a note body in the layout the editor binding writes (notesBody.ts): new
 * paragraphs and headings, typing, deleting, formatting on and off, removing blocks. Shared by
 * the convergence tests of bodies inside the workspace document and of body documents.
 */
import * as Y from 'yjs';
import { writeBodyTree } from '../../../shared/model/notesBody';

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

export function randomBodyEdit(doc: Y.Doc, fragment: Y.XmlFragment, next: () => number): void {
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
