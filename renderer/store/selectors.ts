/** Stable selectors: zustand re-renders when a selector returns a new object, so empties are shared. */
import type { Member } from '../../shared/schema/records';
import type { AppState } from './types';

const NO_MEMBERS: readonly Member[] = [];

export const selectMembers = (state: AppState): readonly Member[] =>
  state.snapshot?.members.items ?? NO_MEMBERS;
