/**
 * How the window is laid out on this device: the sidebar as a narrow rail, the list pane hidden,
 * and compact mode (both, with tighter spacing) for working in a narrow window beside a video
 * call. Remembered across restarts with zustand's persist middleware in localStorage: a layout is
 * a device's preference, not team data.
 */
import { create } from 'zustand';
import { createJSONStorage, persist } from 'zustand/middleware';

export interface LayoutState {
  sidebarCollapsed: boolean;
  listCollapsed: boolean;
  compact: boolean;
  toggleSidebar(): void;
  toggleList(): void;
  toggleCompact(): void;
}

export const useLayoutStore = create<LayoutState>()(
  persist(
    (set) => ({
      sidebarCollapsed: false,
      listCollapsed: false,
      compact: false,
      toggleSidebar: () => set((state) => ({ sidebarCollapsed: !state.sidebarCollapsed })),
      toggleList: () => set((state) => ({ listCollapsed: !state.listCollapsed })),
      toggleCompact: () => set((state) => ({ compact: !state.compact })),
    }),
    {
      name: 'outpost:layout',
      version: 1,
      storage: createJSONStorage(() => localStorage),
      partialize: ({ sidebarCollapsed, listCollapsed, compact }) => ({
        sidebarCollapsed,
        listCollapsed,
        compact,
      }),
    },
  ),
);
