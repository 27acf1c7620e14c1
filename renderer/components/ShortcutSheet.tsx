/**
 * The keyboard shortcut sheet: `?` (outside a text field) or Ctrl+/ (anywhere) opens it, Esc or
 * the same keys close it. A native modal <dialog>, so focus stays inside while it is open and
 * returns to where it was when it closes.
 */
import { useEffect, useState } from 'react';
import { useModalDialog } from './useModalDialog';
import { SECTIONS } from '../store/uiSlice';

const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);
const MOD = isMac ? '⌘' : 'Ctrl';

const GROUPS: ReadonlyArray<{ title: string; keys: ReadonlyArray<[string, string]> }> = [
  {
    title: 'Anywhere',
    keys: [
      ...SECTIONS.map((section, index): [string, string] => [
        `${MOD}+${index + 1}`,
        section.charAt(0).toUpperCase() + section.slice(1),
      ]),
      [`${MOD}+N`, 'New note, goal or decision in the section you are in'],
      [`${MOD}+K`, 'Search notes and run commands'],
      [`? or ${MOD}+/`, 'This list of shortcuts'],
      ['Tab at the top', 'Skip to list'],
    ],
  },
  {
    title: 'Lists',
    keys: [
      ['↑ ↓', 'Previous or next item'],
      ['Home End', 'First or last item'],
    ],
  },
  {
    title: 'Text fields',
    keys: [
      ['Esc', 'Undo what you typed since the field was last saved'],
      [`${MOD}+Enter`, 'Save a multi-line field now'],
    ],
  },
  {
    title: 'Note editor',
    keys: [
      [`${MOD}+B`, 'Bold'],
      [`${MOD}+I`, 'Italic'],
      [`${MOD}+E`, 'Inline code'],
      [`${MOD}+Shift+K`, 'Link to a web address'],
      ['[[', 'Link to another note'],
      [`${MOD}+Z`, 'Undo'],
      [`${MOD}+Shift+Z`, 'Redo'],
    ],
  },
];

/** Whether keys typed now go into text (where `?` is a character, not a shortcut). */
function typingInto(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  return (
    target instanceof HTMLInputElement &&
    !['button', 'checkbox', 'radio', 'range', 'color', 'submit', 'reset'].includes(target.type)
  );
}

export function ShortcutSheet() {
  const [open, setOpen] = useState(false);
  const dialog = useModalDialog(open);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const mod = event.ctrlKey || event.metaKey;
      const slash = mod && !event.altKey && event.key === '/';
      const question = !mod && !event.altKey && event.key === '?' && !typingInto(event.target);
      if (!slash && !question) return;
      event.preventDefault();
      // From the dialog itself, not from `open`: Escape closes the dialog at once, but its close
      // event (which sets `open` false) comes a task later, and a key pressed in between must
      // open the sheet again, not toggle a stale `open` off.
      setOpen(!dialog.current?.open);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [dialog]);

  return (
    <dialog
      ref={dialog}
      className="shortcut-sheet"
      aria-labelledby="shortcut-sheet-title"
      // Escape fires cancel before the dialog closes; its close event comes a task later. Taking
      // the state from cancel means a key pressed in between finds the sheet closed and opens it
      // (with only onClose, `open` was still true then and setting it again changed nothing).
      onCancel={() => setOpen(false)}
      onClose={() => setOpen(false)}
    >
      <div className="shortcut-sheet-head">
        <h2 id="shortcut-sheet-title">Keyboard shortcuts</h2>
        <button
          type="button"
          className="icon-button"
          aria-label="Close keyboard shortcuts"
          onClick={() => setOpen(false)}
        >
          ✕
        </button>
      </div>
      <div className="shortcut-groups">
        {GROUPS.map((group) => (
          <section key={group.title} aria-labelledby={`shortcuts-${group.title}`}>
            <h3 id={`shortcuts-${group.title}`}>{group.title}</h3>
            <dl>
              {group.keys.map(([keys, what]) => (
                <div key={keys} className="shortcut-row">
                  <dt>
                    <kbd>{keys}</kbd>
                  </dt>
                  <dd>{what}</dd>
                </div>
              ))}
            </dl>
          </section>
        ))}
      </div>
    </dialog>
  );
}
