/** Stable selectors: zustand re-renders when a selector returns a new object, so empties are shared. */
import type { Member } from '../../shared/schema/records';
import type { Trust } from '../../shared/model';
import type { AppState } from './types';

const NO_MEMBERS: readonly Member[] = [];

export const selectMembers = (state: AppState): readonly Member[] =>
  state.snapshot?.members.items ?? NO_MEMBERS;

const NO_TRUST: Trust = { workspace: '', members: new Map() };

/** The open workspace's member devices, which signed entries are verified against. */
export const selectTrust = (state: AppState): Trust => state.snapshot?.trust ?? NO_TRUST;

/**
 * The open workspace's display name: the shared `meta.name` once any device has written it, else
 * the name this device listed it under (the invite's name for a joined team, see PROTOCOL.md §1.1).
 */
export const selectWorkspaceName = (state: AppState): string | null =>
  state.snapshot?.name ??
  state.workspaces.find((workspace) => workspace.id === state.activeWorkspaceId)?.name ??
  null;
