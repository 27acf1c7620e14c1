/**
 * What version history costs in storage (docs/ARCHITECTURE.md "Version history"). A note of
 * about 2 KB, then one of about 20 KB, is edited in 50 sessions (a paragraph rewritten each time);
 * after each session a version is taken. Compared:
 * - Outpost's way: each version a copy of the note encoded on its own (Yjs update v2);
 * - the same content as a JSON tree;
 * - Yjs snapshots: the workspace document with garbage collection off (so deleted text stays)
 *   plus one `Y.snapshot` per version. The baseline is the document as Outpost keeps it (gc on).
 * Sizes are exact (no timing), so one run is enough.
 */
import * as Y from 'yjs';
import { noteBody, notes } from '../shared/model';
import { readBodyTree, writeBodyTree, type BodyNode } from '../shared/model/notesBody';
import { currentVersion, encodeVersion } from '../shared/model/versions';
import type { BenchResult } from './report';

const SESSIONS = 50;
const ctx = { actor: 'bench-member', now: () => 1_700_000_000_000 };

function words(seed: number, count: number): string {
  return Array.from({ length: count }, (_, i) => `word${(seed * 31 + i * 7) % 997}`).join(' ');
}

function paragraph(seed: number, count: number): BodyNode {
  return { type: 'paragraph', content: [{ type: 'text', text: words(seed, count) }] };
}

function measure(paragraphs: number, gc: boolean) {
  const doc = new Y.Doc({ gc });
  const created = notes.create(doc, ctx, { title: 'Field guide' });
  if (!created.ok) throw new Error(created.error.message);
  const id = created.value.id;
  const body = noteBody(doc, id)!;
  doc.transact(() =>
    writeBodyTree(
      body,
      Array.from({ length: paragraphs }, (_, i) => paragraph(i, 20)),
    ),
  );
  let versionBytes = 0;
  let jsonBytes = 0;
  let snapshotBytes = 0;
  for (let session = 0; session < SESSIONS; session++) {
    doc.transact(() => {
      // Rewrite one paragraph: delete it and write a new one in its place.
      const at = session % paragraphs;
      body.delete(at, 1);
      const replacement = new Y.XmlElement('paragraph');
      body.insert(at, [replacement]);
      const text = new Y.XmlText();
      replacement.insert(0, [text]);
      text.insert(0, words(1_000 + session, 20));
    });
    const content = currentVersion(doc, 'note', id)!;
    versionBytes += encodeVersion(content).length;
    jsonBytes += new TextEncoder().encode(JSON.stringify(readBodyTree(body))).length;
    if (!gc) snapshotBytes += Y.encodeSnapshotV2(Y.snapshot(doc)).length;
  }
  return {
    docBytes: Y.encodeStateAsUpdate(doc).length,
    versionBytes,
    jsonBytes,
    snapshotBytes,
  };
}

export function benchHistory(): BenchResult[] {
  const results: BenchResult[] = [];
  for (const [label, paragraphs] of [
    ['2kb', 12],
    ['20kb', 120],
  ] as const) {
    const kept = measure(paragraphs, true);
    const noGc = measure(paragraphs, false);
    const perVersion = kept.versionBytes / SESSIONS;
    results.push(
      {
        id: `history.${label}.version`,
        value: Math.round(perVersion),
        unit: 'B/version',
        baseline: Math.round(kept.jsonBytes / SESSIONS),
        ratio: perVersion / (kept.jsonBytes / SESSIONS),
        note: 'encoded copy (Yjs v2, deflated) vs the same content as JSON',
      },
      {
        id: `history.${label}.50versions`,
        value: kept.versionBytes,
        unit: 'B',
        baseline: kept.docBytes,
        ratio: kept.versionBytes / kept.docBytes,
        note: '50 kept versions vs the note’s document (gc on)',
      },
      {
        id: `history.${label}.snapshots`,
        value: noGc.docBytes + noGc.snapshotBytes,
        unit: 'B',
        baseline: kept.docBytes,
        ratio: (noGc.docBytes + noGc.snapshotBytes) / kept.docBytes,
        note: 'alternative: gc off + 50 Y.snapshots, vs the document with gc on',
      },
    );
  }
  return results;
}
