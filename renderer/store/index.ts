/**
 * The app store: one zustand store built from typed slices (UI, session, workspace, records,
 * sync). Each slice keeps its private working state (timers, the sync provider) in its creator's
 * closure, so a new store starts clean; tests make one with `createAppStore()`.
 */
import { create } from 'zustand';
import { createUiSlice } from './uiSlice';
import { createSessionSlice } from './sessionSlice';
import { createWorkspaceSlice } from './workspaceSlice';
import { createRecordsSlice } from './recordsSlice';
import { createSyncSlice } from './syncSlice';
import { createRelaySlice } from './relaySlice';
import { createKeySlice } from './keySlice';
import { writeAs, type ModelWrite, type WriteOptions } from './writeGateway';
import type { Result } from '../../shared/result';
import type { WorkspaceSession } from '../sync/workspaceSession';
import type { AppState } from './types';

export type { ModelWrite, WriteOptions } from './writeGateway';

export function createAppStore() {
  return create<AppState>()((...args) => ({
    ...createUiSlice(...args),
    ...createSessionSlice(...args),
    ...createWorkspaceSlice(...args),
    ...createRecordsSlice(...args),
    ...createSyncSlice(...args),
    ...createRelaySlice(...args),
    ...createKeySlice(...args),
  }));
}

export const useAppStore = createAppStore();

/** The open workspace session, for actions outside the store; components never see Y types. */
export function activeSession(): WorkspaceSession | null {
  return useAppStore.getState().session;
}

/** The write gateway (writeGateway.ts) bound to the app's store: what `*Actions.ts` call. */
export function writeAsLocalPerson<T>(run: ModelWrite<T>, options?: WriteOptions): Result<T> {
  return writeAs(useAppStore.getState(), run, options);
}

export type { AppState, Section, RecordView, Notice } from './types';
