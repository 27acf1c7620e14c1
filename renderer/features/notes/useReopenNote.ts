/**
 * Reload reopens the note that was open: the open note's id is kept per workspace on this device
 * (localStorage), and when the notes screen first shows a workspace with no note selected, that
 * note is selected again if it still exists. While the list is the stored first screen (the
 * workspace still being read), that note's row is selected already if the preview shows it, so
 * the person sees where they were; it opens once the document is read. Which note was open is a
 * convenience, not data, so localStorage's lazy writes (see deviceStore.ts) are good enough here.
 */
import { useEffect, useRef } from 'react';
import { useAppStore } from '../../store';
import { openNote } from './notesActions';

const KEY_PREFIX = 'outpost:open-note:';

function remembered(workspaceId: string): string | null {
  try {
    return localStorage.getItem(KEY_PREFIX + workspaceId);
  } catch {
    return null;
  }
}

function remember(workspaceId: string, noteId: string | null): void {
  try {
    if (noteId) localStorage.setItem(KEY_PREFIX + workspaceId, noteId);
    else localStorage.removeItem(KEY_PREFIX + workspaceId);
  } catch {
    // Storage full or blocked: the next start simply opens no note.
  }
}

export function useReopenNote(): void {
  const workspaceId = useAppStore((state) => state.activeWorkspaceId);
  const selectedId = useAppStore((state) => state.selected.note);
  const notes = useAppStore((state) => state.snapshot?.notes);
  const preview = useAppStore((state) => state.firstScreen);
  // The workspace whose remembered note was looked for; until then nothing is overwritten.
  const restoredFor = useRef<string | null>(null);

  useEffect(() => {
    if (!workspaceId || restoredFor.current === workspaceId) return;
    if (!notes) {
      const id = preview && !selectedId ? remembered(workspaceId) : null;
      if (id && preview?.rows.some((row) => row.id === id))
        useAppStore.getState().select('note', id);
      return;
    }
    if (selectedId) {
      restoredFor.current = workspaceId;
      return;
    }
    const id = remembered(workspaceId);
    const found = id ? notes.items.find((note) => note.id === id) : undefined;
    // The first list holds only the notes of a first screen; wait for the rest before giving up.
    if (!found && id && notes.unread > 0) return;
    restoredFor.current = workspaceId;
    if (found) openNote(found.id);
  }, [workspaceId, notes, preview, selectedId]);

  useEffect(() => {
    if (workspaceId && restoredFor.current === workspaceId)
      remember(workspaceId, selectedId ?? null);
  }, [workspaceId, selectedId]);
}
