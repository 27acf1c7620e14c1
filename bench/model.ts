/**
 * The workspace model against bare Yjs doing the same edits: the model adds validation, ids,
 * attribution and origins, and this measures what that costs. Runs are interleaved and the median
 * of several is reported, since the machine is shared and noisy.
 */
import * as Y from 'yjs';
import { notes } from '../shared/model';
import { median, type BenchResult } from './report';

const RECORDS = 2_000;
const RUNS = 7;
const ctx = { actor: 'bench-member', now: () => 1_700_000_000_000 };

function bareWrite(): { ms: number; doc: Y.Doc } {
  const doc = new Y.Doc();
  const root = doc.getMap<Y.Map<unknown>>('notes');
  const started = performance.now();
  const ids: string[] = [];
  for (let i = 0; i < RECORDS; i++) {
    const id = `note-${i.toString(36).padStart(8, '0')}`;
    ids.push(id);
    doc.transact(() => {
      const record = new Y.Map<unknown>();
      root.set(id, record);
      record.set('createdAt', ctx.now());
      record.set('createdBy', ctx.actor);
      record.set('updatedAt', ctx.now());
      record.set('updatedBy', ctx.actor);
      record.set('archived', false);
      record.set('deletedAt', null);
      record.set('title', `Note ${i}`);
      record.set('pinned', false);
      record.set('tags', new Y.Map());
      record.set('body', new Y.XmlFragment());
    }, 'bench');
  }
  for (const id of ids) {
    doc.transact(() => {
      const record = root.get(id)!;
      record.set('title', `Renamed ${id}`);
      record.set('updatedAt', ctx.now());
      record.set('updatedBy', ctx.actor);
    }, 'bench');
  }
  return { ms: performance.now() - started, doc };
}

function modelWrite(): { ms: number; doc: Y.Doc } {
  const doc = new Y.Doc();
  const started = performance.now();
  const ids: string[] = [];
  for (let i = 0; i < RECORDS; i++) {
    const created = notes.create(doc, ctx, { title: `Note ${i}` });
    if (!created.ok) throw new Error(created.error.message);
    ids.push(created.value.id);
  }
  for (const id of ids) {
    const updated = notes.update(doc, ctx, id, { title: `Renamed ${id}` });
    if (!updated.ok) throw new Error(updated.error.message);
  }
  return { ms: performance.now() - started, doc };
}

function bareRead(doc: Y.Doc): number {
  const started = performance.now();
  const out: unknown[] = [];
  doc.getMap<Y.Map<unknown>>('notes').forEach((record, id) => {
    out.push({
      id,
      title: record.get('title'),
      createdAt: record.get('createdAt'),
      updatedAt: record.get('updatedAt'),
      createdBy: record.get('createdBy'),
      updatedBy: record.get('updatedBy'),
      archived: record.get('archived'),
      deletedAt: record.get('deletedAt'),
      pinned: record.get('pinned'),
      tags: [...(record.get('tags') as Y.Map<unknown>).keys()],
    });
  });
  if (out.length !== RECORDS) throw new Error('bare read lost records');
  return performance.now() - started;
}

function modelRead(doc: Y.Doc): number {
  const started = performance.now();
  const listed = notes.list(doc, { includeArchived: true, includeDeleted: true });
  if (listed.items.length !== RECORDS) throw new Error('model read lost records');
  return performance.now() - started;
}

export function benchModel(): BenchResult[] {
  const writes = { bare: [] as number[], model: [] as number[] };
  const reads = { bare: [] as number[], model: [] as number[] };
  // One warm-up round for the JIT, then interleaved measured runs.
  modelRead(modelWrite().doc);
  bareRead(bareWrite().doc);
  for (let run = 0; run < RUNS; run++) {
    const bare = bareWrite();
    const model = modelWrite();
    writes.bare.push(bare.ms);
    writes.model.push(model.ms);
    reads.bare.push(bareRead(bare.doc));
    reads.model.push(modelRead(model.doc));
  }
  const edits = RECORDS * 2;
  const write = { model: median(writes.model), bare: median(writes.bare) };
  const read = { model: median(reads.model), bare: median(reads.bare) };
  return [
    {
      id: 'model.write.ratio',
      value: write.model,
      unit: 'ms',
      baseline: write.bare,
      ratio: write.model / write.bare,
      note: `${edits} edits (create + rename ${RECORDS} notes), model vs bare Yjs`,
    },
    {
      id: 'model.write.throughput',
      value: edits / (write.model / 1000),
      unit: 'edits/s',
      baseline: edits / (write.bare / 1000),
    },
    {
      id: 'model.read.ratio',
      value: read.model,
      unit: 'ms',
      baseline: read.bare,
      ratio: read.model / read.bare,
      note: `list + validate ${RECORDS} notes vs bare field reads`,
    },
    {
      id: 'model.read.throughput',
      value: RECORDS / (read.model / 1000),
      unit: 'records/s',
      baseline: RECORDS / (read.bare / 1000),
    },
  ];
}
