import { Suspense, lazy, useEffect, useSyncExternalStore } from 'react';
import { useAppStore, type Section } from './store';
import { SECTIONS, sectionFromHash } from './store/uiSlice';
import { Sidebar } from './components/Sidebar';
import { ShortcutSheet } from './components/ShortcutSheet';
import { SkipLink } from './components/SkipLink';
import { Notices } from './components/Notices';
import { Onboarding } from './components/Onboarding';
import { NotesView } from './features/notes/NotesView';
import { GoalsView } from './features/goals/GoalsView';
import { DecisionsView } from './features/decisions/DecisionsView';
import { useGoalReminders } from './features/goals/useGoalReminders';
import { useDecisionReminders } from './features/decisions/useDecisionReminders';
import { WorkspaceLoading } from './features/backups/WorkspaceLoading';
import type { RecordKind } from '../shared/schema/records';
import { useFocusStore } from './features/focus/focusStore';
import { useFocusPresence } from './features/focus/teamPresence';
import { useFocusFollowsProfileZone } from './features/focus/useOneTimeZone';
import { BreakScreen } from './features/focus/BreakScreen';
import { MicroBreakPrompt } from './features/focus/MicroBreakPrompt';
import { ZoneMovedPrompt } from './components/ZoneMovedPrompt';
import { SampleBanner } from './features/onboarding/SampleBanner';
import { useLayoutStore } from './components/layoutStore';
import { rememberTheme } from './platform/startupTheme';
import { LockScreen } from './features/lock/LockScreen';
import { PlainExportDialog } from './components/PlainExportDialog';
import { useLockStore } from './features/lock/lockStore';
import { useAppLock } from './features/lock/useAppLock';

const RECORD_SECTIONS: Partial<Record<Section, RecordKind>> = {
  notes: 'note',
  goals: 'goal',
  decisions: 'decision',
};
const NEW_TITLES: Record<RecordKind, string> = {
  note: '',
  goal: 'Untitled goal',
  decision: 'Untitled decision',
};

/** Follows the theme setting, or the OS when it is "system". */
function useTheme(): void {
  const theme = useAppStore((state) => state.settings?.theme ?? 'system');
  useEffect(() => {
    rememberTheme(theme);
    const media = window.matchMedia('(prefers-color-scheme: dark)');
    const apply = () => {
      const dark = theme === 'dark' || (theme === 'system' && media.matches);
      document.documentElement.dataset.theme = dark ? 'dark' : 'light';
    };
    apply();
    media.addEventListener('change', apply);
    return () => media.removeEventListener('change', apply);
  }, [theme]);
}

/**
 * Focuses the title of a record just created, once its detail is on screen (a section opened for
 * the first time shows it only after its code has loaded). What the person types before then is
 * kept and put into the title: someone who presses Ctrl+N and types at once, on a busy machine,
 * would otherwise lose the first letters to the page behind.
 */
function focusNewTitle(): void {
  let typed = '';
  const keep = (event: KeyboardEvent) => {
    if (event.key.length !== 1 || event.ctrlKey || event.metaKey || event.altKey) return;
    event.preventDefault();
    typed += event.key;
  };
  window.addEventListener('keydown', keep, true);
  const attempt = (tries: number) =>
    requestAnimationFrame(() => {
      const title = document.querySelector<HTMLInputElement>('.detail-title');
      if (!title && tries > 0) {
        attempt(tries - 1);
        return;
      }
      window.removeEventListener('keydown', keep, true);
      if (!title) return;
      title.focus();
      title.select();
      // As typing into the field would: replaces the selected default title, through the input
      // event the field's own handler saves.
      if (typed) document.execCommand('insertText', false, typed);
    });
  attempt(120);
}

/** Ctrl/Cmd+1…6 switch sections, Ctrl/Cmd+N creates in the current one; the hash follows. */
function useShortcuts(): void {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const mod = event.ctrlKey || event.metaKey;
      if (!mod || event.altKey || event.shiftKey) return;
      const state = useAppStore.getState();
      const index = Number(event.key) - 1;
      const section = SECTIONS[index];
      if (section) {
        event.preventDefault();
        state.setSection(section);
        return;
      }
      if (event.key.toLowerCase() === 'n') {
        const kind = RECORD_SECTIONS[state.section];
        if (!kind) return;
        event.preventDefault();
        const result = state.createRecord(kind, NEW_TITLES[kind]);
        if (!result.ok) state.notify('error', result.error.message);
        else focusNewTitle();
      }
    };
    const onHash = () => useAppStore.getState().setSection(sectionFromHash(window.location.hash));
    window.addEventListener('keydown', onKey);
    window.addEventListener('hashchange', onHash);
    return () => {
      window.removeEventListener('keydown', onKey);
      window.removeEventListener('hashchange', onHash);
    };
  }, []);
}

/*
 * The first bundle holds the shell and the three record sections (notes, goals, decisions), so
 * Ctrl+N followed by typing never races a section's code; their heavy parts (the TipTap editors,
 * recharts, MADR conversion) and the other sections load on first use or shortly after start-up,
 * so opening the app runs as little script as possible before the list paints.
 */
