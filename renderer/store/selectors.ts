/** Stable selectors: zustand re-renders when a selector returns a new object, so empties are shared. */
import type { Member } from '../../shared/schema/records';
import type { AppState } from './types';

const NO_MEMBERS: readonly Member[] = [];

export const selectMembers = (state: AppState): readonly Member[] =>
  state.snapshot?.members.items ?? NO_MEMBERS;

/**
 * The open workspace's display name: the shared `meta.name` once any device has written it, else
 * the name this device listed it under (the invite's name for a joined team, see PROTOCOL.md §1.1).
 */
export const selectWorkspaceName = (state: AppState): string | null =>
  state.snapshot?.name ??
  state.workspaces.find((workspace) => workspace.id === state.activeWorkspaceId)?.name ??
  null;
