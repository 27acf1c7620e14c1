import type { StateCreator } from 'zustand';
import { fail, ok } from '../../shared/result';
import { newId } from '../../shared/core/ids';
import { WorkspaceName, renameWorkspace as renameInDoc, workspaceName } from '../../shared/model';
import { saveActiveWorkspaceId, saveWorkspaces, type WorkspaceEntry } from '../sync/localState';
import { openWorkspaceSession } from '../sync/workspaceSession';
import {
  hintStartupWorkspace,
  releaseStartupWorkspace,
  takeStartupWorkspace,
} from '../sync/startupWorkspace';
import type { AppState, WorkspaceSlice } from './types';
import { writeAs } from './writeGateway';
import { readFirstScreen } from '../sync/storage/firstScreenStore';
import { workspaceAtRestKey } from '../sync/atRestKeys';
import { prepareBodiesLayout } from '../sync/bodiesLayout';

export const createWorkspaceSlice: StateCreator<AppState, [], [], WorkspaceSlice> = (set, get) => {
  /** The list changes still being written, in order (per store, like the list itself). */
  let listWrites: Promise<void> = Promise.resolve();
  /**
   * A workspace opened again after its stored data was replaced (a restore): its stored first
   * screen is a picture of the data before, so it is not shown.
   */
  let replaced: string | null = null;
  return {
    workspaces: [],
    activeWorkspaceId: null,
    workspaceStatus: { state: 'closed' },
    snapshot: null,
    firstScreen: null,
    session: null,
    async openWorkspace(id) {
      const profile = get().profile;
      const entry = get().workspaces.find((workspace) => workspace.id === id);
      if (!profile || !entry) return;
      if (get().session?.id === id) return;
      const previous = get().session;
      set({
        session: null,
        activeWorkspaceId: id,
        workspaceStatus: { state: 'loading' },
        snapshot: null,
        firstScreen: null,
        selected: {},
      });
      // Read beside the workspace's own rows: when it comes first, the notes list shows it while
      // the document is still being read (a picture of the list, replaced once the list is read).
      const stale = replaced === id;
      replaced = null;
      if (!stale)
        void readFirstScreen(id, workspaceAtRestKey(id)).then((screen) => {
          const state = get();
          if (screen && state.activeWorkspaceId === id && state.workspaceStatus.state === 'loading')
            set({ firstScreen: screen });
        });
      await previous?.destroy();
      let startup = await takeStartupWorkspace(id);
      const asked = () => get().activeWorkspaceId === id && !get().session;
      if (!asked()) {
        // Another workspace was asked for meanwhile.
        if (startup) void releaseStartupWorkspace(startup);
        return;
      }
      // Stored with bodies embedded, it moves to body documents first: what start-up loaded of it
      // is let go.
      const layout = await prepareBodiesLayout(id, async () => {
        if (startup) await releaseStartupWorkspace(startup);
        startup = null;
      });
      if (!asked()) {
        if (startup) void releaseStartupWorkspace(startup);
        return;
      }
      if (layout.problem) get().notify('warning', layout.problem);
      const session = openWorkspaceSession(
        id,
        profile,
        (snapshot) => {
          if (get().session === session) set({ snapshot });
        },
        startup,
        get().device,
        { bodyDocuments: layout.bodyDocuments },
      );
      set({ session });
      hintStartupWorkspace(id);
      saveActiveWorkspaceId(id).catch((error: unknown) => get().notify('warning', message(error)));
      const status = await session.ready;
      if (get().session !== session) return;
      set({ workspaceStatus: status, firstScreen: null });
      if (status.readOnly) get().notify('warning', status.reason);
      const docName = workspaceName(session.doc);
      if (entry.kind === 'personal' && docName === null && !status.readOnly)
        renameInDoc(session.doc, entry.name);
      else if (docName && docName !== entry.name) await updateEntry(get, id, { name: docName });
    },
    async reopenWorkspace(work) {
      const id = get().activeWorkspaceId;
      if (!id) return;
      const previous = get().session;
      set({
        session: null,
        workspaceStatus: { state: 'loading' },
        snapshot: null,
        firstScreen: null,
        selected: {},
      });
      await previous?.destroy();
      try {
        if (work) replaced = id;
        await work?.();
      } finally {
        await get().openWorkspace(id);
      }
    },
    async createWorkspace(name) {
      const parsed = WorkspaceName.safeParse(name);
      if (!parsed.success)
        return fail('invalid-input', parsed.error.issues[0]?.message ?? 'Invalid name.');
      const entry: WorkspaceEntry = {
        id: newId(),
        name: parsed.data,
        kind: 'local',
        createdAt: Date.now(),
        relays: [],
        turn: null,
      };
      await get().setWorkspaces((current) => [...current, entry]);
      await get().openWorkspace(entry.id);
      if (get().session?.id === entry.id) writeAs(get(), (doc) => renameInDoc(doc, entry.name));
      return ok(entry);
    },
    renameWorkspace(name) {
      const session = get().session;
      if (!session) return fail('closed', 'No workspace is open.');
      const renamed = writeAs(get(), (doc) => renameInDoc(doc, name));
      if (renamed.ok) void updateEntry(get, session.id, { name: renamed.value });
      return renamed;
    },
    setWorkspaces(update) {
      // One change at a time, each applied to the list as the previous one left it, and on disk
      // before it shows on screen: a team workspace's key must survive a crash.
      const run = listWrites.then(async () => {
        const workspaces = update(get().workspaces);
        try {
          await saveWorkspaces(workspaces);
        } catch (error) {
          get().notify('error', message(error));
        }
        set({ workspaces });
      });
      listWrites = run.catch(() => undefined);
      return run;
    },
  };
};

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function updateEntry(
  get: () => AppState,
  id: string,
  patch: Partial<WorkspaceEntry>,
): Promise<void> {
  return get().setWorkspaces((current) =>
    current.map((entry) => (entry.id === id ? { ...entry, ...patch } : entry)),
  );
}
