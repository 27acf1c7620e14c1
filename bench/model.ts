/**
 * The workspace model against bare Yjs doing the same edits: the model adds validation, ids,
 * attribution and origins, and this measures what that costs. Runs are interleaved and the median
 * of several is reported, since the machine is shared and noisy. model.write.scaling repeats the
 * writes at 1,000, 4,000 and 16,000 notes and prints the fitted growth exponent (1 = linear).
 */
import * as Y from 'yjs';
import { notes } from '../shared/model';
import { growthExponent, median, scalingResult, type BenchResult } from './report';

const RECORDS = 2_000;
const RUNS = 7;
const SCALING_RECORDS = [1_000, 4_000, 16_000] as const;
const SCALING_RUNS = 3;
const ctx = { actor: 'bench-member', now: () => 1_700_000_000_000 };

function bareWrite(records = RECORDS): { ms: number; doc: Y.Doc } {
  const doc = new Y.Doc();
  const root = doc.getMap<Y.Map<unknown>>('notes');
  const started = performance.now();
  const ids: string[] = [];
  for (let i = 0; i < records; i++) {
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

function modelWrite(records = RECORDS): { ms: number; doc: Y.Doc } {
  const doc = new Y.Doc();
  const started = performance.now();
  const ids: string[] = [];
  for (let i = 0; i < records; i++) {
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
  // How writes grow with the workspace: the same create + rename at three sizes, interleaved
  // with bare Yjs, medians of three runs each.
  const series = SCALING_RECORDS.map((records) => {
    const model: number[] = [];
    const bare: number[] = [];
    // The first run at a size is left out: it pays for the collection of the previous size's docs.
    for (let run = 0; run <= SCALING_RUNS; run++) {
      const b = bareWrite(records).ms;
      const m = modelWrite(records).ms;
      if (run === 0) continue;
      bare.push(b);
      model.push(m);
    }
    return { records, model: median(model), bare: median(bare) };
  });
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
    scalingResult(
      'model.write.scaling',
      `create + rename of ${SCALING_RECORDS.join(', ')} notes through the model, medians of ${SCALING_RUNS} (bare Yjs k ${growthExponent(
        series.map((point) => [point.records, point.bare] as const),
      ).toFixed(2)})`,
      series.map((point) => [point.records, point.model] as const),
      'ms',
    ),
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
