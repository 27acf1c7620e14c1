/**
 * A workspace as today's model writes it (schema 1: each note's body inside its record), for the
 * tests and measurements of moving bodies into documents of their own (bodiesMigration.ts): rich
 * bodies with links and tags, written by two devices, edited after, some trashed, some deleted
 * forever, some empty; stored as a workspace's rows by durable storage.
 */
import * as Y from 'yjs';
import type { AtRestKey } from '../../../../shared/protocol/atRest';
import { notes, noteBody } from '../../../../shared/model';
import { writeBodyTree, type BodyNode } from '../../../../shared/model/notesBody';
import { ROOT } from '../../../../shared/model/roots';
import {
  PLAIN_ROWS,
  rowScope,
  sealedRows,
  type RowCodec,
} from '../../../../shared/storage/sealedRows';
import { openDurableStorage } from '../../../../renderer/sync/storage/durableStorage';
import { WORKSPACE_DB_PREFIX } from '../../../../renderer/sync/storage/idb';
import { seededRandom } from '../../../sync/seededRandom';

export const ctx = { actor: 'ana-000001' };

/** How rows of `database` are sealed with `key` (null: plain), as the app seals them. */
export function codecOf(key: AtRestKey | null, database: string): RowCodec {
  return key ? sealedRows(key, rowScope(database)) : PLAIN_ROWS;
}

/** The ids of a workspace document's note records, sorted. */
export function liveIds(doc: Y.Doc): string[] {
  return [...doc.getMap(ROOT.notes).keys()].sort();
}

function text(value: string, marks?: Record<string, unknown>): BodyNode {
  return marks ? { type: 'text', text: value, marks } : { type: 'text', text: value };
}

/** A rich body: a heading, formatted text, a link to another note, a list. */
export function richBody(n: number, linkTo: string | null): BodyNode[] {
  const body: BodyNode[] = [
    { type: 'heading', attrs: { level: 2 }, content: [text(`Note ${n}`)] },
    {
      type: 'paragraph',
      content: [
        text('Plan for '),
        text(`week ${n % 52}`, { bold: {} }),
        text(' in Lisbon, café ☕ '),
        text('docs', { link: { href: 'https://example.org/' + n } }),
      ],
    },
    {
      type: 'bulletList',
      content: [
        { type: 'listItem', content: [{ type: 'paragraph', content: [text(`item ${n}a`)] }] },
        { type: 'listItem', content: [{ type: 'paragraph', content: [text(`item ${n}b`)] }] },
      ],
    },
  ];
  if (linkTo)
    body.push({
      type: 'paragraph',
      content: [text('See '), { type: 'noteLink', attrs: { noteId: linkTo, label: 'earlier' } }],
    });
  return body;
}

/**
 * A schema-1 workspace written by two devices (two clients, interleaved): notes with rich bodies,
 * links and tags, edits after creation, some trashed, some deleted forever, some empty.
 */
export function buildWorkspace(count: number, seed: number): Y.Doc {
  const random = seededRandom(seed);
  const a = new Y.Doc();
  const b = new Y.Doc();
  const ids: string[] = [];
  for (let n = 0; n < count; n++) {
    const doc = n % 2 === 0 ? a : b;
    const tags = n % 3 === 0 ? ['plan', `t${n % 7}`] : [];
    const created = notes.create(doc, ctx, { title: `Note ${n}`, tags });
    if (!created.ok) throw new Error(created.error.message);
    const id = created.value.id;
    const linkTo = ids.length > 0 ? ids[Math.floor(random() * ids.length)]! : null;
    if (n % 10 !== 9) doc.transact(() => writeBodyTree(noteBody(doc, id)!, richBody(n, linkTo)));
    ids.push(id);
    if (n % 50 === 49) {
      Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
      Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
    }
  }
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
  // Edits by the first device of notes the second wrote: typing and a removed block.
  for (let n = 1; n < count; n += 17) {
    const body = noteBody(a, ids[n]!);
    if (!body || body.length < 3) continue;
    a.transact(() => {
      const heading = body.get(0) as Y.XmlElement;
      (heading.get(0) as Y.XmlText).insert(0, 'Edited ');
      body.delete(2, 1);
    });
  }
  for (let n = 5; n < count; n += 23) notes.update(a, ctx, ids[n]!, { addTags: ['later'] });
  for (let n = 3; n < count; n += 29) notes.remove(a, ctx, ids[n]!);
  for (let n = 7; n < count; n += 31) notes.purge(a, ctx, ids[n]!);
  return a;
}

/** Stores `source` as a workspace's rows: one row of its state, then a few changes of their own. */
export async function storeWorkspace(
  id: string,
  key: AtRestKey | null,
  source: Y.Doc,
): Promise<void> {
  const doc = new Y.Doc();
  const durable = openDurableStorage(WORKSPACE_DB_PREFIX + id, doc, {
    codec: codecOf(key, WORKSPACE_DB_PREFIX + id),
  });
  await durable.whenLoaded;
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(source));
  const first = liveIds(doc).find((note) => noteBody(doc, note)!.length > 0)!;
  notes.update(doc, ctx, first, { title: 'Renamed after storing' });
  const heading = noteBody(doc, first)!.get(0) as Y.XmlElement;
  doc.transact(() => (heading.get(0) as Y.XmlText).insert(0, '!'));
  Y.applyUpdate(source, Y.encodeStateAsUpdate(doc, Y.encodeStateVector(source)));
  await durable.flush();
  await durable.destroy();
}
