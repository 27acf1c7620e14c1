export { ROOT, SCHEMA_VERSION, MODEL_ORIGIN, MIGRATION_ORIGIN } from './roots';
export type { Collection, ModelContext, ListOptions, RecordList } from './collection';
export { notes, noteBody, NOTE_BODY_KEY } from './notes';
export { goals } from './goals';
export * from './goalsKeyResults';
export * from './goalsProgress';
export * from './goalsExport';
export * from './goalsReminder';
export {
  decisions,
  decisionContext,
  decisionsLinkedTo,
  supersedeMakesCycle,
  STATUS_TRANSITIONS,
  type DecisionPatch,
} from './decisions';
export {
  castVote,
  tallyVotes,
  needsVote,
  votingOpen,
  involves,
  compareCasts,
  castOnTime,
  VOTE_CHOICES,
  type Tally,
  type MemberVote,
  type MemberCasts,
} from './decisionsVotes';
export {
  castBallot,
  tallyPoll,
  type BallotInput,
  type OptionResult,
  type PollTally,
} from './decisionsPolls';
export { READ_ONLY_STATUSES } from './decisionsLifecycle';
export { decisionReminders, dueReminders, type DecisionReminder } from './decisionsReminders';
export { upsertMember, listMembers, verifyMember, confirmDevice } from './members';
export {
  readTrust,
  verifyEntry,
  DEVICE_KEY_PREFIX,
  type Trust,
  type MemberDevices,
  type ListedDevice,
  type UnlistedDevice,
  type Verification,
  type SigningContext,
} from './signatures';
export { verifyVote, verifyBallot, verifyStatusChange, verifyCheckIn } from './signedFields';
export { verifiedTally, verifiedPollTally, type Verified, type SetAside } from './signedTally';
export {
  MIGRATIONS,
  BODIES_LAYOUT_MIGRATIONS,
  migrateWorkspace,
  schemaVersionOf,
  type Migration,
  type MigrationReport,
} from './migrations';
export { workspaceName, renameWorkspace, WorkspaceName } from './workspace';
export {
  recordInviteUse,
  inviteRefusal,
  inviteUseText,
  signInviteUse,
  verifiedUse,
  INVITE_USES_ROOT,
  type InviteRefusal,
  type InviteUse,
  type InviteUseTerms,
} from './inviteUses';
