import { useMemo, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { Archive, Search, Trash2, type LucideIcon } from 'lucide-react';
import type { DamagedRecord, RecordKind } from '../../shared/schema/records';
import { useAppStore } from '../store';
import { DamagedRecords } from './DamagedRecords';
import { EmptyState } from './EmptyState';
import { RECORD_VIEWS, inView } from './recordViews';

export interface ListRecord {
  readonly id: string;
  readonly title: string;
  readonly archived: boolean;
  readonly deletedAt: number | null;
  readonly updatedAt: number;
}

interface RecordListPaneProps<T extends ListRecord> {
  readonly kind: RecordKind;
  readonly heading: string;
  readonly noun: string;
  readonly items: readonly T[];
  readonly damaged: readonly DamagedRecord[];
  readonly renderMeta: (item: T) => ReactNode;
  readonly onCreate: () => void;
  readonly emptyGlyph: LucideIcon;
  readonly emptyText: string;
  readonly order?: (a: T, b: T) => number;
  /** Extra controls under the view tabs (a section's own filters or actions). */
  readonly toolbar?: ReactNode;
  /** A section's own filter on top of the view and title filter (e.g. "needs my vote"). */
  readonly filterItem?: (item: T) => boolean;
  /** Shown instead of the list when `filterItem` leaves nothing. */
  readonly filteredEmpty?: ReactNode;
}

/** The list half of a section: view tabs, a title filter, keyboard navigation, damaged records. */
export function RecordListPane<T extends ListRecord>(props: RecordListPaneProps<T>) {
  const {
    kind,
    heading,
    noun,
    items,
    damaged,
    renderMeta,
    onCreate,
    emptyGlyph,
    emptyText,
    order,
    toolbar,
    filterItem,
    filteredEmpty,
  } = props;
  const view = useAppStore((state) => state.recordView[kind]);
  const setView = useAppStore((state) => state.setRecordView);
  const selectedId = useAppStore((state) => state.selected[kind]);
  const select = useAppStore((state) => state.select);
  const [filter, setFilter] = useState('');
  const listRef = useRef<HTMLUListElement>(null);

  const visible = useMemo(() => {
    const needle = filter.trim().toLowerCase();
    const shown = items.filter(
      (item) =>
        inView(item, view) &&
        (!needle || item.title.toLowerCase().includes(needle)) &&
        (!filterItem || filterItem(item)),
    );
    return order ? [...shown].sort(order) : shown;
  }, [items, view, filter, order, filterItem]);

  const moveSelection = (event: KeyboardEvent<HTMLUListElement>) => {
    if (
      event.key !== 'ArrowDown' &&
      event.key !== 'ArrowUp' &&
      event.key !== 'Home' &&
      event.key !== 'End'
    )
      return;
    event.preventDefault();
    if (visible.length === 0) return;
    const index = visible.findIndex((item) => item.id === selectedId);
    let next = index;
    if (event.key === 'ArrowDown') next = Math.min(visible.length - 1, index + 1);
    if (event.key === 'ArrowUp') next = Math.max(0, index - 1);
    if (event.key === 'Home') next = 0;
    if (event.key === 'End') next = visible.length - 1;
    const target = visible[next];
    if (!target) return;
    select(kind, target.id);
    listRef.current?.querySelector<HTMLButtonElement>(`[data-id="${target.id}"]`)?.focus();
  };

  const total = items.filter((item) => inView(item, view)).length;

  return (
    <section className="list-pane" aria-label={heading}>
      <div className="pane-header">
        <h1>{heading}</h1>
        <button
          type="button"
          className="button primary"
          onClick={onCreate}
          title={`New ${noun} (Ctrl+N)`}
        >
          + New {noun}
        </button>
      </div>
      <div className="tabs" role="tablist" aria-label={`${heading} views`}>
        {RECORD_VIEWS.map(([id, label]) => (
          <button
            key={id}
            type="button"
            role="tab"
            className="tab"
            aria-selected={view === id}
            onClick={() => setView(kind, id)}
          >
            {label}
          </button>
        ))}
      </div>
      {toolbar}
      {total > 0 && (
        <input
          className="input filter"
          type="search"
          placeholder={`Filter ${heading.toLowerCase()} by title`}
          aria-label={`Filter ${heading.toLowerCase()} by title`}
          value={filter}
          onChange={(event) => setFilter(event.target.value)}
        />
      )}
      <DamagedRecords records={damaged} noun={noun} />
      {visible.length === 0 ? (
        total > 0 && filterItem && filteredEmpty && !filter.trim() ? (
          filteredEmpty
        ) : total > 0 ? (
          <EmptyState glyph={Search} title={`No ${noun}s match “${filter}”`}>
            Try another word, or clear the filter.
          </EmptyState>
        ) : view === 'active' ? (
          <EmptyState
            glyph={emptyGlyph}
            title={`No ${noun}s yet`}
            action={
              <button type="button" className="button primary" onClick={onCreate}>
                Create the first {noun}
              </button>
            }
          >
            {emptyText}
          </EmptyState>
        ) : (
          <EmptyState
            glyph={view === 'trash' ? Trash2 : Archive}
            title={view === 'trash' ? 'Trash is empty' : `No archived ${noun}s`}
          >
            {view === 'trash'
              ? `${noun.charAt(0).toUpperCase() + noun.slice(1)}s you move to the trash stay here until you delete them forever.`
              : `Archive a ${noun} to keep it out of the way without deleting it.`}
          </EmptyState>
        )
      ) : (
        <ul
          className="record-list"
          role="listbox"
          aria-label={`${heading} list`}
          ref={listRef}
          onKeyDown={moveSelection}
        >
          {visible.map((item) => (
            <li key={item.id} role="presentation">
              <button
                type="button"
                role="option"
                className="record-item"
                data-id={item.id}
                aria-selected={item.id === selectedId}
                tabIndex={item.id === selectedId || (!selectedId && item === visible[0]) ? 0 : -1}
                onClick={() => select(kind, item.id)}
              >
                <div className={item.title ? 'record-title' : 'record-title untitled'}>
                  {item.title || 'Untitled'}
                </div>
                <div className="record-meta">{renderMeta(item)}</div>
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
