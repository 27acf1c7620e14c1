/**
 * Ctrl/Cmd+K: jump to any note (full-text, ranked, highlighted), goal or decision (by title).
 * Works from anywhere in the app, including inside the editor.
 */
import { useEffect, useEffectEvent, useMemo, useRef, useState } from 'react';
import { highlight, type Highlighted } from '../../../shared/model/notesSearch';
import type { RecordKind } from '../../../shared/schema/records';
import { useAppStore } from '../../store';
import { Marked } from './NoteList';
import { openNote } from './notesActions';
import { useNotesStore } from './notesStore';

interface Choice {
  readonly kind: RecordKind;
  readonly id: string;
  readonly title: Highlighted;
  readonly detail: Highlighted;
}

const KIND_LABEL: Record<RecordKind, string> = { note: 'Note', goal: 'Goal', decision: 'Decision' };

function open(choice: Choice): void {
  if (choice.kind === 'note') return openNote(choice.id);
  const state = useAppStore.getState();
  state.setSection(choice.kind === 'goal' ? 'goals' : 'decisions');
  state.setRecordView(choice.kind, 'active');
  state.select(choice.kind, choice.id);
}

export function CommandPalette() {
  const isOpen = useNotesStore((state) => state.paletteOpen);
  const setOpen = useNotesStore((state) => state.setPaletteOpen);
  const returnFocus = useRef<HTMLElement | null>(null);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      // Ctrl+Shift+K is the editor's link shortcut, so the palette takes Ctrl+K without Shift only.
      const mod = event.ctrlKey || event.metaKey;
      if (mod && !event.altKey && !event.shiftKey && event.key.toLowerCase() === 'k') {
        event.preventDefault();
        event.stopPropagation();
        const opening = !useNotesStore.getState().paletteOpen;
        if (opening) returnFocus.current = document.activeElement as HTMLElement | null;
        setOpen(opening);
      }
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [setOpen]);

  if (!isOpen) return null;
  return (
    <PaletteDialog
      onClose={(restoreFocus) => {
        setOpen(false);
        if (restoreFocus) returnFocus.current?.focus?.();
      }}
    />
  );
}

function PaletteDialog({ onClose }: { onClose: (restoreFocus: boolean) => void }) {
  const snapshot = useAppStore((state) => state.snapshot);
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const panel = useRef<HTMLDivElement>(null);
  const input = useRef<HTMLInputElement>(null);
  const closeByEscape = useEffectEvent(() => onClose(true));
  // Modal as it says (aria-modal): focus that moves out of it comes back to the field, and Escape
  // closes it wherever focus is. The editor behind focuses itself a frame after a command (TipTap
  // defers it); when that frame came after the palette opened, the editor took focus back, Escape
  // went to the editor and the palette stayed open in front of it.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return;
      event.preventDefault();
      event.stopPropagation();
      closeByEscape();
    };
    const onFocusIn = (event: FocusEvent) => {
      if (!panel.current?.contains(event.target as Node)) input.current?.focus();
    };
    document.addEventListener('keydown', onKey, true);
    document.addEventListener('focusin', onFocusIn);
    return () => {
      document.removeEventListener('keydown', onKey, true);
      document.removeEventListener('focusin', onFocusIn);
    };
  }, []);
  const choices = useMemo((): Choice[] => {
    if (!snapshot) return [];
    const needle = query.trim().toLowerCase();
    const out: Choice[] = [];
    if (!needle) {
      for (const note of snapshot.notes.items) {
        if (out.length >= 8) break;
        if (note.deletedAt === null && !note.archived)
          out.push({
            kind: 'note',
            id: note.id,
            title: [{ text: note.title || 'Untitled', match: false }],
            detail: [{ text: snapshot.noteIndex.snippet(note.id), match: false }],
          });
      }
      return out;
    }
    for (const hit of snapshot.noteIndex.search(query, 12)) {
      out.push({
        kind: 'note',
        id: hit.id,
        title: hit.title.length ? hit.title : [{ text: 'Untitled', match: false }],
        detail: hit.excerpt,
      });
    }
    const terms = needle.split(/\s+/);
    const byTitle = (
      kind: RecordKind,
      items: ReadonlyArray<{ id: string; title: string; deletedAt: number | null }>,
    ) => {
      let count = 0;
      for (const item of items) {
        if (count >= 6) break;
        const title = item.title.toLowerCase();
        if (item.deletedAt === null && terms.every((term) => title.includes(term))) {
          out.push({ kind, id: item.id, title: highlight(item.title, terms), detail: [] });
          count++;
        }
      }
    };
    byTitle('goal', snapshot.goals.items);
    byTitle('decision', snapshot.decisions.items);
    return out;
  }, [snapshot, query]);

  const close = () => onClose(true);
  const choose = (choice: Choice | undefined) => {
    if (!choice) return;
    onClose(false);
    open(choice);
  };
  return (
    <div className="palette-backdrop" onMouseDown={close}>
      <div
        ref={panel}
        className="palette"
        role="dialog"
        aria-modal="true"
        aria-label="Go to"
        onMouseDown={(event) => event.stopPropagation()}
      >
        <input
          ref={input}
          autoFocus
          className="palette-input"
          placeholder="Jump to a note, goal or decision…"
          aria-label="Jump to"
          role="combobox"
          aria-expanded="true"
          aria-controls="palette-results"
          value={query}
          onChange={(event) => {
            setQuery(event.target.value);
            setActive(0);
          }}
          onKeyDown={(event) => {
            if (event.key === 'ArrowDown') {
              event.preventDefault();
              setActive((index) => Math.min(choices.length - 1, index + 1));
            }
            if (event.key === 'ArrowUp') {
              event.preventDefault();
              setActive((index) => Math.max(0, index - 1));
            }
            if (event.key === 'Enter') choose(choices[active]);
          }}
        />
        <ul id="palette-results" className="palette-results" role="listbox" aria-label="Results">
          {choices.length === 0 && (
            <li className="palette-empty">
              {query ? `Nothing matches “${query}”.` : 'No notes yet.'}
            </li>
          )}
          {choices.map((choice, index) => (
            <li
              key={`${choice.kind}:${choice.id}`}
              role="option"
              aria-selected={index === active}
              className="palette-choice"
              onMouseEnter={() => setActive(index)}
              onClick={() => choose(choice)}
            >
              <span className={`kind kind-${choice.kind}`}>{KIND_LABEL[choice.kind]}</span>
              <span className="palette-text">
                <span className="record-title">
                  <Marked parts={choice.title} />
                </span>
                {choice.detail.length > 0 && (
                  <span className="snippet">
                    <Marked parts={choice.detail} />
                  </span>
                )}
              </span>
            </li>
          ))}
        </ul>
        <div className="palette-hint">↑↓ to choose · Enter to open · Esc to close</div>
      </div>
    </div>
  );
}
