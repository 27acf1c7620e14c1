/**
 * The note body editor: TipTap (ProseMirror) bound to the note's Y.XmlFragment with TipTap's
 * Collaboration extension, so every keystroke is a Yjs change that merges with peers; undo/redo
 * come from Yjs's UndoManager and only undo this person's own changes; remote cursors come from
 * the workspace's awareness (CollaborationCaret). See docs/PROTOCOL.md §1.4.1 for the body layout.
 * Where bodies are documents of their own (schema 2, §1.4.2) the body is loaded first and held
 * while the note is open (useNoteBody.ts); the editor exists only once its text is there.
 */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Link } from 'lucide-react';
import { EditorContent, useEditor, useEditorState, type Editor } from '@tiptap/react';
import StarterKit from '@tiptap/starter-kit';
import { TaskItem, TaskList } from '@tiptap/extension-list';
import { Placeholder } from '@tiptap/extensions';
import { TableKit } from '@tiptap/extension-table';
import Collaboration from '@tiptap/extension-collaboration';
import CollaborationCaret from '@tiptap/extension-collaboration-caret';
import { yUndoPluginKey } from '@tiptap/y-tiptap';
import { remoteChangesOnly } from './caretAwareness';
import { ySyncPluginKey } from '@tiptap/y-tiptap';
import * as Y from 'yjs';
import { resolveNoteLink, safeLinkUrl, suggestNotes } from '../../../shared/model/notesLinks';
import type { Note } from '../../../shared/schema/records';
import { useAppStore } from '../../store';
import { getOutpostApi } from '../../platform/outpostApi';
import { NoteLink, type LinkChoice } from './noteLinkExtension';
import { AttachmentImage } from './attachmentImage';
import { TableTools } from './TableTools';
import { useNotesStore } from './notesStore';
import { createLinkedNote, markEdited, openNote, workspaceAwareness } from './notesActions';
import { useNoteBody } from './useNoteBody';
import { EditorLoading } from './EditorLoading';

interface NoteEditorProps {
  readonly noteId: string;
  /** `live` edits the shared body; `copy` shows a detached copy read-only (damaged content). */
  readonly mode: 'live' | 'copy';
  readonly editable: boolean;
}

/** Notes by id, rebuilt only when the notes list changes. */
let byIdCache: { items: readonly Note[]; map: Map<string, Note> } | null = null;
function notesById(): Map<string, Note> {
  const items = useAppStore.getState().snapshot?.notes.items ?? [];
  if (byIdCache?.items !== items) byIdCache = { items, map: new Map(items.map((n) => [n.id, n])) };
  return byIdCache.map;
}

/** Opens a web link outside the app: the desktop shell validates it; a browser opens a tab. */
export async function openExternalLink(href: string): Promise<void> {
  const { appInfo, notify } = useAppStore.getState();
  const safe = safeLinkUrl(href);
  if (!safe) {
    notify('error', 'Outpost opens only web (http, https) and e-mail (mailto) links.');
    return;
  }
  if (appInfo?.shell === 'electron') {
    const result = await getOutpostApi().invoke('shell:openExternal', { url: safe });
    if (!result.ok) notify('error', result.error.message);
  } else {
    window.open(safe, '_blank', 'noopener,noreferrer');
  }
}

function linkOptions(selfId: string) {
  return {
    resolve: (noteId: string) => resolveNoteLink(noteId, notesById()),
    subscribe: (listener: () => void) =>
      useAppStore.subscribe((state, previous) => {
        if (state.snapshot?.notes !== previous.snapshot?.notes) listener();
      }),
    open: (noteId: string) => openNote(noteId, { focusBody: true }),
    suggest: (query: string): LinkChoice[] => {
      const items = useAppStore.getState().snapshot?.notes.items ?? [];
      const found: LinkChoice[] = suggestNotes(query, items, selfId).map((note) => ({
        kind: 'note',
        id: note.id,
        title: note.title,
      }));
      const title = query.trim();
      if (title && !found.some((choice) => choice.title.toLowerCase() === title.toLowerCase()))
        found.push({ kind: 'create', id: '', title });
      return found;
    },
    create: (title: string) => {
      const created = createLinkedNote(title);
      return created.ok ? created.value.id : null;
    },
  };
}