const FocusView = lazy(() =>
  import('./features/focus/FocusView').then((m) => ({ default: m.FocusView })),
);
const SyncView = lazy(() =>
  import('./features/sync/SyncView').then((m) => ({ default: m.SyncView })),
);
const SettingsView = lazy(() =>
  import('./features/settings/SettingsView').then((m) => ({ default: m.SettingsView })),
);
const BackupsView = lazy(() =>
  import('./features/backups/BackupsView').then((m) => ({ default: m.BackupsView })),
);
const CommandPalette = lazy(() =>
  import('./features/notes/CommandPalette').then((m) => ({ default: m.CommandPalette })),
);

/** Fetches every section's code once the first screen is up, so switching later is instant. */
function usePreloadSections(ready: boolean): void {
  useEffect(() => {
    if (!ready) return;
    const handle = setTimeout(() => {
      void import('./features/goals/ProgressChart');
      void import('./features/decisions/ContextEditor');
      void import('./features/focus/FocusView');
      void import('./features/sync/SyncView');
      void import('./features/settings/SettingsView');
      void import('./features/backups/BackupsView');
      void import('./features/notes/NoteEditor');
      void import('../shared/model/notesMarkdown');
    }, 300);
    return () => clearTimeout(handle);
  }, [ready]);
}

/** What a section shows while its code loads (a moment, the first time it is opened). */
function SectionLoading() {
  return (
    <div className="loading" role="status">
      Loading…
    </div>
  );
}

const VIEWS: Record<Section, React.ComponentType> = {
  notes: NotesView,
  goals: GoalsView,
  decisions: DecisionsView,
  focus: FocusView,
  sync: SyncView,
  settings: SettingsView,
  backups: BackupsView,
};

/**
 * The focus timer runs in the main process (or the web companion); the page follows it from boot,
 * whichever section is open, and keeps this person's focus status in the workspace's awareness.
 */
function useFocusTimer(): void {
  const shell = useAppStore((state) => state.appInfo?.shell);
  useEffect(() => {
    if (shell) void useFocusStore.getState().connect(shell);
  }, [shell]);
  useFocusPresence();
  useFocusFollowsProfileZone();
}

const NARROW = '(max-width: 860px)';
const subscribeNarrow = (callback: () => void) => {
  const media = window.matchMedia(NARROW);
  media.addEventListener('change', callback);
  return () => media.removeEventListener('change', callback);
};
const readNarrow = () => window.matchMedia(NARROW).matches;

/**
 * The shell's layout classes: the sidebar as a rail (collapsed, compact, or a window too narrow
 * for it beside a list and a 480 px editor), the list pane hidden, compact mode.
 */
function useLayoutClass(): string {
  const { sidebarCollapsed, listCollapsed, compact } = useLayoutStore();
  const narrow = useSyncExternalStore(subscribeNarrow, readNarrow);
  return [
    'app',
    (sidebarCollapsed || compact || narrow) && 'rail',
    narrow && 'narrow',
    listCollapsed && 'list-collapsed',
    compact && 'compact',
  ]
    .filter(Boolean)
    .join(' ');
}

export function App() {
  useTheme();
  useShortcuts();
  useFocusTimer();
  useGoalReminders();
  useDecisionReminders();
  useAppLock();
  const locked = useLockStore((state) => state.locked);
  const booted = useAppStore((state) => state.booted);
  const profile = useAppStore((state) => state.profile);
  const section = useAppStore((state) => state.section);
  const status = useAppStore((state) => state.workspaceStatus);
  // The notes list as stored last time, shown by the notes section while the workspace loads.
  const preview = useAppStore((state) => state.firstScreen !== null);
  usePreloadSections(status.state === 'ready');
  const layoutClass = useLayoutClass();

  // Locked, the page holds nothing of the workspace: the screens are not rendered at all (the
  // hooks above, reminders and the focus timer among them, and sync in the store keep running).
  if (locked) return <LockScreen />;
  if (!booted) {
    return (
      <>
        <div className="loading" role="status">
          Opening Outpost…
        </div>
        <Notices />
      </>
    );
  }
  if (!profile) {
    return (
      <>
        <Onboarding />
        <Notices />
      </>
    );
  }
  const View = VIEWS[section];
  return (
    <div className={layoutClass}>
      <SkipLink />
      <Sidebar />
      <main className="main" aria-busy={status.state === 'loading'}>
        <ZoneMovedPrompt />
        {status.state === 'ready' && !status.readOnly && <SampleBanner />}
        {status.state === 'ready' && status.readOnly && (
          <div className="read-only-banner" role="status">
            Read-only: {status.reason}
          </div>
        )}
        {status.state === 'loading' && !(preview && section === 'notes') ? (
          <WorkspaceLoading />
        ) : (
          <Suspense fallback={<SectionLoading />}>
            <View />
          </Suspense>
        )}
      </main>
      <Notices />
      <MicroBreakPrompt />
      <BreakScreen />
      <ShortcutSheet />
      <PlainExportDialog />
      {status.state === 'ready' && (
        <Suspense fallback={null}>
          <CommandPalette />
        </Suspense>
      )}
    </div>
  );
}
