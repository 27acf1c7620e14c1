import { useShallow } from 'zustand/react/shallow';
import {
  Archive,
  Columns2,
  NotebookPen,
  PanelLeftClose,
  PanelLeftOpen,
  Shrink,
  Expand,
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
import { SidebarTimer } from '../features/focus/SidebarTimer';
import { useLayoutStore } from './layoutStore';

/** Sections that show a list beside the open record, whose list can be hidden. */
const LIST_SECTIONS: ReadonlySet<Section> = new Set(['notes', 'goals', 'decisions']);

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

/**
 * The app's navigation: workspace switcher, the timer, sections with shortcuts, the layout
 * controls and who you are. Collapsed (or in compact mode) it is a rail of icons, each named by
 * its tooltip and accessible name.
 */
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
      <SidebarTimer />
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
                  <span className="nav-label">{item.label}</span>
                  {count !== undefined && count > 0 && <span className="count">{count}</span>}
                </button>
              </li>
            );
          })}
        </ul>
      </nav>
      <SyncIndicator />
      <LayoutControls section={section} />
      {profile && (
        <button
          type="button"
          className="sidebar-footer nav-item"
          onClick={() => setSection('settings')}
        >
          <span className="avatar" style={{ background: profile.color }} aria-hidden="true">
            {profile.displayName.charAt(0).toUpperCase()}
          </span>
          <span className="nav-label">{profile.displayName}</span>
        </button>
      )}
    </aside>
  );
}

/** Rail or full sidebar, list pane shown or hidden, compact mode: remembered on this device. */
function LayoutControls({ section }: { readonly section: Section }) {
  const layout = useLayoutStore();
  const railed = layout.sidebarCollapsed || layout.compact;
  return (
    <div className="layout-controls" role="group" aria-label="Layout">
      <button
        type="button"
        className="nav-item collapse-sidebar"
        aria-pressed={layout.sidebarCollapsed}
        disabled={layout.compact}
        title={railed ? 'Show the full sidebar' : 'Collapse the sidebar to icons'}
        aria-label={railed ? 'Show the full sidebar' : 'Collapse sidebar'}
        onClick={layout.toggleSidebar}
      >
        {railed ? (
          <PanelLeftOpen className="nav-icon" size={18} aria-hidden="true" />
        ) : (
          <PanelLeftClose className="nav-icon" size={18} aria-hidden="true" />
        )}
        <span className="nav-label">{railed ? 'Show the full sidebar' : 'Collapse sidebar'}</span>
      </button>
      {LIST_SECTIONS.has(section) && (
        <button
          type="button"
          className="nav-item"
          aria-pressed={layout.listCollapsed}
          disabled={layout.compact}
          title={layout.listCollapsed || layout.compact ? 'Show the list' : 'Hide the list'}
          aria-label="Hide the list"
          onClick={layout.toggleList}
        >
          <Columns2 className="nav-icon" size={18} aria-hidden="true" />
          <span className="nav-label">Hide the list</span>
        </button>
      )}
      <button
        type="button"
        className="nav-item"
        aria-pressed={layout.compact}
        title={
          layout.compact
            ? 'Leave compact mode'
            : 'Compact mode: a narrow window beside a call (icons only, no list)'
        }
        aria-label="Compact mode"
        onClick={layout.toggleCompact}
      >
        {layout.compact ? (
          <Expand className="nav-icon" size={18} aria-hidden="true" />
        ) : (
          <Shrink className="nav-icon" size={18} aria-hidden="true" />
        )}
        <span className="nav-label">Compact mode</span>
      </button>
    </div>
  );
}
