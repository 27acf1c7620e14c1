export { ROOT, SCHEMA_VERSION, MODEL_ORIGIN, MIGRATION_ORIGIN } from './roots';
export { newId, ID_PATTERN } from './ids';
export type { Collection, ModelContext, ListOptions, RecordList } from './collection';
export { notes, noteBody, NOTE_BODY_KEY } from './notes';
export { goals } from './goals';
export { decisions } from './decisions';
export { upsertMember, listMembers } from './members';
export {
  MIGRATIONS,
  migrateWorkspace,
  schemaVersionOf,
  type Migration,
  type MigrationReport,
} from './migrations';
export { workspaceName, renameWorkspace, WorkspaceName } from './workspace';
