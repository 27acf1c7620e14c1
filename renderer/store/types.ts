import type { InviteTerms } from '../../shared/protocol/inviteTerms';
import type { AppInfo, AppSettings } from '../../shared/ipc/contract';
import type { Profile } from '../../shared/schema/profile';
import type { DeviceSigner } from '../../shared/protocol/identity';
import type { Decision, Goal, Note, RecordKind } from '../../shared/schema/records';
import type { Result } from '../../shared/result';
import type { IdentityCandidate, WorkspaceEntry } from '../sync/localState';
import type { SessionStatus, WorkspaceSession, WorkspaceSnapshot } from '../sync/workspaceSession';
import type { SyncNetwork, SyncSettings, SyncSettingsPatch } from '../../shared/ipc/syncContract';
import type { PeerInfo, PeerSyncStatus } from '../sync/peer/types';
import type { TurnPatch } from '../sync/teamTurn';
import type { TurnSettings } from '../../shared/protocol/teamNetwork';
import type { RelayStatus } from '../sync/relay/types';
import type { FirstScreen } from '../../shared/model/notesFirstScreen';

export type Section = 'notes' | 'goals' | 'decisions' | 'focus' | 'sync' | 'settings' | 'backups';
export type RecordView = 'active' | 'archived' | 'trash';

export interface Notice {
  readonly id: number;
  readonly tone: 'info' | 'warning' | 'error';
  readonly message: string;
}

export interface SessionSlice {
  booted: boolean;
  profile: Profile | null;
  /** Signs votes, status changes, check-ins and the member entry as this device (null: none). */
  device: DeviceSigner | null;
  /** When the profile is gone but workspaces remain: the people they list, likeliest first. */
  identityCandidates: IdentityCandidate[];
  appInfo: AppInfo | null;
  settings: AppSettings | null;
  boot(): Promise<void>;
  completeOnboarding(input: {
    displayName: string;
    color: string;
    timeZone: string;
  }): Promise<Result<Profile>>;
  /** Continues as a member listed in a workspace on this device (same member id). */
  recoverIdentity(memberId: string): Promise<Result<Profile>>;
  updateProfile(patch: Partial<Omit<Profile, 'memberId'>>): Result<Profile>;
  updateSettings(patch: Partial<AppSettings>): Promise<Result<AppSettings>>;
}

export interface WorkspaceSlice {
  workspaces: WorkspaceEntry[];
  activeWorkspaceId: string | null;
  workspaceStatus: SessionStatus | { readonly state: 'closed' };
  snapshot: WorkspaceSnapshot | null;
  /**
   * While the workspace loads, its notes list's first screen as this device stored it last time
   * (null: none usable, or the workspace is ready). Only ever shown, never read as records.
   */
  firstScreen: FirstScreen | null;
  /**
   * The open workspace session. Held in the store so a reset or a workspace switch reaches it;
   * only actions and the write gateway use it, components never see Y types.
   */
  session: WorkspaceSession | null;
  openWorkspace(id: string): Promise<void>;
  /** Closes the open workspace, runs `work` (e.g. replacing its stored data), and opens it again. */
  reopenWorkspace(work?: () => Promise<void>): Promise<void>;
  createWorkspace(name: string): Promise<Result<WorkspaceEntry>>;
  /**
   * Changes the list of workspaces: `update` gets the list as earlier changes left it; the result
   * is saved durably before the store shows it.
   */
  setWorkspaces(update: (current: WorkspaceEntry[]) => WorkspaceEntry[]): Promise<void>;
  renameWorkspace(name: string): Result<string>;
}

/** The record type of each kind. */
export interface RecordOfKind {
  readonly note: Note;
  readonly goal: Goal;
  readonly decision: Decision;
}

export interface RecordsSlice {
  createRecord(kind: RecordKind, title: string): Result<{ id: string }>;
  /** Returns the record as stored after the write (fields normalised by the model). */
  updateRecord<K extends RecordKind>(
    kind: K,
    id: string,
    patch: Record<string, unknown>,
  ): Result<RecordOfKind[K]>;
  setArchived(kind: RecordKind, id: string, archived: boolean): Result<unknown>;
  trashRecord(kind: RecordKind, id: string): Result<unknown>;
  restoreRecord(kind: RecordKind, id: string): Result<unknown>;
  purgeRecord(kind: RecordKind, id: string): Result<unknown>;
}

