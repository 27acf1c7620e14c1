import { useShallow } from 'zustand/react/shallow';
import {
  Archive,
  NotebookPen,
  RefreshCw,
  Scale,
  Settings,
  Target,
  Timer,
  type LucideIcon,
} from 'lucide-react';
import { useAppStore, type Section } from '../store';
import { WorkspaceSwitcher } from './WorkspaceSwitcher';
import { SyncIndicator } from '../features/sync/SyncIndicator';

// Icons are SVG (lucide), not emoji: a desktop without a colour emoji font showed empty boxes.
export const NAV: ReadonlyArray<{ section: Section; label: string; icon: LucideIcon }> = [
  { section: 'notes', label: 'Notes', icon: NotebookPen },
  { section: 'goals', label: 'Goals', icon: Target },
  { section: 'decisions', label: 'Decisions', icon: Scale },
  { section: 'focus', label: 'Focus', icon: Timer },
  { section: 'sync', label: 'Sync', icon: RefreshCw },
  { section: 'settings', label: 'Settings', icon: Settings },
  { section: 'backups', label: 'Backups', icon: Archive },
];

const isMac = typeof navigator !== 'undefined' && /Mac/.test(navigator.platform);

/** The app's navigation: workspace switcher, sections with shortcuts, and who you are. */
export function Sidebar() {
  const section = useAppStore((state) => state.section);
  const setSection = useAppStore((state) => state.setSection);
  const profile = useAppStore((state) => state.profile);
  const counts = useAppStore(
    useShallow((state) => ({
      // No count while some notes are still being read (right after the first screen).
      notes: state.snapshot?.notes.unread
        ? undefined
        : state.snapshot?.notes.items.filter((n) => n.deletedAt === null && !n.archived).length,
      goals: state.snapshot?.goals.items.filter((g) => g.deletedAt === null && !g.archived).length,
      decisions: state.snapshot?.decisions.items.filter((d) => d.deletedAt === null && !d.archived)
        .length,
    })),
  );
  return (
    <aside className="sidebar">
      <WorkspaceSwitcher />
      <nav aria-label="Sections">
        <ul>
          {NAV.map((item, index) => {
            const count = counts[item.section as keyof typeof counts];
            return (
              <li key={item.section}>
                <button
                  type="button"
                  className="nav-item"
                  aria-current={section === item.section ? 'page' : undefined}
                  title={`${item.label} (${isMac ? '⌘' : 'Ctrl+'}${index + 1})`}
                  onClick={() => setSection(item.section)}
                >
                  <item.icon className="nav-icon" size={18} aria-hidden="true" />
                  {item.label}
                  {count !== undefined && count > 0 && <span className="count">{count}</span>}
                </button>
              </li>
            );
          })}
        </ul>
      </nav>
      <SyncIndicator />
      {profile && (
        <button
          type="button"
          className="sidebar-footer nav-item"
          onClick={() => setSection('settings')}
        >
          <span className="avatar" style={{ background: profile.color }} aria-hidden="true">
            {profile.displayName.charAt(0).toUpperCase()}
          </span>
          <span>{profile.displayName}</span>
        </button>
      )}
    </aside>
  );
}
