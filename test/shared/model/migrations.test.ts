import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  MIGRATION_ORIGIN,
  ROOT,
  SCHEMA_VERSION,
  migrateWorkspace,
  schemaVersionOf,
  type Migration,
} from '../../../shared/model';

describe('migrations', () => {
  it('stamps a new workspace with the current schema version in a migration transaction', () => {
    const doc = new Y.Doc();
    const origins: unknown[] = [];
    doc.on('afterTransaction', (tr: Y.Transaction) => origins.push(tr.origin));
    expect(migrateWorkspace(doc)).toMatchObject({
      ok: true,
      value: { from: 0, to: SCHEMA_VERSION },
    });
    expect(schemaVersionOf(doc)).toBe(SCHEMA_VERSION);
    expect(origins).toEqual([MIGRATION_ORIGIN]);
    expect(migrateWorkspace(doc)).toMatchObject({ ok: true, value: { applied: [] } });
    expect(origins).toHaveLength(1);
  });

  it('runs only pending migrations, in order', () => {
    const doc = new Y.Doc();
    doc.getMap(ROOT.meta).set('schemaVersion', 1);
    doc.getMap(ROOT.notes).set('n1', 'legacy');
    const ran: number[] = [];
    const migrations: Migration[] = [
      { version: 1, description: 'v1', migrate: () => ran.push(1) },
      {
        version: 2,
        description: 'rename legacy notes',
        migrate: (d) => {
          ran.push(2);
          const notesMap = d.getMap(ROOT.notes);
          if (notesMap.get('n1') === 'legacy') notesMap.set('n1', 'migrated');
        },
      },
    ];
    expect(migrateWorkspace(doc, migrations)).toMatchObject({
      ok: true,
      value: { from: 1, to: 2 },
    });
    expect(ran).toEqual([2]);
    expect(doc.getMap(ROOT.notes).get('n1')).toBe('migrated');
  });

  it('refuses to touch a workspace written by a newer version', () => {
    const doc = new Y.Doc();
    doc.getMap(ROOT.meta).set('schemaVersion', SCHEMA_VERSION + 5);
    const before = Y.encodeStateAsUpdate(doc);
    const result = migrateWorkspace(doc);
    expect(result).toMatchObject({ ok: false, error: { code: 'newer-schema' } });
    expect(!result.ok && result.error.message).toMatch(/Update Outpost/);
    expect(Y.encodeStateAsUpdate(doc)).toEqual(before);
  });

  it('gives the same state when two replicas migrate concurrently and merge', () => {
    const a = new Y.Doc();
    const b = new Y.Doc();
    migrateWorkspace(a);
    migrateWorkspace(b);
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    expect(a.getMap(ROOT.meta).toJSON()).toEqual(b.getMap(ROOT.meta).toJSON());
    expect(schemaVersionOf(a)).toBe(SCHEMA_VERSION);
  });
});
