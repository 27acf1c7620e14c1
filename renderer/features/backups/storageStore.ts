/**
 * UI state of local storage: load progress of the workspace being opened, its save state, and
 * the last backup problem. Fed by storage events (renderer/sync/storage/events.ts); the damaged-row
 * and backup-failure messages also go to the app's notices, and so do a note body's (a body is a
 * document of its own, stored apart from the workspace: its problems would otherwise only be logged).
 */
import { create } from 'zustand';
import { describeSetAside } from '../../../shared/storage/recovery';
import { onStorageEvent } from '../../sync/storage/events';
import type { LoadProgress, LoadReport, SaveState } from '../../sync/storage/durableTypes';
import type { LazyDocProblem } from '../../sync/storage/lazyDocTypes';
import { useAppStore } from '../../store';

interface StorageUiState {
  progress: Record<string, LoadProgress>;
  lastLoad: Record<string, LoadReport>;
  save: Record<string, SaveState>;
  backup: Record<string, { ok: boolean; message: string; at: number }>;
  /** Whether storage events already feed this store (they are followed once). */
  following: boolean;
}

export const useStorageStore = create<StorageUiState>()(() => ({
  progress: {},
  lastLoad: {},
  save: {},
  backup: {},
  following: false,
}));

function workspaceName(id: string): string | null {
  return useAppStore.getState().workspaces.find((workspace) => workspace.id === id)?.name ?? null;
}

function workspaceLabel(id: string): string {
  const name = workspaceName(id);
  return name === null ? 'A workspace' : `“${name}”`;
}

/**
 * The note whose body document is `noteId`, in words ("the note “Plan” in “Team”"): its title when
 * the open workspace's list has it (a problem of a workspace no longer open, or of a note not
 * validated yet, names none).
 */
function noteLabel(workspaceId: string, noteId: string): string {
  const { session, snapshot } = useAppStore.getState();
  const note =
    session?.id === workspaceId
      ? snapshot?.notes.items.find((item) => item.id === noteId)
      : undefined;
  const name = workspaceName(workspaceId);
  return `${note ? `the note “${note.title || 'Untitled'}”` : 'a note'}${name === null ? '' : ` in “${name}”`}`;
}

/** Tells the person what happened to a note's body, in the words the workspace's own problems use. */
function notifyBodyProblem(workspaceId: string, problem: LazyDocProblem): void {
  const note = noteLabel(workspaceId, problem.id);
  const { notify } = useAppStore.getState();
  switch (problem.type) {
    case 'write-failed':
      // The edit is in the loaded document only: it lasts while the note stays open.
      notify(
        'error',
        `Changes to ${note} could not be saved on this device: ${problem.message.replace(/\.$/, '')}. Outpost keeps them and tries again; until they are saved, keep Outpost open, and export the workspace (Backups) to be safe.`,
      );
      return;
    case 'set-aside':
      notify(
        'warning',
        describeSetAside(
          note.charAt(0).toUpperCase() + note.slice(1),
          problem.rows.map((row) => ({ ...row, value: null })),
        ),
      );
      return;
  }
}

/**
 * Feeds storage events into this store and the app's notices. Called once by the app's start,
 * before boot opens a workspace: a workspace can load (and report rows it set aside) before React
 * has mounted anything, so this cannot wait for a component's effect.
 */
export function followStorageEvents(): void {
  if (useStorageStore.getState().following) return;
  useStorageStore.setState({ following: true });
  onStorageEvent((event) => {
    const id = event.workspaceId;
    switch (event.type) {
      case 'progress':
        useStorageStore.setState((s) => ({
          progress: { ...s.progress, [id]: event.progress },
        }));
        return;
      case 'loaded':
        useStorageStore.setState((s) => ({ lastLoad: { ...s.lastLoad, [id]: event.report } }));
        if (event.report.setAside.length > 0)
          useAppStore.getState().notify(
            'warning',
            describeSetAside(
              workspaceLabel(id),
              event.report.setAside.map((row) => ({ ...row, value: null })),
            ),
          );
        return;
      case 'save':
        useStorageStore.setState((s) => ({ save: { ...s.save, [id]: event.state } }));
        if (event.state.state === 'failed')
          useAppStore
            .getState()
            .notify(
              'error',
              `Changes could not be saved on this device: ${event.state.message.replace(/\.$/, '')}. Outpost keeps them and tries again; until they are saved, keep Outpost open, and export the workspace (Backups) to be safe.`,
            );
        return;
      case 'backup':
        useStorageStore.setState((s) => ({
          backup: { ...s.backup, [id]: { ok: event.ok, message: event.message, at: event.at } },
        }));
        if (!event.ok) useAppStore.getState().notify('warning', event.message);
        return;
      case 'body':
        notifyBodyProblem(id, event.problem);
        return;
    }
  });
}
