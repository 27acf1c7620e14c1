import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { notes } from '../../../shared/model';
import {
  applyStoredRows,
  describeSetAside,
  type StoredRow,
} from '../../../shared/storage/recovery';
import { damage, randomBytes, seededRandom } from './seeded';

const ctx = { actor: 'member-1', now: () => 1_700_000_000_000 };
const LOAD = 'test-load';

/** Rows as y-indexeddb stores them: each note created by its own device, one row per update. */
function intactRows(count: number): { rows: Uint8Array[]; titles: string[] } {
  const rows: Uint8Array[] = [];
  const titles: string[] = [];
  for (let i = 0; i < count; i++) {
    const doc = new Y.Doc();
    doc.on('update', (update: Uint8Array) => rows.push(update));
    notes.create(doc, ctx, { title: `Intact ${i}` });
    titles.push(`Intact ${i}`);
  }
  return { rows, titles };
}

describe('applying stored rows around damage', () => {
  it('applies intact rows and sets aside the ones that cannot be read, with a readable notice', () => {
    const { rows, titles } = intactRows(3);
    const stored: StoredRow[] = [
      { key: 1, value: rows[0] },
      { key: 2, value: 'not bytes' },
      { key: 3, value: rows[1] },
      { key: 4, value: new Uint8Array([255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 1]) },
      { key: 5, value: rows[2] },
    ];
    const doc = new Y.Doc();
    const report = applyStoredRows(doc, stored, LOAD);
    expect(report.applied).toBe(3);
    expect(report.setAside.map((row) => [row.key, row.problem])).toEqual([
      [2, 'not-bytes'],
      [4, 'unreadable'],
    ]);
    expect(
      notes
        .list(doc)
        .items.map((n) => n.title)
        .sort(),
    ).toEqual(titles);
    expect(describeSetAside('Personal', report.setAside)).toMatch(
      /Personal: 2 saved changes .* set aside\. Everything else opened normally/,
    );
  });

  it('never throws and never loses an intact record across 300 seeded damaged stores', () => {
    const seed = Number(process.env.OUTPOST_SEED ?? 7007);
    const random = seededRandom(seed);
    const { rows, titles } = intactRows(6);
    // Rows of other records, which the damage is made from (a damaged row loses its own records).
    const victims = intactRows(4).rows;
    for (let run = 0; run < 300; run++) {
      const stored: StoredRow[] = [];
      let key = 1;
      let bad = 0;
      for (const row of rows) {
        if (random() < 0.5) {
          bad++;
          stored.push({
            key: key++,
            value:
              random() < 0.5
                ? randomBytes(random, 300)
                : damage(random, victims[Math.floor(random() * victims.length)]!),
          });
        }
        stored.push({ key: key++, value: row });
      }
      const doc = new Y.Doc();
      let report;
      try {
        report = applyStoredRows(doc, stored, LOAD);
      } catch (error) {
        throw new Error(`run ${run} (seed ${seed}) threw: ${String(error)}`, { cause: error });
      }
      expect(report.applied + report.setAside.length, `run ${run} seed ${seed}`).toBe(
        stored.length,
      );
      expect(report.setAside.length, `run ${run} seed ${seed}`).toBeLessThanOrEqual(bad);
      const present = new Set(notes.list(doc).items.map((n) => n.title));
      for (const title of titles)
        expect(present.has(title), `run ${run} seed ${seed}: ${title}`).toBe(true);
      // The document stays usable: it can be encoded and edited after the damaged load.
      expect(() => Y.encodeStateAsUpdate(doc)).not.toThrow();
      expect(notes.create(doc, ctx, { title: 'after' }).ok).toBe(true);
    }
  });

  it('trusts only the row it is told to, still catching a row that fails to apply', () => {
    const { rows } = intactRows(1);
    const doc = new Y.Doc();
    const report = applyStoredRows(doc, [{ key: 9, value: rows[0] }], LOAD, 9);
    expect(report.applied).toBe(1);
    const broken = applyStoredRows(
      new Y.Doc(),
      [{ key: 9, value: new Uint8Array([1, 2]) }],
      LOAD,
      9,
    );
    expect(broken.setAside).toHaveLength(1);
  });
});