function Toolbar({ editor }: { editor: Editor }) {
  const state = useEditorState({
    editor,
    selector: ({ editor: e }) => ({
      bold: e.isActive('bold'),
      italic: e.isActive('italic'),
      strike: e.isActive('strike'),
      code: e.isActive('code'),
      h1: e.isActive('heading', { level: 1 }),
      h2: e.isActive('heading', { level: 2 }),
      h3: e.isActive('heading', { level: 3 }),
      bullet: e.isActive('bulletList'),
      ordered: e.isActive('orderedList'),
      task: e.isActive('taskList'),
      quote: e.isActive('blockquote'),
      codeBlock: e.isActive('codeBlock'),
      link: e.isActive('link'),
      href: (e.getAttributes('link').href as string | undefined) ?? '',
      // What the Collaboration extension's undo/redo commands check, read directly: `can()`
      // builds a whole command chain, on every transaction (every keystroke).
      canUndo: (yUndoPluginKey.getState(e.state)?.undoManager.undoStack.length ?? 0) > 0,
      canRedo: (yUndoPluginKey.getState(e.state)?.undoManager.redoStack.length ?? 0) > 0,
    }),
  });
  const [linkDraft, setLinkDraft] = useState<string | null>(null);
  const [linkError, setLinkError] = useState<string | null>(null);
  const chain = () => editor.chain().focus();
  // Ctrl+Shift+K opens the link field from the text (Ctrl+K alone is the command palette).
  // Listened for on the document, filtered to the editor's text: the editor's own element does
  // not exist until it is mounted (TipTap throws on `editor.view.dom` before that, which blanked
  // the page when a note opened right after a reload).
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (!(event.ctrlKey || event.metaKey) || !event.shiftKey || event.altKey) return;
      if (event.key.toLowerCase() !== 'k') return;
      if (!(event.target instanceof Element) || !event.target.closest('.note-body')) return;
      event.preventDefault();
      setLinkDraft((editor.getAttributes('link').href as string | undefined) ?? '');
      setLinkError(null);
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [editor]);
  const buttons: Array<[string, string, boolean, () => void, string?]> = [
    ['B', 'Bold (Ctrl+B)', state.bold, () => chain().toggleBold().run(), 'bold'],
    ['I', 'Italic (Ctrl+I)', state.italic, () => chain().toggleItalic().run(), 'italic'],
    ['S', 'Strikethrough', state.strike, () => chain().toggleStrike().run(), 'strike'],
    ['</>', 'Inline code (Ctrl+E)', state.code, () => chain().toggleCode().run()],
    ['H1', 'Heading 1 (# )', state.h1, () => chain().toggleHeading({ level: 1 }).run()],
    ['H2', 'Heading 2 (## )', state.h2, () => chain().toggleHeading({ level: 2 }).run()],
    ['H3', 'Heading 3 (### )', state.h3, () => chain().toggleHeading({ level: 3 }).run()],
    ['•', 'Bulleted list (- )', state.bullet, () => chain().toggleBulletList().run()],
    ['1.', 'Numbered list (1. )', state.ordered, () => chain().toggleOrderedList().run()],
    ['☑', 'Checklist ([ ] )', state.task, () => chain().toggleTaskList().run()],
    ['❝', 'Quote (> )', state.quote, () => chain().toggleBlockquote().run()],
    ['{ }', 'Code block (```)', state.codeBlock, () => chain().toggleCodeBlock().run()],
    ['―', 'Divider (---)', false, () => chain().setHorizontalRule().run()],
  ];

  const submitLink = (event: FormEvent) => {
    event.preventDefault();
    if (linkDraft === null) return;
    if (linkDraft.trim() === '') {
      chain().extendMarkRange('link').unsetLink().run();
      setLinkDraft(null);
      return;
    }
    const href = safeLinkUrl(linkDraft);
    if (!href) {
      setLinkError('Use a web address (https://…) or an e-mail link (mailto:…).');
      return;
    }
    if (editor.state.selection.empty && !state.link) {
      chain()
        .insertContent({
          type: 'text',
          text: linkDraft.trim(),
          marks: [{ type: 'link', attrs: { href } }],
        })
        .run();
    } else {
      chain().extendMarkRange('link').setLink({ href }).run();
    }
    setLinkDraft(null);
    setLinkError(null);
  };

  return (
    <div className="editor-toolbar-wrap">
      <div className="editor-toolbar" role="toolbar" aria-label="Formatting">
        {buttons.map(([label, title, active, run, className]) => (
          <button
            key={title}
            type="button"
            className={`tool ${className ?? ''}`}
            title={title}
            aria-label={toolName(label, title)}
            aria-pressed={active}
            onMouseDown={(event) => event.preventDefault()}
            onClick={run}
          >
            {label}
          </button>
        ))}
        <button
          type="button"
          className="tool"
          title="Link (Ctrl+Shift+K)"
          aria-label="Link"
          aria-pressed={state.link}
          onMouseDown={(event) => event.preventDefault()}
          onClick={() => {
            setLinkDraft(state.href);
            setLinkError(null);
          }}
        >
          <Link size={15} aria-hidden="true" />
        </button>
        <TableTools editor={editor} />
        <span className="tool-gap" />
        <button
          type="button"
          className="tool"
          title="Undo your last change (Ctrl+Z)"
          aria-label="Undo"
          disabled={!state.canUndo}
          onMouseDown={(event) => event.preventDefault()}
          onClick={() => chain().undo().run()}
        >
          ↶
        </button>
        <button
          type="button"
          className="tool"
          title="Redo (Ctrl+Shift+Z)"
          aria-label="Redo"
          disabled={!state.canRedo}
          onMouseDown={(event) => event.preventDefault()}
          onClick={() => chain().redo().run()}
        >
          ↷
        </button>
      </div>
      {linkDraft !== null && (
        <form className="link-form" onSubmit={submitLink}>
          <input
            className="input"
            autoFocus
            aria-label="Link address"
            placeholder="https://example.org (empty removes the link)"
            value={linkDraft}
            onChange={(event) => setLinkDraft(event.target.value)}
            onKeyDown={(event) => {
              if (event.key === 'Escape') {
                setLinkDraft(null);
                editor.commands.focus();
              }
            }}
          />
          <button type="submit" className="button primary">
            Apply
          </button>
          {state.href && (
            <button
              type="button"
              className="button"
              onClick={() => void openExternalLink(state.href)}
            >
              Open ↗
            </button>
          )}
          {linkError && (
            <p className="field-error" role="alert">
              {linkError}
            </p>
          )}
        </form>
      )}
    </div>
  );
}

