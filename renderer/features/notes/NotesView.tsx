import { Suspense, lazy, useEffect, useRef, useState } from 'react';
import { Ellipsis, FileText, LayoutTemplate } from 'lucide-react';
import type { DamagedRecord, Note } from '../../../shared/schema/records';
import type { NotesIndexReader } from '../../../shared/model/notesLive';
import { useAppStore } from '../../store';
import { selectMembers } from '../../store/selectors';
import { RecordDetail } from '../../components/RecordDetail';
import { EmptyState } from '../../components/EmptyState';
import { TagEditor } from './TagEditor';
import { NoteList } from './NoteList';
import { NotePresence } from './NotePresence';
import { NoteCrossLinks } from './NoteCrossLinks';
import {
  allTemplates,
  createFromTemplate,
  deleteTemplate,
  duplicate,
  exportMarkdown,
  importMarkdown,
  openNote,
  saveAsTemplate,
  type ImportFile,
} from './notesActions';
import { useNotesStore } from './notesStore';
import { useReopenNote } from './useReopenNote';
import { HistoryEntry } from '../history/HistoryEntry';
import { startVaultImport, type PickedFile } from './vaultImportActions';
import { VaultImportDialog } from './VaultImportDialog';
import { EditorLoading } from './EditorLoading';
import { WorkspaceLoading } from '../backups/WorkspaceLoading';
import './notes.css';

/** The editor (TipTap/ProseMirror) loads when a note is first opened, not before the list paints. */
const LazyNoteEditor = lazy(() => import('./NoteEditor').then((m) => ({ default: m.NoteEditor })));

function NoteEditor(props: React.ComponentProps<typeof LazyNoteEditor>) {
  return (
    <Suspense fallback={<EditorLoading />}>
      <LazyNoteEditor {...props} />
    </Suspense>
  );
}

/**
 * A small popover menu that closes on Escape or a click outside. Its button shows `icon` when
 * given (named by `label` for assistive technology; `title` says more on hover), else `label`.
 */
function Menu({
  label,
  title,
  icon,
  disabled = false,
  children,
}: {
  label: string;
  title: string;
  icon?: React.ReactNode;
  disabled?: boolean;
  children: (close: () => void) => React.ReactNode;
}) {
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const onDown = (event: MouseEvent) => {
      if (!ref.current?.contains(event.target as Node)) setOpen(false);
    };
    const onKey = (event: KeyboardEvent) => event.key === 'Escape' && setOpen(false);
    document.addEventListener('mousedown', onDown);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('mousedown', onDown);
      document.removeEventListener('keydown', onKey);
    };
  }, [open]);
  return (
    <div className="menu-anchor" ref={ref}>
      <button
        type="button"
        className="button"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-label={icon ? label : undefined}
        disabled={disabled}
        title={disabled ? 'The notes are still opening' : title}
        onClick={() => setOpen(!open)}
      >
        {icon ?? label}
      </button>
      {open && !disabled && (
        <div className="popover-menu" role="menu">
          {children(() => setOpen(false))}
        </div>
      )}
    </div>
  );
}

function toImportFiles(list: FileList | null): ImportFile[] {
  return [...(list ?? [])].map((file) => ({
    name: file.name,
    size: file.size,
    bytes: async () => new Uint8Array(await file.arrayBuffer()),
  }));
}

/** A picked folder's files with their paths inside it (`webkitRelativePath`, folder name first). */
function toPickedFiles(list: FileList | null): PickedFile[] {
  return [...(list ?? [])].map((file) => ({
    path: file.webkitRelativePath || file.name,
    size: file.size,
    bytes: async () => new Uint8Array(await file.arrayBuffer()),
  }));
}

/** A hidden file input that the menu opens; hands over what was picked and clears itself. */
function HiddenPicker({
  inputRef,
  label,
  accept,
  onFiles,
}: {
  inputRef: React.RefObject<HTMLInputElement | null>;
  label: string;
  accept?: string;
  onFiles: (list: FileList | null) => void;
}) {
  return (
    <input
      ref={inputRef}
      type="file"
      multiple
      hidden
      aria-label={label}
      {...(accept ? { accept } : {})}
      onChange={(event) => {
        onFiles(event.target.files);
        event.target.value = '';
      }}
    />
  );
}

/**
 * The list's header. While the workspace opens (the list a stored preview) "+ New note" waits,
 * disabled and saying why (a click there would create nothing, and what was typed after it would
 * go nowhere), and so do import, export and templates, which need the notes. They are there,
 * disabled, so the header is laid out as it will be and the rows below do not move.
 */
