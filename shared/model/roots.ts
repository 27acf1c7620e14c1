/**
 * The names of the workspace document's root types and the origins that tag every transaction.
 * Changing a root name is a schema change: see docs/PROTOCOL.md and migrations.ts.
 */
// Every module of the model imports this one, so Yjs deletes deep values iteratively wherever the
// model is used (see yjsIterativeDelete.ts).
import './yjsIterativeDelete';

/** Root type names of a workspace Y.Doc. All are Y.Maps. */
export const ROOT = {
  meta: 'meta',
  members: 'members',
  notes: 'notes',
  goals: 'goals',
  decisions: 'decisions',
  /** Images kept inside the workspace, by content hash (attachments.ts); readers before it ignore it. */
  attachments: 'attachments',
} as const;

/** The schema version this build writes. */
export const SCHEMA_VERSION = 1;

/** Origin of every transaction made by a model function on behalf of the local person. */
export const MODEL_ORIGIN = 'outpost:model';
/** Origin of schema migrations. */
export const MIGRATION_ORIGIN = 'outpost:migration';