/**
 * A toolbar button's accessible name: its title without the shortcut, led by the visible label when
 * the name does not already hold it ("H1 Heading 1"), so speech input can say what is on screen.
 */
function toolName(label: string, title: string): string {
  const name = title.replace(/ \(.*\)$/, '');
  return /[a-z0-9]/i.test(label) && !name.toLowerCase().includes(label.toLowerCase())
    ? `${label} ${name}`
    : name;
}

/**
 * Whether a change of a note's body was made here by the person, through this editor: the
 * editor binding writes typing, pasting and formatting with the y-sync origin, and undo/redo come
 * from Yjs's UndoManager. Changes that arrive from peers or storage are not local, and model writes
 * (creating, importing, duplicating) carry their own origin and record their author themselves.
 * Yjs calls body observers only for transactions that changed the body, so opening, clicking,
 * selecting, presence and editability never count.
 */
function isOwnEdit(transaction: Y.Transaction): boolean {
  return (
    transaction.local &&
    (transaction.origin === ySyncPluginKey || transaction.origin instanceof Y.UndoManager)
  );
}

/** The rich-text editor of one note (callers key it by note id). */
export function NoteEditor({ noteId, mode, editable }: NoteEditorProps) {
  const body = useNoteBody(noteId, mode);
  const separate = useAppStore((state) => Boolean(state.session?.bodies));
  if (body.state === 'loading') return <EditorLoading />;
  if (body.state === 'failed')
    return (
      <p className="notice-inline warning" role="alert">
        {body.message}
      </p>
    );
  if (body.state === 'missing')
    return (
      <p className="notice-inline" role="status">
        This note has no readable body.
      </p>
    );
  if (body.state === 'unsafe')
    return (
      <>
        <div className="notice-inline warning" role="alert">
          This note contains content this version of Outpost cannot show safely (
          {body.problems.join('; ')}
          ), so it opens read-only. Nothing was changed.
        </div>
        <BodyEditor
          noteId={noteId}
          mode="copy"
          editable={false}
          fragment={body.fragment}
          separate={separate}
        />
      </>
    );
  return (
    <BodyEditor
      noteId={noteId}
      mode={mode}
      editable={editable}
      fragment={body.fragment}
      separate={separate}
    />
  );
}