function ListHeader({ onCreate, opening }: { onCreate: () => void; opening: boolean }) {
  const saved = useNotesStore((state) => state.savedTemplates);
  const items = useAppStore((state) => state.snapshot?.notes.items);
  const filesRef = useRef<HTMLInputElement>(null);
  const folderRef = useRef<HTMLInputElement>(null);
  const vaultRef = useRef<HTMLInputElement>(null);
  useEffect(() => {
    folderRef.current?.setAttribute('webkitdirectory', '');
    vaultRef.current?.setAttribute('webkitdirectory', '');
  }, [opening]);
  const create = (
    <button
      type="button"
      className="button primary"
      onClick={onCreate}
      disabled={opening}
      title={opening ? 'The notes are still opening' : 'New note (Ctrl+N)'}
    >
      + New note
    </button>
  );
  return (
    <div className="pane-header">
      <h1>Notes</h1>
      <Menu
        label="Import and export"
        title="Import and export"
        icon={<Ellipsis size={16} aria-hidden />}
        disabled={opening}
      >
        {(close) => (
          <>
            {(
              [
                ['Import Markdown files…', filesRef],
                ['Import a folder of Markdown…', folderRef],
                ['Import an Obsidian vault…', vaultRef],
              ] as const
            ).map(([label, ref]) => (
              <button
                key={label}
                type="button"
                role="menuitem"
                className="menu-item"
                onClick={() => {
                  close();
                  ref.current?.click();
                }}
              >
                {label}
              </button>
            ))}
            <button
              type="button"
              role="menuitem"
              className="menu-item"
              onClick={() => {
                close();
                const live = (items ?? []).filter((note) => note.deletedAt === null);
                void exportMarkdown(live.map((note) => note.id));
              }}
            >
              Export all notes as Markdown…
            </button>
          </>
        )}
      </Menu>
      <Menu
        label="Templates"
        title="New note from a template"
        icon={<LayoutTemplate size={16} aria-hidden />}
        disabled={opening}
      >
        {(close) =>
          allTemplates(saved).map((template) => (
            <div key={template.id} className="menu-row">
              <button
                type="button"
                role="menuitem"
                className="menu-item"
                onClick={() => {
                  close();
                  void createFromTemplate(template);
                }}
              >
                {template.name}
                {!template.builtIn && <span className="muted"> · yours</span>}
              </button>
              {!template.builtIn && (
                <button
                  type="button"
                  className="icon-button"
                  aria-label={`Delete template ${template.name}`}
                  onClick={() => deleteTemplate(template.id)}
                >
                  ✕
                </button>
              )}
            </div>
          ))
        }
      </Menu>
      {create}
      <HiddenPicker
        inputRef={filesRef}
        label="Markdown files to import"
        accept=".md,.markdown,.mdown,.txt,text/markdown,text/plain"
        onFiles={(list) => void importMarkdown(toImportFiles(list), false)}
      />
      <HiddenPicker
        inputRef={folderRef}
        label="Folder to import"
        onFiles={(list) => void importMarkdown(toImportFiles(list), true)}
      />
      <HiddenPicker
        inputRef={vaultRef}
        label="Obsidian vault to import"
        onFiles={(list) => void startVaultImport(toPickedFiles(list))}
      />
      <VaultImportDialog />
    </div>
  );
}

