/**
 * The renderer's store against real parts in the unit project: IndexedDB from fake-indexeddb and
 * a DOM from happy-dom (the browser is the edge here), the real store, sessions and storage. Only
 * window.outpost, the main process's API surface, is a small fake. Test files that use this run
 * with `// @vitest-environment happy-dom`.
 */
import 'fake-indexeddb/auto';
import { ok } from '../../shared/result';
import type { Profile } from '../../shared/schema/profile';
import { newId } from '../../shared/core/ids';
import type { OutpostApi } from '../../shared/ipc/contract';
import { useAppStore } from '../../renderer/store';
import type { WorkspaceEntry } from '../../renderer/sync/localState';

/** The main process as far as an open workspace reaches it: backups are accepted, no events. */
export function installOutpostApi(): void {
  const api = {
    invoke: async () => ok({ written: true }),
    on: () => () => undefined,
  } as unknown as OutpostApi;
  (window as unknown as { outpost: OutpostApi }).outpost = api;
}

export const person: Profile = {
  memberId: 'member-local-0001',
  displayName: 'Ada Local',
  color: '#2563eb',
  timeZone: 'UTC',
};

const initial = useAppStore.getState();

/** Closes what the last test opened and puts the app store back as it started. */
export async function resetAppStore(): Promise<void> {
  await useAppStore.getState().session?.destroy();
  useAppStore.setState(initial, true);
}

/** Lists `count` local workspaces, opens the first as `person`, and waits until it is ready. */
export async function openWorkspaces(count = 1): Promise<WorkspaceEntry[]> {
  installOutpostApi();
  const entries: WorkspaceEntry[] = Array.from({ length: count }, (_, index) => ({
    id: newId(),
    name: `Workspace ${index + 1}`,
    kind: 'local' as const,
    createdAt: 1_700_000_000_000,
    relays: [],
  }));
  useAppStore.setState({ profile: person });
  await useAppStore.getState().setWorkspaces(() => entries);
  await useAppStore.getState().openWorkspace(entries[0]!.id);
  return entries;
}

/** Makes the open workspace read-only, as a document from a newer Outpost makes it. */
export function makeReadOnly(reason = 'This workspace was saved by a newer Outpost.'): void {
  useAppStore.setState({ workspaceStatus: { state: 'ready', readOnly: true, reason } });
}
