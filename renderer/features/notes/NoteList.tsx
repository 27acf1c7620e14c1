/**
 * The notes list: view tabs, full-text search with highlighted hits, a tag filter, and a list
 * virtualized with @tanstack/react-virtual (only the rows on screen exist), so 10,000 notes scroll
 * smoothly. Pinned notes come first, then the most recently edited.
 *
 * While the workspace is still being read, the list can show its first screen as this device
 * stored it (`preview`): the same rows, marked as a preview (`data-preview`, `aria-busy`), which
 * can be selected (the note opens once the document is read); search waits and says so.
 */
import { useMemo, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { Archive, NotebookPen, Pin, Search, Trash2 } from 'lucide-react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { DamagedRecord, Note } from '../../../shared/schema/records';
import type { Highlighted, NoteSearchHit } from '../../../shared/model/notesSearch';
import type { NotesIndexReader } from '../../../shared/model/notesLive';
import { pinnedFirst, tagBar, type FirstScreen } from '../../../shared/model/notesFirstScreen';
import { useAppStore } from '../../store';
import { EmptyState } from '../../components/EmptyState';
import { timeAgo } from '../../components/time';
import { emptyTrash, openNote } from './notesActions';
import { useNotesStore } from './notesStore';
import { RECORD_VIEWS, inView } from '../../components/recordViews';

const ROW_HEIGHT = 72;
/** Tag chips shown before "+N more" (the most used first). */
const TAGS_SHOWN = 8;
/** Search hits listed, best first. */
const HITS_SHOWN = 100;

/** Renders highlighted text with <mark> around the matches. */
export function Marked({ parts }: { parts: Highlighted }) {
  return (
    <>
      {parts.map((part, index) =>
        part.match ? <mark key={index}>{part.text}</mark> : <span key={index}>{part.text}</span>,
      )}
    </>
  );
}

interface NoteListProps {
  readonly items: readonly Note[];
  /** Notes not read yet (just after start-up): `items` is the start of the list. */
  readonly unread: number;
  readonly damaged: readonly DamagedRecord[];
  readonly reader: NotesIndexReader | undefined;
  readonly header: ReactNode;
  /** The first screen stored last time, shown while the workspace is read (null: the real list). */
  readonly preview?: FirstScreen | null;
}

/** What a row shows: a note, or a stored row of the first screen (which carries its snippet). */
type ListRow = Pick<Note, 'id' | 'title' | 'pinned' | 'updatedAt'> & {
  readonly tags: readonly string[];
  readonly snippet?: string;
};

export function NoteList({ items, unread, damaged, reader, header, preview }: NoteListProps) {
  const view = useAppStore((state) => state.recordView.note);
  const setView = useAppStore((state) => state.setRecordView);
  const selectedId = useAppStore((state) => state.selected.note);
  const select = useAppStore((state) => state.select);
  const tagFilter = useNotesStore((state) => state.tagFilter);
  const setTagFilter = useNotesStore((state) => state.setTagFilter);
  const [query, setQuery] = useState('');
  const [confirmEmpty, setConfirmEmpty] = useState(false);
  const [allTags, setAllTags] = useState(false);
  const scrollRef = useRef<HTMLDivElement>(null);

  const inThisView = useMemo(() => items.filter((note) => inView(note, view)), [items, view]);
  const listTags = useMemo(() => tagBar(inThisView), [inThisView]);
  // The preview's tag bar is the default view's, as its rows are: the rows then sit where the
  // list's will, rather than jumping down under the bar when the list is read.
  const tags = preview ? (view === 'active' ? preview.tags : []) : listTags;
  const visible = useMemo(() => {
    const shown = tagFilter
      ? inThisView.filter((note) => note.tags.includes(tagFilter))
      : inThisView;
    // Pinned first, each part keeping the snapshot's newest-first order.
    return pinnedFirst(shown);
  }, [inThisView, tagFilter]);
  // The stored rows are those of the default view (active, no tag filter); other views wait.
  const previewShown = preview ? (view === 'active' && !tagFilter ? preview.rows : []) : null;
  const rows: readonly ListRow[] = previewShown ?? visible;
  const setSize = preview && previewShown ? preview.total : visible.length;

  const hits: NoteSearchHit[] | null = useMemo(
    () => (query.trim() && reader ? reader.search(query, HITS_SHOWN) : null),
    [query, reader],
  );

  // The virtualizer re-renders this component itself; nothing it returns is memoized below.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
  });

  const move = (event: KeyboardEvent<HTMLDivElement>) => {
    if (!['ArrowDown', 'ArrowUp', 'Home', 'End'].includes(event.key) || rows.length === 0) return;
    event.preventDefault();
    const index = rows.findIndex((note) => note.id === selectedId);
    let next = index;
    if (event.key === 'ArrowDown') next = Math.min(rows.length - 1, index + 1);
    if (event.key === 'ArrowUp') next = Math.max(0, index - 1);
    if (event.key === 'Home') next = 0;
    if (event.key === 'End') next = rows.length - 1;
    const target = rows[next];
    if (!target) return;
    select('note', target.id);
    virtualizer.scrollToIndex(next);
    requestAnimationFrame(() =>
      scrollRef.current?.querySelector<HTMLButtonElement>(`[data-id="${target.id}"]`)?.focus(),
    );
  };

  const trashCount = view === 'trash' ? inThisView.length : 0;
  const indexing = reader && reader.indexed < reader.total;

  return (
    <section className="list-pane notes-list" aria-label="Notes">
      {header}
      <div className="tabs" role="tablist" aria-label="Notes views">
        {RECORD_VIEWS.map(([id, label]) => (
          <button
            key={id}
            type="button"
            role="tab"
            className="tab"
            aria-selected={view === id}
            onClick={() => {
              setView('note', id);
              setConfirmEmpty(false);
            }}
          >
            {label}
          </button>
        ))}
      </div>
      <input
        className="input filter"
        type="search"
        placeholder="Search all notes"
        aria-label="Search notes"
        value={query}
        onChange={(event) => setQuery(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === 'Escape') setQuery('');
          if (event.key === 'Enter' && hits?.[0]) openNote(hits[0].id);
        }}
      />
      {!hits && tags.length > 0 && (
        <div className="tag-filter" aria-label="Filter by tag">
          {(allTags ? tags : tags.slice(0, TAGS_SHOWN)).map(([tag, count]) => (
            <button
              key={tag}
              type="button"
              className="chip"
              aria-pressed={tagFilter === tag}
              onClick={() => setTagFilter(tagFilter === tag ? null : tag)}
              title={`${count} note${count === 1 ? '' : 's'}`}
            >
              #{tag}
            </button>
          ))}
          {tags.length > TAGS_SHOWN && (
            <button
              type="button"
              className="chip more"
              aria-expanded={allTags}
              onClick={() => setAllTags(!allTags)}
            >
              {allTags ? 'Fewer tags' : `+${tags.length - TAGS_SHOWN} more`}
            </button>
          )}
        </div>
      )}
      {!hits &&
        tagFilter &&
        !(allTags ? tags : tags.slice(0, TAGS_SHOWN)).some(([tag]) => tag === tagFilter) && (
          <button type="button" className="chip" aria-pressed onClick={() => setTagFilter(null)}>
            #{tagFilter} ✕
          </button>
        )}
      {view === 'trash' && trashCount > 0 && !hits && (
        <div className="trash-bar">
          <span>
            {trashCount} note{trashCount === 1 ? '' : 's'} in the trash
          </span>
          <button
            type="button"
            className="button danger"
            onClick={() => {
              if (!confirmEmpty) return setConfirmEmpty(true);
              void emptyTrash();
              setConfirmEmpty(false);
            }}
          >
            {confirmEmpty ? 'Click again to delete forever' : 'Empty trash'}
          </button>
        </div>
      )}
      {damaged.length > 0 && !hits && (
        <div className="damaged" role="status">
          <strong>
            {damaged.length} damaged note{damaged.length === 1 ? '' : 's'}
          </strong>{' '}
          — open to read; nothing was changed.
          <ul className="damaged-list">
            {damaged.map((record) => (
              <li key={record.id}>
                <button
                  type="button"
                  className="link-button"
                  onClick={() => select('note', record.id)}
                >
                  ⚠ {record.title ? `“${record.title}”` : `${record.id.slice(0, 8)}…`}{' '}
                  {record.problems[0]}
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
      {preview && query.trim() && (
        <p className="search-count" role="status">
          Search answers as soon as the notes are open…
        </p>
      )}
      {hits ? (
        hits.length === 0 ? (
          <EmptyState glyph={Search} title={`Nothing found for “${query}”`}>
            {indexing
              ? `Still reading notes (${reader?.indexed} of ${reader?.total}); try again in a moment.`
              : 'Try another word, or fewer words.'}
          </EmptyState>
        ) : (
          <>
            <p className="search-count" role="status">
              {hits.length === HITS_SHOWN
                ? `The ${HITS_SHOWN} best matches`
                : `${hits.length} ${hits.length === 1 ? 'note matches' : 'notes match'}`}
              {indexing && ` · still reading notes (${reader?.indexed} of ${reader?.total})`}
            </p>
            <ul className="search-hits" role="listbox" aria-label="Search results">
              {hits.map((hit) => (
                <li key={hit.id} role="presentation">
                  <button
                    type="button"
                    role="option"
                    aria-selected={hit.id === selectedId}
                    className="record-item"
                    onClick={() => openNote(hit.id)}
                  >
                    <div className="record-title">
                      {hit.title.length ? <Marked parts={hit.title} /> : 'Untitled'}
                    </div>
                    <div className="snippet">
                      <Marked parts={hit.excerpt} />
                    </div>
                  </button>
                </li>
              ))}
            </ul>
          </>
        )
      ) : rows.length === 0 ? (
        unread > 0 || preview ? null : view === 'active' && !tagFilter ? (
          <EmptyState glyph={NotebookPen} title="No notes yet">
            Write things down instead of calling a meeting: plans, updates, how-tos. Start with a
            template, or press Ctrl+N.
          </EmptyState>
        ) : view === 'trash' ? (
          <EmptyState glyph={Trash2} title="Trash is empty">
            Notes you move to the trash stay here until you delete them forever.
          </EmptyState>
        ) : (
          <EmptyState
            glyph={Archive}
            title={tagFilter ? `No notes tagged #${tagFilter} here` : 'No archived notes'}
          >
            {tagFilter
              ? 'Clear the tag filter to see every note.'
              : 'Archive a note to keep it out of the way without deleting it.'}
          </EmptyState>
        )
      ) : (
        <div
          className="virtual-scroll"
          ref={scrollRef}
          role="listbox"
          aria-label="Notes list"
          {...(preview ? { 'data-preview': '', 'aria-busy': true } : {})}
          onKeyDown={move}
        >
          <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {virtualizer.getVirtualItems().map((row) => {
              const note = rows[row.index]!;
              const snippet = note.snippet ?? reader?.snippet(note.id) ?? '';
              return (
                <button
                  key={note.id}
                  type="button"
                  role="option"
                  className="record-item note-row"
                  data-id={note.id}
                  aria-selected={note.id === selectedId}
                  aria-posinset={row.index + 1}
                  aria-setsize={setSize}
                  tabIndex={note.id === selectedId || (!selectedId && row.index === 0) ? 0 : -1}
                  style={{
                    position: 'absolute',
                    top: 0,
                    left: 0,
                    right: 0,
                    height: ROW_HEIGHT,
                    transform: `translateY(${row.start}px)`,
                  }}
                  onClick={() => select('note', note.id)}
                >
                  <div className={note.title ? 'record-title' : 'record-title untitled'}>
                    {note.pinned && (
                      <Pin className="pin" size={13} aria-label="Pinned" role="img" />
                    )}
                    {note.title || 'Untitled'}
                  </div>
                  <div className="snippet">
                    {/* Bodies are read once the notes reader has loaded: until then, no claim. */}
                    {snippet || ((reader || preview) && <span className="muted">Empty note</span>)}
                  </div>
                  <div className="record-meta">
                    <span>{timeAgo(note.updatedAt)}</span>
                    {note.tags.slice(0, 4).map((tag) => (
                      <span key={tag}>#{tag}</span>
                    ))}
                  </div>
                </button>
              );
            })}
          </div>
        </div>
      )}
    </section>
  );
}
