/**
 * Schema versions and migrations. `meta.schemaVersion` records the version a workspace was last
 * migrated to. Two replicas may migrate the same data concurrently and then merge, so every
 * migration must be idempotent and give the same result whichever replica ran it.
 */
import type * as Y from 'yjs';
import { MIGRATION_ORIGIN, ROOT, SCHEMA_VERSION } from './roots';
import { fail, ok, type Result } from '../result';

export interface Migration {
  /** The version the workspace has after this migration. */
  readonly version: number;
  readonly description: string;
  readonly migrate: (doc: Y.Doc) => void;
}

/** Every migration, in order. Version 1 is the initial schema: root types are created on use. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'Initial schema: meta, members, notes, goals, decisions.',
    migrate: () => {},
  },
];

/**
 * Schema 2: each note's body is a document of its own (docs/PROTOCOL.md §1.4.2). The move is made
 * on stored rows by the workspace's storage (renderer/sync/storage/bodiesMigration.ts), which
 * writes `meta.schemaVersion` 2 itself in the transaction that swaps the rows; a session reading
 * the new layout passes {@link BODIES_LAYOUT_MIGRATIONS}, so its root (already at 2, or a new empty
 * one) opens, while a session still reading the embedded layout passes {@link MIGRATIONS} and
 * opens a root that says 2 read-only, as any newer data.
 */
export const BODIES_LAYOUT_MIGRATIONS: readonly Migration[] = [
  ...MIGRATIONS,
  {
    version: 2,
    description: 'Note bodies are documents of their own.',
    migrate: () => {},
  },
];

/** The schema version stored in a workspace (0 for a new, empty document). */
export function schemaVersionOf(doc: Y.Doc): number {
  const version = doc.getMap<unknown>(ROOT.meta).get('schemaVersion');
  return typeof version === 'number' && Number.isInteger(version) && version >= 0 ? version : 0;
}

export interface MigrationReport {
  readonly from: number;
  readonly to: number;
  readonly applied: readonly string[];
}

/**
 * Brings a workspace up to the latest schema in one transaction. A workspace written by a newer
 * Outpost is left untouched and reported, so an old build never damages newer data.
 */
export function migrateWorkspace(
  doc: Y.Doc,
  migrations: readonly Migration[] = MIGRATIONS,
): Result<MigrationReport> {
  const target = migrations.at(-1)?.version ?? SCHEMA_VERSION;
  const from = schemaVersionOf(doc);
  if (from > target) {
    return fail(
      'newer-schema',
      `This workspace uses data format ${from}, newer than this version of Outpost understands (${target}). Update Outpost to open it; nothing was changed.`,
    );
  }
  const pending = migrations.filter((migration) => migration.version > from);
  if (pending.length === 0) return ok({ from, to: from, applied: [] });
  try {
    doc.transact(() => {
      for (const migration of pending) migration.migrate(doc);
      doc.getMap<unknown>(ROOT.meta).set('schemaVersion', target);
    }, MIGRATION_ORIGIN);
  } catch (error) {
    // Whatever a peer stored must not stop the workspace from opening: it opens read-only.
    return fail(
      'migration-failed',
      `This workspace could not be brought up to date (${error instanceof Error ? error.message : String(error)}). It opens read-only; nothing was lost.`,
    );
  }
  return ok({ from, to: target, applied: pending.map((migration) => migration.description) });
}