export interface UiSlice {
  section: Section;
  selected: Partial<Record<RecordKind, string>>;
  recordView: Record<RecordKind, RecordView>;
  notices: Notice[];
  setSection(section: Section): void;
  select(kind: RecordKind, id: string | null): void;
  setRecordView(kind: RecordKind, view: RecordView): void;
  notify(tone: Notice['tone'], message: string): void;
  dismissNotice(id: number): void;
}

/** One person (device) seen through awareness. */
export interface PresenceEntry {
  readonly clientId: number;
  readonly memberId: string | null;
  readonly name: string;
  readonly color: string;
  readonly device: string | null;
  /** The section and record they have open. */
  readonly location: { readonly section: string; readonly recordId: string | null } | null;
  readonly self: boolean;
}

/** A peer as the sync screens show it: its status, with the people behind its awareness clients. */
export interface PeerView extends Omit<PeerInfo, 'kind' | 'pendingUpdates' | 'clients'> {
  readonly people: readonly PresenceEntry[];
}

export interface TeamSyncView {
  readonly workspaceId: string;
  readonly online: boolean;
  readonly signaling: PeerSyncStatus['signaling'];
  readonly peers: readonly PeerView[];
  readonly unshared: { readonly items: number; readonly bytes: number };
  /** Peers turned away at the handshake, newest first, with the reason. */
  readonly refused: PeerSyncStatus['refused'];
}

export type { SyncIndicator } from '../sync/syncIndicator';

export interface SyncSlice {
  syncNetwork: SyncNetwork | null;
  syncSettings: SyncSettings | null;
  teamSync: TeamSyncView | null;
  /** The person chose to work offline: no peers and no relays until they go online again. */
  syncPaused: boolean;
  presence: readonly PresenceEntry[];
  /** Loads the network and settings and starts following them (called once at boot). */
  startSync(): Promise<void>;
  createTeamWorkspace(name: string): Promise<Result<WorkspaceEntry>>;
  joinTeamWorkspace(code: string): Promise<Result<WorkspaceEntry>>;
  /**
   * The invite code of the open workspace (team workspaces only), with an expiry when `terms`
   * has one (docs/PROTOCOL.md §5.1, version 3).
   */
  inviteCode(terms?: InviteTerms | null): Result<string>;
  leaveWorkspace(id: string, removeData: boolean): Promise<Result<null>>;
  setSyncOnline(online: boolean): void;
  updateSyncSettings(patch: SyncSettingsPatch): Promise<Result<SyncSettings>>;
  /**
   * Changes one field of a team's TURN settings on this device (checked on its own, merged into
   * what is stored when written); resolves with the settings as stored, null when none are left.
   */
  updateTeamTurn(id: string, patch: TurnPatch): Promise<Result<TurnSettings | null>>;
}

/** The open team workspace's relays (relaySlice.ts). */
export interface RelaySlice {
  /** One entry per relay of the open team workspace, while its relay client runs. */
  relayStatus: readonly RelayStatus[];
  /** Adds a relay address to the open team workspace; failures carry the message to show. */
  addRelay(url: string): Promise<Result<string>>;
  removeRelay(url: string): Promise<Result<null>>;
}

/** Removing members and lost devices, and moving to a new workspace key (keySlice.ts). */
export interface KeySlice {
  /** `moving` while this device switches to a new key; `waiting` when none was sealed to it. */
  keyMove: 'idle' | 'moving' | 'waiting';
  /** Removes a member and all their devices; the new key's epoch, or why not. */
  removeMember(memberId: string): Result<number>;
  /** Removes one device (a lost laptop); the new key's epoch, or why not. */
  removeDevice(deviceKey: string): Result<number>;
  /** Lets a removed member back in (a signed readmission, §8.7); they rejoin with a new invite. */
  letBackIn(memberId: string): Result<null>;
}

export type AppState = SessionSlice &
  WorkspaceSlice &
  RecordsSlice &
  UiSlice &
  SyncSlice &
  RelaySlice &
  KeySlice;
