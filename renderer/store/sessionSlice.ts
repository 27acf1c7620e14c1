import type { StateCreator } from 'zustand';
import { Profile } from '../../shared/schema/profile';
import { fail, ok, type Result } from '../../shared/result';
import { newId } from '../../shared/core/ids';
import {
  draftProfile,
  findIdentities,
  loadActiveWorkspaceId,
  loadProfile,
  loadWorkspaces,
  profileFromIdentity,
  saveProfile,
} from '../sync/localState';
import { bootCall, getOutpostApi } from '../platform/outpostApi';
import { loadDeviceIdentity } from '../sync/deviceIdentity';
import { deviceSigner } from '../../shared/protocol/identity';
import { upsertMember } from '../../shared/model';
import { writeAs } from './writeGateway';
import { takeStartupWorkspace } from '../sync/startupWorkspace';
import type { AppState, SessionSlice } from './types';

export const createSessionSlice: StateCreator<AppState, [], [], SessionSlice> = (set, get) => ({
  booted: false,
  profile: null,
  device: null,
  identityCandidates: [],
  appInfo: null,
  settings: null,
  async boot() {
    const api = getOutpostApi();
    // Everything boot needs, asked for at once: the main process and the device database answer
    // in parallel.
    const [info, settings, profile, workspaces, stored, identity] = await Promise.all([
      bootCall('app:getInfo'),
      bootCall('settings:get'),
      loadProfile(),
      loadWorkspaces(),
      loadActiveWorkspaceId(),
      loadDeviceIdentity().catch((error: unknown) => ({
        value: null,
        problem: `This device could not make its signing keys (${error instanceof Error ? error.message : String(error)}); your votes and check-ins will show as unsigned.`,
      })),
    ]);
    if (identity.problem) get().notify('warning', identity.problem);
    if (identity.value) set({ device: deviceSigner(identity.value) });
    if (info.ok) set({ appInfo: info.value });
    if (settings.ok) set({ settings: settings.value });
    else get().notify('warning', `Settings could not be loaded: ${settings.error.message}`);
    api.on('settings:changed', (next) => set({ settings: next }));

    if (profile.problem) get().notify('warning', profile.problem);
    if (workspaces.problem) get().notify('warning', workspaces.problem);
    // No profile but workspaces: offer the people they list, so this person keeps their member id.
    const identityCandidates =
      profile.value === null && workspaces.value.length > 0
        ? await findIdentities(workspaces.value)
        : [];
    set({
      profile: profile.value,
      workspaces: workspaces.value,
      identityCandidates,
      booted: true,
    });
    if (profile.value && workspaces.value.length > 0) {
      if (stored.problem) get().notify('warning', stored.problem);
      const active =
        workspaces.value.find((entry) => entry.id === stored.value) ?? workspaces.value[0]!;
      await get().openWorkspace(active.id);
    } else if (profile.value) {
      await get().openWorkspace(await addPersonalWorkspace(get));
    } else {
      // Onboarding or picking an identity first: nothing opens yet, so close what start-up opened.
      await takeStartupWorkspace(null);
    }
  },
  async completeOnboarding(input) {
    const parsed = Profile.safeParse({ ...draftProfile(), ...input });
    if (!parsed.success)
      return fail('invalid-input', parsed.error.issues[0]?.message ?? 'Invalid profile.');
    return startAs(set, get, parsed.data);
  },
  async recoverIdentity(memberId) {
    const candidate = get().identityCandidates.find((item) => item.memberId === memberId);
    const profile = candidate ? profileFromIdentity(candidate) : null;
    if (!profile)
      return fail('not-found', 'This person is not listed in the workspaces on this device.');
    return startAs(set, get, profile);
  },
  updateProfile(patch) {
    const current = get().profile;
    if (!current) return fail('no-profile', 'There is no profile yet.');
    const parsed = Profile.safeParse({ ...current, ...patch });
    if (!parsed.success)
      return fail('invalid-input', parsed.error.issues[0]?.message ?? 'Invalid profile.');
    saveProfile(parsed.data).catch((error: unknown) =>
      get().notify('error', error instanceof Error ? error.message : String(error)),
    );
    set({ profile: parsed.data });
    // Teammates see the new name and color in the open workspace and in presence right away.
    // Through the write gateway: a workspace still opening or read-only keeps the old entry.
    const written = writeAs(get(), (doc, ctx) =>
      ok(upsertMember(doc, parsed.data, Date.now(), ctx)),
    );
    const session = get().session;
    if (written.ok && session) {
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

/** Saves the profile (on disk before the app opens) and opens the person's workspace. */
async function startAs(
  set: (partial: Partial<AppState>) => void,
  get: () => AppState,
  profile: Profile,
): Promise<Result<Profile>> {
  try {
    await saveProfile(profile);
  } catch (error) {
    return fail('not-saved', error instanceof Error ? error.message : String(error));
  }
  const workspaces = get().workspaces;
  let open: string;
  if (workspaces.length === 0) {
    open = await addPersonalWorkspace(get);
  } else {
    // A person picking themselves after losing the profile lands where they left off.
    const stored = (await loadActiveWorkspaceId()).value;
    open = (
      workspaces.find((entry) => entry.id === stored) ??
      workspaces.find((entry) => entry.kind === 'personal') ??
      workspaces[0]!
    ).id;
  }
  // The profile brings up the app's sections, so it is set in the same step as the workspace to
  // open: set before the list write or the stored choice was read, the sidebar showed "No
  // workspace" for a moment after "Get started".
  set({ profile, identityCandidates: [] });
  await get().openWorkspace(open);
  return ok(profile);
}

/** Adds the personal workspace every person has (created on first run) to the list. */
async function addPersonalWorkspace(get: () => AppState): Promise<string> {
  const entry = {
    id: newId(),
    name: 'Personal',
    kind: 'personal' as const,
    createdAt: Date.now(),
    relays: [],
    turn: null,
  };
  await get().setWorkspaces(() => [entry]);
  return entry.id;
}
