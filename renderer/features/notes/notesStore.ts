/**
 * The notes feature's own store: the tag filter, the command palette, the person's saved
 * templates (kept on this device in localStorage) and which note's body should take the caret
 * when it opens (a followed link). Changes to notes are in notesActions.ts.
 */
import { create } from 'zustand';
import { parseSavedTemplates, type NoteTemplate } from '../../../shared/model/notesTemplates';

const TEMPLATES_KEY = 'outpost:note-templates';

interface NotesUiState {
  tagFilter: string | null;
  paletteOpen: boolean;
  savedTemplates: NoteTemplate[];
  /** The note whose editor puts the caret in its body when it mounts (then clears this). */
  focusBody: string | null;
  setTagFilter(tag: string | null): void;
  setPaletteOpen(open: boolean): void;
}

export const useNotesStore = create<NotesUiState>()((set) => ({
  tagFilter: null,
  paletteOpen: false,
  savedTemplates: parseSavedTemplates(localStorage.getItem(TEMPLATES_KEY)),
  focusBody: null,
  setTagFilter: (tag) => set({ tagFilter: tag }),
  setPaletteOpen: (open) => set({ paletteOpen: open }),
}));

/** Keeps the person's templates on this device, then shows them; throws when storage is full. */
export function saveTemplates(next: NoteTemplate[]): void {
  localStorage.setItem(
    TEMPLATES_KEY,
    JSON.stringify(next.map(({ builtIn: _builtIn, ...rest }) => rest)),
  );
  useNotesStore.setState({ savedTemplates: next });
}
