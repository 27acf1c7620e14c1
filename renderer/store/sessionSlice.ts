import type { StateCreator } from 'zustand';
import { Profile } from '../../shared/schema/profile';
import { fail, ok } from '../../shared/result';
import { newId } from '../../shared/model/ids';
import {
  draftProfile,
  loadActiveWorkspaceId,
  loadProfile,
  loadWorkspaces,
  saveProfile,
  saveWorkspaces,
} from '../sync/localState';
import { getOutpostApi } from '../platform/outpostApi';
import { upsertMember } from '../../shared/model';
import { activeSession } from './workspaceSlice';
import type { AppState, SessionSlice } from './types';

export const createSessionSlice: StateCreator<AppState, [], [], SessionSlice> = (set, get) => ({
  booted: false,
  profile: null,
  appInfo: null,
  settings: null,
  async boot() {
    const api = getOutpostApi();
    const [info, settings] = await Promise.all([
      api.invoke('app:getInfo', undefined),
      api.invoke('settings:get', undefined),
    ]);
    if (info.ok) set({ appInfo: info.value });
    if (settings.ok) set({ settings: settings.value });
    else get().notify('warning', `Settings could not be loaded: ${settings.error.message}`);
    api.on('settings:changed', (next) => set({ settings: next }));

    const profile = loadProfile();
    if (profile.problem) get().notify('warning', profile.problem);
    const workspaces = await loadWorkspaces();
    if (workspaces.problem) get().notify('warning', workspaces.problem);
    set({ profile: profile.value, workspaces: workspaces.value, booted: true });
    if (profile.value && workspaces.value.length > 0) {
      const stored = loadActiveWorkspaceId();
      const active = workspaces.value.find((entry) => entry.id === stored) ?? workspaces.value[0]!;
      await get().openWorkspace(active.id);
    } else if (profile.value) {
      await createPersonalWorkspace(set, get);
    }
  },
  async completeOnboarding(input) {
    const parsed = Profile.safeParse({ ...draftProfile(), ...input });
    if (!parsed.success)
      return fail('invalid-input', parsed.error.issues[0]?.message ?? 'Invalid profile.');
    saveProfile(parsed.data);
    set({ profile: parsed.data });
    if (get().workspaces.length === 0) await createPersonalWorkspace(set, get);
    else await get().openWorkspace(get().workspaces[0]!.id);
    return ok(parsed.data);
  },
  updateProfile(patch) {
    const current = get().profile;
    if (!current) return fail('no-profile', 'There is no profile yet.');
    const parsed = Profile.safeParse({ ...current, ...patch });
    if (!parsed.success)
      return fail('invalid-input', parsed.error.issues[0]?.message ?? 'Invalid profile.');
    saveProfile(parsed.data);
    set({ profile: parsed.data });
    // Teammates see the new name and color in the open workspace and in presence right away.
    const session = activeSession();
    const status = get().workspaceStatus;
    if (session && status.state === 'ready' && !status.readOnly) {
      upsertMember(session.doc, parsed.data);
      session.awareness.setLocalStateField('user', {
        id: parsed.data.memberId,
        name: parsed.data.displayName,
        color: parsed.data.color,
      });
    }
    return ok(parsed.data);
  },
  async updateSettings(patch) {
    const result = await getOutpostApi().invoke('settings:update', patch);
    if (result.ok) set({ settings: result.value });
    return result;
  },
});

/** The personal workspace every person has, created on first run. */
async function createPersonalWorkspace(
  set: (partial: Partial<AppState>) => void,
  get: () => AppState,
): Promise<void> {
  const entry = { id: newId(), name: 'Personal', kind: 'personal' as const, createdAt: Date.now() };
  saveWorkspaces([entry]);
  set({ workspaces: [entry] });
  await get().openWorkspace(entry.id);
}