function Backlinks({ noteId, reader }: { noteId: string; reader: NotesIndexReader | undefined }) {
  const items = useAppStore((state) => state.snapshot?.notes.items);
  const sources = (reader?.backlinks(noteId) ?? [])
    .map((id) => items?.find((note) => note.id === id))
    .filter((note): note is Note => note !== undefined && note.deletedAt === null);
  return (
    <section className="backlinks" aria-label="Backlinks">
      <h2>Linked from {sources.length > 0 && <span className="count">{sources.length}</span>}</h2>
      {sources.length === 0 ? (
        <p className="muted">
          No other note links here yet. Type <kbd>[[</kbd> in another note to link to this one.
        </p>
      ) : (
        <ul>
          {sources.map((note) => (
            <li key={note.id}>
              <button type="button" className="backlink" onClick={() => openNote(note.id)}>
                <span className="record-title">← {note.title || 'Untitled'}</span>
                <span className="snippet">{reader?.snippet(note.id)}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function NoteActions({ note }: { note: Note }) {
  const [templateName, setTemplateName] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const notify = useAppStore((state) => state.notify);
  return (
    <div className="note-actions">
      <button type="button" className="button" onClick={() => void duplicate(note.id)}>
        Duplicate
      </button>
      <button type="button" className="button" onClick={() => void exportMarkdown([note.id])}>
        Export as Markdown
      </button>
      {templateName === null ? (
        <button type="button" className="button" onClick={() => setTemplateName(note.title)}>
          Save as template
        </button>
      ) : (
        <form
          className="inline-form"
          onSubmit={(event) => {
            event.preventDefault();
            void saveAsTemplate(note.id, templateName).then((saved) => {
              if (!saved.ok) return setError(saved.error.message);
              notify('info', `Saved the template “${saved.value.name}”.`);
              setTemplateName(null);
              setError(null);
            });
          }}
        >
          <input
            className="input"
            autoFocus
            aria-label="Template name"
            placeholder="Template name"
            value={templateName}
            onChange={(event) => setTemplateName(event.target.value)}
            onKeyDown={(event) => event.key === 'Escape' && setTemplateName(null)}
          />
          <button type="submit" className="button primary">
            Save template
          </button>
          {error && (
            <p className="field-error" role="alert">
              {error}
            </p>
          )}
        </form>
      )}
    </div>
  );
}

function DamagedNote({ record }: { record: DamagedRecord }) {
  return (
    <article className="detail" aria-label="note details">
      <h1 className="detail-title">{record.title ?? 'Damaged note'}</h1>
      <div className="notice-inline warning" role="alert">
        This note’s record is damaged ({record.problems.join('; ')}), so it opens read-only. Nothing
        was changed or removed; a teammate with a newer Outpost, or a backup, can repair it.
      </div>
      <NoteEditor noteId={record.id} mode="copy" editable={false} />
      <details className="damaged-preview">
        <summary>What is stored</summary>
        <code>{record.preview}</code>
      </details>
    </article>
  );
}

/** Notes: the team's written knowledge. */
export function NotesView() {
  const list = useAppStore((state) => state.snapshot?.notes);
  // Until the document is read, the list as stored last time (App shows it only then).
  const preview = useAppStore((state) => (state.snapshot ? null : state.firstScreen));
  const reader = useAppStore((state) => state.snapshot?.noteIndex);
  const members = useAppStore(selectMembers);
  const selectedId = useAppStore((state) => state.selected.note);
  const createRecord = useAppStore((state) => state.createRecord);
  const updateRecord = useAppStore((state) => state.updateRecord);
  const notify = useAppStore((state) => state.notify);
  const readOnly = useAppStore(
    (state) => state.workspaceStatus.state === 'ready' && state.workspaceStatus.readOnly,
  );
  const [justCreated, setJustCreated] = useState<string | null>(null);
  useReopenNote();
  // The title is selected only right after "+ New note", not when that note is opened again later
  // (by a link, say): selecting another note forgets which one was just created.
  useEffect(
    () =>
      useAppStore.subscribe((state, previous) => {
        const id = state.selected.note;
        if (id !== previous.selected.note)
          setJustCreated((current) => (current === id ? current : null));
      }),
    [],
  );

  const create = () => {
    const result = createRecord('note', '');
    if (result.ok) {
      setJustCreated(result.value.id);
      useAppStore.getState().setRecordView('note', 'active');
    } else notify('error', result.error.message);
  };
  const selected = list?.items.find((note) => note.id === selectedId);
  const damaged = selected ? undefined : list?.damaged.find((record) => record.id === selectedId);
  const problems = selected ? (reader?.bodyProblems(selected.id) ?? []) : [];

  return (
    <div className="split notes-split">
      <NoteList
        items={list?.items ?? []}
        unread={list?.unread ?? 0}
        damaged={list?.damaged ?? []}
        reader={reader}
        header={<ListHeader onCreate={create} opening={!list} />}
        preview={preview}
      />
      {!list ? (
        <WorkspaceLoading title="Opening…" />
      ) : selected ? (
        <RecordDetail
          key={selected.id}
          kind="note"
          noun="note"
          record={selected}
          members={members}
          autoFocusTitle={justCreated === selected.id}
          allowEmptyTitle
        >
          <div className="note-fields">
            <NotePresence noteId={selected.id} />
            <TagEditor
              tags={selected.tags}
              disabled={selected.deletedAt !== null || readOnly}
              onAdd={(tag) => updateRecord('note', selected.id, { addTags: [tag] })}
              onRemove={(tag) => updateRecord('note', selected.id, { removeTags: [tag] })}
            />
            <label className="toggle-row">
              <input
                type="checkbox"
                checked={selected.pinned}
                disabled={selected.deletedAt !== null || readOnly}
                onChange={(event) =>
                  updateRecord('note', selected.id, { pinned: event.target.checked })
                }
              />
              Pinned
            </label>
          </div>
          {selected.deletedAt !== null && (
            <div className="notice-inline" role="status">
              This note is in the trash. Restore it to edit it.
            </div>
          )}
          {problems.length > 0 && (
            <div className="notice-inline warning" role="alert">
              This note contains content this version of Outpost cannot show safely (
              {problems.join('; ')}
              ), so it opens read-only. Nothing was changed.
            </div>
          )}
          <NoteEditor
            key={`${selected.id}:${problems.length > 0 ? 'copy' : 'live'}`}
            noteId={selected.id}
            mode={problems.length > 0 ? 'copy' : 'live'}
            editable={!readOnly && selected.deletedAt === null && problems.length === 0}
          />
          <Backlinks noteId={selected.id} reader={reader} />
          <NoteCrossLinks noteId={selected.id} />
          {!readOnly && selected.deletedAt === null && <NoteActions note={selected} />}
          <HistoryEntry
            kind="note"
            recordId={selected.id}
            editable={!readOnly && selected.deletedAt === null && problems.length === 0}
            onCopied={(id) => openNote(id)}
          />
        </RecordDetail>
      ) : damaged ? (
        <DamagedNote key={damaged.id} record={damaged} />
      ) : (
        <EmptyState glyph={FileText} title="No note selected">
          Pick a note from the list, press Ctrl+N to start a new one, or Ctrl+K to jump to any note.
        </EmptyState>
      )}
    </div>
  );
}
