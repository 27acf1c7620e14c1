import type { StateCreator } from 'zustand';
import type { AppState, Section, UiSlice } from './types';

const SECTIONS: readonly Section[] = [
  'notes',
  'goals',
  'decisions',
  'focus',
  'sync',
  'settings',
  'backups',
];

/** The section named in the URL hash, so a reload keeps the person where they were. */
export function sectionFromHash(hash: string): Section {
  const name = hash.replace(/^#\/?/, '');
  return (SECTIONS as readonly string[]).includes(name) ? (name as Section) : 'notes';
}

export const createUiSlice: StateCreator<AppState, [], [], UiSlice> = (set) => {
  let nextNoticeId = 1;
  return {
    section: sectionFromHash(window.location.hash),
    selected: {},
    recordView: { note: 'active', goal: 'active', decision: 'active' },
    notices: [],
    setSection(section) {
      if (window.location.hash !== `#/${section}`)
        window.history.replaceState(null, '', `#/${section}`);
      // News belongs to the view it was given in: it never follows the person elsewhere.
      // Warnings and errors stay until closed, wherever the person goes.
      set((state) =>
        state.section === section
          ? {}
          : { section, notices: state.notices.filter((notice) => notice.tone !== 'info') },
      );
    },
    select(kind, id) {
      set((state) => ({ selected: { ...state.selected, [kind]: id ?? undefined } }));
    },
    setRecordView(kind, view) {
      set((state) => ({ recordView: { ...state.recordView, [kind]: view } }));
    },
    notify(tone, message) {
      const id = nextNoticeId++;
      set((state) => ({
        notices: [
          ...state.notices.filter((notice) => notice.message !== message),
          { id, tone, message },
        ],
      }));
    },
    dismissNotice(id) {
      set((state) => ({ notices: state.notices.filter((notice) => notice.id !== id) }));
    },
  };
};

export { SECTIONS };
