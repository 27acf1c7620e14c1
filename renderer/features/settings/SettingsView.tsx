import { useState } from 'react';
import { colorName } from '../../components/colorNames';
import { useSavedField } from '../../components/useSavedField';
import { ok } from '../../../shared/result';
import { PROFILE_COLORS } from '../../../shared/schema/profile';
import type { ThemePreference } from '../../../shared/ipc/contract';
import { useAppStore } from '../../store';
import { Field, FieldError } from '../../components/Field';
import { TimeZonePicker } from '../../components/TimeZonePicker';
import { AtRestCard } from './AtRestCard';
import { LockCard } from './LockCard';

const THEMES: ReadonlyArray<[ThemePreference, string]> = [
  ['system', 'System'],
  ['light', 'Light'],
  ['dark', 'Dark'],
];

/** Settings: who you are, how Outpost looks, this workspace, this device's data, and this app. */
export function SettingsView() {
  return (
    <div className="page">
      <h1>Settings</h1>
      <p className="lede">
        Stored on this device. Your name and color are shared with the people in your workspaces.
      </p>
      <ProfileCard />
      <AppearanceCard />
      <WorkspaceCard />
      <AtRestCard />
      <LockCard />
      <AboutCard />
    </div>
  );
}

function ProfileCard() {
  const profile = useAppStore((state) => state.profile);
  const updateProfile = useAppStore((state) => state.updateProfile);
  const name = useSavedField(profile?.displayName ?? '', (draft) => {
    const result = updateProfile({ displayName: draft });
    return result.ok ? ok(result.value.displayName) : result;
  });
  const [error, setError] = useState<string | null>(null);
  if (!profile) return null;
  const save = (patch: Parameters<typeof updateProfile>[0]) => {
    const result = updateProfile(patch);
    setError(result.ok ? null : result.error.message);
  };
  return (
    <section className="card" aria-labelledby="profile-heading">
      <h2 id="profile-heading">Your profile</h2>
      <Field id="profile-name" label="Name" error={name.error}>
        <input className="input" maxLength={60} {...name.props} />
      </Field>
      <div className="field">
        <span className="label" id="profile-color">
          Color
        </span>
        <div className="swatches" role="radiogroup" aria-labelledby="profile-color">
          {PROFILE_COLORS.map((color) => (
            <button
              key={color}
              type="button"
              role="radio"
              className="swatch"
              aria-checked={profile.color === color}
              aria-label={colorName(color)}
              style={{ background: color }}
              onClick={() => save({ color })}
            />
          ))}
        </div>
      </div>
      <TimeZonePicker
        id="profile-zone"
        label="Time zone"
        value={profile.timeZone}
        onChoose={(timeZone) => save({ timeZone })}
      />
      <p className="hint">
        Your one time zone: working hours, the focus timer, reminders, backups and every time
        Outpost shows use it. Teammates see your local time from it.
      </p>
      <FieldError message={error} />
    </section>
  );
}

function AppearanceCard() {
  const settings = useAppStore((state) => state.settings);
  const appInfo = useAppStore((state) => state.appInfo);
  const updateSettings = useAppStore((state) => state.updateSettings);
  const notify = useAppStore((state) => state.notify);
  if (!settings) return null;
  const update = async (patch: Parameters<typeof updateSettings>[0]) => {
    const result = await updateSettings(patch);
    if (!result.ok) notify('error', result.error.message);
  };
  return (
    <section className="card" aria-labelledby="appearance-heading">
      <h2 id="appearance-heading">Appearance and behaviour</h2>
      <div className="field">
        <span className="label" id="theme-label">
          Theme
        </span>
        <div className="segmented" role="radiogroup" aria-labelledby="theme-label">
          {THEMES.map(([value, label]) => (
            <button
              key={value}
              type="button"
              role="radio"
              aria-checked={settings.theme === value}
              onClick={() => void update({ theme: value })}
            >
              {label}
            </button>
          ))}
        </div>
      </div>
      {appInfo?.shell === 'electron' && (
        <label className="toggle-row">
          <input
            type="checkbox"
            checked={settings.closeToTray}
            onChange={(event) => void update({ closeToTray: event.target.checked })}
          />
          Keep Outpost running in the tray when the window is closed (timers and sync continue)
        </label>
      )}
    </section>
  );
}

function WorkspaceCard() {
  const workspaces = useAppStore((state) => state.workspaces);
  const activeId = useAppStore((state) => state.activeWorkspaceId);
  const renameWorkspace = useAppStore((state) => state.renameWorkspace);
  const active = workspaces.find((workspace) => workspace.id === activeId);
  const name = useSavedField(active?.name ?? '', renameWorkspace);
  if (!active) return null;
  return (
    <section className="card" aria-labelledby="workspace-heading">
      <h2 id="workspace-heading">This workspace</h2>
      <Field id="workspace-name" label="Name">
        <input className="input" maxLength={80} {...name.props} />
      </Field>
      <FieldError message={name.error} />
    </section>
  );
}

function AboutCard() {
  const appInfo = useAppStore((state) => state.appInfo);
  if (!appInfo) return null;
  return (
    <section className="card" aria-labelledby="about-heading">
      <h2 id="about-heading">About</h2>
      <dl className="kv">
        <dt>Version</dt>
        <dd>
          {appInfo.name} {appInfo.version}
        </dd>
        <dt>Running as</dt>
        <dd>
          {appInfo.shell === 'electron' ? 'Desktop app' : 'Web app (with the local companion)'}
        </dd>
        <dt>Platform</dt>
        <dd>{appInfo.platform}</dd>
        <dt>Telemetry</dt>
        <dd>None. Outpost has no account and sends nothing to anyone but your teammates.</dd>
      </dl>
    </section>
  );
}