interface BodyEditorProps extends NoteEditorProps {
  readonly fragment: Y.XmlFragment;
  /** The body is a document of its own (schema 2): carets are those of people in this note. */
  readonly separate: boolean;
}

function BodyEditor({ noteId, mode, editable, fragment, separate }: BodyEditorProps) {
  const profile = useAppStore((state) => state.profile);
  const editTimer = useRef<ReturnType<typeof setTimeout> | null>(null);

  const editor = useEditor(
    {
      editable,
      immediatelyRender: true,
      shouldRerenderOnTransaction: false,
      extensions: [
        StarterKit.configure({
          undoRedo: false,
          underline: false,
          trailingNode: false,
          link: {
            openOnClick: false,
            autolink: true,
            linkOnPaste: true,
            defaultProtocol: 'https',
            isAllowedUri: (url) => safeLinkUrl(url) !== null,
            HTMLAttributes: { rel: 'noopener noreferrer nofollow', target: null },
          },
        }),
        TaskList,
        TaskItem.configure({ nested: true }),
        // Tables and workspace images: imported from Markdown and Obsidian (docs/PROTOCOL.md §1.4.1).
        TableKit.configure({ table: { resizable: false } }),
        AttachmentImage,
        Placeholder.configure({
          placeholder:
            'Write here… Type [[ to link a note; # heading, - list, [ ] checklist, > quote',
        }),
        Collaboration.configure({ fragment }),
        ...(mode === 'live' && workspaceAwareness() && profile
          ? [
              CollaborationCaret.configure({
                provider: {
                  awareness: remoteChangesOnly(
                    workspaceAwareness()!,
                    separate ? noteId : undefined,
                  ),
                },
                user: { id: profile.memberId, name: profile.displayName, color: profile.color },
              }),
            ]
          : []),
        NoteLink.configure(linkOptions(noteId)),
      ],
      editorProps: {
        attributes: { class: 'note-body', 'aria-label': 'Note body', spellcheck: 'true' },
        handleClick: (view, _pos, event) => {
          const anchor = (event.target as HTMLElement).closest('a[href]');
          if (anchor && (event.ctrlKey || event.metaKey || !view.editable)) {
            event.preventDefault();
            void openExternalLink(anchor.getAttribute('href') ?? '');
            return true;
          }
          return false;
        },
      },
    },
    [noteId, mode, fragment, separate],
  );

  useEffect(() => {
    // Without `false`, TipTap emits an "update" event (with an empty transaction) for this call.
    editor.setEditable(editable, false);
  }, [editor, editable]);

  useEffect(() => {
    // A note opened by following a link takes the caret in its body, ready to type.
    if (useNotesStore.getState().focusBody !== noteId) return;
    useNotesStore.setState({ focusBody: null });
    if (editable) editor.commands.focus('start');
  }, [editor, editable, noteId]);

  useEffect(() => {
    if (mode !== 'live') return;
    const observer = (_events: unknown, transaction: Y.Transaction) => {
      if (!isOwnEdit(transaction)) return;
      if (editTimer.current) clearTimeout(editTimer.current);
      editTimer.current = setTimeout(() => {
        editTimer.current = null;
        markEdited(noteId);
      }, 1200);
    };
    fragment.observeDeep(observer);
    return () => {
      fragment.unobserveDeep(observer);
      if (editTimer.current) {
        clearTimeout(editTimer.current);
        editTimer.current = null;
        markEdited(noteId);
      }
    };
  }, [fragment, mode, noteId]);

  return (
    <div className={editable ? 'note-editor' : 'note-editor read-only'}>
      {editable && <Toolbar editor={editor} />}
      <EditorContent editor={editor} />
    </div>
  );
}
