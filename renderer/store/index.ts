/** The app store: one zustand store built from typed slices (UI, session, workspace, records). */
import { create } from 'zustand';
import { createUiSlice } from './uiSlice';
import { createSessionSlice } from './sessionSlice';
import { createWorkspaceSlice } from './workspaceSlice';
import { createRecordsSlice } from './recordsSlice';
import { createSyncSlice } from './syncSlice';
import type { AppState } from './types';

export const useAppStore = create<AppState>()((...args) => ({
  ...createUiSlice(...args),
  ...createSessionSlice(...args),
  ...createWorkspaceSlice(...args),
  ...createRecordsSlice(...args),
  ...createSyncSlice(...args),
}));

export type { AppState, Section, RecordView, Notice } from './types';
