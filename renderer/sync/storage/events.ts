/**
 * What the storage layer tells the UI: load progress, rows set aside while loading, the save state,
 * backup problems, and what went wrong storing or reading a note's body document. Sessions
 * publish; the Backups feature subscribes and shows them. Plain data only, so components never
 * touch documents or databases.
 */
import type { LoadProgress, LoadReport, SaveState } from './durableTypes';
import type { LazyDocProblem } from './lazyDocTypes';

export type StorageEvent =
  | { readonly type: 'progress'; readonly workspaceId: string; readonly progress: LoadProgress }
  | { readonly type: 'loaded'; readonly workspaceId: string; readonly report: LoadReport }
  | { readonly type: 'save'; readonly workspaceId: string; readonly state: SaveState }
  | {
      readonly type: 'backup';
      readonly workspaceId: string;
      readonly ok: boolean;
      readonly message: string;
      readonly at: number;
    }
  | {
      /** A body document (named by its note's id) could not be stored, or rows of it were set aside. */
      readonly type: 'body';
      readonly workspaceId: string;
      readonly problem: LazyDocProblem;
    };

type Listener = (event: StorageEvent) => void;
const listeners = new Set<Listener>();

export function publishStorageEvent(event: StorageEvent): void {
  for (const listener of listeners) listener(event);
}

export function onStorageEvent(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
